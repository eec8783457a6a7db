import QtQuick
import QtQuick.Controls

// A rounded label for an instance status (or any tag), coloured by meaning.
Rectangle {
    id: pill
    property string status
    property string text: status
    readonly property var palette: ({
        "completed": ["#1e7b3a", "#e3f4e8"],
        "waiting": [Theme.warning, Theme.warningSoft],
        "running": [Theme.accent, Theme.accentSoft],
        "dead-lettered": [Theme.error, Theme.errorSoft],
        "failed": [Theme.error, Theme.errorSoft],
        "compensated": ["#6d4fc9", "#efeafd"],
        "error": [Theme.error, Theme.errorSoft],
        "warning": [Theme.warning, Theme.warningSoft],
        "retry": [Theme.warning, Theme.warningSoft],
        "ok": ["#1e7b3a", "#e3f4e8"]
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
