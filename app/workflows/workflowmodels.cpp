#include "app/workflows/workflowmodels.h"

#include "app/shell/nodegeometry.h"
#include "app/workflows/workflowgeometry.h"
#include "runtime/jsonata/jsonata.h"
#include "model/elementref.h"

using namespace sb::model;
namespace wf = studio::workflow;

namespace {

QString stepSubtitle(const Step &s, int outgoing)
{
    switch (s.type) {
    case StepType::Call:
    case StepType::Lookup:
    case StepType::Compensate: {
        QStringList parts;
        if (!s.method.isEmpty())
            parts << s.method.toUpper();
        if (!s.system.isEmpty())
            parts << s.system + (s.path.isEmpty() ? QString() : QStringLiteral(" ") + s.path);
        else if (!s.path.isEmpty())
            parts << s.path;
        return parts.join(QLatin1Char(' '));
    }
    case StepType::Map: return s.mapping;
    case StepType::Validate: {
        QStringList parts;
        if (!s.rules.isEmpty())
            parts << (s.rules.size() == 1 ? QStringLiteral("1 rule")
                                          : QStringLiteral("%1 rules").arg(s.rules.size()));
        if (s.checkSchema)
            parts << QStringLiteral("schema");
        if (s.checkOwnership)
            parts << QStringLiteral("ownership");
        return parts.join(QStringLiteral(" \u00b7 "));
    }
    case StepType::Branch:
        return outgoing == 1 ? QStringLiteral("1 path")
                             : QStringLiteral("%1 paths").arg(outgoing);
    case StepType::Publish: return s.topic;
    case StepType::Wait: {
        const QString t = wf::formatDuration(s.waitTimeoutMs);
        return s.topic + (t.isEmpty() ? QString() : QStringLiteral(" \u00b7 ") + t);
    }
    case StepType::Approve: return s.role;
    }
    return QString();
}

QString triggerSubtitle(const Trigger &t)
{
    switch (t.type) {
    case TriggerType::Webhook:
    case TriggerType::Event:
        if (!t.topic.isEmpty())
            return t.topic;
        if (!t.system.isEmpty())
            return t.system + (t.entity.isEmpty() ? QString() : QLatin1Char('.') + t.entity);
        return t.entity;
    case TriggerType::Schedule: return t.schedule;
    case TriggerType::Batch:
        return t.format.isEmpty() ? t.entity : t.format.toUpper() + QLatin1Char(' ') + t.entity;
    }
    return QString();
}

} // namespace

// ---- WorkflowListModel

bool WorkflowListModel::Row::operator==(const Row &o) const
{
    return key == o.key && name == o.name && pattern == o.pattern && trigger == o.trigger
           && steps == o.steps && count == o.count;
}

void WorkflowListModel::update(const QVector<Workflow> &workflows,
                               const QHash<QString, FindingCount> &counts)
{
    QVector<Row> rows;
    rows.reserve(workflows.size());
    for (const Workflow &w : workflows) {
        Row r;
        r.key = w.id;
        r.name = w.name.isEmpty() ? w.id : w.name;
        r.pattern = wf::patternLabel(w.pattern);
        r.trigger = wf::triggerTypeLabel(w.trigger.type);
        r.steps = int(w.steps.size());
        r.count = counts.value(ElementRef::of(ElementRef::Kind::Workflow, w.id).toString());
        rows << r;
    }
    syncRows(m_rows, rows);
}

int WorkflowListModel::indexOf(const QString &workflowId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].key == workflowId)
            return i;
    }
    return -1;
}

WorkflowListModel::WorkflowListModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows, {{Qt::DisplayRole, nullptr, &Row::name},
                       {NameRole, "name", &Row::name},
                       {WorkflowIdRole, "workflowId", &Row::key},
                       {PatternRole, "pattern", &Row::pattern},
                       {TriggerRole, "triggerLabel", &Row::trigger},
                       {StepCountRole, "stepCount", &Row::steps},
                       {ErrorCountRole, "errorCount",
                        [](const Row &r) -> QVariant { return r.count.errors; }},
                       {WarningCountRole, "warningCount",
                        [](const Row &r) -> QVariant { return r.count.warnings; }}});
}

// ---- WorkflowStepsModel

bool WorkflowStepsModel::Row::operator==(const Row &o) const
{
    return key == o.key && element == o.element && name == o.name && type == o.type
           && icon == o.icon && color == o.color && subtitle == o.subtitle
           && position == o.position && trigger == o.trigger && count == o.count
           && sla == o.sla;
}

