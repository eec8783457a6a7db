// switchboard-run export + serve as real processes on a free loopback port.
#include "tests/support/http.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString kFixture =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/runtime/data/engine/engine.switchboard");

using sb::testsupport::Http;

// The admin API wants the token the test starts serve with.
Http request(const QByteArray &method, const QString &url, const QByteArray &body = {},
             const QByteArray &token = {})
{
    return sb::testsupport::request(method, url, body, {}, token, 10000);
}

} // namespace

class TestServe : public QObject
{
    Q_OBJECT
private slots:
    void webhooksAdminMetricsAndShutdown()
    {
        QTemporaryDir dir;
        const QString bundle = dir.filePath(QStringLiteral("b.json"));
        QProcess exp;
        exp.start(QStringLiteral(SWITCHBOARD_RUN_EXE),
                  {QStringLiteral("export"), kFixture, QStringLiteral("-o"), bundle});
        QVERIFY(exp.waitForFinished(30000));
        QCOMPARE(exp.exitCode(), 0);

        QProcess serve;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SWITCHBOARD_ADMIN_TOKEN"), QStringLiteral("t0ken"));
        serve.setProcessEnvironment(env);
        serve.start(QStringLiteral(SWITCHBOARD_RUN_EXE),
                    {QStringLiteral("serve"), bundle, QStringLiteral("--db"),
                     dir.filePath(QStringLiteral("s.db")), QStringLiteral("--init"),
                     QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QString base;
        for (int i = 0; i < 100 && base.isEmpty(); ++i) {
            serve.waitForReadyRead(100);
            const QString out = QString::fromUtf8(serve.readAllStandardOutput());
            const qsizetype at = out.indexOf(QLatin1String("http://"));
            if (at >= 0)
                base = out.mid(at).section(QLatin1Char('\n'), 0, 0).trimmed();
        }
        QVERIFY2(!base.isEmpty(), "serve did not print its address");

        QStringList ids;
        for (int i = 0; i < 5; ++i) {
            const QByteArray body = QStringLiteral(R"({"id":"A%1","name":"Acme %1","rev":1})")
                                        .arg(i).toUtf8();
            const Http h = request("POST", base + QStringLiteral("/hooks/sync"), body);
            QCOMPARE(h.status, 202);
            ids << QJsonDocument::fromJson(h.body).object()[QStringLiteral("instanceId")]
                       .toString();
        }
        const Http dup = request("POST", base + QStringLiteral("/hooks/sync"),
                                 R"({"id":"A0","name":"Acme 0","rev":1})");
        QCOMPARE(dup.status, 200);
        QCOMPARE(QJsonDocument::fromJson(dup.body).object()[QStringLiteral("instanceId")]
                     .toString(), ids[0]);
        const Http bad = request("POST", base + QStringLiteral("/hooks/sync"), "{not json");
        QCOMPARE(bad.status, 400);
        QVERIFY(bad.body.contains("\"status\":400"));
        QCOMPARE(request("GET", base + QStringLiteral("/api/instances")).status, 401);
        QCOMPARE(request("GET", base + QStringLiteral("/api/health"), {}, "wrong").status, 401);
        QCOMPARE(request("GET", base + QStringLiteral("/api/health"), {}, "t0ken").status, 200);

        for (const QString &id : ids) {
            QString status;
            for (int i = 0; i < 100 && status != QLatin1String("completed"); ++i) {
                const Http h = request("GET", base + QStringLiteral("/api/instances/") + id, {},
                                       "t0ken");
                QCOMPARE(h.status, 200);
                const QJsonObject o = QJsonDocument::fromJson(h.body).object();
                status = o[QStringLiteral("status")].toString();
                if (status != QLatin1String("completed"))
                    QTest::qWait(50);
                else
                    QVERIFY(o[QStringLiteral("journal")].toArray().size() >= 5);
            }
            QCOMPARE(status, QStringLiteral("completed"));
        }
        const Http metrics = request("GET", base + QStringLiteral("/metrics"));
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.body.contains("switchboard_instances{status=\"completed\"} 5"));
        QVERIFY(metrics.body.contains("switchboard_http_requests_total"));

        serve.terminate(); // SIGTERM: drain and exit 0
        QVERIFY(serve.waitForFinished(10000));
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
