import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
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
    readonly property color okSoft: "#e6f4ec"
    readonly property color okInk: "#2f7d55"
    readonly property color selectedRow: "#eef4ff"
    readonly property color errorRow: "#fdf3f3"
    readonly property color warningRow: "#fdf8ec"
    readonly property color coveredPort: "#9db8f2"
    readonly property color okColor: "#3f9a6b"
    readonly property color editorFill: "#fbfcfe"

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
            const m = StudioController.selectedElement.match(/^mapping:([^/]+)(?:\/rule:(\d+))?/)
            if (!m)
                return
            editor.mappingId = m[1]
            if (m[2] !== undefined)
                editor.selectedRule = parseInt(m[2])
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
                                StudioController.select("mapping:" + mrow.mappingId)
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
                        objectName: "mappingConditionField"
                        Layout.preferredWidth: 240
                        placeholderText: qsTr("always")
                        source: editor.mappingCondition
                        onEdited: (t) => editor.setMappingCondition(t)
                    }
                    Chip { text: Theme.plural(editor.ruleCount, qsTr("rule"), qsTr("rules")) }
                    Chip {
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
                        SplitView.fillHeight: true
                        SplitView.minimumHeight: 160
                    }
                    PreviewCard {
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
        StudioController.select("mapping:" + editor.mappingId + "/rule:" + r)
    }

    // ---- Components

    component Chip: Rectangle {
        property alias text: chipLabel.text
        property string tone: "neutral"
        implicitWidth: chipLabel.implicitWidth + 20
        implicitHeight: 24
        radius: 12
        color: tone === "error" ? Theme.errorSoft : tone === "ok" ? page.okSoft : Theme.surfaceAlt
        Label {
            id: chipLabel
            anchors.centerIn: parent
            font.pixelSize: Theme.fontSmall
            color: parent.tone === "error" ? Theme.error
                   : parent.tone === "ok" ? page.okInk : Theme.textSecondary
        }
    }

    // A one-line JSONata field: monospace, merges typing, shows a syntax error underneath.
    component ExpressionField: TextField {
        id: ef
        property string source: ""
        signal edited(string text)
        readonly property var syntax: editor.checkSyntax(text)
        font.family: page.mono
        font.pixelSize: Theme.fontSmall
        selectByMouse: true
        onSourceChanged: if (text !== source) text = source
        Component.onCompleted: text = source
        onTextEdited: edited(text)
        onEditingFinished: editor.endEdit()
        Keys.onPressed: (event) => page.routeUndo(event)
        background: Rectangle {
            implicitHeight: 28
            radius: 4
            color: Theme.surface
            border.width: ef.activeFocus ? 2 : 1
            border.color: !ef.syntax.ok ? Theme.error : ef.activeFocus ? Theme.accent
                                                                       : Theme.border
        }
        ToolTip.visible: !syntax.ok && activeFocus
        ToolTip.text: syntax.ok ? "" : syntax.code + " at " + syntax.position + ": "
                                       + syntax.message
    }

    component TreeCard: Rectangle {
        id: card
        property string title
        property string subtitle
        property var tree
        property bool isSource: true
        property alias list: treeList
        color: Theme.surface
        border.color: Theme.border
        radius: Theme.radius
        clip: true

        Rectangle {
            id: cardHeader
            width: parent.width
            height: page.headerHeight
            color: Theme.surfaceAlt
            radius: Theme.radius
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                        color: Theme.border }
            ColumnLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.spacingM
                anchors.rightMargin: Theme.spacingM
                spacing: 0
                Item { Layout.fillHeight: true }
                Label {
                    text: card.title.toUpperCase()
                    font.pixelSize: Theme.fontCaption
                    font.weight: Font.DemiBold
                    font.letterSpacing: 0.6
                    color: Theme.textTertiary
                }
                Label {
                    Layout.fillWidth: true
                    text: card.subtitle
                    elide: Text.ElideRight
                    font.pixelSize: Theme.fontBody
                    font.weight: Font.DemiBold
                    color: Theme.textPrimary
                }
                Item { Layout.fillHeight: true }
            }
        }

        ListView {
            id: treeList
            objectName: card.isSource ? "sourceTree" : "targetTree"
            y: page.headerHeight + 1
            width: parent.width
            height: parent.height - y - 1
            clip: true
            model: card.tree
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            delegate: Rectangle {
                id: frow
                required property int index
                required property string path
                required property string name
                required property int depth
                required property string fieldType
                required property bool required
                required property bool hasChildren
                required property string mark
                required property string markText
                required property int ruleCount
                required property bool covered
                required property string ownerHint
                required property bool collapsed
                // lines.count: re-evaluate whenever the lines change.
                readonly property int rule: lines.count >= 0 && !card.isSource
                                            ? editor.ruleForTargetRow(index) : -1
                readonly property bool selected: rule >= 0 && rule === editor.selectedRule
                readonly property bool dropHover: !card.isSource && page.dropTargetRow === index
                objectName: (card.isSource ? "sourceField_" : "targetField_") + path
                width: ListView.view.width
                height: page.rowHeight
                color: dropHover ? Theme.accentSoft
                       : selected ? page.selectedRow
                       : mark === "required" || mark === "write" ? page.errorRow
                       : mark === "mismatch" ? page.warningRow
                       : rowHover.hovered ? Theme.hover : "transparent"
                border.width: dropHover ? 1 : 0
                border.color: Theme.accent
                HoverHandler { id: rowHover }

                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: (card.isSource ? Theme.spacingS : Theme.spacingM)
                                        + frow.depth * 16
                    anchors.rightMargin: card.isSource ? Theme.spacingM : Theme.spacingS
                    spacing: 6
                    z: 1   // above the row's drag area, so the chevron takes its clicks
                    Label {
                        objectName: "chevron_" + frow.path
                        Layout.preferredWidth: 10
                        text: !frow.hasChildren ? "" : frow.collapsed ? "\u25b8" : "\u25be"
                        color: Theme.textTertiary
                        font.pixelSize: Theme.fontSmall
                        MouseArea {
                            enabled: frow.hasChildren
                            anchors.fill: parent
                            anchors.margins: -4
                            onClicked: editor.toggleCollapsed(card.isSource, frow.path)
                        }
                    }
                    Label {
                        Layout.preferredWidth: 22
                        horizontalAlignment: Text.AlignHCenter
                        text: page.typeGlyph(frow.fieldType)
                        font.family: page.mono
                        font.pixelSize: Theme.fontCaption
                        color: frow.hasChildren ? Theme.workflowEdge : Theme.textTertiary
                    }
                    Label {
                        text: frow.name
                        font.pixelSize: Theme.fontBody
                        font.weight: frow.hasChildren ? Font.DemiBold : Font.Normal
                        color: Theme.textPrimary
                        elide: Text.ElideRight
                        Layout.maximumWidth: 150
                    }
                    Label {
                        visible: frow.required
                        text: "*"
                        color: Theme.error
                        font.pixelSize: Theme.fontBody
                        font.weight: Font.DemiBold
                    }
                    Item { Layout.fillWidth: true }
                    Rectangle {   // marks on the target tree
                        visible: frow.mark.length > 0 || frow.ownerHint.length > 0
                        Layout.preferredHeight: 18
                        Layout.preferredWidth: markLabel.implicitWidth + 12
                        radius: 9
                        readonly property bool bad: frow.mark === "required"
                                                    || frow.mark === "write"
                                                    || frow.mark === "unknown"
                        color: bad ? Theme.errorSoft
                               : frow.mark === "mismatch" ? Theme.warningSoft : Theme.surfaceAlt
                        Label {
                            id: markLabel
                            anchors.centerIn: parent
                            text: frow.mark === "required" ? qsTr("unmapped")
                                  : frow.mark === "mismatch" ? qsTr("type")
                                  : frow.mark === "write" ? qsTr("not owner")
                                  : frow.mark === "unknown" ? qsTr("unknown")
                                  : qsTr("read-only")
                            font.pixelSize: Theme.fontCaption
                            color: parent.bad ? Theme.error
                                   : frow.mark === "mismatch" ? Theme.warning
                                                              : Theme.textTertiary
                        }
                    }
                    Label {
                        text: frow.fieldType
                        font.family: page.mono
                        font.pixelSize: Theme.fontCaption
                        color: Theme.textTertiary
                    }
                }
                // Port where lines attach: filled when a rule uses the field.
                Rectangle {
                    x: card.isSource ? parent.width - 5 : -3
                    anchors.verticalCenter: parent.verticalCenter
                    width: 8; height: 8; radius: 4
                    color: frow.ruleCount > 0 ? (frow.mark === "required" ? Theme.error
                                                                         : Theme.accent)
                           : frow.covered ? page.coveredPort : Theme.surface
                    border.width: 1.5
                    border.color: frow.ruleCount > 0 || frow.covered ? Theme.accent
                                                                     : Theme.borderStrong
                }

                ToolTip.visible: rowHover.hovered && !dragArea.dragging
                ToolTip.delay: 600
                ToolTip.text: frow.path + " \u00b7 " + frow.fieldType
                              + (frow.markText ? "\n" + frow.markText : "")
                              + (frow.ownerHint ? "\n" + frow.ownerHint : "")
                              + (card.isSource ? qsTr("\nDrag onto a target field to map it")
                                               : "")

                MouseArea {
                    id: dragArea
                    anchors.fill: parent
                    preventStealing: true
                    property bool dragging: false
                    property point pressPos
                    onPressed: (mouse) => { pressPos = Qt.point(mouse.x, mouse.y) }
                    onPositionChanged: (mouse) => {
                        if (!card.isSource || !pressed)
                            return
                        if (!dragging && Math.abs(mouse.x - pressPos.x)
                                         + Math.abs(mouse.y - pressPos.y) < 6)
                            return
                        dragging = true
                        lines.dragSourceRow = frow.index
                        lines.dragPoint = mapToItem(lines, mouse.x, mouse.y)
                        const t = mapToItem(targetCard.list, mouse.x, mouse.y)
                        page.dropTargetRow = t.x >= 0 && t.x <= targetCard.list.width
                                ? targetCard.list.indexAt(t.x, t.y + targetCard.list.contentY)
                                : -1
                    }
                    onReleased: {
                        if (dragging && page.dropTargetRow >= 0) {
                            const r = editor.addRule(frow.path,
                                                     editor.targetTree.pathAt(page.dropTargetRow))
                            if (r >= 0)
                                page.selectRule(r)
                        }
                        dragging = false
                        lines.dragSourceRow = -1
                        page.dropTargetRow = -1
                    }
                    onCanceled: {
                        dragging = false
                        lines.dragSourceRow = -1
                        page.dropTargetRow = -1
                    }
                    onClicked: {
                        if (!card.isSource && frow.rule >= 0)
                            page.selectRule(frow.rule)
                    }
                    // A target field without a source: a rule for a constant or computed value.
                    onDoubleClicked: {
                        if (card.isSource)
                            return
                        const r = editor.addTargetRule(frow.path)
                        if (r >= 0) {
                            page.selectRule(r)
                            page.focusExpression()
                        }
                    }
                }
                Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                            color: Theme.divider; opacity: 0.6 }
            }
        }
    }

    component SectionLabel: Label {
        font.pixelSize: Theme.fontCaption
        font.weight: Font.DemiBold
        font.letterSpacing: 0.6
        color: Theme.textTertiary
    }

    component RuleInspector: Rectangle {
        color: Theme.surface
        border.color: Theme.border
        radius: Theme.radius
        clip: true

        // No rule selected: the mapping as a script, one rule a line; click one to edit it.
        ColumnLayout {
            visible: editor.selectedRule < 0
            anchors.fill: parent
            anchors.margins: 1
            spacing: 0
            ColumnLayout {
                Layout.fillWidth: true
                Layout.margins: Theme.spacingM
                Layout.bottomMargin: Theme.spacingS
                spacing: 2
                SectionLabel { text: qsTr("RULES") }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: qsTr("Drag a source field onto a target field to map it; "
                               + "click a line or a rule to edit it.")
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textTertiary
                }
            }
            Rectangle { Layout.fillWidth: true; height: 1; color: Theme.divider }
            ListView {
                objectName: "ruleList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: editor.rules
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar {}
                delegate: Rectangle {
                    id: ruleRow
                    required property int ruleIndex
                    required property string target
                    required property string expression
                    required property string valueMap
                    required property string problem
                    required property string problemText
                    width: ListView.view.width
                    height: 26
                    color: ruleHover.hovered ? Theme.hover : "transparent"
                    HoverHandler { id: ruleHover }
                    RowLayout {
                        anchors.fill: parent
                        anchors.leftMargin: Theme.spacingM
                        anchors.rightMargin: Theme.spacingM
                        spacing: 6
                        Rectangle {
                            Layout.preferredWidth: 6
                            Layout.preferredHeight: 6
                            radius: 3
                            color: ruleRow.problem === "error" ? Theme.error
                                   : ruleRow.problem === "warning" ? Theme.warning : page.okColor
                        }
                        Label {
                            Layout.preferredWidth: 120
                            text: ruleRow.target
                            elide: Text.ElideRight
                            font.family: page.mono
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textPrimary
                        }
                        Label {
                            text: "\u2190"
                            color: Theme.textTertiary
                            font.pixelSize: Theme.fontSmall
                        }
                        Label {
                            Layout.fillWidth: true
                            text: ruleRow.expression + (ruleRow.valueMap
                                                        ? "  \u25b8 " + ruleRow.valueMap : "")
                            elide: Text.ElideRight
                            font.family: page.mono
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textSecondary
                        }
                    }
                    MouseArea {
                        anchors.fill: parent
                        onClicked: page.selectRule(ruleRow.ruleIndex)
                    }
                    ToolTip.visible: ruleHover.hovered && ruleRow.problemText.length > 0
                    ToolTip.text: ruleRow.problemText
                }
            }
        }

        ScrollView {
            visible: editor.selectedRule >= 0
            anchors.fill: parent
            anchors.margins: 1
            contentWidth: availableWidth
            ColumnLayout {
                width: parent.width
                spacing: Theme.spacingS
                RowLayout {
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.spacingM
                    Layout.leftMargin: Theme.spacingM
                    Layout.rightMargin: Theme.spacingS
                    ColumnLayout {
                        spacing: 0
                        Layout.fillWidth: true
                        SectionLabel { text: qsTr("RULE %1 \u00b7 TARGET FIELD")
                                                 .arg(editor.selectedRule + 1) }
                        Label {
                            Layout.fillWidth: true
                            text: editor.ruleTarget
                            elide: Text.ElideRight
                            font.family: page.mono
                            font.pixelSize: Theme.fontTitle
                            font.weight: Font.DemiBold
                            color: Theme.textPrimary
                        }
                    }
                    ToolButton {
                        text: qsTr("All rules")
                        font.pixelSize: Theme.fontSmall
                        onClicked: editor.selectedRule = -1
                    }
                    ToolButton {
                        text: qsTr("Delete")
                        font.pixelSize: Theme.fontSmall
                        onClicked: editor.removeRule(editor.selectedRule)
                    }
                }

                SectionLabel {
                    text: qsTr("EXPRESSION (JSONATA)")
                    Layout.leftMargin: Theme.spacingM
                }
                Rectangle {
                    Layout.fillWidth: true
                    Layout.leftMargin: Theme.spacingM
                    Layout.rightMargin: Theme.spacingM
                    Layout.preferredHeight: Math.max(48, exprArea.contentHeight + 16)
                    radius: 4
                    color: page.editorFill
                    border.width: exprArea.activeFocus ? 2 : 1
                    border.color: editor.expressionError.length > 0 ? Theme.error
                                  : exprArea.activeFocus ? Theme.accent : Theme.border
                    TextArea {
                        id: exprArea
                        objectName: "expressionEditor"
                        anchors.fill: parent
                        font.family: page.mono
                        font.pixelSize: Theme.fontSmall + 1
                        wrapMode: TextEdit.WrapAnywhere
                        selectByMouse: true
                        background: null
                        placeholderText: qsTr("e.g. $uppercase(name)")
                        property bool syncing: false
                        function sync() {
                            if (text === editor.expression)
                                return
                            syncing = true
                            const c = cursorPosition
                            text = editor.expression
                            cursorPosition = Math.min(c, text.length)
                            syncing = false
                        }
                        Component.onCompleted: sync()
                        Connections {
                            target: editor
                            function onSelectedRuleChanged() { exprArea.sync() }
                        }
                        Connections {
                            target: page
                            function onFocusExpression() { exprArea.forceActiveFocus() }
                        }
                        onTextChanged: if (!syncing && text !== editor.expression)
                                           editor.setExpression(editor.selectedRule, text)
                        onActiveFocusChanged: if (!activeFocus) editor.endEdit()
                        // Undo is the document's (the typing is one step there), not the field's.
                        Keys.onPressed: (event) => page.routeUndo(event)
                        // The error's position, underlined in the text.
                        Rectangle {
                            readonly property int pos: Math.min(editor.expressionErrorPosition,
                                                                exprArea.length)
                            readonly property rect at: pos >= 0
                                                       ? exprArea.positionToRectangle(
                                                             Math.max(0, pos - 1))
                                                       : Qt.rect(0, 0, 0, 0)
                            visible: editor.expressionError.length > 0 && pos >= 0
                            x: at.x
                            y: at.y + at.height
                            width: 9
                            height: 2
                            color: Theme.error
                        }
                    }
                }
                Label {
                    objectName: "expressionErrorLabel"
                    visible: editor.expressionError.length > 0
                    Layout.fillWidth: true
                    Layout.leftMargin: Theme.spacingM
                    Layout.rightMargin: Theme.spacingM
                    wrapMode: Text.WordWrap
                    text: "\u2716 " + qsTr("Column %1: %2").arg(editor.expressionErrorPosition)
                                                          .arg(editor.expressionError)
                    font.pixelSize: Theme.fontSmall
                    color: Theme.error
                }

                GridLayout {
                    Layout.fillWidth: true
                    Layout.leftMargin: Theme.spacingM
                    Layout.rightMargin: Theme.spacingM
                    columns: 2
                    columnSpacing: Theme.spacingS
                    rowSpacing: Theme.spacingS
                    Label { text: qsTr("Condition"); font.pixelSize: Theme.fontSmall
                            color: Theme.textSecondary }
                    ExpressionField {
                        objectName: "conditionField"
                        Layout.fillWidth: true
                        placeholderText: qsTr("always")
                        source: editor.condition
                        onEdited: (t) => editor.setCondition(editor.selectedRule, t)
                    }
                    Label { text: qsTr("Default"); font.pixelSize: Theme.fontSmall
                            color: Theme.textSecondary }
                    TextField {
                        id: defaultField
                        Layout.fillWidth: true
                        font.family: page.mono
                        font.pixelSize: Theme.fontSmall
                        placeholderText: qsTr("JSON value when the expression is empty")
                        text: editor.defaultValue
                        onTextEdited: editor.setDefault(editor.selectedRule, text)
                        onEditingFinished: editor.endEdit()
                        Keys.onPressed: (event) => page.routeUndo(event)
                    }
                    Label { text: qsTr("Note"); font.pixelSize: Theme.fontSmall
                            color: Theme.textSecondary }
                    TextField {
                        objectName: "ruleDescriptionField"
                        Layout.fillWidth: true
                        font.pixelSize: Theme.fontSmall
                        placeholderText: qsTr("Why this rule is there")
                        text: editor.ruleDescription
                        onTextEdited: editor.setRuleDescription(editor.selectedRule, text)
                        onEditingFinished: editor.endEdit()
                        Keys.onPressed: (event) => page.routeUndo(event)
                    }
                    Label { text: qsTr("Value map"); font.pixelSize: Theme.fontSmall
                            color: Theme.textSecondary }
                    RowLayout {
                        Layout.fillWidth: true
                        ComboBox {
                            id: vmCombo
                            Layout.fillWidth: true
                            font.pixelSize: Theme.fontSmall
                            model: [qsTr("(none)")].concat(editor.valueMapNames)
                            currentIndex: editor.ruleValueMap.length === 0
                                          ? 0
                                          : editor.valueMapNames.indexOf(editor.ruleValueMap) + 1
                            onActivated: (i) => editor.setRuleValueMap(editor.selectedRule,
                                                                       i === 0 ? "" : model[i])
                        }
                        Button {
                            text: qsTr("New")
                            font.pixelSize: Theme.fontSmall
                            onClicked: editor.createValueMap("")
                        }
                    }
                }

                // Value map table.
                ColumnLayout {
                    visible: editor.ruleValueMap.length > 0
                    Layout.fillWidth: true
                    Layout.leftMargin: Theme.spacingM
                    Layout.rightMargin: Theme.spacingM
                    Layout.bottomMargin: Theme.spacingM
                    spacing: 0
                    Rectangle {
                        Layout.fillWidth: true
                        Layout.preferredHeight: 26
                        color: Theme.surfaceAlt
                        radius: 3
                        RowLayout {
                            anchors.fill: parent
                            anchors.leftMargin: Theme.spacingS
                            anchors.rightMargin: 32
                            SectionLabel { text: qsTr("SOURCE VALUE"); Layout.fillWidth: true
                                           Layout.preferredWidth: 1 }
                            SectionLabel { text: qsTr("TARGET VALUE"); Layout.fillWidth: true
                                           Layout.preferredWidth: 1 }
                        }
                    }
                    Repeater {
                        model: editor.valueMapEntries
                        delegate: RowLayout {
                            id: entry
                            required property int index
                            required property string from
                            required property string to
                            Layout.fillWidth: true
                            spacing: 4
                            TextField {
                                Layout.fillWidth: true
                                Layout.preferredWidth: 1
                                text: entry.from
                                font.family: page.mono
                                font.pixelSize: Theme.fontSmall
                                onTextEdited: editor.setValueMapEntry(entry.index, text, entry.to)
                                onEditingFinished: editor.endEdit()
                                Keys.onPressed: (event) => page.routeUndo(event)
                            }
                            Label { text: "\u2192"; color: Theme.textTertiary }
                            TextField {
                                Layout.fillWidth: true
                                Layout.preferredWidth: 1
                                text: entry.to
                                font.family: page.mono
                                font.pixelSize: Theme.fontSmall
                                onTextEdited: editor.setValueMapEntry(entry.index, entry.from,
                                                                      text)
                                onEditingFinished: editor.endEdit()
                                Keys.onPressed: (event) => page.routeUndo(event)
                            }
                            ToolButton {
                                text: "\u00d7"
                                implicitWidth: 24
                                onClicked: editor.removeValueMapEntry(entry.index)
                            }
                        }
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        Layout.topMargin: 4
                        Button {
                            text: qsTr("+ Entry")
                            flat: true
                            font.pixelSize: Theme.fontSmall
                            onClicked: editor.addValueMapEntry("", "")
                        }
                        Item { Layout.fillWidth: true }
                        CheckBox {
                            id: fallbackCheck
                            text: qsTr("Otherwise")
                            font.pixelSize: Theme.fontSmall
                            checked: editor.valueMapHasFallback
                            onToggled: editor.setValueMapFallback(checked, fallbackField.text)
                        }
                        TextField {
                            id: fallbackField
                            Layout.preferredWidth: 110
                            enabled: fallbackCheck.checked
                            text: editor.valueMapFallback
                            font.family: page.mono
                            font.pixelSize: Theme.fontSmall
                            onTextEdited: editor.setValueMapFallback(true, text)
                            onEditingFinished: editor.endEdit()
                            Keys.onPressed: (event) => page.routeUndo(event)
                        }
                    }
                }
                Item { Layout.preferredHeight: Theme.spacingS }
            }
        }
    }

    component PreviewCard: Rectangle {
        color: Theme.surface
        border.color: Theme.border
        radius: Theme.radius
        clip: true
        ColumnLayout {
            anchors.fill: parent
            anchors.margins: 1
            spacing: 0
            RowLayout {
                Layout.fillWidth: true
                Layout.preferredHeight: 34
                Layout.leftMargin: Theme.spacingM
                Layout.rightMargin: Theme.spacingS
                spacing: 4
                SectionLabel { text: qsTr("PREVIEW"); Layout.fillWidth: true }
                TabBar {
                    id: previewTabs
                    Layout.preferredWidth: 130
                    font.pixelSize: Theme.fontSmall
                    TabButton { text: qsTr("Output") }
                    TabButton { text: qsTr("Input") }
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Layout.preferredHeight: 30
                Layout.leftMargin: Theme.spacingS
                Layout.rightMargin: Theme.spacingS
                spacing: 2
                Label {
                    visible: editor.sampleCount === 0
                    Layout.fillWidth: true
                    Layout.leftMargin: Theme.spacingS
                    text: qsTr("No sample records for the source")
                    elide: Text.ElideRight
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textSecondary
                }
                ComboBox {
                    objectName: "sampleCombo"
                    visible: editor.sampleCount > 0
                    Layout.fillWidth: true
                    Layout.preferredHeight: 26
                    flat: true
                    font.pixelSize: Theme.fontSmall
                    model: editor.sampleLabels
                    currentIndex: editor.sampleIndex
                    onActivated: (i) => editor.sampleIndex = i
                }
                ToolButton {
                    text: "\u2039"
                    enabled: editor.sampleIndex > 0
                    onClicked: editor.sampleIndex = editor.sampleIndex - 1
                }
                Label {
                    text: editor.sampleCount > 0
                          ? (editor.sampleIndex + 1) + "/" + editor.sampleCount : "0/0"
                    font.pixelSize: Theme.fontCaption
                    color: Theme.textTertiary
                }
                ToolButton {
                    text: "\u203a"
                    enabled: editor.sampleIndex + 1 < editor.sampleCount
                    onClicked: editor.sampleIndex = editor.sampleIndex + 1
                }
            }
            Rectangle { Layout.fillWidth: true; height: 1; color: Theme.divider }
            Label {
                visible: !editor.previewApplied && editor.sampleCount > 0
                Layout.fillWidth: true
                Layout.margins: Theme.spacingS
                wrapMode: Text.WordWrap
                text: qsTr("The mapping's condition is not met for this record: no output.")
                font.pixelSize: Theme.fontSmall
                color: Theme.warning
            }
            ScrollView {
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                TextArea {
                    objectName: "previewText"
                    readOnly: true
                    textFormat: TextEdit.RichText
                    font.family: page.mono
                    font.pixelSize: Theme.fontSmall
                    leftPadding: Theme.spacingM
                    topPadding: Theme.spacingS
                    selectByMouse: true
                    background: null
                    text: previewTabs.currentIndex === 0 ? editor.previewHtml : editor.sampleHtml
                }
            }
            Repeater {
                model: editor.previewErrors.concat(
                           editor.previewMissing.map(p => qsTr("required %1 is empty").arg(p)))
                delegate: Label {
                    required property string modelData
                    Layout.fillWidth: true
                    Layout.leftMargin: Theme.spacingM
                    Layout.rightMargin: Theme.spacingM
                    elide: Text.ElideRight
                    text: "\u26a0 " + modelData
                    font.pixelSize: Theme.fontCaption
                    color: Theme.error
                }
            }
            Label {
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingM
                Layout.bottomMargin: 4
                text: editor.sampleSource.length > 0 ? qsTr("From %1").arg(editor.sampleSource)
                                                     : ""
                elide: Text.ElideRight
                font.pixelSize: Theme.fontCaption
                color: Theme.textTertiary
            }
        }
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
