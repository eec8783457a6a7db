import QtQuick
import QtQuick.Controls
import Switchboard

// Workflow editor (placeholder until its editor lands).
Rectangle {
    color: Theme.windowBackground
    Label {
        anchors.centerIn: parent
        text: qsTr("Workflow editor")
        color: Theme.textTertiary
        font.pixelSize: Theme.fontTitle
    }
}
