import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Shapes
import Switchboard.Controls
import Switchboard.Shell
import Switchboard.Workflows

// The canvas of one workflow: the trigger and the steps as nodes, the edges with their branch
// labels, a minimap. Pan by dragging the background, zoom with the wheel, Delete removes the
// selected step or edge. Zoom and pan are view state (QML); every edit goes to the editor.
Item {
    id: flowCanvas
    objectName: "workflowCanvas"
    clip: true
    focus: true

    required property WorkflowEditor editor
    CanvasViewport {
        id: view
        area: flowCanvas
        content: world
        maxZoom: 2.5
        revealOnlyIfHidden: true
    }
    property alias zoom: view.zoom
    readonly property alias minZoom: view.minZoom
    readonly property alias maxZoom: view.maxZoom
    // Fitting never shrinks below this: names stay readable, the minimap shows the rest.
    readonly property real minFitZoom: 0.72
    readonly property Item world: world
    readonly property int nodeCount: nodes.count
    readonly property alias edgeLayer: edgeLayer
    property alias autoFit: view.autoFit
    // Nodes and edges exist only while the page is shown: a hidden page costs nothing.
    readonly property bool live: visible
    onLiveChanged: if (live && autoFit) Qt.callLater(zoomToFit)

    // Connection being dragged from an output handle.
    property string connectFrom: ""
    property string connectTarget: ""
    property point connectStart
    property point connectEnd

    onWidthChanged: if (autoFit) Qt.callLater(zoomToFit)
    onHeightChanged: if (autoFit) Qt.callLater(zoomToFit)

    Keys.onDeletePressed: editor.removeSelected()
    Keys.onEscapePressed: {
        if (connectFrom.length > 0)
            cancelConnect()
        else if (editor.workflowId.length > 0)
            StudioController.selectElement(ElementRef.Workflow, editor.workflowId)
    }
    Keys.onPressed: (event) => {
        if (event.key === Qt.Key_Backspace && editor.removeSelected())
            event.accepted = true
    }

    function zoomAt(px, py, newZoom) { view.zoomAt(px, py, newZoom) }
    function zoomIn() { view.zoomIn() }
    function zoomOut() { view.zoomOut() }

    function zoomToFit() {
        autoFit = true
        view.stopAnimation()
        const b = editor.contentBounds()
        const margin = 40
        if (b.width <= 0 || b.height <= 0 || width <= 0 || height <= 0) {
            zoom = 1
            world.x = width / 2 - 32
            world.y = height / 2 - 60
            return
        }
        zoom = view.clampZoom(Math.max(minFitZoom, Math.min((width - 2 * margin) / b.width,
                                                            (height - 2 * margin) / b.height,
                                                            1)))
        // Centred when it fits; else the start of the flow (the trigger) stays in view.
        world.x = b.width * zoom <= width - 2 * margin
                ? (width - b.width * zoom) / 2 - b.x * zoom : margin - b.x * zoom
        world.y = b.height * zoom <= height - 2 * margin
                ? (height - b.height * zoom) / 2 - b.y * zoom : margin - b.y * zoom
    }

    // Brings a canvas rectangle into view if it is not already fully visible.
    function reveal(rect) { view.reveal(rect) }
    function centreOn(wx, wy) { view.centreOn(wx, wy) }

    // Palette drop: `scenePoint` in window coordinates. Returns the new step id.
    function dropPaletteItem(category, type, scenePoint) {
        const p = world.mapFromItem(null, scenePoint.x, scenePoint.y)
        if (category === "trigger") {
            editor.setTriggerType(type)
            StudioController.select(editor.stepElement("trigger"))
            return "trigger"
        }
        const id = editor.addStep(type, p.x - 32, p.y - 32)
        if (id.length > 0)
            StudioController.select(editor.stepElement(id))
        return id
    }
    function containsScenePoint(scenePoint) {
        const p = mapFromItem(null, scenePoint.x, scenePoint.y)
        return p.x >= 0 && p.y >= 0 && p.x <= width && p.y <= height
    }

    function beginConnect(from, worldPoint) {
        connectFrom = from
        const r = editor.nodeRect(from)
        connectStart = Qt.point(r.x + r.width / 2 + 32, r.y + 32)
        connectEnd = worldPoint
        connectTarget = ""
    }
    function updateConnect(worldPoint) {
        connectEnd = worldPoint
        const target = editor.nodeAt(worldPoint.x, worldPoint.y)
        connectTarget = editor.canConnect(connectFrom, target) ? target : ""
    }
    function endConnect(worldPoint) {
        updateConnect(worldPoint)
        const target = connectTarget
        const from = connectFrom
        const dragged = Math.abs(worldPoint.x - connectStart.x)
                        + Math.abs(worldPoint.y - connectStart.y) > 48
        cancelConnect()
        if (target.length === 0) {
            // Dropped on empty canvas: offer the step types, linked from `from`, right there.
            if (dragged && editor.nodeAt(worldPoint.x, worldPoint.y).length === 0) {
                addMenu.from = from
                addMenu.at = worldPoint
                const p = world.mapToItem(flowCanvas, worldPoint.x, worldPoint.y)
                addMenu.popup(p.x, p.y)
            }
            return -1
        }
        const edge = editor.connectSteps(from, target)
        if (edge >= 0)
            StudioController.select(editor.edgeElement(edge))
        return edge
    }
    function cancelConnect() {
        connectFrom = ""
        connectTarget = ""
    }

    Menu {
        id: addMenu
        objectName: "workflowAddMenu"
        property string from
        property point at
        Instantiator {
            model: flowCanvas.editor.stepTypes()
            delegate: MenuItem {
                required property var modelData
                text: modelData.label
                icon.source: modelData.icon
                icon.color: modelData.color
                onTriggered: {
                    const id = flowCanvas.editor.addStep(modelData.type, addMenu.at.x,
                                                         addMenu.at.y - 32, addMenu.from)
                    if (id.length > 0)
                        StudioController.select(flowCanvas.editor.stepElement(id))
                }
            }
            onObjectAdded: (index, object) => addMenu.insertItem(index, object)
            onObjectRemoved: (index, object) => addMenu.removeItem(object)
        }
    }

    Connections {
        target: flowCanvas.editor
        function onWorkflowChanged() { Qt.callLater(flowCanvas.zoomToFit) }
        // After the current event: a selection may come with a layout change.
        function onRevealRequested(rect) { Qt.callLater(flowCanvas.reveal, rect) }
        // A run path shown: the step it failed at comes into view.
        function onHighlightChanged() {
            const failed = flowCanvas.editor.pathFailedStep
            if (failed.length > 0)
                Qt.callLater(flowCanvas.reveal, flowCanvas.editor.nodeRect(failed))
        }
    }

    Rectangle { anchors.fill: parent; color: Theme.canvasBackground }

    Image {
        readonly property real step: 24 * flowCanvas.zoom
        visible: flowCanvas.zoom >= 0.5
        x: (world.x % step) - step
        y: (world.y % step) - step
        width: flowCanvas.width + 2 * step
        height: flowCanvas.height + 2 * step
        source: Theme.icon("canvas-grid")
        sourceSize: Qt.size(Math.max(4, Math.round(step)), Math.max(4, Math.round(step)))
        fillMode: Image.Tile
        smooth: false
    }

    MouseArea {
        id: panArea
        anchors.fill: parent
        acceptedButtons: Qt.LeftButton | Qt.MiddleButton
        cursorShape: pressed && panned ? Qt.ClosedHandCursor : Qt.ArrowCursor
        property point pressPoint
        property point startPos
        property bool panned: false
        onPressed: (mouse) => {
            view.stopAnimation()
            flowCanvas.forceActiveFocus()
            pressPoint = Qt.point(mouse.x, mouse.y)
            startPos = Qt.point(world.x, world.y)
            panned = false
        }
        onPositionChanged: (mouse) => {
            const dx = mouse.x - pressPoint.x
            const dy = mouse.y - pressPoint.y
            if (!panned && Math.abs(dx) + Math.abs(dy) < 3)
                return
            panned = true
            flowCanvas.autoFit = false
            world.x = startPos.x + dx
            world.y = startPos.y + dy
        }
        onReleased: (mouse) => {
            if (panned)
                return
            // A click on a line selects the edge; elsewhere, the workflow itself.
            const p = mapToItem(world, mouse.x, mouse.y)
            const edge = flowCanvas.editor.edgeAt(p.x, p.y, 6 / flowCanvas.zoom)
            if (edge >= 0)
                StudioController.select(flowCanvas.editor.edgeElement(edge))
            else
                StudioController.selectElement(ElementRef.Workflow, flowCanvas.editor.workflowId)
        }
        onWheel: (wheel) => {
            const delta = wheel.angleDelta.y !== 0 ? wheel.angleDelta.y : wheel.angleDelta.x
            flowCanvas.zoomAt(wheel.x, wheel.y, flowCanvas.zoom * Math.pow(1.0015, delta))
        }
    }

    Item {
        id: world
        objectName: "workflowWorld"
        transformOrigin: Item.TopLeft
        scale: flowCanvas.zoom
        width: 1
        height: 1

        WorkflowEdgeLayer {
            id: edgeLayer
            model: flowCanvas.live ? flowCanvas.editor.edges : null
            selectedElement: StudioController.selectedElement
            pathShown: flowCanvas.editor.pathShown
        }

        // Connection preview while dragging from a handle.
        Shape {
            visible: flowCanvas.connectFrom.length > 0
            ShapePath {
                strokeColor: Theme.accent
                strokeWidth: 2
                strokeStyle: ShapePath.DashLine
                dashPattern: [3, 3]
                fillColor: "transparent"
                startX: flowCanvas.connectStart.x
                startY: flowCanvas.connectStart.y
                PathCubic {
                    x: flowCanvas.connectEnd.x
                    y: flowCanvas.connectEnd.y
                    readonly property real bend: Math.max(
                        30, (flowCanvas.connectEnd.x - flowCanvas.connectStart.x) / 2)
                    control1X: flowCanvas.connectStart.x + bend
                    control1Y: flowCanvas.connectStart.y
                    control2X: flowCanvas.connectEnd.x - bend
                    control2Y: flowCanvas.connectEnd.y
                }
            }
        }

        // Branch conditions and edge labels, as pills on the curves (created only for edges
        // that have one).
        Repeater {
            id: labels
            model: flowCanvas.live ? flowCanvas.editor.edges : null
            delegate: Loader {
                id: pillLoader
                required property int edgeIndex
                required property string element
                required property string edgeKind
                required property string label
                required property string condition
                required property bool conditionError
                required property real labelX
                required property real labelY
                readonly property string shown: label.length > 0 ? label : condition
                readonly property bool selected: element === StudioController.selectedElement
                                                 && edgeKind !== "compensation"
                active: shown.length > 0
                z: 1
                x: Math.round(labelX - width / 2)
                y: Math.round(labelY - height / 2)
                sourceComponent: Rectangle {
                    width: Math.min(pillText.implicitWidth, 150) + 14
                    height: 22
                    radius: 11
                    color: pillLoader.conditionError ? Theme.errorSoft
                           : pillLoader.selected ? Theme.accentSoft
                           : pillLoader.edgeKind === "on-error" ? Theme.errorSoft
                           : pillLoader.edgeKind === "on-timeout" ? Theme.warningSoft
                           : Theme.surface
                    border.color: pillLoader.conditionError ? Theme.error
                                  : pillLoader.selected ? Theme.accent
                                  : pillLoader.edgeKind === "on-error" ? Theme.errorEdgePill
                                  : pillLoader.edgeKind === "on-timeout" ? Theme.timeoutEdgePill
                                  : Theme.border
                    Text {
                        id: pillText
                        anchors.centerIn: parent
                        width: Math.min(implicitWidth, 150)
                        elide: Text.ElideRight
                        text: (pillLoader.conditionError ? "\u26a0 " : "") + pillLoader.shown
                        font.pixelSize: Theme.fontSmall
                        font.family: pillLoader.label.length > 0 ? Qt.application.font.family
                                                                 : "monospace"
                        color: pillLoader.conditionError || pillLoader.edgeKind === "on-error"
                               ? Theme.error
                               : pillLoader.edgeKind === "on-timeout" ? Theme.warning
                               : Theme.textSecondary
                    }
                    MouseArea {
                        id: pillMouse
                        anchors.fill: parent
                        hoverEnabled: true
                        onClicked: {
                            flowCanvas.forceActiveFocus()
                            StudioController.select(pillLoader.element)
                        }
                    }
                    ToolTip.visible: pillMouse.containsMouse && pillLoader.condition.length > 0
                    ToolTip.delay: 500
                    ToolTip.text: pillLoader.conditionError
                                  ? qsTr("Not valid JSONata: %1").arg(pillLoader.condition)
                                  : pillLoader.condition
                }
            }
        }

        Repeater {
            id: nodes
            model: flowCanvas.live ? flowCanvas.editor.steps : null
            delegate: WorkflowNode {
                editor: flowCanvas.editor
                world: flowCanvas.world
                canvas: flowCanvas
            }
        }
    }

    // The run instance whose path is drawn, with a way back to plain editing.
    Rectangle {
        id: runPathBanner
        objectName: "runPathBanner"
        visible: flowCanvas.editor.pathShown
        anchors.top: parent.top
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.topMargin: Theme.spacingM
        z: 10
        width: pathRow.implicitWidth + 2 * Theme.spacingS
        height: 32
        radius: 16
        color: Theme.surface
        border.color: Theme.runPath
        readonly property var path: flowCanvas.editor.highlightedPath
        Row {
            id: pathRow
            anchors.centerIn: parent
            spacing: Theme.spacingS
            Rectangle {
                anchors.verticalCenter: parent.verticalCenter
                width: 10; height: 10; radius: 5
                color: flowCanvas.editor.pathFailedStep.length > 0 ? Theme.error : Theme.runPath
            }
            Label {
                anchors.verticalCenter: parent.verticalCenter
                text: qsTr("Path of %1").arg(runPathBanner.path.label || "")
                      + (runPathBanner.path.status ? " \u00b7 " + runPathBanner.path.status
                                                    : "")
                      + " \u00b7 " + Theme.plural(flowCanvas.editor.highlightedSteps.length,
                                                  qsTr("step"), qsTr("steps"))
                font.pixelSize: Theme.fontBody
                color: Theme.textPrimary
            }
            ToolIconButton {
                objectName: "clearRunPathButton"
                anchors.verticalCenter: parent.verticalCenter
                iconName: "close"
                tip: qsTr("Hide the run path")
                onClicked: CanvasPath.clear()
            }
        }
    }

    // Empty states.
    Column {
        anchors.centerIn: parent
        visible: flowCanvas.editor.workflowId.length === 0
        spacing: Theme.spacingS
        Label {
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("No workflow yet")
            font.pixelSize: Theme.fontTitle
            font.weight: Font.DemiBold
            color: Theme.textSecondary
        }
        Label {
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Add one with + in the list on the left.")
            color: Theme.textTertiary
        }
    }
    Label {
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 64
        visible: flowCanvas.editor.workflowId.length > 0 && nodes.count <= 1
        text: qsTr("Drag a step from the palette onto the canvas, or click it to add it.")
        color: Theme.textTertiary
    }

    // Steps stacked on one another (positions missing in the file): offer to arrange them.
    Rectangle {
        objectName: "arrangeBanner"
        visible: flowCanvas.editor.needsArrange
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.top: parent.top
        anchors.topMargin: Theme.spacingM
        width: bannerRow.implicitWidth + 2 * Theme.spacingM
        height: 40
        radius: Theme.radius
        color: Theme.warningSoft
        border.color: Theme.timeoutEdgePill
        RowLayout {
            id: bannerRow
            anchors.centerIn: parent
            spacing: Theme.spacingS
            Image { source: Theme.icon("warning"); sourceSize: Qt.size(14, 14) }
            Label {
                text: qsTr("Some steps have no position and sit on top of each other.")
                color: Theme.textPrimary
            }
            Button {
                text: qsTr("Arrange")
                focusPolicy: Qt.NoFocus
                onClicked: {
                    flowCanvas.editor.autoArrange()
                    Qt.callLater(flowCanvas.zoomToFit)
                }
            }
        }
    }

    // Minimap: the whole workflow and the visible part; click or drag to move there.
    Rectangle {
        id: minimap
        objectName: "workflowMinimap"
        readonly property rect bounds: {
            flowCanvas.editor.workflow  // re-read after every change
            return flowCanvas.editor.contentBounds()
        }
        readonly property real s: bounds.width > 0
                                  ? Math.min((width - 16) / bounds.width,
                                             (height - 16) / Math.max(bounds.height, 1)) : 1
        readonly property real ox: 8 + (width - 16 - bounds.width * s) / 2
        readonly property real oy: 8 + (height - 16 - bounds.height * s) / 2
        visible: nodes.count > 1 && bounds.width * flowCanvas.zoom > flowCanvas.width * 0.98
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        anchors.margins: Theme.spacingM
        width: 200
        height: 72
        radius: Theme.radius
        color: Theme.surface
        border.color: Theme.border
        clip: true
        Repeater {
            model: flowCanvas.live ? flowCanvas.editor.steps : null
            delegate: Rectangle {
                required property real nodeX
                required property real nodeY
                required property string typeColor
                required property int errorCount
                x: minimap.ox + (nodeX - minimap.bounds.x) * minimap.s
                y: minimap.oy + (nodeY - minimap.bounds.y) * minimap.s
                width: Math.max(4, 64 * minimap.s)
                height: width
                radius: 1.5
                color: errorCount > 0 ? Theme.error : typeColor
                opacity: 0.8
            }
        }
        Rectangle {
            x: minimap.ox + (-world.x / flowCanvas.zoom - minimap.bounds.x) * minimap.s
            y: minimap.oy + (-world.y / flowCanvas.zoom - minimap.bounds.y) * minimap.s
            width: flowCanvas.width / flowCanvas.zoom * minimap.s
            height: flowCanvas.height / flowCanvas.zoom * minimap.s
            color: Theme.accentVeil
            border.color: Theme.accent
            border.width: 1
            radius: 2
        }
        MouseArea {
            anchors.fill: parent
            function moveTo(mouse) {
                flowCanvas.centreOn(minimap.bounds.x + (mouse.x - minimap.ox) / minimap.s,
                                minimap.bounds.y + (mouse.y - minimap.oy) / minimap.s)
            }
            onPressed: (mouse) => moveTo(mouse)
            onPositionChanged: (mouse) => { if (pressed) moveTo(mouse) }
        }
    }

    // Legend and zoom, bottom right.
    Rectangle {
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Theme.spacingM
        width: zoomRow.implicitWidth + 2 * Theme.spacingXs
        height: zoomRow.implicitHeight + 2 * Theme.spacingXs
        radius: Theme.radius
        color: Theme.surface
        border.color: Theme.border
        RowLayout {
            id: zoomRow
            anchors.centerIn: parent
            spacing: 2
            Repeater {
                model: [
                    { text: qsTr("next"), color: Theme.nextEdge, dash: false },
                    { text: qsTr("on error"), color: Theme.error, dash: true },
                    { text: qsTr("on timeout"), color: Theme.warning, dash: true }
                ]
                delegate: Row {
                    id: legendItem
                    required property var modelData
                    Layout.leftMargin: Theme.spacingS
                    spacing: 6
                    Row {
                        anchors.verticalCenter: parent.verticalCenter
                        spacing: 2
                        Repeater {
                            model: legendItem.modelData.dash ? 3 : 1
                            delegate: Rectangle {
                                width: legendItem.modelData.dash ? 5 : 19
                                height: 2
                                color: legendItem.modelData.color
                            }
                        }
                    }
                    Label {
                        text: legendItem.modelData.text
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textSecondary
                    }
                }
            }
            ToolSeparator { Layout.leftMargin: Theme.spacingXs }
            ToolIconButton { iconName: "zoom-out"; tip: qsTr("Zoom out")
                             onClicked: flowCanvas.zoomOut() }
            Label {
                text: Math.round(flowCanvas.zoom * 100) + "%"
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
                horizontalAlignment: Text.AlignHCenter
                Layout.preferredWidth: 40
            }
            ToolIconButton { iconName: "zoom-in"; tip: qsTr("Zoom in")
                             onClicked: flowCanvas.zoomIn() }
            ToolIconButton { iconName: "zoom-fit"; tip: qsTr("Zoom to fit")
                             onClicked: flowCanvas.zoomToFit() }
        }
    }
}
