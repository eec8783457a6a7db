import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Run

// Past runs of this project (kept in SQLite under the app data folder): reopen one, or
// compare its figures with the run on show.
Rectangle {
    id: view
    required property RunController controller
    color: Theme.windowBackground
    readonly property var widths: [150, 200, 200, 70, 90, 90, 90, 80]
    property var comparison: []
    property string comparedTitle

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingM
        spacing: 0

        // The run on show beside the one chosen with Compare.
        Rectangle {
            visible: view.comparison.length > 0
            Layout.fillWidth: true
            Layout.preferredHeight: compareColumn.implicitHeight + 24
            Layout.bottomMargin: Theme.spacingM
            radius: Theme.radius
            color: Theme.surface
            border.color: Theme.border
            ColumnLayout {
                id: compareColumn
                x: 16
                y: 12
                width: parent.width - 32
                spacing: 4
                RowLayout {
                    Layout.fillWidth: true
                    Label {
                        text: qsTr("Run on show compared with %1").arg(view.comparedTitle)
                        font.pixelSize: Theme.fontBody
                        font.weight: Font.DemiBold
                        color: Theme.textPrimary
                        Layout.fillWidth: true
                    }
                    ToolIconButton { iconName: "close"; tip: qsTr("Close the comparison")
                                     onClicked: view.comparison = [] }
                }
                Row {
                    spacing: Theme.spacingL
                    Repeater {
                        model: view.comparison
                        delegate: Column {
                            required property var modelData
                            spacing: 0
                            Label { text: modelData.name; font.pixelSize: Theme.fontCaption
                                    color: Theme.textTertiary }
                            Label { text: modelData.shown; font.pixelSize: Theme.fontTitle
                                    font.weight: Font.DemiBold; color: Theme.textPrimary }
                            Label {
                                text: (modelData.delta > 0 ? "+" : "")
                                      + Number(modelData.delta).toFixed(
                                          modelData.shown.indexOf(".") >= 0 ? 1 : 0)
                                      + qsTr(" vs %1").arg(modelData.other)
                                font.pixelSize: Theme.fontCaption
                                color: modelData.delta === 0 ? Theme.textTertiary
                                                             : Theme.textSecondary
                            }
                        }
                    }
                }
            }
        }
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 30
            color: Theme.surfaceAlt
            border.color: Theme.border
            Row {
                anchors.fill: parent
                anchors.leftMargin: Theme.spacingM
                Repeater {
                    model: [qsTr("Started"), qsTr("Workflow"), qsTr("Data set"), qsTr("Records"),
                            qsTr("Completed"), qsTr("Exceptions"), qsTr("Dead letters"),
                            qsTr("SLA")]
                    delegate: Label {
                        required property string modelData
                        required property int index
                        width: view.widths[index]
                        height: 30
                        verticalAlignment: Text.AlignVCenter
                        text: modelData
                        font.pixelSize: Theme.fontCaption
                        font.weight: Font.DemiBold
                        color: Theme.textSecondary
                    }
                }
            }
        }
        ListView {
            id: list
            objectName: "runHistoryList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: view.controller.history
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            delegate: Rectangle {
                id: row
                required property var runId
                required property string startedText
                required property string workflow
                required property string dataset
                required property int records
                required property int completed
                required property int exceptions
                required property int deadLetters
                required property string slaText
                required property bool current
                width: ListView.view.width
                height: 34
                color: current ? Theme.accentSoft : mouse.containsMouse ? Theme.hover
                                                                        : Theme.surface
                Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                            color: Theme.divider }
                Row {
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacingM
                    Repeater {
                        model: [row.startedText, row.workflow, row.dataset, row.records,
                                row.completed, row.exceptions, row.deadLetters, row.slaText]
                        delegate: Label {
                            required property var modelData
                            required property int index
                            width: view.widths[index]
                            height: 34
                            verticalAlignment: Text.AlignVCenter
                            text: modelData
                            elide: Text.ElideRight
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textPrimary
                        }
                    }
                }
                RowLayout {
                    anchors.right: parent.right
                    anchors.rightMargin: Theme.spacingS
                    anchors.verticalCenter: parent.verticalCenter
                    Label {
                        visible: row.current
                        text: qsTr("on show")
                        font.pixelSize: Theme.fontCaption
                        color: Theme.accent
                    }
                    Button {
                        visible: !row.current && view.controller.hasResults
                        text: qsTr("Compare")
                        flat: true
                        onClicked: {
                            view.comparedTitle = row.startedText
                            view.comparison = view.controller.compareWith(row.runId)
                        }
                    }
                    Button {
                        visible: !row.current
                        text: qsTr("Open")
                        flat: true
                        enabled: !view.controller.busy
                        onClicked: view.controller.openRun(row.runId)
                    }
                    Button {
                        visible: !row.current
                        text: qsTr("Delete")
                        flat: true
                        enabled: !view.controller.busy
                        onClicked: view.controller.deleteRun(row.runId)
                    }
                }
                MouseArea {
                    id: mouse
                    anchors.fill: parent
                    hoverEnabled: true
                    acceptedButtons: Qt.NoButton
                }
            }
            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("No runs of this project yet")
                color: Theme.textTertiary
            }
        }
    }
}
