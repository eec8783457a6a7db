#include "app/workflows/workfloweditor.h"

#include "app/shell/choices.h"
#include "app/workflows/workflowgeometry.h"
#include "model/secrets.h"
#include "model/elementref.h"

#include <QSet>

#include <cmath>

using namespace sb::model;
namespace wf = studio::workflow;

// WorkflowEditor's details for the inspector: the open workflow, the selected step or edge
// and the trigger as the maps the QML inspector binds to.

namespace {

QString joinStatuses(const QVector<int> &statuses)
{
    QStringList parts;
    for (int s : statuses)
        parts << QString::number(s);
    return parts.join(QStringLiteral(", "));
}

QVariantMap stepRef(const Step &s)
{
    return {{QStringLiteral("id"), s.id},
            {QStringLiteral("name"), s.name.isEmpty() ? s.id : s.name}};
}

} // namespace

QVariantMap WorkflowEditor::workflowDetails() const
{
    const Workflow *w = current();
    if (!w)
        return {};
    QVariantMap m;
    m[QStringLiteral("id")] = w->id;
    m[QStringLiteral("name")] = w->name;
    m[QStringLiteral("description")] = w->description;
    m[QStringLiteral("pattern")] = toString(w->pattern);
    QVariantList patterns;
    for (WorkflowPattern p : {WorkflowPattern::PointToPoint, WorkflowPattern::HubOrchestration,
                              WorkflowPattern::EventDriven, WorkflowPattern::Batch,
                              WorkflowPattern::HumanInTheLoop}) {
        patterns << QVariantMap{{QStringLiteral("value"), toString(p)},
                                {QStringLiteral("text"), wf::patternLabel(p)}};
    }
    m[QStringLiteral("patterns")] = patterns;
    const Trigger &t = w->trigger;
    m[QStringLiteral("triggerType")] = toString(t.type);
    m[QStringLiteral("triggerLabel")] = wf::triggerTypeLabel(t.type);
    m[QStringLiteral("trigger.system")] = t.system;
    m[QStringLiteral("trigger.entity")] = t.entity;
    m[QStringLiteral("trigger.topic")] = t.topic;
    m[QStringLiteral("trigger.schedule")] = t.schedule;
    m[QStringLiteral("trigger.format")] = t.format;
    m[QStringLiteral("trigger.eventIdPath")] = t.eventIdPath;
    m[QStringLiteral("trigger.correlationPath")] = t.correlationPath;
    m[QStringLiteral("trigger.filter")] = t.filter;
    m[QStringLiteral("trigger.deadLetter")] = t.deadLetter;
    m[QStringLiteral("trigger.authType")] = toString(t.auth.type);
    m[QStringLiteral("trigger.authSecret")] = t.auth.secretRef;
    m[QStringLiteral("trigger.authTolerance")] = t.auth.toleranceSeconds;
    m[QStringLiteral("trigger.entities")] = entitiesOf(t.system);
    QVariantList steps;
    for (const Step &s : w->steps)
        steps << stepRef(s);
    m[QStringLiteral("stepRefs")] = steps;
    QVariantList slas;
    if (m_doc) {
        auto milestone = [w](const QString &id) {
            if (id == wf::kTriggerId)
                return QStringLiteral("Trigger");
            const Step *s = w->step(id);
            return s ? (s->name.isEmpty() ? s->id : s->name) : id;
        };
        for (const Sla &s : m_doc->project().slas) {
            if (s.workflow != w->id)
                continue;
            slas << QVariantMap{{QStringLiteral("id"), s.id},
                                {QStringLiteral("name"), s.name.isEmpty() ? s.id : s.name},
                                {QStringLiteral("from"), milestone(s.fromMilestone)},
                                {QStringLiteral("to"), milestone(s.toMilestone)},
                                {QStringLiteral("target"),
                                 wf::formatDuration(qint64(s.targetMinutes) * 60000)},
                                {QStringLiteral("percent"), s.targetPercent}};
        }
    }
    m[QStringLiteral("slas")] = slas;
    const FindingCount c = m_counts.value(ElementRef::of(ElementRef::Kind::Workflow, w->id).toString());
    m[QStringLiteral("errorCount")] = c.errors;
    m[QStringLiteral("warningCount")] = c.warnings;
    return m;
}

