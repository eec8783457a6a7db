import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Mappings

// The selected rule (target, JSONata expression, condition, default, value map), or
// with none selected the mapping as a script, one rule a line.
Rectangle {
    id: inspector
    required property Item page
    required property MappingEditor editor
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
                    page: inspector.page
                    editor: inspector.editor
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
