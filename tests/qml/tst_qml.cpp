// Quick Test runner for the logic in the shared QML (Switchboard.Controls): every tst_*.qml in
// this folder. The module is a static plugin, linked into this runner and imported here.
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(SwitchboardControlsPlugin)

QUICK_TEST_MAIN(switchboard_qml)
