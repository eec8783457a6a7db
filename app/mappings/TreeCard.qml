import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Mappings

// The source or target schema tree of the open mapping, with the ports the rule
// lines attach to; a source field dragged onto a target field maps it.
Rectangle {
    id: card
    required property Item page
    required property MappingEditor editor
    // The rule lines between the trees, and the target tree a drag drops onto.
    required property Item lines
    required property Item targetCard
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
        // On the outer edge: the source tree's ports sit on its right edge, and a press on a
        // port must start a mapping, not grab the scroll bar.
        ScrollBar.vertical: ScrollBar {
            objectName: card.isSource ? "sourceTreeScrollBar" : "targetTreeScrollBar"
            LayoutMirroring.enabled: card.isSource
        }
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
                objectName: (card.isSource ? "sourcePort_" : "targetPort_") + frow.path
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
