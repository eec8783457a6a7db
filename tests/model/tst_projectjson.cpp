// The project file format: lossless, deterministic, atomic, and precise about bad input.
#include "model/projectjson.h"
#include "sampleproject.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace sb::model;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A project large enough that writing it takes a while, so a kill lands mid-write.
Project bigProject(int variant)
{
    Project p = sb::testing::richProject();
    p.name = QStringLiteral("variant %1").arg(variant);
    const System base = p.systems.first();
    for (int i = 0; i < 3000; ++i) {
        System s = base;
        s.id = QStringLiteral("sys-%1").arg(i);
        s.position = QPointF(i * 10 + variant, i);
        p.systems.push_back(s);
    }
    return p;
}

// Child process mode: save two different big projects over the same file until killed.
int saveLoop(const QString &fileName)
{
    const QByteArray a = serializeProject(bigProject(1));
    const QByteArray b = serializeProject(bigProject(2));
    for (int i = 0;; ++i) {
        if (!writeFileAtomically(fileName, i % 2 ? b : a).ok())
            return 3;
    }
}

} // namespace

class TestProjectJson : public QObject
{
    Q_OBJECT
private slots:
    void roundTripIsLosslessAndByteIdentical()
    {
        const Project original = sb::testing::richProject();
        const QByteArray first = serializeProject(original);
        auto parsed = parseProject(first, QStringLiteral("rich.json"));
        QVERIFY2(parsed.ok(), qPrintable(parsed.error().toString()));
        QVERIFY(parsed.value() == original);
        QCOMPARE(serializeProject(parsed.value()), first);
    }

    void savingIsDeterministic()
    {
        QCOMPARE(serializeProject(sb::testing::richProject()),
                 serializeProject(sb::testing::richProject()));
        // Defaults are left out so that files stay small and diff well.
        QVERIFY(!serializeProject(Project{}).contains("\"systems\""));
    }

