import QtQuick
import QtQuick.Controls
import Switchboard

// Canonical model editor (placeholder until its editor lands).
Rectangle {
    color: Theme.windowBackground
    Label {
        anchors.centerIn: parent
        text: qsTr("Canonical model editor")
        color: Theme.textTertiary
        font.pixelSize: Theme.fontTitle
    }
}
