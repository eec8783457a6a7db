import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Workflows

// A labelled combo box over [{value, text}] (or plain strings).
ColumnLayout {
    id: choice
    property string label
    property var options: []
    property string value
    property string noneText: ""     // non-empty: first entry chooses ""
    signal chosen(string value)
    readonly property var entries: {
        const list = []
        if (noneText.length > 0)
            list.push({ value: "", text: noneText })
        for (const o of options)
            list.push(typeof o === "string" ? { value: o, text: o } : o)
        if (value.length > 0 && !list.some(e => e.value === value))
            list.push({ value: value, text: value + qsTr(" (unknown)") })
        return list
    }
    Layout.fillWidth: true
    spacing: 3
    Label {
        text: choice.label
        font.pixelSize: Theme.fontSmall
        color: Theme.textSecondary
    }
    ComboBox {
        objectName: choice.objectName.length > 0 ? choice.objectName + "Box" : ""
        Layout.fillWidth: true
        model: choice.entries
        textRole: "text"
        valueRole: "value"
        font.pixelSize: Theme.fontBody
        currentIndex: choice.entries.findIndex(e => e.value === choice.value)
        onActivated: (i) => choice.chosen(choice.entries[i].value)
    }
}
