import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Mappings
import Switchboard.Shell

// Mapping editor: the project's mappings on the left; the source schema tree, the rule
// lines and the target schema tree in the middle (drag a source field onto a target field
// to map it); the selected rule's JSONata expression, condition, default and value map and a
// live preview of the output for a sample record on the right.
Rectangle {
    id: page
    objectName: "mappingsPage"
    color: Theme.windowBackground

    // Colours beyond Theme that only this page uses (shades of Theme's palette).
    readonly property color okSoft: Theme.okSoft
    readonly property color okInk: Theme.okInk
    readonly property color selectedRow: Theme.selectedRow
    readonly property color errorRow: Theme.errorRow
    readonly property color warningRow: Theme.warningRow
    readonly property color coveredPort: Theme.coveredPort
    readonly property color okColor: Theme.okColor
    readonly property color editorFill: Theme.editorFill

    readonly property int rowHeight: 28
    readonly property int headerHeight: 44
    property int dropTargetRow: -1
    readonly property string mono: "monospace"

    MappingEditor {
        id: editor
        objectName: "mappingEditor"
        // Idle while another view is shown: a large project pays only for what is visible.
        document: page.visible ? StudioController.document : null
        findings: StudioController.findings
    }

    // A problem or a selection elsewhere that names a mapping opens it.
    Connections {
        target: StudioController
        function onSelectionChanged() {
            const ref = StudioController.selectedRef
            if (ref.mapping === "")
                return
            editor.mappingId = ref.mapping
            if (ref.rule >= 0)
                editor.selectedRule = ref.rule
        }
    }

    function typeGlyph(t) {
        if (t.startsWith("array")) return "[ ]"
        if (t === "object") return "{ }"
        if (t === "integer" || t === "number" || t === "decimal") return "#"
        if (t === "boolean") return "\u2713"
        if (t === "date" || t === "datetime") return "\u25f7"
        if (t === "enum") return "\u2261"
        return "Aa"
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        // ---- Mapping list
        Rectangle {
            Layout.preferredWidth: 232
            Layout.fillHeight: true
            color: Theme.surface
            Rectangle { anchors.right: parent.right; width: 1; height: parent.height
                        color: Theme.border }
            ColumnLayout {
                anchors.fill: parent
                anchors.rightMargin: 1
                spacing: 0
                RowLayout {
                    Layout.fillWidth: true
                    Layout.preferredHeight: page.headerHeight
                    Layout.leftMargin: Theme.spacingM
                    Layout.rightMargin: Theme.spacingS
                    Label {
                        text: qsTr("Mappings")
                        font.pixelSize: Theme.fontTitle
                        font.weight: Font.DemiBold
                        color: Theme.textPrimary
                        Layout.fillWidth: true
                    }
                    ToolButton {
                        objectName: "addMappingButton"
                        text: "+"
                        font.pixelSize: Theme.fontTitle
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("New mapping")
                        onClicked: addDialog.open()
                    }
                    ToolButton {
                        text: "\u2212"
                        font.pixelSize: Theme.fontTitle
                        enabled: editor.mappingId.length > 0
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Delete this mapping")
                        onClicked: editor.removeMapping(editor.mappingId)
                    }
                }
                Rectangle { Layout.fillWidth: true; height: 1; color: Theme.divider }
                ListView {
                    id: mappingList
                    objectName: "mappingList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: editor.mappings
                    boundsBehavior: Flickable.StopAtBounds
                    // Keep the open mapping in view (it may be opened from a problem).
                    Connections {
                        target: editor
                        function onMappingChanged() {
                            const i = editor.mappings.indexOf(editor.mappingId)
                            if (i >= 0)
                                mappingList.positionViewAtIndex(i, ListView.Contain)
                        }
                    }
                    ScrollBar.vertical: ScrollBar {}
                    delegate: Rectangle {
                        id: mrow
                        required property string mappingId
                        required property string name
                        required property string source
                        required property string target
                        required property int ruleCount
                        required property int problemCount
                        readonly property bool current: editor.mappingId === mappingId
                        width: ListView.view.width
                        height: 58
                        color: current ? Theme.accentSoft : mhover.hovered ? Theme.hover
                                                                          : "transparent"
                        HoverHandler { id: mhover }
                        Rectangle { visible: mrow.current; width: 3; height: parent.height
                                    color: Theme.accent }
                        ColumnLayout {
                            anchors.fill: parent
                            anchors.leftMargin: Theme.spacingM
                            anchors.rightMargin: Theme.spacingS
                            spacing: 2
                            Item { Layout.fillHeight: true }
                            RowLayout {
                                Layout.fillWidth: true
                                Label {
                                    Layout.fillWidth: true
                                    text: mrow.name
                                    elide: Text.ElideRight
                                    font.pixelSize: Theme.fontBody
                                    font.weight: mrow.current ? Font.DemiBold : Font.Normal
                                    color: Theme.textPrimary
                                }
                                Rectangle {
                                    visible: mrow.problemCount > 0
                                    Layout.preferredWidth: Math.max(18, pc.implicitWidth + 8)
                                    Layout.preferredHeight: 16
                                    radius: 8
                                    color: Theme.errorSoft
                                    Label { id: pc; anchors.centerIn: parent
                                            text: mrow.problemCount
                                            font.pixelSize: Theme.fontCaption
                                            color: Theme.error }
                                }
                            }
                            Label {
                                Layout.fillWidth: true
                                text: mrow.source + "  \u2192  " + mrow.target
                                elide: Text.ElideMiddle
                                font.pixelSize: Theme.fontCaption
                                color: Theme.textTertiary
                            }
                            Item { Layout.fillHeight: true }
                        }
                        MouseArea {
                            anchors.fill: parent
                            onClicked: {
                                editor.mappingId = mrow.mappingId
                                StudioController.selectElement(ElementRef.Mapping, mrow.mappingId)
                            }
                        }
                        Rectangle { anchors.bottom: parent.bottom; width: parent.width
                                    height: 1; color: Theme.divider }
                    }
                }
            }
        }

        // ---- Main area
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0
            visible: editor.mappingId.length > 0

            // Title: name, source -> target, the mapping's own condition, counts.
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: 64
                color: Theme.surface
                Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                            color: Theme.border }
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacingL
                    anchors.rightMargin: Theme.spacingL
                    spacing: Theme.spacingM
                    ColumnLayout {
                        spacing: 2
                        Layout.maximumWidth: 380
                        Label {
                            Layout.fillWidth: true
                            text: editor.mappingName
                            elide: Text.ElideRight
                            font.pixelSize: Theme.fontHeading
                            font.weight: Font.DemiBold
                            color: Theme.textPrimary
                        }
                        Label {
                            text: editor.sourceLabel + "  \u2192  " + editor.targetLabel
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textTertiary
                        }
                    }
                    Item { Layout.fillWidth: true }
                    Label {
                        text: qsTr("Applies when")
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textSecondary
                    }
                    ExpressionField {
                        page: page
                        editor: editor
                        objectName: "mappingConditionField"
                        Layout.preferredWidth: 240
                        placeholderText: qsTr("always")
                        source: editor.mappingCondition
                        onEdited: (t) => editor.setMappingCondition(t)
                    }
                    Chip {
                        page: page
                        text: Theme.plural(editor.ruleCount, qsTr("rule"), qsTr("rules"))
                    }
                    Chip {
                        page: page
                        tone: editor.unmappedRequired > 0 ? "error" : "ok"
                        text: editor.unmappedRequired > 0
                              ? Theme.plural(editor.unmappedRequired, qsTr("required unmapped"),
                                             qsTr("required unmapped"))
                              : qsTr("all required mapped")
                    }
                }
            }

            RowLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.margins: Theme.spacingM
                spacing: 0

                // Source tree.
                TreeCard {
                    id: sourceCard
                    page: page
                    editor: editor
                    lines: lines
                    targetCard: targetCard
                    Layout.preferredWidth: 268
                    Layout.fillHeight: true
                    title: qsTr("Source")
                    subtitle: editor.sourceLabel
                    tree: editor.sourceTree
                    isSource: true
                }

                // The lines between the trees, in one item.
                Item {
                    id: linesArea
                    Layout.fillWidth: true
                    Layout.minimumWidth: 72
                    Layout.fillHeight: true
                    MappingLinesItem {
                        id: lines
                        objectName: "mappingLines"
                        x: 0
                        y: page.headerHeight + 1
                        width: parent.width
                        height: parent.height - y - 1
                        clip: true
                        editor: editor
                        rowHeight: page.rowHeight
                        lineColor: Theme.flowEdge
                        accentColor: Theme.accent
                        errorColor: Theme.error
                        warningColor: Theme.warning
                        sourceTop: -sourceCard.list.contentY + sourceCard.list.originY
                        targetTop: -targetCard.list.contentY + targetCard.list.originY
                        hoveredRule: lineHover.hovered ? lineHover.rule : -1
                        HoverHandler {
                            id: lineHover
                            property int rule: hovered ? lines.ruleAt(point.position.x,
                                                                      point.position.y) : -1
                        }
                        TapHandler {
                            onTapped: (p) => {
                                const r = lines.ruleAt(p.position.x, p.position.y)
                                if (r >= 0)
                                    page.selectRule(r)
                            }
                        }
                    }
                }

                // Target tree.
                TreeCard {
                    id: targetCard
                    page: page
                    editor: editor
                    lines: lines
                    targetCard: targetCard
                    Layout.preferredWidth: 288
                    Layout.fillHeight: true
                    title: qsTr("Target")
                    subtitle: editor.targetLabel
                    tree: editor.targetTree
                    isSource: false
                }

                Item { Layout.preferredWidth: Theme.spacingM }

                // Inspector: rule above, preview below.
                SplitView {
                    Layout.preferredWidth: 392
                    Layout.fillHeight: true
                    orientation: Qt.Vertical
                    handle: Rectangle {
                        implicitHeight: Theme.spacingS
                        color: "transparent"
                    }
                    RuleInspector {
                        page: page
                        editor: editor
                        SplitView.fillHeight: true
                        SplitView.minimumHeight: 160
                    }
                    PreviewCard {
                        page: page
                        editor: editor
                        SplitView.preferredHeight: 220
                        SplitView.minimumHeight: 120
                    }
                }
            }
        }

        // No mapping yet.
        ColumnLayout {
            visible: editor.mappingId.length === 0
            Layout.fillWidth: true
            Layout.fillHeight: true
            Item { Layout.fillHeight: true }
            Label {
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("No mapping yet")
                font.pixelSize: Theme.fontHeading
                color: Theme.textSecondary
            }
            Label {
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("A mapping turns records of one entity into another, rule by rule.")
                color: Theme.textTertiary
            }
            Button {
                Layout.alignment: Qt.AlignHCenter
                Layout.topMargin: Theme.spacingM
                text: qsTr("New mapping\u2026")
                highlighted: true
                onClicked: addDialog.open()
            }
            Item { Layout.fillHeight: true }
        }
    }

    signal focusExpression()
    function routeUndo(event) {
        if (event.matches(StandardKey.Undo)) {
            StudioController.undo()
            event.accepted = true
        } else if (event.matches(StandardKey.Redo)) {
            StudioController.redo()
            event.accepted = true
        }
    }
    function selectRule(r) {
        editor.selectedRule = r
        StudioController.select(editor.ruleElement(r))
    }

    // ---- New mapping
    Dialog {
        id: addDialog
        objectName: "addMappingDialog"
        title: qsTr("New mapping")
        modal: true
        anchors.centerIn: Overlay.overlay
        width: 460
        padding: Theme.spacingL
        standardButtons: Dialog.Ok | Dialog.Cancel
        property var choices: []
        background: Rectangle {
            color: Theme.surface
            radius: Theme.radiusLarge
            border.color: Theme.border
        }
        header: Label {
            text: addDialog.title
            padding: Theme.spacingL
            bottomPadding: 0
            font.pixelSize: Theme.fontTitle
            font.weight: Font.DemiBold
            color: Theme.textPrimary
        }
        onAboutToShow: {
            choices = editor.entityChoices()
            nameField.text = ""
            // Default: the open mapping's source into the canonical entity, if any.
            sourceCombo.currentIndex = 0
            const canonical = choices.findIndex(c => c.system === "")
            targetCombo.currentIndex = canonical >= 0 ? canonical : Math.min(1, choices.length - 1)
        }
        ColumnLayout {
            anchors.fill: parent
            spacing: Theme.spacingS
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: qsTr("Records of the source entity become records of the target entity, "
                           + "rule by rule. Map systems to the canonical model and back.")
                font.pixelSize: Theme.fontSmall
                color: Theme.textTertiary
                Layout.bottomMargin: Theme.spacingS
            }
            Label { text: qsTr("Source"); font.pixelSize: Theme.fontSmall
                    color: Theme.textSecondary }
            ComboBox {
                id: sourceCombo
                Layout.fillWidth: true
                model: addDialog.choices.map(c => c.label)
            }
            Label { text: qsTr("Target"); font.pixelSize: Theme.fontSmall
                    color: Theme.textSecondary }
            ComboBox {
                id: targetCombo
                Layout.fillWidth: true
                model: addDialog.choices.map(c => c.label)
            }
            Label { text: qsTr("Name"); font.pixelSize: Theme.fontSmall
                    color: Theme.textSecondary }
            TextField {
                id: nameField
                Layout.fillWidth: true
                placeholderText: qsTr("e.g. CRM Account to Customer")
            }
        }
        onAccepted: {
            const s = choices[sourceCombo.currentIndex]
            const t = choices[targetCombo.currentIndex]
            if (s && t)
                editor.addMapping(s.system, s.entity, t.system, t.entity, nameField.text)
        }
    }
}
