#include "app/run/runmodels.h"

#include <nlohmann/json.hpp>

using ojson = nlohmann::ordered_json;

namespace {

ojson parse(const QByteArray &b)
{
    return ojson::parse(b.constData(), b.constData() + b.size(), nullptr, false);
}

QString q(const std::string &s) { return QString::fromStdString(s); }

QString pretty(const ojson &j)
{
    if (j.is_null() || j.is_discarded())
        return QString();
    if (j.is_string())
        return q(j.get<std::string>());
    return q(j.dump(2));
}

QString stepNameOf(const sb::model::Workflow *wf, const QString &id)
{
    if (!wf || id.isEmpty())
        return id;
    if (const sb::model::Step *s = wf->step(id))
        return s->name.isEmpty() ? id : s->name;
    return id;
}

QDateTime isoTime(const QString &s) { return QDateTime::fromString(s, Qt::ISODateWithMs); }

// Task variables without the noise: the trigger payload's own fields first.
QString taskSummary(const ojson &vars)
{
    if (!vars.is_object())
        return QString();
    QStringList parts;
    for (const char *k : {"name", "amount", "currency"}) {
        if (vars.contains(k) && !vars[k].is_object())
            parts << (vars[k].is_string() ? q(vars[k].get<std::string>()) : q(vars[k].dump()));
    }
    if (vars.contains("quote") && vars["quote"].is_object()
        && vars["quote"].contains("discountPercent"))
        parts << QStringLiteral("discount %1 %").arg(q(vars["quote"]["discountPercent"].dump()));
    return parts.join(QStringLiteral(" \u00b7 "));
}

} // namespace

// ---- InstancesModel -----------------------------------------------------------------------

namespace {

bool isFailed(const RunInstanceRow &row)
{
    return row.status == QLatin1String("dead-lettered")
           || row.status == QLatin1String("compensated") || row.status == QLatin1String("failed");
}

// Stopped short of completion: the failing step and reason are worth showing.
bool isStopped(const RunInstanceRow &row)
{
    return isFailed(row) || row.status == QLatin1String("waiting");
}

} // namespace

InstancesModel::InstancesModel(QObject *parent) : RowListModel(parent)
{
    setRoles(
        &m_rows,
        {{Qt::DisplayRole, nullptr, [](const Row &r) -> QVariant { return r.base.id; }},
         {InstanceIdRole, "instanceId", [](const Row &r) -> QVariant { return r.base.id; }},
         {StatusRole, "status", [](const Row &r) -> QVariant { return r.base.status; }},
         {CorrelationIdRole, "correlationId",
          [](const Row &r) -> QVariant { return r.base.correlationId; }},
         {DurationMsRole, "durationMs", &Row::durationMs},
         {DurationTextRole, "durationText",
          [](const Row &r) -> QVariant { return formatDuration(r.durationMs); }},
         {StartedTextRole, "startedText",
          [](const Row &r) -> QVariant {
              const QDateTime t = isoTime(r.base.firstAt);
              return t.isValid() ? t.toString(QStringLiteral("HH:mm:ss")) : QString();
          }},
         {FailingStepRole, "failingStep",
          [](const Row &r) -> QVariant {
              return isStopped(r.base) ? r.base.currentStep : QString();
          }},
         {FailingStepNameRole, "failingStepName",
          [this](const Row &r) -> QVariant {
              return isStopped(r.base) ? m_stepNames.value(r.base.currentStep, r.base.currentStep)
                                       : QString();
          }},
         {ReasonRole, "reason",
          [](const Row &r) -> QVariant { return isFailed(r.base) ? r.base.reason : QString(); }},
         {DeadLetterIdRole, "deadLetterId",
          [](const Row &r) -> QVariant { return r.base.deadLetterId; }}});
}

QString InstancesModel::formatDuration(qint64 ms)
{
    if (ms < 0)
        return QString();
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 60000)
        return QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', 1);
    if (ms < 3600000)
        return QStringLiteral("%1 min").arg(ms / 60000.0, 0, 'f', 1);
    return QStringLiteral("%1 h").arg(ms / 3600000.0, 0, 'f', 1);
}

