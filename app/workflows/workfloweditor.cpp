#include "app/workflows/workfloweditor.h"

#include "app/workflows/workflowgeometry.h"
#include "model/secrets.h"
#include "runtime/jsonata/jsonata.h"

#include <QLineF>
#include <QRegularExpression>
#include <QSet>

#include <cmath>

using namespace sb::model;
namespace wf = studio::workflow;

namespace {

const QString kTrigger = QStringLiteral("trigger");

QString joinStatuses(const QVector<int> &statuses)
{
    QStringList parts;
    for (int s : statuses)
        parts << QString::number(s);
    return parts.join(QStringLiteral(", "));
}

// "400, 409 422" -> {400, 409, 422}; false unless every item is an HTTP status.
bool parseStatuses(const QString &text, QVector<int> *out)
{
    static const QRegularExpression sep(QStringLiteral("[,;\\s]+"));
    QVector<int> result;
    const QStringList parts = text.split(sep, Qt::SkipEmptyParts);
    for (const QString &p : parts) {
        bool ok = false;
        const int v = p.toInt(&ok);
        if (!ok || v < 100 || v > 599)
            return false;
        if (!result.contains(v))
            result << v;
    }
    *out = result;
    return true;
}

QString slug(const QString &name, const QString &fallback)
{
    QString s = name.trimmed().toLower();
    static const QRegularExpression nonWord(QStringLiteral("[^a-z0-9]+"));
    s.replace(nonWord, QStringLiteral("-"));
    while (s.startsWith(QLatin1Char('-')))
        s.remove(0, 1);
    while (s.endsWith(QLatin1Char('-')))
        s.chop(1);
    return s.isEmpty() ? fallback : s;
}

qreal snap(qreal v)
{
    return std::round(v / 8.0) * 8.0;
}

// Keys edited by choosing (combo boxes, check boxes): each choice is its own undo step.
bool isChoiceKey(const QString &key)
{
    static const QStringList keys{
        QStringLiteral("system"),       QStringLiteral("entity"),
        QStringLiteral("method"),       QStringLiteral("mapping"),
        QStringLiteral("compensation"), QStringLiteral("compensates"),
        QStringLiteral("checkSchema"),  QStringLiteral("checkOwnership"),
        QStringLiteral("retry.jitter"), QStringLiteral("kind"),
        QStringLiteral("type"),         QStringLiteral("pattern"),
        QStringLiteral("deadLetter"),   QStringLiteral("format")};
    return keys.contains(key);
}

QVariantMap stepRef(const Step &s)
{
    return {{QStringLiteral("id"), s.id},
            {QStringLiteral("name"), s.name.isEmpty() ? s.id : s.name}};
}

} // namespace

WorkflowEditor::WorkflowEditor(QObject *parent)
    : QObject(parent),
      m_workflows(new WorkflowListModel(this)),
      m_steps(new WorkflowStepsModel(this)),
      m_edges(new WorkflowEdgesModel(this)),
      m_palette(new WorkflowPaletteModel(this))
{
    m_recountTimer.setSingleShot(true);
    m_recountTimer.setInterval(0);
    connect(&m_recountTimer, &QTimer::timeout, this, &WorkflowEditor::recount);
}

void WorkflowEditor::setDocument(QObject *document)
{
    if (document == m_document)
        return;
    if (m_doc)
        disconnect(m_doc, nullptr, this, nullptr);
    m_document = document;
    m_doc = qobject_cast<Document *>(document);
    if (m_doc) {
        connect(m_doc, &QObject::destroyed, this, [this] {
            m_doc = nullptr;
            refresh();
        });
        connect(m_doc, &Document::changed, this, [this](const Change &c) {
            switch (c.collection) {
            case Collection::Workflows:
            case Collection::Project:
                refresh();
                break;
            case Collection::Slas:
                refresh();
                break;
            case Collection::Systems:
            case Collection::Mappings:
                if (c.layoutOnly)
                    break;
                updateChoices();
                emit detailsChanged();
                break;
            default:
                break;
            }
        });
        connect(m_doc, &Document::projectReset, this, [this] {
            setSelection(QString(), -1, false);
            m_workflowId.clear();
            refresh();
            emit workflowChanged();
        });
    }
    refresh();
    emit documentChanged();
    emit workflowChanged();
}

