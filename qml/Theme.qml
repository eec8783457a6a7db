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

    // Colours of single features, named here so every colour lives in this file.
    // Data flow edge of a dimmed system.
    readonly property color flowEdgeMuted: "#cfd6df"
    readonly property color workflowEdgeMuted: "#d9d0f3"
    // Rubber band and drop highlights over the canvas.
    readonly property color accentVeil: "#142f6feb"
    readonly property color accentVeilLight: "#102f6feb"
    // A selected card that is not the primary one.
    readonly property color accentSelected: "#7aa3f2"
    readonly property color selectedRow: "#eef4ff"
    readonly property color selectedBorder: "#c7d8fb"
    readonly property color coveredPort: "#9db8f2"
    readonly property color ownerInk: "#1d4ed8"
    readonly property color contributorFill: "#dbe7fe"
    readonly property color consumerBorder: "#7b8fb3"
    // Success: completed instances, met SLAs, a ready command.
    readonly property color success: "#1e7b3a"
    readonly property color successSoft: "#e3f4e8"
    readonly property color successBright: "#2f9e44"
    readonly property color successChart: "#52b26b"
    readonly property color okColor: "#3f9a6b"
    readonly property color okInk: "#2f7d55"
    readonly property color okSoft: "#e6f4ec"
    // A sandbox endpoint profile.
    readonly property color sandboxInk: "#1e7b4a"
    readonly property color sandboxSoft: "#e8f5ee"
    // Rows and cells with problems.
    readonly property color errorRow: "#fdf3f3"
    readonly property color warningRow: "#fdf8ec"
    readonly property color gapCell: "#fdf1f1"
    readonly property color errorBorder: "#f0c4c4"
    readonly property color errorFill: "#fff8f8"
    readonly property color warningBorder: "#d9a54a"
    // Compensation steps.
    readonly property color compensate: "#6d4fc9"
    readonly property color compensateSoft: "#efeafd"
    // Workflow edges by kind.
    readonly property color compensationEdge: "#c08484"
    readonly property color nextEdge: "#8592a3"
    readonly property color errorEdgePill: "#ebb7b7"
    readonly property color timeoutEdgePill: "#ecd39c"
    readonly property color triggerInk: "#334155"
    // Alternate rows, the editor area.
    readonly property color rowAlt: "#fafbfc"
    readonly property color editorFill: "#fbfcfe"
    // Shadows and scrims.
    readonly property color cardShadow: "#14202a3a"
    readonly property color nodeShadow: "#16202a3a"
    readonly property color modalScrim: "#26000000"
    readonly property color surfaceVeil: "#d0ffffff"
    // Text and marks drawn on a coloured fill.
    readonly property color inkOnAccent: "#ffffff"
    // The command line shown in the export dialog.
    readonly property color codeBackground: "#1f2933"
    readonly property color codeText: "#e6edf3"

    function plural(n, one, many) { return n + " " + (n === 1 ? one : many) }
    function icon(name) { return "qrc:/qt/qml/Switchboard/Controls/icons/" + name + ".svg" }
    function severityIcon(severity) {
        return icon(severity === "error" ? "error" : severity === "warning" ? "warning" : "info")
    }
}
