import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Controls
import Switchboard.Workflows

// The selected step's settings, by step type (call, lookup, transform, wait, ...). Reads
// inspector.step and edits through the inspector's setStep/durationFinished/numberFinished.
ColumnLayout {
    required property Item inspector
    visible: inspector.mode === "step"
    Layout.fillWidth: true
    Layout.leftMargin: Theme.spacingM
    Layout.rightMargin: Theme.spacingM
    spacing: Theme.spacingS
    readonly property string t: inspector.step.type || ""
    readonly property bool endpoint: t === "call" || t === "lookup"
                                     || t === "compensate"
    id: stepForm

    // Findings on this step, refreshed when another step is selected or typing ends: banners
    // appearing and vanishing with each keystroke would move the controls under the pointer.
    readonly property string stepId: inspector.step.id || ""
    property var shownFindings: []
    function refreshFindings() { shownFindings = inspector.step.findings || [] }
    onStepIdChanged: refreshFindings()
    Connections {
        target: stepForm.inspector
        function onStepChanged() {
            if (!stepForm.inspector.typing)
                stepForm.refreshFindings()
        }
        function onTypingChanged() {
            if (!stepForm.inspector.typing)
                stepForm.refreshFindings()
        }
    }
    Repeater {
        objectName: "stepFindings"
        model: stepForm.shownFindings
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
        options: inspector.editor.systemChoices
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
        options: inspector.editor.mappingChoices
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
