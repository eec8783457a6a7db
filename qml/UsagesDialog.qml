import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls

// Lists references to an element: "find usages" (click one to reveal it) and the impact of
// a delete (the accept button deletes). `usages` is [{element, display, role}].
Dialog {
    id: dialog
    property string message
    property var usages: []
    property string acceptText: ""      // empty: only a Close button
    property string cancelText: qsTr("Cancel")
    signal usageActivated(string element)
    signal confirmed()

    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(560, parent ? parent.width - 2 * Theme.spacingL : 560)
    padding: Theme.spacingL
    closePolicy: Popup.CloseOnEscape

    background: Rectangle {
        color: Theme.surface
        radius: Theme.radiusLarge
        border.color: Theme.border
    }
    header: Item { implicitHeight: 0 }

    onOpened: (dialog.acceptText.length > 0 ? cancelButton : list).forceActiveFocus()

    contentItem: ColumnLayout {
        spacing: Theme.spacingS
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
        ListView {
            id: list
            objectName: "usagesList"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 320)
            visible: dialog.usages.length > 0
            clip: true
            model: dialog.usages
            boundsBehavior: Flickable.StopAtBounds
            keyNavigationEnabled: true
            ScrollBar.vertical: ScrollBar {}
            Keys.onReturnPressed: if (currentIndex >= 0) activate(currentIndex)
            function activate(i) {
                if (dialog.acceptText.length > 0)
                    return   // a delete's impact is a list to read, not to navigate
                dialog.close()
                dialog.usageActivated(dialog.usages[i].element)
            }
            delegate: ItemDelegate {
                id: row
                required property var modelData
                required property int index
                width: ListView.view.width
                highlighted: ListView.isCurrentItem && list.activeFocus
                padding: Theme.spacingXs
                leftPadding: Theme.spacingS
                contentItem: RowLayout {
                    spacing: Theme.spacingS
                    Label {
                        text: row.modelData.display
                        font.pixelSize: Theme.fontBody
                        color: Theme.textPrimary
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Label {
                        text: row.modelData.role
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textSecondary
                    }
                }
                onClicked: { list.currentIndex = index; list.activate(index) }
            }
        }
    }

    footer: Pane {
        padding: Theme.spacingM
        topPadding: 0
        background: Item {}
        RowLayout {
            anchors.right: parent.right
            spacing: Theme.spacingS
            Button {
                id: cancelButton
                objectName: "usagesCancel"
                text: dialog.acceptText.length > 0 ? dialog.cancelText : qsTr("Close")
                onClicked: dialog.close()
            }
            Button {
                objectName: "usagesAccept"
                text: dialog.acceptText
                visible: dialog.acceptText.length > 0
                highlighted: true
                onClicked: { dialog.close(); dialog.confirmed() }
            }
        }
    }
}
