import QtQuick
import QtQuick.Controls
import Switchboard

// Run panel (placeholder until its editor lands).
Rectangle {
    color: Theme.windowBackground
    Label {
        anchors.centerIn: parent
        text: qsTr("Run panel")
        color: Theme.textTertiary
        font.pixelSize: Theme.fontTitle
    }
}
