import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Run

// The exception queue: open approval tasks with approve, reject and edit-and-approve.
Rectangle {
    id: view
    required property RunController controller
    signal traceRequested(string instanceId)
    color: Theme.windowBackground

    ListView {
        id: list
        objectName: "runTasksList"
        anchors.fill: parent
        anchors.margins: Theme.spacingM
        clip: true
        spacing: Theme.spacingS
        model: view.controller.tasks
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {}
        header: Label {
            width: ListView.view.width
            bottomPadding: Theme.spacingS
            text: qsTr("%1 open approval task(s). Approve to continue the instance, reject to "
                       + "dead-letter it, or edit its data and approve.").arg(list.count)
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
        delegate: Rectangle {
            id: task
            required property var taskId
            required property string instanceId
            required property string correlationId
            required property string stepName
            required property string roleName
            required property string payload
            required property string summary
            property bool editing: false
            width: ListView.view.width
            height: content.implicitHeight + 24
            radius: Theme.radius
            color: Theme.surface
            border.color: Theme.border
            ColumnLayout {
                id: content
                x: 16
                y: 12
                width: parent.width - 32
                spacing: 6
                RowLayout {
                    spacing: Theme.spacingS
                    Layout.fillWidth: true
                    StatusPill { status: "waiting"; text: task.roleName }
                    Label {
                        text: task.stepName
                        font.pixelSize: Theme.fontBody
                        font.weight: Font.DemiBold
                        color: Theme.textPrimary
                    }
                    Label {
                        text: task.correlationId
                        font.family: "monospace"
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textSecondary
                    }
                    Item { Layout.fillWidth: true }
                    Button {
                        text: qsTr("Trace")
                        flat: true
                        onClicked: view.traceRequested(task.instanceId)
                    }
                    Button {
                        text: task.editing ? qsTr("Cancel edit") : qsTr("Edit\u2026")
                        enabled: !view.controller.busy
                        onClicked: task.editing = !task.editing
                    }
                    Button {
                        objectName: "taskRejectButton"
                        text: qsTr("Reject")
                        enabled: !view.controller.busy
                        onClicked: view.controller.rejectTask(task.taskId, note.text)
                    }
                    Button {
                        objectName: "taskApproveButton"
                        text: task.editing ? qsTr("Approve edited") : qsTr("Approve")
                        highlighted: true
                        enabled: !view.controller.busy
                        onClicked: view.controller.approveTask(task.taskId, note.text,
                                                               task.editing ? editor.text : "")
                    }
                }
                Label {
                    text: task.summary
                    visible: text.length > 0
                    color: Theme.textPrimary
                    font.pixelSize: Theme.fontSmall
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                TextField {
                    id: note
                    placeholderText: qsTr("Note for the decision (optional)")
                    font.pixelSize: Theme.fontSmall
                    Layout.fillWidth: true
                }
                ScrollView {
                    visible: task.editing
                    Layout.fillWidth: true
                    Layout.preferredHeight: 200
                    TextArea {
                        id: editor
                        text: task.payload
                        font.family: "monospace"
                        font.pixelSize: Theme.fontSmall
                        background: Rectangle { color: Theme.surfaceAlt; radius: 4
                                                border.color: Theme.border }
                    }
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            text: qsTr("No open exceptions")
            color: Theme.textTertiary
        }
    }
}
