import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Run

// The instance table (status filter chips, one row per instance) beside the trace of the
// selected instance.
SplitView {
    id: view
    required property RunController controller
    orientation: Qt.Horizontal
    handle: Rectangle {
        implicitWidth: 4
        color: SplitHandle.pressed || SplitHandle.hovered ? Theme.accentSoft : Theme.divider
    }
    readonly property var filters: [
        {status: "", title: qsTr("All"), key: "all"},
        {status: "completed", title: qsTr("Completed"), key: "completed"},
        {status: "waiting", title: qsTr("Waiting"), key: "waiting"},
        {status: "dead-lettered", title: qsTr("Dead-lettered"), key: "dead-lettered"},
        {status: "compensated", title: qsTr("Compensated"), key: "compensated"},
        {status: "failed", title: qsTr("Failed"), key: "failed"}
    ]
    readonly property var columns: [110, 170, 96, 78, 200]

    Rectangle {
        SplitView.preferredWidth: parent.width * 0.56
        SplitView.minimumWidth: 420
        color: Theme.surface

        ColumnLayout {
            anchors.fill: parent
            spacing: 0

            Flow {
                Layout.fillWidth: true
                Layout.margins: Theme.spacingS
                spacing: Theme.spacingXs
                Repeater {
                    model: view.filters
                    delegate: AbstractButton {
                        id: chip
                        required property var modelData
                        readonly property int n: view.controller.instances.statusCounts[
                                                     modelData.key] || 0
                        readonly property bool current:
                            view.controller.instances.statusFilter === modelData.status
                        visible: n > 0 || modelData.status === ""
                        implicitHeight: 26
                        implicitWidth: chipRow.implicitWidth + 20
                        onClicked: view.controller.instances.statusFilter = modelData.status
                        background: Rectangle {
                            radius: 13
                            color: chip.current ? Theme.accentSoft
                                                : chip.hovered ? Theme.hover : Theme.surface
                            border.color: chip.current ? Theme.accent : Theme.border
                        }
                        contentItem: Item {
                            Row {
                                id: chipRow
                                anchors.centerIn: parent
                                spacing: 6
                                Label {
                                    text: chip.modelData.title
                                    font.pixelSize: Theme.fontSmall
                                    color: chip.current ? Theme.accent : Theme.textPrimary
                                }
                                Label {
                                    text: chip.n.toLocaleString(Qt.locale(), "f", 0)
                                    font.pixelSize: Theme.fontSmall
                                    color: Theme.textTertiary
                                }
                            }
                        }
                    }
                }
            }

            // Column header.
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: 28
                color: Theme.surfaceAlt
                Rectangle { anchors.top: parent.top; width: parent.width; height: 1
                            color: Theme.divider }
                Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                            color: Theme.divider }
                Row {
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacingM
                    Repeater {
                        model: [qsTr("Status"), qsTr("Correlation id"), qsTr("Started"),
                                qsTr("Duration"), qsTr("Failing step / reason")]
                        delegate: Label {
                            required property string modelData
                            required property int index
                            width: view.columns[index]
                            height: 28
                            verticalAlignment: Text.AlignVCenter
                            text: modelData
                            font.pixelSize: Theme.fontCaption
                            font.weight: Font.DemiBold
                            color: Theme.textSecondary
                        }
                    }
                }
            }

            ListView {
                id: table
                objectName: "runInstancesList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: view.controller.instances
                boundsBehavior: Flickable.StopAtBounds
                reuseItems: true
                ScrollBar.vertical: ScrollBar {}
                currentIndex: view.controller.instances.indexOf(view.controller.selectedInstance)
                delegate: Rectangle {
                    id: row
                    required property int index
                    required property string instanceId
                    required property string status
                    required property string correlationId
                    required property string startedText
                    required property string durationText
                    required property string failingStepName
                    required property string reason
                    width: ListView.view.width
                    height: 30
                    color: ListView.isCurrentItem ? Theme.accentSoft
                           : rowMouse.containsMouse ? Theme.hover
                           : index % 2 ? Theme.rowAlt : Theme.surface
                    Row {
                        anchors.fill: parent
                        anchors.leftMargin: Theme.spacingM
                        Item {
                            width: view.columns[0]; height: parent.height
                            StatusPill { anchors.verticalCenter: parent.verticalCenter
                                         status: row.status }
                        }
                        Label {
                            width: view.columns[1]; height: parent.height
                            verticalAlignment: Text.AlignVCenter
                            text: row.correlationId
                            font.family: "monospace"
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textPrimary
                            elide: Text.ElideRight
                        }
                        Label {
                            width: view.columns[2]; height: parent.height
                            verticalAlignment: Text.AlignVCenter
                            text: row.startedText
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textSecondary
                        }
                        Label {
                            width: view.columns[3]; height: parent.height
                            verticalAlignment: Text.AlignVCenter
                            text: row.durationText
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textPrimary
                        }
                        Label {
                            width: row.width - view.columns[0] - view.columns[1]
                                   - view.columns[2] - view.columns[3] - Theme.spacingM * 2
                            height: parent.height
                            verticalAlignment: Text.AlignVCenter
                            text: row.reason.length > 0
                                  ? row.failingStepName + ": " + row.reason
                                  : row.failingStepName
                            font.pixelSize: Theme.fontSmall
                            color: row.reason.length > 0 ? Theme.error : Theme.textSecondary
                            elide: Text.ElideRight
                        }
                    }
                    MouseArea {
                        id: rowMouse
                        anchors.fill: parent
                        hoverEnabled: true
                        onClicked: view.controller.selectedInstance = row.instanceId
                    }
                }
                Label {
                    anchors.centerIn: parent
                    visible: table.count === 0
                    text: qsTr("No instances with this status")
                    color: Theme.textTertiary
                }
            }
        }
    }

    RunTraceView {
        controller: view.controller
        SplitView.fillWidth: true
        SplitView.minimumWidth: 360
    }
}
