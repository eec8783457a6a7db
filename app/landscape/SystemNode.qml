import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Landscape
import Switchboard.Shell

// One system card on the landscape. Geometry comes from SystemsModel (the same constants the
// edges use); dragging moves the selection through LandscapeEditor, an undoable document edit
// closed on release (one undo step per drag). Shift/Ctrl+click toggles the card in the
// selection, double-click renames inline, the handle on the right edge draws a data flow.
Item {
    id: node
    required property int index
    required property string systemId
    required property string name
    required property string kindLabel
    required property string kindIcon
    required property string systemColor
    required property real nodeX
    required property real nodeY
    required property real nodeWidth
    required property real nodeHeight
    required property var entities
    required property int moreEntities
    required property int errorCount
    required property int warningCount
    // The item whose coordinates are canvas coordinates (the zoomed "world").
    property Item world
    property Item canvas
    property LandscapeEditor editor

    readonly property bool selected: editor ? editor.selection.indexOf(systemId) >= 0
                                            : StudioController.selectedSystem === systemId
    readonly property bool primary: StudioController.selectedSystem === systemId
    readonly property bool renaming: canvas && canvas.renamingId === systemId
    readonly property bool connectTarget: canvas && canvas.connectTarget === systemId
    readonly property bool hovered: dragArea.containsMouse || handleArea.containsMouse

    objectName: "systemNode_" + systemId
    x: nodeX
    y: nodeY
    width: nodeWidth
    height: nodeHeight
    z: dragArea.pressed || handleArea.pressed || renaming ? 2 : 1

    // Soft shadow under the card.
    Rectangle {
        anchors.fill: card
        anchors.topMargin: 2
        anchors.bottomMargin: -2
        radius: card.radius
        color: Theme.cardShadow
    }

    Rectangle {
        id: card
        anchors.fill: parent
        radius: Theme.radiusLarge
        color: Theme.surface
        border.width: node.selected || node.connectTarget ? 2 : 1
        border.color: node.connectTarget ? Theme.accent
                      : node.selected ? (node.primary ? Theme.accent : Theme.accentSelected)
                      : node.hovered ? Theme.borderStrong : Theme.border
        clip: true

        // Colour strip of the system.
        Rectangle {
            x: card.border.width
            y: card.border.width
            width: parent.width - 2 * card.border.width
            height: 4
            radius: 2
            color: node.systemColor
        }

        // Header: kind icon, name, kind.
        Item {
            id: header
            x: 0
            y: 4
            width: parent.width
            height: 56

            Rectangle {
                id: iconBadge
                x: 12
                anchors.verticalCenter: parent.verticalCenter
                width: 32
                height: 32
                radius: 8
                color: Qt.lighter(node.systemColor, 1.0)
                opacity: 0.16
            }
            Image {
                anchors.centerIn: iconBadge
                source: Theme.themed(node.kindIcon)
                sourceSize: Qt.size(20, 20)
                width: 20
                height: 20
            }
            Column {
                anchors.left: iconBadge.right
                anchors.leftMargin: 12
                anchors.right: badges.left
                anchors.rightMargin: 8
                anchors.verticalCenter: parent.verticalCenter
                spacing: 2
                Label {
                    width: parent.width
                    text: node.name
                    visible: !node.renaming
                    elide: Text.ElideRight
                    font.pixelSize: Theme.fontBody
                    font.weight: Font.DemiBold
                    color: Theme.textPrimary
                }
                TextField {
                    id: nameEditor
                    objectName: "nameEditor"
                    visible: node.renaming
                    width: parent.width
                    height: 24
                    padding: 2
                    leftPadding: 4
                    font.pixelSize: Theme.fontBody
                    font.weight: Font.DemiBold
                    selectByMouse: true
                    property bool done: false
                    onVisibleChanged: {
                        if (visible) {
                            done = false
                            text = node.name
                            forceActiveFocus()
                            selectAll()
                        }
                    }
                    function finish(commit) {
                        if (done)
                            return
                        done = true
                        if (commit)
                            node.editor.renameSystem(node.systemId, text)
                        if (node.canvas && node.canvas.renamingId === node.systemId)
                            node.canvas.renamingId = ""
                    }
                    Keys.onReturnPressed: finish(true)
                    Keys.onEnterPressed: finish(true)
                    Keys.onEscapePressed: finish(false)
                    onActiveFocusChanged: if (!activeFocus && visible) finish(true)
                }
                Label {
                    width: parent.width
                    text: node.kindLabel
                    elide: Text.ElideRight
                    font.pixelSize: Theme.fontCaption
                    color: Theme.textTertiary
                }
            }
            Row {
                id: badges
                anchors.right: parent.right
                anchors.rightMargin: 12
                anchors.verticalCenter: parent.verticalCenter
                spacing: 4
                Repeater {
                    model: [
                        { count: node.errorCount, fg: Theme.error, bg: Theme.errorSoft },
                        { count: node.warningCount, fg: Theme.warning, bg: Theme.warningSoft }
                    ]
                    delegate: Rectangle {
                        required property var modelData
                        visible: modelData.count > 0
                        width: Math.max(20, countLabel.implicitWidth + 10)
                        height: 20
                        radius: 10
                        color: modelData.bg
                        Label {
                            id: countLabel
                            anchors.centerIn: parent
                            text: parent.modelData.count
                            font.pixelSize: Theme.fontCaption
                            font.weight: Font.DemiBold
                            color: parent.modelData.fg
                        }
                    }
                }
            }
        }

        Rectangle {
            id: divider
            y: 60
            x: 1
            width: parent.width - 2
            height: 1
            color: Theme.divider
        }

        // Entities (the C++ side caps the list and reports how many more there are).
        Column {
            x: 12
            y: 61 + 8
            width: parent.width - 24
            Repeater {
                model: node.entities
                delegate: Item {
                    required property string modelData
                    width: parent ? parent.width : 0
                    height: 22
                    Rectangle {
                        x: 2
                        anchors.verticalCenter: parent.verticalCenter
                        width: 6
                        height: 6
                        radius: 3
                        color: node.systemColor
                    }
                    Label {
                        x: 16
                        width: parent.width - 16
                        anchors.verticalCenter: parent.verticalCenter
                        text: parent.modelData
                        elide: Text.ElideRight
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textSecondary
                    }
                }
            }
            Label {
                visible: node.moreEntities > 0 || node.entities.length === 0
                height: 22
                verticalAlignment: Text.AlignVCenter
                x: 16
                text: node.entities.length === 0 ? qsTr("No entities")
                                                 : qsTr("+%1 more").arg(node.moreEntities)
                font.pixelSize: Theme.fontSmall
                font.italic: true
                color: Theme.textTertiary
            }
        }
    }

    MouseArea {
        id: dragArea
        anchors.fill: parent
        hoverEnabled: true
        enabled: !node.renaming
        cursorShape: pressed ? Qt.ClosedHandCursor : Qt.OpenHandCursor
        property point pressWorld
        property bool moved: false
        property bool toggling: false
        preventStealing: true

        onPressed: (mouse) => {
            pressWorld = mapToItem(node.world, mouse.x, mouse.y)
            moved = false
            toggling = (mouse.modifiers & (Qt.ShiftModifier | Qt.ControlModifier)) !== 0
            if (toggling)
                node.editor.toggleSelected(node.systemId)
            else
                node.editor.beginDrag(node.systemId)
        }
        onPositionChanged: (mouse) => {
            if (!pressed || toggling)
                return
            const p = mapToItem(node.world, mouse.x, mouse.y)
            const dx = p.x - pressWorld.x
            const dy = p.y - pressWorld.y
            if (!moved && Math.abs(dx) < 3 && Math.abs(dy) < 3)
                return
            moved = true
            node.editor.dragBy(dx, dy)
        }
        onReleased: node.editor.endDrag()
        onCanceled: node.editor.endDrag()
        onDoubleClicked: if (node.canvas) node.canvas.renamingId = node.systemId
    }

    // Connection handle: drag it onto another card to add a data flow.
    Rectangle {
        id: handle
        objectName: "connectHandle"
        x: parent.width - width / 2
        y: 32 - height / 2
        width: 16
        height: 16
        radius: 8
        z: 3
        visible: node.hovered || node.selected || handleArea.pressed
        color: handleArea.containsMouse || handleArea.pressed ? Theme.accent : Theme.surface
        border.color: Theme.accent
        border.width: 2
        Rectangle {
            anchors.centerIn: parent
            width: 6; height: 6; radius: 3
            color: handleArea.containsMouse || handleArea.pressed ? "white" : Theme.accent
        }
        MouseArea {
            id: handleArea
            anchors.fill: parent
            anchors.margins: -4
            hoverEnabled: true
            preventStealing: true
            cursorShape: Qt.CrossCursor
            onPressed: (mouse) => node.canvas.beginConnect(
                           node.systemId, mapToItem(node.world, mouse.x, mouse.y))
            onPositionChanged: (mouse) => {
                if (pressed)
                    node.canvas.updateConnect(mapToItem(node.world, mouse.x, mouse.y))
            }
            onReleased: (mouse) => node.canvas.finishConnect(
                            mapToItem(node.world, mouse.x, mouse.y))
            onCanceled: { node.canvas.connectFrom = ""; node.canvas.connectTarget = "" }
        }
        ToolTip.visible: handleArea.containsMouse && !handleArea.pressed
        ToolTip.delay: 500
        ToolTip.text: qsTr("Drag onto another system to add a data flow")
    }
}
