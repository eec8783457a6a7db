// The tables of the PostgreSQL store: instances, journal, ledger, de-duplication, dead
// letters, approval tasks and timers. The SQL mirrors the SQLite store's.
#include "runtime/pgstore/pgstore_detail.h"

namespace sb::runtime {

using namespace pgdetail;

namespace {

QByteArray orDefault(const QByteArray &v, const char *fallback)
{
    return v.isEmpty() ? QByteArray(fallback) : v;
}

const char *const kInstanceSelect =
    "SELECT id, workflow_id, correlation_id, traceparent, status, variables, current_step, "
    "created, updated FROM instances";

InstanceRecord readInstance(const PostgresStore::Rows &r, int row)
{
    InstanceRecord in;
    in.id = r.text(row, 0);
    in.workflowId = r.text(row, 1);
    in.correlationId = r.text(row, 2);
    in.traceparent = r.text(row, 3);
    in.status = instanceStatusFromString(r.text(row, 4)).value_or(InstanceStatus::Failed);
    in.variables = r.bytes(row, 5);
    in.currentStep = r.text(row, 6);
    in.created = fromMs(r.integer(row, 7));
    in.updated = fromMs(r.integer(row, 8));
    return in;
}

QVector<InstanceRecord> readInstances(const PostgresStore::Rows &r)
{
    QVector<InstanceRecord> out;
    for (int i = 0; i < r.count(); ++i)
        out.append(readInstance(r, i));
    return out;
}

} // namespace

// ---- instances ------------------------------------------------------------------------

Result<void> PostgresStore::createInstance(const InstanceRecord &in)
{
    const qint64 now = nowMs();
    auto r = query("INSERT INTO instances (id, workflow_id, correlation_id, traceparent, "
                   "status, variables, current_step, created, updated) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                   Params() << in.id << in.workflowId << in.correlationId << in.traceparent
                            << toString(in.status) << orDefault(in.variables, "{}")
                            << in.currentStep << (in.created.isValid() ? toMs(in.created) : now)
                            << now);
    if (!r.ok()) {
        Error e = r.error();
        e.message = QStringLiteral("cannot create instance %1: %2").arg(in.id, e.message);
        return e;
    }
    return Ok{};
}

Result<void> PostgresStore::updateInstance(const QString &id, InstanceStatus status,
                                           const QByteArray &variables,
                                           const QString &currentStep)
{
    auto r = query("UPDATE instances SET status = $1, variables = $2, current_step = $3, "
                   "updated = $4 WHERE id = $5",
                   Params() << toString(status) << orDefault(variables, "{}") << currentStep
                            << nowMs() << id);
    if (!r.ok())
        return r.error();
    if (r.value().affected() == 0)
        return Error{QStringLiteral("no instance %1").arg(id)};
    return Ok{};
}

Result<void> PostgresStore::setInstanceStatus(const QString &id, InstanceStatus status)
{
    auto r = query("UPDATE instances SET status = $1, updated = $2 WHERE id = $3",
                   Params() << toString(status) << nowMs() << id);
    if (!r.ok())
        return r.error();
    if (r.value().affected() == 0)
        return Error{QStringLiteral("no instance %1").arg(id)};
    return Ok{};
}

Result<InstanceRecord> PostgresStore::instance(const QString &id) const
{
    const QByteArray sql = QByteArray(kInstanceSelect) + " WHERE id = $1";
    auto r = query(sql.constData(), Params() << id);
    if (!r.ok())
        return r.error();
    if (r.value().count() == 0)
        return Error{QStringLiteral("no instance %1").arg(id)};
    return readInstance(r.value(), 0);
}

Result<QVector<InstanceRecord>> PostgresStore::instances(std::optional<InstanceStatus> status,
                                                         int limit) const
{
    QByteArray sql = kInstanceSelect;
    Params p;
    if (status) {
        sql += " WHERE status = $1 ORDER BY created, id LIMIT $2";
        p << toString(*status);
    } else {
        sql += " ORDER BY created, id LIMIT $1";
    }
    if (limit < 0)
        p.null(); // LIMIT NULL: all rows
    else
        p << limit;
    auto r = query(sql.constData(), p);
    if (!r.ok())
        return r.error();
    return readInstances(r.value());
}

Result<QVector<InstanceRecord>>
PostgresStore::instancesByCorrelation(const QString &correlationId) const
{
    const QByteArray sql =
        QByteArray(kInstanceSelect) + " WHERE correlation_id = $1 ORDER BY created, id";
    auto r = query(sql.constData(), Params() << correlationId);
    if (!r.ok())
        return r.error();
    return readInstances(r.value());
}

Result<QVector<InstanceRecord>> PostgresStore::unfinishedInstances() const
{
    const QByteArray sql = QByteArray(kInstanceSelect)
                           + " WHERE status IN ('running', 'waiting') ORDER BY created, id";
    auto r = query(sql.constData(), Params());
    if (!r.ok())
        return r.error();
    return readInstances(r.value());
}

Result<qint64> PostgresStore::countInstances(std::optional<InstanceStatus> status) const
{
    auto r = status ? query("SELECT COUNT(*) FROM instances WHERE status = $1",
                            Params() << toString(*status))
                    : query("SELECT COUNT(*) FROM instances", Params());
    if (!r.ok())
        return r.error();
    return r.value().integer(0, 0);
}

// ---- journal --------------------------------------------------------------------------

Result<qint64> PostgresStore::appendJournal(const QString &instanceId, const QString &stepId,
                                            JournalKind kind, const QByteArray &payload)
{
    auto r = query("INSERT INTO journal (instance_id, seq, step_id, kind, payload, at) "
                   "SELECT $1::text, COALESCE(MAX(seq), 0) + 1, $2::text, $3::text, $4::text, "
                   "$5::bigint FROM journal WHERE instance_id = $1::text RETURNING seq",
                   Params() << instanceId << stepId << toString(kind)
                            << orDefault(payload, "null") << nowMs());
    if (!r.ok() || r.value().count() != 1) {
        Error e = r.ok() ? Error{QStringLiteral("no seq returned")} : r.error();
        e.message = QStringLiteral("cannot append to the journal of %1: %2")
                        .arg(instanceId, e.message);
        return e;
    }
    return r.value().integer(0, 0);
}

namespace {
const char *const kJournalSelect =
    "SELECT instance_id, seq, step_id, kind, payload, at FROM journal WHERE instance_id = $1";

JournalEntry readJournal(const PostgresStore::Rows &r, int row)
{
    JournalEntry e;
    e.instanceId = r.text(row, 0);
    e.seq = r.integer(row, 1);
    e.stepId = r.text(row, 2);
    e.kind = journalKindFromString(r.text(row, 3)).value_or(JournalKind::Error);
    e.payload = r.bytes(row, 4);
    e.at = fromMs(r.integer(row, 5));
    return e;
}
} // namespace

Result<QVector<JournalEntry>> PostgresStore::journal(const QString &instanceId) const
{
    const QByteArray sql = QByteArray(kJournalSelect) + " ORDER BY seq";
    auto r = query(sql.constData(), Params() << instanceId);
    if (!r.ok())
        return r.error();
    QVector<JournalEntry> out;
    for (int i = 0; i < r.value().count(); ++i)
        out.append(readJournal(r.value(), i));
    return out;
}

Result<JournalEntry> PostgresStore::lastJournalEntry(const QString &instanceId) const
{
    const QByteArray sql = QByteArray(kJournalSelect) + " ORDER BY seq DESC LIMIT 1";
    auto r = query(sql.constData(), Params() << instanceId);
    if (!r.ok())
        return r.error();
    if (r.value().count() == 0)
        return Error{QStringLiteral("the journal of %1 is empty").arg(instanceId)};
    return readJournal(r.value(), 0);
}

// ---- outbound ledger / inbound de-duplication ----------------------------------------

Result<void> PostgresStore::recordOutbound(const OutboundRecord &o)
{
    auto r = query("INSERT INTO outbound (key, instance_id, step_id, status, response, at) "
                   "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO UPDATE SET "
                   "instance_id = EXCLUDED.instance_id, step_id = EXCLUDED.step_id, "
                   "status = EXCLUDED.status, response = EXCLUDED.response, at = EXCLUDED.at",
                   Params() << o.key << o.instanceId << o.stepId << o.status
                            << orDefault(o.response, "null") << nowMs());
    if (!r.ok())
        return r.error();
    return Ok{};
}

Result<std::optional<OutboundRecord>> PostgresStore::outbound(const QString &key) const
{
    auto r = query("SELECT key, instance_id, step_id, status, response, at FROM outbound "
                   "WHERE key = $1", Params() << key);
    if (!r.ok())
        return r.error();
    const Rows &rows = r.value();
    if (rows.count() == 0)
        return std::optional<OutboundRecord>();
    OutboundRecord o;
    o.key = rows.text(0, 0);
    o.instanceId = rows.text(0, 1);
    o.stepId = rows.text(0, 2);
    o.status = int(rows.integer(0, 3));
    o.response = rows.bytes(0, 4);
    o.at = fromMs(rows.integer(0, 5));
    return std::optional<OutboundRecord>(o);
}

Result<bool> PostgresStore::markEventSeen(const QString &eventId, const QString &source)
{
    // The primary key decides, so two runners given the same event never both accept it.
    auto r = query("INSERT INTO inbound (event_id, source, at) VALUES ($1, $2, $3) "
                   "ON CONFLICT (event_id) DO NOTHING",
                   Params() << eventId << source << nowMs());
    if (!r.ok())
        return r.error();
    return r.value().affected() > 0;
}

Result<bool> PostgresStore::eventSeen(const QString &eventId) const
{
    auto r = query("SELECT 1 FROM inbound WHERE event_id = $1", Params() << eventId);
    if (!r.ok())
        return r.error();
    return r.value().count() > 0;
}

// ---- dead letters ---------------------------------------------------------------------

namespace {
const char *const kDeadLetterSelect =
    "SELECT id, instance_id, step_id, error, context, replayed, created FROM dead_letters";

DeadLetter readDeadLetter(const PostgresStore::Rows &r, int row)
{
    DeadLetter d;
    d.id = r.integer(row, 0);
    d.instanceId = r.text(row, 1);
    d.stepId = r.text(row, 2);
    d.error = r.text(row, 3);
    d.context = r.bytes(row, 4);
    d.replayed = r.bytes(row, 5) == "t";
    d.created = fromMs(r.integer(row, 6));
    return d;
}
} // namespace

Result<qint64> PostgresStore::addDeadLetter(const DeadLetter &d)
{
    auto r = query("INSERT INTO dead_letters (instance_id, step_id, error, context, replayed, "
                   "created) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                   Params() << d.instanceId << d.stepId << d.error << orDefault(d.context, "{}")
                            << (d.replayed ? "true" : "false") << nowMs());
    if (!r.ok())
        return r.error();
    return r.value().integer(0, 0);
}

Result<DeadLetter> PostgresStore::deadLetter(qint64 id) const
{
    const QByteArray sql = QByteArray(kDeadLetterSelect) + " WHERE id = $1";
    auto r = query(sql.constData(), Params() << id);
    if (!r.ok())
        return r.error();
    if (r.value().count() == 0)
        return Error{QStringLiteral("no dead letter %1").arg(id)};
    return readDeadLetter(r.value(), 0);
}

Result<QVector<DeadLetter>> PostgresStore::deadLetters(bool includeReplayed) const
{
    const QByteArray sql =
        QByteArray(kDeadLetterSelect)
        + (includeReplayed ? " ORDER BY id" : " WHERE NOT replayed ORDER BY id");
    auto r = query(sql.constData(), Params());
    if (!r.ok())
        return r.error();
    QVector<DeadLetter> out;
    for (int i = 0; i < r.value().count(); ++i)
        out.append(readDeadLetter(r.value(), i));
    return out;
}

Result<void> PostgresStore::markDeadLetterReplayed(qint64 id)
{
    auto r = query("UPDATE dead_letters SET replayed = TRUE WHERE id = $1", Params() << id);
    if (!r.ok())
        return r.error();
    if (r.value().affected() == 0)
        return Error{QStringLiteral("no dead letter %1").arg(id)};
    return Ok{};
}

// ---- approval tasks -------------------------------------------------------------------

namespace {
const char *const kTaskSelect =
    "SELECT id, instance_id, step_id, role, status, payload, escalate_at, decided_by, note, "
    "created, updated FROM tasks";

QVector<ApprovalTask> readTasks(const PostgresStore::Rows &r)
{
    QVector<ApprovalTask> out;
    for (int row = 0; row < r.count(); ++row) {
        ApprovalTask t;
        t.id = r.integer(row, 0);
        t.instanceId = r.text(row, 1);
        t.stepId = r.text(row, 2);
        t.role = r.text(row, 3);
        t.status = taskStatusFromString(r.text(row, 4)).value_or(TaskStatus::Open);
        t.payload = r.bytes(row, 5);
        t.escalateAt = fromMs(r.integer(row, 6));
        t.decidedBy = r.text(row, 7);
        t.note = r.text(row, 8);
        t.created = fromMs(r.integer(row, 9));
        t.updated = fromMs(r.integer(row, 10));
        out.append(t);
    }
    return out;
}
} // namespace

Result<qint64> PostgresStore::addTask(const ApprovalTask &t)
{
    const qint64 now = nowMs();
    auto r = query("INSERT INTO tasks (instance_id, step_id, role, status, payload, "
                   "escalate_at, decided_by, note, created, updated) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                   Params() << t.instanceId << t.stepId << t.role << toString(t.status)
                            << orDefault(t.payload, "{}") << toMs(t.escalateAt) << t.decidedBy
                            << t.note << now << now);
    if (!r.ok())
        return r.error();
    return r.value().integer(0, 0);
}

Result<ApprovalTask> PostgresStore::task(qint64 id) const
{
    const QByteArray sql = QByteArray(kTaskSelect) + " WHERE id = $1";
    auto r = query(sql.constData(), Params() << id);
    if (!r.ok())
        return r.error();
    const auto found = readTasks(r.value());
    if (found.isEmpty())
        return Error{QStringLiteral("no task %1").arg(id)};
    return found.first();
}

Result<QVector<ApprovalTask>> PostgresStore::tasks(std::optional<TaskStatus> status) const
{
    QByteArray sql = kTaskSelect;
    Params p;
    if (status) {
        sql += " WHERE status = $1";
        p << toString(*status);
    }
    sql += " ORDER BY id";
    auto r = query(sql.constData(), p);
    if (!r.ok())
        return r.error();
    return readTasks(r.value());
}

Result<void> PostgresStore::decideTask(qint64 id, TaskStatus status, const QString &decidedBy,
                                       const QString &note,
                                       const std::optional<QByteArray> &payload)
{
    if (status == TaskStatus::Open)
        return Error{QStringLiteral("a decision must approve or reject task %1").arg(id)};
    Params p;
    p << toString(status) << decidedBy << note;
    if (payload)
        p << *payload;
    else
        p.null(); // keep the stored payload
    p << nowMs() << id;
    auto r = query("UPDATE tasks SET status = $1, decided_by = $2, note = $3, "
                   "payload = COALESCE($4, payload), updated = $5 "
                   "WHERE id = $6 AND status = 'open'", p);
    if (!r.ok())
        return r.error();
    if (r.value().affected() == 0)
        return Error{QStringLiteral("task %1 is unknown or already decided").arg(id)};
    return Ok{};
}

Result<QVector<ApprovalTask>> PostgresStore::tasksToEscalate(const QDateTime &now) const
{
    const QByteArray sql = QByteArray(kTaskSelect)
                           + " WHERE status = 'open' AND escalate_at > 0 AND escalate_at <= $1"
                             " ORDER BY escalate_at, id";
    auto r = query(sql.constData(), Params() << toMs(now));
    if (!r.ok())
        return r.error();
    return readTasks(r.value());
}

// ---- timers ---------------------------------------------------------------------------

namespace {
const char *const kTimerSelect = "SELECT id, instance_id, step_id, kind, due, payload FROM timers";

QVector<Timer> readTimers(const PostgresStore::Rows &r)
{
    QVector<Timer> out;
    for (int row = 0; row < r.count(); ++row) {
        Timer t;
        t.id = r.integer(row, 0);
        t.instanceId = r.text(row, 1);
        t.stepId = r.text(row, 2);
        t.kind = r.text(row, 3);
        t.due = fromMs(r.integer(row, 4));
        t.payload = r.bytes(row, 5);
        out.append(t);
    }
    return out;
}
} // namespace

Result<qint64> PostgresStore::addTimer(const Timer &t)
{
    if (!t.due.isValid())
        return Error{QStringLiteral("a timer needs a due time")};
    auto r = query("INSERT INTO timers (instance_id, step_id, kind, due, payload) "
                   "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                   Params() << t.instanceId << t.stepId << t.kind << toMs(t.due)
                            << orDefault(t.payload, "null"));
    if (!r.ok())
        return r.error();
    return r.value().integer(0, 0);
}

Result<QVector<Timer>> PostgresStore::dueTimers(const QDateTime &now) const
{
    const QByteArray sql = QByteArray(kTimerSelect) + " WHERE due <= $1 ORDER BY due, id";
    auto r = query(sql.constData(), Params() << toMs(now));
    if (!r.ok())
        return r.error();
    return readTimers(r.value());
}

Result<QVector<Timer>> PostgresStore::timers(const QString &instanceId) const
{
    auto r = instanceId.isEmpty()
                 ? query("SELECT id, instance_id, step_id, kind, due, payload FROM timers "
                         "ORDER BY due, id", Params())
                 : query("SELECT id, instance_id, step_id, kind, due, payload FROM timers "
                         "WHERE instance_id = $1 ORDER BY due, id", Params() << instanceId);
    if (!r.ok())
        return r.error();
    return readTimers(r.value());
}

Result<std::optional<QDateTime>> PostgresStore::nextTimerDue() const
{
    auto r = query("SELECT MIN(due) FROM timers", Params());
    if (!r.ok())
        return r.error();
    if (r.value().isNull(0, 0))
        return std::optional<QDateTime>();
    return std::optional<QDateTime>(fromMs(r.value().integer(0, 0)));
}

Result<bool> PostgresStore::removeTimer(qint64 id)
{
    auto r = query("DELETE FROM timers WHERE id = $1", Params() << id);
    if (!r.ok())
        return r.error();
    return r.value().affected() > 0;
}

Result<bool> PostgresStore::removeTimers(const QString &instanceId, const QString &stepId)
{
    auto r = stepId.isEmpty()
                 ? query("DELETE FROM timers WHERE instance_id = $1", Params() << instanceId)
                 : query("DELETE FROM timers WHERE instance_id = $1 AND step_id = $2",
                         Params() << instanceId << stepId);
    if (!r.ok())
        return r.error();
    return r.value().affected() > 0;
}

} // namespace sb::runtime
