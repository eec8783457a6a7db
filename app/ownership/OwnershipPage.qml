import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Ownership
import Switchboard.Shell

// Ownership matrix: canonical entities (expandable to fields) against systems. Each cell is
// that system's role; click cycles it, the menu sets it, keys O/C/R/N set it on the focused
// cell. Gaps, conflicts and non-owner writes (validator findings) are marked in the cells.
Rectangle {
    id: page
    objectName: "ownershipPage"
    color: Theme.windowBackground

    // Colours beyond Theme that only this page uses (shades of Theme's palette).
    readonly property color okColor: Theme.okColor
    readonly property color entityRowColor: Theme.rowAlt
    readonly property color gapCellColor: Theme.gapCell
    readonly property color ownerInk: Theme.ownerInk
    readonly property color contributorFill: Theme.contributorFill
    readonly property color consumerBorder: Theme.consumerBorder

    readonly property int nameWidth: 248
    readonly property int cellWidth: 116
    readonly property int survivorshipWidth: 150
    readonly property int stewardWidth: 150
    readonly property int freshnessWidth: 184
    readonly property int rowHeight: 34
    readonly property int systemCount: matrix.systems.length
    readonly property int totalWidth: nameWidth + systemCount * cellWidth + survivorshipWidth
                                      + stewardWidth + freshnessWidth + Theme.spacingM
    property int currentRow: 0
    property int currentColumn: 0      // index of the system column

    readonly property var survivorshipNames: matrix.survivorshipNames()
    readonly property var freshnessNames: matrix.freshnessNames()
    readonly property var roleLabels: ({ owner: qsTr("Owner"), contributor: qsTr("Contributor"),
                                         consumer: qsTr("Consumer"), none: qsTr("None") })
    readonly property var survivorshipLabels: ({ "owner-wins": qsTr("Owner wins"),
                                                 "source-priority": qsTr("Source priority"),
                                                 "most-recent": qsTr("Most recent") })
    readonly property var freshnessLabels: ({ "real-time": qsTr("Real time"),
                                              "within-minutes": qsTr("Within minutes"),
                                              "daily-batch": qsTr("Daily batch") })

    OwnershipMatrixModel {
        id: matrix
        objectName: "ownershipMatrix"
        // Idle while another view is shown: a large project pays only for what is visible.
        document: page.visible ? StudioController.document : null
        findings: StudioController.findings
    }

    function systemAt(column) {
        return column >= 0 && column < systemCount ? matrix.systems[column].id : ""
    }
    function focusCell(row, column) {
        currentRow = Math.max(0, Math.min(list.count - 1, row))
        currentColumn = Math.max(0, Math.min(systemCount - 1, column))
        list.positionViewAtIndex(currentRow, ListView.Contain)
        list.forceActiveFocus()
    }

    // Ctrl+Left: closes the row if it is open, else the row it belongs to.
    function collapseAt(row) {
        const idx = matrix.index(row, 0)
        const path = matrix.data(idx, OwnershipMatrixModel.PathRole) || ""
        if (matrix.data(idx, OwnershipMatrixModel.ExpandedRole)) {
            matrix.setExpanded(path, false)
            return
        }
        const dot = path.lastIndexOf(".")
        if (dot > 0) {
            const parent = path.substring(0, dot)
            matrix.setExpanded(parent, false)
            focusCell(matrix.rowOf(parent.split(".")[0],
                                   parent.indexOf(".") > 0
                                   ? parent.substring(parent.indexOf(".") + 1) : ""),
                      currentColumn)
        }
    }

    // A problem selected in the problems panel opens its row.
    onVisibleChanged: if (visible) Qt.callLater(revealSelection)
    function revealSelection() {
        // A canonical entity or field, or an ownership rule (both name entity and field).
        const ref = StudioController.selectedRef
        const entity = ref.entity
        const field = ref.field
        if ((ref.kind !== ElementRef.Canonical && ref.kind !== ElementRef.Ownership)
                || entity === "")
            return
        if (field !== "") {
            // A nested field opens its entity and every field above it.
            const parts = field.split(".")
            let key = entity
            matrix.setExpanded(key, true)
            for (let i = 0; i + 1 < parts.length; ++i) {
                key += "." + parts[i]
                matrix.setExpanded(key, true)
            }
        }
        const row = matrix.rowOf(entity, field)
        if (row >= 0) {
            page.currentRow = row
            list.positionViewAtIndex(row, ListView.Center)
        }
    }
    Connections {
        target: StudioController
        function onSelectionChanged() { page.revealSelection() }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // Title bar: what this is, the problems at a glance, the legend.
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
                    Label {
                        text: qsTr("Ownership")
                        font.pixelSize: Theme.fontHeading
                        font.weight: Font.DemiBold
                        color: Theme.textPrimary
                    }
                    Label {
                        text: qsTr("System of record for every canonical entity and field")
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textTertiary
                    }
                }
                Item { Layout.preferredWidth: Theme.spacingM }
                Repeater {
                    model: [
                        { n: matrix.gapCount, one: qsTr("field without owner"),
                          many: qsTr("fields without owner"), tone: "error" },
                        { n: matrix.conflictCount, one: qsTr("conflict"),
                          many: qsTr("conflicts"), tone: "error" },
                        { n: matrix.writeCount, one: qsTr("non-owner write"),
                          many: qsTr("non-owner writes"), tone: "warning" }
                    ]
                    delegate: Rectangle {
                        required property var modelData
                        readonly property bool bad: modelData.n > 0
                        Layout.preferredHeight: 26
                        Layout.preferredWidth: chipText.implicitWidth + 30
                        radius: 13
                        color: !bad ? Theme.surfaceAlt
                                    : modelData.tone === "error" ? Theme.errorSoft
                                                                 : Theme.warningSoft
                        Rectangle {
                            x: 10; anchors.verticalCenter: parent.verticalCenter
                            width: 7; height: 7; radius: 3.5
                            color: !parent.bad ? page.okColor
                                               : parent.modelData.tone === "error" ? Theme.error
                                                                                   : Theme.warning
                        }
                        Label {
                            id: chipText
                            x: 22; anchors.verticalCenter: parent.verticalCenter
                            text: Theme.plural(parent.modelData.n, parent.modelData.one,
                                               parent.modelData.many)
                            font.pixelSize: Theme.fontSmall
                            color: !parent.bad ? Theme.textSecondary
                                               : parent.modelData.tone === "error" ? Theme.error
                                                                                   : Theme.warning
                        }
                    }
                }
                Item { Layout.fillWidth: true }
                Repeater {
                    model: ["owner", "contributor", "consumer"]
                    delegate: RowLayout {
                        required property string modelData
                        spacing: 6
                        RolePill { role: parent.modelData; compact: true }
                        Label {
                            text: page.roleLabels[parent.modelData]
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textSecondary
                        }
                    }
                }
                ToolSeparator {}
                Button {
                    text: qsTr("Expand all")
                    flat: true
                    font.pixelSize: Theme.fontSmall
                    onClicked: matrix.expandAll()
                }
                Button {
                    text: qsTr("Collapse all")
                    flat: true
                    font.pixelSize: Theme.fontSmall
                    onClicked: matrix.collapseAll()
                }
            }
        }

        ListView {
            id: list
            objectName: "ownershipList"
            Layout.fillWidth: true
            Layout.maximumWidth: page.totalWidth + 2
            Layout.fillHeight: true
            Layout.margins: Theme.spacingM
            clip: true
            model: matrix
            focus: true
            contentWidth: page.totalWidth
            flickableDirection: Flickable.AutoFlickIfNeeded
            boundsBehavior: Flickable.StopAtBounds
            headerPositioning: ListView.OverlayHeader
            ScrollBar.vertical: ScrollBar {}
            ScrollBar.horizontal: ScrollBar {}

            Rectangle {   // card behind the rows
                parent: list
                anchors.fill: parent
                z: -1
                color: Theme.surface
                border.color: Theme.border
                radius: Theme.radius
            }

            header: Rectangle {
                z: 3
                width: page.totalWidth
                height: 40
                color: Theme.surfaceAlt
                Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                            color: Theme.border }
                Row {
                    height: parent.height
                    HeaderCell { width: page.nameWidth; text: qsTr("Entity / field")
                                 leftPad: Theme.spacingM }
                    Repeater {
                        model: matrix.systems
                        delegate: Item {
                            required property var modelData
                            width: page.cellWidth
                            height: 40
                            Row {
                                anchors.centerIn: parent
                                spacing: 6
                                Rectangle {
                                    anchors.verticalCenter: parent.verticalCenter
                                    width: 8; height: 8; radius: 4
                                    color: modelData.color || Theme.textTertiary
                                }
                                Label {
                                    text: modelData.name
                                    font.pixelSize: Theme.fontSmall
                                    font.weight: Font.DemiBold
                                    color: Theme.textPrimary
                                    elide: Text.ElideRight
                                    width: Math.min(implicitWidth, page.cellWidth - 24)
                                }
                            }
                        }
                    }
                    HeaderCell { width: page.survivorshipWidth; text: qsTr("Survivorship") }
                    HeaderCell { width: page.stewardWidth; text: qsTr("Steward") }
                    HeaderCell { width: page.freshnessWidth; text: qsTr("Freshness target") }
                }
            }

            Keys.onPressed: (event) => {
                const sys = page.systemAt(page.currentColumn)
                switch (event.key) {
                case Qt.Key_Up: page.focusCell(page.currentRow - 1, page.currentColumn); break
                case Qt.Key_Down: page.focusCell(page.currentRow + 1, page.currentColumn); break
                case Qt.Key_Left:
                    if (event.modifiers & Qt.ControlModifier)
                        page.collapseAt(page.currentRow)
                    else
                        page.focusCell(page.currentRow, page.currentColumn - 1)
                    break
                case Qt.Key_Right:
                    if (event.modifiers & Qt.ControlModifier)
                        matrix.setExpanded(matrix.data(matrix.index(page.currentRow, 0),
                                                       OwnershipMatrixModel.PathRole), true)
                    else
                        page.focusCell(page.currentRow, page.currentColumn + 1)
                    break
                case Qt.Key_Space:
                case Qt.Key_Return:
                case Qt.Key_Enter: matrix.cycleRole(page.currentRow, sys); break
                case Qt.Key_O: matrix.setRole(page.currentRow, sys, "owner"); break
                case Qt.Key_C: matrix.setRole(page.currentRow, sys, "contributor"); break
                case Qt.Key_R: matrix.setRole(page.currentRow, sys, "consumer"); break
                case Qt.Key_N:
                case Qt.Key_Delete:
                case Qt.Key_Backspace: matrix.setRole(page.currentRow, sys, "none"); break
                case Qt.Key_Plus:
                case Qt.Key_Minus: matrix.toggleExpanded(page.currentRow); break
                default: return
                }
                event.accepted = true
            }

            delegate: Rectangle {
                id: rowItem
                required property int index
                required property string kind
                required property string entity
                required property string field
                required property string name
                required property string fieldType
                required property string element
                required property bool expanded
                required property bool hasChildren
                required property bool ownRule
                required property var cells
                required property string survivorship
                required property var priority
                required property string steward
                required property string freshness
                required property int freshnessMinutes
                required property string problem
                required property string problemText
                required property int fieldCount
                required property int depth
                required property string path
                required property string ruleId
                readonly property bool isEntity: kind === "entity"
                readonly property bool inherited: !isEntity && !ownRule

                objectName: "ownershipRow_" + path
                width: page.totalWidth
                height: page.rowHeight
                color: StudioController.selectedElement === element ? Theme.accentSoft
                       : rowHover.hovered ? Theme.hover
                       : isEntity ? page.entityRowColor : "transparent"

                HoverHandler { id: rowHover }
                Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                            color: Theme.divider }
                // A problem on the row shows as a bar on its left edge.
                Rectangle {
                    visible: rowItem.problem.length > 0
                    width: 3; height: parent.height
                    color: rowItem.problem === "write" ? Theme.warning : Theme.error
                }

                Row {
                    height: parent.height
                    // Name column: chevron, name, field type or field count.
                    Item {
                        width: page.nameWidth
                        height: parent.height
                        MouseArea {
                            anchors.fill: parent
                            onClicked: {
                                StudioController.select(rowItem.element)
                                if (rowItem.hasChildren)
                                    matrix.toggleExpanded(rowItem.index)
                                page.currentRow = rowItem.index
                                list.forceActiveFocus()
                            }
                        }
                        RowLayout {
                            anchors.fill: parent
                            // Indented by depth; a field without children keeps the
                            // chevron's room so names line up.
                            anchors.leftMargin: Theme.spacingS + rowItem.depth * Theme.spacingL
                            anchors.rightMargin: Theme.spacingS
                            spacing: 6
                            Label {
                                opacity: rowItem.hasChildren ? 1 : 0
                                Layout.preferredWidth: 14
                                text: rowItem.expanded ? "\u25be" : "\u25b8"
                                color: Theme.textTertiary
                                font.pixelSize: Theme.fontBody
                            }
                            Label {
                                text: rowItem.name
                                font.pixelSize: Theme.fontBody
                                font.weight: rowItem.isEntity ? Font.DemiBold : Font.Normal
                                color: Theme.textPrimary
                                elide: Text.ElideRight
                                Layout.maximumWidth: page.nameWidth - 120
                                                     - rowItem.depth * Theme.spacingL / 2
                            }
                            Label {
                                Layout.fillWidth: true
                                text: rowItem.isEntity ? Theme.plural(rowItem.fieldCount,
                                                                      qsTr("field"),
                                                                      qsTr("fields"))
                                                       : rowItem.fieldType
                                elide: Text.ElideRight
                                font.pixelSize: Theme.fontCaption
                                font.family: rowItem.isEntity ? font.family : "monospace"
                                color: Theme.textTertiary
                            }
                            // Own rule or inherited from the entity: a small marker.
                            Rectangle {
                                visible: !rowItem.isEntity
                                Layout.preferredWidth: 8
                                Layout.preferredHeight: 8
                                radius: 4
                                color: rowItem.ownRule ? Theme.accent : "transparent"
                                border.width: 1
                                border.color: rowItem.ownRule ? Theme.accent
                                                              : Theme.borderStrong
                                HoverHandler { id: ruleHover }
                                ToolTip.visible: ruleHover.hovered
                                ToolTip.text: rowItem.ownRule
                                              ? qsTr("Own rule for this field")
                                              : rowItem.ruleId
                                                ? qsTr("Inherits the rule of %1")
                                                      .arg(rowItem.ruleId)
                                                : qsTr("No rule in force")
                            }
                        }
                    }

                    // One cell per system.
                    Repeater {
                        // By count, not by the cells array: cells keep their items on edits.
                        model: page.systemCount
                        delegate: Item {
                            id: cell
                            required property int index
                            readonly property var modelData: rowItem.cells[index]
                                                             || ({ system: "", role: "none",
                                                                   problem: "", note: "" })
                            readonly property bool current: list.activeFocus
                                                            && page.currentRow === rowItem.index
                                                            && page.currentColumn === index
                            objectName: "ownershipCell_" + rowItem.path + "_"
                                        + modelData.system
                            property string role: modelData.role
                            property string cellProblem: modelData.problem
                            width: page.cellWidth
                            height: page.rowHeight

                            Rectangle {
                                anchors.fill: parent
                                anchors.margins: 3
                                radius: 4
                                color: cell.cellProblem === "gap" ? page.gapCellColor
                                       : cell.cellProblem === "conflict" ? Theme.errorSoft
                                       : cell.cellProblem === "write" ? Theme.warningSoft
                                       : cellMouse.containsMouse ? Theme.hover : "transparent"
                                border.width: cell.current ? 2
                                              : cell.cellProblem === "conflict"
                                                || cell.cellProblem === "write" ? 1 : 0
                                border.color: cell.current ? Theme.accent
                                              : cell.cellProblem === "write" ? Theme.warning
                                                                             : Theme.error
                            }
                            RolePill {
                                anchors.centerIn: parent
                                role: cell.role
                                problem: cell.cellProblem
                                opacity: rowItem.inherited ? 0.5 : 1
                            }
                            Label {   // a contributor that is a consumer too
                                visible: cell.modelData.consumes === true
                                anchors.right: parent.right
                                anchors.verticalCenter: parent.verticalCenter
                                anchors.rightMargin: 2
                                text: "+R"
                                font.pixelSize: Theme.fontCaption
                                color: Theme.textSecondary
                            }
                            Label {   // a write by a system that may not write here
                                visible: cell.cellProblem === "write"
                                anchors.right: parent.right
                                anchors.top: parent.top
                                anchors.margins: 4
                                text: "\u270e"
                                font.pixelSize: Theme.fontCaption
                                color: Theme.warning
                            }
                            MouseArea {
                                id: cellMouse
                                anchors.fill: parent
                                hoverEnabled: true
                                acceptedButtons: Qt.LeftButton | Qt.RightButton
                                onClicked: (mouse) => {
                                    page.currentRow = rowItem.index
                                    page.currentColumn = cell.index
                                    list.forceActiveFocus()
                                    if (mouse.button === Qt.RightButton) {
                                        roleMenu.row = rowItem.index
                                        roleMenu.system = cell.modelData.system
                                        roleMenu.canReset = rowItem.ownRule && !rowItem.isEntity
                                        roleMenu.popup()
                                    } else {
                                        matrix.cycleRole(rowItem.index, cell.modelData.system)
                                    }
                                }
                            }
                            ToolTip.visible: cellMouse.containsMouse
                            ToolTip.delay: 500
                            ToolTip.text: (page.roleLabels[cell.role] || "") + " \u00b7 "
                                          + cell.modelData.system
                                          + (cell.modelData.consumes
                                             ? qsTr(" \u00b7 also a consumer") : "")
                                          + (cell.modelData.note ? "\n" + cell.modelData.note
                                                                 : "")
                                          + qsTr("\nClick to cycle, right-click for the menu")
                        }
                    }

                    // Survivorship rule.
                    Item {
                        width: page.survivorshipWidth
                        height: page.rowHeight
                        ComboBox {
                            anchors.fill: parent
                            anchors.margins: 3
                            anchors.rightMargin: priorityButton.visible ? 29 : 3
                            flat: true
                            font.pixelSize: Theme.fontSmall
                            opacity: rowItem.inherited ? 0.6 : 1
                            model: page.survivorshipNames
                            // Source priority shows its order: "erp \u203a crm".
                            displayText: rowItem.survivorship === "source-priority"
                                         && rowItem.priority.length > 0
                                         ? rowItem.priority.join(" \u203a ")
                                         : page.survivorshipLabels[rowItem.survivorship] || ""
                            ToolTip.visible: hovered && rowItem.survivorship === "source-priority"
                            ToolTip.text: qsTr("Source priority, highest first: %1")
                                          .arg(rowItem.priority.join(", "))
                            currentIndex: model.indexOf(rowItem.survivorship)
                            delegate: ItemDelegate {
                                required property string modelData
                                width: ListView.view.width
                                text: page.survivorshipLabels[modelData]
                                font.pixelSize: Theme.fontSmall
                            }
                            onActivated: (i) => matrix.setSurvivorship(rowItem.index, model[i])
                        }
                        // Source priority: edit the order in a popup.
                        ToolIconButton {
                            id: priorityButton
                            objectName: "priorityButton_" + rowItem.path
                            visible: rowItem.survivorship === "source-priority"
                            anchors.right: parent.right
                            anchors.rightMargin: 3
                            anchors.verticalCenter: parent.verticalCenter
                            implicitWidth: 26
                            implicitHeight: 26
                            padding: 4
                            iconName: "reorder"
                            tip: qsTr("Edit the source priority order")
                            onClicked: priorityPopup.openFor(rowItem.index, rowItem.path, this)
                        }
                    }
                    // Steward (typing merges into one undo step).
                    Item {
                        width: page.stewardWidth
                        height: page.rowHeight
                        TextField {
                            anchors.fill: parent
                            anchors.margins: 3
                            text: rowItem.steward
                            placeholderText: rowItem.isEntity ? qsTr("Team\u2026") : ""
                            font.pixelSize: Theme.fontSmall
                            opacity: rowItem.inherited && !activeFocus ? 0.6 : 1
                            background: Rectangle {
                                radius: 4
                                color: parent.activeFocus ? Theme.surface : "transparent"
                                border.width: parent.activeFocus || parent.hovered ? 1 : 0
                                border.color: parent.activeFocus ? Theme.accent : Theme.border
                            }
                            onTextEdited: matrix.setSteward(rowItem.index, text)
                            onEditingFinished: matrix.endEdit()
                            // Undo is the document's (typing is one step there).
                            Keys.onPressed: (event) => {
                                if (event.matches(StandardKey.Undo)) {
                                    StudioController.undo()
                                    event.accepted = true
                                } else if (event.matches(StandardKey.Redo)) {
                                    StudioController.redo()
                                    event.accepted = true
                                }
                            }
                        }
                    }
                    // Freshness target.
                    Item {
                        width: page.freshnessWidth
                        height: page.rowHeight
                        RowLayout {
                            anchors.fill: parent
                            anchors.margins: 3
                            spacing: 2
                            opacity: rowItem.inherited ? 0.6 : 1
                            ComboBox {
                                Layout.fillWidth: true
                                Layout.fillHeight: true
                                flat: true
                                font.pixelSize: Theme.fontSmall
                                model: page.freshnessNames
                                displayText: rowItem.freshness === "within-minutes"
                                             ? qsTr("Within")
                                             : page.freshnessLabels[rowItem.freshness]
                                currentIndex: model.indexOf(rowItem.freshness)
                                delegate: ItemDelegate {
                                    required property string modelData
                                    width: ListView.view.width
                                    text: page.freshnessLabels[modelData]
                                    font.pixelSize: Theme.fontSmall
                                }
                                onActivated: (i) => matrix.setFreshness(
                                                 rowItem.index, model[i],
                                                 model[i] === "within-minutes"
                                                 ? Math.max(rowItem.freshnessMinutes, 15) : 0)
                            }
                            SpinBox {
                                visible: rowItem.freshness === "within-minutes"
                                Layout.preferredWidth: 70
                                Layout.fillHeight: true
                                from: 1; to: 1440
                                editable: true
                                value: rowItem.freshnessMinutes
                                font.pixelSize: Theme.fontSmall
                                onValueModified: matrix.setFreshness(rowItem.index,
                                                                     "within-minutes", value)
                            }
                            Label {
                                visible: rowItem.freshness === "within-minutes"
                                text: qsTr("min")
                                font.pixelSize: Theme.fontCaption
                                color: Theme.textTertiary
                            }
                        }
                    }
                }
            }
        }
        Label {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingM
            Layout.bottomMargin: Theme.spacingS
            text: qsTr("Click a cell to cycle None \u2192 Owner \u2192 Contributor \u2192 "
                       + "Consumer; right-click for the menu. Keys: arrows move, O owner, "
                       + "C contributor, R consumer, N none, +/\u2212 expand. Fields without "
                       + "a rule of their own inherit (faded): nested fields their top "
                       + "field's rule, fields their entity's.")
            elide: Text.ElideRight
            font.pixelSize: Theme.fontCaption
            color: Theme.textTertiary
        }
    }

    // Source-priority order of one row (see PriorityPopup.qml).
    PriorityPopup {
        id: priorityPopup
        page: page
        matrix: matrix
    }

    Menu {
        id: roleMenu
        property int row: -1
        property string system: ""
        property bool canReset: false
        Repeater {
            model: ["owner", "contributor", "consumer", "none"]
            delegate: MenuItem {
                required property string modelData
                text: page.roleLabels[modelData] + "\t"
                      + ({ owner: "O", contributor: "C", consumer: "R", none: "N" })[modelData]
                checkable: true
                checked: roleMenu.row >= 0 && matrix.roleAt(roleMenu.row, roleMenu.system)
                                              === modelData
                onTriggered: matrix.setRole(roleMenu.row, roleMenu.system, modelData)
            }
        }
        MenuItem {
            objectName: "alsoConsumerItem"
            visible: roleMenu.row >= 0 && matrix.roleAt(roleMenu.row, roleMenu.system)
                                          === "contributor"
            height: visible ? implicitHeight : 0
            text: qsTr("Also a consumer")
            checkable: true
            checked: roleMenu.row >= 0 && matrix.consumesAt(roleMenu.row, roleMenu.system)
            onTriggered: matrix.setConsumes(roleMenu.row, roleMenu.system, checked)
        }
        MenuSeparator { visible: roleMenu.canReset }
        MenuItem {
            visible: roleMenu.canReset
            height: visible ? implicitHeight : 0
            text: qsTr("Inherit the enclosing rule")
            onTriggered: matrix.resetToEntity(roleMenu.row)
        }
    }
}