void WorkflowEditor::setFindings(FindingsModel *findings)
{
    if (findings == m_findings)
        return;
    if (m_findings)
        disconnect(m_findings, nullptr, this, nullptr);
    m_findings = findings;
    if (m_findings) {
        auto schedule = [this] { m_recountTimer.start(); };
        connect(m_findings, &QAbstractItemModel::modelReset, this, schedule);
        connect(m_findings, &QAbstractItemModel::rowsInserted, this, schedule);
        connect(m_findings, &QAbstractItemModel::rowsRemoved, this, schedule);
        connect(m_findings, &QAbstractItemModel::dataChanged, this, schedule);
        connect(m_findings, &QAbstractItemModel::layoutChanged, this, schedule);
    }
    recount();
    emit findingsChanged();
}

void WorkflowEditor::setWorkflowId(const QString &id)
{
    if (id == m_workflowId)
        return;
    m_workflowId = id;
    m_step.clear();
    m_edge = -1;
    m_trigger = false;
    refresh();
    emit workflowChanged();
    emit selectionChanged();
}

void WorkflowEditor::setSelectedElement(const QString &element)
{
    m_selected = element;
    const QString prefix = QStringLiteral("workflow:");
    if (element.startsWith(QLatin1String("sla:")) && m_doc) {
        const QString id = element.mid(4);
        for (const Sla &s : m_doc->project().slas) {
            if (s.id == id && m_doc->project().workflow(s.workflow))
                setWorkflowId(s.workflow);
        }
        setSelection(QString(), -1, false);
        return;
    }
    if (!element.startsWith(prefix)) {
        setSelection(QString(), -1, false);
        return;
    }
    const QStringList parts = element.mid(prefix.size()).split(QLatin1Char('/'));
    const QString id = parts.value(0);
    if (m_doc && m_doc->project().workflow(id) && id != m_workflowId) {
        m_workflowId = id;
        refresh();
        emit workflowChanged();
    }
    const QString sub = parts.value(1);
    if (sub.startsWith(QLatin1String("step:"))) {
        setSelection(sub.mid(5), -1, false);
        if (!m_step.isEmpty())
            emit revealRequested(nodeRect(m_step));
    } else if (sub.startsWith(QLatin1String("edge:"))) {
        setSelection(QString(), sub.mid(5).toInt(), false);
        if (const Workflow *w = current(); w && m_edge >= 0) {
            const Edge &e = w->edges[m_edge];
            const QRectF a = nodeRect(e.from), b = nodeRect(e.to);
            if (!a.isNull() && !b.isNull())
                emit revealRequested(a.united(b));
        }
    } else if (sub == kTrigger) {
        setSelection(QString(), -1, true);
    } else {
        setSelection(QString(), -1, false);
    }
}

void WorkflowEditor::setSelection(const QString &step, int edge, bool trigger)
{
    const Workflow *w = current();
    QString s = step;
    if (!w || (!s.isEmpty() && !w->step(s)))
        s.clear();
    int e = edge;
    if (!w || e < 0 || e >= w->edges.size())
        e = -1;
    const bool t = w && trigger;
    if (s == m_step && e == m_edge && t == m_trigger)
        return;
    m_step = s;
    m_edge = e;
    m_trigger = t;
    emit selectionChanged();
    emit detailsChanged();
}

const Workflow *WorkflowEditor::current() const
{
    return m_doc ? m_doc->project().workflow(m_workflowId) : nullptr;
}

void WorkflowEditor::ensureWorkflow()
{
    if (!m_doc)
        return;
    const Project &p = m_doc->project();
    if (!m_workflowId.isEmpty() && p.workflow(m_workflowId))
        return;
    const QString next = p.workflows.isEmpty() ? QString() : p.workflows.first().id;
    if (next != m_workflowId) {
        m_workflowId = next;
        emit workflowChanged();
    }
}

