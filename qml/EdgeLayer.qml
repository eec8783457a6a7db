import QtQuick
import QtQuick.Shapes
import Switchboard

// All landscape edges in ONE Shape: one ShapePath per FlowsModel row, created by an
// Instantiator. Geometry (curve, arrow head) comes from the model roles.
Item {
    id: layer
    property var model
    property string selectedElement
    readonly property int edgeCount: instantiator.count

    // The ShapePaths currently alive, in sync with the Instantiator. Shape.data has no
    // per-item removal, so a removal reassigns the remaining paths.
    property var livePaths: []

    function addPath(path) {
        livePaths.push(path)
        shape.data.push(path)
    }
    function removePath(path) {
        livePaths = livePaths.filter(p => p !== path)
        shape.data = livePaths
    }

    // Detach the paths before the Instantiator deletes them.
    Component.onDestruction: {
        livePaths = []
        shape.data = []
    }

    Shape {
        id: shape
        objectName: "edgeShape"
        anchors.fill: parent
    }

    // Kept outside the Shape so reassigning Shape.data never touches it.
    Instantiator {
        id: instantiator
        model: layer.model
        delegate: ShapePath {
            required property string edgeKind
            required property string element
            required property real lineStartX
            required property real lineStartY
            required property real curveX
            required property real curveY
            required property real lineEndX
            required property real lineEndY
            required property real arrowLeftX
            required property real arrowLeftY
            required property real arrowRightX
            required property real arrowRightY
            readonly property bool selected: element === layer.selectedElement

            strokeColor: selected ? Theme.accent
                                  : edgeKind === "flow" ? Theme.flowEdge : Theme.workflowEdge
            strokeWidth: selected ? 2.5 : 1.5
            strokeStyle: edgeKind === "workflow" ? ShapePath.DashLine : ShapePath.SolidLine
            dashPattern: [4, 3]
            fillColor: "transparent"
            capStyle: ShapePath.RoundCap
            joinStyle: ShapePath.RoundJoin
            startX: lineStartX
            startY: lineStartY

            PathQuad { x: lineEndX; y: lineEndY; controlX: curveX; controlY: curveY }
            PathMove { x: arrowLeftX; y: arrowLeftY }
            PathLine { x: lineEndX; y: lineEndY }
            PathLine { x: arrowRightX; y: arrowRightY }
        }
        onObjectAdded: (index, object) => layer.addPath(object)
        onObjectRemoved: (index, object) => layer.removePath(object)
    }
}
