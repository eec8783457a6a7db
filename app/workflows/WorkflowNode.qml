import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import Switchboard.Controls
import Switchboard.Shell
import Switchboard.Workflows

// One node of the workflow canvas: a square with the type icon, finding badges on its corner
// and the name and a one-line summary below. Geometry matches app/workflowgeometry.h (square
// 64, label 184 wide). Dragging moves the step through WorkflowEditor.moveStep (one undo
// step per drag); the round handle on the right starts a connection.
Item {
    id: node
    required property int index
    required property string stepId
    required property string element
    required property string name
    required property string stepType
    required property string typeLabel
    required property string iconSource
    required property string typeColor
    required property string subtitle
    required property real nodeX
    required property real nodeY
    required property bool isTrigger
    required property int errorCount
    required property int warningCount
    required property bool canConnect
    required property string slaMark
    required property bool onPath       // a run instance's path is shown and went here
    required property bool pathFailed   // ... and failed here

    property WorkflowEditor editor
    property Item world                 // the zoomed canvas content
    property Item canvas                // WorkflowCanvas (connection drag)
    readonly property real size: 64
    readonly property real labelWidth: 184
    readonly property bool selected: isTrigger ? editor.triggerSelected
                                               : editor.selectedStep === stepId
    readonly property bool dropTarget: canvas && canvas.connectTarget === stepId
    readonly property bool pathShown: editor && editor.pathShown

    objectName: "workflowNode_" + stepId
    x: nodeX
    y: nodeY
    width: size
    height: size
    z: dragArea.pressed ? 3 : 2
    // Steps off a shown run path step back.
    opacity: pathShown && !onPath ? 0.4 : 1

    // The run path's halo: green where the instance went, red where it failed.
    Rectangle {
        visible: node.onPath
        anchors.fill: parent
        anchors.margins: -6
        radius: node.isTrigger ? 38 : 17
        color: node.pathFailed ? Theme.errorSoft : Theme.runPathSoft
        border.width: 2
        border.color: node.pathFailed ? Theme.error : Theme.runPath
    }

    // Shadow.
    Rectangle {
        anchors.fill: square
        anchors.topMargin: 2
        anchors.bottomMargin: -2
        radius: square.radius
        color: Theme.nodeShadow
    }

    Rectangle {
        id: square
        anchors.fill: parent
        // Triggers get the rounded "start" shape.
        radius: node.isTrigger ? 32 : 12
        color: Theme.surface
        border.width: node.selected || node.dropTarget ? 2 : 1
        border.color: node.selected ? Theme.accent
                                    : node.dropTarget ? Theme.accent
                                    : node.errorCount > 0 ? Theme.error
                                    : node.warningCount > 0 ? Theme.warningBorder
                                    : Theme.borderStrong

        Rectangle {
            anchors.centerIn: parent
            width: 40
            height: 40
            radius: node.isTrigger ? 20 : 10
            color: node.typeColor
            opacity: 0.12
        }
        IconImage {
            anchors.centerIn: parent
            source: node.iconSource
            sourceSize: Qt.size(26, 26)
            color: node.typeColor
        }
    }

    // Finding badges on the top-right corner (created only when there are findings: a
    // workflow may have thousands of steps).
    Component {
        id: badgeComponent
        Rectangle {
            property int count
            property color fill
            width: Math.max(22, badgeText.implicitWidth + 10)
            height: 22
            radius: 11
            color: fill
            border.color: Theme.surface
            border.width: 2
            Text {
                id: badgeText
                anchors.centerIn: parent
                text: parent.count
                font.pixelSize: 13
                font.weight: Font.Bold
                color: Theme.inkOnAccent
            }
        }
    }
    Row {
        x: node.size - 14
        y: -11
        spacing: 2
        z: 4
        Loader {
            active: node.errorCount > 0
            sourceComponent: badgeComponent
            onLoaded: {
                item.fill = Qt.binding(() => Theme.error)
                item.count = Qt.binding(() => node.errorCount)
            }
        }
        Loader {
            active: node.warningCount > 0
            sourceComponent: badgeComponent
            onLoaded: {
                item.fill = Qt.binding(() => Theme.warning)
                item.count = Qt.binding(() => node.warningCount)
            }
        }
    }

    // Where the shown run instance failed: a red mark on the top-left corner.
    Rectangle {
        objectName: "pathFailedMark"
        visible: node.pathFailed
        x: -11
        y: -11
        z: 4
        width: 22
        height: 22
        radius: 11
        color: Theme.error
        border.color: Theme.surface
        border.width: 2
        Text {
            anchors.centerIn: parent
            text: "\u2715"
            font.pixelSize: 12
            font.weight: Font.Bold
            color: Theme.inkOnAccent
        }
    }

    // SLA milestone mark above the square.
    Loader {
        active: node.slaMark.length > 0
        x: (node.size - width) / 2
        y: -height - 8
        sourceComponent: Rectangle {
            width: slaRow.implicitWidth + 12
            height: 20
            radius: 10
            color: Theme.selectedRow
            border.color: Theme.selectedBorder
            Row {
                id: slaRow
                anchors.centerIn: parent
                spacing: 4
                IconImage {
                    anchors.verticalCenter: parent.verticalCenter
                    source: Theme.icon("trigger-schedule")
                    sourceSize: Qt.size(12, 12)
                    color: Theme.accent
                }
                Text {
                    text: node.slaMark
                    font.pixelSize: Theme.fontCaption
                    font.weight: Font.DemiBold
                    color: Theme.accent
                }
            }
        }
    }

    // Name and summary under the square (may be wider than the square).
    Column {
        x: (node.size - node.labelWidth) / 2
        y: node.size + 6
        width: node.labelWidth
        spacing: 1
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: node.name
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
            font.pixelSize: 14
            font.weight: Font.DemiBold
            lineHeight: 0.95
            color: node.selected ? Theme.accent : Theme.textPrimary
        }
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: node.subtitle.length > 0 ? node.subtitle : node.typeLabel
            elide: Text.ElideMiddle
            font.pixelSize: Theme.fontSmall
            color: Theme.textTertiary
        }
    }

    MouseArea {
        id: dragArea
        anchors.fill: parent
        hoverEnabled: true
        cursorShape: node.isTrigger ? Qt.PointingHandCursor
                                    : pressed ? Qt.ClosedHandCursor : Qt.OpenHandCursor
        preventStealing: true
        property point pressWorld
        property point startPos
        property bool moved: false

        onPressed: (mouse) => {
            node.canvas.forceActiveFocus()
            pressWorld = mapToItem(node.world, mouse.x, mouse.y)
            startPos = Qt.point(node.nodeX, node.nodeY)
            moved = false
            StudioController.select(node.element)
        }
        onPositionChanged: (mouse) => {
            if (!pressed || node.isTrigger)
                return
            const p = mapToItem(node.world, mouse.x, mouse.y)
            const dx = p.x - pressWorld.x
            const dy = p.y - pressWorld.y
            if (!moved && Math.abs(dx) < 3 && Math.abs(dy) < 3)
                return
            moved = true
            const grid = Theme.gridUnit
            node.editor.moveStep(node.stepId,
                                 Math.round((startPos.x + dx) / grid) * grid,
                                 Math.round((startPos.y + dy) / grid) * grid)
        }
        onReleased: node.editor.endEdit()
        onCanceled: node.editor.endEdit()
    }

    // Output handle: drag from here onto another step to connect.
    Rectangle {
        id: handle
        objectName: "outputHandle_" + node.stepId
        visible: node.canConnect
        x: node.size - width / 2
        y: (node.size - height) / 2
        z: 5
        width: 14
        height: 14
        radius: 7
        color: handleArea.containsMouse || handleArea.pressed ? Theme.accent : Theme.surface
        border.color: handleArea.containsMouse || handleArea.pressed ? Theme.accent
                                                                      : Theme.borderStrong
        border.width: 1.5
        MouseArea {
            id: handleArea
            anchors.fill: parent
            anchors.margins: -4
            hoverEnabled: true
            preventStealing: true
            cursorShape: Qt.CrossCursor
            onPressed: (mouse) => {
                node.canvas.forceActiveFocus()
                node.canvas.beginConnect(node.stepId, mapToItem(node.world, mouse.x, mouse.y))
            }
            onPositionChanged: (mouse) => {
                if (pressed)
                    node.canvas.updateConnect(mapToItem(node.world, mouse.x, mouse.y))
            }
            onReleased: (mouse) => node.canvas.endConnect(mapToItem(node.world, mouse.x, mouse.y))
            onCanceled: node.canvas.cancelConnect()
        }
    }
}
