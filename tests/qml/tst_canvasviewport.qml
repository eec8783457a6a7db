import QtQuick
import QtTest
import Switchboard.Controls

// CanvasViewport's geometry: zoom about a point, clamping, centring and reveal targets.
Item {
    id: root
    width: 400
    height: 300

    Item { id: area; width: 400; height: 300 }
    Item { id: content }

    CanvasViewport { id: view; area: area; content: content }

    TestCase {
        name: "CanvasViewport"

        function init() {
            view.stopAnimation()
            view.zoom = 1
            view.autoFit = true
            view.revealMinZoom = 0
            view.revealOnlyIfHidden = false
            content.x = 0
            content.y = 0
        }

        function test_clampZoom() {
            compare(view.clampZoom(0.01), view.minZoom)
            compare(view.clampZoom(10), view.maxZoom)
            compare(view.clampZoom(1.5), 1.5)
        }

        function test_zoomAtKeepsThePointUnderTheCursor() {
            content.x = 30
            content.y = -20
            const px = 120, py = 80
            const wx = (px - content.x) / view.zoom
            const wy = (py - content.y) / view.zoom
            view.zoomAt(px, py, 2)
            compare(view.zoom, 2)
            fuzzyCompare(content.x + wx * view.zoom, px, 1e-9)
            fuzzyCompare(content.y + wy * view.zoom, py, 1e-9)
            verify(!view.autoFit)
        }

        function test_zoomAtClamps() {
            view.zoomAt(0, 0, 100)
            compare(view.zoom, view.maxZoom)
            view.zoomAt(0, 0, 0)
            compare(view.zoom, view.minZoom)
        }

        function test_zoomInOutAboutTheCentre() {
            view.zoomIn()
            fuzzyCompare(view.zoom, 1.25, 1e-9)
            // The centre of the area stays on the canvas point it showed.
            fuzzyCompare((200 - content.x) / view.zoom, 200, 1e-9)
            view.zoomOut()
            fuzzyCompare(view.zoom, 1, 1e-9)
        }

        function test_centreOn() {
            view.zoom = 2
            view.centreOn(50, 40)
            compare(content.x, 200 - 100)
            compare(content.y, 150 - 80)
        }

        function test_revealTargetsTheRectangleCentre() {
            view.revealMinZoom = 1.5
            view.reveal(Qt.rect(100, 100, 40, 20))
            compare(view.zoom, 1.5)
            tryCompare(content, "x", 200 - 120 * 1.5)
            tryCompare(content, "y", 150 - 110 * 1.5)
        }

        function test_revealLeavesAVisibleRectangle() {
            view.revealOnlyIfHidden = true
            content.x = 10
            view.reveal(Qt.rect(20, 20, 50, 50))
            compare(content.x, 10)
            verify(view.autoFit)
        }

        function test_revealIgnoresAnEmptyRectangle() {
            view.reveal(Qt.rect(5, 5, 0, 0))
            compare(content.x, 0)
            verify(view.autoFit)
        }
    }
}
