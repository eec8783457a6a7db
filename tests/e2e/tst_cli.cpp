// switchboard-run as a separate process: its subcommands and exit codes are a public contract.
#include "tests/support/process.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace sb::testsupport;

namespace {

const QString kTemplate =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash/quote-to-cash.switchboard");

} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private slots:
    void helpAndUsage()
    {
        const Run help = run({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QLatin1String("validate PROJECT")));
        QCOMPARE(run({}).exitCode, 2);
        const Run unknown = run({QStringLiteral("frobnicate")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains(QLatin1String("unknown command 'frobnicate'")));
        QCOMPARE(run({QStringLiteral("validate")}).exitCode, 2);
    }

    void validateExampleHasNoErrors()
    {
        QVERIFY2(QFile::exists(kTemplate), "the Quote-to-Cash template is missing");
        const Run r = run({QStringLiteral("validate"), kTemplate});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY(r.out.contains(QLatin1String("0 error(s)")));
        QVERIFY(!r.out.contains(QLatin1String(": error [")));
    }

    void validateOwnershipConflictNamesRuleFieldAndSystems()
    {
        const Run r = run({QStringLiteral("validate"),
                           QStringLiteral(SWITCHBOARD_TEST_DATA "/ownership-conflict.switchboard")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QLatin1String("ownership.multiple-owners")), qPrintable(r.out));
        QVERIFY(r.out.contains(QLatin1String("Customer.taxId")));
        QVERIFY(r.out.contains(QLatin1String("crm")));
        QVERIFY(r.out.contains(QLatin1String("erp")));
    }

    void validateJsonOutput()
    {
        const Run r = run({QStringLiteral("validate"),
                           QStringLiteral(SWITCHBOARD_TEST_DATA "/ownership-conflict.switchboard"),
                           QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QVERIFY(o.value(QLatin1String("errors")).toInt() >= 1);
        QVERIFY(!o.value(QLatin1String("findings")).toArray().isEmpty());
    }

    void validateUnreadableInputExitsTwoWithLocation()
    {
        QTemporaryDir dir;
        const QString bad = dir.filePath(QStringLiteral("bad.switchboard"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\n  \"format\": \"switchboard-project\",\n  \"version\": 1,\n  \"systems\": [\n");
        f.close();
        const Run r = run({QStringLiteral("validate"), bad});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(bad + QStringLiteral(":5:")), qPrintable(r.err));

        const Run missing = run({QStringLiteral("validate"), dir.filePath(QStringLiteral("no"))});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains(QLatin1String("cannot open")));
    }

    // A FIFO would block the reader forever and a huge file would be read whole: both are
    // refused from their metadata, before anything is read.
    void nonRegularAndOversizeFilesExitTwo()
    {
        QTemporaryDir dir;
        const QString fifo = dir.filePath(QStringLiteral("pipe.switchboard"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const Run r = run({QStringLiteral("validate"), fifo});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(fifo) && r.err.contains(QLatin1String("not a regular file")),
                 qPrintable(r.err));
        const Run served = run({QStringLiteral("serve"), fifo, QStringLiteral("--db"),
                                dir.filePath(QStringLiteral("x.db")), QStringLiteral("--listen"),
                                QStringLiteral("127.0.0.1:0")});
        QCOMPARE(served.exitCode, 2);
        QVERIFY2(served.err.contains(fifo), qPrintable(served.err));

        const Run directory = run({QStringLiteral("validate"), dir.path()});
        QCOMPARE(directory.exitCode, 2);
        QVERIFY2(directory.err.contains(QLatin1String("not a regular file")),
                 qPrintable(directory.err));

        // One byte over 256 MB, sparse: costs no disk, and reading it would take a while.
        const QString big = dir.filePath(QStringLiteral("big.switchboard"));
        QFile f(big);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(256LL * 1024 * 1024 + 1));
        f.close();
        const Run huge = run({QStringLiteral("validate"), big});
        QCOMPARE(huge.exitCode, 2);
        QVERIFY2(huge.err.contains(big) && huge.err.contains(QLatin1String("limit")),
                 qPrintable(huge.err));
    }

    void validateReportsWebhookAuth()
    {
        // Version 1 files had unsigned webhooks: they migrate to an explicit "none", run on,
        // and validate warns. A current file without auth is an error.
        QTemporaryDir dir;
        auto write = [&](const QString &name, const QByteArray &text) {
            QFile f(dir.filePath(name));
            f.open(QIODevice::WriteOnly);
            f.write(text);
            return f.fileName();
        };
        const QByteArray project =
            R"({"format": "switchboard-project", "version": %V, "name": "Hooks",
                "workflows": [{"id": "in", "trigger": {"type": "webhook" %A}}]})";
        auto text = [&](const char *version, const char *auth) {
            QByteArray t = project;
            return t.replace("%V", version).replace("%A", auth);
        };
        const QString validate = QStringLiteral("validate");
        const Run old = run({validate, write("old.switchboard", text("1", ""))});
        QCOMPARE(old.exitCode, 0);
        QVERIFY2(old.out.contains(QLatin1String("warning [webhook.unsigned]")),
                 qPrintable(old.out));
        const Run unset = run({validate, write("v2.switchboard", text("2", ""))});
        QCOMPARE(unset.exitCode, 1);
        QVERIFY2(unset.out.contains(QLatin1String("error [webhook.no-auth]")),
                 qPrintable(unset.out));
        const Run literal = run({validate,
                                 write("lit.switchboard",
                                       text("2", R"(, "auth": {"type": "hmac-sha256",
                                                     "secret": "s3cr3t-value"})"))});
        QCOMPARE(literal.exitCode, 1);
        QVERIFY2(literal.out.contains(QLatin1String("error [webhook.literal-secret]")),
                 qPrintable(literal.out));
        QVERIFY(!literal.out.contains(QLatin1String("s3cr3t-value")));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
