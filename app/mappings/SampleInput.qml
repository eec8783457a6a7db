import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Mappings

// Sample input for the preview: paste JSON, load a file, or pick a record of any data set.
// Each opens its own dialog; what is chosen becomes the open mapping's first samples.
Item {
    id: input
    required property MappingEditor editor

    function paste() { pasteDialog.open() }
    function loadFile() { fileDialog.open() }
    function pickFromDataset() { datasetDialog.open() }

    component DialogHeader: Label {
        padding: Theme.spacingL
        bottomPadding: 0
        font.pixelSize: Theme.fontTitle
        font.weight: Font.DemiBold
        color: Theme.textPrimary
    }
    component DialogBackground: Rectangle {
        color: Theme.surface
        radius: Theme.radiusLarge
        border.color: Theme.border
    }

    Dialog {
        id: pasteDialog
        objectName: "samplePasteDialog"
        title: qsTr("Paste a sample record")
        modal: true
        anchors.centerIn: Overlay.overlay
        width: 560
        height: 420
        padding: Theme.spacingL
        background: DialogBackground {}
        header: DialogHeader { text: pasteDialog.title }
        property string error
        onAboutToShow: {
            error = ""
            pasteArea.text = ""
            pasteArea.forceActiveFocus()
        }
        // The dialog stays open while the text is not a record, and says why.
        function use() {
            if (input.editor.pasteSamples(pasteArea.text))
                close()
            else
                error = input.editor.sampleError
        }
        footer: DialogButtonBox {
            padding: Theme.spacingM
            background: null
            Button {
                objectName: "samplePasteUse"
                text: qsTr("Use as sample")
                highlighted: true
                onClicked: pasteDialog.use()
            }
            Button {
                text: qsTr("Cancel")
                DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            }
        }
        ColumnLayout {
            anchors.fill: parent
            spacing: Theme.spacingS
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: qsTr("A JSON object, an array of objects, or one object per line. The "
                           + "records are kept for this source while the studio runs.")
                font.pixelSize: Theme.fontSmall
                color: Theme.textTertiary
            }
            ScrollView {
                Layout.fillWidth: true
                Layout.fillHeight: true
                TextArea {
                    id: pasteArea
                    objectName: "samplePasteText"
                    font.family: "monospace"
                    font.pixelSize: Theme.fontSmall
                    placeholderText: "{ \"id\": \"42\", \"name\": \"Acme\" }"
                    wrapMode: TextEdit.WrapAnywhere
                    selectByMouse: true
                    background: Rectangle {
                        color: Theme.surface
                        border.color: pasteArea.activeFocus ? Theme.accent : Theme.borderStrong
                        radius: 2
                    }
                }
            }
            Label {
                objectName: "samplePasteError"
                Layout.fillWidth: true
                visible: pasteDialog.error.length > 0
                wrapMode: Text.WordWrap
                text: pasteDialog.error
                font.pixelSize: Theme.fontSmall
                color: Theme.error
            }
        }
    }

    FileDialog {
        id: fileDialog
        objectName: "sampleFileDialog"
        title: qsTr("Load Sample Records")
        fileMode: FileDialog.OpenFile
        nameFilters: [qsTr("Records (*.json *.jsonl *.ndjson *.csv)"), qsTr("All files (*)")]
        onAccepted: input.editor.loadSampleFile(selectedFile.toString())
    }

    Dialog {
        id: datasetDialog
        objectName: "sampleDatasetDialog"
        title: qsTr("Pick a record from a data set")
        modal: true
        anchors.centerIn: Overlay.overlay
        width: 520
        height: 460
        padding: Theme.spacingL
        standardButtons: Dialog.Ok | Dialog.Cancel
        background: DialogBackground {}
        header: DialogHeader { text: datasetDialog.title }
        property var choices: []
        property var records: []
        function loadRecords() {
            const c = choices[datasetCombo.currentIndex]
            records = c ? input.editor.datasetRecordLabels(c.id) : []
            recordList.currentIndex = records.length > 0 ? 0 : -1
        }
        onAboutToShow: {
            choices = input.editor.datasetChoices()
            datasetCombo.currentIndex = choices.length > 0 ? 0 : -1
            loadRecords()
        }
        onAccepted: {
            const c = choices[datasetCombo.currentIndex]
            if (c && recordList.currentIndex >= 0)
                input.editor.useDatasetRecord(c.id, recordList.currentIndex)
        }
        ColumnLayout {
            anchors.fill: parent
            spacing: Theme.spacingS
            Label {
                text: qsTr("Data set")
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
            }
            ComboBox {
                id: datasetCombo
                objectName: "sampleDatasetCombo"
                Layout.fillWidth: true
                model: datasetDialog.choices.map(c => c.label)
                onActivated: datasetDialog.loadRecords()
            }
            Label {
                text: datasetDialog.choices.length === 0
                      ? qsTr("The project has no data sets: add one in the Run view.")
                      : qsTr("Record")
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
            }
            ListView {
                id: recordList
                objectName: "sampleRecordList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: datasetDialog.records
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar {}
                delegate: ItemDelegate {
                    required property int index
                    required property string modelData
                    width: ListView.view.width
                    text: modelData
                    font.pixelSize: Theme.fontSmall
                    highlighted: ListView.isCurrentItem
                    onClicked: recordList.currentIndex = index
                    onDoubleClicked: datasetDialog.accept()
                }
            }
        }
    }
}
