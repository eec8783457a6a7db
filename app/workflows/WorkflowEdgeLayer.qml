import QtQuick
import QtQuick.Shapes
import Switchboard.Controls
import Switchboard.Workflows

// Every edge of the open workflow in ONE Shape: one ShapePath per WorkflowEdgesModel row
// (the curve and its arrow head come ready-made as an SVG path from C++), created by an
// Instantiator. Next edges are solid, on-error red dashed, on-timeout amber dashed,
// compensation links dotted.
Item {
    id: layer
    property var model
    property string selectedElement
    property bool pathShown              // a run instance's path is drawn: others step back
    readonly property int edgeCount: instantiator.count
    property var livePaths: []

    // Paths are handed to the Shape in one assignment per event-loop turn: adding them one
    // by one makes the Shape re-process every path each time (quadratic on big workflows).
    function addPath(path) {
        livePaths.push(path)
        Qt.callLater(sync)
    }
    function removePath(path) {
        livePaths = livePaths.filter(p => p !== path)
        shape.data = livePaths  // at once: the path is about to be deleted
    }
    function sync() { shape.data = livePaths }
    function colorFor(kind) {
        return kind === "on-error" ? Theme.error
             : kind === "on-timeout" ? Theme.warning
             : kind === "compensation" ? Theme.compensationEdge : Theme.nextEdge
    }

    Component.onDestruction: {
        livePaths = []
        shape.data = []
    }

    Shape {
        id: shape
        objectName: "workflowEdgeShape"
        anchors.fill: parent
        // A Shape whose last path is removed keeps drawing what it drew before (the previous
        // workflow's arrows over a new, empty one): with no edge it is not drawn at all.
        visible: instantiator.count > 0
    }

    Instantiator {
        id: instantiator
        model: layer.model
        delegate: ShapePath {
            required property string edgeKind
            required property string element
            required property string svgPath
            required property bool onPath
            readonly property bool selected: element === layer.selectedElement
                                             && edgeKind !== "compensation"
            strokeColor: selected ? Theme.accent
                       : onPath ? Theme.runPath
                       : layer.pathShown ? Qt.lighter(layer.colorFor(edgeKind), 1.6)
                       : layer.colorFor(edgeKind)
            strokeWidth: selected ? 2.5 : onPath ? 3.5 : 1.75
            strokeStyle: edgeKind === "next" ? ShapePath.SolidLine : ShapePath.DashLine
            dashPattern: edgeKind === "compensation" ? [1.5, 2.5] : [4, 3]
            fillColor: "transparent"
            capStyle: ShapePath.RoundCap
            joinStyle: ShapePath.RoundJoin
            PathSvg { path: svgPath }
        }
        onObjectAdded: (index, object) => layer.addPath(object)
        onObjectRemoved: (index, object) => layer.removePath(object)
    }
}
