import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Landscape
import Switchboard.Model
import Switchboard.Shell

// Right-hand inspector of the landscape: the selected system (name, kind, colour, entities
// and fields, endpoint profiles) or the selected data flow (entity, mode, label). Every
// change is an undoable edit made by the C++ models; typing merges into one undo step.
Rectangle {
    id: panel
    color: Theme.surface

    readonly property SystemInspector inspector: inspector
    readonly property SchemaTreeModel schemaModel: schemaModel
    readonly property ProfilesModel profilesModel: profilesModel
    readonly property ImportDialog importDialog: importDialog

    SystemInspector { id: inspector; controller: StudioController }
    SchemaTreeModel {
        id: schemaModel
        objectName: "inspectorSchemaModel"
        document: StudioController.document
        systemId: inspector.systemId
    }
    ProfilesModel {
        id: profilesModel
        document: StudioController.document
        systemId: inspector.systemId
    }

    // Selecting an entity or field elsewhere (Ctrl+K, problems) shows it here.
    Connections {
        target: StudioController
        function onSelectionChanged() {
            const ref = StudioController.selectedRef
            if (ref.system === "" || ref.entity === "")
                return
            const entity = ref.entity
            const field = ref.field
            tabs.currentIndex = 0
            Qt.callLater(() => schemaEditor.selectRow(schemaModel.rowOf(entity, field)))
        }
    }

    Rectangle { width: 1; height: parent.height; color: Theme.border }

    // Nothing selected.
    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.spacingXl
        visible: inspector.mode === ""
        spacing: Theme.spacingS
        Image {
            Layout.alignment: Qt.AlignHCenter
            source: Theme.icon("view-landscape")
            sourceSize: Qt.size(40, 40)
            opacity: 0.35
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Nothing selected")
            font.pixelSize: Theme.fontTitle
            font.weight: Font.DemiBold
            color: Theme.textSecondary
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: qsTr("Select a system to edit its entities and endpoints, or a data flow "
                       + "to choose the entity it carries.")
            font.pixelSize: Theme.fontSmall
            color: Theme.textTertiary
        }
    }

    // --- System ---
    ColumnLayout {
        anchors.fill: parent
        anchors.leftMargin: 1
        visible: inspector.mode === "system"
        spacing: 0

        // Identity: kind badge, name, kind, colour.
        ColumnLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.spacingM
            spacing: Theme.spacingS
            RowLayout {
                spacing: Theme.spacingS
                Layout.fillWidth: true
                Rectangle {
                    width: 36; height: 36; radius: 8
                    color: Qt.rgba(0, 0, 0, 0)
                    Rectangle {
                        anchors.fill: parent
                        radius: 8
                        color: inspector.color.length > 0 ? inspector.color : Theme.flowEdge
                        opacity: 0.16
                    }
                    Image {
                        anchors.centerIn: parent
                        source: inspector.kind.length > 0 ? Theme.icon("kind-" + inspector.kind)
                                                          : ""
                        sourceSize: Qt.size(22, 22)
                    }
                }
                TextField {
                    id: nameField
                    objectName: "inspectorName"
                    Layout.fillWidth: true
                    text: inspector.name
                    font.pixelSize: Theme.fontTitle
                    font.weight: Font.DemiBold
                    selectByMouse: true
                    onTextEdited: inspector.setName(text)
                    onEditingFinished: {
                        inspector.endEdit()
                        if (text !== inspector.name)
                            text = inspector.name
                    }
                }
            }
            RowLayout {
                spacing: Theme.spacingM
                Layout.fillWidth: true
                InspectorField {
                    label: qsTr("Kind")
                    Layout.preferredWidth: 140
                    Layout.fillWidth: false
                    ComboBox {
                        objectName: "inspectorKind"
                        model: inspector.kindLabels
                        currentIndex: inspector.kindNames.indexOf(inspector.kind)
                        font.pixelSize: Theme.fontSmall
                        onActivated: (i) => inspector.setKind(inspector.kindNames[i])
                    }
                }
                InspectorField {
                    label: qsTr("Colour")
                    Flow {
                        spacing: 4
                        Repeater {
                            model: inspector.palette
                            delegate: Rectangle {
                                required property string modelData
                                width: 16; height: 16; radius: 8
                                color: modelData
                                border.width: modelData === inspector.color ? 2 : 0
                                border.color: Theme.textPrimary
                                MouseArea {
                                    anchors.fill: parent
                                    cursorShape: Qt.PointingHandCursor
                                    onClicked: inspector.setColor(parent.modelData)
                                }
                            }
                        }
                    }
                }
            }
        }

        TabBar {
            id: tabs
            objectName: "inspectorTabs"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingM
            Layout.rightMargin: Theme.spacingM
            font.pixelSize: Theme.fontSmall
            background: Rectangle {
                color: "transparent"
                Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                            color: Theme.divider }
            }
            Repeater {
                model: [qsTr("Entities (%1)").arg(schemaModel.entityCount),
                        qsTr("Endpoints (%1)").arg(profilesList.count)]
                delegate: TabButton {
                    id: tab
                    required property string modelData
                    text: modelData
                    width: implicitWidth + 16
                    font.pixelSize: Theme.fontSmall
                    font.weight: checked ? Font.DemiBold : Font.Normal
                    contentItem: Label {
                        text: tab.text
                        font: tab.font
                        horizontalAlignment: Text.AlignHCenter
                        color: tab.checked ? Theme.accent : Theme.textSecondary
                    }
                    background: Item {
                        Rectangle {
                            anchors.bottom: parent.bottom
                            width: parent.width
                            height: 2
                            color: tab.checked ? Theme.accent : "transparent"
                        }
                    }
                }
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            SchemaEditor {
                id: schemaEditor
                model: schemaModel
                importEnabled: true
                onImportRequested: importDialog.openFor(inspector.systemId, inspector.name)
            }

            // Endpoint profiles.
            ColumnLayout {
                spacing: 0
                RowLayout {
                    Layout.fillWidth: true
                    Layout.margins: Theme.spacingS
                    spacing: Theme.spacingS
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("Sandbox simulates the system; live profiles call it.")
                        font.pixelSize: Theme.fontCaption
                        color: Theme.textTertiary
                        elide: Text.ElideRight
                    }
                    Button {
                        text: qsTr("Live")
                        icon.source: Theme.icon("plus")
                        icon.width: 14; icon.height: 14
                        font.pixelSize: Theme.fontSmall
                        focusPolicy: Qt.NoFocus
                        onClicked: profilesModel.addProfile(false)
                    }
                    Button {
                        text: qsTr("Sandbox")
                        icon.source: Theme.icon("plus")
                        icon.width: 14; icon.height: 14
                        font.pixelSize: Theme.fontSmall
                        focusPolicy: Qt.NoFocus
                        onClicked: profilesModel.addProfile(true)
                    }
                }
                Rectangle { Layout.fillWidth: true; height: 1; color: Theme.divider }
                ListView {
                    id: profilesList
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: Theme.spacingS
                    topMargin: Theme.spacingS
                    bottomMargin: Theme.spacingS
                    model: profilesModel
                    ScrollBar.vertical: ScrollBar {}
                    delegate: Rectangle {
                        id: card
                        required property int index
                        required property string name
                        required property bool sandbox
                        required property string baseUrl
                        required property string auth
                        required property string secretRef
                        required property real rateLimit
                        required property int timeoutMs
                        required property string secretProblem
                        required property bool secretInKeyring
                        property string keyringError   // why the last store failed
                        x: Theme.spacingS
                        width: ListView.view.width - 2 * Theme.spacingS
                        height: cardColumn.implicitHeight + 2 * Theme.spacingS
                        radius: Theme.radius
                        border.color: Theme.border
                        color: Theme.surface
                        function set(prop, value) { profilesModel.setValue(index, prop, value) }
                        ColumnLayout {
                            id: cardColumn
                            anchors.fill: parent
                            anchors.margins: Theme.spacingS
                            spacing: 6
                            RowLayout {
                                Layout.fillWidth: true
                                TextField {
                                    Layout.fillWidth: true
                                    text: card.name
                                    font.pixelSize: Theme.fontSmall
                                    font.weight: Font.DemiBold
                                    onTextEdited: card.set("name", text)
                                    onEditingFinished: profilesModel.endEdit()
                                }
                                Rectangle {
                                    width: modeText.implicitWidth + 12; height: 20; radius: 10
                                    color: card.sandbox ? Theme.sandboxSoft : Theme.accentSoft
                                    Label {
                                        id: modeText
                                        anchors.centerIn: parent
                                        text: card.sandbox ? qsTr("sandbox") : qsTr("live")
                                        font.pixelSize: Theme.fontCaption
                                        color: card.sandbox ? Theme.sandboxInk : Theme.accent
                                    }
                                }
                                Switch {
                                    checked: !card.sandbox
                                    focusPolicy: Qt.NoFocus
                                    ToolTip.visible: hovered
                                    ToolTip.text: qsTr("Live endpoint")
                                    onToggled: card.set("sandbox", !checked)
                                }
                                ToolButton {
                                    icon.source: Theme.icon("trash")
                                    icon.width: 14; icon.height: 14
                                    implicitWidth: 24; implicitHeight: 24
                                    focusPolicy: Qt.NoFocus
                                    onClicked: profilesModel.removeProfile(card.index)
                                }
                            }
                            InspectorField {
                                visible: !card.sandbox
                                label: qsTr("Base URL")
                                TextField {
                                    text: card.baseUrl
                                    font.pixelSize: Theme.fontSmall
                                    placeholderText: "https://api.example.com/v1"
                                    onTextEdited: card.set("baseUrl", text)
                                    onEditingFinished: profilesModel.endEdit()
                                }
                            }
                            RowLayout {
                                visible: !card.sandbox
                                spacing: Theme.spacingS
                                InspectorField {
                                    label: qsTr("Auth")
                                    Layout.preferredWidth: 110
                                    Layout.fillWidth: false
                                    ComboBox {
                                        model: profilesModel.authTypes
                                        currentIndex: model.indexOf(card.auth)
                                        font.pixelSize: Theme.fontSmall
                                        onActivated: (i) => card.set("auth", model[i])
                                    }
                                }
                                InspectorField {
                                    label: qsTr("Secret reference")
                                    TextField {
                                        text: card.secretRef
                                        font.pixelSize: Theme.fontSmall
                                        font.family: "monospace"
                                        placeholderText: "env:CRM_TOKEN"
                                        onTextEdited: card.set("secretRef", text)
                                        onEditingFinished: profilesModel.endEdit()
                                    }
                                }
                            }
                            // The secret itself goes to the OS keyring; the profile keeps
                            // only the keyring: reference.
                            RowLayout {
                                visible: !card.sandbox
                                spacing: Theme.spacingS
                                InspectorField {
                                    label: qsTr("Secret")
                                    hint: card.secretInKeyring
                                          ? qsTr("In the system keyring; type a new one to replace it.")
                                          : qsTr("Stored in the system keyring, never in the project.")
                                    TextField {
                                        id: secretField
                                        objectName: "profileSecretField"
                                        echoMode: TextInput.Password
                                        font.pixelSize: Theme.fontSmall
                                        placeholderText: card.secretInKeyring
                                                         ? "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022"
                                                         : qsTr("token or password")
                                        onAccepted: storeButton.clicked()
                                    }
                                }
                                Button {
                                    id: storeButton
                                    objectName: "storeSecretButton"
                                    Layout.alignment: Qt.AlignTop
                                    Layout.topMargin: 18
                                    text: qsTr("Store")
                                    enabled: secretField.text.length > 0
                                    onClicked: {
                                        card.keyringError = profilesModel.storeSecret(
                                            card.index, secretField.text)
                                        if (card.keyringError.length === 0)
                                            secretField.clear()
                                    }
                                }
                            }
                            Label {
                                visible: !card.sandbox && card.keyringError.length > 0
                                Layout.fillWidth: true
                                text: card.keyringError
                                wrapMode: Text.Wrap
                                font.pixelSize: Theme.fontCaption
                                color: Theme.error
                            }
                            RowLayout {
                                visible: !card.sandbox
                                spacing: Theme.spacingS
                                InspectorField {
                                    label: qsTr("Rate limit /s")
                                    TextField {
                                        text: card.rateLimit > 0 ? String(card.rateLimit) : ""
                                        placeholderText: qsTr("unlimited")
                                        font.pixelSize: Theme.fontSmall
                                        validator: DoubleValidator { bottom: 0 }
                                        onTextEdited: card.set("rateLimit", text)
                                        onEditingFinished: profilesModel.endEdit()
                                    }
                                }
                                InspectorField {
                                    label: qsTr("Timeout ms")
                                    TextField {
                                        text: card.timeoutMs > 0 ? String(card.timeoutMs) : ""
                                        placeholderText: qsTr("default")
                                        font.pixelSize: Theme.fontSmall
                                        validator: IntValidator { bottom: 0 }
                                        onTextEdited: card.set("timeoutMs", text)
                                        onEditingFinished: profilesModel.endEdit()
                                    }
                                }
                            }
                            Label {
                                visible: card.secretProblem.length > 0
                                Layout.fillWidth: true
                                text: card.secretProblem
                                wrapMode: Text.Wrap
                                font.pixelSize: Theme.fontCaption
                                color: Theme.error
                            }
                        }
                    }
                }
            }
        }
    }

    // --- Data flow ---
    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingM
        visible: inspector.mode === "flow"
        spacing: Theme.spacingM

        Label {
            text: qsTr("Data flow")
            font.pixelSize: Theme.fontCaption
            font.weight: Font.DemiBold
            font.capitalization: Font.AllUppercase
            color: Theme.textTertiary
        }
        RowLayout {
            spacing: Theme.spacingS
            Layout.fillWidth: true
            Label {
                text: inspector.flowFromName
                font.pixelSize: Theme.fontTitle
                font.weight: Font.DemiBold
                color: Theme.textPrimary
            }
            Image { source: Theme.icon("arrow-right"); sourceSize: Qt.size(18, 18) }
            Label {
                text: inspector.flowToName
                elide: Text.ElideRight
                font.pixelSize: Theme.fontTitle
                font.weight: Font.DemiBold
                color: Theme.textPrimary
                Layout.fillWidth: true
            }
            ToolIconButton {
                iconName: "swap"
                tip: qsTr("Reverse direction")
                onClicked: inspector.reverseFlow()
            }
        }
        InspectorField {
            label: qsTr("Canonical entity carried")
            hint: inspector.canonicalEntities.length === 0
                  ? qsTr("Define canonical entities in the Model view first.") : ""
            ComboBox {
                objectName: "flowEntity"
                model: [""].concat(inspector.canonicalEntities)
                displayText: currentIndex > 0 ? currentText : qsTr("Choose an entity\u2026")
                currentIndex: Math.max(0, model.indexOf(inspector.flowEntity))
                onActivated: (i) => inspector.setFlowValue("entity", model[i])
            }
        }
        InspectorField {
            label: qsTr("Mode")
            ComboBox {
                model: inspector.flowModes
                currentIndex: model.indexOf(inspector.flowMode)
                onActivated: (i) => inspector.setFlowValue("mode", model[i])
            }
        }
        InspectorField {
            label: qsTr("Label")
            TextField {
                text: inspector.flowLabel
                placeholderText: inspector.flowEntity
                onTextEdited: inspector.setFlowValue("label", text)
                onEditingFinished: inspector.endEdit()
            }
        }
        InspectorField {
            label: qsTr("Mapping")
            ComboBox {
                objectName: "flowMapping"
                // Shown by name, chosen by id.
                model: [{ value: "", text: qsTr("None") }].concat(inspector.mappingChoices)
                textRole: "text"
                valueRole: "value"
                currentIndex: Math.max(0, indexOfValue(inspector.flowMapping))
                onActivated: (i) => inspector.setFlowValue("mapping", model[i].value)
            }
        }
        InspectorField {
            label: qsTr("Workflow")
            ComboBox {
                objectName: "flowWorkflow"
                model: [{ value: "", text: qsTr("None") }].concat(inspector.workflowChoices)
                textRole: "text"
                valueRole: "value"
                currentIndex: Math.max(0, indexOfValue(inspector.flowWorkflow))
                onActivated: (i) => inspector.setFlowValue("workflow", model[i].value)
            }
        }
        CheckBox {
            text: qsTr("Loop guard (do not echo changes back)")
            checked: inspector.flowLoopGuard
            onToggled: inspector.setFlowValue("loopGuard", checked)
        }
        Button {
            text: qsTr("Delete data flow")
            icon.source: Theme.icon("trash")
            icon.width: 14; icon.height: 14
            onClicked: if (panel.parent && panel.parent.requestDelete)
                           panel.parent.requestDelete()
        }
        Item { Layout.fillHeight: true }
    }

    ImportDialog {
        id: importDialog
        objectName: "importDialog"
    }
}
