import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard

// One system card on the landscape. Geometry comes from SystemsModel (the same constants the
// edges use); dragging sends the new position to StudioController.moveSystem, so it is an
// undoable document edit, and the release closes the merge group (one undo step per drag).
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

    readonly property bool selected: StudioController.selectedSystem === systemId

    objectName: "systemNode_" + systemId
    x: nodeX
    y: nodeY
    width: nodeWidth
    height: nodeHeight
    z: dragArea.drag.active || dragArea.pressed ? 2 : 1

    // Soft shadow under the card.
    Rectangle {
        anchors.fill: card
        anchors.topMargin: 2
        anchors.bottomMargin: -2
        radius: card.radius
        color: "#14202a3a"
    }

    Rectangle {
        id: card
        anchors.fill: parent
        radius: Theme.radiusLarge
        color: Theme.surface
        border.width: node.selected ? 2 : 1
        border.color: node.selected ? Theme.accent : Theme.border
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
                source: node.kindIcon
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
                    elide: Text.ElideRight
                    font.pixelSize: Theme.fontBody
                    font.weight: Font.DemiBold
                    color: Theme.textPrimary
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
        cursorShape: pressed ? Qt.ClosedHandCursor : Qt.OpenHandCursor
        property point pressWorld
        property point startPos
        property bool moved: false
        preventStealing: true

        onPressed: (mouse) => {
            pressWorld = mapToItem(node.world, mouse.x, mouse.y)
            startPos = Qt.point(node.nodeX, node.nodeY)
            moved = false
            StudioController.select("system:" + node.systemId)
        }
        onPositionChanged: (mouse) => {
            if (!pressed)
                return
            const p = mapToItem(node.world, mouse.x, mouse.y)
            const dx = p.x - pressWorld.x
            const dy = p.y - pressWorld.y
            if (!moved && Math.abs(dx) < 3 && Math.abs(dy) < 3)
                return
            moved = true
            // Snap to the 8 px grid so cards line up.
            const grid = Theme.gridUnit
            StudioController.moveSystem(node.systemId,
                                        Math.round((startPos.x + dx) / grid) * grid,
                                        Math.round((startPos.y + dy) / grid) * grid)
        }
        onReleased: StudioController.endMove()
        onCanceled: StudioController.endMove()
    }
}
