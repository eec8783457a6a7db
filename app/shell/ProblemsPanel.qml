import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Shell

// Governance findings of the open project (FindingsModel), re-validated after edits.
// Clicking a finding selects it; a finding about a system also centres that system.
Rectangle {
    id: panel
    objectName: "problemsPanel"
    color: Theme.surface
    readonly property int count: list.count

    Rectangle {
        anchors.top: parent.top
        width: parent.width
        height: 1
        color: Theme.border
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.topMargin: 1
        spacing: 0

        // Header: title and counts.
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 36
            color: Theme.surfaceAlt
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.spacingM
                anchors.rightMargin: Theme.spacingM
                spacing: Theme.spacingS
                Label {
                    text: qsTr("Problems")
                    font.pixelSize: Theme.fontBody
                    font.weight: Font.DemiBold
                    color: Theme.textPrimary
                }
                Rectangle {
                    visible: list.count > 0
                    Layout.preferredHeight: 18
                    Layout.preferredWidth: Math.max(18, totalLabel.implicitWidth + 10)
                    radius: 9
                    color: Theme.border
                    Label {
                        id: totalLabel
                        anchors.centerIn: parent
                        text: list.count
                        font.pixelSize: Theme.fontCaption
                        font.weight: Font.DemiBold
                        color: Theme.textSecondary
                    }
                }
                Item { Layout.fillWidth: true }
                Repeater {
                    model: [
                        { icon: "error", count: StudioController.errorCount,
                          text: Theme.plural(StudioController.errorCount, qsTr("error"),
                                             qsTr("errors")) },
                        { icon: "warning", count: StudioController.warningCount,
                          text: Theme.plural(StudioController.warningCount, qsTr("warning"),
                                             qsTr("warnings")) },
                        { icon: "info", count: StudioController.infoCount, text: qsTr("info") }
                    ]
                    delegate: RowLayout {
                        required property var modelData
                        spacing: Theme.spacingXs
                        Layout.leftMargin: Theme.spacingS
                        Image {
                            source: Theme.icon(parent.modelData.icon)
                            sourceSize: Qt.size(14, 14)
                        }
                        Label {
                            text: parent.modelData.text
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textSecondary
                        }
                    }
                }
            }
        }

        Rectangle { Layout.fillWidth: true; Layout.preferredHeight: 1; color: Theme.divider }

        ListView {
            id: list
            objectName: "problemsList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: StudioController.findings
            currentIndex: StudioController.selectedFinding
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}

            delegate: Rectangle {
                id: row
                required property int index
                required property string severity
                required property string ruleId
                required property string message
                required property string locationText
                width: ListView.view.width
                height: 28
                color: ListView.isCurrentItem ? Theme.accentSoft
                                              : rowMouse.containsMouse ? Theme.hover
                                                                       : "transparent"
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacingM
                    anchors.rightMargin: Theme.spacingM
                    spacing: Theme.spacingS
                    Image {
                        source: Theme.severityIcon(row.severity)
                        sourceSize: Qt.size(14, 14)
                        Layout.preferredWidth: 14
                        Layout.preferredHeight: 14
                    }
                    Label {
                        text: row.ruleId
                        font.pixelSize: Theme.fontSmall
                        font.family: "monospace"
                        color: Theme.textTertiary
                        elide: Text.ElideRight
                        Layout.preferredWidth: 220
                    }
                    Label {
                        text: row.message
                        font.pixelSize: Theme.fontBody
                        color: Theme.textPrimary
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        text: row.locationText
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textSecondary
                        elide: Text.ElideMiddle
                        horizontalAlignment: Text.AlignRight
                        Layout.maximumWidth: 320
                    }
                }
                MouseArea {
                    id: rowMouse
                    anchors.fill: parent
                    hoverEnabled: true
                    onClicked: StudioController.activateFinding(row.index)
                }
            }

            // Nothing to report.
            RowLayout {
                anchors.centerIn: parent
                visible: list.count === 0
                spacing: Theme.spacingS
                Image { source: Theme.icon("ok"); sourceSize: Qt.size(16, 16) }
                Label {
                    text: qsTr("No problems found")
                    font.pixelSize: Theme.fontBody
                    color: Theme.textSecondary
                }
            }
        }
    }
}
