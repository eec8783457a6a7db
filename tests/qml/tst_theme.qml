import QtQuick
import QtTest
import Switchboard.Controls

// The theme's formatting and icon helpers, and StatusPill's colour by status.
Item {
    width: 200
    height: 100

    StatusPill { id: pill }

    TestCase {
        name: "Theme"

        function test_plural() {
            compare(Theme.plural(1, "rule", "rules"), "1 rule")
            compare(Theme.plural(0, "rule", "rules"), "0 rules")
            compare(Theme.plural(3, "rule", "rules"), "3 rules")
        }

        function test_icon() {
            compare(Theme.icon("error"), "qrc:/qt/qml/Switchboard/Controls/icons/error.svg")
            // A C++ icon URL maps to the same icon (light here: the test palette is light).
            compare(Theme.themed("qrc:/qt/qml/Switchboard/Controls/icons/kind-crm.svg"),
                    Theme.icon("kind-crm"))
            compare(Theme.themed("file:///elsewhere/x.png"), "file:///elsewhere/x.png")
        }

        function test_severityIcon_data() {
            return [
                {tag: "error", severity: "error", icon: "error"},
                {tag: "warning", severity: "warning", icon: "warning"},
                {tag: "info", severity: "info", icon: "info"},
                {tag: "other", severity: "", icon: "info"},
            ]
        }

        function test_severityIcon(row) {
            compare(Theme.severityIcon(row.severity), Theme.icon(row.icon))
        }

        function test_statusPillColours_data() {
            return [
                {tag: "completed", status: "completed", ink: Theme.success,
                 fill: Theme.successSoft},
                {tag: "failed", status: "failed", ink: Theme.error, fill: Theme.errorSoft},
                {tag: "dead-lettered", status: "dead-lettered", ink: Theme.error,
                 fill: Theme.errorSoft},
                {tag: "waiting", status: "waiting", ink: Theme.warning, fill: Theme.warningSoft},
                {tag: "compensated", status: "compensated", ink: Theme.compensate,
                 fill: Theme.compensateSoft},
                {tag: "unknown", status: "paused", ink: Theme.textSecondary,
                 fill: Theme.surfaceAlt},
            ]
        }

        function test_statusPillColours(row) {
            pill.status = row.status
            verify(Qt.colorEqual(pill.colors[0], row.ink))
            verify(Qt.colorEqual(pill.color, row.fill))
            compare(pill.text, row.status)
        }
    }
}
