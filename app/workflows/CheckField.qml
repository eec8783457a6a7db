import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Workflows

// A compact check box of the workflow inspector.
CheckBox {
    font.pixelSize: Theme.fontBody
    padding: 0
    topPadding: 2
    bottomPadding: 2
}
