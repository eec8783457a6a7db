import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard

// SLA figures of the run: attainment per SLA and a chart of each measured duration
// against the target (bars above the dashed line missed it).
Rectangle {
    id: view
    required property RunController controller
    readonly property var slas: controller.summary.slas || []
    color: Theme.windowBackground

    ListView {
        id: list
        anchors.fill: parent
        anchors.margins: Theme.spacingM
        clip: true
        spacing: Theme.spacingM
        model: view.slas
        boundsBehavior: Flickable.StopAtBounds
        delegate: Rectangle {
            id: card
            required property var modelData
            readonly property var sla: modelData
            width: ListView.view.width
            height: 340
            radius: Theme.radius
            color: Theme.surface
            border.color: Theme.border
            ColumnLayout {
                anchors.fill: parent
                anchors.margins: Theme.spacingM
                spacing: Theme.spacingS
                RowLayout {
                    spacing: Theme.spacingM
                    Label {
                        text: card.sla.name
                        font.pixelSize: Theme.fontTitle
                        font.weight: Font.DemiBold
                        color: Theme.textPrimary
                    }
                    StatusPill {
                        status: card.sla.ok ? "ok" : "error"
                        text: card.sla.ok ? qsTr("target met") : qsTr("target missed")
                    }
                    Item { Layout.fillWidth: true }
                    Label {
                        text: card.sla.metPercent.toFixed(1) + " %"
                        font.pixelSize: Theme.fontHeading
                        font.weight: Font.DemiBold
                        color: card.sla.ok ? "#1e7b3a" : Theme.error
                    }
                }
                Label {
                    text: qsTr("%1 of %2 measured instances within %3 min (target %4 %), %5 "
                               + "pending").arg(card.sla.met).arg(card.sla.measured)
                          .arg(card.sla.targetMinutes).arg(card.sla.targetPercent)
                          .arg(card.sla.pending)
                    color: Theme.textSecondary
                    font.pixelSize: Theme.fontSmall
                }
                Canvas {
                    id: chart
                    objectName: "slaChart"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    readonly property var durations: card.sla.durations || []
                    readonly property real target: card.sla.targetMinutes * 60000
                    onDurationsChanged: requestPaint()
                    onWidthChanged: requestPaint()
                    onHeightChanged: requestPaint()
                    onPaint: {
                        const ctx = getContext("2d")
                        ctx.reset()
                        const left = 56, bottom = 22, top = 8, right = 8
                        const w = width - left - right, h = height - top - bottom
                        let max = target * 1.25
                        for (const d of durations) max = Math.max(max, d)
                        const y = v => top + h - h * v / max
                        // Grid and axis labels in minutes.
                        ctx.font = "11px sans-serif"
                        ctx.fillStyle = Theme.textTertiary
                        ctx.strokeStyle = Theme.divider
                        ctx.lineWidth = 1
                        const steps = 4
                        for (let i = 0; i <= steps; ++i) {
                            const v = max * i / steps
                            ctx.beginPath()
                            ctx.moveTo(left, Math.round(y(v)) + 0.5)
                            ctx.lineTo(left + w, Math.round(y(v)) + 0.5)
                            ctx.stroke()
                            ctx.fillText((v / 60000).toFixed(1) + " min", 4, y(v) + 4)
                        }
                        // One bar per instance.
                        const n = durations.length
                        const bw = n > 0 ? w / n : 0
                        for (let i = 0; i < n; ++i) {
                            const d = durations[i]
                            ctx.fillStyle = d <= target ? "#52b26b" : Theme.error
                            const x = left + i * bw
                            ctx.fillRect(x + (bw > 3 ? 0.5 : 0), y(d), Math.max(1, bw - 1),
                                         top + h - y(d))
                        }
                        // The target.
                        ctx.strokeStyle = Theme.textPrimary
                        ctx.setLineDash([5, 4])
                        ctx.beginPath()
                        ctx.moveTo(left, Math.round(y(target)) + 0.5)
                        ctx.lineTo(left + w, Math.round(y(target)) + 0.5)
                        ctx.stroke()
                        ctx.setLineDash([])
                        ctx.fillStyle = Theme.textPrimary
                        ctx.fillText(qsTr("target %1 min").arg(card.sla.targetMinutes),
                                     left + w - 90, y(target) - 5)
                        ctx.fillStyle = Theme.textTertiary
                        ctx.fillText(qsTr("%1 instances, in start order").arg(n), left,
                                     height - 6)
                    }
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            text: qsTr("No SLA is defined for this workflow")
            color: Theme.textTertiary
        }
    }
}