void InstancesModel::reload(const RunDb *db, const sb::model::Workflow *workflow)
{
    m_db = db;
    m_stepNames.clear();
    if (workflow) {
        for (const sb::model::Step &s : workflow->steps)
            m_stepNames.insert(s.id, s.name.isEmpty() ? s.id : s.name);
    }
    refill();
}

void InstancesModel::refreshCounts(const RunDb *db)
{
    m_counts = db && db->isOpen() ? db->statusCounts() : QVariantMap();
    emit countChanged();
}

void InstancesModel::setStatusFilter(const QString &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    emit statusFilterChanged();
    refill();
}

void InstancesModel::refill()
{
    beginResetModel();
    m_rows.clear();
    m_counts.clear();
    if (m_db && m_db->isOpen()) {
        const auto rows = m_db->instances(m_filter);
        m_rows.reserve(rows.size());
        for (const RunInstanceRow &r : rows) {
            Row row{r, -1};
            const QDateTime a = isoTime(r.firstAt), b = isoTime(r.lastAt);
            if (a.isValid() && b.isValid())
                row.durationMs = a.msecsTo(b);
            m_rows.append(row);
        }
        m_counts = m_db->statusCounts();
    }
    endResetModel();
    emit countChanged();
}

int InstancesModel::indexOf(const QString &instanceId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].base.id == instanceId)
            return i;
    }
    return -1;
}

QString InstancesModel::instanceAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].base.id : QString();
}

// ---- TraceModel ---------------------------------------------------------------------------

TraceModel::TraceModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows, {{Qt::DisplayRole, nullptr, &Row::stepName},
                       {StepNameRole, "stepName", &Row::stepName},
                       {SeqRole, "seq", &Row::seq},
                       {StepIdRole, "stepId", &Row::stepId},
                       {StepTypeRole, "stepType", &Row::stepType},
                       {KindRole, "kind", &Row::kind},
                       {AtTextRole, "atText", &Row::atText},
                       {OffsetMsRole, "offsetMs", &Row::offsetMs},
                       {DurationMsRole, "durationMs", &Row::durationMs},
                       {HttpStatusRole, "httpStatus", &Row::httpStatus},
                       {RequestLineRole, "requestLine",
                        [](const Row &r) -> QVariant { return r.requestLine.trimmed(); }},
                       {RequestBodyRole, "requestBody", &Row::requestBody},
                       {ResponseBodyRole, "responseBody", &Row::responseBody},
                       {OutputRole, "output", &Row::output},
                       {ErrorRole, "error", &Row::error},
                       {CategoryRole, "category", &Row::category},
                       {AttemptRole, "attempt", &Row::attempt},
                       {NextRole, "next", &Row::next},
                       {DetailRole, "detail", &Row::detail}});
}

