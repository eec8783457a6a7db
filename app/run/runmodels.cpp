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

InstancesModel::InstancesModel(QObject *parent) : QAbstractListModel(parent) {}

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

int InstancesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant InstancesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[index.row()];
    const bool failed = r.base.status == QLatin1String("dead-lettered")
                        || r.base.status == QLatin1String("compensated")
                        || r.base.status == QLatin1String("failed");
    const bool stopped = failed || r.base.status == QLatin1String("waiting");
    switch (role) {
    case Qt::DisplayRole:
    case InstanceIdRole: return r.base.id;
    case StatusRole: return r.base.status;
    case CorrelationIdRole: return r.base.correlationId;
    case DurationMsRole: return r.durationMs;
    case DurationTextRole: return formatDuration(r.durationMs);
    case StartedTextRole: {
        const QDateTime t = isoTime(r.base.firstAt);
        return t.isValid() ? t.toString(QStringLiteral("HH:mm:ss")) : QString();
    }
    case FailingStepRole: return stopped ? r.base.currentStep : QString();
    case FailingStepNameRole:
        return stopped ? m_stepNames.value(r.base.currentStep, r.base.currentStep) : QString();
    case ReasonRole: return failed ? r.base.reason : QString();
    case DeadLetterIdRole: return r.base.deadLetterId;
    default: return {};
    }
}

QHash<int, QByteArray> InstancesModel::roleNames() const
{
    return {{InstanceIdRole, "instanceId"}, {StatusRole, "status"},
            {CorrelationIdRole, "correlationId"}, {DurationMsRole, "durationMs"},
            {DurationTextRole, "durationText"}, {StartedTextRole, "startedText"},
            {FailingStepRole, "failingStep"}, {FailingStepNameRole, "failingStepName"},
            {ReasonRole, "reason"}, {DeadLetterIdRole, "deadLetterId"}};
}

// ---- TraceModel ---------------------------------------------------------------------------

TraceModel::TraceModel(QObject *parent) : QAbstractListModel(parent) {}

void TraceModel::load(const RunDb *db, const QString &instanceId,
                      const sb::model::Workflow *wf)
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

int TraceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant TraceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case StepNameRole: return r.stepName;
    case SeqRole: return r.seq;
    case StepIdRole: return r.stepId;
    case StepTypeRole: return r.stepType;
    case KindRole: return r.kind;
    case AtTextRole: return r.atText;
    case OffsetMsRole: return r.offsetMs;
    case DurationMsRole: return r.durationMs;
    case HttpStatusRole: return r.httpStatus;
    case RequestLineRole: return r.requestLine.trimmed();
    case RequestBodyRole: return r.requestBody;
    case ResponseBodyRole: return r.responseBody;
    case OutputRole: return r.output;
    case ErrorRole: return r.error;
    case CategoryRole: return r.category;
    case AttemptRole: return r.attempt;
    case NextRole: return r.next;
    case DetailRole: return r.detail;
    default: return {};
    }
}

QHash<int, QByteArray> TraceModel::roleNames() const
{
    return {{SeqRole, "seq"}, {StepIdRole, "stepId"}, {StepNameRole, "stepName"},
            {StepTypeRole, "stepType"}, {KindRole, "kind"}, {AtTextRole, "atText"},
            {OffsetMsRole, "offsetMs"}, {DurationMsRole, "durationMs"},
            {HttpStatusRole, "httpStatus"}, {RequestLineRole, "requestLine"},
            {RequestBodyRole, "requestBody"}, {ResponseBodyRole, "responseBody"},
            {OutputRole, "output"}, {ErrorRole, "error"}, {CategoryRole, "category"},
            {AttemptRole, "attempt"}, {NextRole, "next"}, {DetailRole, "detail"}};
}

// ---- TasksModel ---------------------------------------------------------------------------

TasksModel::TasksModel(QObject *parent) : QAbstractListModel(parent) {}

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

int TasksModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant TasksModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case TaskIdRole: return r.base.id;
    case InstanceIdRole: return r.base.instanceId;
    case CorrelationIdRole: return r.base.correlationId;
    case StepIdRole: return r.base.stepId;
    case StepNameRole: return r.stepName;
    case RoleNameRole: return r.base.role;
    case PayloadRole: return r.payload;
    case SummaryRole: return r.summary;
    default: return {};
    }
}

QHash<int, QByteArray> TasksModel::roleNames() const
{
    return {{TaskIdRole, "taskId"}, {InstanceIdRole, "instanceId"},
            {CorrelationIdRole, "correlationId"}, {StepIdRole, "stepId"},
            {StepNameRole, "stepName"}, {RoleNameRole, "roleName"}, {PayloadRole, "payload"},
            {SummaryRole, "summary"}};
}

// ---- DeadLettersModel ---------------------------------------------------------------------

DeadLettersModel::DeadLettersModel(QObject *parent) : QAbstractListModel(parent) {}

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

int DeadLettersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant DeadLettersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case LetterIdRole: return r.base.id;
    case InstanceIdRole: return r.base.instanceId;
    case CorrelationIdRole: return r.correlationId;
    case StepIdRole: return r.base.stepId;
    case StepNameRole: return r.stepName;
    case ErrorRole: return r.base.error;
    case CategoryRole: return r.category;
    case PayloadRole: return r.payload;
    default: return {};
    }
}

QHash<int, QByteArray> DeadLettersModel::roleNames() const
{
    return {{LetterIdRole, "letterId"}, {InstanceIdRole, "instanceId"},
            {CorrelationIdRole, "correlationId"}, {StepIdRole, "stepId"},
            {StepNameRole, "stepName"}, {ErrorRole, "error"}, {CategoryRole, "category"},
            {PayloadRole, "payload"}};
}

// ---- RunHistoryModel ----------------------------------------------------------------------

RunHistoryModel::RunHistoryModel(QObject *parent) : QAbstractListModel(parent) {}

void RunHistoryModel::setRuns(const QVector<RunRecord> &runs, qint64 current)
{
    beginResetModel();
    m_runs = runs;
    m_current = current;
    endResetModel();
    emit countChanged();
}

const RunRecord *RunHistoryModel::run(qint64 id) const
{
    for (const RunRecord &r : m_runs) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

int RunHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

QVariant RunHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunRecord &r = m_runs[index.row()];
    const QVariantMap &s = r.summary;
    switch (role) {
    case Qt::DisplayRole:
    case RunIdRole: return r.id;
    case StartedTextRole:
        return r.started.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    case WorkflowRole: return r.workflow;
    case DatasetRole: return r.dataset;
    case ProfileRole: return r.profile;
    case RecordsRole: return s.value(QStringLiteral("records")).toInt();
    case CompletedRole: return s.value(QStringLiteral("completed")).toInt();
    case ExceptionsRole: return s.value(QStringLiteral("exceptions")).toInt();
    case DeadLettersRole: return s.value(QStringLiteral("deadLetters")).toInt();
    case SlaTextRole:
        return s.contains(QStringLiteral("slaMetPercent"))
                   ? QStringLiteral("%1 %").arg(s.value(QStringLiteral("slaMetPercent"))
                                                    .toDouble(), 0, 'f', 1)
                   : QStringLiteral("\u2014");
    case ThroughputRole: return s.value(QStringLiteral("throughput")).toDouble();
    case CurrentRole: return r.id == m_current;
    default: return {};
    }
}

QHash<int, QByteArray> RunHistoryModel::roleNames() const
{
    return {{RunIdRole, "runId"}, {StartedTextRole, "startedText"}, {WorkflowRole, "workflow"},
            {DatasetRole, "dataset"}, {ProfileRole, "profile"}, {RecordsRole, "records"},
            {CompletedRole, "completed"}, {ExceptionsRole, "exceptions"},
            {DeadLettersRole, "deadLetters"}, {SlaTextRole, "slaText"},
            {ThroughputRole, "throughput"}, {CurrentRole, "current"}};
}
