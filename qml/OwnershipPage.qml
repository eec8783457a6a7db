import QtQuick
import QtQuick.Controls
import Switchboard

// Ownership matrix (placeholder until its editor lands).
Rectangle {
    color: Theme.windowBackground
    Label {
        anchors.centerIn: parent
        text: qsTr("Ownership matrix")
        color: Theme.textTertiary
        font.pixelSize: Theme.fontTitle
    }
}