void TraceModel::load(const RunDb *db, const QString &instanceId, const sb::model::Workflow *wf)
{
    beginResetModel();
    m_rows.clear();
    m_instance = instanceId;
    m_totalMs = 0;
    if (db && db->isOpen() && !instanceId.isEmpty()) {
        const auto journal = db->journal(instanceId);
        QDateTime first;
        for (const RunJournalRow &e : journal) {
            const ojson p = parse(e.payload);
            const QDateTime at = p.is_object() ? isoTime(q(p.value("at", std::string())))
                                               : QDateTime();
            if (!first.isValid())
                first = at;
            if (e.kind == QLatin1String("start"))
                continue; // its outcome row carries the span
            Row r;
            r.seq = e.seq;
            r.stepId = e.stepId;
            r.kind = e.kind;
            r.stepName = e.stepId.isEmpty() ? (e.kind == QLatin1String("result")
                                                   ? QStringLiteral("Instance completed")
                                                   : QStringLiteral("Trigger"))
                                            : stepNameOf(wf, e.stepId);
            if (wf && !e.stepId.isEmpty()) {
                if (const sb::model::Step *s = wf->step(e.stepId))
                    r.stepType = sb::model::toString(s->type);
            }
            r.atText = at.isValid() ? at.toString(QStringLiteral("HH:mm:ss.zzz")) : QString();
            r.offsetMs = first.isValid() && at.isValid() ? first.msecsTo(at) : 0;
            m_totalMs = std::max(m_totalMs, r.offsetMs);
            if (p.is_object()) {
                const ojson span = p.value("span", ojson::object());
                if (span.is_object()) {
                    r.durationMs = span.value("durationMs", qint64(-1));
                    if (span.contains("request") && span["request"].is_object()) {
                        const ojson &rq = span["request"];
                        r.requestLine = q(rq.value("method", std::string())) + QLatin1Char(' ')
                                        + q(rq.value("path", std::string()));
                        if (rq.contains("body"))
                            r.requestBody = pretty(rq["body"]);
                    }
                    if (span.contains("response") && span["response"].is_object()) {
                        const ojson &rs = span["response"];
                        r.httpStatus = rs.value("status", 0);
                        if (rs.contains("body"))
                            r.responseBody = pretty(rs["body"]);
                        if (rs.contains("error") && r.error.isEmpty())
                            r.error = pretty(rs["error"]);
                    }
                    if (span.contains("output"))
                        r.output = pretty(span["output"]);
                    if (span.contains("chosen"))
                        r.next = pretty(span["chosen"]);
                    if (span.contains("violations"))
                        r.output = pretty(span["violations"]);
                }
                if (p.contains("error"))
                    r.error = pretty(p["error"]);
                if (p.contains("category"))
                    r.category = pretty(p["category"]);
                if (p.contains("attempt") && p["attempt"].is_number())
                    r.attempt = p["attempt"].get<int>();
                if (p.contains("next") && r.next.isEmpty())
                    r.next = pretty(p["next"]);
                if (p.contains("decision"))
                    r.output = QStringLiteral("%1 by %2").arg(pretty(p["decision"]),
                                                              pretty(p["by"]));
                if (p.contains("delayMs"))
                    r.detail = QStringLiteral("retry in %1")
                                   .arg(InstancesModel::formatDuration(
                                       p["delayMs"].get<qint64>()));
                if (p.contains("replay"))
                    r.detail = QStringLiteral("replay of dead letter %1%2")
                                   .arg(pretty(p["replay"]),
                                        p.value("edited", false) ? QStringLiteral(", edited")
                                                                 : QString());
            }
            r.next = stepNameOf(wf, r.next);
            m_rows.append(r);
        }
    }
    endResetModel();
    emit loaded();
}

QStringList TraceModel::path() const
{
    QStringList out;
    for (const Row &r : m_rows) {
        if (!r.stepId.isEmpty() && !out.contains(r.stepId))
            out << r.stepId;
    }
    return out;
}

QStringList TraceModel::sequence() const
{
    QStringList out;
    for (const Row &r : m_rows) {
        if (!r.stepId.isEmpty() && (out.isEmpty() || out.last() != r.stepId))
            out << r.stepId;
    }
    return out;
}

// ---- TasksModel ---------------------------------------------------------------------------

TasksModel::TasksModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows,
             {{Qt::DisplayRole, nullptr, [](const Row &r) -> QVariant { return r.base.id; }},
              {TaskIdRole, "taskId", [](const Row &r) -> QVariant { return r.base.id; }},
              {InstanceIdRole, "instanceId",
               [](const Row &r) -> QVariant { return r.base.instanceId; }},
              {CorrelationIdRole, "correlationId",
               [](const Row &r) -> QVariant { return r.base.correlationId; }},
              {StepIdRole, "stepId", [](const Row &r) -> QVariant { return r.base.stepId; }},
              {StepNameRole, "stepName", &Row::stepName},
              {RoleNameRole, "roleName", [](const Row &r) -> QVariant { return r.base.role; }},
              {PayloadRole, "payload", &Row::payload},
              {SummaryRole, "summary", &Row::summary}});
}

