import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Run

// Sandbox faults for a drill: error rate, 429 rate limit, latency and outage, per system or
// for all; applied at once, also while a run is going on.
Popup {
    id: popup
    required property RunController controller
    property string system: ""
    width: 360
    padding: Theme.spacingM
    modal: false
    focus: true
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutsideParent

    function load() {
        const f = controller.faultsFor(system)
        errorRate.value = f.errorRate * 100
        rateLimit.value = f.rateLimit
        latency.value = f.latencyMs
        outage.checked = f.outage
    }
    function apply() {
        controller.setFaults(system, errorRate.value / 100, rateLimit.value, latency.value,
                             outage.checked)
    }
    onOpened: load()

    background: Rectangle {
        color: Theme.surface
        border.color: Theme.border
        radius: Theme.radiusLarge
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacingS
        Label {
            text: qsTr("Fault drill")
            font.pixelSize: Theme.fontTitle
            font.weight: Font.DemiBold
            color: Theme.textPrimary
        }
        Label {
            text: qsTr("Make the sandbox misbehave and watch retries, dead letters and the SLA "
                       + "respond.")
            wrapMode: Text.Wrap
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSmall
            Layout.fillWidth: true
        }
        GridLayout {
            columns: 2
            columnSpacing: Theme.spacingM
            rowSpacing: Theme.spacingS
            Layout.fillWidth: true
            Label { text: qsTr("System"); color: Theme.textSecondary }
            ComboBox {
                Layout.fillWidth: true
                model: popup.controller.systemOptions
                textRole: "name"
                valueRole: "id"
                onActivated: { popup.system = currentValue; popup.load() }
            }
            Label { text: qsTr("Errors (5xx)"); color: Theme.textSecondary }
            RowLayout {
                Slider { id: errorRate; from: 0; to: 100; stepSize: 5; Layout.fillWidth: true }
                Label { text: errorRate.value.toFixed(0) + " %"; Layout.preferredWidth: 40 }
            }
            Label { text: qsTr("Rate limit (429)"); color: Theme.textSecondary }
            RowLayout {
                SpinBox { id: rateLimit; from: 0; to: 10000; editable: true }
                Label { text: rateLimit.value > 0 ? qsTr("req/s") : qsTr("off")
                        color: Theme.textTertiary }
            }
            Label { text: qsTr("Latency"); color: Theme.textSecondary }
            RowLayout {
                SpinBox { id: latency; from: 0; to: 120000; stepSize: 100; editable: true }
                Label { text: qsTr("ms"); color: Theme.textTertiary }
            }
            Label { text: qsTr("Outage"); color: Theme.textSecondary }
            Switch { id: outage }
        }
        RowLayout {
            Layout.topMargin: Theme.spacingS
            Button { text: qsTr("Clear all"); flat: true
                     onClicked: { popup.controller.clearFaults(); popup.load() } }
            Item { Layout.fillWidth: true }
            Button { text: qsTr("Apply"); highlighted: true
                     onClicked: { popup.apply(); popup.close() } }
        }
    }
}
