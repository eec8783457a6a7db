import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Shell
import Switchboard.Workflows

// Workflow editor: the workflows and a palette of trigger and step types on the left, the
// canvas of the open workflow in the middle, the inspector on the right. State lives in the
// page's WorkflowEditor (C++); the selection is StudioController.selectedElement, so the
// problems panel and the canvas agree on what is selected.
Rectangle {
    id: page
    objectName: "workflowsPage"
    color: Theme.windowBackground

    readonly property WorkflowEditor editor: wfEditor
    readonly property alias canvas: canvas

    WorkflowEditor {
        id: wfEditor
        objectName: "workflowEditor"
        document: StudioController.document
        findings: StudioController.findings
        selectedElement: StudioController.selectedElement
        // A run instance's path, handed over by the run panel's "Show on canvas".
        highlightedPath: CanvasPath.path
    }
    // Another project: the shown path belonged to the old one.
    Connections {
        target: StudioController
        function onProjectOpened() { CanvasPath.clear() }
    }

    // A click on a palette entry: a trigger type replaces the trigger; a step is added to the
    // right of the selected step (and linked from it), else at the end of the flow.
    function addFromPalette(category, type) {
        if (wfEditor.workflowId.length === 0)
            return ""
        if (category === "trigger") {
            wfEditor.setTriggerType(type)
            StudioController.select(wfEditor.stepElement("trigger"))
            return "trigger"
        }
        // After the selection; the first step of a workflow follows its trigger, the only
        // step it can follow.
        const after = wfEditor.selectedStep.length > 0 ? wfEditor.selectedStep
                    : wfEditor.triggerSelected || wfEditor.steps.rowCount() <= 1 ? "trigger"
                    : ""
        const p = wfEditor.suggestedPosition(after)
        const id = wfEditor.addStep(type, p.x, p.y, after)
        if (id.length > 0) {
            StudioController.select(wfEditor.stepElement(id))
            canvas.reveal(wfEditor.nodeRect(id))
        }
        return id
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        // ---------------- left: workflows and palette
        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 232
            color: Theme.surface
            Rectangle { anchors.right: parent.right; width: 1; height: parent.height
                        color: Theme.border }

            ColumnLayout {
                anchors.fill: parent
                anchors.rightMargin: 1
                spacing: 0

                RowLayout {
                    Layout.fillWidth: true
                    Layout.preferredHeight: 40
                    Layout.leftMargin: Theme.spacingM
                    Layout.rightMargin: Theme.spacingXs
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("Workflows")
                        font.pixelSize: Theme.fontBody
                        font.weight: Font.DemiBold
                        color: Theme.textPrimary
                    }
                    ToolIconButton {
                        objectName: "addWorkflowButton"
                        iconName: "workflow-add"
                        tip: qsTr("New workflow")
                        onClicked: {
                            const id = wfEditor.addWorkflow(qsTr("New workflow"))
                            if (id.length > 0) {
                                StudioController.selectElement(ElementRef.Workflow, id)
                                workflowList.renaming = id
                            }
                        }
                    }
                }

                ListView {
                    id: workflowList
                    objectName: "workflowList"
                    Layout.fillWidth: true
                    Layout.preferredHeight: Math.min(contentHeight, 248)
                    clip: true
                    boundsBehavior: Flickable.StopAtBounds
                    model: wfEditor.workflows
                    property string renaming: ""
                    ScrollBar.vertical: ScrollBar {}
                    // Another workflow opened or the page left: the rename box closes.
                    Connections {
                        target: wfEditor
                        function onWorkflowChanged() {
                            if (workflowList.renaming !== wfEditor.workflowId)
                                workflowList.renaming = ""
                        }
                    }
                    onVisibleChanged: if (!visible) renaming = ""
                    delegate: Rectangle {
                        id: wfRow
                        required property string workflowId
                        required property string name
                        required property string pattern
                        required property int stepCount
                        required property int errorCount
                        required property int warningCount
                        readonly property bool current: wfEditor.workflowId === workflowId
                        width: ListView.view.width
                        height: 48
                        color: current ? Theme.accentSoft
                                       : rowMouse.containsMouse ? Theme.hover : "transparent"
                        Rectangle {
                            visible: wfRow.current
                            width: 3; height: parent.height; color: Theme.accent
                        }
                        MouseArea {
                            id: rowMouse
                            anchors.fill: parent
                            hoverEnabled: true
                            onClicked: StudioController.selectElement(ElementRef.Workflow, wfRow.workflowId)
                            onDoubleClicked: workflowList.renaming = wfRow.workflowId
                        }
                        RowLayout {
                            anchors.fill: parent
                            anchors.leftMargin: Theme.spacingM
                            anchors.rightMargin: Theme.spacingXs
                            spacing: Theme.spacingXs
                            ColumnLayout {
                                Layout.fillWidth: true
                                spacing: 1
                                Label {
                                    visible: workflowList.renaming !== wfRow.workflowId
                                    Layout.fillWidth: true
                                    elide: Text.ElideRight
                                    text: wfRow.name
                                    font.pixelSize: Theme.fontBody
                                    font.weight: wfRow.current ? Font.DemiBold : Font.Normal
                                    color: Theme.textPrimary
                                }
                                TextField {
                                    id: renameField
                                    objectName: "workflowRenameField"
                                    visible: workflowList.renaming === wfRow.workflowId
                                    Layout.fillWidth: true
                                    text: wfRow.name
                                    font.pixelSize: Theme.fontBody
                                    // Focused whether the row existed before the rename began
                                    // or was created for it (a new workflow): a field that
                                    // never had focus would never lose it, and stay open.
                                    function begin() {
                                        text = wfRow.name
                                        selectAll()
                                        forceActiveFocus()
                                    }
                                    function commit() {
                                        if (workflowList.renaming !== wfRow.workflowId)
                                            return
                                        workflowList.renaming = ""
                                        if (text.trim().length > 0 && text !== wfRow.name)
                                            wfEditor.renameWorkflow(wfRow.workflowId, text)
                                    }
                                    onVisibleChanged: if (visible) Qt.callLater(begin)
                                    Component.onCompleted: if (visible) Qt.callLater(begin)
                                    onAccepted: commit()
                                    onActiveFocusChanged: if (!activeFocus) commit()
                                    Keys.onEscapePressed: workflowList.renaming = ""
                                }
                                Label {
                                    Layout.fillWidth: true
                                    elide: Text.ElideRight
                                    text: wfRow.pattern + " \u00b7 "
                                          + Theme.plural(wfRow.stepCount, qsTr("step"),
                                                         qsTr("steps"))
                                    font.pixelSize: Theme.fontCaption
                                    color: Theme.textTertiary
                                }
                            }
                            Repeater {
                                model: [
                                    { count: wfRow.errorCount, fg: Theme.error,
                                      bg: Theme.errorSoft },
                                    { count: wfRow.warningCount, fg: Theme.warning,
                                      bg: Theme.warningSoft }
                                ]
                                delegate: Rectangle {
                                    required property var modelData
                                    visible: modelData.count > 0 && !rowMouse.containsMouse
                                    Layout.preferredWidth: Math.max(20, cnt.implicitWidth + 10)
                                    Layout.preferredHeight: 18
                                    radius: 9
                                    color: modelData.bg
                                    Label {
                                        id: cnt
                                        anchors.centerIn: parent
                                        text: parent.modelData.count
                                        font.pixelSize: Theme.fontCaption
                                        font.weight: Font.DemiBold
                                        color: parent.modelData.fg
                                    }
                                }
                            }
                            ToolIconButton {
                                visible: rowMouse.containsMouse || hovered
                                implicitWidth: 26; implicitHeight: 26; padding: 4
                                iconName: "workflow-rename"
                                tip: qsTr("Rename")
                                onClicked: workflowList.renaming = wfRow.workflowId
                            }
                            ToolIconButton {
                                visible: rowMouse.containsMouse || hovered
                                implicitWidth: 26; implicitHeight: 26; padding: 4
                                iconName: "workflow-delete"
                                tip: qsTr("Delete workflow")
                                onClicked: wfEditor.removeWorkflow(wfRow.workflowId)
                            }
                        }
                    }
                }

                Rectangle { Layout.fillWidth: true; Layout.preferredHeight: 1
                            Layout.topMargin: Theme.spacingXs; color: Theme.divider }

                Label {
                    Layout.leftMargin: Theme.spacingM
                    Layout.topMargin: Theme.spacingS
                    text: qsTr("Palette")
                    font.pixelSize: Theme.fontBody
                    font.weight: Font.DemiBold
                    color: Theme.textPrimary
                }
                Label {
                    Layout.leftMargin: Theme.spacingM
                    Layout.rightMargin: Theme.spacingM
                    Layout.fillWidth: true
                    text: qsTr("Drag onto the canvas, or click to add after the selection.")
                    wrapMode: Text.Wrap
                    font.pixelSize: Theme.fontCaption
                    color: Theme.textTertiary
                }

                ListView {
                    id: paletteList
                    objectName: "paletteList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.topMargin: Theme.spacingXs
                    clip: true
                    boundsBehavior: Flickable.StopAtBounds
                    model: wfEditor.palette
                    interactive: !paletteDrag.active
                    ScrollBar.vertical: ScrollBar {}
                    section.property: "category"
                    section.delegate: Label {
                        required property string section
                        leftPadding: Theme.spacingM
                        topPadding: Theme.spacingS
                        bottomPadding: 2
                        text: section === "trigger" ? qsTr("TRIGGER") : qsTr("STEPS")
                        font.pixelSize: Theme.fontCaption
                        font.weight: Font.DemiBold
                        font.letterSpacing: 0.6
                        color: Theme.textTertiary
                    }
                    delegate: Rectangle {
                        id: paletteItem
                        required property string category
                        required property string itemType
                        required property string label
                        required property string description
                        required property string iconSource
                        required property string typeColor
                        objectName: "palette_" + category + "_" + itemType
                        width: ListView.view.width
                        height: 40
                        color: itemMouse.containsMouse ? Theme.hover : "transparent"
                        RowLayout {
                            anchors.fill: parent
                            anchors.leftMargin: Theme.spacingM
                            anchors.rightMargin: Theme.spacingS
                            spacing: Theme.spacingS
                            Rectangle {
                                Layout.preferredWidth: 28
                                Layout.preferredHeight: 28
                                radius: paletteItem.category === "trigger" ? 14 : 7
                                color: Theme.surface
                                border.color: Theme.border
                                IconImage {
                                    anchors.centerIn: parent
                                    source: paletteItem.iconSource
                                    sourceSize: Qt.size(18, 18)
                                    color: paletteItem.typeColor
                                }
                            }
                            ColumnLayout {
                                Layout.fillWidth: true
                                spacing: 0
                                Label {
                                    text: paletteItem.label
                                    font.pixelSize: Theme.fontBody
                                    color: Theme.textPrimary
                                }
                                Label {
                                    Layout.fillWidth: true
                                    text: paletteItem.description
                                    elide: Text.ElideRight
                                    font.pixelSize: Theme.fontCaption
                                    color: Theme.textTertiary
                                }
                            }
                        }
                        MouseArea {
                            id: itemMouse
                            anchors.fill: parent
                            hoverEnabled: true
                            enabled: wfEditor.workflowId.length > 0
                            cursorShape: Qt.OpenHandCursor
                            preventStealing: true
                            property point pressPoint
                            onPressed: (mouse) => { pressPoint = Qt.point(mouse.x, mouse.y) }
                            onPositionChanged: (mouse) => {
                                if (!pressed)
                                    return
                                const scene = mapToItem(null, mouse.x, mouse.y)
                                if (!paletteDrag.active && Math.abs(mouse.x - pressPoint.x)
                                        + Math.abs(mouse.y - pressPoint.y) < 6)
                                    return
                                paletteDrag.begin(paletteItem, scene)
                            }
                            onReleased: (mouse) => {
                                const scene = mapToItem(null, mouse.x, mouse.y)
                                if (paletteDrag.active)
                                    paletteDrag.finish(scene)
                                else
                                    page.addFromPalette(paletteItem.category,
                                                        paletteItem.itemType)
                            }
                            onCanceled: paletteDrag.active = false
                        }
                    }
                }
            }
        }

        // ---------------- middle: header and canvas
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: 44
                color: Theme.surface
                Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                            color: Theme.border }
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacingM
                    anchors.rightMargin: Theme.spacingS
                    spacing: Theme.spacingS
                    Label {
                        text: wfEditor.workflow.name || wfEditor.workflow.id || qsTr("Workflows")
                        font.pixelSize: Theme.fontTitle
                        font.weight: Font.DemiBold
                        color: Theme.textPrimary
                        elide: Text.ElideRight
                        Layout.maximumWidth: 360
                    }
                    Repeater {
                        model: wfEditor.workflow.id ? [
                            (wfEditor.workflow.patterns || []).find(
                                p => p.value === wfEditor.workflow.pattern)?.text || "",
                            qsTr("%1 trigger").arg(wfEditor.workflow.triggerLabel)
                        ] : []
                        delegate: Rectangle {
                            required property string modelData
                            visible: modelData.length > 0
                            Layout.preferredHeight: 22
                            Layout.preferredWidth: chip.implicitWidth + 16
                            radius: 11
                            color: Theme.surfaceAlt
                            border.color: Theme.border
                            Label {
                                id: chip
                                anchors.centerIn: parent
                                text: parent.modelData
                                font.pixelSize: Theme.fontSmall
                                color: Theme.textSecondary
                            }
                        }
                    }
                    Item { Layout.fillWidth: true }
                    Button {
                        objectName: "arrangeButton"
                        enabled: wfEditor.workflowId.length > 0
                        flat: true
                        text: qsTr("Arrange")
                        icon.source: Theme.icon("workflow-arrange")
                        icon.width: 18
                        icon.height: 18
                        font.pixelSize: Theme.fontBody
                        focusPolicy: Qt.NoFocus
                        ToolTip.visible: hovered
                        ToolTip.delay: 600
                        ToolTip.text: qsTr("Lay the steps out in layers from the trigger")
                        onClicked: {
                            wfEditor.autoArrange()
                            Qt.callLater(canvas.zoomToFit)
                        }
                    }
                    ToolIconButton {
                        iconName: "zoom-fit"
                        tip: qsTr("Zoom to fit")
                        onClicked: canvas.zoomToFit()
                    }
                }
            }

            WorkflowCanvas {
                id: canvas
                editor: wfEditor
                Layout.fillWidth: true
                Layout.fillHeight: true

                // Drop highlight while a palette entry is dragged over the canvas.
                Rectangle {
                    anchors.fill: parent
                    visible: paletteDrag.active && paletteDrag.overCanvas
                    color: "transparent"
                    border.color: Theme.accent
                    border.width: 2
                }
            }
        }

        // ---------------- right: inspector
        WorkflowInspector {
            editor: wfEditor
            Layout.fillHeight: true
            Layout.preferredWidth: 320
        }
    }

    // The palette entry being dragged (follows the pointer; dropped on the canvas).
    Rectangle {
        id: paletteDrag
        property bool active: false
        property bool overCanvas: false
        property string category
        property string itemType
        property string iconSource
        property string typeColor
        property string label
        visible: active
        z: 100
        width: 64
        height: 64
        radius: category === "trigger" ? 32 : 12
        color: Theme.surface
        border.color: Theme.accent
        border.width: 2
        opacity: 0.9
        function begin(item, scene) {
            if (!active) {
                category = item.category
                itemType = item.itemType
                iconSource = item.iconSource
                typeColor = item.typeColor
                label = item.label
                active = true
            }
            const p = page.mapFromItem(null, scene.x, scene.y)
            x = p.x - width / 2
            y = p.y - height / 2
            overCanvas = canvas.containsScenePoint(scene)
        }
        function finish(scene) {
            active = false
            if (canvas.containsScenePoint(scene))
                canvas.dropPaletteItem(category, itemType, scene)
        }
        IconImage {
            anchors.centerIn: parent
            source: paletteDrag.iconSource
            sourceSize: Qt.size(26, 26)
            color: paletteDrag.typeColor
        }
    }
}
