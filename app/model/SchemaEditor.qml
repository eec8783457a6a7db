import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Model

// Entities and their fields (SchemaTreeModel): a filterable tree with inline name, type and
// required editors, and a detail pane for the current row (format, enum values, description,
// key). Used by the system inspector and the canonical model page (showLinks: the system
// fields that map to each canonical field).
ColumnLayout {
    id: editor
    property SchemaTreeModel model
    property bool showLinks: false
    property bool importEnabled: false
    property int currentRow: -1
    readonly property var current: currentRow >= 0 && list.currentItem ? list.currentItem : null
    signal importRequested()
    spacing: 0

    function selectRow(row) {
        currentRow = row
        list.currentIndex = row
        if (row >= 0)
            list.positionViewAtIndex(row, ListView.Contain)
    }

    // Toolbar: filter, add entity, import.
    RowLayout {
        Layout.fillWidth: true
        Layout.margins: Theme.spacingS
        spacing: Theme.spacingS
        TextField {
            id: filterField
            objectName: "schemaFilter"
            Layout.fillWidth: true
            placeholderText: qsTr("Filter entities and fields")
            font.pixelSize: Theme.fontSmall
            leftPadding: 28
            text: editor.model ? editor.model.filter : ""
            onTextEdited: editor.model.filter = text
            Image {
                x: 8
                anchors.verticalCenter: parent.verticalCenter
                source: Theme.icon("find")
                sourceSize: Qt.size(14, 14)
                opacity: 0.6
            }
        }
        Button {
            objectName: "addEntityButton"
            text: qsTr("Entity")
            icon.source: Theme.icon("plus")
            icon.width: 14
            icon.height: 14
            font.pixelSize: Theme.fontSmall
            focusPolicy: Qt.NoFocus
            onClicked: {
                const at = editor.model.addEntity("")
                if (at >= 0)
                    editor.selectRow(editor.model.entityRow(at))
            }
        }
        Button {
            objectName: "importButton"
            visible: editor.importEnabled
            text: qsTr("Import\u2026")
            icon.source: Theme.icon("import-schema")
            icon.width: 14
            icon.height: 14
            font.pixelSize: Theme.fontSmall
            focusPolicy: Qt.NoFocus
            onClicked: editor.importRequested()
        }
    }

    Rectangle { Layout.fillWidth: true; height: 1; color: Theme.divider }

    ListView {
        id: list
        objectName: "schemaList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: editor.model
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {}
        currentIndex: editor.currentRow
        onCurrentIndexChanged: editor.currentRow = currentIndex

        delegate: Rectangle {
            id: row
            required property int index
            required property string rowKind
            required property int depth
            required property int entityIndex
            required property string fieldPath
            required property string name
            required property string fieldType
            required property bool required
            required property string format
            required property string enumValues
            required property string description
            required property bool isKey
            required property bool expanded
            required property int childCount
            required property bool hasChildren
            required property var links
            required property string itemType
            required property int maxLength
            required property string canonicalLink
            readonly property bool isEntity: rowKind === "entity"
            readonly property bool isCurrent: ListView.isCurrentItem

            width: ListView.view.width
            height: isEntity ? 36 : (editor.showLinks && links.length > 0 ? 48 : 30)
            color: isCurrent ? Theme.accentSoft : rowHover.hovered ? Theme.hover
                   : isEntity ? Theme.surfaceAlt : Theme.surface

            HoverHandler { id: rowHover }
            TapHandler { onTapped: editor.selectRow(row.index) }

            Rectangle {
                visible: row.isEntity && row.index > 0
                width: parent.width; height: 1; color: Theme.divider
            }

            RowLayout {
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.top: parent.top
                height: row.isEntity ? 36 : 30
                anchors.leftMargin: row.isEntity ? 4 : 12 + row.depth * 14
                anchors.rightMargin: Theme.spacingS
                spacing: 4

                ToolButton {
                    visible: row.isEntity
                    implicitWidth: 22
                    implicitHeight: 22
                    padding: 3
                    icon.source: Theme.icon(row.expanded ? "chevron-down" : "chevron-right")
                    icon.width: 14
                    icon.height: 14
                    focusPolicy: Qt.NoFocus
                    onClicked: editor.model.toggleExpanded(row.entityIndex)
                    background: Item {}
                }
                Rectangle {
                    visible: !row.isEntity
                    width: 6; height: 6; radius: 3
                    color: row.isKey ? Theme.warning : row.required ? Theme.accent
                                                                     : Theme.borderStrong
                }
                TextField {
                    id: nameField
                    objectName: row.isEntity ? "entityName_" + row.name : "fieldName_" + row.name
                    Layout.fillWidth: true
                    Layout.preferredHeight: 24
                    text: row.name
                    padding: 2
                    leftPadding: 4
                    font.pixelSize: row.isEntity ? Theme.fontBody : Theme.fontSmall
                    font.weight: row.isEntity ? Font.DemiBold : Font.Normal
                    font.family: row.isEntity ? Qt.application.font.family : "monospace"
                    color: Theme.textPrimary
                    selectByMouse: true
                    background: Rectangle {
                        color: nameField.activeFocus ? Theme.surface : "transparent"
                        border.color: nameField.activeFocus ? Theme.accent
                                      : nameField.hovered ? Theme.border : "transparent"
                        radius: 3
                    }
                    onActiveFocusChanged: if (activeFocus) editor.selectRow(row.index)
                    onTextEdited: {
                        if (row.isEntity)
                            editor.model.renameEntity(row.entityIndex, text)
                        else
                            editor.model.setFieldName(row.entityIndex, row.fieldPath, text)
                    }
                    onEditingFinished: {
                        editor.model.endEdit()
                        if (text !== row.name)   // a refused name: back to the row's, bound
                            text = Qt.binding(() => row.name)
                    }
                }
                Label {
                    visible: row.isEntity
                    text: Theme.plural(row.childCount, qsTr("field"), qsTr("fields"))
                    font.pixelSize: Theme.fontCaption
                    color: Theme.textTertiary
                }
                Image {
                    visible: row.isKey
                    source: Theme.icon("key")
                    sourceSize: Qt.size(14, 14)
                    ToolTip.visible: keyHover.hovered
                    ToolTip.text: qsTr("Key field")
                    HoverHandler { id: keyHover }
                }
                ComboBox {
                    id: typeBox
                    visible: !row.isEntity
                    Layout.preferredWidth: 92
                    Layout.preferredHeight: 24
                    font.pixelSize: Theme.fontCaption
                    model: editor.model ? editor.model.fieldTypes : []
                    currentIndex: model.indexOf(row.fieldType)
                    focusPolicy: Qt.NoFocus
                    onActivated: (i) => editor.model.setFieldType(row.entityIndex, row.fieldPath,
                                                                  model[i])
                }
                CheckBox {
                    visible: !row.isEntity
                    checked: row.required
                    text: qsTr("Req")
                    font.pixelSize: Theme.fontCaption
                    padding: 0
                    focusPolicy: Qt.NoFocus
                    ToolTip.visible: hovered
                    ToolTip.delay: 500
                    ToolTip.text: qsTr("Required")
                    onToggled: editor.model.setFieldRequired(row.entityIndex, row.fieldPath,
                                                             checked)
                }
                ToolButton {
                    visible: row.isEntity || row.hasChildren
                    implicitWidth: 22
                    implicitHeight: 22
                    padding: 4
                    icon.source: Theme.icon("plus")
                    icon.width: 14
                    icon.height: 14
                    focusPolicy: Qt.NoFocus
                    opacity: rowHover.hovered || row.isCurrent ? 1 : 0.35
                    ToolTip.visible: hovered
                    ToolTip.delay: 500
                    ToolTip.text: qsTr("Add field")
                    onClicked: {
                        const path = editor.model.addField(row.entityIndex,
                                                           row.isEntity ? "" : row.fieldPath)
                        if (path.length > 0)
                            editor.selectRow(editor.model.fieldRow(row.entityIndex, path))
                    }
                    background: Item {}
                }
                ToolButton {
                    implicitWidth: 22
                    implicitHeight: 22
                    padding: 4
                    icon.source: Theme.icon("trash")
                    icon.width: 14
                    icon.height: 14
                    focusPolicy: Qt.NoFocus
                    opacity: rowHover.hovered || row.isCurrent ? 1 : 0
                    ToolTip.visible: hovered
                    ToolTip.delay: 500
                    ToolTip.text: row.isEntity ? qsTr("Delete entity") : qsTr("Delete field")
                    onClicked: {
                        if (row.isEntity)
                            editor.model.removeEntity(row.entityIndex)
                        else
                            editor.model.removeField(row.entityIndex, row.fieldPath)
                    }
                    background: Item {}
                }
            }
            // Canonical mode: the system fields that carry this field.
            Label {
                visible: editor.showLinks && !row.isEntity && row.links.length > 0
                x: 12 + row.depth * 14 + 14
                y: 28
                width: parent.width - x - Theme.spacingS
                elide: Text.ElideRight
                text: "\u2190 " + row.links.join("   ")
                font.pixelSize: Theme.fontCaption
                color: Theme.workflowEdge
            }
        }

        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            width: parent.width - 2 * Theme.spacingL
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: editor.model && editor.model.filter.length > 0
                  ? qsTr("Nothing matches \u201c%1\u201d").arg(editor.model.filter)
                  : editor.importEnabled
                    ? qsTr("No entities yet. Add one, or import schemas from OpenAPI, "
                           + "JSON Schema, a sample record or a CSV header.")
                    : qsTr("No entities yet.")
            color: Theme.textTertiary
            font.pixelSize: Theme.fontSmall
        }
    }

    // Details of the current row.
    Rectangle { Layout.fillWidth: true; height: 1; color: Theme.divider
                visible: details.visible }
    ColumnLayout {
        id: details
        objectName: "fieldDetails"
        visible: editor.current !== null
        Layout.fillWidth: true
        Layout.margins: Theme.spacingM
        spacing: Theme.spacingS
        readonly property var r: editor.current

        Label {
            text: details.r ? (details.r.isEntity ? qsTr("Entity %1").arg(details.r.name)
                                                  : qsTr("Field %1").arg(details.r.name)) : ""
            font.pixelSize: Theme.fontSmall
            font.weight: Font.DemiBold
            color: Theme.textSecondary
        }
        RowLayout {
            visible: details.r !== null && !details.r.isEntity
            spacing: Theme.spacingS
            Layout.fillWidth: true
            InspectorField {
                label: qsTr("Format")
                TextField {
                    objectName: "formatField"
                    text: details.r ? details.r.format : ""
                    placeholderText: qsTr("email, uri, iso-currency\u2026")
                    font.pixelSize: Theme.fontSmall
                    onTextEdited: editor.model.setFieldFormat(details.r.entityIndex,
                                                              details.r.fieldPath, text)
                    onEditingFinished: editor.model.endEdit()
                }
            }
            InspectorField {
                label: qsTr("Enum values")
                visible: details.r !== null && details.r.fieldType === "enum"
                TextField {
                    objectName: "enumField"
                    text: details.r ? details.r.enumValues : ""
                    placeholderText: qsTr("open, won, lost")
                    font.pixelSize: Theme.fontSmall
                    onTextEdited: editor.model.setFieldEnumValues(details.r.entityIndex,
                                                                  details.r.fieldPath, text)
                    onEditingFinished: editor.model.endEdit()
                }
            }
        }
        RowLayout {
            visible: details.r !== null && !details.r.isEntity
            spacing: Theme.spacingS
            Layout.fillWidth: true
            InspectorField {
                label: qsTr("Max length")
                Layout.preferredWidth: 96
                Layout.fillWidth: false
                TextField {
                    objectName: "maxLengthField"
                    text: details.r && details.r.maxLength > 0 ? details.r.maxLength : ""
                    placeholderText: qsTr("none")
                    font.pixelSize: Theme.fontSmall
                    validator: IntValidator { bottom: 0 }
                    onTextEdited: editor.model.setFieldMaxLength(details.r.entityIndex,
                                                                 details.r.fieldPath,
                                                                 text.length ? parseInt(text) : 0)
                    onEditingFinished: editor.model.endEdit()
                }
            }
            InspectorField {
                label: qsTr("Canonical field")
                visible: !editor.model.canonical
                TextField {
                    objectName: "canonicalField"
                    text: details.r ? details.r.canonicalLink : ""
                    placeholderText: qsTr("Customer.email")
                    font.pixelSize: Theme.fontSmall
                    onTextEdited: editor.model.setFieldCanonical(details.r.entityIndex,
                                                                 details.r.fieldPath, text)
                    onEditingFinished: editor.model.endEdit()
                }
            }
        }
        InspectorField {
            label: qsTr("Key field")
            visible: details.r !== null && details.r.isEntity
            TextField {
                text: details.r && details.r.isEntity ? details.r.format : ""
                font.pixelSize: Theme.fontSmall
                onEditingFinished: if (details.r) editor.model.setEntityKey(
                                       details.r.entityIndex, text)
            }
        }
        InspectorField {
            label: qsTr("Description")
            TextField {
                text: details.r ? details.r.description : ""
                font.pixelSize: Theme.fontSmall
                placeholderText: qsTr("What this holds, where it comes from")
                onTextEdited: {
                    if (details.r.isEntity)
                        editor.model.setEntityDescription(details.r.entityIndex, text)
                    else
                        editor.model.setFieldDescription(details.r.entityIndex,
                                                         details.r.fieldPath, text)
                }
                onEditingFinished: editor.model.endEdit()
            }
        }
    }
}
