// Waits over real processes: `sandbox` and `serve --sandbox-url`. A bank statement booked
// before the wait began never resumes it — not when it is first read, not when a restarted
// serve reads the sandbox's history again, not after the sandbox restarts too; a statement
// booked afterwards does (the restarted sandbox numbers its events on, never from 1).
#include "serve_harness.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace e2e;

namespace {

const QString kProject =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/runtime/data/semantics/semantics.switchboard");

QByteArray statement(const char *id, const char *ref)
{
    return QByteArray(R"({"id":")") + id + R"(","payment":{"ref":")" + ref + R"("}})";
}

// The status of instance `id` once it is `want`, or what it is after `ms`.
QString statusOf(const QString &base, const QString &id, const QString &want, int ms)
{
    QElapsedTimer t;
    t.start();
    QString status;
    do {
        const Http h = getJson(base + QStringLiteral("/api/instances/") + id, true);
        status = h.json().object()[QStringLiteral("status")].toString();
        if (status == want)
            return status;
        QTest::qWait(100);
    } while (t.elapsed() < ms);
    return status;
}

} // namespace

class TestServeWaits : public QObject
{
    Q_OBJECT
private slots:
    void historyNeverResumesAWait();
};

void TestServeWaits::historyNeverResumesAWait()
{
    QTemporaryDir dir;
    const QString bundle = dir.filePath(QStringLiteral("semantics.json"));
    QVERIFY(exportBundle(kProject, bundle));
    Runner sandbox;
    const QString sb = sandbox.start({QStringLiteral("sandbox"), kProject,
                                      QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    QVERIFY2(!sb.isEmpty(), qPrintable(sandbox.errors()));
    const quint16 sbPort = sandbox.port();
    // Booked before anything waits for it.
    QCOMPARE(request("POST", sb + QStringLiteral("/bank/Statement"), statement("ST-1", "R-1"))
                 .status,
             201);

    const QStringList args{QStringLiteral("serve"), bundle, QStringLiteral("--db"),
                           dir.filePath(QStringLiteral("serve.db")), QStringLiteral("--init"),
                           QStringLiteral("--sandbox-url"), sb, QStringLiteral("--listen"),
                           QStringLiteral("127.0.0.1:0")};
    Runner serve;
    QString base = serve.start(args);
    QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
    const Http started = request("POST", base + QStringLiteral("/hooks/waiter"),
                                 R"({"id":"A1","ref":"R-1"})");
    QCOMPARE(started.status, 202);
    const QString id = started.json().object()[QStringLiteral("instanceId")].toString();
    QCOMPARE(statusOf(base, id, QStringLiteral("waiting"), 20000), QStringLiteral("waiting"));
    // serve has read ST-1 by now (it polls every 200 ms): still waiting.
    QCOMPARE(statusOf(base, id, QStringLiteral("completed"), 1500), QStringLiteral("waiting"));

    // A restarted serve reads the sandbox's history again: still waiting.
    serve.kill();
    base = serve.start(args);
    QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
    QCOMPARE(statusOf(base, id, QStringLiteral("completed"), 1500), QStringLiteral("waiting"));

    // The sandbox restarts on the same port (its history is gone, its numbering goes on),
    // serve restarts too: still waiting, until a statement is booked now.
    sandbox.stop();
    serve.kill();
    const QString sb2 = sandbox.start({QStringLiteral("sandbox"), kProject,
                                       QStringLiteral("--listen"),
                                       QStringLiteral("127.0.0.1:%1").arg(sbPort)});
    QCOMPARE(sb2, sb);
    base = serve.start(args);
    QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
    QCOMPARE(statusOf(base, id, QStringLiteral("completed"), 1500), QStringLiteral("waiting"));
    QCOMPARE(request("POST", sb + QStringLiteral("/bank/Statement"), statement("ST-2", "R-1"))
                 .status,
             201);
    QCOMPARE(statusOf(base, id, QStringLiteral("completed"), 20000),
             QStringLiteral("completed"));
    serve.stop();
    sandbox.stop();
}

QTEST_GUILESS_MAIN(TestServeWaits)
#include "tst_serve_waits.moc"
