// serve and its journal as an operator meets them: a missing, empty, foreign or corrupt
// journal is refused at start (exit 2, naming the file); a full disk turns webhooks into 503
// and /api/health into "degraded" instead of acknowledging what was not saved, and once
// space returns every acknowledged webhook completes exactly once.
#include "serve_harness.h"

#include <QDir>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace e2e;

namespace {

const QString kProject =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/e2e/data/durable/durable.switchboard");

QByteArray payload(int i, int pad = 0)
{
    return QStringLiteral(R"({"id":"S%1","name":"Storage Co %1","amount":%2,"rev":1,"note":"%3"})")
        .arg(i).arg(100 + i).arg(QString(pad, QLatin1Char('n'))).toUtf8();
}

struct Exit
{
    int code = -1;
    QString err;
};

// Runs serve expecting it to refuse to start.
Exit serveExit(const QStringList &args)
{
    const QStringList serve = QStringList{QStringLiteral("serve")} + args;
    const sb::testsupport::Run r = sb::testsupport::run(serve, 15000);
    if (r.timedOut)
        return {-1, QStringLiteral("still running after 15 s")};
    return {r.exitCode == -2 ? -1 : r.exitCode, r.err};
}

QString healthStatus(const QString &base, int *code)
{
    const Http h = getJson(base + QStringLiteral("/api/health"), true);
    *code = h.status;
    return h.json().object()[QStringLiteral("status")].toString();
}

} // namespace