void WorkflowEditor::refresh()
{
    updateChoices();
    ensureWorkflow();
    const Workflow *w = current();
    m_workflows->update(m_doc ? m_doc->project().workflows : QVector<Workflow>(), m_counts);
    m_steps->update(w, m_counts, m_doc ? m_doc->project().slas : QVector<Sla>());
    m_edges->update(w);
    // A selection that no longer exists (deleted, undone) is dropped.
    const bool stale = (!m_step.isEmpty() && (!w || !w->step(m_step)))
                       || (m_edge >= 0 && (!w || m_edge >= w->edges.size()));
    if (stale) {
        m_step = w && w->step(m_step) ? m_step : QString();
        m_edge = w && m_edge < w->edges.size() ? m_edge : -1;
        emit selectionChanged();
    }
    applyPath();
    emit detailsChanged();
}

void WorkflowEditor::setHighlightedPath(const QVariantMap &path)
{
    if (path == m_path)
        return;
    m_path = path;
    if (!applyPath())
        emit highlightChanged(); // the path itself is a property
}

// Keeps only what exists in the open workflow: a path of another workflow, or of steps
// since deleted, draws nothing of them.
bool WorkflowEditor::applyPath()
{
    QStringList steps;
    QSet<QString> transitions;
    QString failed;
    const Workflow *w = current();
    if (w && !m_path.isEmpty()
        && m_path.value(QStringLiteral("workflowId")).toString() == w->id) {
        for (const QString &id : m_path.value(QStringLiteral("steps")).toStringList()) {
            if (w->step(id) && !steps.contains(id))
                steps << id;
        }
        QStringList seq = m_path.value(QStringLiteral("sequence")).toStringList();
        if (seq.isEmpty())
            seq = steps;
        QString prev = QStringLiteral("trigger");
        for (const QString &id : seq) {
            if (!w->step(id))
                continue;
            if (id != prev)
                transitions.insert(prev + QLatin1Char('>') + id);
            prev = id;
        }
        failed = m_path.value(QStringLiteral("failedStep")).toString();
        if (!w->step(failed))
            failed.clear();
    }
    QSet<QString> nodes(steps.cbegin(), steps.cend());
    if (!nodes.isEmpty())
        nodes.insert(QStringLiteral("trigger"));
    m_steps->setPath(nodes, failed);
    m_edges->setPath(transitions);
    if (steps == m_pathSteps && transitions == m_pathTransitions && failed == m_pathFailed)
        return false;
    m_pathSteps = steps;
    m_pathTransitions = transitions;
    m_pathFailed = failed;
    emit highlightChanged();
    return true;
}

QVariantList WorkflowEditor::highlightedEdges() const
{
    QVariantList out;
    if (const Workflow *w = current()) {
        for (int i = 0; i < w->edges.size(); ++i) {
            const Edge &e = w->edges[i];
            if (m_pathTransitions.contains(e.from + QLatin1Char('>') + e.to))
                out << i;
        }
    }
    return out;
}

void WorkflowEditor::recount()
{
    m_counts.clear();
    if (m_findings) {
        const QString prefix = QStringLiteral("workflow:");
        for (const Finding &f : m_findings->findings()) {
            const QString &e = f.location.element;
            if (!e.startsWith(prefix) || f.severity == Severity::Info)
                continue;
            const QStringList parts = e.mid(prefix.size()).split(QLatin1Char('/'));
            QStringList keys{prefix + parts.value(0)};
            if (parts.size() > 1)
                keys << keys.first() + QLatin1Char('/') + parts.value(1);
            for (const QString &k : keys) {
                FindingCount &c = m_counts[k];
                if (f.severity == Severity::Error)
                    ++c.errors;
                else
                    ++c.warnings;
            }
        }
    }
    refresh();
}

