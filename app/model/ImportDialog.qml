import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Model
import Switchboard.Shell

// Import entity schemas into a system: pick a file (OpenAPI 3 JSON/YAML, JSON Schema, sample
// JSON record, CSV header), tick the schemas to import, import them as one undoable edit.
// Reading and converting run off the GUI thread (SchemaImporter); errors are shown inline.
Dialog {
    id: dialog
    property string systemName
    readonly property SchemaImporter importer: importer

    function openFor(systemId, name) {
        importer.clear()
        importer.systemId = systemId
        systemName = name
        open()
    }

    title: qsTr("Import schemas into %1").arg(systemName)
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(680, parent ? Overlay.overlay.width - 64 : 680)
    height: Math.min(600, parent ? Overlay.overlay.height - 64 : 600)
    padding: 0
    closePolicy: importer.busy ? Popup.NoAutoClose : Popup.CloseOnEscape

    SchemaImporter {
        id: importer
        objectName: "schemaImporter"
        document: StudioController.document
        onImported: dialog.close()
    }

    background: Rectangle {
        color: Theme.surface
        radius: Theme.radiusLarge
        border.color: Theme.border
    }
    header: ColumnLayout {
        spacing: 2
        Label {
            text: dialog.title
            font.pixelSize: Theme.fontTitle
            font.weight: Font.DemiBold
            color: Theme.textPrimary
            Layout.topMargin: Theme.spacingL
            Layout.leftMargin: Theme.spacingL
        }
        Label {
            text: qsTr("OpenAPI 3 (JSON or YAML), JSON Schema, a sample JSON record or a CSV "
                       + "header row. Entities of the same name are replaced.")
            font.pixelSize: Theme.fontSmall
            color: Theme.textTertiary
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingL
            Layout.rightMargin: Theme.spacingL
        }
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacingS
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingL
            Layout.rightMargin: Theme.spacingL
            Layout.topMargin: Theme.spacingM
            spacing: Theme.spacingS
            Button {
                objectName: "chooseFileButton"
                text: qsTr("Choose file\u2026")
                icon.source: Theme.icon("open")
                icon.width: 16; icon.height: 16
                enabled: !importer.busy
                onClicked: fileDialog.open()
            }
            Label {
                Layout.fillWidth: true
                text: importer.fileName.length > 0 ? importer.fileName
                                                   : qsTr("No file chosen")
                elide: Text.ElideMiddle
                font.pixelSize: Theme.fontSmall
                font.family: importer.fileName.length > 0 ? "monospace"
                                                          : Qt.application.font.family
                color: importer.fileName.length > 0 ? Theme.textPrimary : Theme.textTertiary
            }
            Rectangle {
                visible: importer.sourceKind.length > 0
                width: kindText.implicitWidth + 16; height: 22; radius: 11
                color: Theme.accentSoft
                Label {
                    id: kindText
                    anchors.centerIn: parent
                    text: importer.sourceKind
                    font.pixelSize: Theme.fontCaption
                    color: Theme.accent
                }
            }
        }

        // Error from reading or importing.
        Rectangle {
            objectName: "importError"
            visible: importer.error.length > 0
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingL
            Layout.rightMargin: Theme.spacingL
            implicitHeight: errorText.implicitHeight + 2 * Theme.spacingS
            radius: Theme.radius
            color: Theme.errorSoft
            border.color: Theme.errorBorder
            RowLayout {
                anchors.fill: parent
                anchors.margins: Theme.spacingS
                spacing: Theme.spacingS
                Image { source: Theme.icon("error"); sourceSize: Qt.size(16, 16)
                        Layout.alignment: Qt.AlignTop }
                Label {
                    id: errorText
                    Layout.fillWidth: true
                    text: importer.error
                    wrapMode: Text.WrapAnywhere
                    font.pixelSize: Theme.fontSmall
                    font.family: "monospace"
                    color: Theme.textPrimary
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingL
            Layout.rightMargin: Theme.spacingL
            visible: importer.loaded
            spacing: Theme.spacingS
            TextField {
                Layout.fillWidth: true
                placeholderText: qsTr("Filter %1 schemas").arg(importer.schemaCount)
                text: importer.filter
                onTextEdited: importer.filter = text
                font.pixelSize: Theme.fontSmall
            }
            Button { text: qsTr("All"); flat: true; font.pixelSize: Theme.fontSmall
                     onClicked: importer.checkAll(true) }
            Button { text: qsTr("None"); flat: true; font.pixelSize: Theme.fontSmall
                     onClicked: importer.checkAll(false) }
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.leftMargin: Theme.spacingL
            Layout.rightMargin: Theme.spacingL
            radius: Theme.radius
            border.color: Theme.border
            color: Theme.surface
            clip: true

            ListView {
                id: schemaList
                objectName: "importSchemaList"
                anchors.fill: parent
                anchors.margins: 1
                model: importer.schemas
                clip: true
                ScrollBar.vertical: ScrollBar {}
                delegate: ItemDelegate {
                    id: item
                    required property int index
                    required property string name
                    required property string description
                    required property int propertyCount
                    required property bool isObject
                    required property bool picked
                    width: ListView.view.width
                    height: 44
                    enabled: isObject
                    onClicked: importer.setChecked(name, !picked)
                    contentItem: RowLayout {
                        spacing: Theme.spacingS
                        CheckBox {
                            checked: item.picked
                            enabled: item.isObject
                            onToggled: importer.setChecked(item.name, checked)
                            padding: 0
                        }
                        ColumnLayout {
                            spacing: 0
                            Layout.fillWidth: true
                            Label {
                                text: item.name
                                font.pixelSize: Theme.fontBody
                                font.weight: Font.DemiBold
                                color: item.isObject ? Theme.textPrimary : Theme.textTertiary
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }
                            Label {
                                text: item.description.length > 0 ? item.description
                                      : item.isObject ? "" : qsTr("not an object: not importable")
                                visible: text.length > 0
                                font.pixelSize: Theme.fontCaption
                                color: Theme.textTertiary
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }
                        }
                        Label {
                            text: Theme.plural(item.propertyCount, qsTr("field"), qsTr("fields"))
                            font.pixelSize: Theme.fontCaption
                            color: Theme.textSecondary
                        }
                    }
                }
            }

            Label {
                anchors.centerIn: parent
                visible: !importer.loaded && !importer.busy
                text: qsTr("Choose a file to list its schemas.")
                color: Theme.textTertiary
                font.pixelSize: Theme.fontSmall
            }

            // Busy overlay: the window stays responsive while the worker runs.
            Rectangle {
                anchors.fill: parent
                visible: importer.busy
                color: Theme.surfaceVeil
                ColumnLayout {
                    anchors.centerIn: parent
                    spacing: Theme.spacingS
                    BusyIndicator {
                        objectName: "importBusy"
                        running: importer.busy && importer.progress < 0
                        visible: running
                        Layout.alignment: Qt.AlignHCenter
                    }
                    // Converting the checked schemas: how far the worker has come.
                    ProgressBar {
                        objectName: "importProgress"
                        visible: importer.busy && importer.progress >= 0
                        from: 0
                        to: 1
                        value: Math.max(0, importer.progress)
                        Layout.preferredWidth: 260
                        Layout.alignment: Qt.AlignHCenter
                    }
                    Label {
                        text: importer.status
                        color: Theme.textSecondary
                        font.pixelSize: Theme.fontSmall
                    }
                }
            }
        }
    }

    footer: Pane {
        padding: Theme.spacingL
        topPadding: Theme.spacingM
        background: Item {}
        RowLayout {
            anchors.fill: parent
            spacing: Theme.spacingS
            Label {
                Layout.fillWidth: true
                text: importer.loaded ? qsTr("%1 of %2 selected").arg(importer.checkedCount)
                                                                .arg(importer.schemaCount)
                                      : ""
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
            }
            Button {
                text: qsTr("Cancel")
                enabled: !importer.busy
                onClicked: dialog.close()
            }
            Button {
                objectName: "importAccept"
                text: importer.checkedCount > 0
                      ? qsTr("Import %1").arg(Theme.plural(importer.checkedCount,
                                                               qsTr("schema"), qsTr("schemas")))
                      : qsTr("Import")
                highlighted: true
                enabled: importer.loaded && importer.checkedCount > 0 && !importer.busy
                onClicked: importer.importChecked()
            }
        }
    }

    FileDialog {
        id: fileDialog
        title: qsTr("Import schemas")
        fileMode: FileDialog.OpenFile
        nameFilters: [qsTr("Schemas (*.json *.yaml *.yml *.csv)"), qsTr("All files (*)")]
        onAccepted: importer.load(selectedFile.toString())
    }
}
