import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Ownership

// The role badge: owner solid, contributor tinted, consumer outlined, none a dash.
Rectangle {
    property string role: "none"
    property string problem: ""
    property bool compact: false
    readonly property color ink: problem === "conflict" ? Theme.error : Theme.ownerInk
    implicitWidth: compact ? 14 : Math.max(label.implicitWidth + 18, 24)
    implicitHeight: compact ? 14 : 20
    width: implicitWidth
    height: implicitHeight
    radius: height / 2
    color: role === "owner" ? ink
           : role === "contributor" ? Theme.contributorFill
           : "transparent"
    border.width: role === "consumer" ? 1.5 : 0
    border.color: Theme.consumerBorder
    Label {
        id: label
        anchors.centerIn: parent
        visible: !parent.compact
        text: parent.role === "owner" ? qsTr("Owner")
              : parent.role === "contributor" ? qsTr("Contributor")
              : parent.role === "consumer" ? qsTr("Consumer")
              : parent.problem === "gap" ? qsTr("no owner") : "\u2013"
        font.pixelSize: Theme.fontCaption
        font.weight: parent.role === "owner" ? Font.DemiBold : Font.Normal
        color: parent.role === "owner" ? "white"
               : parent.role === "contributor" ? Theme.ownerInk
               : parent.role === "consumer" ? Theme.textSecondary
               : parent.problem === "gap" ? Theme.error : Theme.textTertiary
    }
}
