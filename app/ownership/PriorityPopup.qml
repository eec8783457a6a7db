import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Ownership

// Source-priority order of one row: ranked systems with up/down/remove, then the others
// to add. Moves while it is open are one undo step (merged until it closes).
Popup {
    id: priorityPopup
    required property Item page
    required property OwnershipMatrixModel matrix
    objectName: "priorityPopup"
    property int row: -1
    property string path: ""
    property var order: []
    readonly property var unranked: matrix.systems.filter(s => order.indexOf(s.id) < 0)
    padding: Theme.spacingS
    width: 260
    focus: true

    function systemName(id) {
        const s = matrix.systems.find(x => x.id === id)
        return s ? s.name : id
    }
    function systemColor(id) {
        const s = matrix.systems.find(x => x.id === id)
        return s && s.color ? s.color : Theme.textTertiary
    }
    function reload() {
        if (row < 0 || row >= matrix.rowCount()) {
            order = []
            return
        }
        // The row may have moved (rows above expanded): find it by its path.
        const idx = matrix.index(row, 0)
        if (matrix.data(idx, OwnershipMatrixModel.PathRole) !== path) {
            const dot = path.indexOf(".")
            row = matrix.rowOf(dot < 0 ? path : path.substring(0, dot),
                               dot < 0 ? "" : path.substring(dot + 1))
            if (row < 0) {
                close()
                return
            }
        }
        order = matrix.data(matrix.index(row, 0), OwnershipMatrixModel.PriorityRole) || []
    }
    function openFor(r, p, item) {
        row = r
        path = p
        reload()
        const at = item.mapToItem(page, 0, item.height)
        x = Math.max(0, Math.min(at.x + item.width - width, page.width - width))
        y = Math.min(at.y + 2, page.height - implicitHeight)
        open()
    }
    onClosed: matrix.endEdit()
    Connections {
        target: matrix
        function onDataChanged() { if (priorityPopup.opened) priorityPopup.reload() }
        function onModelReset() { if (priorityPopup.opened) priorityPopup.close() }
    }
    background: Rectangle {
        color: Theme.surface
        border.color: Theme.border
        radius: Theme.radius
    }

    contentItem: ColumnLayout {
        spacing: 2
        Label {
            Layout.fillWidth: true
            Layout.bottomMargin: Theme.spacingXs
            text: qsTr("Source priority, highest first")
            font.pixelSize: Theme.fontSmall
            font.weight: Font.DemiBold
            color: Theme.textPrimary
        }
        Repeater {
            model: priorityPopup.order
            delegate: RowLayout {
                required property int index
                required property string modelData
                objectName: "priorityEntry_" + modelData
                Layout.fillWidth: true
                spacing: Theme.spacingXs
                Label {
                    Layout.preferredWidth: 16
                    text: (parent.index + 1) + "."
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textTertiary
                }
                Rectangle {
                    width: 8; height: 8; radius: 4
                    color: priorityPopup.systemColor(parent.modelData)
                }
                Label {
                    Layout.fillWidth: true
                    text: priorityPopup.systemName(parent.modelData)
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textPrimary
                    elide: Text.ElideRight
                }
                ToolIconButton {
                    objectName: "priorityUp_" + parent.modelData
                    implicitWidth: 24; implicitHeight: 24; padding: 3
                    iconName: "chevron-up"
                    enabled: parent.index > 0
                    tip: qsTr("Higher priority")
                    onClicked: matrix.movePriority(priorityPopup.row, parent.modelData, -1)
                }
                ToolIconButton {
                    objectName: "priorityDown_" + parent.modelData
                    implicitWidth: 24; implicitHeight: 24; padding: 3
                    iconName: "chevron-down"
                    enabled: parent.index < priorityPopup.order.length - 1
                    tip: qsTr("Lower priority")
                    onClicked: matrix.movePriority(priorityPopup.row, parent.modelData, 1)
                }
                ToolIconButton {
                    objectName: "priorityRemove_" + parent.modelData
                    implicitWidth: 24; implicitHeight: 24; padding: 4
                    iconName: "close"
                    tip: qsTr("Remove from the order")
                    onClicked: matrix.unrankPriority(priorityPopup.row, parent.modelData)
                }
            }
        }
        Label {
            visible: priorityPopup.order.length === 0
            text: qsTr("No system ranked yet")
            font.pixelSize: Theme.fontSmall
            color: Theme.textTertiary
        }
        Rectangle {
            visible: priorityPopup.unranked.length > 0
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacingXs
            Layout.bottomMargin: Theme.spacingXs
            height: 1
            color: Theme.divider
        }
        Repeater {
            model: priorityPopup.unranked
            delegate: RowLayout {
                required property var modelData
                Layout.fillWidth: true
                spacing: Theme.spacingXs
                Item { Layout.preferredWidth: 16 }
                Rectangle {
                    width: 8; height: 8; radius: 4
                    color: parent.modelData.color || Theme.textTertiary
                }
                Label {
                    Layout.fillWidth: true
                    text: parent.modelData.name
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textTertiary
                    elide: Text.ElideRight
                }
                ToolIconButton {
                    objectName: "priorityAdd_" + parent.modelData.id
                    implicitWidth: 24; implicitHeight: 24; padding: 4
                    iconName: "plus"
                    tip: qsTr("Add at the end of the order")
                    onClicked: matrix.movePriority(priorityPopup.row, parent.modelData.id, 1)
                }
            }
        }
    }
}