// ---- details for the inspector

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
            if (id == kTrigger)
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
    const FindingCount c = m_counts.value(QStringLiteral("workflow:") + w->id);
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
        if (id == kTrigger)
            return QStringLiteral("Trigger");
        const Step *s = w->step(id);
        return s && !s->name.isEmpty() ? s->name : id;
    };
    const Step *from = w->step(e.from);
    return {{QStringLiteral("index"), m_edge},
            {QStringLiteral("from"), e.from},
            {QStringLiteral("fromName"), name(e.from)},
            {QStringLiteral("fromType"), from ? toString(from->type) : kTrigger},
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
    if (systems == m_systemIds && mappings == m_mappingIds)
        return;
    m_systemIds = systems;
    m_mappingIds = mappings;
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
    if (stepId == kTrigger)
        return QStringLiteral("workflow:%1/trigger").arg(m_workflowId);
    return QStringLiteral("workflow:%1/step:%2").arg(m_workflowId, stepId);
}

QString WorkflowEditor::edgeElement(int edge) const
{
    return QStringLiteral("workflow:%1/edge:%2").arg(m_workflowId).arg(edge);
}

// ---- edits

void WorkflowEditor::commit(const Workflow &w, const QString &text, const QString &mergeKey)
{
    if (m_doc)
        m_doc->updateWorkflow(w, text, mergeKey);
}

QString WorkflowEditor::webhookSecretError(const QString &type, const QString &reference)
{
    WebhookAuth auth;
    auth.type = webhookAuthTypeFromString(type).value_or(WebhookAuthType::Unset);
    auth.secretRef = reference;
    return webhookSecretProblem(auth);
}

QString WorkflowEditor::addWorkflow(const QString &name)
{
    if (!m_doc)
        return QString();
    Workflow w;
    w.name = name.trimmed().isEmpty() ? QStringLiteral("New workflow") : name.trimmed();
    w.id = m_doc->uniqueId(Collection::Workflows, slug(w.name, QStringLiteral("workflow")));
    w.trigger.type = TriggerType::Webhook;
    m_doc->insertWorkflow(w);
    setWorkflowId(w.id);
    return w.id;
}

void WorkflowEditor::renameWorkflow(const QString &id, const QString &name)
{
    const Workflow *w = m_doc ? m_doc->project().workflow(id) : nullptr;
    if (!w || name.trimmed().isEmpty())
        return;
    Workflow next = *w;
    next.name = name.trimmed();
    m_doc->updateWorkflow(next, QStringLiteral("Rename workflow '%1'").arg(id));
}

void WorkflowEditor::removeWorkflow(const QString &id)
{
    if (!m_doc || !m_doc->project().workflow(id))
        return;
    m_doc->removeWorkflow(id);
}

QString WorkflowEditor::uniqueStepId(const Workflow &w, const QString &base) const
{
    if (!w.step(base) && base != kTrigger)
        return base;
    for (int n = 2;; ++n) {
        const QString id = QStringLiteral("%1-%2").arg(base).arg(n);
        if (!w.step(id))
            return id;
    }
}

QString WorkflowEditor::addStep(const QString &type, qreal x, qreal y,
                                const QString &connectFrom)
{
    const Workflow *w = current();
    const auto t = stepTypeFromString(type);
    if (!w || !t)
        return QString();
    Workflow next = *w;
    Step s;
    s.type = *t;
    s.id = uniqueStepId(next, type);
    s.name = wf::stepTypeLabel(*t);
    s.position = QPointF(snap(x), snap(y));
    if (s.type == StepType::Call)
        s.method = QStringLiteral("POST");
    else if (s.type == StepType::Lookup)
        s.method = QStringLiteral("GET");
    next.steps.push_back(s);
    if (!connectFrom.isEmpty() && (connectFrom == kTrigger || w->step(connectFrom))) {
        Edge e;
        e.from = connectFrom;
        e.to = s.id;
        next.edges.push_back(e);
    }
    commit(next, QStringLiteral("Add step '%1'").arg(s.id));
    return s.id;
}

QPointF WorkflowEditor::suggestedPosition(const QString &after) const
{
    const Workflow *w = current();
    if (!w)
        return QPointF(0, 0);
    QPointF anchor;
    if (!after.isEmpty() && wf::nodePosition(*w, after, &anchor)) {
        QPointF p = anchor + QPointF(wf::kLayerSpacing, 0);
        // Below any step already there.
        for (int guard = 0; guard < 50; ++guard) {
            bool taken = false;
            for (const Step &s : w->steps) {
                if (QLineF(s.position, p).length() < wf::kStepSize)
                    taken = true;
            }
            if (!taken)
                break;
            p.ry() += wf::kRowSpacing;
        }
        return p;
    }
    if (w->steps.isEmpty())
        return QPointF(wf::kLayerSpacing, 0);
    qreal maxX = w->steps.first().position.x();
    for (const Step &s : w->steps)
        maxX = std::max(maxX, s.position.x());
    return QPointF(maxX + wf::kLayerSpacing, 0);
}

