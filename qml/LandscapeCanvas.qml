import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard

// The landscape: systems as cards, data flows and workflow hops as edges. Pan by dragging the
// background, zoom with the wheel (around the pointer) or the View menu, fit with Ctrl+0.
// Zoom and pan are view state and stay in QML; everything drawn comes from the models.
Item {
    id: canvas
    objectName: "landscapeCanvas"
    clip: true

    property real zoom: 1
    readonly property real minZoom: 0.2
    readonly property real maxZoom: 3
    readonly property Item world: world
    readonly property int nodeCount: nodes.count

    // Fit again whenever the view is resized, until the user pans or zooms themselves.
    property bool autoFit: true
    onWidthChanged: if (autoFit) Qt.callLater(zoomToFit)
    onHeightChanged: if (autoFit) Qt.callLater(zoomToFit)

    function clampZoom(z) { return Math.max(minZoom, Math.min(maxZoom, z)) }

    // Zooms keeping the canvas point under (px, py) in place.
    function zoomAt(px, py, newZoom) {
        autoFit = false
        newZoom = clampZoom(newZoom)
        const wx = (px - world.x) / zoom
        const wy = (py - world.y) / zoom
        zoom = newZoom
        world.x = px - wx * zoom
        world.y = py - wy * zoom
    }
    function zoomIn() { zoomAt(width / 2, height / 2, zoom * 1.25) }
    function zoomOut() { zoomAt(width / 2, height / 2, zoom / 1.25) }

    function zoomToFit() {
        autoFit = true
        const b = StudioController.contentBounds()
        const margin = 48
        if (b.width <= 0 || b.height <= 0 || width <= 0 || height <= 0) {
            zoom = 1
            world.x = margin
            world.y = margin
            return
        }
        zoom = clampZoom(Math.min((width - 2 * margin) / b.width,
                                  (height - 2 * margin) / b.height, 1))
        world.x = (width - b.width * zoom) / 2 - b.x * zoom
        world.y = (height - b.height * zoom) / 2 - b.y * zoom
    }

    // Centres a canvas rectangle (a system) in the view, zooming in if it is too small.
    function reveal(rect) {
        if (rect.width <= 0)
            return
        const z = Math.max(zoom, 0.8)
        revealAnimation.stop()
        zoom = z
        revealX.to = width / 2 - (rect.x + rect.width / 2) * z
        revealY.to = height / 2 - (rect.y + rect.height / 2) * z
        revealAnimation.start()
    }

    ParallelAnimation {
        id: revealAnimation
        NumberAnimation { id: revealX; target: world; property: "x"; duration: 220
                          easing.type: Easing.OutCubic }
        NumberAnimation { id: revealY; target: world; property: "y"; duration: 220
                          easing.type: Easing.OutCubic }
    }

    Connections {
        target: StudioController
        function onRevealRequested(rect) { canvas.reveal(rect) }
    }

    Rectangle {
        anchors.fill: parent
        color: Theme.canvasBackground
    }

    // Dot grid that pans and zooms with the content (hidden when zoomed far out).
    Image {
        readonly property real step: 24 * canvas.zoom
        visible: canvas.zoom >= 0.5
        x: (world.x % step) - step
        y: (world.y % step) - step
        width: canvas.width + 2 * step
        height: canvas.height + 2 * step
        source: Theme.icon("canvas-grid")
        sourceSize: Qt.size(Math.max(4, Math.round(step)), Math.max(4, Math.round(step)))
        fillMode: Image.Tile
        smooth: false
    }

    MouseArea {
        id: panArea
        anchors.fill: parent
        acceptedButtons: Qt.LeftButton | Qt.MiddleButton
        cursorShape: pressed ? Qt.ClosedHandCursor : Qt.ArrowCursor
        property point pressPoint
        property point startPos
        property bool panned: false
        onPressed: (mouse) => {
            revealAnimation.stop()
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
            canvas.autoFit = false
            world.x = startPos.x + dx
            world.y = startPos.y + dy
        }
        onReleased: {
            if (!panned)
                StudioController.select("")
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

        EdgeLayer {
            model: StudioController.flows
            selectedElement: StudioController.selectedElement
        }

        Repeater {
            model: StudioController.flows
            delegate: Rectangle {
                required property string label
                required property string edgeKind
                required property string element
                required property real labelX
                required property real labelY
                visible: label.length > 0
                x: Math.round(labelX - width / 2)
                y: Math.round(labelY - height / 2)
                width: Math.min(labelText.implicitWidth, 160) + 12
                height: 20
                radius: 10
                color: Theme.surface
                border.color: element === StudioController.selectedElement
                              ? Theme.accent
                              : edgeKind === "flow" ? "#cfd6df" : "#d9d0f3"
                Label {
                    id: labelText
                    anchors.centerIn: parent
                    width: Math.min(implicitWidth, 160)
                    elide: Text.ElideRight
                    text: parent.label
                    font.pixelSize: Theme.fontCaption
                    color: parent.edgeKind === "flow" ? Theme.textSecondary : Theme.workflowEdge
                }
                MouseArea {
                    anchors.fill: parent
                    onClicked: StudioController.select(parent.element)
                }
            }
        }

        Repeater {
            id: nodes
            model: StudioController.systems
            delegate: SystemNode {
                world: canvas.world
            }
        }
    }

    // Empty project hint.
    Column {
        anchors.centerIn: parent
        visible: nodes.count === 0
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
            text: qsTr("Systems of the project appear here as cards, data flows as arrows.")
            font.pixelSize: Theme.fontBody
            color: Theme.textTertiary
        }
    }

    // Legend and zoom controls, bottom right.
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
        visible: nodes.count > 0
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
        }
    }
}
