// The studio's start: crash recovery of an untitled project across a killed process, the
// settings scope of tests and screenshot runs, and a missing file on the command line.
//
// The crash is real: this executable runs itself as a child studio (SB_STARTUP_CHILD=edit)
// that makes an untitled project with a new system, reports the autosave it wrote on its
// own, and is killed with SIGKILL. A fresh studio in this process must then offer and
// recover the project. Every process here uses a private SWITCHBOARD_SETTINGS_DIR.

#include "app/shell/autosave.h"
#include "app/landscape/landscapeeditor.h"
#include "app/studio.h"
#include "app/shell/studiocontroller.h"
#include "model/document.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QGuiApplication>
#include <QProcess>
#include <QScopeGuard>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>
#include <memory>

using namespace sb::model;

namespace {

constexpr char kChildEnv[] = "SB_STARTUP_CHILD";
const QString kSystemName = QStringLiteral("Recovered Xero");

QString studioExe()
{
    return QStringLiteral(SWITCHBOARD_STUDIO_EXE);
}

QString templateProject()
{
    return QStringLiteral(SWITCHBOARD_SOURCE_DIR
                          "/templates/quote-to-cash/quote-to-cash.switchboard");
}

// Child: an untitled project with one new system, then wait to be killed. The autosave must
// come from the studio's own timers: nothing here asks it to write.
int runEditChild()
{
    QQmlApplicationEngine engine;
    if (!studio::loadStudio(engine))
        return 3;
    QQuickWindow *window = studio::mainWindow(engine);
    StudioController *ctl = studio::controller(engine);
    auto *autosave = window->findChild<Autosave *>(QStringLiteral("autosave"));
    if (!autosave)
        return 4;
    QObject::connect(autosave, &Autosave::written, [](const QString &path) {
        std::printf("AUTOSAVED %s\n", qPrintable(path));
        std::fflush(stdout);
    });
    ctl->newProject();
    ctl->setCurrentView(StudioController::Landscape);
    QCoreApplication::processEvents();
    QQuickItem *canvas = studio::findItem(window->contentItem(),
                                          QStringLiteral("landscapeCanvas"));
    auto *editor = canvas ? qvariant_cast<LandscapeEditor *>(canvas->property("editor"))
                          : nullptr;
    if (!editor)
        return 5;
    const QString id = editor->addSystem(QStringLiteral("erp"), 300, 200);
    if (id.isEmpty() || !editor->renameSystem(id, kSystemName))
        return 6;
    std::printf("EDITED %s\n", qPrintable(id));
    std::fflush(stdout);
    return QCoreApplication::exec();
}

// An OpenAPI document of `schemas` object schemas, each with 18 described fields and a
// reference to the next one, so the importer expands chains up to 64 deep (as large real
// APIs do): 127 schemas give a project of about 35 MB.
QByteArray largeOpenApi(int schemas)
{
    QJsonObject all;
    for (int i = 0; i < schemas; ++i) {
        QJsonObject props;
        for (int f = 0; f < 18; ++f) {
            const QString type = f % 4 == 0 ? QStringLiteral("number")
                                            : QStringLiteral("string");
            const QString text = QStringLiteral("Field %1 of schema %2, described at the length "
                                                "a real API describes its fields.")
                                     .arg(f).arg(i);
            props.insert(QStringLiteral("field%1").arg(f),
                         QJsonObject{{QStringLiteral("type"), type},
                                     {QStringLiteral("description"), text}});
        }
        if (i + 1 < schemas) {
            const QString ref = QStringLiteral("#/components/schemas/Schema%1").arg(i + 1);
            props.insert(QStringLiteral("next"), QJsonObject{{QStringLiteral("$ref"), ref}});
        }
        all.insert(QStringLiteral("Schema%1").arg(i),
                   QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                               {QStringLiteral("required"), QJsonArray{QStringLiteral("field0")}},
                               {QStringLiteral("properties"), props}});
    }
    const QJsonObject doc{
        {QStringLiteral("openapi"), QStringLiteral("3.0.3")},
        {QStringLiteral("info"), QJsonObject{{QStringLiteral("title"), QStringLiteral("Large")},
                                             {QStringLiteral("version"), QStringLiteral("1")}}},
        {QStringLiteral("paths"), QJsonObject()},
        {QStringLiteral("components"), QJsonObject{{QStringLiteral("schemas"), all}}}};
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

} // namespace

class TestStartup : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void untitledProjectSurvivesAKill();
    void missingFileOnTheCommandLine();
    void screenshotRunsLeaveRecentProjectsAlone();
    void settingsDirHoldsRecentProjects();
    void largeImportedProjectOpensFromTheStartPage();
    void fileDialogsOpen();

private:
    QProcessEnvironment scopedEnv(const QString &settingsDir) const;
};

