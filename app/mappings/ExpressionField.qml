import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Mappings

// A one-line JSONata field: monospace, merges typing, shows a syntax error underneath.
TextField {
    id: ef
    required property Item page
    required property MappingEditor editor
    property string source: ""
    signal edited(string text)
    readonly property var syntax: editor.checkSyntax(text)
    font.family: page.mono
    font.pixelSize: Theme.fontSmall
    selectByMouse: true
    onSourceChanged: if (text !== source) text = source
    Component.onCompleted: text = source
    onTextEdited: edited(text)
    onEditingFinished: editor.endEdit()
    Keys.onPressed: (event) => page.routeUndo(event)
    background: Rectangle {
        implicitHeight: 28
        radius: 4
        color: Theme.surface
        border.width: ef.activeFocus ? 2 : 1
        border.color: !ef.syntax.ok ? Theme.error : ef.activeFocus ? Theme.accent
                                                                   : Theme.border
    }
    ToolTip.visible: !syntax.ok && activeFocus
    ToolTip.text: syntax.ok ? "" : syntax.code + " at " + syntax.position + ": "
                                   + syntax.message
}
