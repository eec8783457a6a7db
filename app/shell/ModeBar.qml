import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Shell

// The vertical mode bar on the left (as in Qt Creator): one button per view, Ctrl+1..6.
Rectangle {
    id: bar
    implicitWidth: 78
    color: Theme.surface

    readonly property var modes: [
        {name: "landscape", view: StudioController.Landscape, title: qsTr("Landscape"),
         icon: "view-landscape"},
        {name: "model", view: StudioController.Model, title: qsTr("Model"),
         icon: "view-model"},
        {name: "ownership", view: StudioController.Ownership, title: qsTr("Ownership"),
         icon: "view-ownership"},
        {name: "mappings", view: StudioController.Mappings, title: qsTr("Mappings"),
         icon: "view-mappings"},
        {name: "workflows", view: StudioController.Workflows, title: qsTr("Workflows"),
         icon: "view-workflows"},
        {name: "run", view: StudioController.Run, title: qsTr("Run"),
         icon: "view-run"}
    ]

    Rectangle { anchors.right: parent.right; width: 1; height: parent.height
                color: Theme.border }

    ColumnLayout {
        anchors.fill: parent
        anchors.topMargin: Theme.spacingS
        spacing: 2
        Repeater {
            model: bar.modes
            delegate: AbstractButton {
                id: modeButton
                required property var modelData
                required property int index
                objectName: "mode-" + modelData.name
                readonly property bool current: StudioController.currentView === modelData.view
                Layout.fillWidth: true
                Layout.leftMargin: 4
                Layout.rightMargin: 5
                implicitHeight: 54
                focusPolicy: Qt.NoFocus
                onClicked: StudioController.currentView = modelData.view
                ToolTip.visible: hovered
                ToolTip.delay: 600
                ToolTip.text: modelData.title + " (Ctrl+" + (index + 1) + ")"
                background: Rectangle {
                    radius: Theme.radius
                    color: modeButton.current ? Theme.accentSoft
                                              : modeButton.hovered ? Theme.hover : "transparent"
                    Rectangle {
                        visible: modeButton.current
                        width: 3; radius: 1.5; height: parent.height - 16
                        anchors.verticalCenter: parent.verticalCenter
                        x: -4
                        color: Theme.accent
                    }
                }
                contentItem: Column {
                    spacing: 3
                    topPadding: 7
                    Image {
                        anchors.horizontalCenter: parent.horizontalCenter
                        source: Theme.icon(modeButton.modelData.icon)
                        sourceSize: Qt.size(22, 22)
                        opacity: modeButton.current ? 1.0 : 0.75
                    }
                    Label {
                        anchors.horizontalCenter: parent.horizontalCenter
                        text: modeButton.modelData.title
                        font.pixelSize: Theme.fontCaption
                        font.weight: modeButton.current ? Font.DemiBold : Font.Normal
                        color: modeButton.current ? Theme.accent : Theme.textSecondary
                    }
                }
            }
        }
        Item { Layout.fillHeight: true }
    }
}
