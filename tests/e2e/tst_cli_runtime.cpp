// switchboard-run export and sandbox as separate processes: outputs and exit codes.
#include "tests/support/process.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace sb::testsupport;

namespace {

const QString kMini =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/runtime/data/mini/mini.switchboard");
const QString kTemplate =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash/quote-to-cash.switchboard");

// The mini project with one change to its text, written into `dir`.
QString variant(const QTemporaryDir &dir, const QByteArray &from, const QByteArray &to)
{
    QFile in(kMini);
    in.open(QIODevice::ReadOnly);
    QByteArray text = in.readAll();
    text.replace(from, to);
    const QString path = dir.filePath(QStringLiteral("variant.switchboard"));
    QFile out(path);
    out.open(QIODevice::WriteOnly);
    out.write(text);
    return path;
}

} // namespace

class TestCliRuntime : public QObject
{
    Q_OBJECT
private slots:
    void exportWritesAVerifiedBundle()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath("mini.bundle.json");
        const Run r = run({"export", kMini, "-o", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY(r.out.contains("sha256:"));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject b = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(b["format"].toString(), QStringLiteral("switchboard-bundle"));
        QCOMPARE(b["version"].toInt(), 1);
        QCOMPARE(b["profile"].toString(), QStringLiteral("sandbox"));

        const Run live = run({"export", kMini, "-o", dir.filePath("live.json"), "--profile",
                              "production"});
        QVERIFY2(live.exitCode == 0, qPrintable(live.err));
    }

    void exportTemplate()
    {
        if (!QFile::exists(kTemplate))
            QSKIP("the Quote-to-Cash template is not there yet");
        QTemporaryDir dir;
        const Run r = run({"export", kTemplate, "-o", dir.filePath("q2c.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        // The operator learns what to set: the admin token and the webhook's signing secret.
        QVERIFY2(r.out.contains("environment the runner needs:"), qPrintable(r.out));
        QVERIFY2(r.out.contains(QRegularExpression("\n  SWITCHBOARD_ADMIN_TOKEN +\\S")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QRegularExpression(
                     "\n  Q2C_WEBHOOK_SECRET +hmac-sha256 secret of webhook "
                     "'closed-won-to-cash'")),
                 qPrintable(r.out));
    }

    void exportRefusals()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath("x.json");
        // Usage errors.
        QCOMPARE(run({"export"}).exitCode, 2);
        QCOMPARE(run({"export", kMini}).exitCode, 2);
        QCOMPARE(run({"export", kMini, "-o"}).exitCode, 2);
        QCOMPARE(run({"export", kMini, "-o", out, "--frobnicate"}).exitCode, 2);
        const Run missing = run({"export", "/nonexistent/p.switchboard", "-o", out});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains("/nonexistent/p.switchboard"));

        // A profile no system has: they all stay on the sandbox, and export says so.
        const Run profile = run({"export", kMini, "-o", out, "--profile", "staging"});
        QCOMPARE(profile.exitCode, 0);
        QVERIFY2(profile.out.contains("on the sandbox (no profile 'staging'): crm, erp"),
                 qPrintable(profile.out));
        QVERIFY(QFile::exists(out));
        QVERIFY(QFile::remove(out)); // the refusals below must not write it

        // A literal secret: exit 2, names system and profile, never prints the secret.
        const QString secret = variant(dir, "\"env:ERP_TOKEN\"", "\"hunter2-literal\"");
        const Run s = run({"export", secret, "-o", out});
        QCOMPARE(s.exitCode, 2);
        QVERIFY2(s.err.contains("system 'erp'") && s.err.contains("profile 'production'"),
                 qPrintable(s.err));
        QVERIFY(s.err.contains("literal secret"));
        QVERIFY(!s.err.contains("hunter2"));
        QVERIFY(!QFile::exists(out));

        // Validation errors: exit 1 with the findings.
        const QString broken = variant(dir, "\"system\": \"erp\",\n          \"entity\"",
                                       "\"system\": \"nowhere\",\n          \"entity\"");
        const Run v = run({"export", broken, "-o", out});
        QCOMPARE(v.exitCode, 1);
        QVERIFY2(v.err.contains("error [") && v.err.contains("nowhere"), qPrintable(v.err));
        QVERIFY(!QFile::exists(out));

        // Malformed project: exit 2 with file:line:column.
        const QString malformed = variant(dir, "\"name\": \"Mini order sync\",", "\"name\": ,");
        const Run m = run({"export", malformed, "-o", out});
        QCOMPARE(m.exitCode, 2);
        QVERIFY2(m.err.contains("variant.switchboard:4:"), qPrintable(m.err));
    }

    void sandboxUsageAndShutdown()
    {
        QCOMPARE(run({"sandbox"}).exitCode, 2);
        QCOMPARE(run({"sandbox", kMini, "--listen", "nonsense"}).exitCode, 2);
        QCOMPARE(run({"sandbox", kMini, "--seed", "abc"}).exitCode, 2);
        const Run missing = run({"sandbox", "/nonexistent/p.switchboard"});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains("/nonexistent/p.switchboard"));

        QProcess p;
        p.start(runnerPath(), {"sandbox", kMini});
        QVERIFY(p.waitForStarted());
        const QString line = readFirstLine(p);
        // Loopback unless told otherwise.
        QVERIFY2(line.startsWith("listening on http://127.0.0.1:"), qPrintable(line));
        const int port = line.trimmed().section(':', -1).toInt();
        QVERIFY(port > 0);
        // The same port is taken now: a second sandbox fails cleanly.
        const Run busy = run({"sandbox", kMini, "--listen",
                              QStringLiteral("127.0.0.1:%1").arg(port)});
        QCOMPARE(busy.exitCode, 2);
        QVERIFY(busy.err.contains("cannot listen"));
        p.terminate();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCliRuntime)
#include "tst_cli_runtime.moc"
