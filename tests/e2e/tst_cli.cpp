// switchboard-run as a separate process: its subcommands and exit codes are a public contract.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(SWITCHBOARD_RUN_EXE), args);
    Run r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

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
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
