import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Run
import Switchboard.Shell

// The run panel: run a workflow over a data set in the sandbox (worker thread, progress,
// cancel, fault drills) and read what happened, record by record: instances and their
// traces, the exception queue, dead letters with replay, SLA, reconciliation, past runs.
Rectangle {
    id: page
    objectName: "runPage"
    color: Theme.windowBackground
    property alias controller: run
    property alias currentTab: tabs.currentIndex

    RunController {
        id: run
        objectName: "runController"
        document: StudioController.document
        projectDir: StudioController.projectDir
        onRunFinished: {
            // Show the first failed instance's trace: what an analyst looks at first.
            if (run.selectedInstance.length === 0 && run.instances.count > 0)
                run.selectedInstance = run.instances.instanceAt(0)
        }
    }

    function showTrace(instanceId) {
        run.instances.statusFilter = ""
        run.selectedInstance = instanceId
        tabs.currentIndex = 0
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RunToolbar {
            Layout.fillWidth: true
            controller: run
            onFaultsRequested: (anchor) => {
                faultPopup.parent = anchor
                faultPopup.x = anchor.width - faultPopup.width
                faultPopup.y = anchor.height + 4
                faultPopup.open()
            }
        }

        // Nothing run yet.
        Item {
            visible: !run.hasResults && !run.running
            Layout.fillWidth: true
            Layout.fillHeight: true
            ColumnLayout {
                anchors.centerIn: parent
                width: Math.min(1100, parent.width - 64)
                spacing: Theme.spacingS
                Image {
                    Layout.alignment: Qt.AlignHCenter
                    source: Theme.icon("view-run")
                    sourceSize: Qt.size(48, 48)
                    opacity: 0.5
                }
                Label {
                    Layout.alignment: Qt.AlignHCenter
                    text: qsTr("Run a workflow over a sample data set")
                    font.pixelSize: Theme.fontHeading
                    color: Theme.textPrimary
                }
                Label {
                    Layout.alignment: Qt.AlignHCenter
                    Layout.maximumWidth: 560
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.Wrap
                    text: qsTr("Each record becomes a durable instance running against the "
                               + "simulated systems. Then read the trace of any record, decide "
                               + "the exceptions, replay dead letters after a fix and check the "
                               + "SLA.")
                    color: Theme.textSecondary
                }
                Button {
                    Layout.alignment: Qt.AlignHCenter
                    Layout.topMargin: Theme.spacingS
                    text: qsTr("Run \u201c%1\u201d").arg(
                              (run.workflowOptions.find(w => w.id === run.workflowId) || {}).name
                              || run.workflowId)
                    highlighted: true
                    enabled: run.workflowId.length > 0
                    onClicked: run.run()
                }
                Label {
                    Layout.alignment: Qt.AlignHCenter
                    Layout.topMargin: Theme.spacingL
                    visible: run.history.count > 0
                    text: qsTr("or reopen a past run of this project")
                    color: Theme.textTertiary
                    font.pixelSize: Theme.fontSmall
                }
                RunHistoryView {
                    visible: run.history.count > 0
                    controller: run
                    Layout.fillWidth: true
                    Layout.preferredHeight: Math.min(260, 64 + run.history.count * 34)
                }
            }
        }

        ColumnLayout {
            visible: run.hasResults || run.running
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            RunSummaryBar {
                Layout.fillWidth: true
                Layout.margins: Theme.spacingM
                Layout.bottomMargin: Theme.spacingS
                controller: run
                onTabRequested: (index) => tabs.currentIndex = index
            }

            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: 36
                color: Theme.windowBackground
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacingM
                    anchors.rightMargin: Theme.spacingM
                    TabBar {
                        id: tabs
                        objectName: "runTabs"
                        Layout.alignment: Qt.AlignBottom
                        background: null
                        Repeater {
                            model: [
                                qsTr("Instances  %1").arg(run.instances.statusCounts.all || 0),
                                qsTr("Exceptions  %1").arg(run.tasks.count),
                                qsTr("Dead letters  %1").arg(run.deadLetters.count),
                                qsTr("SLA"), qsTr("Reconciliation"),
                                qsTr("History  %1").arg(run.history.count)
                            ]
                            delegate: TabButton {
                                id: tab
                                required property string modelData
                                text: modelData
                                width: implicitWidth
                                height: 36
                                leftPadding: 14
                                rightPadding: 14
                                font.pixelSize: Theme.fontBody
                                contentItem: Label {
                                    text: tab.text
                                    font: tab.font
                                    verticalAlignment: Text.AlignVCenter
                                    color: tab.checked ? Theme.accent
                                           : tab.hovered ? Theme.textPrimary
                                                         : Theme.textSecondary
                                }
                                background: Rectangle {
                                    color: "transparent"
                                    Rectangle {
                                        anchors.bottom: parent.bottom
                                        width: parent.width
                                        height: 2
                                        color: tab.checked ? Theme.accent : "transparent"
                                    }
                                }
                            }
                        }
                    }
                    Item { Layout.fillWidth: true }
                    Label {
                        text: run.runTitle
                        color: Theme.textTertiary
                        font.pixelSize: Theme.fontSmall
                        elide: Text.ElideLeft
                        Layout.maximumWidth: 420
                    }
                }
                Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                            color: Theme.border }
            }

            StackLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                currentIndex: tabs.currentIndex
                RunInstancesView { controller: run }
                RunExceptionsView { controller: run
                                    onTraceRequested: (id) => page.showTrace(id) }
                RunDeadLettersView { controller: run
                                     onTraceRequested: (id) => page.showTrace(id) }
                RunSlaView { controller: run }
                RunReconciliationView { controller: run }
                RunHistoryView { objectName: "runHistoryView"; controller: run }
            }
        }
    }

    FaultDrillPopup {
        id: faultPopup
        controller: run
    }
}