QVariantMap WorkflowEditor::stepDetails() const
{
    const Workflow *w = current();
    const Step *s = w ? w->step(m_step) : nullptr;
    if (!s)
        return {};
    QVariantMap m;
    m[QStringLiteral("id")] = s->id;
    m[QStringLiteral("name")] = s->name;
    m[QStringLiteral("type")] = toString(s->type);
    m[QStringLiteral("typeLabel")] = wf::stepTypeLabel(s->type);
    m[QStringLiteral("typeDescription")] = wf::stepTypeDescription(s->type);
    m[QStringLiteral("color")] = wf::stepColor(s->type);
    m[QStringLiteral("system")] = s->system;
    m[QStringLiteral("entity")] = s->entity;
    m[QStringLiteral("entities")] = entitiesOf(s->system);
    m[QStringLiteral("method")] = s->method;
    m[QStringLiteral("path")] = s->path;
    m[QStringLiteral("mapping")] = s->mapping;
    m[QStringLiteral("idempotencyKey")] = s->idempotencyKey;
    m[QStringLiteral("timeoutMs")] = s->timeoutMs;
    m[QStringLiteral("timeout")] = wf::formatDuration(s->timeoutMs);
    m[QStringLiteral("retry.maxAttempts")] = s->retry.maxAttempts;
    m[QStringLiteral("retry.initialBackoffMs")] = s->retry.initialBackoffMs;
    m[QStringLiteral("retry.initialBackoff")] = wf::formatDuration(s->retry.initialBackoffMs);
    m[QStringLiteral("retry.multiplier")] = s->retry.multiplier;
    m[QStringLiteral("retry.maxBackoffMs")] = s->retry.maxBackoffMs;
    m[QStringLiteral("retry.maxBackoff")] = wf::formatDuration(s->retry.maxBackoffMs);
    m[QStringLiteral("retry.jitter")] = s->retry.jitter;
    m[QStringLiteral("transientStatuses")] = joinStatuses(s->transientStatuses);
    m[QStringLiteral("businessErrorStatuses")] = joinStatuses(s->businessErrorStatuses);
    m[QStringLiteral("compensation")] = s->compensation;
    m[QStringLiteral("output")] = s->output;
    m[QStringLiteral("rules")] = s->rules.join(QLatin1Char('\n'));
    m[QStringLiteral("checkSchema")] = s->checkSchema;
    m[QStringLiteral("checkOwnership")] = s->checkOwnership;
    m[QStringLiteral("topic")] = s->topic;
    m[QStringLiteral("correlation")] = s->correlation;
    m[QStringLiteral("matchField")] = s->matchField;
    m[QStringLiteral("waitTimeoutMs")] = s->waitTimeoutMs;
    m[QStringLiteral("waitTimeout")] = wf::formatDuration(s->waitTimeoutMs);
    m[QStringLiteral("role")] = s->role;
    m[QStringLiteral("escalationMs")] = s->escalationMs;
    m[QStringLiteral("escalation")] = wf::formatDuration(s->escalationMs);
    m[QStringLiteral("escalateTo")] = s->escalateTo;
    m[QStringLiteral("compensates")] = s->compensates;

    QVariantList compensators, others;
    for (const Step &o : w->steps) {
        if (o.id == s->id)
            continue;
        others << stepRef(o);
        if (o.type == StepType::Compensate)
            compensators << stepRef(o);
    }
    m[QStringLiteral("compensationChoices")] = compensators;
    m[QStringLiteral("stepChoices")] = others;

    QVariantList outgoing;
    for (int i = 0; i < w->edges.size(); ++i) {
        const Edge &e = w->edges[i];
        if (e.from != s->id)
            continue;
        const Step *to = w->step(e.to);
        outgoing << QVariantMap{
            {QStringLiteral("edge"), i},
            {QStringLiteral("to"), e.to},
            {QStringLiteral("toName"), to && !to->name.isEmpty() ? to->name : e.to},
            {QStringLiteral("kind"), toString(e.kind)},
            {QStringLiteral("condition"), e.condition},
            {QStringLiteral("label"), e.label}};
    }
    m[QStringLiteral("outgoing")] = outgoing;

    QVariantList findings;
    if (m_findings) {
        const QString element = stepElement(s->id);
        for (const Finding &f : m_findings->findings()) {
            if (f.location.element == element)
                findings << QVariantMap{{QStringLiteral("severity"), toString(f.severity)},
                                        {QStringLiteral("message"), f.message},
                                        {QStringLiteral("rule"), f.ruleId}};
        }
    }
    m[QStringLiteral("findings")] = findings;
    return m;
}

