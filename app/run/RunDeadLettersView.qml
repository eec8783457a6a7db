import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Run

// Dead letters with their reason; replay runs the failed step again with the studio's
// current project (a mapping fixed since the run is what replays), optionally with edited
// data.
Rectangle {
    id: view
    required property RunController controller
    signal traceRequested(string instanceId)
    color: Theme.windowBackground

    ListView {
        id: list
        objectName: "runDeadLettersList"
        anchors.fill: parent
        anchors.margins: Theme.spacingM
        clip: true
        spacing: Theme.spacingS
        model: view.controller.deadLetters
        boundsBehavior: Flickable.StopAtBounds
        reuseItems: true
        ScrollBar.vertical: ScrollBar {}
        header: Label {
            width: ListView.view.width
            bottomPadding: Theme.spacingS
            text: qsTr("%1 dead letter(s). Fix the cause in the studio (a mapping, a rule), "
                       + "then replay: the failed step runs again with the current project.")
                  .arg(list.count)
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
        delegate: Rectangle {
            id: letter
            required property var letterId
            required property string instanceId
            required property string correlationId
            required property string stepName
            required property string error
            required property string category
            required property string payload
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
                    StatusPill { status: "dead-lettered"; text: letter.category }
                    Label {
                        text: letter.stepName
                        font.pixelSize: Theme.fontBody
                        font.weight: Font.DemiBold
                        color: Theme.textPrimary
                    }
                    Label {
                        text: letter.correlationId
                        font.family: "monospace"
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textSecondary
                    }
                    Item { Layout.fillWidth: true }
                    Button {
                        text: qsTr("Trace")
                        flat: true
                        onClicked: view.traceRequested(letter.instanceId)
                    }
                    Button {
                        text: letter.editing ? qsTr("Cancel edit") : qsTr("Edit\u2026")
                        enabled: !view.controller.busy
                        onClicked: letter.editing = !letter.editing
                    }
                    Button {
                        objectName: "letterReplayButton"
                        text: letter.editing ? qsTr("Replay edited") : qsTr("Replay")
                        highlighted: true
                        enabled: !view.controller.busy
                        onClicked: view.controller.replayDeadLetter(
                                       letter.letterId, letter.editing ? editor.text : "")
                    }
                }
                Label {
                    text: letter.error
                    color: Theme.error
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                    maximumLineCount: 3
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                ScrollView {
                    visible: letter.editing
                    Layout.fillWidth: true
                    Layout.preferredHeight: 200
                    TextArea {
                        id: editor
                        text: letter.payload
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
            text: qsTr("No dead letters")
            color: Theme.textTertiary
        }
    }
}
