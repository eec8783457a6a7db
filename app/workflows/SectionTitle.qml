import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Workflows

// A section caption of the workflow inspector.
Label {
    Layout.fillWidth: true
    Layout.topMargin: Theme.spacingM
    font.pixelSize: Theme.fontCaption
    font.weight: Font.DemiBold
    font.capitalization: Font.AllUppercase
    font.letterSpacing: 0.6
    color: Theme.textTertiary
}
