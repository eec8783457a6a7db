import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Shell

// Counts of the open project and the validation summary.
Rectangle {
    id: bar
    objectName: "statusBar"
    implicitHeight: 28
    color: Theme.surfaceAlt

    Rectangle { width: parent.width; height: 1; color: Theme.border }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingM
        anchors.rightMargin: Theme.spacingM
        spacing: Theme.spacingM

        Repeater {
            model: StudioController.hasProject ? [
                Theme.plural(StudioController.systemCount, qsTr("system"), qsTr("systems")),
                Theme.plural(StudioController.mappingCount, qsTr("mapping"), qsTr("mappings")),
                Theme.plural(StudioController.workflowCount, qsTr("workflow"), qsTr("workflows")),
                Theme.plural(StudioController.flowCount, qsTr("data flow"), qsTr("data flows"))
            ] : []
            delegate: Label {
                required property string modelData
                text: modelData
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
            }
        }
        Item { Layout.fillWidth: true }
        RowLayout {
            visible: StudioController.hasProject
            spacing: Theme.spacingXs
            Image { source: Theme.icon("error"); sourceSize: Qt.size(12, 12) }
            Label {
                objectName: "statusErrors"
                text: Theme.plural(StudioController.errorCount, qsTr("error"), qsTr("errors"))
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
            }
            Item { implicitWidth: Theme.spacingS }
            Image { source: Theme.icon("warning"); sourceSize: Qt.size(12, 12) }
            Label {
                text: Theme.plural(StudioController.warningCount, qsTr("warning"), qsTr("warnings"))
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
            }
        }
    }
}