void WorkflowStepsModel::update(const Workflow *w, const QHash<QString, FindingCount> &counts,
                                const QVector<Sla> &slas)
{
    QVector<Row> rows;
    QHash<QString, QStringList> marks;
    if (w) {
        for (const Sla &s : slas) {
            if (s.workflow != w->id)
                continue;
            marks[s.fromMilestone] << QStringLiteral("SLA start");
            marks[s.toMilestone]
                << QStringLiteral("SLA ") + wf::formatDuration(qint64(s.targetMinutes) * 60000);
        }
    }
    if (w) {
        rows.reserve(w->steps.size() + 1);
        const ElementRef base = ElementRef::of(ElementRef::Kind::Workflow, w->id);
        Row t;
        t.key = QStringLiteral("trigger");
        t.element = base.withPart(QStringLiteral("trigger")).toString();
        t.name = wf::triggerTypeLabel(w->trigger.type);
        t.type = toString(w->trigger.type);
        t.typeLabel = QStringLiteral("Trigger");
        t.icon = studio::iconUrl(wf::triggerIcon(w->trigger.type));
        t.color = QStringLiteral("#334155");
        t.subtitle = triggerSubtitle(w->trigger);
        t.position = wf::triggerPosition(*w);
        t.trigger = true;
        t.count = counts.value(t.element);
        t.sla = marks.value(t.key).join(QStringLiteral(" \u00b7 "));
        rows << t;
        QHash<QString, int> outgoing;
        for (const Edge &e : w->edges)
            ++outgoing[e.from];
        for (const Step &s : w->steps) {
            Row r;
            r.key = s.id;
            r.element = base.child(QStringLiteral("step"), s.id).toString();
            r.name = s.name.isEmpty() ? s.id : s.name;
            r.type = toString(s.type);
            r.typeLabel = wf::stepTypeLabel(s.type);
            r.icon = studio::iconUrl(wf::stepIcon(s.type));
            r.color = wf::stepColor(s.type);
            r.subtitle = stepSubtitle(s, outgoing.value(s.id));
            r.position = s.position;
            r.count = counts.value(r.element);
            r.sla = marks.value(r.key).join(QStringLiteral(" \u00b7 "));
            rows << r;
        }
    }
    syncRows(m_rows, rows);
}

int WorkflowStepsModel::indexOf(const QString &stepId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].key == stepId)
            return i;
    }
    return -1;
}

WorkflowStepsModel::WorkflowStepsModel(QObject *parent) : RowListModel(parent)
{
    setRoles(
        &m_rows,
        {{Qt::DisplayRole, nullptr, &Row::name},
         {NameRole, "name", &Row::name},
         {StepIdRole, "stepId", &Row::key},
         {ElementRole, "element", &Row::element},
         {TypeRole, "stepType", &Row::type},
         {TypeLabelRole, "typeLabel", &Row::typeLabel},
         {IconRole, "iconSource", &Row::icon},
         {ColorRole, "typeColor", &Row::color},
         {SubtitleRole, "subtitle", &Row::subtitle},
         {NodeXRole, "nodeX", [](const Row &r) -> QVariant { return r.position.x(); }},
         {NodeYRole, "nodeY", [](const Row &r) -> QVariant { return r.position.y(); }},
         {IsTriggerRole, "isTrigger", &Row::trigger},
         {ErrorCountRole, "errorCount", [](const Row &r) -> QVariant { return r.count.errors; }},
         {WarningCountRole, "warningCount",
          [](const Row &r) -> QVariant { return r.count.warnings; }},
         {CanConnectRole, "canConnect",
          [](const Row &r) -> QVariant { return r.type != QLatin1String("compensate"); }},
         {SlaRole, "slaMark", &Row::sla},
         {OnPathRole, "onPath",
          [this](const Row &r) -> QVariant { return m_pathSteps.contains(r.key); }},
         {PathFailedRole, "pathFailed", [this](const Row &r) -> QVariant {
              return !m_pathFailed.isEmpty() && r.key == m_pathFailed;
          }}});
}

void WorkflowStepsModel::setPath(const QSet<QString> &steps, const QString &failed)
{
    if (steps == m_pathSteps && failed == m_pathFailed)
        return;
    m_pathSteps = steps;
    m_pathFailed = failed;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0), index(int(m_rows.size()) - 1), {OnPathRole, PathFailedRole});
}

// ---- WorkflowEdgesModel

bool WorkflowEdgesModel::Row::operator==(const Row &o) const
{
    return key == o.key && edge == o.edge && element == o.element && kind == o.kind
           && label == o.label && condition == o.condition && path == o.path
           && labelPos == o.labelPos && conditionError == o.conditionError;
}

