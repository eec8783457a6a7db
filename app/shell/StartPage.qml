import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Shell

// Shown when no project is open: new / open, recent projects and the bundled templates.
Rectangle {
    id: page
    objectName: "startPage"
    color: Theme.windowBackground
    signal newRequested()
    signal openRequested()
    signal recentRequested(string path)
    signal templateRequested(string path)

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: Math.min(880, page.width - 2 * Theme.spacingXl)
            x: (page.width - width) / 2
            spacing: Theme.spacingL

            Item { Layout.preferredHeight: Theme.spacingXl }

            RowLayout {
                spacing: Theme.spacingM
                Image {
                    source: Theme.icon("switchboard")
                    sourceSize: Qt.size(56, 56)
                }
                ColumnLayout {
                    spacing: 2
                    Label {
                        text: "Switchboard"
                        font.pixelSize: Theme.fontDisplay
                        font.weight: Font.DemiBold
                        color: Theme.textPrimary
                    }
                    Label {
                        text: qsTr("Design how your systems share customers, orders and invoices.")
                        font.pixelSize: Theme.fontTitle
                        color: Theme.textSecondary
                    }
                }
            }

            RowLayout {
                spacing: Theme.spacingS
                Button {
                    text: qsTr("New project")
                    icon.source: Theme.icon("new")
                    highlighted: true
                    onClicked: page.newRequested()
                }
                Button {
                    text: qsTr("Open\u2026")
                    icon.source: Theme.icon("open")
                    onClicked: page.openRequested()
                }
            }

            RowLayout {
                spacing: Theme.spacingL
                Layout.fillWidth: true

                // Recent projects
                Rectangle {
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    Layout.alignment: Qt.AlignTop
                    implicitHeight: recentColumn.implicitHeight + 2 * Theme.spacingM
                    radius: Theme.radiusLarge
                    color: Theme.surface
                    border.color: Theme.border
                    ColumnLayout {
                        id: recentColumn
                        anchors.fill: parent
                        anchors.margins: Theme.spacingM
                        spacing: Theme.spacingXs
                        RowLayout {
                            Layout.fillWidth: true
                            Label {
                                text: qsTr("Recent projects")
                                font.pixelSize: Theme.fontTitle
                                font.weight: Font.DemiBold
                                color: Theme.textPrimary
                                Layout.fillWidth: true
                            }
                            Button {
                                text: qsTr("Clear")
                                flat: true
                                visible: StudioController.recentProjects.count > 0
                                onClicked: StudioController.recentProjects.clear()
                            }
                        }
                        Label {
                            visible: StudioController.recentProjects.count === 0
                            text: qsTr("Projects you open appear here.")
                            font.pixelSize: Theme.fontBody
                            color: Theme.textTertiary
                            Layout.topMargin: Theme.spacingS
                            Layout.bottomMargin: Theme.spacingS
                        }
                        Repeater {
                            model: StudioController.recentProjects
                            delegate: ProjectListItem {
                                required property string path
                                required property string name
                                required property string folder
                                required property bool exists
                                objectName: "recent_" + name
                                Layout.fillWidth: true
                                iconName: "recent"
                                title: name
                                subtitle: exists ? folder : qsTr("Missing: %1").arg(folder)
                                dimmed: !exists
                                onClicked: page.recentRequested(path)
                            }
                        }
                    }
                }

                // Templates
                Rectangle {
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    Layout.alignment: Qt.AlignTop
                    implicitHeight: templateColumn.implicitHeight + 2 * Theme.spacingM
                    radius: Theme.radiusLarge
                    color: Theme.surface
                    border.color: Theme.border
                    ColumnLayout {
                        id: templateColumn
                        anchors.fill: parent
                        anchors.margins: Theme.spacingM
                        spacing: Theme.spacingXs
                        Label {
                            text: qsTr("Templates")
                            font.pixelSize: Theme.fontTitle
                            font.weight: Font.DemiBold
                            color: Theme.textPrimary
                            Layout.preferredHeight: 32
                            verticalAlignment: Text.AlignVCenter
                        }
                        Label {
                            visible: StudioController.templates.count === 0
                            text: qsTr("No templates installed.")
                            font.pixelSize: Theme.fontBody
                            color: Theme.textTertiary
                        }
                        Repeater {
                            model: StudioController.templates
                            delegate: ProjectListItem {
                                required property string path
                                required property string name
                                required property string description
                                required property int systemCount
                                objectName: "template_" + name
                                Layout.fillWidth: true
                                iconName: "template"
                                title: name
                                subtitle: description.length > 0
                                          ? description
                                          : Theme.plural(systemCount, qsTr("system"),
                                                         qsTr("systems"))
                                onClicked: page.templateRequested(path)
                            }
                        }
                    }
                }
            }
            Item { Layout.preferredHeight: Theme.spacingXl }
        }
    }
}
