import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Shapes
import Switchboard.Controls
import Switchboard.Landscape
import Switchboard.Shell

// The landscape: systems as cards, data flows and workflow hops as edges, and the inspector
// on the right. Pan by dragging the background, rubber-band select with Shift/Ctrl+drag, zoom
// with the wheel (around the pointer) or the View menu, fit with Ctrl+0. Drag from the handle
// on a card's right edge to another card to add a data flow. Zoom, pan and the rubber band
// are view state and stay in QML; every edit goes through LandscapeEditor (C++).
Item {
    id: canvas
    objectName: "landscapeCanvas"
    clip: true

    readonly property LandscapeEditor editor: landscapeEditor
    readonly property Item landscapeRoot: canvas
    readonly property Item viewport: viewport
    readonly property Item inspector: inspectorPanel
    // Card whose name is being edited inline (F2, double-click, new system).
    property string renamingId: ""
    // Connection being dragged from a card's handle (canvas coordinates).
    property string connectFrom: ""
    property string connectTarget: ""
    property point connectStart
    property point connectEnd

    LandscapeEditor {
        id: landscapeEditor
        controller: StudioController
        onSystemAdded: (id) => {
            canvas.reveal(StudioController.systemRect(id))
            canvas.renamingId = id
        }
    }

    function beginConnect(from, worldPoint) {
        connectFrom = from
        connectStart = worldPoint
        connectEnd = worldPoint
        connectTarget = ""
    }
    function updateConnect(worldPoint) {
        connectEnd = worldPoint
        const t = landscapeEditor.systemAt(worldPoint.x, worldPoint.y)
        connectTarget = t !== connectFrom ? t : ""
    }
    function finishConnect(worldPoint) {
        const from = connectFrom
        const to = landscapeEditor.systemAt(worldPoint.x, worldPoint.y)
        connectFrom = ""
        connectTarget = ""
        if (to.length > 0 && to !== from)
            landscapeEditor.connectSystems(from, to)
    }
    // The system under a point of the viewport, or empty.
    function systemUnder(vx, vy) {
        return landscapeEditor.systemAt((vx - world.x) / zoom, (vy - world.y) / zoom)
    }
    // Adds a system of `kind` at the centre of the visible canvas.
    function addSystemAtCentre(kind) {
        const cx = (viewport.width / 2 - world.x) / zoom
        const cy = (viewport.height / 2 - world.y) / zoom
        return landscapeEditor.addSystem(kind, cx, cy)
    }
    function renameSelected() {
        if (StudioController.selectedSystem.length > 0)
            renamingId = StudioController.selectedSystem
    }
    function openAddMenu() {
        addMenu.popup(addButton, 0, addButton.height + 4)
    }
    // Pans so the canvas point (wx, wy) is at the centre of the view.
    function centreOn(wx, wy) { view.centreOn(wx, wy) }

    CanvasViewport {
        id: view
        area: viewport
        content: world
        maxZoom: 3
        revealMinZoom: 0.8
    }
    property alias zoom: view.zoom
    readonly property alias minZoom: view.minZoom
    readonly property alias maxZoom: view.maxZoom
    readonly property Item world: world
    // All systems of the project (cards exist only for the visible ones).
    property int nodeCount: StudioController.systems ? StudioController.systems.rowCount() : 0
    Connections {
        target: StudioController.systems
        function recount() { canvas.nodeCount = StudioController.systems.rowCount() }
        function onRowsInserted() { recount() }
        function onRowsRemoved() { recount() }
        function onModelReset() { recount() }
    }
    // Zoomed this far out, cards are too small to read or grab: the canvas shows a sketch
    // (one painted item) instead of a card per system.
    readonly property real sketchBelowZoom: 0.45
    readonly property bool sketchMode: zoom < sketchBelowZoom
    // The visible part of the canvas, in canvas coordinates.
    readonly property rect visibleCanvasRect: Qt.rect(-world.x / zoom, -world.y / zoom,
                                                      viewport.width / zoom,
                                                      viewport.height / zoom)
    // Only what is in (or near) the view gets delegates.
    ViewportFilterModel {
        id: visibleSystems
        sourceModel: StudioController.systems
        xRoles: ["nodeX"]
        yRoles: ["nodeY"]
        widthRole: "nodeWidth"
        heightRole: "nodeHeight"
        viewport: canvas.visibleCanvasRect
        active: !canvas.sketchMode
    }
    ViewportFilterModel {
        id: visibleFlows
        sourceModel: StudioController.flows
        xRoles: ["lineStartX", "curveX", "lineEndX"]
        yRoles: ["lineStartY", "curveY", "lineEndY"]
        viewport: canvas.visibleCanvasRect
        active: !canvas.sketchMode
    }

    // Fit again whenever the view is resized, until the user pans or zooms themselves.
    property alias autoFit: view.autoFit
    onWidthChanged: if (autoFit) Qt.callLater(fitIfAuto)
    onHeightChanged: if (autoFit) Qt.callLater(fitIfAuto)
    // A deferred fit must not undo a zoom or pan made since it was asked for.
    function fitIfAuto() { if (autoFit) zoomToFit() }

    function zoomAt(px, py, newZoom) { view.zoomAt(px, py, newZoom) }
    function zoomIn() { view.zoomIn() }
    function zoomOut() { view.zoomOut() }

    function zoomToFit() {
        autoFit = true
        view.stopAnimation()
        const b = StudioController.contentBounds()
        const margin = 48
        const w = viewport.width
        const h = viewport.height
        if (b.width <= 0 || b.height <= 0 || w <= 0 || h <= 0) {
            zoom = 1
            world.x = margin
            world.y = margin
            // Not laid out yet (a window still being mapped): try again shortly.
            if (fitRetry.tries < 20) {
                ++fitRetry.tries
                fitRetry.restart()
            }
            return
        }
        fitRetry.tries = 0
        zoom = view.clampZoom(Math.min((w - 2 * margin) / b.width, (h - 2 * margin) / b.height,
                                       1))
        world.x = (w - b.width * zoom) / 2 - b.x * zoom
        world.y = (h - b.height * zoom) / 2 - b.y * zoom
    }

    Timer {
        id: fitRetry
        property int tries: 0
        interval: 50
        onTriggered: canvas.fitIfAuto()
    }

    // Centres a canvas rectangle (a system) in the view, zooming in if it is too small.
    function reveal(rect) { view.reveal(rect) }

    // Deletes the selection; systems other elements refer to are deleted only after the
    // impact was shown and confirmed (undo restores everything in one step).
    function requestDelete() {
        const impact = landscapeEditor.deleteImpact()
        if (impact.length === 0) {
            landscapeEditor.deleteSelection()
            return
        }
        const n = landscapeEditor.selection.length
        deleteImpactDialog.usages = impact
        deleteImpactDialog.title = n === 1
                ? qsTr("Delete %1?").arg(canvasUsages.label(
                                             "system:" + landscapeEditor.selection[0]))
                : qsTr("Delete %1 systems?").arg(n)
        deleteImpactDialog.message = (impact.length === 1
                ? qsTr("1 element refers to it")
                : qsTr("%1 elements refer to it").arg(impact.length))
                + qsTr(": data flows go with it, other references are left pointing at a "
                       + "missing system and show as problems. Undo restores everything.")
        deleteImpactDialog.open()
    }
    ElementUsages { id: canvasUsages; controller: StudioController }
    UsagesDialog {
        id: deleteImpactDialog
        objectName: "deleteImpactDialog"
        acceptText: qsTr("Delete")
        onConfirmed: landscapeEditor.deleteSelection()
    }

    Connections {
        target: StudioController
        function onRevealRequested(rect) { canvas.reveal(rect) }
    }

    // Editing keys while the landscape is shown (text fields keep their own keys).
    // Delete, F2 and Ctrl+A are menu actions in Main.qml; Backspace is an alias.
    Shortcut {
        sequences: ["Backspace"]
        enabled: canvas.visible && canvas.renamingId.length === 0
                 && (landscapeEditor.selection.length > 0
                     || StudioController.selectedRef.kind === ElementRef.Flow)
        onActivated: canvas.requestDelete()
    }
    Shortcut {
        sequence: "Escape"
        enabled: canvas.visible && canvas.renamingId.length === 0
                 && landscapeEditor.selection.length > 0
        onActivated: landscapeEditor.clearSelection()
    }

    Item {
        id: viewport
        objectName: "landscapeViewport"
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.right: inspectorPanel.visible ? inspectorPanel.left : parent.right
        clip: true
        onWidthChanged: if (canvas.autoFit) Qt.callLater(canvas.fitIfAuto)
        onHeightChanged: if (canvas.autoFit) Qt.callLater(canvas.fitIfAuto)

        Rectangle {
            anchors.fill: parent
            color: Theme.canvasBackground
        }

        // Dot grid that pans and zooms with the content (hidden when zoomed far out).
        Image {
            readonly property real step: landscapeEditor.gridSize * canvas.zoom
            visible: canvas.zoom >= 0.5
            x: (world.x % step) - step
            y: (world.y % step) - step
            width: viewport.width + 2 * step
            height: viewport.height + 2 * step
            source: Theme.icon("canvas-grid")
            sourceSize: Qt.size(Math.max(4, Math.round(step)), Math.max(4, Math.round(step)))
            fillMode: Image.Tile
            smooth: false
        }

        // Every edge, and far out every system as a small card, painted in one item under the
        // cards (which exist only for the visible systems, and not at all when far out).
        LandscapeSketchItem {
            id: sketch
            objectName: "landscapeSketch"
            anchors.fill: parent
            systems: canvas.sketchMode ? StudioController.systems : null
            flows: StudioController.flows
            originX: world.x
            originY: world.y
            zoom: canvas.zoom
            selection: landscapeEditor.selection
            selectedElement: StudioController.selectedElement
            accentColor: Theme.accent
            flowColor: Theme.flowEdge
            workflowColor: Theme.workflowEdge
        }

        MouseArea {
            id: panArea
            anchors.fill: parent
            acceptedButtons: Qt.LeftButton | Qt.MiddleButton
            cursorShape: pressed && !banding ? Qt.ClosedHandCursor : Qt.ArrowCursor
            property point pressPoint
            property point startPos
            property bool panned: false
            property bool banding: false
            property bool additive: false
            onPressed: (mouse) => {
                view.stopAnimation()
                viewport.forceActiveFocus()
                pressPoint = Qt.point(mouse.x, mouse.y)
                startPos = Qt.point(world.x, world.y)
                panned = false
                banding = mouse.button === Qt.LeftButton
                          && (mouse.modifiers & (Qt.ShiftModifier | Qt.ControlModifier))
                additive = banding
                band.x = mouse.x
                band.y = mouse.y
                band.width = 0
                band.height = 0
            }
            onPositionChanged: (mouse) => {
                const dx = mouse.x - pressPoint.x
                const dy = mouse.y - pressPoint.y
                if (!panned && Math.abs(dx) + Math.abs(dy) < 3)
                    return
                panned = true
                if (banding) {
                    band.x = Math.min(mouse.x, pressPoint.x)
                    band.y = Math.min(mouse.y, pressPoint.y)
                    band.width = Math.abs(dx)
                    band.height = Math.abs(dy)
                    return
                }
                canvas.autoFit = false
                world.x = startPos.x + dx
                world.y = startPos.y + dy
            }
            onDoubleClicked: (mouse) => {
                if (canvas.sketchMode && canvas.systemUnder(mouse.x, mouse.y).length > 0)
                    canvas.zoomAt(mouse.x, mouse.y, 1)
            }
            onReleased: (mouse) => {
                if (banding && panned) {
                    landscapeEditor.selectInRect((band.x - world.x) / canvas.zoom,
                                                 (band.y - world.y) / canvas.zoom,
                                                 band.width / canvas.zoom,
                                                 band.height / canvas.zoom, additive)
                } else if (!panned) {
                    // In the sketch a click on a system selects it, as a click on its card.
                    const hit = canvas.sketchMode ? canvas.systemUnder(mouse.x, mouse.y) : ""
                    if (hit.length > 0) {
                        landscapeEditor.selectOnly(hit)
                    } else {
                        landscapeEditor.clearSelection()
                        StudioController.select("")
                    }
                }
                banding = false
            }
            onWheel: (wheel) => {
                const delta = wheel.angleDelta.y !== 0 ? wheel.angleDelta.y : wheel.angleDelta.x
                canvas.zoomAt(wheel.x, wheel.y, canvas.zoom * Math.pow(1.0015, delta))
            }
        }

        // Canvas coordinates: children are positioned in project units and scaled by `zoom`.
        Item {
            id: world
            objectName: "canvasWorld"
            transformOrigin: Item.TopLeft
            scale: canvas.zoom
            width: 1
            height: 1

            Repeater {
                model: visibleFlows
                delegate: Rectangle {
                    id: pill
                    required property string label
                    required property string edgeKind
                    required property string element
                    required property real labelX
                    required property real labelY
                    required property real labelRoom
                    readonly property bool selected: element === StudioController.selectedElement
                    // A flow without an entity still gets a pill, so it can be selected.
                    readonly property string shown: label.length > 0 ? label
                                                  : edgeKind === "flow" ? qsTr("no entity") : ""
                    visible: shown.length > 0
                    objectName: "edgeLabel_" + element
                    x: Math.round(labelX - width / 2)
                    y: Math.round(labelY - height / 2)
                    // Never wider than the gap between the cards it joins (they cover it).
                    width: Math.min(labelText.implicitWidth, 160, Math.max(24, labelRoom - 16))
                           + 16
                    height: 22
                    radius: 11
                    color: selected ? Theme.accentSoft : Theme.surface
                    border.width: selected ? 1.5 : 1
                    border.color: selected ? Theme.accent
                                  : edgeKind === "flow" ? Theme.flowEdgeMuted
                                  : Theme.workflowEdgeMuted
                    Label {
                        id: labelText
                        anchors.centerIn: parent
                        width: pill.width - 16
                        elide: Text.ElideRight
                        text: pill.shown
                        font.pixelSize: Theme.fontCaption
                        font.italic: pill.label.length === 0
                        color: pill.selected ? Theme.accent
                               : pill.edgeKind === "flow" ? Theme.textSecondary
                                                          : Theme.workflowEdge
                    }
                    MouseArea {
                        anchors.fill: parent
                        cursorShape: Qt.PointingHandCursor
                        onClicked: {
                            landscapeEditor.clearSelection()
                            StudioController.select(pill.element)
                        }
                    }
                }
            }

            Repeater {
                id: nodes
                model: visibleSystems
                delegate: SystemNode {
                    world: landscapeRoot.world
                    canvas: landscapeRoot
                    editor: landscapeEditor
                }
            }

            // The data flow being drawn from a handle.
            Shape {
                id: connectPreview
                visible: canvas.connectFrom.length > 0
                ShapePath {
                    strokeColor: Theme.accent
                    strokeWidth: 2 / Math.max(0.5, canvas.zoom)
                    strokeStyle: ShapePath.DashLine
                    dashPattern: [3, 3]
                    fillColor: "transparent"
                    startX: canvas.connectStart.x
                    startY: canvas.connectStart.y
                    PathLine { x: canvas.connectEnd.x; y: canvas.connectEnd.y }
                }
            }
            Rectangle {
                visible: connectPreview.visible
                x: canvas.connectEnd.x - 5
                y: canvas.connectEnd.y - 5
                width: 10; height: 10; radius: 5
                color: Theme.accent
            }
        }

        // Rubber band (viewport coordinates).
        Rectangle {
            id: band
            objectName: "rubberBand"
            visible: panArea.banding && panArea.panned
            color: Theme.accentVeil
            border.color: Theme.accent
            border.width: 1
        }

        // Floating tool palette, top left.
        Rectangle {
            id: palette
            objectName: "canvasPalette"
            anchors.left: parent.left
            anchors.top: parent.top
            anchors.margins: Theme.spacingM
            width: paletteRow.implicitWidth + 2 * Theme.spacingXs
            height: paletteRow.implicitHeight + 2 * Theme.spacingXs
            radius: Theme.radius
            color: Theme.surface
            border.color: Theme.border
            RowLayout {
                id: paletteRow
                anchors.centerIn: parent
                spacing: 2
                Button {
                    id: addButton
                    objectName: "addSystemButton"
                    text: qsTr("Add system")
                    icon.source: Theme.icon("plus")
                    icon.width: 16
                    icon.height: 16
                    icon.color: "white"
                    focusPolicy: Qt.NoFocus
                    palette.buttonText: "white"
                    background: Rectangle {
                        radius: 4
                        color: addButton.down ? Qt.darker(Theme.accent, 1.15)
                               : addButton.hovered ? Qt.lighter(Theme.accent, 1.08)
                                                   : Theme.accent
                    }
                    font.pixelSize: Theme.fontSmall
                    implicitHeight: 30
                    leftPadding: 10
                    rightPadding: 12
                    ToolTip.visible: hovered
                    ToolTip.delay: 600
                    ToolTip.text: qsTr("Add a system (Ctrl+Shift+N)")
                    onClicked: canvas.openAddMenu()
                }
                ToolSeparator {}
                ToolIconButton {
                    iconName: "auto-layout"
                    tip: qsTr("Arrange automatically (Ctrl+Shift+L)")
                    enabled: canvas.nodeCount > 1
                    onClicked: { landscapeEditor.autoLayout(); Qt.callLater(canvas.zoomToFit) }
                }
                ToolIconButton {
                    iconName: "snap-grid"
                    tip: landscapeEditor.snapToGrid ? qsTr("Snap to grid: on")
                                                    : qsTr("Snap to grid: off")
                    checkable: true
                    checked: landscapeEditor.snapToGrid
                    onToggled: landscapeEditor.snapToGrid = checked
                    background: Rectangle {
                        radius: 4
                        color: parent.checked ? Theme.accentSoft
                               : parent.hovered ? Theme.hover : "transparent"
                    }
                }
                ToolIconButton {
                    iconName: "trash"
                    tip: qsTr("Delete selection (Del)")
                    enabled: landscapeEditor.selection.length > 0
                             || StudioController.selectedRef.kind === ElementRef.Flow
                    onClicked: canvas.requestDelete()
                }
            }
        }

        Menu {
            id: addMenu
            objectName: "addSystemMenu"
            Repeater {
                model: landscapeEditor.kinds
                delegate: MenuItem {
                    required property var modelData
                    text: modelData.label
                    icon.source: Theme.themed(modelData.icon)
                    icon.width: 18
                    icon.height: 18
                    icon.color: modelData.color
                    implicitHeight: 30
                    font.pixelSize: Theme.fontBody
                    onTriggered: canvas.addSystemAtCentre(modelData.name)
                }
            }
        }

        // Selection summary, top centre.
        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            anchors.top: parent.top
            anchors.topMargin: Theme.spacingM
            visible: landscapeEditor.selection.length > 1
            width: selText.implicitWidth + 24
            height: 28
            radius: 14
            color: Theme.textPrimary
            Label {
                id: selText
                anchors.centerIn: parent
                text: qsTr("%1 systems selected \u00b7 drag to move together \u00b7 Del to delete")
                      .arg(landscapeEditor.selection.length)
                color: "white"
                font.pixelSize: Theme.fontSmall
            }
        }

        // Empty project hint.
        Column {
            anchors.centerIn: parent
            visible: canvas.nodeCount === 0
            spacing: Theme.spacingS
            Label {
                anchors.horizontalCenter: parent.horizontalCenter
                text: qsTr("No systems yet")
                font.pixelSize: Theme.fontTitle
                font.weight: Font.DemiBold
                color: Theme.textSecondary
            }
            Label {
                anchors.horizontalCenter: parent.horizontalCenter
                text: qsTr("Add the applications of the company, then drag from a card\u2019s "
                           + "handle to another card to draw a data flow.")
                font.pixelSize: Theme.fontBody
                color: Theme.textTertiary
            }
            Button {
                anchors.horizontalCenter: parent.horizontalCenter
                text: qsTr("Add system\u2026")
                highlighted: true
                onClicked: addMenu.popup(this, 0, height + 4)
            }
        }

        Minimap {
            id: minimap
            objectName: "minimap"
            anchors.right: parent.right
            anchors.bottom: zoomBox.top
            anchors.margins: Theme.spacingM
            anchors.bottomMargin: Theme.spacingS
            visible: canvas.nodeCount > 0
            bounds: landscapeEditor.bounds
            systems: StudioController.systems
            selection: landscapeEditor.selection
            viewRect: Qt.rect(-world.x / canvas.zoom, -world.y / canvas.zoom,
                              viewport.width / canvas.zoom, viewport.height / canvas.zoom)
            onPanRequested: (wx, wy) => canvas.centreOn(wx, wy)
        }

        // Zoom controls, bottom right.
        Rectangle {
            id: zoomBox
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
                ToolIconButton { iconName: "zoom-out"; tip: qsTr("Zoom out (Ctrl+-)")
                                 onClicked: canvas.zoomOut() }
                Label {
                    text: Math.round(canvas.zoom * 100) + "%"
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textSecondary
                    horizontalAlignment: Text.AlignHCenter
                    Layout.preferredWidth: 44
                }
                ToolIconButton { iconName: "zoom-in"; tip: qsTr("Zoom in (Ctrl+=)")
                                 onClicked: canvas.zoomIn() }
                ToolIconButton { iconName: "zoom-fit"; tip: qsTr("Zoom to fit (Ctrl+0)")
                                 onClicked: canvas.zoomToFit() }
            }
        }

        Rectangle {
            anchors.left: parent.left
            anchors.bottom: parent.bottom
            anchors.margins: Theme.spacingM
            width: legendRow.implicitWidth + 2 * Theme.spacingS + 4
            height: 32
            radius: Theme.radius
            color: Theme.surface
            border.color: Theme.border
            visible: canvas.nodeCount > 0
            Row {
                id: legendRow
                anchors.centerIn: parent
                spacing: Theme.spacingM
                Row {
                    spacing: Theme.spacingS
                    Rectangle {
                        anchors.verticalCenter: parent.verticalCenter
                        width: 22; height: 2; color: Theme.flowEdge
                    }
                    Label {
                        text: qsTr("Data flow")
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textSecondary
                    }
                }
                Row {
                    spacing: Theme.spacingS
                    Row {
                        anchors.verticalCenter: parent.verticalCenter
                        spacing: 2
                        Repeater {
                            model: 4
                            delegate: Rectangle { width: 4; height: 2; color: Theme.workflowEdge }
                        }
                    }
                    Label {
                        text: qsTr("Workflow")
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textSecondary
                    }
                }
                Label {
                    text: qsTr("Shift+drag: select \u00b7 drag \u25cf: connect")
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textTertiary
                }
            }
        }
    }

    LandscapeInspector {
        id: inspectorPanel
        objectName: "systemInspector"
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.right: parent.right
        width: 392
        visible: canvas.width > 760
    }
}
