import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Mappings

// The live preview: a sample record of the source and what the mapping makes of it.
Rectangle {
    id: previewCard
    required property Item page
    required property MappingEditor editor
    color: Theme.surface
    border.color: Theme.border
    radius: Theme.radius
    clip: true
    SampleInput { id: sampleInput; editor: previewCard.editor }
    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 1
        spacing: 0
        RowLayout {
            Layout.fillWidth: true
            Layout.preferredHeight: 34
            Layout.leftMargin: Theme.spacingM
            Layout.rightMargin: Theme.spacingS
            spacing: 4
            SectionLabel { text: qsTr("PREVIEW"); Layout.fillWidth: true }
            TabBar {
                id: previewTabs
                Layout.preferredWidth: 130
                font.pixelSize: Theme.fontSmall
                TabButton { text: qsTr("Output") }
                TabButton { text: qsTr("Input") }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.preferredHeight: 30
            Layout.leftMargin: Theme.spacingS
            Layout.rightMargin: Theme.spacingS
            spacing: 2
            Label {
                visible: editor.sampleCount === 0
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingS
                text: qsTr("No sample records for the source")
                elide: Text.ElideRight
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
            }
            ComboBox {
                objectName: "sampleCombo"
                visible: editor.sampleCount > 0
                Layout.fillWidth: true
                Layout.preferredHeight: 26
                flat: true
                font.pixelSize: Theme.fontSmall
                model: editor.sampleLabels
                currentIndex: editor.sampleIndex
                onActivated: (i) => editor.sampleIndex = i
            }
            ToolButton {
                text: "\u2039"
                enabled: editor.sampleIndex > 0
                onClicked: editor.sampleIndex = editor.sampleIndex - 1
            }
            Label {
                text: editor.sampleCount > 0
                      ? (editor.sampleIndex + 1) + "/" + editor.sampleCount : "0/0"
                font.pixelSize: Theme.fontCaption
                color: Theme.textTertiary
            }
            ToolButton {
                text: "\u203a"
                enabled: editor.sampleIndex + 1 < editor.sampleCount
                onClicked: editor.sampleIndex = editor.sampleIndex + 1
            }
            ToolButton {
                id: addSampleButton
                objectName: "addSampleButton"
                text: "+"
                font.pixelSize: Theme.fontBody
                ToolTip.visible: hovered
                ToolTip.delay: 500
                ToolTip.text: qsTr("Add sample input: paste JSON, load a file, pick a record")
                onClicked: sampleMenu.open()
                Menu {
                    id: sampleMenu
                    y: addSampleButton.height
                    MenuItem {
                        objectName: "samplePasteItem"
                        text: qsTr("Paste JSON\u2026")
                        onTriggered: sampleInput.paste()
                    }
                    MenuItem {
                        objectName: "sampleFileItem"
                        text: qsTr("Load File\u2026")
                        onTriggered: sampleInput.loadFile()
                    }
                    MenuItem {
                        objectName: "sampleDatasetItem"
                        text: qsTr("Pick From a Data Set\u2026")
                        onTriggered: sampleInput.pickFromDataset()
                    }
                    MenuItem {
                        text: qsTr("Remove Added Samples")
                        enabled: editor.hasCustomSamples
                        onTriggered: editor.clearCustomSamples()
                    }
                }
            }
        }
        // A source without samples: the ways to bring some, as buttons.
        Flow {
            objectName: "sampleEmptyActions"
            visible: editor.sampleCount === 0
            Layout.fillWidth: true
            Layout.margins: Theme.spacingS
            spacing: Theme.spacingS
            Button {
                objectName: "samplePasteButton"
                text: qsTr("Paste JSON\u2026")
                font.pixelSize: Theme.fontSmall
                onClicked: sampleInput.paste()
            }
            Button {
                objectName: "sampleFileButton"
                text: qsTr("Load File\u2026")
                font.pixelSize: Theme.fontSmall
                onClicked: sampleInput.loadFile()
            }
            Button {
                objectName: "sampleDatasetButton"
                text: qsTr("Pick From a Data Set\u2026")
                font.pixelSize: Theme.fontSmall
                onClicked: sampleInput.pickFromDataset()
            }
        }
        Label {
            objectName: "sampleErrorLabel"
            visible: editor.sampleError.length > 0
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingM
            Layout.rightMargin: Theme.spacingM
            wrapMode: Text.Wrap
            text: "\u26a0 " + editor.sampleError
            font.pixelSize: Theme.fontCaption
            color: Theme.error
        }
        Rectangle { Layout.fillWidth: true; height: 1; color: Theme.divider }
        Label {
            visible: !editor.previewApplied && editor.sampleCount > 0
            Layout.fillWidth: true
            Layout.margins: Theme.spacingS
            wrapMode: Text.WordWrap
            text: qsTr("The mapping's condition is not met for this record: no output.")
            font.pixelSize: Theme.fontSmall
            color: Theme.warning
        }
        ScrollView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            TextArea {
                objectName: "previewText"
                readOnly: true
                textFormat: TextEdit.RichText
                font.family: page.mono
                font.pixelSize: Theme.fontSmall
                leftPadding: Theme.spacingM
                topPadding: Theme.spacingS
                selectByMouse: true
                background: null
                text: previewTabs.currentIndex === 0 ? editor.previewHtml : editor.sampleHtml
            }
        }
        Repeater {
            model: editor.previewErrors.concat(
                       editor.previewMissing.map(p => qsTr("required %1 is empty").arg(p)))
            delegate: Label {
                required property string modelData
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingM
                Layout.rightMargin: Theme.spacingM
                elide: Text.ElideRight
                text: "\u26a0 " + modelData
                font.pixelSize: Theme.fontCaption
                color: Theme.error
            }
        }
        Label {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingM
            Layout.bottomMargin: 4
            text: editor.sampleSource.length > 0 ? qsTr("From %1").arg(editor.sampleSource)
                                                 : ""
            elide: Text.ElideRight
            font.pixelSize: Theme.fontCaption
            color: Theme.textTertiary
        }
    }
}