QProcessEnvironment TestStartup::scopedEnv(const QString &settingsDir) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    if (settingsDir.isEmpty())
        env.remove(QString::fromLatin1(studio::kSettingsDirEnv));
    else
        env.insert(QString::fromLatin1(studio::kSettingsDirEnv), settingsDir);
    return env;
}

void TestStartup::initTestCase()
{
    const QString dir = qEnvironmentVariable(studio::kSettingsDirEnv);
    QVERIFY2(!dir.isEmpty(), "main() sets a private settings folder");
    // The studio's own data folder lies inside the private folder, not in the user's home.
    QVERIFY2(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                 .startsWith(dir),
             qPrintable(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    QVERIFY(QSettings().fileName().startsWith(dir));
}

void TestStartup::untitledProjectSurvivesAKill()
{
    const QString untitled = Autosave::autosavePath(QString());
    QFile::remove(untitled);

    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(kChildEnv), QStringLiteral("edit"));
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForStarted());
    QByteArray out;
    QElapsedTimer timer;
    timer.start();
    while (!out.contains("AUTOSAVED") && timer.elapsed() < 60000
           && child.state() == QProcess::Running) {
        child.waitForReadyRead(200);
        out += child.readAllStandardOutput();
    }
    QVERIFY2(out.contains("EDITED"), out.constData());
    QVERIFY2(out.contains("AUTOSAVED " + untitled.toLocal8Bit()), out.constData());
    // Written within a few seconds of the edit, without a save or the 30 s timer.
    QVERIFY2(timer.elapsed() < 25000, qPrintable(QString::number(timer.elapsed())));
    child.kill();  // SIGKILL: no destructor, no close handler runs
    QVERIFY(child.waitForFinished(10000));
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);
    QVERIFY(QFile::exists(untitled));

    // A fresh studio: the start page offers the untitled project back.
    QQmlApplicationEngine engine;
    QVERIFY(studio::loadStudio(engine));
    QQuickWindow *window = studio::mainWindow(engine);
    StudioController *ctl = studio::controller(engine);
    QVERIFY(window && ctl);
    window->resize(1280, 800);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QVERIFY(!ctl->hasProject());
    QObject *dialog = window->findChild<QObject *>(QStringLiteral("recoveryDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->property("opened").toBool());
    // Click "Recover" as a user would.
    auto *accept = qobject_cast<QQuickItem *>(
        studio::findItem(window->contentItem(), QStringLiteral("dialogAccept")));
    if (!accept) {  // the dialog's footer lives in the overlay
        const auto popups = window->findChildren<QQuickItem *>(QStringLiteral("dialogAccept"));
        for (QQuickItem *item : popups) {
            if (item->isVisible())
                accept = item;
        }
    }
    QVERIFY(accept);
    QTRY_VERIFY(accept->isVisible() && accept->width() > 0);
    QTest::mouseClick(window, Qt::LeftButton, Qt::NoModifier,
                      accept->mapToScene(QPointF(accept->width() / 2, accept->height() / 2))
                          .toPoint());
    QTRY_VERIFY(ctl->hasProject());
    QTRY_VERIFY(!dialog->property("opened").toBool());
    const Project &p = ctl->document()->project();
    bool found = false;
    for (const System &s : p.systems)
        found = found || s.name == kSystemName;
    QVERIFY2(found, "the recovered project holds the system made before the kill");
    QVERIFY(ctl->fileName().isEmpty());      // still untitled: Save asks for a name
    QVERIFY(ctl->document()->isModified());
}

void TestStartup::missingFileOnTheCommandLine()
{
    QTemporaryDir scope;
    QProcess p;
    p.setProcessEnvironment(scopedEnv(scope.path()));
    const QString missing = scope.filePath(QStringLiteral("no-such-project.switchboard"));
    p.start(studioExe(), {missing});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY(p.exitCode() != 0);
    const QString err = QString::fromLocal8Bit(p.readAllStandardError());
    QVERIFY2(err.contains(missing) && err.contains(QStringLiteral("no such file")),
             qPrintable(err));

    p.start(studioExe(), {scope.path()});  // a folder is not a project either
    QVERIFY(p.waitForFinished(30000));
    QVERIFY(p.exitCode() != 0);
    const QString folderErr = QString::fromLocal8Bit(p.readAllStandardError());
    QVERIFY2(folderErr.contains(QStringLiteral("not a file")), qPrintable(folderErr));
}

// A screenshot run without SWITCHBOARD_SETTINGS_DIR must not touch the user's settings:
// with HOME pointing at a scratch folder, nothing of Switchboard appears under it.
void TestStartup::screenshotRunsLeaveRecentProjectsAlone()
{
    QTemporaryDir home;
    QProcessEnvironment env = scopedEnv(QString());
    env.insert(QStringLiteral("HOME"), home.path());
    env.remove(QStringLiteral("XDG_CONFIG_HOME"));
    env.remove(QStringLiteral("XDG_DATA_HOME"));
    QProcess p;
    p.setProcessEnvironment(env);
    const QString png = home.filePath(QStringLiteral("shot.png"));
    p.start(studioExe(), {QStringLiteral("--screenshot"), png, templateProject()});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(QFile::exists(png));
    QVERIFY2(!QFile::exists(home.filePath(QStringLiteral(".config/Switchboard"))),
             "a screenshot run wrote the user's settings");
    QVERIFY(!QFile::exists(home.filePath(QStringLiteral(".local/share/Switchboard"))));
}

// With SWITCHBOARD_SETTINGS_DIR the opened project is remembered there, and only there.
void TestStartup::settingsDirHoldsRecentProjects()
{
    QTemporaryDir home;
    QTemporaryDir scope;
    QProcessEnvironment env = scopedEnv(scope.path());
    env.insert(QStringLiteral("HOME"), home.path());
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(studioExe(), {QStringLiteral("--screenshot"), scope.filePath(QStringLiteral("s.png")),
                          templateProject()});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);
    QSettings settings(scope.filePath(QStringLiteral("config/Switchboard/Switchboard.conf")),
                       QSettings::IniFormat);
    const QStringList recent = settings.value(QStringLiteral("recentProjects")).toStringList();
    QVERIFY2(!recent.isEmpty()
                 && recent.first().endsWith(QStringLiteral("quote-to-cash.switchboard")),
             qPrintable(recent.join(QLatin1Char(','))));
    QVERIFY(!QFile::exists(home.filePath(QStringLiteral(".config/Switchboard"))));
}

