pragma Singleton
import QtQuick

// Palette, type scale and spacing of the studio (light theme, 8 px grid).
QtObject {
    // Spacing
    readonly property int gridUnit: 8
    readonly property int spacingXs: 4
    readonly property int spacingS: 8
    readonly property int spacingM: 16
    readonly property int spacingL: 24
    readonly property int spacingXl: 32
    readonly property int radius: 6
    readonly property int radiusLarge: 8

    // Type scale (pixel sizes scale with QT_SCALE_FACTOR like everything else)
    readonly property int fontCaption: 11
    readonly property int fontSmall: 12
    readonly property int fontBody: 13
    readonly property int fontTitle: 15
    readonly property int fontHeading: 20
    readonly property int fontDisplay: 28

    // Palette
    readonly property color windowBackground: "#f6f7f9"
    readonly property color surface: "#ffffff"
    readonly property color surfaceAlt: "#f1f3f6"
    readonly property color canvasBackground: "#eef1f5"
    readonly property color border: "#d9dee5"
    readonly property color borderStrong: "#c3cad4"
    readonly property color divider: "#e6e9ee"
    readonly property color textPrimary: "#1f2933"
    readonly property color textSecondary: "#52606d"
    readonly property color textTertiary: "#7b8794"
    readonly property color accent: "#2f6feb"
    readonly property color accentSoft: "#e4edfd"
    readonly property color hover: "#eef2f7"
    readonly property color error: "#d64545"
    readonly property color errorSoft: "#fbe9e9"
    readonly property color warning: "#b7791f"
    readonly property color warningSoft: "#fdf3dc"
    readonly property color info: "#3b82f6"
    readonly property color flowEdge: "#64748b"
    readonly property color workflowEdge: "#7c5cdb"
    // A run instance's path on the workflow canvas.
    readonly property color runPath: "#1e8a4c"
    readonly property color runPathSoft: "#dff3e7"

    function plural(n, one, many) { return n + " " + (n === 1 ? one : many) }
    function icon(name) { return "qrc:/qt/qml/Switchboard/Controls/icons/" + name + ".svg" }
    function severityIcon(severity) {
        return icon(severity === "error" ? "error" : severity === "warning" ? "warning" : "info")
    }
}
