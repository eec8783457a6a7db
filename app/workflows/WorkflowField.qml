import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Workflows

// A labelled inspector field. `edited` fires on every keystroke (the editor merges them into
// one undo step), `finished` when the field is left or Enter pressed. `owner` is what the
// field edited when it got focus, so a late `finished` never lands on the next selection.
ColumnLayout {
    id: field
    property string label
    property string value
    property string placeholder
    property string hint
    property string error
    property bool mono: false
    property bool multiline: false
    property string owner
    property string focusOwner
    readonly property alias input: loader.item
    signal edited(string text, string owner)
    signal finished(string text, string owner)

    Layout.fillWidth: true
    spacing: 3

    Label {
        text: field.label
        visible: text.length > 0
        font.pixelSize: Theme.fontSmall
        color: Theme.textSecondary
    }
    Loader {
        id: loader
        Layout.fillWidth: true
        sourceComponent: field.multiline ? areaComponent : lineComponent
    }
    // While the field is edited its message may come and go as the text changes: the space
    // it took stays until the field is left, so the controls below hold still.
    readonly property bool editing: loader.item !== null && loader.item.activeFocus
    property real heldHeight: 0
    onEditingChanged: heldHeight = editing && message.visible ? message.implicitHeight : 0
    Label {
        id: message
        objectName: "fieldMessage"
        Layout.fillWidth: true
        Layout.minimumHeight: field.editing ? field.heldHeight : 0
        visible: text.length > 0 || (field.editing && field.heldHeight > 0)
        onImplicitHeightChanged: if (field.editing && text.length > 0)
                                     field.heldHeight = Math.max(field.heldHeight, implicitHeight)
        text: field.error.length > 0 ? field.error : field.hint
        wrapMode: Text.Wrap
        font.pixelSize: Theme.fontCaption
        color: field.error.length > 0 ? Theme.error : Theme.textTertiary
    }

    Component {
        id: lineComponent
        TextField {
            text: field.value
            placeholderText: field.placeholder
            font.pixelSize: Theme.fontBody
            font.family: field.mono ? "monospace" : Qt.application.font.family
            selectByMouse: true
            onActiveFocusChanged: if (activeFocus) field.focusOwner = field.owner
            onTextEdited: field.edited(text, field.owner)
            onEditingFinished: field.finished(text, field.focusOwner || field.owner)
        }
    }
    Component {
        id: areaComponent
        TextArea {
            text: field.value
            placeholderText: field.placeholder
            font.pixelSize: Theme.fontBody
            font.family: field.mono ? "monospace" : Qt.application.font.family
            wrapMode: TextEdit.Wrap
            selectByMouse: true
            background: Rectangle {
                implicitHeight: 64
                radius: 2
                color: Theme.surface
                border.color: parent.activeFocus ? Theme.accent : Theme.borderStrong
            }
            onActiveFocusChanged: {
                if (activeFocus)
                    field.focusOwner = field.owner
                else
                    field.finished(text, field.focusOwner || field.owner)
            }
            // TextArea has no textEdited: compare with the model value instead.
            onTextChanged: if (activeFocus && text !== field.value)
                               field.edited(text, field.owner)
        }
    }
}
