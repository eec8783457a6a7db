// Durability across SIGKILL: serve (real SQLite file) calls a sandbox process over loopback;
// it is killed at random moments while webhooks arrive and restarted on the same --db.
// Every accepted webhook must complete exactly once and each write must land exactly once.
#include "serve_harness.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace e2e;

namespace {

const QString kProject =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/e2e/data/durable/durable.switchboard");
constexpr int kWebhooks = 60;
constexpr int kKills = 3;

QByteArray payload(int i)
{
    return QStringLiteral(R"({"id":"C%1","name":"Crash Co %1","amount":%2,"rev":1})")
        .arg(i).arg(100 + i).toUtf8();
}

} // namespace

class TestServeCrash : public QObject
{
    Q_OBJECT
private slots:
    void killNineAndRestart()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString bundle = dir.filePath(QStringLiteral("bundle.json"));
        QVERIFY(exportBundle(kProject, bundle));

        Runner sandbox;
        const QString sb = sandbox.start({QStringLiteral("sandbox"), kProject,
                                          QStringLiteral("--listen"),
                                          QStringLiteral("127.0.0.1:0")});
        QVERIFY2(!sb.isEmpty(), qPrintable(sandbox.errors()));
        // Latency stretches the run so the kills land while calls are in flight.
        QCOMPARE(request("POST", sb + QStringLiteral("/_sandbox/faults"),
                         R"({"system":"erp","latencyMs":15})").status, 200);

        const QString db = dir.filePath(QStringLiteral("serve.db"));
        Runner serve;
        // --init only creates the journal the first time; the restarts reopen it.
        QStringList args{QStringLiteral("serve"), bundle, QStringLiteral("--db"), db,
                         QStringLiteral("--init"), QStringLiteral("--sandbox-url"), sb,
                         QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
        QString base = serve.start(args);
        QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
        args.last() = QStringLiteral("127.0.0.1:%1").arg(serve.port());
        auto restart = [&]() {
            // The same port after a kill: retry briefly in case the socket lingers.
            for (int i = 0; i < 20; ++i) {
                if (!serve.start(args).isEmpty())
                    return true;
                QTest::qWait(250);
            }
            return false;
        };

        QRandomGenerator rng(quint32(QDateTime::currentMSecsSinceEpoch()));
        QElapsedTimer clock;
        clock.start();
        // Kill moments spread over the posting phase and the processing tail.
        QList<qint64> killAt;
        for (int k = 0; k < kKills; ++k)
            killAt << 150 + k * 700 + rng.bounded(500);
        qInfo() << "kill schedule (ms):" << killAt;
        int kills = 0;
        QTimer killer;
        killer.setSingleShot(true);
        QObject::connect(&killer, &QTimer::timeout, [&]() {
            serve.kill();
            ++kills;
        });
        auto armKiller = [&]() {
            if (kills < killAt.size())
                killer.start(int(std::max<qint64>(0, killAt[kills] - clock.elapsed())));
        };
        armKiller();

        QHash<QString, QString> accepted; // event id -> instance id
        int transportErrors = 0;
        for (int i = 0; i < kWebhooks; ++i) {
            const QString event = QStringLiteral("C%1").arg(i);
            for (int attempt = 0; attempt < 5 && !accepted.contains(event); ++attempt) {
                const Http h = request("POST", base + QStringLiteral("/hooks/pipeline"),
                                       payload(i), false, 5000);
                if (h.status == 202 || h.status == 200) {
                    accepted.insert(event, h.json().object()[QStringLiteral("instanceId")]
                                               .toString());
                    continue;
                }
                // Killed mid-request: the webhook may or may not be committed; a re-POST
                // after the restart tells (202 new, 200 duplicate of the original).
                QVERIFY2(h.status == 0, h.body.constData());
                ++transportErrors;
                if (!serve.running()) {
                    QVERIFY(restart());
                    armKiller();
                }
            }
            QVERIFY2(accepted.contains(event), qPrintable(event));
        }
        // Kills still due hit the processing tail.
        while (kills < kKills) {
            QTest::qWait(int(std::max<qint64>(10, killAt[kills] - clock.elapsed())));
            if (killer.isActive()) {
                killer.stop();
                serve.kill();
                ++kills;
            }
            QVERIFY(restart());
            armKiller();
        }
        killer.stop();
        if (!serve.running())
            QVERIFY(restart());
        qInfo() << "kills:" << kills << "transport errors:" << transportErrors;
        QCOMPARE(kills, kKills);

        const QJsonArray list = waitAllTerminal(base, kWebhooks, 60000);
        QCOMPARE(list.size(), kWebhooks);
        QSet<QString> instanceIds;
        for (const auto &v : list) {
            const QJsonObject o = v.toObject();
            QCOMPARE(o[QStringLiteral("status")].toString(), QStringLiteral("completed"));
            instanceIds.insert(o[QStringLiteral("id")].toString());
        }
        for (const QString &id : accepted)
            QVERIFY2(instanceIds.contains(id), qPrintable(id));
        QCOMPARE(instanceIds.size(), kWebhooks);

        // Completed exactly once: one final result per instance in its journal.
        for (const QString &id : instanceIds) {
            const Http h = getJson(base + QStringLiteral("/api/instances/") + id, true);
            QCOMPARE(h.status, 200);
            int finals = 0;
            for (const auto &e : h.json().object()[QStringLiteral("journal")].toArray()) {
                const QJsonObject j = e.toObject();
                if (j[QStringLiteral("kind")].toString() == QLatin1String("result")
                    && j[QStringLiteral("payload")].toObject()[QStringLiteral("status")]
                               .toString() == QLatin1String("completed"))
                    ++finals;
            }
            QVERIFY2(finals == 1, h.body.left(6000).constData());
        }

        // Effects from outside: exactly one record per instance per write.
        auto distinct = [&](const QString &entity, const QString &field, QSet<QString> *out) {
            const Http h = getJson(sb + QStringLiteral("/erp/") + entity);
            const QJsonArray a = h.json().array();
            for (const auto &v : a)
                out->insert(v.toObject()[field].toVariant().toString());
            return int(a.size());
        };
        QSet<QString> customers, orders, shipments;
        QCOMPARE(distinct(QStringLiteral("Customer"), QStringLiteral("externalRef"), &customers),
                 kWebhooks);
        QCOMPARE(distinct(QStringLiteral("Order"), QStringLiteral("customerRef"), &orders),
                 kWebhooks);
        QCOMPARE(distinct(QStringLiteral("Shipment"), QStringLiteral("orderRef"), &shipments),
                 kWebhooks);
        QCOMPARE(customers.size(), kWebhooks);
        QCOMPARE(orders, customers);
        QCOMPARE(shipments.size(), kWebhooks);

        // A re-POST of an accepted event names the original instance.
        const Http dup = request("POST", base + QStringLiteral("/hooks/pipeline"), payload(7));
        QCOMPARE(dup.status, 200);
        QCOMPARE(dup.json().object()[QStringLiteral("instanceId")].toString(),
                 accepted.value(QStringLiteral("C7")));
        serve.stop();
        sandbox.stop();
    }
};

QTEST_GUILESS_MAIN(TestServeCrash)
#include "tst_serve_crash.moc"
