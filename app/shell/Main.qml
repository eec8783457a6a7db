import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Landscape
import Switchboard.Mappings
import Switchboard.Model
import Switchboard.Ownership
import Switchboard.Run
import Switchboard.Shell
import Switchboard.Workflows

// The studio window: menus, toolbar, start page or landscape + problems panel, status bar.
// It forwards intent to StudioController and asks before unsaved changes would be lost.
ApplicationWindow {
    id: window
    objectName: "studioWindow"
    width: 1440
    height: 900
    minimumWidth: 960
    minimumHeight: 600
    visible: true
    title: StudioController.windowTitle
    color: Theme.windowBackground
    font.pixelSize: Theme.fontBody

    property var pendingAction: null   // runs after the unsaved-changes question
    property var afterSave: null       // runs after a Save As chosen from that question
    property bool closeConfirmed: false

    // Runs `action` now, or after Save / Discard when the project has unsaved changes.
    function confirmDiscard(action) {
        if (!StudioController.hasProject || !StudioController.modified) {
            action()
            return
        }
        pendingAction = action
        unsavedDialog.open()
    }
    function saveThen(action) {
        if (StudioController.fileName.length === 0) {
            afterSave = action
            saveDialog.open()
        } else if (StudioController.save() && action) {
            action()
        }
    }
    // The canvas the View menu's zoom acts on: the workflow canvas on its page.
    function zoomTarget() {
        return StudioController.currentView === StudioController.Workflows ? workflowsPage.canvas
                                                                           : canvas
    }
    function openProjectDialog() { confirmDiscard(() => openDialog.open()) }
    function saveProjectAs() { afterSave = null; saveDialog.open() }

    onClosing: (close) => {
        if (closeConfirmed || !StudioController.hasProject || !StudioController.modified)
            return
        close.accepted = false
        confirmDiscard(() => { window.closeConfirmed = true; window.close() })
    }

    // Actions (shared by menus and toolbar).
    Action {
        id: newAction; text: qsTr("&New Project"); shortcut: "Ctrl+N"
        onTriggered: window.confirmDiscard(() => StudioController.newProject())
    }
    Action {
        id: openAction; text: qsTr("&Open\u2026"); shortcut: "Ctrl+O"
        onTriggered: window.openProjectDialog()
    }
    Action {
        id: saveAction; text: qsTr("&Save"); shortcut: "Ctrl+S"
        enabled: StudioController.hasProject
        onTriggered: window.saveThen(null)
    }
    Action {
        id: saveAsAction; text: qsTr("Save &As\u2026"); shortcut: "Ctrl+Shift+S"
        enabled: StudioController.hasProject
        onTriggered: window.saveProjectAs()
    }
    Action {
        id: exportAction; text: qsTr("&Export Bundle\u2026"); shortcut: "Ctrl+E"
        enabled: StudioController.hasProject
        onTriggered: exportDialog.open()
    }
    Action {
        id: closeAction; text: qsTr("&Close Project"); shortcut: "Ctrl+W"
        enabled: StudioController.hasProject
        onTriggered: window.confirmDiscard(() => StudioController.closeProject())
    }
    Action {
        id: quitAction; text: qsTr("&Quit"); shortcut: "Ctrl+Q"
        onTriggered: window.close()
    }
    Action {
        id: undoAction
        text: StudioController.undoText.length > 0 ? qsTr("&Undo %1").arg(StudioController.undoText)
                                                   : qsTr("&Undo")
        shortcut: "Ctrl+Z"
        enabled: StudioController.canUndo
        onTriggered: StudioController.undo()
    }
    Action {
        id: redoAction
        text: StudioController.redoText.length > 0 ? qsTr("&Redo %1").arg(StudioController.redoText)
                                                   : qsTr("&Redo")
        shortcut: "Ctrl+Shift+Z"
        enabled: StudioController.canRedo
        onTriggered: StudioController.redo()
    }
    Action {
        id: zoomInAction; text: qsTr("Zoom &In"); shortcut: "Ctrl+="
        enabled: StudioController.hasProject
        onTriggered: window.zoomTarget().zoomIn()
    }
    Action {
        id: zoomOutAction; text: qsTr("Zoom &Out"); shortcut: "Ctrl+-"
        enabled: StudioController.hasProject
        onTriggered: window.zoomTarget().zoomOut()
    }
    Action {
        id: fitAction; text: qsTr("Zoom to &Fit"); shortcut: "Ctrl+0"
        enabled: StudioController.hasProject
        onTriggered: window.zoomTarget().zoomToFit()
    }
    Action {
        id: problemsAction; text: qsTr("&Problems Panel"); shortcut: "Ctrl+Shift+M"
        checkable: true; checked: true
        enabled: StudioController.hasProject
    }
    // Landscape editing, import, quick open.
    readonly property bool landscapeShown:
        StudioController.hasProject && StudioController.currentView === StudioController.Landscape
    function showLandscape() { StudioController.currentView = StudioController.Landscape }
    Action {
        id: addSystemAction; text: qsTr("Add &System\u2026"); shortcut: "Ctrl+Shift+N"
        enabled: StudioController.hasProject
        onTriggered: { window.showLandscape(); Qt.callLater(canvas.openAddMenu) }
    }
    Action {
        id: renameAction; text: qsTr("Re&name"); shortcut: "F2"
        enabled: window.landscapeShown && StudioController.selectedSystem.length > 0
        onTriggered: canvas.renameSelected()
    }
    Action {
        id: deleteAction; text: qsTr("&Delete"); shortcut: "Del"
        enabled: window.landscapeShown && canvas.renamingId.length === 0
                 && (canvas.editor.selection.length > 0
                     || StudioController.selectedRef.kind === ElementRef.Flow)
        onTriggered: canvas.requestDelete()
    }
    Action {
        id: findUsagesAction; text: qsTr("Find &Usages"); shortcut: "Shift+F12"
        enabled: StudioController.hasProject
                 && elementUsages.target(StudioController.selectedElement).length > 0
        onTriggered: window.findUsages(StudioController.selectedElement)
    }
    Action {
        id: renameIdAction; text: qsTr("Rename &Id\u2026"); shortcut: "Shift+F2"
        enabled: findUsagesAction.enabled
        onTriggered: renameIdDialog.openFor(StudioController.selectedElement)
    }
    function findUsages(element) {
        const target = elementUsages.target(element)
        usagesDialog.usages = elementUsages.usagesOf(target)
        usagesDialog.title = qsTr("Usages of %1").arg(elementUsages.label(target))
        const n = usagesDialog.usages.length
        usagesDialog.message = n === 0 ? qsTr("Nothing refers to it.")
                             : n === 1 ? qsTr("1 reference. Click it to go there.")
                                       : qsTr("%1 references. Click one to go there.").arg(n)
        usagesDialog.open()
    }
    Action {
        id: selectAllAction; text: qsTr("Select &All"); shortcut: "Ctrl+A"
        enabled: window.landscapeShown
        onTriggered: canvas.editor.selectAll()
    }
    Action {
        id: importAction; text: qsTr("&Import Schemas\u2026"); shortcut: "Ctrl+I"
        enabled: StudioController.hasProject && StudioController.selectedSystem.length > 0
        onTriggered: {
            window.showLandscape()
            canvas.inspector.importDialog.openFor(StudioController.selectedSystem,
                                                  canvas.inspector.inspector.name)
        }
    }
    Action {
        id: quickOpenAction; text: qsTr("&Go to\u2026"); shortcut: "Ctrl+K"
        enabled: StudioController.hasProject
        onTriggered: quickOpen.show()
    }
    Action {
        id: autoLayoutAction; text: qsTr("&Arrange Automatically"); shortcut: "Ctrl+Shift+L"
        enabled: StudioController.hasProject && StudioController.systemCount > 1
        onTriggered: {
            window.showLandscape()
            canvas.editor.autoLayout()
            Qt.callLater(canvas.zoomToFit)
        }
    }
    Action {
        id: snapAction; text: qsTr("S&nap to Grid"); shortcut: "Ctrl+Shift+G"
        checkable: true
        checked: canvas.editor.snapToGrid
        enabled: StudioController.hasProject
        onTriggered: canvas.editor.snapToGrid = checked
    }

    ActionGroup { id: themeGroup }

    // Alternative keys people expect: Ctrl++ for zoom in, Ctrl+Y for redo.
    Shortcut { sequence: "Ctrl++"; enabled: StudioController.hasProject
               onActivated: window.zoomTarget().zoomIn() }
    Shortcut { sequence: "Ctrl+Y"; enabled: StudioController.canRedo
               onActivated: StudioController.redo() }

    menuBar: MenuBar {
        font.pixelSize: Theme.fontBody
        Menu {
            title: qsTr("&File")
            width: 300   // room for long undo texts beside their shortcuts
            delegate: StudioMenuItem {}
            StudioMenuItem { action: newAction }
            StudioMenuItem { action: openAction }
            Menu {
                id: recentMenu
                title: qsTr("Open &Recent")
                enabled: StudioController.recentProjects.count > 0
                delegate: StudioMenuItem {}
                Instantiator {
                    model: StudioController.recentProjects
                    delegate: StudioMenuItem {
                        required property string path
                        required property string name
                        text: name
                        onTriggered: window.confirmDiscard(
                                         () => StudioController.openProject(path))
                    }
                    onObjectAdded: (index, object) => recentMenu.insertItem(index, object)
                    onObjectRemoved: (index, object) => recentMenu.removeItem(object)
                }
            }
            MenuSeparator {}
            StudioMenuItem { action: saveAction }
            StudioMenuItem { action: saveAsAction }
            MenuSeparator {}
            StudioMenuItem { action: exportAction }
            MenuSeparator {}
            StudioMenuItem { action: closeAction }
            StudioMenuItem { action: quitAction }
        }
        Menu {
            title: qsTr("&Edit")
            width: 300   // room for long undo texts beside their shortcuts
            delegate: StudioMenuItem {}
            StudioMenuItem { action: undoAction }
            StudioMenuItem { action: redoAction }
            MenuSeparator {}
            StudioMenuItem { action: addSystemAction }
            StudioMenuItem { action: renameAction }
            StudioMenuItem { action: deleteAction }
            StudioMenuItem { action: selectAllAction }
            MenuSeparator {}
            StudioMenuItem { action: findUsagesAction }
            StudioMenuItem { action: renameIdAction }
            MenuSeparator {}
            StudioMenuItem { action: importAction }
            StudioMenuItem { action: quickOpenAction }
        }
        Menu {
            id: viewMenu
            title: qsTr("&View")
            width: 300   // room for long undo texts beside their shortcuts
            delegate: StudioMenuItem {}
            StudioMenuItem { action: zoomInAction }
            StudioMenuItem { action: zoomOutAction }
            StudioMenuItem { action: fitAction }
            MenuSeparator {}
            Instantiator {
                model: modeBar.modes
                delegate: StudioMenuItem {
                    required property var modelData
                    required property int index
                    text: modelData.title
                    action: Action {
                        text: modelData.title
                        shortcut: "Ctrl+" + (index + 1)
                        enabled: StudioController.hasProject
                        checkable: true
                        checked: StudioController.currentView === modelData.view
                        onTriggered: StudioController.currentView = modelData.view
                    }
                }
                onObjectAdded: (index, object) => viewMenu.insertItem(index + 4, object)
                onObjectRemoved: (index, object) => viewMenu.removeItem(object)
            }
            MenuSeparator {}
            StudioMenuItem { action: problemsAction }
            MenuSeparator {}
            StudioMenuItem { action: autoLayoutAction }
            StudioMenuItem { action: snapAction }
            MenuSeparator {}
            // The palette: the system's, or light or dark whatever it is (remembered).
            Menu {
                id: themeMenu
                objectName: "themeMenu"
                title: qsTr("&Theme")
                delegate: StudioMenuItem {}
                StudioMenuItem {
                    objectName: "themeSystem"
                    action: Action {
                        text: qsTr("&System"); checkable: true
                        checked: Appearance.mode === Appearance.System
                        ActionGroup.group: themeGroup
                        onTriggered: Appearance.mode = Appearance.System
                    }
                }
                StudioMenuItem {
                    objectName: "themeLight"
                    action: Action {
                        text: qsTr("&Light"); checkable: true
                        checked: Appearance.mode === Appearance.Light
                        ActionGroup.group: themeGroup
                        onTriggered: Appearance.mode = Appearance.Light
                    }
                }
                StudioMenuItem {
                    objectName: "themeDark"
                    action: Action {
                        text: qsTr("&Dark"); checkable: true
                        checked: Appearance.mode === Appearance.Dark
                        ActionGroup.group: themeGroup
                        onTriggered: Appearance.mode = Appearance.Dark
                    }
                }
            }
        }
    }

    header: ToolBar {
        visible: StudioController.hasProject
        padding: Theme.spacingXs
        leftPadding: Theme.spacingS
        rightPadding: Theme.spacingM
        background: Rectangle {
            color: Theme.surface
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                        color: Theme.border }
        }
        RowLayout {
            anchors.fill: parent
            spacing: 2
            ToolIconButton { iconName: "new"; tip: qsTr("New project (Ctrl+N)")
                             onClicked: newAction.trigger() }
            ToolIconButton { iconName: "open"; tip: qsTr("Open (Ctrl+O)")
                             onClicked: openAction.trigger() }
            ToolIconButton { iconName: "save"; tip: qsTr("Save (Ctrl+S)")
                             enabled: saveAction.enabled; onClicked: saveAction.trigger() }
            ToolSeparator {}
            ToolIconButton { iconName: "undo"; tip: undoAction.text.replace("&", "") + " (Ctrl+Z)"
                             enabled: undoAction.enabled; onClicked: undoAction.trigger() }
            ToolIconButton { iconName: "redo"
                             tip: redoAction.text.replace("&", "") + " (Ctrl+Shift+Z)"
                             enabled: redoAction.enabled; onClicked: redoAction.trigger() }
            ToolSeparator {}
            ToolIconButton { iconName: "zoom-out"; tip: qsTr("Zoom out (Ctrl+-)")
                             enabled: zoomOutAction.enabled; onClicked: zoomOutAction.trigger() }
            ToolIconButton { iconName: "zoom-in"; tip: qsTr("Zoom in (Ctrl+=)")
                             enabled: zoomInAction.enabled; onClicked: zoomInAction.trigger() }
            ToolIconButton { iconName: "zoom-fit"; tip: qsTr("Zoom to fit (Ctrl+0)")
                             enabled: fitAction.enabled; onClicked: fitAction.trigger() }
            ToolSeparator {}
            ToolIconButton { iconName: "plus"; tip: qsTr("Add system (Ctrl+Shift+N)")
                             enabled: addSystemAction.enabled
                             onClicked: addSystemAction.trigger() }
            ToolIconButton { iconName: "auto-layout"
                             tip: qsTr("Arrange automatically (Ctrl+Shift+L)")
                             enabled: autoLayoutAction.enabled
                             onClicked: autoLayoutAction.trigger() }
            ToolIconButton { iconName: "import-schema"; tip: qsTr("Import schemas (Ctrl+I)")
                             enabled: importAction.enabled; onClicked: importAction.trigger() }
            Item { Layout.preferredWidth: Theme.spacingM }
            // Quick open, styled as a search box.
            Rectangle {
                objectName: "quickOpenBox"
                Layout.preferredWidth: 280
                Layout.preferredHeight: 30
                radius: Theme.radius
                color: quickBoxArea.containsMouse ? Theme.hover : Theme.surfaceAlt
                border.color: Theme.border
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacingS
                    anchors.rightMargin: Theme.spacingS
                    spacing: Theme.spacingS
                    Image { source: Theme.icon("find"); sourceSize: Qt.size(16, 16)
                            opacity: 0.6 }
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("Go to system, entity, mapping\u2026")
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textTertiary
                        elide: Text.ElideRight
                    }
                    Label {
                        text: "Ctrl+K"
                        font.pixelSize: Theme.fontCaption
                        color: Theme.textTertiary
                    }
                }
                MouseArea {
                    id: quickBoxArea
                    anchors.fill: parent
                    hoverEnabled: true
                    cursorShape: Qt.PointingHandCursor
                    onClicked: quickOpenAction.trigger()
                }
            }
            Item { Layout.fillWidth: true }
            Label {
                id: projectTitle
                objectName: "projectTitle"
                visible: !projectNameField.visible
                text: StudioController.projectName.length > 0 ? StudioController.projectName
                                                               : StudioController.displayName
                font.pixelSize: Theme.fontTitle
                font.weight: Font.DemiBold
                color: Theme.textPrimary
                elide: Text.ElideRight
                Layout.maximumWidth: 480
                ToolTip.visible: titleArea.containsMouse && StudioController.hasProject
                ToolTip.text: qsTr("Double-click to rename the project")
                ToolTip.delay: 600
                MouseArea {
                    id: titleArea
                    anchors.fill: parent
                    hoverEnabled: true
                    enabled: StudioController.hasProject
                    onDoubleClicked: {
                        projectNameField.text = StudioController.projectName
                        projectNameField.visible = true
                        projectNameField.forceActiveFocus()
                        projectNameField.selectAll()
                    }
                }
            }
            // Inline rename of the project; Enter or leaving the field keeps it, Esc cancels.
            TextField {
                id: projectNameField
                objectName: "projectNameField"
                visible: false
                font.pixelSize: Theme.fontTitle
                Layout.preferredWidth: 320
                function finish(keep) {
                    if (!visible)
                        return
                    visible = false
                    if (keep)
                        StudioController.setProjectName(text)
                }
                onAccepted: finish(true)
                onActiveFocusChanged: if (!activeFocus) finish(true)
                Keys.onEscapePressed: finish(false)
            }
            Label {
                text: StudioController.modified ? qsTr("Edited") : ""
                visible: text.length > 0
                font.pixelSize: Theme.fontSmall
                color: Theme.textTertiary
                Layout.leftMargin: Theme.spacingS
            }
        }
    }

    footer: StudioStatusBar {}

    StackLayout {
        anchors.fill: parent
        currentIndex: StudioController.hasProject ? 1 : 0

        StartPage {
            onNewRequested: newAction.trigger()
            onOpenRequested: openAction.trigger()
            onRecentRequested: (path) => StudioController.openProject(path)
            onTemplateRequested: (path) => StudioController.openTemplate(path)
        }

        RowLayout {
            spacing: 0
            ModeBar {
                id: modeBar
                Layout.fillHeight: true
            }
            SplitView {
                Layout.fillWidth: true
                Layout.fillHeight: true
                orientation: Qt.Vertical
                handle: Rectangle {
                    implicitHeight: 4
                    color: SplitHandle.pressed || SplitHandle.hovered ? Theme.accentSoft
                                                                      : "transparent"
                }
                // One page per view, in the order of StudioController.View; each page file
                // belongs to its editor.
                StackLayout {
                    id: views
                    SplitView.fillHeight: true
                    SplitView.minimumHeight: 200
                    currentIndex: StudioController.currentView
                    LandscapeCanvas { id: canvas }
                    CanonicalModelPage { id: modelPage }
                    OwnershipPage { id: ownershipPage }
                    MappingsPage { id: mappingsPage }
                    WorkflowsPage { id: workflowsPage }
                    RunPage { id: runPage }
                }
                ProblemsPanel {
                    id: problems
                    visible: problemsAction.checked
                    // An empty panel keeps to its header and one line.
                    SplitView.preferredHeight: StudioController.errorCount
                                               + StudioController.warningCount
                                               + StudioController.infoCount > 0 ? 200 : 72
                    SplitView.minimumHeight: 72
                }
            }
        }
    }

    Connections {
        target: StudioController
        function onProjectOpened() {
            canvas.autoFit = true
            Qt.callLater(canvas.fitIfAuto)
        }
        function onErrorOccurred(title, message) {
            errorDialog.title = title
            errorDialog.details = message
            errorDialog.open()
        }
    }

    ChoiceDialog {
        id: unsavedDialog
        objectName: "unsavedDialog"
        title: qsTr("Save changes to \u201c%1\u201d?").arg(StudioController.displayName)
        message: qsTr("Your changes will be lost if you don\u2019t save them.")
        acceptText: qsTr("Save")
        discardText: qsTr("Discard")
        cancelText: qsTr("Cancel")
        onChosen: (choice) => {
            const action = window.pendingAction
            window.pendingAction = null
            if (choice === "accept")
                window.saveThen(action)
            else if (choice === "discard" && action)
                action()
        }
    }

    ExportDialog { id: exportDialog }

    UsagesDialog {
        id: usagesDialog
        objectName: "usagesDialog"
        onUsageActivated: (element) => elementUsages.reveal(element)
    }
    RenameIdDialog { id: renameIdDialog; usages: elementUsages }
    ElementUsages {
        id: elementUsages
        objectName: "elementUsages"
        controller: StudioController
    }

    ChoiceDialog {
        id: errorDialog
        objectName: "errorDialog"
        iconName: "error"
        acceptText: qsTr("OK")
    }

    FileDialog {
        id: openDialog
        title: qsTr("Open Project")
        fileMode: FileDialog.OpenFile
        nameFilters: [qsTr("Switchboard projects (*.switchboard)"), qsTr("All files (*)")]
        onAccepted: StudioController.openProject(selectedFile.toString())
    }

    FileDialog {
        id: saveDialog
        title: qsTr("Save Project As")
        fileMode: FileDialog.SaveFile
        acceptLabel: qsTr("Save")
        defaultSuffix: "switchboard"
        nameFilters: [qsTr("Switchboard projects (*.switchboard)")]
        onAccepted: {
            if (StudioController.saveAs(selectedFile.toString()) && window.afterSave)
                window.afterSave()
            window.afterSave = null
        }
        onRejected: window.afterSave = null
    }

    // Autosave to a side file and recovery after a crash.
    Autosave {
        id: autosave
        objectName: "autosave"
        controller: StudioController
        onRecoveryOffered: recoveryDialog.open()
    }
    ChoiceDialog {
        id: recoveryDialog
        objectName: "recoveryDialog"
        iconName: "info"
        title: qsTr("Recover unsaved changes?")
        message: qsTr("Switchboard found changes to \u201c%1\u201d that were autosaved on %2 "
                      + "but never saved. Recover them? (Undo reverts the recovery.)")
                 .arg(StudioController.displayName).arg(autosave.pendingTime)
        acceptText: qsTr("Recover")
        discardText: qsTr("Discard")
        onChosen: (choice) => {
            if (choice === "accept")
                autosave.recover()
            else
                autosave.discardRecovery()
        }
    }
    Component.onCompleted: if (!StudioController.hasProject) autosave.checkForRecovery()

    QuickOpen {
        id: quickOpen
        objectName: "quickOpen"
    }
}
