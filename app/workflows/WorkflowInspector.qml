import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts
import Switchboard.Controls

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

    component SectionTitle: Label {
        Layout.fillWidth: true
        Layout.topMargin: Theme.spacingM
        font.pixelSize: Theme.fontCaption
        font.weight: Font.DemiBold
        font.capitalization: Font.AllUppercase
        font.letterSpacing: 0.6
        color: Theme.textTertiary
    }

    // A labelled combo box over [{value, text}] (or plain strings).
    component ChoiceField: ColumnLayout {
        id: choice
        property string label
        property var options: []
        property string value
        property string noneText: ""     // non-empty: first entry chooses ""
        signal chosen(string value)
        readonly property var entries: {
            const list = []
            if (noneText.length > 0)
                list.push({ value: "", text: noneText })
            for (const o of options)
                list.push(typeof o === "string" ? { value: o, text: o } : o)
            if (value.length > 0 && !list.some(e => e.value === value))
                list.push({ value: value, text: value + qsTr(" (unknown)") })
            return list
        }
        Layout.fillWidth: true
        spacing: 3
        Label {
            text: choice.label
            font.pixelSize: Theme.fontSmall
            color: Theme.textSecondary
        }
        ComboBox {
            Layout.fillWidth: true
            model: choice.entries
            textRole: "text"
            valueRole: "value"
            font.pixelSize: Theme.fontBody
            currentIndex: choice.entries.findIndex(e => e.value === choice.value)
            onActivated: (i) => choice.chosen(choice.entries[i].value)
        }
    }

    component CheckField: CheckBox {
        font.pixelSize: Theme.fontBody
        padding: 0
        topPadding: 2
        bottomPadding: 2
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
                            color: inspector.mode === "step" ? inspector.step.color : "#334155"
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
            ColumnLayout {
                visible: inspector.mode === "step"
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingM
                Layout.rightMargin: Theme.spacingM
                spacing: Theme.spacingS
                readonly property string t: inspector.step.type || ""
                readonly property bool endpoint: t === "call" || t === "lookup"
                                                 || t === "compensate"
                id: stepForm

                // Findings on this step.
                Repeater {
                    model: inspector.step.findings || []
                    delegate: Rectangle {
                        required property var modelData
                        Layout.fillWidth: true
                        Layout.topMargin: 4
                        implicitHeight: findingText.implicitHeight + 12
                        radius: Theme.radius
                        color: modelData.severity === "error" ? Theme.errorSoft : Theme.warningSoft
                        RowLayout {
                            anchors.fill: parent
                            anchors.margins: 6
                            spacing: 6
                            Image {
                                Layout.alignment: Qt.AlignTop
                                source: Theme.severityIcon(parent.parent.modelData.severity)
                                sourceSize: Qt.size(14, 14)
                            }
                            Label {
                                id: findingText
                                Layout.fillWidth: true
                                wrapMode: Text.Wrap
                                text: parent.parent.modelData.message
                                font.pixelSize: Theme.fontSmall
                                color: Theme.textPrimary
                            }
                        }
                    }
                }

                WorkflowField {
                    objectName: "stepNameField"
                    label: qsTr("Name")
                    value: inspector.step.name || ""
                    owner: inspector.step.id || ""
                    onEdited: (text, owner) => inspector.setStep("name", text, owner)
                    onFinished: inspector.editor.endEdit()
                }

                // Endpoint.
                SectionTitle { visible: stepForm.endpoint; text: qsTr("Endpoint") }
                ChoiceField {
                    visible: stepForm.endpoint
                    label: qsTr("System")
                    noneText: qsTr("(none)")
                    options: inspector.editor.systemIds
                    value: inspector.step.system || ""
                    onChosen: (v) => inspector.setStep("system", v)
                }
                ChoiceField {
                    visible: stepForm.endpoint
                    label: qsTr("Entity")
                    noneText: qsTr("(none)")
                    options: inspector.step.entities || []
                    value: inspector.step.entity || ""
                    onChosen: (v) => inspector.setStep("entity", v)
                }
                RowLayout {
                    visible: stepForm.endpoint
                    Layout.fillWidth: true
                    spacing: Theme.spacingS
                    ChoiceField {
                        Layout.preferredWidth: 104
                        Layout.fillWidth: false
                        label: qsTr("Method")
                        options: ["GET", "POST", "PUT", "PATCH", "DELETE"]
                        value: inspector.step.method || ""
                        onChosen: (v) => inspector.setStep("method", v)
                    }
                    WorkflowField {
                        label: qsTr("Path")
                        mono: true
                        placeholder: "/customers/{customerId}"
                        value: inspector.step.path || ""
                        owner: inspector.step.id || ""
                        onEdited: (text, owner) => inspector.setStep("path", text, owner)
                        onFinished: inspector.editor.endEdit()
                    }
                }

                // Data.
                SectionTitle {
                    visible: stepForm.endpoint || stepForm.t === "map" || stepForm.t === "wait"
                    text: qsTr("Data")
                }
                ChoiceField {
                    objectName: "stepMappingField"
                    visible: stepForm.t === "call" || stepForm.t === "map"
                             || stepForm.t === "compensate"
                    label: stepForm.t === "map" ? qsTr("Mapping") : qsTr("Body mapping")
                    noneText: qsTr("(none)")
                    options: inspector.editor.mappingIds
                    value: inspector.step.mapping || ""
                    onChosen: (v) => inspector.setStep("mapping", v)
                }
                WorkflowField {
                    visible: stepForm.endpoint || stepForm.t === "map" || stepForm.t === "wait"
                    label: qsTr("Output variable")
                    mono: true
                    placeholder: "result"
                    value: inspector.step.output || ""
                    owner: inspector.step.id || ""
                    onEdited: (text, owner) => inspector.setStep("output", text, owner)
                    onFinished: inspector.editor.endEdit()
                }

                // Reliability.
                SectionTitle { visible: stepForm.endpoint; text: qsTr("Reliability") }
                WorkflowField {
                    visible: stepForm.t === "call" || stepForm.t === "compensate"
                    label: qsTr("Idempotency key (JSONata)")
                    error: inspector.editor.checkExpression(inspector.step.idempotencyKey || "")
                    mono: true
                    placeholder: "\"erp-so-\" & id"
                    hint: qsTr("Sent as Idempotency-Key so a retry applies the change once.")
                    value: inspector.step.idempotencyKey || ""
                    owner: inspector.step.id || ""
                    onEdited: (text, owner) => inspector.setStep("idempotencyKey", text, owner)
                    onFinished: inspector.editor.endEdit()
                }
                WorkflowField {
                    id: timeoutField
                    visible: stepForm.endpoint
                    label: qsTr("Timeout")
                    placeholder: qsTr("e.g. 20 s")
                    value: inspector.step.timeout || ""
                    owner: inspector.step.id || ""
                    onFinished: (text, owner) =>
                        inspector.durationFinished(timeoutField, "timeoutMs", text, owner)
                }
                GridLayout {
                    visible: stepForm.endpoint
                    Layout.fillWidth: true
                    columns: 2
                    columnSpacing: Theme.spacingS
                    rowSpacing: Theme.spacingS
                    WorkflowField {
                        id: attemptsField
                        objectName: "retryAttemptsField"
                        label: qsTr("Max attempts")
                        placeholder: qsTr("none")
                        value: inspector.step["retry.maxAttempts"] > 0
                               ? String(inspector.step["retry.maxAttempts"]) : ""
                        owner: inspector.step.id || ""
                        onFinished: (text, owner) => inspector.numberFinished(
                                        attemptsField, "retry.maxAttempts", text, owner)
                    }
                    WorkflowField {
                        id: multiplierField
                        label: qsTr("Multiplier")
                        value: inspector.step["retry.multiplier"] !== undefined
                               ? String(inspector.step["retry.multiplier"]) : ""
                        owner: inspector.step.id || ""
                        onFinished: (text, owner) => inspector.numberFinished(
                                        multiplierField, "retry.multiplier", text, owner)
                    }
                    WorkflowField {
                        id: backoffField
                        label: qsTr("First backoff")
                        value: inspector.step["retry.initialBackoff"] || ""
                        owner: inspector.step.id || ""
                        onFinished: (text, owner) => inspector.durationFinished(
                                        backoffField, "retry.initialBackoffMs", text, owner)
                    }
                    WorkflowField {
                        id: maxBackoffField
                        label: qsTr("Max backoff")
                        value: inspector.step["retry.maxBackoff"] || ""
                        owner: inspector.step.id || ""
                        onFinished: (text, owner) => inspector.durationFinished(
                                        maxBackoffField, "retry.maxBackoffMs", text, owner)
                    }
                }
                CheckField {
                    visible: stepForm.endpoint
                    text: qsTr("Jitter (randomise each backoff)")
                    checked: inspector.step["retry.jitter"] === true
                    onToggled: inspector.setStep("retry.jitter", checked)
                }
                WorkflowField {
                    id: transientField
                    visible: stepForm.endpoint
                    label: qsTr("Also retry on statuses")
                    hint: qsTr("Beyond 408, 429 and 5xx.")
                    placeholder: "423"
                    value: inspector.step.transientStatuses || ""
                    owner: inspector.step.id || ""
                    onFinished: (text, owner) => {
                        transientField.error = inspector.setStep("transientStatuses", text, owner)
                                ? "" : qsTr("HTTP statuses separated by commas")
                        inspector.editor.endEdit()
                    }
                }
                WorkflowField {
                    id: businessField
                    visible: stepForm.endpoint
                    label: qsTr("Business errors (to the exception queue)")
                    placeholder: "400, 409, 422"
                    value: inspector.step.businessErrorStatuses || ""
                    owner: inspector.step.id || ""
                    onFinished: (text, owner) => {
                        businessField.error = inspector.setStep("businessErrorStatuses", text,
                                                                owner)
                                ? "" : qsTr("HTTP statuses separated by commas")
                        inspector.editor.endEdit()
                    }
                }
                ChoiceField {
                    visible: stepForm.t === "call"
                    label: qsTr("Compensation step")
                    noneText: qsTr("(none)")
                    options: (inspector.step.compensationChoices || [])
                             .map(s => ({ value: s.id, text: s.name }))
                    value: inspector.step.compensation || ""
                    onChosen: (v) => inspector.setStep("compensation", v)
                }
                ChoiceField {
                    visible: stepForm.t === "compensate"
                    label: qsTr("Undoes step")
                    noneText: qsTr("(none)")
                    options: (inspector.step.stepChoices || [])
                             .map(s => ({ value: s.id, text: s.name }))
                    value: inspector.step.compensates || ""
                    onChosen: (v) => inspector.setStep("compensates", v)
                }

                // Validate.
                SectionTitle { visible: stepForm.t === "validate"; text: qsTr("Checks") }
                CheckField {
                    visible: stepForm.t === "validate"
                    text: qsTr("Record matches the entity schema")
                    checked: inspector.step.checkSchema === true
                    onToggled: inspector.setStep("checkSchema", checked)
                }
                CheckField {
                    visible: stepForm.t === "validate"
                    text: qsTr("Writes respect field ownership")
                    checked: inspector.step.checkOwnership === true
                    onToggled: inspector.setStep("checkOwnership", checked)
                }
                WorkflowField {
                    visible: stepForm.t === "validate"
                    label: qsTr("Business rules (JSONata, one per line)")
                    error: inspector.editor.checkExpression(inspector.step.rules || "", true)
                    multiline: true
                    mono: true
                    value: inspector.step.rules || ""
                    owner: inspector.step.id || ""
                    onEdited: (text, owner) => inspector.setStep("rules", text, owner)
                    onFinished: inspector.editor.endEdit()
                }

                // Branch: one condition per outgoing path.
                SectionTitle {
                    visible: (inspector.step.outgoing || []).length > 0
                    text: stepForm.t === "branch" ? qsTr("Paths") : qsTr("Next")
                }
                Repeater {
                    model: inspector.step.outgoing || []
                    delegate: Rectangle {
                        id: pathCard
                        required property var modelData
                        Layout.fillWidth: true
                        implicitHeight: pathColumn.implicitHeight + 16
                        radius: Theme.radius
                        color: Theme.surfaceAlt
                        border.color: Theme.divider
                        ColumnLayout {
                            id: pathColumn
                            anchors.left: parent.left
                            anchors.right: parent.right
                            anchors.top: parent.top
                            anchors.margins: 8
                            spacing: 4
                            Label {
                                Layout.fillWidth: true
                                elide: Text.ElideRight
                                text: "\u2192 " + pathCard.modelData.toName + "  \u00b7  "
                                      + inspector.kindText(pathCard.modelData.kind)
                                font.pixelSize: Theme.fontSmall
                                font.weight: Font.DemiBold
                                color: Theme.textSecondary
                            }
                            WorkflowField {
                                visible: stepForm.t === "branch"
                                label: qsTr("When (JSONata)")
                                error: inspector.editor.checkExpression(
                                           pathCard.modelData.condition)
                                mono: true
                                placeholder: qsTr("always")
                                value: pathCard.modelData.condition
                                owner: String(pathCard.modelData.edge)
                                onEdited: (text, owner) => inspector.editor.setEdgeValue(
                                              Number(owner), "condition", text)
                                onFinished: inspector.editor.endEdit()
                            }
                            WorkflowField {
                                label: qsTr("Label")
                                value: pathCard.modelData.label
                                owner: String(pathCard.modelData.edge)
                                onEdited: (text, owner) => inspector.editor.setEdgeValue(
                                              Number(owner), "label", text)
                                onFinished: inspector.editor.endEdit()
                            }
                        }
                    }
                }

                // Publish / wait.
                SectionTitle {
                    visible: stepForm.t === "publish" || stepForm.t === "wait"
                    text: stepForm.t === "wait" ? qsTr("Wait for event") : qsTr("Event")
                }
                WorkflowField {
                    visible: stepForm.t === "publish" || stepForm.t === "wait"
                    label: qsTr("Topic")
                    mono: true
                    placeholder: "billing.invoice.issued"
                    value: inspector.step.topic || ""
                    owner: inspector.step.id || ""
                    onEdited: (text, owner) => inspector.setStep("topic", text, owner)
                    onFinished: inspector.editor.endEdit()
                }
                WorkflowField {
                    visible: stepForm.t === "wait"
                    label: qsTr("Correlation key (JSONata)")
                    error: inspector.editor.checkExpression(inspector.step.correlation || "")
                    hint: qsTr("Matched against the awaited event's correlation id.")
                    mono: true
                    placeholder: "subscription.id"
                    value: inspector.step.correlation || ""
                    owner: inspector.step.id || ""
                    onEdited: (text, owner) => inspector.setStep("correlation", text, owner)
                    onFinished: inspector.editor.endEdit()
                }
                WorkflowField {
                    id: waitTimeoutField
                    visible: stepForm.t === "wait"
                    label: qsTr("Give up after")
                    hint: qsTr("Then the on-timeout edge is taken.")
                    placeholder: qsTr("e.g. 24 h")
                    value: inspector.step.waitTimeout || ""
                    owner: inspector.step.id || ""
                    onFinished: (text, owner) => inspector.durationFinished(
                                    waitTimeoutField, "waitTimeoutMs", text, owner)
                }

                // Approve.
                SectionTitle { visible: stepForm.t === "approve"; text: qsTr("Approval") }
                WorkflowField {
                    visible: stepForm.t === "approve"
                    label: qsTr("Approver role")
                    placeholder: "Deal Desk"
                    value: inspector.step.role || ""
                    owner: inspector.step.id || ""
                    onEdited: (text, owner) => inspector.setStep("role", text, owner)
                    onFinished: inspector.editor.endEdit()
                }
                WorkflowField {
                    id: escalationField
                    visible: stepForm.t === "approve"
                    label: qsTr("Escalate after")
                    placeholder: qsTr("e.g. 4 h")
                    value: inspector.step.escalation || ""
                    owner: inspector.step.id || ""
                    onFinished: (text, owner) => inspector.durationFinished(
                                    escalationField, "escalationMs", text, owner)
                }
                WorkflowField {
                    visible: stepForm.t === "approve"
                    label: qsTr("Escalate to")
                    placeholder: "Sales Ops"
                    value: inspector.step.escalateTo || ""
                    owner: inspector.step.id || ""
                    onEdited: (text, owner) => inspector.setStep("escalateTo", text, owner)
                    onFinished: inspector.editor.endEdit()
                }
                Item { Layout.preferredHeight: Theme.spacingM }
            }

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
                    visible: wfForm.tt !== "schedule"
                    label: qsTr("System")
                    noneText: qsTr("(none)")
                    options: inspector.editor.systemIds
                    value: inspector.wf["trigger.system"] || ""
                    onChosen: (v) => inspector.editor.setTriggerValue("system", v)
                }
                ChoiceField {
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
