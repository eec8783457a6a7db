import QtQuick
import QtQuick.Controls
import Switchboard.Controls

// Flat toolbar button with an icon from icons/ and a tooltip naming the shortcut.
ToolButton {
    id: button
    property string iconName
    property string tip
    icon.source: Theme.icon(iconName)
    icon.width: 20
    icon.height: 20
    icon.color: enabled ? Theme.textPrimary : Theme.textTertiary
    display: AbstractButton.IconOnly
    implicitWidth: 32
    implicitHeight: 32
    padding: 6
    focusPolicy: Qt.NoFocus
    ToolTip.visible: hovered && tip.length > 0
    ToolTip.delay: 600
    ToolTip.text: tip
    background: Rectangle {
        radius: 4
        color: button.down ? Theme.accentSoft : button.hovered ? Theme.hover : "transparent"
    }
}
