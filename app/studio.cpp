#include "app/studio.h"

#include "app/darkiconprovider.h"
#include "app/shell/studiocontroller.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSurfaceFormat>
#include <QtQml/QQmlExtensionPlugin>

// The features' QML modules are static plugins: importing them here, in the object file that
// loadStudio() lives in, links and registers them in every program that loads the studio.
Q_IMPORT_QML_PLUGIN(SwitchboardControlsPlugin)
Q_IMPORT_QML_PLUGIN(SwitchboardShellPlugin)
Q_IMPORT_QML_PLUGIN(SwitchboardLandscapePlugin)
Q_IMPORT_QML_PLUGIN(SwitchboardModelPlugin)
Q_IMPORT_QML_PLUGIN(SwitchboardOwnershipPlugin)
Q_IMPORT_QML_PLUGIN(SwitchboardMappingsPlugin)
Q_IMPORT_QML_PLUGIN(SwitchboardWorkflowsPlugin)
Q_IMPORT_QML_PLUGIN(SwitchboardRunPlugin)

namespace studio {

void prepareApplication()
{
    // A private settings folder for tests and screenshot runs: recent projects, autosaves
    // and run databases go there instead of the user's (QStandardPaths and QSettings
    // follow the XDG variables).
    const QByteArray scope = qgetenv(kSettingsDirEnv);
    if (!scope.isEmpty()) {
        qputenv("XDG_CONFIG_HOME", scope + "/config");
        qputenv("XDG_DATA_HOME", scope + "/data");
        qputenv("XDG_CACHE_HOME", scope + "/cache");
        qputenv("XDG_STATE_HOME", scope + "/state");
    }
    QCoreApplication::setOrganizationName(QStringLiteral("Switchboard"));
    QCoreApplication::setApplicationName(QStringLiteral("Switchboard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));
    // Lets the desktop match windows to the installed launcher and its icon.
    QGuiApplication::setDesktopFileName(QStringLiteral("org.switchboard.Switchboard"));
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    // Multisampling gives the canvas edges (Qt Quick Shapes) smooth, antialiased curves.
    QSurfaceFormat format = QSurfaceFormat::defaultFormat();
    format.setSamples(4);
    QSurfaceFormat::setDefaultFormat(format);
}

bool loadStudio(QQmlApplicationEngine &engine, const QString &project)
{
    auto *ctl = controller(engine);
    // Where the features' modules live in the resources (Qt 6.4 does not search it itself).
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    if (!engine.imageProvider(QStringLiteral("icon-dark")))
        engine.addImageProvider(QStringLiteral("icon-dark"), new DarkIconProvider);
    engine.load(QUrl(QString::fromLatin1(kMainQmlUrl)));
    if (engine.rootObjects().isEmpty())
        return false;
    if (!project.isEmpty())
        ctl->openProject(project);
    return true;
}

StudioController *controller(QQmlApplicationEngine &engine)
{
    // The QML singleton factory (StudioController::create) picks up this instance.
    auto *ctl = engine.findChild<StudioController *>(QString(), Qt::FindDirectChildrenOnly);
    return ctl ? ctl : new StudioController(&engine);
}

QQuickWindow *mainWindow(QQmlApplicationEngine &engine)
{
    const auto roots = engine.rootObjects();
    return roots.isEmpty() ? nullptr : qobject_cast<QQuickWindow *>(roots.first());
}

bool grabToFile(QQuickWindow *window, const QString &fileName)
{
    if (!window)
        return false;
    // Wait for the window to be mapped at its size (on X with a software GL that takes about
    // a second), then let bindings, layouts and images settle and a few frames render.
    QElapsedTimer timer;
    timer.start();
    while (!window->isExposed() && timer.elapsed() < 8000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    timer.restart();
    while (timer.elapsed() < 800)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const QImage image = window->grabWindow();
    if (image.isNull())
        return false;
    const QFileInfo info(fileName);
    QDir().mkpath(info.absolutePath());
    return image.save(fileName, "PNG");
}

QQuickItem *findItem(QQuickItem *root, const QString &objectName)
{
    if (!root)
        return nullptr;
    if (root->objectName() == objectName)
        return root;
    const auto children = root->childItems();
    for (QQuickItem *child : children) {
        if (QQuickItem *found = findItem(child, objectName))
            return found;
    }
    return nullptr;
}

} // namespace studio
