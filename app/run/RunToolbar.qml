import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Run

// What to run (workflow, data set, endpoint profile), fault drills and Run / Cancel, with
// the progress of the run underneath.
Rectangle {
    id: bar
    required property RunController controller
    signal faultsRequested(Item anchor)
    implicitHeight: column.implicitHeight
    color: Theme.surface

    function indexOfId(options, id) {
        for (let i = 0; i < options.length; ++i)
            if (options[i].id === id)
                return i
        return -1
    }

    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                color: Theme.border }

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingM
            Layout.rightMargin: Theme.spacingM
            Layout.topMargin: Theme.spacingS + 2
            Layout.bottomMargin: Theme.spacingS + 2
            spacing: Theme.spacingS

            Label { text: qsTr("Workflow"); color: Theme.textSecondary
                    font.pixelSize: Theme.fontSmall }
            ComboBox {
                id: workflowBox
                objectName: "runWorkflowBox"
                Layout.preferredWidth: 220
                model: bar.controller.workflowOptions
                textRole: "name"
                valueRole: "id"
                enabled: !bar.controller.busy
                currentIndex: bar.indexOfId(bar.controller.workflowOptions,
                                            bar.controller.workflowId)
                onActivated: bar.controller.workflowId = currentValue
            }
            Label { text: qsTr("Data set"); color: Theme.textSecondary
                    font.pixelSize: Theme.fontSmall; Layout.leftMargin: Theme.spacingS }
            ComboBox {
                id: datasetBox
                objectName: "runDatasetBox"
                Layout.preferredWidth: 240
                model: bar.controller.datasetOptions
                textRole: "name"
                valueRole: "id"
                enabled: !bar.controller.busy
                currentIndex: bar.indexOfId(bar.controller.datasetOptions,
                                            bar.controller.datasetId)
                onActivated: bar.controller.datasetId = currentValue
            }
            ToolIconButton {
                objectName: "runDatasetFileButton"
                iconName: "open"
                tip: qsTr("Use a CSV or JSONL file as the data set\u2026")
                enabled: !bar.controller.busy
                onClicked: importDialog.open()
            }
            Label { text: qsTr("Endpoints"); color: Theme.textSecondary
                    font.pixelSize: Theme.fontSmall; Layout.leftMargin: Theme.spacingS }
            ComboBox {
                id: profileBox
                objectName: "runProfileBox"
                Layout.preferredWidth: 190
                model: bar.controller.profileOptions
                textRole: "name"
                valueRole: "id"
                enabled: !bar.controller.busy
                currentIndex: bar.indexOfId(bar.controller.profileOptions,
                                            bar.controller.profile)
                onActivated: bar.controller.profile = currentValue
            }
            // Kept in the row and sized by its content: a Button toggling `visible` was not
            // laid out again (it stayed at the row's origin).
            Item {
                implicitWidth: testButton.visible ? testButton.implicitWidth : 0
                implicitHeight: testButton.implicitHeight
                Button {
                    id: testButton
                    objectName: "testConnectionButton"
                    visible: bar.controller.profileIsLive
                    text: bar.controller.testingConnection ? qsTr("Testing\u2026")
                                                           : qsTr("Test connection")
                    enabled: !bar.controller.testingConnection
                    onClicked: bar.controller.testConnections(bar.controller.profile)
                }
            }
            Item { Layout.fillWidth: true }
            Button {
                id: faultsButton
                objectName: "runFaultsButton"
                text: bar.controller.faultsActive ? qsTr("Faults on") : qsTr("Fault drills")
                flat: !bar.controller.faultsActive
                icon.source: Theme.icon("warning")
                icon.color: bar.controller.faultsActive ? Theme.warning : Theme.textSecondary
                ToolTip.visible: hovered && bar.controller.faultsActive
                ToolTip.text: bar.controller.faultsText
                onClicked: bar.faultsRequested(faultsButton)
            }
            Button {
                id: runButton
                objectName: "runButton"
                highlighted: !bar.controller.running
                text: bar.controller.running ? qsTr("Cancel") : qsTr("Run")
                enabled: bar.controller.running || (!bar.controller.busy
                                                    && bar.controller.workflowId.length > 0)
                Layout.preferredWidth: 96
                onClicked: bar.controller.running ? bar.controller.cancel() : bar.controller.run()
                ToolTip.visible: hovered && bar.controller.profileIsLive
                ToolTip.text: qsTr("Runs against the live endpoints of \u201c%1\u201d")
                              .arg(bar.controller.profile)
            }
        }

        // Progress and status line.
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 30
            color: Theme.surfaceAlt
            visible: bar.controller.running || bar.controller.statusText.length > 0
                     || bar.controller.errorText.length > 0
                     || bar.controller.connectionResults.length > 0
            Rectangle { anchors.top: parent.top; width: parent.width; height: 1
                        color: Theme.divider }
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.spacingM
                anchors.rightMargin: Theme.spacingM
                spacing: Theme.spacingM
                ProgressBar {
                    id: progress
                    objectName: "runProgress"
                    visible: bar.controller.running || bar.controller.progressTotal > 0
                    Layout.preferredWidth: 280
                    from: 0
                    to: Math.max(1, bar.controller.progressTotal)
                    value: bar.controller.progressDone
                    indeterminate: bar.controller.running && bar.controller.progressTotal === 0
                }
                Label {
                    visible: progress.visible
                    text: qsTr("%1 / %2 records").arg(bar.controller.progressDone.toLocaleString(
                                                          Qt.locale(), "f", 0))
                          .arg(bar.controller.progressTotal.toLocaleString(Qt.locale(), "f", 0))
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textPrimary
                }
                Label {
                    objectName: "runRateText"
                    // A rate over a few milliseconds is noise: shown while running or after
                    // a run of a second or more.
                    visible: progress.visible
                             && (bar.controller.running
                                 || (bar.controller.summary.elapsedMs || 0) >= 1000)
                    text: qsTr("%1 instances/s").arg(bar.controller.throughput.toFixed(0))
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textSecondary
                }
                Label {
                    visible: progress.visible
                    text: qsTr("%1 retries \u00b7 %2 dead letters").arg(bar.controller.liveRetries)
                          .arg(bar.controller.liveDeadLetters)
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textSecondary
                }
                Repeater {
                    model: bar.controller.connectionResults
                    delegate: RowLayout {
                        required property var modelData
                        spacing: Theme.spacingXs
                        StatusPill {
                            status: modelData.state === "testing" ? "running" : modelData.state
                            text: modelData.system.length > 0 ? modelData.system : qsTr("profile")
                        }
                        Label {
                            text: modelData.message
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textSecondary
                        }
                    }
                }
                Item { Layout.fillWidth: true }
                Image {
                    visible: bar.controller.errorText.length > 0
                    source: Theme.icon("error")
                    sourceSize: Qt.size(14, 14)
                }
                Label {
                    objectName: "runStatusText"
                    text: bar.controller.errorText.length > 0 ? bar.controller.errorText
                                                               : bar.controller.statusText
                    color: bar.controller.errorText.length > 0 ? Theme.error
                                                                : Theme.textSecondary
                    font.pixelSize: Theme.fontSmall
                    elide: Text.ElideRight
                    Layout.maximumWidth: 520
                }
            }
        }
    }

    FileDialog {
        id: importDialog
        title: qsTr("Use a Data Set File")
        fileMode: FileDialog.OpenFile
        nameFilters: [qsTr("Records (*.csv *.jsonl *.ndjson *.json)"), qsTr("All files (*)")]
        onAccepted: bar.controller.importDataset(selectedFile.toString())
    }
}