void WorkflowEditor::setTriggerType(const QString &type)
{
    setTriggerValue(QStringLiteral("type"), type);
}

bool WorkflowEditor::canConnect(const QString &from, const QString &to) const
{
    const Workflow *w = current();
    if (!w || from == to || to == kTrigger || !w->step(to))
        return false;
    if (from != kTrigger && !w->step(from))
        return false;
    for (const Edge &e : w->edges) {
        if (e.from == from && e.to == to)
            return false;
    }
    return true;
}

int WorkflowEditor::connectSteps(const QString &from, const QString &to)
{
    if (!canConnect(from, to))
        return -1;
    Workflow next = *current();
    Edge e;
    e.from = from;
    e.to = to;
    next.edges.push_back(e);
    commit(next, QStringLiteral("Connect '%1' to '%2'").arg(from, to));
    return int(next.edges.size()) - 1;
}

void WorkflowEditor::removeStep(const QString &stepId)
{
    const Workflow *w = current();
    if (!w || !w->step(stepId))
        return;
    Workflow next = *w;
    next.steps.erase(std::remove_if(next.steps.begin(), next.steps.end(),
                                    [&](const Step &s) { return s.id == stepId; }),
                     next.steps.end());
    next.edges.erase(std::remove_if(next.edges.begin(), next.edges.end(),
                                    [&](const Edge &e) {
                                        return e.from == stepId || e.to == stepId;
                                    }),
                     next.edges.end());
    // References to it would be dangling: clear them in the same undo step.
    for (Step &s : next.steps) {
        if (s.compensation == stepId)
            s.compensation.clear();
        if (s.compensates == stepId)
            s.compensates.clear();
    }
    if (next.trigger.deadLetter == stepId)
        next.trigger.deadLetter = QStringLiteral("dlq");
    if (m_step == stepId)
        setSelection(QString(), -1, false);
    commit(next, QStringLiteral("Delete step '%1'").arg(stepId));
}

void WorkflowEditor::removeEdge(int edge)
{
    const Workflow *w = current();
    if (!w || edge < 0 || edge >= w->edges.size())
        return;
    Workflow next = *w;
    const Edge e = next.edges.takeAt(edge);
    if (m_edge == edge)
        setSelection(QString(), -1, false);
    commit(next, QStringLiteral("Delete edge '%1' to '%2'").arg(e.from, e.to));
}

bool WorkflowEditor::removeSelected()
{
    if (!m_step.isEmpty()) {
        removeStep(m_step);
        return true;
    }
    if (m_edge >= 0) {
        removeEdge(m_edge);
        return true;
    }
    return false;
}

void WorkflowEditor::moveStep(const QString &stepId, qreal x, qreal y)
{
    const Workflow *w = current();
    const Step *s = w ? w->step(stepId) : nullptr;
    if (!s || s->position == QPointF(x, y))
        return;  // no empty undo steps for a click without movement
    m_doc->moveStep(m_workflowId, stepId, QPointF(x, y));
}

void WorkflowEditor::endEdit()
{
    if (m_doc)
        m_doc->endMergeGroup();
}

void WorkflowEditor::autoArrange()
{
    const Workflow *w = current();
    if (!w || w->steps.isEmpty())
        return;
    const QHash<QString, QPointF> positions = wf::arrange(*w);
    Workflow next = *w;
    for (Step &s : next.steps)
        s.position = positions.value(s.id, s.position);
    endEdit();
    commit(next, QStringLiteral("Arrange workflow '%1'").arg(w->id));
}