void TasksModel::reload(const RunDb *db, const sb::model::Workflow *wf)
{
    beginResetModel();
    m_rows.clear();
    if (db && db->isOpen()) {
        for (const RunTaskRow &t : db->tasks()) {
            const ojson vars = parse(t.payload);
            // Editable payload: the trigger's fields, not the step outputs.
            ojson shown = vars;
            if (shown.is_object()) {
                for (const char *k : {"account", "customer", "erpCustomer", "salesOrder",
                                      "billingAccount", "subscription", "invoice"})
                    shown.erase(k);
            }
            m_rows.append({t, stepNameOf(wf, t.stepId), pretty(shown), taskSummary(vars)});
        }
    }
    endResetModel();
    emit countChanged();
}

// ---- DeadLettersModel ---------------------------------------------------------------------

DeadLettersModel::DeadLettersModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows,
             {{Qt::DisplayRole, nullptr, [](const Row &r) -> QVariant { return r.base.id; }},
              {LetterIdRole, "letterId", [](const Row &r) -> QVariant { return r.base.id; }},
              {InstanceIdRole, "instanceId",
               [](const Row &r) -> QVariant { return r.base.instanceId; }},
              {CorrelationIdRole, "correlationId", &Row::correlationId},
              {StepIdRole, "stepId", [](const Row &r) -> QVariant { return r.base.stepId; }},
              {StepNameRole, "stepName", &Row::stepName},
              {ErrorRole, "error", [](const Row &r) -> QVariant { return r.base.error; }},
              {CategoryRole, "category", &Row::category},
              {PayloadRole, "payload", &Row::payload}});
}

void DeadLettersModel::reload(const RunDb *db, const sb::model::Workflow *wf)
{
    beginResetModel();
    m_rows.clear();
    if (db && db->isOpen()) {
        for (const RunDeadLetterRow &d : db->deadLetters()) {
            const ojson ctx = parse(d.context);
            Row r{d, QString(), stepNameOf(wf, d.stepId), QString(), QString()};
            if (ctx.is_object()) {
                r.correlationId = q(ctx.value("correlationId", std::string()));
                r.category = q(ctx.value("category", std::string()));
                r.payload = pretty(ctx.value("variables", ojson()));
            }
            m_rows.append(r);
        }
    }
    endResetModel();
    emit countChanged();
}

// ---- RunHistoryModel ----------------------------------------------------------------------

RunHistoryModel::RunHistoryModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows,
             {{Qt::DisplayRole, nullptr, &Row::id},
              {RunIdRole, "runId", &Row::id},
              {StartedTextRole, "startedText",
               [](const Row &r) -> QVariant {
                   return r.started.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
               }},
              {WorkflowRole, "workflow", &Row::workflow},
              {DatasetRole, "dataset", &Row::dataset},
              {ProfileRole, "profile", &Row::profile},
              {RecordsRole, "records",
               [](const Row &r) -> QVariant {
                   return r.summary.value(QStringLiteral("records")).toInt();
               }},
              {CompletedRole, "completed",
               [](const Row &r) -> QVariant {
                   return r.summary.value(QStringLiteral("completed")).toInt();
               }},
              {ExceptionsRole, "exceptions",
               [](const Row &r) -> QVariant {
                   return r.summary.value(QStringLiteral("exceptions")).toInt();
               }},
              {DeadLettersRole, "deadLetters",
               [](const Row &r) -> QVariant {
                   return r.summary.value(QStringLiteral("deadLetters")).toInt();
               }},
              {SlaTextRole, "slaText",
               [](const Row &r) -> QVariant {
                   return r.summary.contains(QStringLiteral("slaMetPercent"))
                              ? QStringLiteral("%1 %").arg(
                                    r.summary.value(QStringLiteral("slaMetPercent")).toDouble(), 0,
                                    'f', 1)
                              : QStringLiteral("\u2014");
               }},
              {ThroughputRole, "throughput",
               [](const Row &r) -> QVariant {
                   return r.summary.value(QStringLiteral("throughput")).toDouble();
               }},
              {CurrentRole, "current",
               [this](const Row &r) -> QVariant { return r.id == m_current; }}});
}

void RunHistoryModel::setRuns(const QVector<RunRecord> &runs, qint64 current)
{
    beginResetModel();
    m_rows = runs;
    m_current = current;
    endResetModel();
    emit countChanged();
}

const RunRecord *RunHistoryModel::run(qint64 id) const
{
    for (const RunRecord &r : m_rows) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

