import QtQuick
import Switchboard.Controls

// Pan and zoom of a canvas, shared by the landscape and workflow canvases: `content` (the item
// holding the content, which its owner scales by `zoom`) is moved inside `area`. Zooming
// keeps the point under the cursor in place; reveal() pans, animated, to a canvas rectangle.
QtObject {
    id: view

    required property Item area
    required property Item content
    property real zoom: 1
    property real minZoom: 0.2
    property real maxZoom: 3
    // Fit again on resize until the user pans or zooms themselves (the owner fits).
    property bool autoFit: true
    // reveal() zooms in to at least this (0: keeps the zoom).
    property real revealMinZoom: 0
    // reveal() leaves a rectangle that is already fully in view where it is.
    property bool revealOnlyIfHidden: false

    function clampZoom(z) { return Math.max(minZoom, Math.min(maxZoom, z)) }

    // Zooms keeping the area point under (px, py) in place.
    function zoomAt(px, py, newZoom) {
        autoFit = false
        newZoom = clampZoom(newZoom)
        const wx = (px - content.x) / zoom
        const wy = (py - content.y) / zoom
        zoom = newZoom
        content.x = px - wx * zoom
        content.y = py - wy * zoom
    }
    function zoomIn() { zoomAt(area.width / 2, area.height / 2, zoom * 1.25) }
    function zoomOut() { zoomAt(area.width / 2, area.height / 2, zoom / 1.25) }

    // Puts the canvas point (wx, wy) in the middle of the area.
    function centreOn(wx, wy) {
        autoFit = false
        revealAnimation.stop()
        content.x = area.width / 2 - wx * zoom
        content.y = area.height / 2 - wy * zoom
    }

    // Centres a canvas rectangle in the view with a short animation.
    function reveal(rect) {
        if (rect.width <= 0)
            return
        if (revealOnlyIfHidden) {
            const left = content.x + rect.x * zoom
            const top = content.y + rect.y * zoom
            if (left >= 0 && top >= 0 && left + rect.width * zoom <= area.width
                    && top + rect.height * zoom <= area.height)
                return
        }
        autoFit = false
        const z = Math.max(zoom, revealMinZoom)
        revealAnimation.stop()
        zoom = z
        revealX.to = area.width / 2 - (rect.x + rect.width / 2) * z
        revealY.to = area.height / 2 - (rect.y + rect.height / 2) * z
        revealAnimation.start()
    }

    // A fit or a jump must not be overtaken by a reveal still running.
    function stopAnimation() { revealAnimation.stop() }

    readonly property ParallelAnimation animation: ParallelAnimation {
        id: revealAnimation
        NumberAnimation { id: revealX; target: view.content; property: "x"; duration: 220
                          easing.type: Easing.OutCubic }
        NumberAnimation { id: revealY; target: view.content; property: "y"; duration: 220
                          easing.type: Easing.OutCubic }
    }
}
