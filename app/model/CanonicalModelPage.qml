import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Model
import Switchboard.Shell

// Canonical model editor: the company's own entities and fields (add, rename, remove, type,
// required), and under each field the system fields that map to it (fields linked to it and
// mapping rules into it). Every change is an undoable edit.
Rectangle {
    id: page
    objectName: "canonicalModelPage"
    color: Theme.windowBackground
    readonly property SchemaTreeModel model: canonicalModel

    SchemaTreeModel {
        id: canonicalModel
        objectName: "canonicalSchemaModel"
        document: StudioController.document
        canonical: true
    }

    // Ctrl+K on a canonical element shows it here.
    Connections {
        target: StudioController
        function onSelectionChanged() {
            const ref = StudioController.selectedRef
            if (ref.kind !== ElementRef.Canonical)
                return
            const entity = ref.entity
            const field = ref.field
            Qt.callLater(() => editor.selectRow(canonicalModel.rowOf(entity, field)))
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingL
        spacing: Theme.spacingM

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingM
            ColumnLayout {
                spacing: 2
                Label {
                    text: qsTr("Canonical model")
                    font.pixelSize: Theme.fontHeading
                    font.weight: Font.DemiBold
                    color: Theme.textPrimary
                }
                Label {
                    text: qsTr("The company\u2019s own entities. Systems map to and from them, "
                               + "so N systems need N mappings, not N\u00b2.")
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textTertiary
                }
            }
            Item { Layout.fillWidth: true }
            Repeater {
                model: [
                    { value: canonicalModel.entityCount, label: qsTr("entities") },
                    { value: canonicalModel.fieldCount, label: qsTr("fields") },
                    { value: StudioController.systemCount, label: qsTr("systems") }
                ]
                delegate: Rectangle {
                    required property var modelData
                    width: 96; height: 52; radius: Theme.radius
                    color: Theme.surface
                    border.color: Theme.border
                    Column {
                        anchors.centerIn: parent
                        Label {
                            anchors.horizontalCenter: parent.horizontalCenter
                            text: parent.parent.modelData.value
                            font.pixelSize: Theme.fontHeading
                            font.weight: Font.DemiBold
                            color: Theme.textPrimary
                        }
                        Label {
                            anchors.horizontalCenter: parent.horizontalCenter
                            text: parent.parent.modelData.label
                            font.pixelSize: Theme.fontCaption
                            color: Theme.textTertiary
                        }
                    }
                }
            }
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            radius: Theme.radiusLarge
            color: Theme.surface
            border.color: Theme.border
            clip: true

            SchemaEditor {
                id: editor
                anchors.fill: parent
                anchors.margins: 1
                model: canonicalModel
                showLinks: true
            }
        }
    }
}
