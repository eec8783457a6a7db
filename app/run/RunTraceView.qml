import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Run
import Switchboard.Shell

// The trace of one instance: its steps as a timeline from the journal, each with timing,
// request, response, mapping output and the reason of an error. Click a step for details.
Rectangle {
    id: trace
    required property RunController controller
    readonly property var info: controller.selectedInfo
    color: Theme.windowBackground

    function kindStatus(kind, error) {
        if (kind === "error") return "error"
        if (kind === "retry") return "retry"
        if (kind === "wait") return "waiting"
        if (kind === "compensate") return "compensated"
        if (kind === "resume") return "running"
        return "ok"
    }
    function offsetText(ms) {
        const s = Math.floor(ms / 1000)
        if (s >= 3600)
            return "+" + Math.floor(s / 3600) + "h" + ("0" + Math.floor(s % 3600 / 60)).slice(-2)
        return "+" + Math.floor(s / 60) + ":" + ("0" + s % 60).slice(-2) + "."
               + ("00" + ms % 1000).slice(-3)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 56
            color: Theme.surface
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                        color: Theme.divider }
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.spacingM
                anchors.rightMargin: Theme.spacingM
                spacing: Theme.spacingS
                ColumnLayout {
                    spacing: 2
                    Layout.fillWidth: true
                    Label {
                        text: trace.controller.selectedInstance.length > 0
                              ? qsTr("Trace of %1").arg(trace.info.correlationId || "")
                              : qsTr("Trace")
                        font.pixelSize: Theme.fontTitle
                        font.weight: Font.DemiBold
                        color: Theme.textPrimary
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        visible: trace.controller.selectedInstance.length > 0
                        text: qsTr("instance %1 \u00b7 %2 \u00b7 %3")
                              .arg(trace.controller.selectedInstance)
                              .arg(Theme.plural(trace.controller.trace.count, qsTr("step"),
                                                qsTr("steps")))
                              .arg(trace.info.durationText || "")
                        font.pixelSize: Theme.fontCaption
                        font.family: "monospace"
                        color: Theme.textTertiary
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                }
                StatusPill {
                    visible: trace.controller.selectedInstance.length > 0
                    status: trace.info.status || ""
                }
                // The instance's path on the workflow canvas (the workflows view).
                Button {
                    objectName: "traceShowOnCanvasButton"
                    visible: trace.controller.selectedInstance.length > 0
                    text: qsTr("Show on canvas")
                    onClicked: {
                        const path = trace.controller.selectedPath
                        CanvasPath.show(path)
                        StudioController.selectElement(ElementRef.Workflow, path.workflowId)
                        StudioController.currentView = StudioController.Workflows
                    }
                }
                Button {
                    objectName: "traceReplayButton"
                    visible: (trace.info.deadLetterId || 0) > 0
                    text: qsTr("Replay")
                    enabled: !trace.controller.busy
                    onClicked: trace.controller.replayDeadLetter(trace.info.deadLetterId)
                }
            }
        }

        ListView {
            id: steps
            objectName: "runTraceList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: trace.controller.trace
            spacing: 0
            topMargin: Theme.spacingS
            bottomMargin: Theme.spacingS
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            delegate: Item {
                id: step
                required property int index
                required property string stepName
                required property string stepType
                required property string kind
                required property string atText
                required property var offsetMs
                required property var durationMs
                required property int httpStatus
                required property string requestLine
                required property string requestBody
                required property string responseBody
                required property string output
                required property string error
                required property string category
                required property string next
                required property string detail
                property bool expanded: false
                readonly property bool failed: kind === "error"
                width: ListView.view.width
                height: card.height + Theme.spacingS

                // Time gutter and the timeline line with its dot.
                Label {
                    x: Theme.spacingS
                    y: 10
                    width: 74
                    horizontalAlignment: Text.AlignRight
                    text: trace.offsetText(Number(step.offsetMs))
                    font.pixelSize: Theme.fontCaption
                    font.family: "monospace"
                    color: Theme.textTertiary
                }
                Rectangle {
                    x: 96
                    width: 2
                    y: step.index === 0 ? 14 : 0
                    height: step.index === steps.count - 1 ? 14 : parent.height
                    color: Theme.border
                }
                Rectangle {
                    x: 91
                    y: 9
                    width: 12
                    height: 12
                    radius: 6
                    color: Theme.surface
                    border.width: 3
                    border.color: step.failed ? Theme.error
                                  : step.kind === "retry" || step.kind === "wait" ? Theme.warning
                                  : step.kind === "compensate" ? Theme.compensate
                                  : Theme.successBright
                }

                Rectangle {
                    id: card
                    x: 114
                    width: parent.width - x - Theme.spacingM
                    height: body.implicitHeight + 16
                    radius: Theme.radius
                    color: step.failed ? Theme.errorFill : Theme.surface
                    border.color: step.failed ? Theme.errorBorder : Theme.border
                    ColumnLayout {
                        id: body
                        x: 10
                        y: 8
                        width: parent.width - 20
                        spacing: 4
                        RowLayout {
                            spacing: Theme.spacingS
                            Layout.fillWidth: true
                            Label {
                                text: step.stepName
                                font.pixelSize: Theme.fontBody
                                font.weight: Font.DemiBold
                                color: Theme.textPrimary
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }
                            Label {
                                visible: step.stepType.length > 0
                                text: step.stepType
                                font.pixelSize: Theme.fontCaption
                                color: Theme.textTertiary
                            }
                            StatusPill {
                                status: trace.kindStatus(step.kind)
                                text: step.kind === "result" ? "ok"
                                      : step.kind + (step.category.length > 0
                                                     ? " \u00b7 " + step.category : "")
                            }
                            Label {
                                visible: Number(step.durationMs) >= 0
                                text: Number(step.durationMs) + " ms"
                                font.pixelSize: Theme.fontCaption
                                font.family: "monospace"
                                color: Theme.textSecondary
                            }
                        }
                        RowLayout {
                            visible: step.requestLine.length > 0
                            spacing: Theme.spacingS
                            Layout.fillWidth: true
                            Label {
                                text: step.httpStatus > 0 ? step.httpStatus : "\u2014"
                                font.pixelSize: Theme.fontSmall
                                font.family: "monospace"
                                font.weight: Font.DemiBold
                                color: step.httpStatus >= 400 || step.httpStatus === 0
                                       ? Theme.error : Theme.success
                            }
                            Label {
                                text: step.requestLine
                                font.pixelSize: Theme.fontSmall
                                font.family: "monospace"
                                color: Theme.textSecondary
                                elide: Text.ElideMiddle
                                Layout.fillWidth: true
                            }
                        }
                        Label {
                            visible: step.error.length > 0
                            text: step.error
                            wrapMode: Text.Wrap
                            font.pixelSize: Theme.fontSmall
                            color: Theme.error
                            Layout.fillWidth: true
                        }
                        Label {
                            visible: step.detail.length > 0 || step.next.length > 0
                            text: [step.detail, step.next.length > 0 ? "\u2192 " + step.next : ""]
                                  .filter(t => t.length > 0).join("   ")
                            font.pixelSize: Theme.fontCaption
                            color: Theme.textTertiary
                            Layout.fillWidth: true
                            elide: Text.ElideRight
                        }
                        Repeater {
                            model: step.expanded
                                   ? [{t: qsTr("Request"), v: step.requestBody},
                                      {t: qsTr("Response"), v: step.responseBody},
                                      {t: qsTr("Output"), v: step.output}]
                                     .filter(x => x.v.length > 0)
                                   : []
                            delegate: ColumnLayout {
                                required property var modelData
                                spacing: 2
                                Layout.fillWidth: true
                                Label {
                                    text: modelData.t
                                    font.pixelSize: Theme.fontCaption
                                    font.weight: Font.DemiBold
                                    color: Theme.textSecondary
                                }
                                Rectangle {
                                    Layout.fillWidth: true
                                    implicitHeight: Math.min(180, code.implicitHeight + 12)
                                    color: Theme.surfaceAlt
                                    radius: 4
                                    clip: true
                                    Label {
                                        id: code
                                        x: 6
                                        y: 6
                                        width: parent.width - 12
                                        text: modelData.v
                                        font.family: "monospace"
                                        font.pixelSize: Theme.fontCaption
                                        color: Theme.textPrimary
                                        wrapMode: Text.WrapAnywhere
                                    }
                                }
                            }
                        }
                    }
                    MouseArea {
                        anchors.fill: parent
                        cursorShape: Qt.PointingHandCursor
                        onClicked: step.expanded = !step.expanded
                    }
                }
            }
            Label {
                anchors.centerIn: parent
                visible: steps.count === 0
                text: trace.controller.selectedInstance.length > 0
                      ? qsTr("No journal entries")
                      : qsTr("Select an instance to see its trace")
                color: Theme.textTertiary
            }
        }
    }
}
