import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls

// A caption above an editor in the inspector (the editor is the child item).
ColumnLayout {
    id: field
    property string label
    property string hint
    default property alias content: holder.data
    spacing: 4
    Layout.fillWidth: true

    Label {
        text: field.label
        font.pixelSize: Theme.fontCaption
        font.weight: Font.DemiBold
        font.capitalization: Font.AllUppercase
        font.letterSpacing: 0.4
        color: Theme.textTertiary
    }
    Item {
        id: holder
        Layout.fillWidth: true
        implicitHeight: children.length > 0 ? children[0].implicitHeight : 0
        function fit() {
            for (let i = 0; i < children.length; ++i)
                children[i].width = width
        }
        onWidthChanged: fit()
        onChildrenChanged: fit()
    }
    Label {
        visible: field.hint.length > 0
        text: field.hint
        font.pixelSize: Theme.fontCaption
        color: Theme.textTertiary
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
}
