import QtQuick
import QtQuick.Controls
import Switchboard

// Mapping editor (placeholder until its editor lands).
Rectangle {
    color: Theme.windowBackground
    Label {
        anchors.centerIn: parent
        text: qsTr("Mapping editor")
        color: Theme.textTertiary
        font.pixelSize: Theme.fontTitle
    }
}
