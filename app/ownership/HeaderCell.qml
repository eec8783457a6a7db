import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Ownership

// A column title of the matrix header.
Item {
    property alias text: label.text
    property int leftPad: Theme.spacingS
    height: 40
    Label {
        id: label
        x: parent.leftPad
        anchors.verticalCenter: parent.verticalCenter
        font.pixelSize: Theme.fontSmall
        font.weight: Font.DemiBold
        color: Theme.textSecondary
    }
}