// A project with a large imported API (127 schemas, about 35 MB) opened as a user does: a
// click on it in the start page's recent projects, with the studio already on screen.
void TestStartup::largeImportedProjectOpensFromTheStartPage()
{
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("large-api.switchboard"));
    QVERIFY(QFile::copy(templateProject(), project));
    QFile::setPermissions(project, QFile::ReadOwner | QFile::WriteOwner);
    const QString api = dir.filePath(QStringLiteral("large-api.json"));
    {
        QFile f(api);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(largeOpenApi(127));
    }
    QProcess import;
    import.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    import.start(QStringLiteral(SWITCHBOARD_RUN_EXE),
                 {QStringLiteral("import"), project, QStringLiteral("--system"),
                  QStringLiteral("erp"), QStringLiteral("--from"), api});
    QVERIFY(import.waitForFinished(300000));
    QCOMPARE(import.exitCode(), 0);
    const qint64 size = QFileInfo(project).size();
    qInfo("project with the imported API: %.1f MB", double(size) / 1e6);
    QVERIFY2(size > 30 * 1000 * 1000, qPrintable(QString::number(size)));

    QSettings().setValue(QStringLiteral("recentProjects"), QStringList{project});
    QQmlApplicationEngine engine;
    QVERIFY(studio::loadStudio(engine));
    QQuickWindow *window = studio::mainWindow(engine);
    StudioController *ctl = studio::controller(engine);
    QVERIFY(window && ctl);
    window->resize(1440, 900);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window));
    // A leftover recovery offer from another test would cover the page.
    if (QObject *dialog = window->findChild<QObject *>(QStringLiteral("recoveryDialog")))
        QMetaObject::invokeMethod(dialog, "close");
    QQuickItem *item = nullptr;
    QTRY_VERIFY((item = studio::findItem(window->contentItem(),
                                         QStringLiteral("recent_large-api.switchboard"))));
    QTRY_VERIFY(item->isVisible() && item->width() > 0);
    QTest::qWait(200);
    QTest::mouseClick(window, Qt::LeftButton, Qt::NoModifier,
                      item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint());
    QTRY_VERIFY_WITH_TIMEOUT(ctl->hasProject(), 120000);
    QCOMPARE(ctl->fileName(), project);
    // The project shown renders, again and again: the layouts settled without a crash. A
    // synchronous grab renders the scene itself, so it does not depend on when the render
    // loop schedules a frame (waiting for frameSwapped timed out in the full suite only).
    for (int i = 0; i < 3; ++i) {
        QTest::qWait(100);
        const QImage frame = window->grabWindow();
        QVERIFY(!frame.isNull() && frame.width() > 0);
    }
    const sb::model::System *erp = ctl->document()->project().system(QStringLiteral("erp"));
    QVERIFY(erp && erp->entities.size() >= 127);
    // Select the system: its inspector lists the imported entities.
    ctl->select(QStringLiteral("system:erp"));
    QSignalSpy swapped(window, &QQuickWindow::frameSwapped);
    window->requestUpdate();
    QVERIFY(swapped.wait(60000));
}

