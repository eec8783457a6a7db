import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Mappings

// A rounded tag in the mapping header (rule count, coverage).
Rectangle {
    required property Item page
    property alias text: chipLabel.text
    property string tone: "neutral"
    implicitWidth: chipLabel.implicitWidth + 20
    implicitHeight: 24
    radius: 12
    color: tone === "error" ? Theme.errorSoft : tone === "ok" ? page.okSoft : Theme.surfaceAlt
    Label {
        id: chipLabel
        anchors.centerIn: parent
        font.pixelSize: Theme.fontSmall
        color: parent.tone === "error" ? Theme.error
               : parent.tone === "ok" ? page.okInk : Theme.textSecondary
    }
}
