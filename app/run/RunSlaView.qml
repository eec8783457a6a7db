import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Run

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
                        color: card.sla.ok ? Theme.success : Theme.error
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
                    // Every duration 0 (the sandbox answers at once in simulated time): a
                    // sentence, not a flat line at 0 on an axis as long as the target.
                    readonly property bool allZero: durations.length > 0
                                                    && Math.max(...durations) === 0
                    readonly property real axisMax: {
                        let longest = 0
                        for (const d of durations) longest = Math.max(longest, d)
                        const zoomed = longest > 0 && longest < target / 4
                        return zoomed ? longest * 1.25 : Math.max(target * 1.25, longest, 1)
                    }
                    onDurationsChanged: requestPaint()
                    onWidthChanged: requestPaint()
                    onHeightChanged: requestPaint()
                    function fmt(ms) {
                        return ms >= 60000 ? (ms / 60000).toFixed(1) + " min"
                               : ms >= 1000 ? (ms / 1000).toFixed(1) + " s"
                               : Math.round(ms) + " ms"
                    }
                    onPaint: {
                        const ctx = getContext("2d")
                        ctx.reset()
                        if (allZero) {
                            ctx.font = "13px sans-serif"
                            ctx.fillStyle = Theme.textSecondary
                            ctx.fillText(qsTr("All %1 measured instances took 0 ms: the "
                                              + "simulated systems answer at once, so every "
                                              + "one is within the %2 min target.")
                                         .arg(durations.length).arg(card.sla.targetMinutes),
                                         16, height / 2)
                            return
                        }
                        const left = 64, bottom = 22, top = 20, right = 8
                        const w = width - left - right, h = height - top - bottom
                        let longest = 0
                        for (const d of durations) longest = Math.max(longest, d)
                        // Far below the target, the target would flatten every bar: zoom in.
                        const zoomed = longest > 0 && longest < target / 4
                        const max = axisMax
                        const y = v => top + h - h * v / max
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
                            ctx.fillText(fmt(v), 4, y(v) + 4)
                        }
                        // One bar per instance, at least 2 px so a 0 ms duration shows.
                        const n = durations.length
                        const bw = n > 0 ? w / n : 0
                        for (let i = 0; i < n; ++i) {
                            const d = durations[i]
                            ctx.fillStyle = d <= target ? Theme.successChart : Theme.error
                            const x = left + i * bw
                            const bh = Math.max(2, top + h - y(d))
                            ctx.fillRect(x + (bw > 3 ? 0.5 : 0), top + h - bh,
                                         Math.max(1, bw - 1), bh)
                        }
                        ctx.fillStyle = Theme.textPrimary
                        if (zoomed) {
                            ctx.fillText(qsTr("all below the %1 min target (scale zoomed in)")
                                         .arg(card.sla.targetMinutes), left + w - 250, 12)
                        } else {
                            ctx.strokeStyle = Theme.textPrimary
                            ctx.setLineDash([5, 4])
                            ctx.beginPath()
                            ctx.moveTo(left, Math.round(y(target)) + 0.5)
                            ctx.lineTo(left + w, Math.round(y(target)) + 0.5)
                            ctx.stroke()
                            ctx.setLineDash([])
                            ctx.fillText(qsTr("target %1 min").arg(card.sla.targetMinutes),
                                         left + w - 90, y(target) - 5)
                        }
                        const sorted = durations.slice().sort((a, b) => a - b)
                        const pick = q => sorted.length ? sorted[Math.min(sorted.length - 1,
                                                               Math.floor(q * sorted.length))] : 0
                        ctx.fillStyle = Theme.textTertiary
                        ctx.fillText(qsTr("%1 instances in start order \u00b7 p50 %2 \u00b7 p95 %3"
                                          + " \u00b7 max %4").arg(n).arg(fmt(pick(0.5)))
                                     .arg(fmt(pick(0.95))).arg(fmt(longest)), left, height - 6)
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
