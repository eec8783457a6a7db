import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Shell

// A clickable row on the start page: icon, title, subtitle.
ItemDelegate {
    id: item
    property string iconName
    property string title
    property string subtitle
    property bool dimmed: false
    implicitHeight: 56
    leftPadding: Theme.spacingM
    rightPadding: Theme.spacingM

    background: Rectangle {
        radius: Theme.radius
        color: item.down ? Theme.accentSoft : item.hovered ? Theme.hover : "transparent"
    }
    contentItem: RowLayout {
        spacing: Theme.spacingM
        Rectangle {
            Layout.preferredWidth: 36
            Layout.preferredHeight: 36
            radius: Theme.radius
            color: Theme.surfaceAlt
            border.color: Theme.divider
            Image {
                anchors.centerIn: parent
                source: Theme.icon(item.iconName)
                sourceSize: Qt.size(20, 20)
                opacity: item.dimmed ? 0.5 : 1
            }
        }
        ColumnLayout {
            spacing: 2
            Layout.fillWidth: true
            Label {
                text: item.title
                font.pixelSize: Theme.fontBody
                font.weight: Font.DemiBold
                color: item.dimmed ? Theme.textTertiary : Theme.textPrimary
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Label {
                text: item.subtitle
                visible: text.length > 0
                font.pixelSize: Theme.fontSmall
                color: Theme.textTertiary
                elide: Text.ElideMiddle
                Layout.fillWidth: true
            }
        }
    }
}
