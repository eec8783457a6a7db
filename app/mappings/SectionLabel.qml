import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Mappings

// A small capitalised caption over a section of the inspector.
Label {
    font.pixelSize: Theme.fontCaption
    font.weight: Font.DemiBold
    font.letterSpacing: 0.6
    color: Theme.textTertiary
}
