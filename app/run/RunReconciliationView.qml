import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Run

// Reconciliation reports after the run: counts, then every missing, duplicate,
// out-of-sequence and mismatched record; click a record for its details.
Rectangle {
    id: view
    required property RunController controller
    readonly property var reports: controller.summary.reconciliations || []
    property var chosen: null
    color: Theme.windowBackground

    function issues(r) {
        const out = []
        for (const k of r.leftOnly) out.push({key: k, kind: qsTr("missing in %1").arg(r.rightName)})
        for (const k of r.rightOnly) out.push({key: k, kind: qsTr("only in %1").arg(r.rightName)})
        for (const k of r.duplicatesLeft) out.push({key: k, kind: qsTr("duplicate in %1")
                                                                  .arg(r.leftName)})
        for (const k of r.duplicatesRight) out.push({key: k, kind: qsTr("duplicate in %1")
                                                                   .arg(r.rightName)})
        for (const k of r.outOfSequence) out.push({key: k, kind: qsTr("out of sequence")})
        for (const m of r.mismatches)
            out.push({key: m.key, kind: qsTr("%1 differs").arg(m.field),
                      detail: qsTr("%1: \u201c%2\u201d  \u2260  \u201c%3\u201d").arg(m.field)
                              .arg(m.left).arg(m.right)})
        return out
    }

    ListView {
        id: list
        anchors.fill: parent
        anchors.margins: Theme.spacingM
        clip: true
        spacing: Theme.spacingM
        model: view.reports
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {}
        delegate: Rectangle {
            id: card
            required property var modelData
            readonly property var r: modelData
            readonly property var rows: view.issues(modelData)
            width: ListView.view.width
            height: Math.max(160, Math.min(ListView.view.height, 120 + rows.length * 26))
            radius: Theme.radius
            color: Theme.surface
            border.color: Theme.border
            ColumnLayout {
                anchors.fill: parent
                anchors.margins: Theme.spacingM
                spacing: Theme.spacingS
                Label {
                    text: card.r.name
                    font.pixelSize: Theme.fontTitle
                    font.weight: Font.DemiBold
                    color: Theme.textPrimary
                }
                RowLayout {
                    spacing: Theme.spacingL
                    Repeater {
                        model: [
                            {t: card.r.leftName, v: card.r.left},
                            {t: card.r.rightName, v: card.r.right},
                            {t: qsTr("matched"), v: card.r.matched},
                            {t: qsTr("missing in %1").arg(card.r.rightName),
                             v: card.r.leftOnlyCount},
                            {t: qsTr("only in %1").arg(card.r.rightName),
                             v: card.r.rightOnlyCount},
                            {t: qsTr("duplicates"), v: card.r.duplicateCount},
                            {t: qsTr("mismatched fields"), v: card.r.mismatchCount}
                        ]
                        delegate: ColumnLayout {
                            required property var modelData
                            spacing: 0
                            Label { text: modelData.v; font.pixelSize: Theme.fontHeading
                                    font.weight: Font.DemiBold; color: Theme.textPrimary }
                            Label { text: modelData.t; font.pixelSize: Theme.fontCaption
                                    color: Theme.textTertiary }
                        }
                    }
                }
                ListView {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: card.rows
                    ScrollBar.vertical: ScrollBar {}
                    delegate: Rectangle {
                        id: issue
                        required property var modelData
                        width: ListView.view.width
                        height: 26
                        color: view.chosen === modelData ? Theme.accentSoft
                               : issueMouse.containsMouse ? Theme.hover : "transparent"
                        RowLayout {
                            anchors.fill: parent
                            anchors.leftMargin: Theme.spacingS
                            spacing: Theme.spacingM
                            Label { text: issue.modelData.key; font.family: "monospace"
                                    font.pixelSize: Theme.fontSmall
                                    Layout.preferredWidth: 180; color: Theme.textPrimary }
                            Label { text: issue.modelData.kind; font.pixelSize: Theme.fontSmall
                                    color: Theme.warning; Layout.preferredWidth: 200 }
                            Label { text: view.chosen === issue.modelData
                                          ? (issue.modelData.detail || "") : ""
                                    font.pixelSize: Theme.fontSmall; color: Theme.textSecondary
                                    Layout.fillWidth: true; elide: Text.ElideRight }
                        }
                        MouseArea { id: issueMouse; anchors.fill: parent; hoverEnabled: true
                                    onClicked: view.chosen = issue.modelData }
                    }
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            text: qsTr("The project defines no reconciliation")
            color: Theme.textTertiary
        }
    }
}
