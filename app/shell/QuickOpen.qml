import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Shell

// Ctrl+K: type to find any system, entity, field, canonical entity, mapping, workflow or
// step; Enter (or a click) selects it, switches to its view and reveals it.
Popup {
    id: popup
    readonly property QuickOpenModel model: results

    function show() {
        results.reload()
        query.text = ""
        results.filter = ""
        list.currentIndex = 0
        open()
        query.forceActiveFocus()
    }
    function accept(row) {
        if (results.activate(row))
            close()
    }

    QuickOpenModel { id: results; controller: StudioController }

    parent: Overlay.overlay
    x: Math.round((parent.width - width) / 2)
    y: 72
    width: Math.min(600, parent.width - 64)
    height: Math.min(440, column.implicitHeight + 2 * padding)
    padding: Theme.spacingS
    modal: true
    focus: true
    dim: true
    Overlay.modal: Rectangle { color: Theme.modalScrim }
    background: Rectangle {
        color: Theme.surface
        radius: Theme.radiusLarge
        border.color: Theme.border
    }

    contentItem: ColumnLayout {
        id: column
        spacing: Theme.spacingS
        TextField {
            id: query
            objectName: "quickOpenQuery"
            Layout.fillWidth: true
            placeholderText: qsTr("Jump to a system, entity, field, mapping or step\u2026")
            font.pixelSize: Theme.fontTitle
            leftPadding: 34
            onTextEdited: { results.filter = text; list.currentIndex = 0 }
            Keys.onDownPressed: list.currentIndex = Math.min(list.count - 1, list.currentIndex + 1)
            Keys.onUpPressed: list.currentIndex = Math.max(0, list.currentIndex - 1)
            Keys.onReturnPressed: popup.accept(list.currentIndex)
            Keys.onEnterPressed: popup.accept(list.currentIndex)
            Image {
                x: 10
                anchors.verticalCenter: parent.verticalCenter
                source: Theme.icon("find")
                sourceSize: Qt.size(18, 18)
                opacity: 0.6
            }
        }
        ListView {
            id: list
            objectName: "quickOpenList"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 360)
            clip: true
            model: results
            ScrollBar.vertical: ScrollBar {}
            highlightMoveDuration: 0
            delegate: ItemDelegate {
                id: hit
                required property int index
                required property string label
                required property string detail
                required property string kind
                width: ListView.view.width
                height: 38
                highlighted: ListView.isCurrentItem
                onClicked: popup.accept(index)
                background: Rectangle {
                    radius: 4
                    color: hit.highlighted ? Theme.accentSoft
                           : hit.hovered ? Theme.hover : "transparent"
                }
                contentItem: RowLayout {
                    spacing: Theme.spacingS
                    Rectangle {
                        width: kindLabel.implicitWidth + 12; height: 18; radius: 4
                        color: Theme.surfaceAlt
                        Label {
                            id: kindLabel
                            anchors.centerIn: parent
                            text: hit.kind
                            font.pixelSize: Theme.fontCaption
                            color: Theme.textSecondary
                        }
                    }
                    Label {
                        text: hit.label
                        font.pixelSize: Theme.fontBody
                        font.weight: Font.DemiBold
                        color: Theme.textPrimary
                        elide: Text.ElideRight
                        Layout.maximumWidth: 300
                    }
                    Label {
                        text: hit.detail
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textTertiary
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                }
            }
        }
        Label {
            visible: list.count === 0
            text: qsTr("No matches")
            color: Theme.textTertiary
            font.pixelSize: Theme.fontSmall
            Layout.leftMargin: Theme.spacingS
            Layout.bottomMargin: Theme.spacingS
        }
    }
}