void WorkflowEdgesModel::update(const Workflow *w)
{
    QVector<Row> rows;
    if (w) {
        const ElementRef base = ElementRef::of(ElementRef::Kind::Workflow, w->id);
        // Positions by id: a linear search per edge is quadratic on big workflows.
        QHash<QString, QPointF> positions;
        positions.reserve(w->steps.size() + 1);
        for (const Step &s : w->steps)
            positions.insert(s.id, s.position);
        positions.insert(QStringLiteral("trigger"), wf::triggerPosition(*w));
        rows.reserve(w->edges.size());
        for (int i = 0; i < w->edges.size(); ++i) {
            const Edge &e = w->edges[i];
            const auto fromIt = positions.constFind(e.from);
            const auto toIt = positions.constFind(e.to);
            if (fromIt == positions.constEnd() || toIt == positions.constEnd()
                || e.to == QLatin1String("trigger"))
                continue;  // dangling: the validator reports it
            const QPointF from = *fromIt, to = *toIt;
            const wf::EdgeCurve c = wf::edgeCurve(from, to);
            Row r;
            r.key = QStringLiteral("%1:%2>%3").arg(i).arg(e.from, e.to);
            r.edge = i;
            r.element = base.child(QStringLiteral("edge"), i).toString();
            r.kind = toString(e.kind);
            r.from = e.from;
            r.to = e.to;
            r.label = e.label;
            r.condition = e.condition;
            r.conditionError = !e.condition.trimmed().isEmpty()
                               && !sb::jsonata::Expression::compile(e.condition.toStdString())
                                       .ok();
            r.path = c.svgPath();
            r.labelPos = c.label;
            r.p0 = c.p0;
            r.c1 = c.c1;
            r.c2 = c.c2;
            r.p3 = c.p3;
            rows << r;
        }
        for (const Step &s : w->steps) {
            const bool none = s.compensation.isEmpty()
                              || s.compensation == QLatin1String("trigger");
            const auto compIt = none ? positions.constEnd() : positions.constFind(s.compensation);
            if (compIt == positions.constEnd())
                continue;
            const wf::EdgeCurve c = wf::compensationCurve(s.position, *compIt);
            Row r;
            r.key = QStringLiteral("c:%1>%2").arg(s.id, s.compensation);
            r.element = base.child(QStringLiteral("step"), s.compensation).toString();
            r.kind = QStringLiteral("compensation");
            r.from = s.id;
            r.to = s.compensation;
            r.path = c.svgPath();
            r.labelPos = c.label;
            rows << r;
        }
    }
    syncRows(m_rows, rows);
}

int WorkflowEdgesModel::edgeAt(const QPointF &p, qreal tolerance) const
{
    int best = -1;
    qreal bestDistance = tolerance;
    for (const Row &r : m_rows) {
        if (r.edge < 0)
            continue;
        wf::EdgeCurve c;
        c.p0 = r.p0;
        c.c1 = r.c1;
        c.c2 = r.c2;
        c.p3 = r.p3;
        const qreal d = c.distanceTo(p);
        if (d <= bestDistance) {
            bestDistance = d;
            best = r.edge;
        }
    }
    return best;
}

WorkflowEdgesModel::WorkflowEdgesModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows,
             {{Qt::DisplayRole, nullptr, &Row::label},
              {LabelRole, "label", &Row::label},
              {EdgeIndexRole, "edgeIndex", &Row::edge},
              {ElementRole, "element", &Row::element},
              {KindRole, "edgeKind", &Row::kind},
              {FromRole, "fromStep", &Row::from},
              {ToRole, "toStep", &Row::to},
              {ConditionRole, "condition", &Row::condition},
              {PathRole, "svgPath", &Row::path},
              {LabelXRole, "labelX", [](const Row &r) -> QVariant { return r.labelPos.x(); }},
              {LabelYRole, "labelY", [](const Row &r) -> QVariant { return r.labelPos.y(); }},
              {ConditionErrorRole, "conditionError", &Row::conditionError},
              {OnPathRole, "onPath", [this](const Row &r) -> QVariant {
                   return m_pathTransitions.contains(r.from + QLatin1Char('>') + r.to);
               }}});
}

void WorkflowEdgesModel::setPath(const QSet<QString> &transitions)
{
    if (transitions == m_pathTransitions)
        return;
    m_pathTransitions = transitions;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0), index(int(m_rows.size()) - 1), {OnPathRole});
}

// ---- WorkflowPaletteModel

WorkflowPaletteModel::WorkflowPaletteModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows, {{Qt::DisplayRole, nullptr, &Row::label},
                       {LabelRole, "label", &Row::label},
                       {CategoryRole, "category", &Row::category},
                       {TypeRole, "itemType", &Row::type},
                       {DescriptionRole, "description", &Row::description},
                       {IconRole, "iconSource", &Row::icon},
                       {ColorRole, "typeColor", &Row::color}});
    for (TriggerType t :
         {TriggerType::Webhook, TriggerType::Event, TriggerType::Schedule, TriggerType::Batch}) {
        m_rows.push_back({QStringLiteral("trigger"), toString(t), wf::triggerTypeLabel(t),
                          wf::triggerTypeDescription(t), studio::iconUrl(wf::triggerIcon(t)),
                          QStringLiteral("#334155")});
    }
    for (StepType t : {StepType::Call, StepType::Lookup, StepType::Map, StepType::Validate,
                       StepType::Branch, StepType::Publish, StepType::Wait, StepType::Approve,
                       StepType::Compensate}) {
        m_rows.push_back({QStringLiteral("step"), toString(t), wf::stepTypeLabel(t),
                           wf::stepTypeDescription(t), studio::iconUrl(wf::stepIcon(t)),
                           wf::stepColor(t)});
    }
}
