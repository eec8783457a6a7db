import QtQuick
import QtQuick.Controls
import Switchboard.Controls

// A rounded label for an instance status (or any tag), coloured by meaning.
Rectangle {
    id: pill
    property string status
    property string text: status
    readonly property var palette: ({
        "completed": [Theme.success, Theme.successSoft],
        "waiting": [Theme.warning, Theme.warningSoft],
        "running": [Theme.accent, Theme.accentSoft],
        "dead-lettered": [Theme.error, Theme.errorSoft],
        "failed": [Theme.error, Theme.errorSoft],
        "compensated": [Theme.compensate, Theme.compensateSoft],
        "error": [Theme.error, Theme.errorSoft],
        "warning": [Theme.warning, Theme.warningSoft],
        "retry": [Theme.warning, Theme.warningSoft],
        "ok": [Theme.success, Theme.successSoft]
    })
    readonly property var colors: palette[status] || [Theme.textSecondary, Theme.surfaceAlt]
    implicitWidth: label.implicitWidth + 14
    implicitHeight: 20
    radius: 10
    color: colors[1]
    Label {
        id: label
        anchors.centerIn: parent
        text: pill.text
        font.pixelSize: Theme.fontCaption
        font.weight: Font.DemiBold
        color: pill.colors[0]
    }
}