QVariantMap WorkflowEditor::edgeDetails() const
{
    const Workflow *w = current();
    if (!w || m_edge < 0 || m_edge >= w->edges.size())
        return {};
    const Edge &e = w->edges[m_edge];
    auto name = [w](const QString &id) {
        if (id == wf::kTriggerId)
            return QStringLiteral("Trigger");
        const Step *s = w->step(id);
        return s && !s->name.isEmpty() ? s->name : id;
    };
    const Step *from = w->step(e.from);
    return {{QStringLiteral("index"), m_edge},
            {QStringLiteral("from"), e.from},
            {QStringLiteral("fromName"), name(e.from)},
            {QStringLiteral("fromType"), from ? toString(from->type) : wf::kTriggerId},
            {QStringLiteral("to"), e.to},
            {QStringLiteral("toName"), name(e.to)},
            {QStringLiteral("kind"), toString(e.kind)},
            {QStringLiteral("condition"), e.condition},
            {QStringLiteral("label"), e.label}};
}

bool WorkflowEditor::needsArrange() const
{
    const Workflow *w = current();
    if (!w)
        return false;
    QSet<QPair<qreal, qreal>> seen;
    for (const Step &s : w->steps) {
        if (!wf::nodeSquare(s.position).isValid())
            continue;
        const QPair<qreal, qreal> key(std::round(s.position.x() / 16),
                                      std::round(s.position.y() / 16));
        if (seen.contains(key))
            return true;
        seen.insert(key);
    }
    return false;
}

void WorkflowEditor::updateChoices()
{
    const QStringList systems = m_doc ? idsOf(m_doc->project().systems) : QStringList();
    const QStringList mappings = m_doc ? idsOf(m_doc->project().mappings) : QStringList();
    const QVariantList systemChoices =
        m_doc ? studio::namedChoices(m_doc->project().systems) : QVariantList();
    const QVariantList mappingChoices =
        m_doc ? studio::namedChoices(m_doc->project().mappings) : QVariantList();
    if (systemChoices == m_systemChoices && mappingChoices == m_mappingChoices)
        return;
    m_systemIds = systems;
    m_mappingIds = mappings;
    m_systemChoices = systemChoices;
    m_mappingChoices = mappingChoices;
    emit choicesChanged();
}

QStringList WorkflowEditor::entitiesOf(const QString &systemId) const
{
    QStringList names;
    const System *s = m_doc ? m_doc->project().system(systemId) : nullptr;
    if (s) {
        for (const Entity &e : s->entities)
            names << e.name;
    }
    return names;
}

QVariantList WorkflowEditor::stepTypes() const
{
    QVariantList types;
    for (int i = 0; i < m_palette->rowCount(); ++i) {
        const QModelIndex idx = m_palette->index(i);
        if (idx.data(WorkflowPaletteModel::CategoryRole).toString() != QLatin1String("step"))
            continue;
        types << QVariantMap{
            {QStringLiteral("type"), idx.data(WorkflowPaletteModel::TypeRole)},
            {QStringLiteral("label"), idx.data(WorkflowPaletteModel::LabelRole)},
            {QStringLiteral("icon"), idx.data(WorkflowPaletteModel::IconRole)},
            {QStringLiteral("color"), idx.data(WorkflowPaletteModel::ColorRole)}};
    }
    return types;
}

QString WorkflowEditor::stepElement(const QString &stepId) const
{
    const ElementRef workflow = ElementRef::of(ElementRef::Kind::Workflow, m_workflowId);
    if (stepId == wf::kTriggerId)
        return workflow.withPart(QStringLiteral("trigger")).toString();
    return workflow.child(QStringLiteral("step"), stepId).toString();
}

QString WorkflowEditor::edgeElement(int edge) const
{
    return ElementRef::of(ElementRef::Kind::Workflow, m_workflowId)
        .child(QStringLiteral("edge"), edge)
        .toString();
}