namespace {

// The visible item named `name` anywhere in the window (popups live in the overlay).
QQuickItem *visibleItem(QQuickItem *root, const QString &name)
{
    if (!root || !root->isVisible())
        return nullptr;
    if (root->objectName() == name)
        return root;
    const auto children = root->childItems();
    for (QQuickItem *child : children) {
        if (QQuickItem *found = visibleItem(child, name))
            return found;
    }
    return nullptr;
}

void clickItem(QQuickWindow *window, QQuickItem *item)
{
    QTest::mouseClick(window, Qt::LeftButton, Qt::NoModifier,
                      item->mapToScene(QPointF(item->width() / 2, item->height() / 2))
                          .toPoint());
}

} // namespace

// Qt Quick's own file dialog (no native dialog offscreen or on a bare X server) opens from
// Ctrl+O on the start page and from "Choose file..." in the import dialog, and lists the
// folder: it needs Qt.labs.folderlistmodel, whose absence crashed the studio. Screenshots
// of both go to the test's working directory.
void TestStartup::fileDialogsOpen()
{
    QTemporaryDir dir;
    QVERIFY(QFile::copy(templateProject(), dir.filePath(QStringLiteral("q2c.switchboard"))));
    QFile::setPermissions(dir.filePath(QStringLiteral("q2c.switchboard")),
                          QFile::ReadOwner | QFile::WriteOwner);
    {
        QFile api(dir.filePath(QStringLiteral("billing-api.json")));  // for the import dialog
        QVERIFY(api.open(QIODevice::WriteOnly));
        api.write(largeOpenApi(3));
    }
    const QString shots = QDir::currentPath();
    QDir::setCurrent(dir.path());  // the dialog starts in the working directory
    auto restore = qScopeGuard([shots] { QDir::setCurrent(shots); });
    QSettings().remove(QStringLiteral("recentProjects"));
    QQmlApplicationEngine engine;
    QVERIFY(studio::loadStudio(engine));
    QQuickWindow *window = studio::mainWindow(engine);
    StudioController *ctl = studio::controller(engine);
    QVERIFY(window && ctl);
    window->resize(1280, 800);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window));
    if (QObject *dialog = window->findChild<QObject *>(QStringLiteral("recoveryDialog")))
        QMetaObject::invokeMethod(dialog, "close");
    QVERIFY(!ctl->hasProject());

    QTest::keyClick(window, Qt::Key_O, Qt::ControlModifier);
    QQuickItem *files = nullptr;
    QTRY_VERIFY((files = visibleItem(window->contentItem(),
                                     QStringLiteral("fileDialogListView"))));
    // The folder model behind the list reads the folder: the project file is listed.
    QTRY_VERIFY(files->property("count").toInt() >= 1);
    QTest::qWait(300);
    QVERIFY(window->grabWindow().save(shots + QStringLiteral("/filedialog-open.png")));
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_VERIFY(!visibleItem(window->contentItem(), QStringLiteral("fileDialogListView")));

    QVERIFY(ctl->openProject(dir.filePath(QStringLiteral("q2c.switchboard"))));
    ctl->setCurrentView(StudioController::Landscape);
    ctl->select(QStringLiteral("system:erp"));
    QQuickItem *importButton = nullptr;
    QTRY_VERIFY((importButton = visibleItem(window->contentItem(),
                                            QStringLiteral("importButton"))));
    clickItem(window, importButton);
    QQuickItem *choose = nullptr;
    QTRY_VERIFY((choose = visibleItem(window->contentItem(),
                                      QStringLiteral("chooseFileButton"))));
    QTRY_VERIFY(choose->width() > 0 && choose->isEnabled());
    QTest::qWait(300);  // the import dialog's opening transition
    clickItem(window, choose);
    QTRY_VERIFY((files = visibleItem(window->contentItem(),
                                     QStringLiteral("fileDialogListView"))));
    QTRY_VERIFY(files->property("count").toInt() >= 1);
    QTest::qWait(300);
    QVERIFY(window->grabWindow().save(shots + QStringLiteral("/filedialog-import.png")));
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_VERIFY(!visibleItem(window->contentItem(), QStringLiteral("fileDialogListView")));
    QVERIFY(ctl->hasProject());
}

int main(int argc, char *argv[])
{
    // One private settings folder for this process and the child it starts.
    std::unique_ptr<QTemporaryDir> scope;
    if (qEnvironmentVariableIsEmpty(studio::kSettingsDirEnv)) {
        scope = std::make_unique<QTemporaryDir>();
        qputenv(studio::kSettingsDirEnv, QFile::encodeName(scope->path()));
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    studio::prepareApplication();
    QGuiApplication app(argc, argv);
    if (qEnvironmentVariable(kChildEnv) == QLatin1String("edit"))
        return runEditChild();
    TestStartup test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_startup.moc"