bool WorkflowEditor::setWorkflowValue(const QString &key, const QVariant &value)
{
    const Workflow *w = current();
    if (!w)
        return false;
    Workflow next = *w;
    const QString text = value.toString();
    if (key == QLatin1String("name")) {
        next.name = text;
    } else if (key == QLatin1String("description")) {
        next.description = text;
    } else if (key == QLatin1String("pattern")) {
        const auto p = workflowPatternFromString(text);
        if (!p)
            return false;
        next.pattern = *p;
    } else {
        return false;
    }
    const QString merge = isChoiceKey(key)
                              ? QString()
                              : QStringLiteral("edit:workflow:%1/%2").arg(w->id, key);
    commit(next, QStringLiteral("Edit workflow '%1'").arg(w->id), merge);
    return true;
}

bool WorkflowEditor::setTriggerValue(const QString &key, const QVariant &value)
{
    const Workflow *w = current();
    if (!w)
        return false;
    Workflow next = *w;
    Trigger &t = next.trigger;
    const QString text = value.toString();
    if (key == QLatin1String("type")) {
        const auto type = triggerTypeFromString(text);
        if (!type)
            return false;
        t.type = *type;
    } else if (key == QLatin1String("system")) {
        if (t.system != text)
            t.entity.clear();
        t.system = text;
    } else if (key == QLatin1String("entity")) {
        t.entity = text;
    } else if (key == QLatin1String("topic")) {
        t.topic = text;
    } else if (key == QLatin1String("schedule")) {
        t.schedule = text;
    } else if (key == QLatin1String("format")) {
        t.format = text;
    } else if (key == QLatin1String("eventIdPath")) {
        t.eventIdPath = text;
    } else if (key == QLatin1String("correlationPath")) {
        t.correlationPath = text;
    } else if (key == QLatin1String("filter")) {
        t.filter = text;
    } else if (key == QLatin1String("deadLetter")) {
        t.deadLetter = text;
    } else if (key == QLatin1String("authType")) {
        // "" takes the setting away (validate then reports it); anything else must be known.
        const auto type = webhookAuthTypeFromString(text);
        if (!type && !text.isEmpty())
            return false;
        t.auth.type = type.value_or(WebhookAuthType::Unset);
    } else if (key == QLatin1String("authSecret")) {
        t.auth.secretRef = text.trimmed();
    } else if (key == QLatin1String("authTolerance")) {
        bool ok = false;
        const int seconds = value.toInt(&ok);
        if (!ok || seconds < 1)
            return false;
        t.auth.toleranceSeconds = seconds;
    } else {
        return false;
    }
    const QString merge = isChoiceKey(key) || key == QLatin1String("authType")
                              ? QString()
                              : QStringLiteral("edit:workflow:%1/trigger/%2").arg(w->id, key);
    commit(next, QStringLiteral("Edit trigger of '%1'").arg(w->id), merge);
    return true;
}

bool WorkflowEditor::applyStep(const QString &stepId, const QString &key,
                               const std::function<bool(Step &)> &edit)
{
    const Workflow *w = current();
    if (!w || !w->step(stepId))
        return false;
    Workflow next = *w;
    for (Step &s : next.steps) {
        if (s.id != stepId)
            continue;
        if (!edit(s))
            return false;
    }
    const QString merge =
        isChoiceKey(key) ? QString()
                         : QStringLiteral("edit:workflow:%1/step:%2/%3").arg(w->id, stepId, key);
    commit(next, QStringLiteral("Edit step '%1'").arg(stepId), merge);
    return true;
}

