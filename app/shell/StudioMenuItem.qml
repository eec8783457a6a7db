import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Shell

// Menu item that shows its action's shortcut right-aligned, as desktop menus do, and keeps
// its text clear of the check mark of a checkable item.
MenuItem {
    id: item
    implicitWidth: Math.max(240, row.implicitWidth + leftPadding + rightPadding)
    implicitHeight: 28
    leftPadding: Theme.spacingM
    rightPadding: Theme.spacingM

    contentItem: RowLayout {
        id: row
        spacing: Theme.spacingL
        Label {
            text: item.text.replace("&", "")
            font.pixelSize: Theme.fontBody
            color: item.enabled ? Theme.textPrimary : Theme.textTertiary
            Layout.fillWidth: true
            elide: Text.ElideRight   // never under the shortcut
            // Clear of the check mark, which the style draws at the left padding.
            Layout.leftMargin: item.checkable && item.indicator
                               ? item.indicator.width + item.spacing : 0
        }
        Label {
            text: item.action && item.action.shortcut ? String(item.action.shortcut) : ""
            visible: text.length > 0
            font.pixelSize: Theme.fontSmall
            color: Theme.textTertiary
        }
    }
    background: Rectangle {
        color: item.highlighted ? Theme.accentSoft : "transparent"
        radius: 4
    }
}
