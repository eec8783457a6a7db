// serve on PostgreSQL: a server started by the test (initdb/pg_ctl), `store migrate|check`,
// and one runner on --store taking webhooks (with duplicates) to completed instances in a
// sandbox process, the effects counted in the sandbox and the instances in the database.
#include "serve_harness.h"

#include "tests/support/pgserver.h"
#include "tests/support/ports.h"

#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace e2e;
using sb::testsupport::PgServer;

namespace {

const QString kProject =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/e2e/data/durable/durable.switchboard");
constexpr int kWebhooks = 40;

QByteArray payload(int i)
{
    return QStringLiteral(R"({"id":"P%1","name":"Pg Co %1","amount":%2,"rev":1})")
        .arg(i).arg(100 + i).toUtf8();
}

} // namespace

class TestServePg : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (PgServer::binDir().isEmpty())
            QSKIP("PostgreSQL is not installed (initdb, pg_ctl): serve on PostgreSQL is not "
                  "tested");
        const QString failed = m_pg.start();
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
    }

    void storeMigrateAndCheck()
    {
        const QString db = QStringLiteral("migrate");
        QCOMPARE(m_pg.createDatabase(db), QString());
        const QString uri = m_pg.uri(db);
        auto check = sb::testsupport::run({QStringLiteral("store"), QStringLiteral("check"),
                                           QStringLiteral("--store"), uri});
        QVERIFY2(check.exitCode == 1, qPrintable(check.err));
        QVERIFY2(check.err.contains(QLatin1String("no Switchboard schema")),
                 qPrintable(check.err));
        auto migrate = sb::testsupport::run({QStringLiteral("store"), QStringLiteral("migrate"),
                                             QStringLiteral("--store"), uri});
        QVERIFY2(migrate.exitCode == 0, qPrintable(migrate.err));
        QVERIFY2(migrate.out.contains(QLatin1String("schema version 2 (migrated)")),
                 qPrintable(migrate.out));
        migrate = sb::testsupport::run({QStringLiteral("store"), QStringLiteral("migrate"),
                                        QStringLiteral("--store"), uri});
        QVERIFY2(migrate.out.contains(QLatin1String("already current")), qPrintable(migrate.out));
        check = sb::testsupport::run({QStringLiteral("store"), QStringLiteral("check"),
                                      QStringLiteral("--store"), uri});
        QVERIFY2(check.exitCode == 0, qPrintable(check.err));
        QVERIFY2(check.out.contains(QLatin1String("schema version 2, 0 instance(s)")),
                 qPrintable(check.out));
        QString error;
        QCOMPARE(m_pg.psql(db, QStringLiteral("SELECT max(version) FROM schema_version"), &error),
                 QStringLiteral("2"));
        // No server on the port: an error naming the address, exit 2.
        const QString nowhere = QStringLiteral("postgresql://x@127.0.0.1:%1/x")
                                    .arg(sb::testsupport::freePort());
        check = sb::testsupport::run({QStringLiteral("store"), QStringLiteral("check"),
                                      QStringLiteral("--store"), nowhere});
        QCOMPARE(check.exitCode, 2);
        QVERIFY2(check.err.contains(QLatin1String("cannot connect")), qPrintable(check.err));
    }

    void passwordNeverOnTheCommandLine()
    {
        const QString withPassword =
            QStringLiteral("postgresql://switchboard:hunter2@127.0.0.1:%1/x").arg(m_pg.port());
        auto r = sb::testsupport::run({QStringLiteral("store"), QStringLiteral("check"),
                                       QStringLiteral("--store"), withPassword});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("PGPASSWORD")), qPrintable(r.err));
        r = sb::testsupport::run({QStringLiteral("serve"), QStringLiteral("bundle.json"),
                                  QStringLiteral("--store"), withPassword});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("PGPASSWORD")), qPrintable(r.err));
        // Through an env: reference the address is read from the environment instead.
        qputenv("SB_TEST_STORE", m_pg.uri(QStringLiteral("migrate")).toUtf8());
        r = sb::testsupport::run({QStringLiteral("store"), QStringLiteral("check"),
                                  QStringLiteral("--store"), QStringLiteral("env:SB_TEST_STORE")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = sb::testsupport::run({QStringLiteral("store"), QStringLiteral("check"),
                                  QStringLiteral("--store"), QStringLiteral("env:SB_NOT_SET_X")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("SB_NOT_SET_X")), qPrintable(r.err));
    }

    void webhooksCompleteOnPostgres()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString bundle = dir.filePath(QStringLiteral("bundle.json"));
        QVERIFY(exportBundle(kProject, bundle));
        const QString db = QStringLiteral("serve");
        QCOMPARE(m_pg.createDatabase(db), QString());

        Runner sandbox;
        const QString sb = sandbox.start({QStringLiteral("sandbox"), kProject,
                                          QStringLiteral("--listen"),
                                          QStringLiteral("127.0.0.1:0")});
        QVERIFY2(!sb.isEmpty(), qPrintable(sandbox.errors()));

        // Without --init an empty database is refused, not silently given a schema.
        Runner serve;
        QStringList args{QStringLiteral("serve"), bundle, QStringLiteral("--store"),
                         m_pg.uri(db), QStringLiteral("--sandbox-url"), sb,
                         QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
        QVERIFY(serve.start(args).isEmpty());
        QVERIFY2(serve.errors().contains(QLatin1String("no Switchboard schema")),
                 qPrintable(serve.errors()));
        args << QStringLiteral("--init");
        QString base = serve.start(args);
        QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));

        QHash<QString, QString> accepted; // event id -> instance id
        for (int i = 0; i < kWebhooks; ++i) {
            const Http h = request("POST", base + QStringLiteral("/hooks/pipeline"), payload(i));
            QVERIFY2(h.status == 202, h.body.constData());
            accepted.insert(QStringLiteral("P%1").arg(i),
                            h.json().object()[QStringLiteral("instanceId")].toString());
            if (i % 8 == 0) { // a duplicate: the same instance, not a second one
                const Http dup = request("POST", base + QStringLiteral("/hooks/pipeline"),
                                         payload(i));
                QCOMPARE(dup.status, 200);
                QCOMPARE(dup.json().object()[QStringLiteral("instanceId")].toString(),
                         accepted.value(QStringLiteral("P%1").arg(i)));
            }
        }
        QJsonArray list = waitAllTerminal(base, kWebhooks, 60000);
        QCOMPARE(list.size(), kWebhooks);
        for (const auto &v : list)
            QCOMPARE(v.toObject()[QStringLiteral("status")].toString(),
                     QStringLiteral("completed"));

        // The journal is in PostgreSQL, not in a file: the database holds the instances.
        QString error;
        QCOMPARE(m_pg.psql(db, QStringLiteral("SELECT count(*) FROM instances WHERE "
                                              "status = 'completed'"), &error),
                 QString::number(kWebhooks));
        QCOMPARE(error, QString());

        // Restarted from SWITCHBOARD_STORE (no --store): the same journal, so a re-POST
        // is still a duplicate of its original instance.
        serve.stop();
        qputenv("SWITCHBOARD_STORE", m_pg.uri(db).toUtf8());
        QStringList fromEnv{QStringLiteral("serve"), bundle, QStringLiteral("--sandbox-url"), sb,
                            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
        base = serve.start(fromEnv);
        qunsetenv("SWITCHBOARD_STORE");
        QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
        const Http dup = request("POST", base + QStringLiteral("/hooks/pipeline"), payload(3));
        QCOMPARE(dup.status, 200);
        QCOMPARE(dup.json().object()[QStringLiteral("instanceId")].toString(),
                 accepted.value(QStringLiteral("P3")));

        // Each effect exactly once in the sandbox.
        auto count = [&](const QString &entity, const QString &field) {
            QSet<QString> seen;
            const QJsonArray a = getJson(sb + QStringLiteral("/erp/") + entity).json().array();
            for (const auto &v : a)
                seen.insert(v.toObject()[field].toVariant().toString());
            return qMakePair(int(a.size()), int(seen.size()));
        };
        QCOMPARE(count(QStringLiteral("Customer"), QStringLiteral("externalRef")),
                 qMakePair(kWebhooks, kWebhooks));
        QCOMPARE(count(QStringLiteral("Order"), QStringLiteral("customerRef")),
                 qMakePair(kWebhooks, kWebhooks));
        serve.stop();
        sandbox.stop();
    }

    // SIGKILL while the accepted webhooks are being worked on; the restarted runner (same
    // id, so its own stale heartbeat does not stop it) resumes them from PostgreSQL and
    // each effect lands exactly once.
    void killNineAndResumeFromPostgres()
    {
        QTemporaryDir dir;
        const QString bundle = dir.filePath(QStringLiteral("bundle.json"));
        QVERIFY(exportBundle(kProject, bundle));
        const QString db = QStringLiteral("crash");
        QCOMPARE(m_pg.createDatabase(db), QString());
        Runner sandbox;
        const QString sb = sandbox.start({QStringLiteral("sandbox"), kProject,
                                          QStringLiteral("--listen"),
                                          QStringLiteral("127.0.0.1:0")});
        QVERIFY2(!sb.isEmpty(), qPrintable(sandbox.errors()));
        // Latency keeps calls in flight when the kill lands.
        QCOMPARE(request("POST", sb + QStringLiteral("/_sandbox/faults"),
                         R"({"system":"erp","latencyMs":40})").status, 200);
        const QStringList args{QStringLiteral("serve"), bundle, QStringLiteral("--store"),
                               m_pg.uri(db), QStringLiteral("--init"),
                               QStringLiteral("--runner-id"), QStringLiteral("solo"),
                               QStringLiteral("--sandbox-url"), sb,
                               QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
        Runner serve;
        QString base = serve.start(args);
        QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
        constexpr int n = 30;
        for (int i = 0; i < n; ++i) {
            const Http h = request("POST", base + QStringLiteral("/hooks/pipeline"),
                                   payload(1000 + i));
            QVERIFY2(h.status == 202, h.body.constData());
        }
        serve.kill();
        QString error;
        const int doneBefore = m_pg.psql(db, QStringLiteral("SELECT count(*) FROM instances "
                                                            "WHERE status = 'completed'"),
                                         &error).toInt();
        QVERIFY2(doneBefore < n, "every instance finished before the kill: nothing resumed");
        base = serve.start(args);
        QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
        const QJsonArray list = waitAllTerminal(base, n, 60000);
        QCOMPARE(list.size(), n);
        for (const auto &v : list)
            QCOMPARE(v.toObject()[QStringLiteral("status")].toString(),
                     QStringLiteral("completed"));
        int customers = 0;
        QSet<QString> refs;
        for (const auto &v : getJson(sb + QStringLiteral("/erp/Customer")).json().array()) {
            const QString ref = v.toObject()[QStringLiteral("externalRef")].toString();
            if (ref.startsWith(QLatin1String("P1"))) { // P1000..P1029
                ++customers;
                refs.insert(ref);
            }
        }
        QCOMPARE(customers, n);
        QCOMPARE(refs.size(), n);
        serve.stop();
        sandbox.stop();
    }

    // Runners do not share a database's work yet: a second live one is refused, naming
    // the first; once the first stopped cleanly, another may start.
    void secondLiveRunnerIsRefused()
    {
        QTemporaryDir dir;
        const QString bundle = dir.filePath(QStringLiteral("bundle.json"));
        QVERIFY(exportBundle(kProject, bundle));
        const QString db = QStringLiteral("alone");
        QCOMPARE(m_pg.createDatabase(db), QString());
        auto args = [&](const QString &id) {
            return QStringList{QStringLiteral("serve"), bundle, QStringLiteral("--store"),
                               m_pg.uri(db), QStringLiteral("--init"),
                               QStringLiteral("--runner-id"), id,
                               QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
        };
        Runner first, second;
        QVERIFY2(!first.start(args(QStringLiteral("first"))).isEmpty(),
                 qPrintable(first.errors()));
        QVERIFY(second.start(args(QStringLiteral("second"))).isEmpty());
        QVERIFY2(second.errors().contains(QLatin1String("runner 'first' (http://127.0.0.1:"))
                     && second.errors().contains(QLatin1String("is live")),
                 qPrintable(second.errors()));
        // /api/health names this runner and the group's runners with their leases.
        const QJsonObject health =
            getJson(first.base() + QStringLiteral("/api/health"), true).json().object();
        QCOMPARE(health[QStringLiteral("store")].toString(), QStringLiteral("postgresql"));
        QCOMPARE(health[QStringLiteral("runner")].toString(), QStringLiteral("first"));
        const QJsonArray runners = health[QStringLiteral("runners")].toArray();
        QCOMPARE(runners.size(), 1);
        QCOMPARE(runners[0].toObject()[QStringLiteral("address")].toString(), first.base());
        // /metrics labels every sample with the runner.
        const QByteArray metrics = getJson(first.base() + QStringLiteral("/metrics"), true).body;
        QVERIFY2(metrics.contains("\nswitchboard_steps_total{runner=\"first\"} ")
                     && metrics.contains("\nswitchboard_instances{runner=\"first\",status="),
                 metrics.constData());
        for (const QByteArray &line : metrics.split('\n'))
            QVERIFY2(line.isEmpty() || line.startsWith('#') || line.contains("runner=\"first\""),
                     line.constData());
        QString error;
        QCOMPARE(m_pg.psql(db, QStringLiteral("SELECT string_agg(id, ',') FROM runners"),
                           &error),
                 QStringLiteral("first"));
        first.stop(); // SIGTERM: leaves the group
        QCOMPARE(m_pg.psql(db, QStringLiteral("SELECT count(*) FROM runners"), &error),
                 QStringLiteral("0"));
        QVERIFY2(!second.start(args(QStringLiteral("second"))).isEmpty(),
                 qPrintable(second.errors()));
        second.stop();
    }

private:
    PgServer m_pg;
};

QTEST_GUILESS_MAIN(TestServePg)
#include "tst_serve_pg.moc"
