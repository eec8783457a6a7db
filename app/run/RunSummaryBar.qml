import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Run

// The figures of the run on show; a card opens the tab that explains it.
RowLayout {
    id: row
    required property RunController controller
    signal tabRequested(int index)
    readonly property var s: controller.summary
    readonly property var sla: s.slas && s.slas.length > 0 ? s.slas[0] : null
    spacing: Theme.spacingS

    function count(key) { return s[key] !== undefined ? s[key] : 0 }
    function pct(n, d) { return d > 0 ? (100 * n / d).toFixed(1) + " %" : "\u2014" }

    // Records in, instances out: the trigger filter and refused records explain the gap.
    MetricCard {
        objectName: "recordsCard"
        Layout.fillWidth: true
        title: qsTr("Records")
        value: row.count("records")
        detail: qsTr("%1 instances · %2 filtered").arg(row.count("instances"))
                .arg(row.count("filtered"))
                + (row.count("rejected") > 0 ? qsTr(" · %1 refused").arg(row.count("rejected"))
                                             : "")
        accent: Theme.textTertiary
        onClicked: row.tabRequested(0)
    }
    MetricCard {
        objectName: "completedCard"
        Layout.fillWidth: true
        title: qsTr("Completed")
        value: row.count("completed")
        detail: qsTr("%1 of %2 instances").arg(row.pct(row.count("completed"),
                                                        row.count("instances")))
                .arg(row.count("instances"))
        accent: Theme.successBright
        onClicked: row.tabRequested(0)
    }
    // Every instance that ended without completing: failed, dead-lettered or compensated, so
    // that completed + waiting + failed add up to the instances.
    readonly property int notCompleted: count("failed") + count("deadLetters")
    MetricCard {
        objectName: "failedCard"
        Layout.fillWidth: true
        title: qsTr("Failed")
        value: row.notCompleted
        detail: row.notCompleted === 0
                ? qsTr("%1 of instances").arg(row.pct(0, row.count("instances")))
                : qsTr("%1 dead-lettered \u00b7 %2 failed")
                  .arg(row.count("deadLetters") - row.count("compensated"))
                  .arg(row.count("failed"))
                  + (row.count("compensated") > 0
                     ? qsTr(" \u00b7 %1 compensated").arg(row.count("compensated")) : "")
        accent: row.notCompleted > 0 ? Theme.error : Theme.textTertiary
        onClicked: row.tabRequested(0)
    }
    MetricCard {
        Layout.fillWidth: true
        title: qsTr("Exceptions")
        value: row.count("exceptions")
        detail: qsTr("waiting for approval")
        accent: Theme.warning
        onClicked: row.tabRequested(1)
    }
    MetricCard {
        Layout.fillWidth: true
        title: qsTr("Dead letters")
        value: row.count("deadLetters")
        detail: qsTr("%1 business \u00b7 %2 transient").arg(row.count("businessErrors"))
                .arg(row.count("transientErrors"))
        accent: Theme.error
        onClicked: row.tabRequested(2)
    }
    MetricCard {
        Layout.fillWidth: true
        objectName: "slaCard"
        title: row.sla ? qsTr("SLA %1").arg(row.sla.name) : qsTr("SLA")
        value: row.sla ? row.sla.metPercent.toFixed(1) + " %" : "\u2014"
        // Short enough not to be cut: the target is in the SLA tab and the tooltip.
        detail: row.sla ? qsTr("%1 of %2 met \u00b7 %3 pending").arg(row.sla.met)
                          .arg(row.sla.measured).arg(row.sla.pending)
                        : qsTr("no SLA for this workflow")
        ToolTip.visible: slaHover.hovered && row.sla !== null
        ToolTip.delay: 500
        ToolTip.text: row.sla ? qsTr("%1: %2 % within %3 min (target %4 %)").arg(row.sla.name)
                                .arg(row.sla.metPercent.toFixed(1)).arg(row.sla.targetMinutes)
                                .arg(row.sla.targetPercent) : ""
        HoverHandler { id: slaHover }
        accent: row.sla && !row.sla.ok ? Theme.error : Theme.accent
        onClicked: row.tabRequested(3)
    }
    MetricCard {
        objectName: "throughputCard"
        Layout.fillWidth: true
        title: qsTr("Instances / s")
        // Under a second the rate is noise: the card says how long the run took instead.
        readonly property bool rated: row.count("elapsedMs") >= 1000 || row.controller.running
        value: rated ? row.count("throughput").toFixed(0) : "\u2014"
        detail: (rated ? "" : qsTr("run took %1 ms \u00b7 ").arg(row.count("elapsedMs")))
                + qsTr("%1 steps \u00b7 %2 retries").arg(row.count("steps"))
                .arg(row.count("retries"))
        accent: Theme.flowEdge
        onClicked: row.tabRequested(5)
    }
}
