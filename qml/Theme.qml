pragma Singleton
import QtQuick

// Palette, type scale and spacing of the studio (light and dark themes, 8 px grid). The
// theme follows the application palette: dark when its window colour is dark, which is the
// system's choice or the View menu's (Appearance sets the palette).
QtObject {
    readonly property SystemPalette systemPalette: SystemPalette {}
    readonly property bool dark: systemPalette.window.hslLightness < 0.5

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
    readonly property color windowBackground: dark ? "#1e2228" : "#f6f7f9"
    readonly property color surface: dark ? "#262b33" : "#ffffff"
    readonly property color surfaceAlt: dark ? "#2d333c" : "#f1f3f6"
    readonly property color canvasBackground: dark ? "#1b1f24" : "#eef1f5"
    readonly property color border: dark ? "#3a414c" : "#d9dee5"
    readonly property color borderStrong: dark ? "#4a525e" : "#c3cad4"
    readonly property color divider: dark ? "#333943" : "#e6e9ee"
    readonly property color textPrimary: dark ? "#e6e9ee" : "#1f2933"
    readonly property color textSecondary: dark ? "#b3bcc7" : "#52606d"
    readonly property color textTertiary: dark ? "#8a95a3" : "#7b8794"
    readonly property color accent: dark ? "#5b8ff9" : "#2f6feb"
    readonly property color accentSoft: dark ? "#26344d" : "#e4edfd"
    readonly property color hover: dark ? "#2f3641" : "#eef2f7"
    readonly property color error: dark ? "#f06b6b" : "#d64545"
    readonly property color errorSoft: dark ? "#4a2626" : "#fbe9e9"
    readonly property color warning: dark ? "#e0a43a" : "#b7791f"
    readonly property color warningSoft: dark ? "#4a3b1f" : "#fdf3dc"
    readonly property color info: dark ? "#6aa5ff" : "#3b82f6"
    readonly property color flowEdge: dark ? "#8b99ad" : "#64748b"
    readonly property color workflowEdge: dark ? "#9d85ee" : "#7c5cdb"
    // A run instance's path on the workflow canvas.
    readonly property color runPath: dark ? "#43b273" : "#1e8a4c"
    readonly property color runPathSoft: dark ? "#1e3a2a" : "#dff3e7"

    // Colours of single features, named here so every colour lives in this file.
    // Data flow edge of a dimmed system.
    readonly property color flowEdgeMuted: dark ? "#404854" : "#cfd6df"
    readonly property color workflowEdgeMuted: dark ? "#4a4266" : "#d9d0f3"
    // Rubber band and drop highlights over the canvas.
    readonly property color accentVeil: dark ? "#245b8ff9" : "#142f6feb"
    readonly property color accentVeilLight: dark ? "#185b8ff9" : "#102f6feb"
    // A selected card that is not the primary one.
    readonly property color accentSelected: dark ? "#4d74c4" : "#7aa3f2"
    readonly property color selectedRow: dark ? "#233049" : "#eef4ff"
    readonly property color selectedBorder: dark ? "#3d5683" : "#c7d8fb"
    readonly property color coveredPort: dark ? "#5a77b4" : "#9db8f2"
    readonly property color ownerInk: dark ? "#8fb1ff" : "#1d4ed8"
    readonly property color contributorFill: dark ? "#2a3a5c" : "#dbe7fe"
    readonly property color consumerBorder: dark ? "#7b8fb3" : "#7b8fb3"
    // Success: completed instances, met SLAs, a ready command.
    readonly property color success: dark ? "#4cc06a" : "#1e7b3a"
    readonly property color successSoft: dark ? "#1f3a27" : "#e3f4e8"
    readonly property color successBright: dark ? "#4cc06a" : "#2f9e44"
    readonly property color successChart: dark ? "#52b26b" : "#52b26b"
    readonly property color okColor: dark ? "#5cbf8a" : "#3f9a6b"
    readonly property color okInk: dark ? "#7fd3a5" : "#2f7d55"
    readonly property color okSoft: dark ? "#1f3a2c" : "#e6f4ec"
    // A sandbox endpoint profile.
    readonly property color sandboxInk: dark ? "#7fd3a5" : "#1e7b4a"
    readonly property color sandboxSoft: dark ? "#1f3a2c" : "#e8f5ee"
    // Rows and cells with problems.
    readonly property color errorRow: dark ? "#3a2326" : "#fdf3f3"
    readonly property color warningRow: dark ? "#3a3222" : "#fdf8ec"
    readonly property color gapCell: dark ? "#3a2326" : "#fdf1f1"
    readonly property color errorBorder: dark ? "#6b3434" : "#f0c4c4"
    readonly property color errorFill: dark ? "#2f2224" : "#fff8f8"
    readonly property color warningBorder: dark ? "#a67c2e" : "#d9a54a"
    // Compensation steps.
    readonly property color compensate: dark ? "#a48af0" : "#6d4fc9"
    readonly property color compensateSoft: dark ? "#332b4d" : "#efeafd"
    // Workflow edges by kind.
    readonly property color compensationEdge: dark ? "#c08484" : "#c08484"
    readonly property color nextEdge: dark ? "#8592a3" : "#8592a3"
    readonly property color errorEdgePill: dark ? "#6b3434" : "#ebb7b7"
    readonly property color timeoutEdgePill: dark ? "#6b5626" : "#ecd39c"
    readonly property color triggerInk: dark ? "#cbd5e1" : "#334155"
    // Alternate rows, the editor area.
    readonly property color rowAlt: dark ? "#2a2f37" : "#fafbfc"
    readonly property color editorFill: dark ? "#22272e" : "#fbfcfe"
    // Shadows and scrims.
    readonly property color cardShadow: dark ? "#40000000" : "#14202a3a"
    readonly property color nodeShadow: dark ? "#40000000" : "#16202a3a"
    readonly property color modalScrim: dark ? "#60000000" : "#26000000"
    readonly property color surfaceVeil: dark ? "#d0262b33" : "#d0ffffff"
    // Text and marks drawn on a coloured fill.
    readonly property color inkOnAccent: dark ? "#ffffff" : "#ffffff"
    // The command line shown in the export dialog.
    readonly property color codeBackground: dark ? "#14181d" : "#1f2933"
    readonly property color codeText: dark ? "#e6edf3" : "#e6edf3"

    function plural(n, one, many) { return n + " " + (n === 1 ? one : many) }
    // Dark: the line icons redrawn in a light stroke (app/darkiconprovider.h).
    function icon(name) {
        return dark ? "image://icon-dark/" + name
                    : "qrc:/qt/qml/Switchboard/Controls/icons/" + name + ".svg"
    }
    // The same for an icon's URL given by C++ (a system kind's icon).
    function themed(url) {
        const match = /\/icons\/([a-z0-9-]+)\.svg$/.exec(url)
        return match ? icon(match[1]) : url
    }
    function severityIcon(severity) {
        return icon(severity === "error" ? "error" : severity === "warning" ? "warning" : "info")
    }
}
