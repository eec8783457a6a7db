import QtQuick
import QtQuick.Controls
import Switchboard.Controls
import Switchboard.Landscape

// Overview of the whole landscape: every card as a coloured block and the visible part as a
// frame. Click or drag to move the view there (panRequested gives canvas coordinates).
Rectangle {
    id: map
    property rect bounds
    property var systems
    property var selection: []
    property rect viewRect
    signal panRequested(real wx, real wy)

    width: 200
    height: 132
    radius: Theme.radius
    color: Theme.surface
    border.color: Theme.border

    // The content with a margin; a fixed area keeps the map still while dragging on it.
    readonly property rect area: {
        if (bounds.width <= 0 || bounds.height <= 0)
            return Qt.rect(viewRect.x, viewRect.y, Math.max(1, viewRect.width),
                           Math.max(1, viewRect.height))
        const mx = bounds.width * 0.08 + 40
        const my = bounds.height * 0.08 + 40
        return Qt.rect(bounds.x - mx, bounds.y - my, bounds.width + 2 * mx,
                       bounds.height + 2 * my)
    }
    readonly property real pad: 8
    readonly property real scaleFactor: Math.min((width - 2 * pad) / area.width,
                                                 (height - 2 * pad) / area.height)
    readonly property real offsetX: pad + ((width - 2 * pad) - area.width * scaleFactor) / 2
    readonly property real offsetY: pad + ((height - 2 * pad) - area.height * scaleFactor) / 2

    function toMapX(wx) { return offsetX + (wx - area.x) * scaleFactor }
    function toMapY(wy) { return offsetY + (wy - area.y) * scaleFactor }

    Item {
        anchors.fill: parent
        clip: true
        // Every card as a block, painted in one item however many systems there are.
        LandscapeSketchItem {
            objectName: "minimapBlocks"
            anchors.fill: parent
            style: "blocks"
            systems: map.systems
            selection: map.selection
            accentColor: Theme.accent
            originX: map.offsetX - map.area.x * map.scaleFactor
            originY: map.offsetY - map.area.y * map.scaleFactor
            zoom: map.scaleFactor
        }
        Rectangle {
            objectName: "minimapFrame"
            x: map.toMapX(map.viewRect.x)
            y: map.toMapY(map.viewRect.y)
            width: map.viewRect.width * map.scaleFactor
            height: map.viewRect.height * map.scaleFactor
            color: Theme.accentVeilLight
            border.color: Theme.accent
            border.width: 1.5
            radius: 2
        }
    }

    MouseArea {
        anchors.fill: parent
        cursorShape: Qt.PointingHandCursor
        preventStealing: true
        function pan(mouse) {
            map.panRequested(map.area.x + (mouse.x - map.offsetX) / map.scaleFactor,
                             map.area.y + (mouse.y - map.offsetY) / map.scaleFactor)
        }
        onPressed: (mouse) => pan(mouse)
        onPositionChanged: (mouse) => { if (pressed) pan(mouse) }
        onWheel: (wheel) => wheel.accepted = true
    }
}
