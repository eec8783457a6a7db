import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Run
import Switchboard.Shell

// File > Export Bundle: profile, validation (errors block, warnings shown), the bundle file,
// and the exact command that serves it.
Dialog {
    id: dialog
    objectName: "exportDialog"
    title: qsTr("Export Bundle")
    modal: true
    width: 720
    height: Math.min(parent ? parent.height - 80 : 640, 640)
    anchors.centerIn: parent
    padding: Theme.spacingL
    property alias controller: exporter

    ExportController {
        id: exporter
        objectName: "exportController"
        document: StudioController.document
    }

    onOpened: {
        exporter.validate()
        if (exporter.bundlePath.length === 0)
            exporter.bundlePath = exporter.suggestedPath()
    }

    background: Rectangle { color: Theme.surface; radius: Theme.radiusLarge
                            border.color: Theme.border }
    header: Label {
        text: dialog.title
        padding: Theme.spacingL
        bottomPadding: 0
        font.pixelSize: Theme.fontHeading
        font.weight: Font.DemiBold
        color: Theme.textPrimary
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacingM
        RowLayout {
            spacing: Theme.spacingS
            Label { text: qsTr("Endpoint profile"); color: Theme.textSecondary
                    Layout.preferredWidth: 120 }
            ComboBox {
                id: profileBox
                objectName: "exportProfileBox"
                model: exporter.profiles
                Layout.preferredWidth: 220
                currentIndex: Math.max(0, exporter.profiles.indexOf(exporter.profile))
                onActivated: {
                    exporter.profile = currentText
                    exporter.bundlePath = exporter.suggestedPath()
                }
            }
            Item { Layout.fillWidth: true }
            StatusPill {
                status: exporter.errorCount > 0 ? "error"
                        : exporter.warningCount > 0 ? "warning" : "ok"
                text: exporter.errorCount === 1 ? qsTr("1 error blocks the export")
                      : exporter.errorCount > 1 ? qsTr("%1 errors block the export")
                                                  .arg(exporter.errorCount)
                      : exporter.warningCount === 1 ? qsTr("1 warning")
                      : exporter.warningCount > 1 ? qsTr("%1 warnings").arg(exporter.warningCount)
                      : qsTr("ready to export")
            }
        }
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: 120
            color: Theme.surfaceAlt
            radius: Theme.radius
            border.color: Theme.border
            ListView {
                id: findings
                anchors.fill: parent
                anchors.margins: 1
                clip: true
                model: exporter.findings
                ScrollBar.vertical: ScrollBar {}
                delegate: Rectangle {
                    required property var modelData
                    width: ListView.view.width
                    height: 44
                    color: "transparent"
                    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                                color: Theme.divider }
                    RowLayout {
                        anchors.fill: parent
                        anchors.leftMargin: Theme.spacingS
                        anchors.rightMargin: Theme.spacingS
                        spacing: Theme.spacingS
                        Image { source: Theme.severityIcon(modelData.severity)
                                sourceSize: Qt.size(14, 14) }
                        ColumnLayout {
                            spacing: 0
                            Layout.fillWidth: true
                            Label { text: modelData.message; elide: Text.ElideRight
                                    Layout.fillWidth: true; color: Theme.textPrimary
                                    font.pixelSize: Theme.fontSmall }
                            Label { text: modelData.ruleId + (modelData.location.length > 0
                                                              ? " \u00b7 " + modelData.location
                                                              : "")
                                    elide: Text.ElideRight; Layout.fillWidth: true
                                    color: Theme.textTertiary; font.pixelSize: Theme.fontCaption }
                        }
                    }
                }
                Label {
                    anchors.centerIn: parent
                    visible: findings.count === 0
                    text: qsTr("No errors or warnings")
                    color: Theme.textTertiary
                }
            }
        }
        // What the operator must provide: serve refuses to start without webhook secrets.
        ColumnLayout {
            objectName: "exportEnvironment"
            visible: exporter.environment.length > 0
            Layout.fillWidth: true
            spacing: 2
            Label {
                text: qsTr("Environment the runner needs:")
                color: Theme.textSecondary
                font.pixelSize: Theme.fontSmall
            }
            Repeater {
                model: exporter.environment
                delegate: RowLayout {
                    required property var modelData
                    Layout.fillWidth: true
                    spacing: Theme.spacingS
                    Label {
                        text: modelData.name
                        font.family: "monospace"
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textPrimary
                        Layout.preferredWidth: 260
                        elide: Text.ElideRight
                    }
                    Label {
                        text: modelData.purpose
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textTertiary
                        Layout.fillWidth: true
                        elide: Text.ElideRight
                    }
                }
            }
        }
        RowLayout {
            spacing: Theme.spacingS
            Label { text: qsTr("Bundle file"); color: Theme.textSecondary
                    Layout.preferredWidth: 120 }
            TextField {
                id: pathField
                objectName: "exportPathField"
                Layout.fillWidth: true
                text: exporter.bundlePath
                onEditingFinished: exporter.bundlePath = text
                font.family: "monospace"
                font.pixelSize: Theme.fontSmall
            }
            Button { text: qsTr("Browse\u2026"); onClicked: saveDialog.open() }
            Button {
                objectName: "exportButton"
                text: qsTr("Export")
                highlighted: true
                enabled: exporter.canExport
                onClicked: {
                    exporter.bundlePath = pathField.text
                    exporter.exportBundle()
                }
            }
        }
        Label {
            visible: exporter.resultText.length > 0
            text: exporter.resultText
            color: exporter.command.length > 0 ? Theme.success : Theme.error
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        ColumnLayout {
            visible: exporter.command.length > 0
            spacing: Theme.spacingXs
            Layout.fillWidth: true
            Label { text: qsTr("Run it headless (set SWITCHBOARD_ADMIN_TOKEN for the admin API):")
                    color: Theme.textSecondary; font.pixelSize: Theme.fontSmall }
            // Secrets kept in the studio's keyring are not in the bundle.
            Label {
                objectName: "exportSecretVariables"
                visible: exporter.secretVariables.length > 0
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: qsTr("The bundle holds no secrets: set %1 to the secret(s) in your keyring "
                           + "(%2); the command asks for them.")
                      .arg(exporter.secretVariables.map(v => v.name).join(", "))
                      .arg(exporter.secretVariables.map(v => v.reference).join(", "))
                color: Theme.warning
                font.pixelSize: Theme.fontSmall
            }
            RowLayout {
                Layout.fillWidth: true
                TextArea {
                    objectName: "exportCommandField"
                    Layout.fillWidth: true
                    readOnly: true
                    selectByMouse: true
                    wrapMode: TextEdit.WrapAnywhere
                    text: exporter.command
                    font.family: "monospace"
                    font.pixelSize: Theme.fontSmall
                    padding: Theme.spacingS
                    background: Rectangle { color: Theme.codeBackground; radius: 4 }
                    color: Theme.codeText
                }
                Button { text: qsTr("Copy"); onClicked: exporter.copyCommand() }
            }
        }
    }
    footer: DialogButtonBox {
        padding: Theme.spacingM
        background: null
        Button { text: qsTr("Close"); DialogButtonBox.buttonRole: DialogButtonBox.RejectRole }
    }

    FileDialog {
        id: saveDialog
        title: qsTr("Export Bundle As")
        fileMode: FileDialog.SaveFile
        defaultSuffix: "json"
        nameFilters: [qsTr("Switchboard bundles (*.json)")]
        onAccepted: exporter.bundlePath = selectedFile.toString()
    }
}
