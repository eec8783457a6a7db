#pragma once

// Engine set-up shared by main() and the GUI tests: style, controller, Main.qml, project.

#include <QString>

class QQmlApplicationEngine;
class QQuickItem;
class QQuickWindow;
class StudioController;

namespace studio {

inline constexpr const char *kMainQmlUrl = "qrc:/qt/qml/Switchboard/Shell/Main.qml";
// Environment variable naming a folder that replaces the user's settings and data folders.
inline constexpr const char *kSettingsDirEnv = "SWITCHBOARD_SETTINGS_DIR";

// Call before the QGuiApplication exists: style, antialiasing, application names, and the
// settings folder of $SWITCHBOARD_SETTINGS_DIR when it is set.
void prepareApplication();
// Creates the controller, loads Main.qml, then opens `project` when given (a load error
// shows the error dialog in the window). False when the QML did not load.
bool loadStudio(QQmlApplicationEngine &engine, const QString &project = QString());
StudioController *controller(QQmlApplicationEngine &engine);
QQuickWindow *mainWindow(QQmlApplicationEngine &engine);
// Renders the window once it has drawn its first frames and saves it as PNG.
bool grabToFile(QQuickWindow *window, const QString &fileName);
// The item named `objectName` in root's visual tree (delegates of Repeaters and views are not
// QObject children of the window, so findChild does not reach them); null if none.
QQuickItem *findItem(QQuickItem *root, const QString &objectName);

} // namespace studio
