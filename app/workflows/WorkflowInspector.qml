import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Workflows

// Right-hand inspector of the workflow editor: the selected step's settings by type, the
// selected edge's condition, else the workflow (pattern, trigger, SLAs). Reads
// WorkflowEditor.step / .edge / .workflow; every change goes through the editor's setters.
Rectangle {
    id: inspector
    objectName: "workflowInspector"
    required property WorkflowEditor editor
    readonly property var step: editor.step
    readonly property var edge: editor.edge
    readonly property var wf: editor.workflow
    readonly property string mode: step.id !== undefined ? "step"
                                   : edge.index !== undefined ? "edge" : "workflow"
    color: Theme.surface
    // A text field of the inspector is being edited (its banners and messages hold still).
    readonly property bool typing: {
        let f = Window.activeFocusItem
        if (!f || !(f instanceof TextInput || f instanceof TextEdit))
            return false
        for (; f; f = f.parent) {
            if (f === inspector)
                return true
        }
        return false
    }

    Rectangle { width: 1; height: parent.height; color: Theme.border }

    // Step edits: text keys commit per keystroke (merged), the rest when chosen.
    function setStep(key, value, owner) {
        return editor.setStepValue(owner !== undefined && owner.length > 0 ? owner : step.id,
                                   key, value)
    }
    function durationFinished(fieldItem, key, text, owner) {
        const ms = editor.parseDuration(text)
        if (ms < 0) {
            fieldItem.error = qsTr("Use e.g. 500 ms, 20 s, 5 min, 4 h or 1 d")
            return
        }
        fieldItem.error = ""
        setStep(key, ms, owner)
        editor.endEdit()
    }
    function numberFinished(fieldItem, key, text, owner) {
        const n = Number(text.trim().length > 0 ? text : "0")
        const ok = !isNaN(n) && setStep(key, n, owner)
        fieldItem.error = ok ? "" : qsTr("Not a valid number")
        editor.endEdit()
    }
    function kindText(kind) {
        return kind === "on-error" ? qsTr("on error")
             : kind === "on-timeout" ? qsTr("on timeout") : qsTr("next")
    }

    ScrollView {
        id: scroll
        anchors.fill: parent
        anchors.leftMargin: 1
        contentWidth: availableWidth
        clip: true

        ColumnLayout {
            width: scroll.availableWidth
            spacing: Theme.spacingS

            // ---- header
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: 64
                color: Theme.surfaceAlt
                Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1
                            color: Theme.divider }
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacingM
                    anchors.rightMargin: Theme.spacingS
                    spacing: Theme.spacingS
                    Rectangle {
                        Layout.preferredWidth: 36
                        Layout.preferredHeight: 36
                        radius: inspector.mode === "step" ? 8 : 18
                        color: Theme.surface
                        border.color: Theme.border
                        IconImage {
                            anchors.centerIn: parent
                            sourceSize: Qt.size(20, 20)
                            source: inspector.mode === "step"
                                    ? Theme.icon("step-" + inspector.step.type)
                                    : inspector.mode === "edge" ? Theme.icon("step-branch")
                                    : Theme.icon("trigger-"
                                                 + (inspector.wf.triggerType || "webhook"))
                            color: inspector.mode === "step" ? inspector.step.color
                                                             : Theme.triggerInk
                        }
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 0
                        Label {
                            Layout.fillWidth: true
                            elide: Text.ElideRight
                            font.pixelSize: Theme.fontTitle
                            font.weight: Font.DemiBold
                            color: Theme.textPrimary
                            text: inspector.mode === "step"
                                  ? (inspector.step.name || inspector.step.id)
                                  : inspector.mode === "edge"
                                    ? qsTr("Edge")
                                    : (inspector.wf.name || inspector.wf.id || qsTr("No workflow"))
                        }
                        Label {
                            Layout.fillWidth: true
                            elide: Text.ElideRight
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textTertiary
                            text: inspector.mode === "step"
                                  ? inspector.step.typeLabel + " \u00b7 "
                                    + inspector.step.typeDescription
                                  : inspector.mode === "edge"
                                    ? inspector.edge.fromName + " \u2192 " + inspector.edge.toName
                                    : qsTr("Workflow")
                                      + (inspector.wf.id ? " \u00b7 " + inspector.wf.id : "")
                        }
                    }
                    ToolIconButton {
                        visible: inspector.mode !== "workflow"
                        iconName: "workflow-delete"
                        tip: inspector.mode === "step" ? qsTr("Delete step (Delete)")
                                                       : qsTr("Delete edge (Delete)")
                        onClicked: inspector.editor.removeSelected()
                    }
                }
            }

            // ================= step =================
            StepSettings { inspector: inspector }

            // ================= edge =================
            ColumnLayout {
                visible: inspector.mode === "edge"
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingM
                Layout.rightMargin: Theme.spacingM
                spacing: Theme.spacingS
                ChoiceField {
                    label: qsTr("Taken")
                    options: [
                        { value: "next", text: qsTr("Next (on success)") },
                        { value: "on-error", text: qsTr("On error (after retries)") },
                        { value: "on-timeout", text: qsTr("On timeout") }
                    ]
                    value: inspector.edge.kind || "next"
                    onChosen: (v) => inspector.editor.setEdgeValue(inspector.edge.index, "kind", v)
                }
                WorkflowField {
                    objectName: "edgeConditionField"
                    label: qsTr("Condition (JSONata)")
                    error: inspector.editor.checkExpression(inspector.edge.condition || "")
                    hint: inspector.edge.fromType === "branch"
                          ? qsTr("The path is taken when this is true.")
                          : qsTr("Optional: the edge is followed only when this is true.")
                    mono: true
                    multiline: true
                    placeholder: "quote.discountPercent > 20"
                    value: inspector.edge.condition || ""
                    owner: String(inspector.edge.index)
                    onEdited: (text, owner) => inspector.editor.setEdgeValue(Number(owner),
                                                                            "condition", text)
                    onFinished: inspector.editor.endEdit()
                }
                WorkflowField {
                    label: qsTr("Label")
                    placeholder: qsTr("e.g. discount > 20 %")
                    value: inspector.edge.label || ""
                    owner: String(inspector.edge.index)
                    onEdited: (text, owner) => inspector.editor.setEdgeValue(Number(owner),
                                                                            "label", text)
                    onFinished: inspector.editor.endEdit()
                }
            }

            // ================= workflow and trigger =================
            ColumnLayout {
                visible: inspector.mode === "workflow" && inspector.wf.id !== undefined
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingM
                Layout.rightMargin: Theme.spacingM
                spacing: Theme.spacingS
                readonly property string tt: inspector.wf.triggerType || ""
                id: wfForm

                WorkflowField {
                    label: qsTr("Name")
                    value: inspector.wf.name || ""
                    owner: inspector.wf.id || ""
                    onEdited: (text) => inspector.editor.setWorkflowValue("name", text)
                    onFinished: inspector.editor.endEdit()
                }
                WorkflowField {
                    label: qsTr("Description")
                    multiline: true
                    value: inspector.wf.description || ""
                    owner: inspector.wf.id || ""
                    onEdited: (text) => inspector.editor.setWorkflowValue("description", text)
                    onFinished: inspector.editor.endEdit()
                }
                ChoiceField {
                    label: qsTr("Integration pattern")
                    options: inspector.wf.patterns || []
                    value: inspector.wf.pattern || ""
                    onChosen: (v) => inspector.editor.setWorkflowValue("pattern", v)
                }

                SectionTitle {
                    text: qsTr("Trigger")
                    color: inspector.editor.triggerSelected ? Theme.accent : Theme.textTertiary
                }
                ChoiceField {
                    objectName: "triggerTypeChoice"
                    label: qsTr("Type")
                    options: [
                        { value: "webhook", text: qsTr("Webhook") },
                        { value: "event", text: qsTr("Event (internal topic)") },
                        { value: "schedule", text: qsTr("Schedule / poll") },
                        { value: "batch", text: qsTr("Batch file") }
                    ]
                    value: wfForm.tt
                    onChosen: (v) => inspector.editor.setTriggerValue("type", v)
                }
                ChoiceField {
                    objectName: "triggerSystemChoice"
                    visible: wfForm.tt !== "schedule"
                    label: qsTr("System")
                    noneText: qsTr("(none)")
                    options: inspector.editor.systemChoices
                    value: inspector.wf["trigger.system"] || ""
                    onChosen: (v) => inspector.editor.setTriggerValue("system", v)
                }
                ChoiceField {
                    objectName: "triggerEntityChoice"
                    visible: wfForm.tt !== "schedule"
                    label: qsTr("Entity")
                    noneText: qsTr("(none)")
                    options: inspector.wf["trigger.entities"] || []
                    value: inspector.wf["trigger.entity"] || ""
                    onChosen: (v) => inspector.editor.setTriggerValue("entity", v)
                }
                WorkflowField {
                    visible: wfForm.tt === "event"
                    label: qsTr("Topic")
                    mono: true
                    value: inspector.wf["trigger.topic"] || ""
                    owner: inspector.wf.id || ""
                    onEdited: (text) => inspector.editor.setTriggerValue("topic", text)
                    onFinished: inspector.editor.endEdit()
                }
                WorkflowField {
                    visible: wfForm.tt === "schedule"
                    label: qsTr("Schedule (cron or \u201cevery 5m\u201d)")
                    mono: true
                    value: inspector.wf["trigger.schedule"] || ""
                    owner: inspector.wf.id || ""
                    onEdited: (text) => inspector.editor.setTriggerValue("schedule", text)
                    onFinished: inspector.editor.endEdit()
                }
                ChoiceField {
                    visible: wfForm.tt === "batch"
                    label: qsTr("File format")
                    options: ["csv", "jsonl"]
                    value: inspector.wf["trigger.format"] || ""
                    onChosen: (v) => inspector.editor.setTriggerValue("format", v)
                }
                WorkflowField {
                    label: qsTr("Event id (JSONata, for de-duplication)")
                    error: inspector.editor.checkExpression(
                               inspector.wf["trigger.eventIdPath"] || "")
                    mono: true
                    value: inspector.wf["trigger.eventIdPath"] || ""
                    owner: inspector.wf.id || ""
                    onEdited: (text) => inspector.editor.setTriggerValue("eventIdPath", text)
                    onFinished: inspector.editor.endEdit()
                }
                WorkflowField {
                    label: qsTr("Correlation id (JSONata)")
                    error: inspector.editor.checkExpression(
                               inspector.wf["trigger.correlationPath"] || "")
                    mono: true
                    value: inspector.wf["trigger.correlationPath"] || ""
                    owner: inspector.wf.id || ""
                    onEdited: (text) => inspector.editor.setTriggerValue("correlationPath", text)
                    onFinished: inspector.editor.endEdit()
                }
                WorkflowField {
                    label: qsTr("Filter (JSONata; events it rejects start nothing)")
                    error: inspector.editor.checkExpression(
                               inspector.wf["trigger.filter"] || "")
                    mono: true
                    value: inspector.wf["trigger.filter"] || ""
                    owner: inspector.wf.id || ""
                    onEdited: (text) => inspector.editor.setTriggerValue("filter", text)
                    onFinished: inspector.editor.endEdit()
                }
                ChoiceField {
                    label: qsTr("Dead letter")
                    noneText: qsTr("(none)")
                    options: [{ value: "dlq", text: qsTr("Dead-letter queue") }].concat(
                                 (inspector.wf.stepRefs || []).map(
                                     s => ({ value: s.id, text: qsTr("Step: ") + s.name })))
                    value: inspector.wf["trigger.deadLetter"] || ""
                    onChosen: (v) => inspector.editor.setTriggerValue("deadLetter", v)
                }

                // Webhook authentication: how serve checks who posted.
                ChoiceField {
                    id: authChoice
                    objectName: "webhookAuthChoice"
                    visible: wfForm.tt === "webhook"
                    label: qsTr("Authentication")
                    noneText: qsTr("(not configured: serve refuses)")
                    options: [
                        { value: "hmac-sha256", text: qsTr("HMAC-SHA256 signature") },
                        { value: "bearer", text: qsTr("Bearer token") },
                        { value: "none", text: qsTr("None (unsigned, not recommended)") }
                    ]
                    value: inspector.wf["trigger.authType"] || ""
                    onChosen: (v) => inspector.editor.setTriggerValue("authType", v)
                }
                WorkflowField {
                    objectName: "webhookSecretField"
                    readonly property string authType: inspector.wf["trigger.authType"] || ""
                    visible: wfForm.tt === "webhook"
                             && (authType === "hmac-sha256" || authType === "bearer")
                    label: authType === "bearer" ? qsTr("Token (secret reference)")
                                                 : qsTr("Signing secret (secret reference)")
                    mono: true
                    placeholder: "env:CRM_WEBHOOK_SECRET"
                    hint: qsTr("The runner reads it at start; never the secret itself.")
                    error: inspector.editor.webhookSecretError(
                               authType, inspector.wf["trigger.authSecret"] || "")
                    value: inspector.wf["trigger.authSecret"] || ""
                    owner: inspector.wf.id || ""
                    onEdited: (text) => inspector.editor.setTriggerValue("authSecret", text)
                    onFinished: inspector.editor.endEdit()
                }
                WorkflowField {
                    id: toleranceField
                    objectName: "webhookToleranceField"
                    visible: wfForm.tt === "webhook"
                             && inspector.wf["trigger.authType"] === "hmac-sha256"
                    label: qsTr("Timestamp tolerance (seconds)")
                    hint: qsTr("Older or replayed signatures are refused.")
                    value: String(inspector.wf["trigger.authTolerance"] || 300)
                    owner: inspector.wf.id || ""
                    onFinished: (text) => {
                        const ok = inspector.editor.setTriggerValue("authTolerance",
                                                                    Number(text.trim()))
                        toleranceField.error = ok ? ""
                                                  : qsTr("A whole number of seconds, 1 or more")
                        inspector.editor.endEdit()
                    }
                }
                Label {
                    visible: wfForm.tt === "webhook"
                             && inspector.wf["trigger.authType"] === "none"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    text: qsTr("Anyone who can reach the runner can start this workflow.")
                    font.pixelSize: Theme.fontCaption
                    color: Theme.warning
                }

                SectionTitle {
                    visible: (inspector.wf.slas || []).length > 0
                    text: qsTr("SLA milestones")
                }
                Repeater {
                    model: inspector.wf.slas || []
                    delegate: Rectangle {
                        id: slaCard
                        required property var modelData
                        Layout.fillWidth: true
                        implicitHeight: slaColumn.implicitHeight + 16
                        radius: Theme.radius
                        color: Theme.surfaceAlt
                        border.color: Theme.divider
                        ColumnLayout {
                            id: slaColumn
                            anchors.left: parent.left
                            anchors.right: parent.right
                            anchors.top: parent.top
                            anchors.margins: 8
                            spacing: 2
                            Label {
                                Layout.fillWidth: true
                                elide: Text.ElideRight
                                text: slaCard.modelData.name
                                font.pixelSize: Theme.fontBody
                                font.weight: Font.DemiBold
                                color: Theme.textPrimary
                            }
                            Label {
                                Layout.fillWidth: true
                                wrapMode: Text.Wrap
                                text: qsTr("%1 \u2192 %2 within %3 (%4 %)")
                                      .arg(slaCard.modelData.from).arg(slaCard.modelData.to)
                                      .arg(slaCard.modelData.target)
                                      .arg(slaCard.modelData.percent)
                                font.pixelSize: Theme.fontSmall
                                color: Theme.textSecondary
                            }
                        }
                    }
                }
                Item { Layout.preferredHeight: Theme.spacingM }
            }
        }
    }
}