bool WorkflowEditor::setStepValue(const QString &stepId, const QString &key,
                                  const QVariant &value)
{
    const QString text = value.toString();
    auto toInt = [&value](int *out, int min) {
        bool ok = false;
        const double d = value.toDouble(&ok);
        if (!ok || d < min || d > 1e9)
            return false;
        *out = int(std::llround(d));
        return true;
    };
    auto string = [&](QString Step::*member) {
        return applyStep(stepId, key, [&](Step &s) {
            s.*member = text;
            return true;
        });
    };
    auto integer = [&](int Step::*member) {
        int v = 0;
        if (!toInt(&v, 0))
            return false;
        return applyStep(stepId, key, [&](Step &s) {
            s.*member = v;
            return true;
        });
    };
    if (key == QLatin1String("name")) return string(&Step::name);
    if (key == QLatin1String("entity")) return string(&Step::entity);
    if (key == QLatin1String("path")) return string(&Step::path);
    if (key == QLatin1String("mapping")) return string(&Step::mapping);
    if (key == QLatin1String("idempotencyKey")) return string(&Step::idempotencyKey);
    if (key == QLatin1String("compensation")) return string(&Step::compensation);
    if (key == QLatin1String("compensates")) return string(&Step::compensates);
    if (key == QLatin1String("output")) return string(&Step::output);
    if (key == QLatin1String("topic")) return string(&Step::topic);
    if (key == QLatin1String("correlation")) return string(&Step::correlation);
    if (key == QLatin1String("role")) return string(&Step::role);
    if (key == QLatin1String("escalateTo")) return string(&Step::escalateTo);
    if (key == QLatin1String("timeoutMs")) return integer(&Step::timeoutMs);
    if (key == QLatin1String("waitTimeoutMs")) return integer(&Step::waitTimeoutMs);
    if (key == QLatin1String("escalationMs")) return integer(&Step::escalationMs);
    if (key == QLatin1String("method")) {
        const QString m = text.trimmed().toUpper();
        static const QStringList methods{QStringLiteral("GET"), QStringLiteral("POST"),
                                         QStringLiteral("PUT"), QStringLiteral("PATCH"),
                                         QStringLiteral("DELETE"), QString()};
        if (!methods.contains(m))
            return false;
        return applyStep(stepId, key, [&](Step &s) { s.method = m; return true; });
    }
    if (key == QLatin1String("system")) {
        return applyStep(stepId, key, [&](Step &s) {
            if (s.system != text)
                s.entity.clear();  // the entity belonged to the old system
            s.system = text;
            return true;
        });
    }
    if (key == QLatin1String("rules")) {
        QStringList rules;
        for (const QString &line : text.split(QLatin1Char('\n'))) {
            if (!line.trimmed().isEmpty())
                rules << line.trimmed();
        }
        return applyStep(stepId, key, [&](Step &s) { s.rules = rules; return true; });
    }
    if (key == QLatin1String("checkSchema") || key == QLatin1String("checkOwnership")) {
        const bool on = value.toBool();
        const bool schema = key == QLatin1String("checkSchema");
        return applyStep(stepId, key, [&](Step &s) {
            (schema ? s.checkSchema : s.checkOwnership) = on;
            return true;
        });
    }
    if (key == QLatin1String("transientStatuses")
        || key == QLatin1String("businessErrorStatuses")) {
        QVector<int> statuses;
        if (!parseStatuses(text, &statuses))
            return false;
        const bool transient = key == QLatin1String("transientStatuses");
        return applyStep(stepId, key, [&](Step &s) {
            (transient ? s.transientStatuses : s.businessErrorStatuses) = statuses;
            return true;
        });
    }
    if (key.startsWith(QLatin1String("retry."))) {
        const QString field = key.mid(6);
        if (field == QLatin1String("jitter")) {
            const bool on = value.toBool();
            return applyStep(stepId, key, [&](Step &s) { s.retry.jitter = on; return true; });
        }
        if (field == QLatin1String("multiplier")) {
            bool ok = false;
            const double v = value.toDouble(&ok);
            if (!ok || v < 1 || v > 100)
                return false;
            return applyStep(stepId, key, [&](Step &s) {
                s.retry.multiplier = v;
                return true;
            });
        }
        int v = 0;
        if (!toInt(&v, 0))
            return false;
        int RetryPolicy::*member = nullptr;
        if (field == QLatin1String("maxAttempts"))
            member = &RetryPolicy::maxAttempts;
        else if (field == QLatin1String("initialBackoffMs"))
            member = &RetryPolicy::initialBackoffMs;
        else if (field == QLatin1String("maxBackoffMs"))
            member = &RetryPolicy::maxBackoffMs;
        if (!member || (field == QLatin1String("maxAttempts") && v > 100))
            return false;
        return applyStep(stepId, key, [&](Step &s) { s.retry.*member = v; return true; });
    }
    return false;
}

