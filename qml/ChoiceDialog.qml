import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls

// Modal message with up to three buttons; `chosen` reports "accept", "discard" or "cancel".
Dialog {
    id: dialog
    property string message
    property string details
    property string iconName: "warning"
    property string acceptText: qsTr("OK")
    property string discardText: ""
    property string cancelText: ""
    signal chosen(string choice)

    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(480, parent ? parent.width - 2 * Theme.spacingL : 480)
    padding: Theme.spacingL
    topPadding: Theme.spacingL
    closePolicy: Popup.NoAutoClose

    background: Rectangle {
        color: Theme.surface
        radius: Theme.radiusLarge
        border.color: Theme.border
    }
    header: Item { implicitHeight: 0 }

    contentItem: RowLayout {
        spacing: Theme.spacingM
        Image {
            source: Theme.icon(dialog.iconName)
            sourceSize: Qt.size(32, 32)
            Layout.alignment: Qt.AlignTop
        }
        ColumnLayout {
            spacing: Theme.spacingS
            Layout.fillWidth: true
            Label {
                text: dialog.title
                font.pixelSize: Theme.fontTitle
                font.weight: Font.DemiBold
                color: Theme.textPrimary
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                text: dialog.message
                visible: text.length > 0
                font.pixelSize: Theme.fontBody
                color: Theme.textSecondary
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                objectName: "dialogDetails"
                text: dialog.details
                visible: text.length > 0
                font.pixelSize: Theme.fontSmall
                font.family: "monospace"
                color: Theme.textPrimary
                wrapMode: Text.WrapAnywhere
                textFormat: Text.PlainText
                Layout.fillWidth: true
                padding: Theme.spacingS
                background: Rectangle { color: Theme.surfaceAlt; radius: 4 }
            }
        }
    }

    // Plain buttons, not a DialogButtonBox: each reports exactly one choice.
    footer: Pane {
        padding: Theme.spacingM
        topPadding: 0
        background: Item {}
        RowLayout {
            anchors.right: parent.right
            spacing: Theme.spacingS
            Button {
                text: dialog.discardText
                visible: dialog.discardText.length > 0
                onClicked: { dialog.close(); dialog.chosen("discard") }
            }
            Button {
                text: dialog.cancelText
                visible: dialog.cancelText.length > 0
                onClicked: { dialog.close(); dialog.chosen("cancel") }
            }
            Button {
                objectName: "dialogAccept"
                text: dialog.acceptText
                highlighted: true
                onClicked: { dialog.close(); dialog.chosen("accept") }
            }
        }
    }
}