class TestServeStorage : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_bundle;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_bundle = m_dir.filePath(QStringLiteral("bundle.json"));
        QVERIFY(exportBundle(kProject, m_bundle));
    }

    void missingJournalNeedsInit()
    {
        const QString db = m_dir.filePath(QStringLiteral("missing.db"));
        const Exit e = serveExit({m_bundle, QStringLiteral("--db"), db,
                                  QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QCOMPARE(e.code, 2);
        QVERIFY2(e.err.contains(QStringLiteral("no journal at %1").arg(db))
                     && e.err.contains(QLatin1String("--init")),
                 qPrintable(e.err));
        QVERIFY(!QFile::exists(db));
    }

    void emptyOrForeignJournalIsRefused()
    {
        const QString empty = m_dir.filePath(QStringLiteral("empty.db"));
        QFile f(empty);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        // --init never replaces an existing file, even an empty one.
        for (const bool init : {false, true}) {
            QStringList args{m_bundle, QStringLiteral("--db"), empty, QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0")};
            if (init)
                args << QStringLiteral("--init");
            const Exit e = serveExit(args);
            QCOMPARE(e.code, 2);
            QVERIFY2(e.err.contains(empty) && e.err.contains(QLatin1String("empty (0 bytes)")),
                     qPrintable(e.err));
            QCOMPARE(QFileInfo(empty).size(), 0);
        }
        const QString foreign = m_dir.filePath(QStringLiteral("notes.txt"));
        QFile n(foreign);
        QVERIFY(n.open(QIODevice::WriteOnly));
        n.write(QByteArray(10000, 'x'));
        n.close();
        const Exit e = serveExit({m_bundle, QStringLiteral("--db"), foreign,
                                  QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QCOMPARE(e.code, 2);
        QVERIFY2(e.err.contains(foreign) && e.err.contains(QLatin1String("not a Switchboard")),
                 qPrintable(e.err));
    }

    void corruptJournalIsRefused()
    {
        const QString db = m_dir.filePath(QStringLiteral("corrupt.db"));
        const QStringList args{m_bundle, QStringLiteral("--db"), db, QStringLiteral("--listen"),
                               QStringLiteral("127.0.0.1:0")};
        {
            Runner serve;
            const QString base = serve.start(QStringList{QStringLiteral("serve")} + args
                                             + QStringList{QStringLiteral("--init")});
            QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
            for (int i = 0; i < 40; ++i)
                QCOMPARE(request("POST", base + QStringLiteral("/hooks/pipeline"),
                                 payload(i, 400)).status, 202);
            QCOMPARE(waitAllTerminal(base, 40, 60000).size(), 40);
            serve.stop(); // the last connection folds the WAL into the file
        }
        // A healthy journal starts again without --init.
        {
            Runner serve;
            QVERIFY2(!serve.start(QStringList{QStringLiteral("serve")} + args).isEmpty(),
                     qPrintable(serve.errors()));
        }
        QFile f(db);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 pages = f.size() / 4096;
        QVERIFY2(pages >= 20, qPrintable(QString::number(pages)));
        f.seek(pages / 2 * 4096);
        f.write(QByteArray(4096 * 4, char(0x5A)));
        f.close();
        const Exit e = serveExit(args);
        QCOMPARE(e.code, 2);
        QVERIFY2(e.err.contains(db) && e.err.contains(QLatin1String("corrupt")),
                 qPrintable(e.err));
    }

    void fullDiskAnswers503ThenCompletesEverythingAcknowledged()
    {
        QTemporaryDir dir;
        const QString mnt = dir.filePath(QStringLiteral("mnt"));
        QVERIFY(QDir().mkpath(mnt));
        if (QProcess::execute(QStringLiteral("mount"),
                              {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                               QStringLiteral("size=4m"), QStringLiteral("tmpfs"), mnt}) != 0)
            QSKIP("cannot mount a tmpfs here (needs root): the full-disk case is not run");
        struct Unmount // declared first: runs after the runners below have stopped
        {
            QString path;
            ~Unmount() { QProcess::execute(QStringLiteral("umount"), {path}); }
        } unmount{mnt};

        Runner sandbox;
        const QString sb = sandbox.start({QStringLiteral("sandbox"), kProject,
                                          QStringLiteral("--listen"),
                                          QStringLiteral("127.0.0.1:0")});
        QVERIFY2(!sb.isEmpty(), qPrintable(sandbox.errors()));
        Runner serve;
        const QString base = serve.start({QStringLiteral("serve"), m_bundle,
                                          QStringLiteral("--db"), mnt + QStringLiteral("/j.db"),
                                          QStringLiteral("--init"),
                                          QStringLiteral("--sandbox-url"), sb,
                                          QStringLiteral("--listen"),
                                          QStringLiteral("127.0.0.1:0")});
        QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
        const QString hook = base + QStringLiteral("/hooks/pipeline");
        QHash<QString, QString> accepted; // event id -> instance id
        int next = 0;
        for (; next < 5; ++next) {
            const Http h = request("POST", hook, payload(next));
            QCOMPARE(h.status, 202);
            accepted.insert(QStringLiteral("S%1").arg(next),
                            h.json().object()[QStringLiteral("instanceId")].toString());
        }
        QCOMPARE(waitAllTerminal(base, 5, 30000).size(), 5);

        // Fill the file system.
        const QString fillerPath = mnt + QStringLiteral("/filler");
        {
            QFile filler(fillerPath);
            QVERIFY(filler.open(QIODevice::WriteOnly));
            const QByteArray block(64 * 1024, 'f');
            while (filler.write(block) > 0 && filler.flush()) {
            }
            const QByteArray small(512, 'f');
            while (filler.write(small) > 0 && filler.flush()) {
            }
        }
        int refused = 0;
        for (int i = 0; i < 40 && refused < 5; ++i, ++next) {
            const Http h = request("POST", hook, payload(next, 20000));
            if (h.status == 503) {
                ++refused;
                QCOMPARE(h.type, QByteArray("application/problem+json"));
                QVERIFY(!h.header("Retry-After").isEmpty());
                continue;
            }
            // Whatever is acknowledged was committed before the disk filled up.
            QVERIFY2(h.status == 202, qPrintable(QString::number(h.status) + h.body));
            accepted.insert(QStringLiteral("S%1").arg(next),
                            h.json().object()[QStringLiteral("instanceId")].toString());
        }
        QVERIFY2(refused > 0, "no webhook was refused on a full disk");
        qInfo() << "full disk:" << refused << "webhooks refused (503)," << accepted.size()
                << "acknowledged so far";
        int code = 0;
        const Http health = getJson(base + QStringLiteral("/api/health"), true);
        QCOMPARE(health.status, 503);
        QCOMPARE(health.json().object()[QStringLiteral("status")].toString(),
                 QStringLiteral("degraded"));
        QVERIFY2(!health.json().object()[QStringLiteral("reason")].toString().isEmpty(),
                 health.body.constData());
        QVERIFY(serve.running());

        // Space returns: the runner recovers by itself.
        QVERIFY(QFile::remove(fillerPath));
        QElapsedTimer t;
        t.start();
        QString status;
        while (t.elapsed() < 15000
               && (status = healthStatus(base, &code)) != QLatin1String("ok"))
            QTest::qWait(100);
        QCOMPARE(status, QStringLiteral("ok"));
        QCOMPARE(code, 200);
        for (int i = 0; i < 5; ++i, ++next) {
            const Http h = request("POST", hook, payload(next));
            QCOMPARE(h.status, 202);
            accepted.insert(QStringLiteral("S%1").arg(next),
                            h.json().object()[QStringLiteral("instanceId")].toString());
        }

        // Every acknowledged webhook completes, exactly once; nothing refused exists.
        const int n = int(accepted.size());
        const QJsonArray list = waitAllTerminal(base, n, 60000);
        QCOMPARE(list.size(), n);
        QSet<QString> ids;
        for (const auto &v : list) {
            const QJsonObject o = v.toObject();
            QCOMPARE(o[QStringLiteral("status")].toString(), QStringLiteral("completed"));
            ids.insert(o[QStringLiteral("id")].toString());
        }
        for (const QString &id : accepted)
            QVERIFY2(ids.contains(id), qPrintable(id));
        for (const QString &id : ids) {
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
            QVERIFY2(finals == 1, h.body.left(4000).constData());
        }
        // Effects outside: one record per acknowledged webhook and write.
        for (const QString &entity :
             {QStringLiteral("Customer"), QStringLiteral("Order"), QStringLiteral("Shipment")}) {
            const Http h = getJson(sb + QStringLiteral("/erp/") + entity);
            QCOMPARE(h.status, 200);
            QVERIFY2(h.json().array().size() == n,
                     qPrintable(entity + QStringLiteral(": %1 records for %2 webhooks")
                                             .arg(h.json().array().size()).arg(n)));
        }
        serve.stop();
        sandbox.stop();
    }
};

QTEST_GUILESS_MAIN(TestServeStorage)
#include "tst_serve_storage.moc"