    void saveAndLoadThroughDisk()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.switchboard"));
        QVERIFY(saveProject(sb::testing::richProject(), path).ok());
        auto loaded = loadProject(path);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error().toString()));
        QVERIFY(loaded.value() == sb::testing::richProject());
        // No temporary file is left beside the project.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
    }

    void failedSaveLeavesOldFileWhole()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.switchboard"));
        QVERIFY(saveProject(sb::testing::richProject(), path).ok());
        const QByteArray before = readAll(path);
        // A folder that can no longer be written: the save must fail and change nothing.
        QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner);
        Project changed = sb::testing::richProject();
        changed.name = QStringLiteral("changed");
        auto result = saveProject(changed, path);
        QFile::setPermissions(dir.path(),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        if (result.ok())
            QSKIP("running as a user who may write into read-only folders (root)");
        QVERIFY(result.error().message.contains(QLatin1String("cannot")));
        QCOMPARE(readAll(path), before);
    }

    void crashMidSaveLeavesAWholeFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.switchboard"));
        const QByteArray a = serializeProject(bigProject(1));
        const QByteArray b = serializeProject(bigProject(2));
        QVERIFY(writeFileAtomically(path, a).ok());
        auto *rng = QRandomGenerator::global();
        for (int round = 0; round < 8; ++round) {
            QProcess child;
            child.start(QCoreApplication::applicationFilePath(),
                        {QStringLiteral("--save-loop"), path});
            QVERIFY(child.waitForStarted());
            QTest::qWait(100 + int(rng->bounded(250)));
            ::kill(pid_t(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished());
            const QByteArray now = readAll(path);
            QVERIFY2(now == a || now == b, "the project file was left half written");
            QVERIFY(parseProject(now).ok());
        }
    }

    void malformedFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::newRow("truncated") << "truncated.json" << 8 << "" << "truncated";
        QTest::newRow("empty") << "empty.json" << 1 << "" << "invalid JSON";
        QTest::newRow("wrong type") << "wrong-type.json" << 7
                                    << "/systems/1/entities/0/fields/0/required"
                                    << "'required' must be true or false, found a string";
        QTest::newRow("unknown step") << "unknown-step.json" << 10
                                      << "/workflows/0/edges/1/to"
                                      << "edge to unknown step 'ghost'";
        QTest::newRow("unknown system") << "unknown-flow-system.json" << 6 << "/flows/0/to"
                                        << "flow refers to unknown system 'erp'";
        QTest::newRow("future version") << "future-version.json" << 3 << "/version"
                                        << "newer than this Switchboard";
        QTest::newRow("wrong format") << "wrong-format.json" << 2 << "/format"
                                      << "not a Switchboard project";
        QTest::newRow("duplicate id") << "duplicate-id.json" << 5 << "/systems/1"
                                      << "duplicate system id 'crm'";
        QTest::newRow("unknown key") << "unknown-key.json" << 5 << "/systems/0/colour"
                                     << "unknown key 'colour'";
        QTest::newRow("unknown enum") << "unknown-enum.json" << 5 << "/systems/0/kind"
                                      << "unknown kind 'spreadsheet'";
    }

    void malformedFiles()
    {
        QFETCH(QString, file);
        QFETCH(int, line);
        QFETCH(QString, path);
        QFETCH(QString, message);
        const QString fileName = QStringLiteral(SWITCHBOARD_TEST_DATA "/malformed/") + file;
        auto result = loadProject(fileName);
        QVERIFY(!result.ok());
        const sb::Error &e = result.error();
        QCOMPARE(e.file, fileName);
        QCOMPARE(e.line, line);
        QVERIFY(e.column >= 1);
        if (!path.isEmpty())
            QCOMPARE(e.path, path);
        QVERIFY2(e.message.contains(message), qPrintable(e.message));
        // The rendered message leads with file:line:column so editors can jump to it.
        QVERIFY(e.toString().startsWith(
            QStringLiteral("%1:%2:%3: ").arg(fileName).arg(line).arg(e.column)));
    }

    void columnPointsAtTheValue()
    {
        const QByteArray text = "{\"format\": \"switchboard-project\", \"version\": 1,\n"
                                "  \"systems\": [{\"id\": \"a\", \"kind\": 42}]}";
        auto result = parseProject(text, QStringLiteral("inline"));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().line, 2);
        QCOMPARE(result.error().column, 35); // the 42
    }

    void version1WebhooksMigrateToExplicitNone()
    {
        const QByteArray v1 = R"({"format": "switchboard-project", "version": 1, "name": "Old",
            "workflows": [
              {"id": "hook", "trigger": {"type": "webhook"}},
              {"id": "implicit", "trigger": {}},
              {"id": "evt", "trigger": {"type": "event", "topic": "t"}}]})";
        auto parsed = parseProject(v1);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error().toString()));
        const Project &p = parsed.value();
        auto authOf = [&p](const char *id) {
            return p.workflow(QLatin1String(id))->trigger.auth.type;
        };
        QVERIFY(authOf("hook") == WebhookAuthType::None);
        QVERIFY(authOf("implicit") == WebhookAuthType::None);
        QVERIFY(authOf("evt") == WebhookAuthType::Unset);
        const QByteArray saved = serializeProject(p);
        QVERIFY(saved.contains("\"version\": 2"));
        QCOMPARE(saved.count("\"auth\""), 2);
        // A current file says what it means: no auth stays no auth.
        auto v2 = parseProject(R"({"format": "switchboard-project", "version": 2, "name": "New",
            "workflows": [{"id": "hook", "trigger": {"type": "webhook"}}]})");
        QVERIFY(v2.ok());
        QVERIFY(v2.value().workflows[0].trigger.auth.type == WebhookAuthType::Unset);
    }

    void webhookAuthIsCheckedOnLoad_data()
    {
        QTest::addColumn<QByteArray>("auth");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown type") << QByteArray(R"({"type": "md5"})")
                                      << "/workflows/0/trigger/auth/type" << "unknown type 'md5'";
        QTest::newRow("no type") << QByteArray(R"({"secret": "env:X"})")
                                 << "/workflows/0/trigger/auth" << "'type'";
        QTest::newRow("zero tolerance")
            << QByteArray(R"({"type": "hmac-sha256", "secret": "env:X", "toleranceSeconds": 0})")
            << "/workflows/0/trigger/auth/toleranceSeconds" << "at least 1";
        QTest::newRow("unknown key") << QByteArray(R"({"type": "bearer", "token": "env:X"})")
                                     << "/workflows/0/trigger/auth/token" << "unknown key";
    }

    void webhookAuthIsCheckedOnLoad()
    {
        QFETCH(QByteArray, auth);
        QFETCH(QString, path);
        QFETCH(QString, message);
        const QByteArray text = R"({"format": "switchboard-project", "version": 2, "name": "N",
            "workflows": [{"id": "hook", "trigger": {"type": "webhook", "auth": )" + auth
                                + "}}]}";
        auto parsed = parseProject(text);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().path, path);
        QVERIFY2(parsed.error().message.contains(message), qPrintable(parsed.error().message));
    }

    void deepNestingIsRefusedBeforeParsing()
    {
        QByteArray text = R"({"format": "switchboard-project", "version": 2, "name": "D", "x": )";
        text += QByteArray(100000, '[') + QByteArray(100000, ']') + "}";
        auto parsed = parseProject(text, QStringLiteral("deep.switchboard"));
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().file, QStringLiteral("deep.switchboard"));
        QCOMPARE(parsed.error().line, 1);
    }

    void missingFileNamesTheFile()
    {
        auto result = loadProject(QStringLiteral("/nonexistent/x.switchboard"));
        QVERIFY(!result.ok());
        QVERIFY(result.error().toString().startsWith(QLatin1String("/nonexistent/x.switchboard")));
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc == 3 && qstrcmp(argv[1], "--save-loop") == 0)
        return saveLoop(QString::fromLocal8Bit(argv[2]));
    TestProjectJson test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_projectjson.moc"
