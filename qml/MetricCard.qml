import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls

// One figure of a run: a label, a large value and a line of detail, with a colour bar.
Rectangle {
    id: card
    property string title
    property string value
    property string detail
    property color accent: Theme.accent
    property bool highlighted: false
    signal clicked()
    implicitHeight: 76
    radius: Theme.radius
    color: Theme.surface
    border.color: highlighted ? card.accent : Theme.border

    Rectangle {
        width: 3
        radius: 1.5
        anchors.left: parent.left
        anchors.leftMargin: 8
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.topMargin: 14
        anchors.bottomMargin: 14
        color: card.accent
    }
    ColumnLayout {
        anchors.fill: parent
        anchors.leftMargin: 20
        anchors.rightMargin: 12
        anchors.topMargin: 10
        anchors.bottomMargin: 10
        spacing: 2
        Label {
            text: card.title
            font.pixelSize: Theme.fontSmall
            color: Theme.textSecondary
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        Label {
            text: card.value
            font.pixelSize: 22
            font.weight: Font.DemiBold
            color: Theme.textPrimary
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        Label {
            text: card.detail
            font.pixelSize: Theme.fontCaption
            color: Theme.textTertiary
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
    }
    MouseArea {
        anchors.fill: parent
        cursorShape: Qt.PointingHandCursor
        onClicked: card.clicked()
    }
}