bool WorkflowEditor::setEdgeValue(int edge, const QString &key, const QVariant &value)
{
    const Workflow *w = current();
    if (!w || edge < 0 || edge >= w->edges.size())
        return false;
    Workflow next = *w;
    Edge &e = next.edges[edge];
    const QString text = value.toString();
    if (key == QLatin1String("condition")) {
        e.condition = text;
    } else if (key == QLatin1String("label")) {
        e.label = text;
    } else if (key == QLatin1String("kind")) {
        const auto kind = edgeKindFromString(text);
        if (!kind)
            return false;
        e.kind = *kind;
    } else {
        return false;
    }
    const QString merge = isChoiceKey(key)
                              ? QString()
                              : QStringLiteral("edit:workflow:%1/edge:%2>%3/%4")
                                    .arg(w->id, e.from, e.to, key);
    commit(next, QStringLiteral("Edit edge '%1' to '%2'").arg(e.from, e.to), merge);
    return true;
}

// ---- canvas helpers

QString WorkflowEditor::nodeAt(qreal x, qreal y) const
{
    const Workflow *w = current();
    if (!w)
        return QString();
    const QPointF p(x, y);
    // Squares first (the names below may overlap a neighbour), topmost (last) first.
    for (int i = int(w->steps.size()) - 1; i >= 0; --i) {
        if (wf::nodeSquare(w->steps[i].position).adjusted(-4, -4, 4, 4).contains(p))
            return w->steps[i].id;
    }
    if (wf::nodeSquare(wf::triggerPosition(*w)).contains(p))
        return kTrigger;
    for (int i = int(w->steps.size()) - 1; i >= 0; --i) {
        if (wf::nodeBounds(w->steps[i].position).contains(p))
            return w->steps[i].id;
    }
    return QString();
}

int WorkflowEditor::edgeAt(qreal x, qreal y, qreal tolerance) const
{
    return m_edges->edgeAt(QPointF(x, y), tolerance);
}

QRectF WorkflowEditor::contentBounds() const
{
    const Workflow *w = current();
    if (!w)
        return QRectF();
    QRectF bounds = wf::nodeBounds(wf::triggerPosition(*w));
    for (const Step &s : w->steps)
        bounds = bounds.united(wf::nodeBounds(s.position));
    for (int i = 0; i < m_edges->rowCount(); ++i) {
        const QModelIndex idx = m_edges->index(i);
        const QPointF c(idx.data(WorkflowEdgesModel::LabelXRole).toReal(),
                        idx.data(WorkflowEdgesModel::LabelYRole).toReal());
        bounds = bounds.united(QRectF(c - QPointF(60, 12), QSizeF(120, 24)));
    }
    return bounds;
}

QRectF WorkflowEditor::nodeRect(const QString &stepId) const
{
    const Workflow *w = current();
    QPointF p;
    if (!w || !wf::nodePosition(*w, stepId, &p))
        return QRectF();
    return wf::nodeBounds(p);
}

QString WorkflowEditor::formatDuration(qint64 ms)
{
    return wf::formatDuration(ms);
}

qint64 WorkflowEditor::parseDuration(const QString &text)
{
    return wf::parseDuration(text);
}

QString WorkflowEditor::checkExpression(const QString &expression, bool multiline)
{
    const QStringList lines = multiline ? expression.split(QLatin1Char('\n'))
                                        : QStringList{expression};
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed().isEmpty())
            continue;
        const auto compiled = sb::jsonata::Expression::compile(lines[i].toStdString());
        if (compiled.ok())
            continue;
        const sb::jsonata::Error &e = compiled.error();
        QString where;
        if (multiline)
            where = QStringLiteral("line %1").arg(i + 1);
        if (e.position >= 0)
            where += (where.isEmpty() ? QString() : QStringLiteral(", "))
                     + QStringLiteral("position %1").arg(e.position);
        return QStringLiteral("Syntax error%1: %2")
            .arg(where.isEmpty() ? QString() : QStringLiteral(" at ") + where,
                 QString::fromStdString(e.message));
    }
    return QString();
}
