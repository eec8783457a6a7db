import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Shell

// Renames the id of the selected element; every reference follows (one undo step). A clash
// or an invalid id is explained under the field and nothing changes.
Dialog {
    id: dialog
    objectName: "renameIdDialog"
    property string element
    required property ElementUsages usages
    property int usageCount: 0

    function openFor(selected) {
        element = dialog.usages.target(selected)
        if (element.length === 0)
            return
        usageCount = dialog.usages.usagesOf(element).length
        idField.text = dialog.usages.currentId(element)
        error.text = ""
        open()
        idField.forceActiveFocus()
        idField.selectAll()
    }
    function apply() {
        const problem = dialog.usages.renameId(element, idField.text)
        if (problem.length > 0) {
            error.text = problem
            return
        }
        close()
    }

    title: qsTr("Rename id")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(480, parent ? parent.width - 2 * Theme.spacingL : 480)
    padding: Theme.spacingL
    closePolicy: Popup.CloseOnEscape
    background: Rectangle {
        color: Theme.surface
        radius: Theme.radiusLarge
        border.color: Theme.border
    }
    header: Item { implicitHeight: 0 }

    contentItem: ColumnLayout {
        spacing: Theme.spacingS
        Label {
            text: qsTr("Rename the id of %1").arg(dialog.usages.label(dialog.element))
            font.pixelSize: Theme.fontTitle
            font.weight: Font.DemiBold
            color: Theme.textPrimary
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            text: dialog.usageCount === 0
                  ? qsTr("Nothing else refers to it.")
                  : dialog.usageCount === 1
                    ? qsTr("The one reference to it follows the new id.")
                    : qsTr("All %1 references to it follow the new id.").arg(dialog.usageCount)
            font.pixelSize: Theme.fontBody
            color: Theme.textSecondary
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        TextField {
            id: idField
            objectName: "renameIdField"
            Layout.fillWidth: true
            font.family: "monospace"
            selectByMouse: true
            onTextEdited: error.text = ""
            onAccepted: dialog.apply()
        }
        Label {
            id: error
            objectName: "renameIdError"
            visible: text.length > 0
            color: Theme.error
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }

    footer: Pane {
        padding: Theme.spacingM
        topPadding: 0
        background: Item {}
        RowLayout {
            anchors.right: parent.right
            spacing: Theme.spacingS
            Button { text: qsTr("Cancel"); onClicked: dialog.close() }
            Button {
                objectName: "renameIdAccept"
                text: qsTr("Rename")
                highlighted: true
                onClicked: dialog.apply()
            }
        }
    }
}
