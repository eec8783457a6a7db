// Dead letters, approval tasks and timers.
#include "runtime/store/storedetail.h"

namespace sb::runtime {

using namespace storedetail;

// ---- dead letters ---------------------------------------------------------------------

namespace {
template <typename St>
DeadLetter readDeadLetter(const St &st)
{
    DeadLetter d;
    d.id = st.integer(0);
    d.instanceId = st.text(1);
    d.stepId = st.text(2);
    d.error = st.text(3);
    d.context = st.bytes(4);
    d.replayed = st.integer(5) != 0;
    d.created = fromMs(st.integer(6));
    return d;
}
} // namespace

Result<qint64> SqliteStore::addDeadLetter(const DeadLetter &d)
{
    SB_PREPARE(st, "INSERT INTO dead_letters (instance_id, step_id, error, context, replayed, "
                   "created) VALUES (?, ?, ?, ?, ?, ?)");
    st.bind(d.instanceId).bind(d.stepId).bind(d.error)
        .bind(d.context.isEmpty() ? QByteArray("{}") : d.context).bind(d.replayed ? 1 : 0)
        .bind(nowMs());
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot add a dead letter for %1").arg(d.instanceId));
    return qint64(sqlite3_last_insert_rowid(m_db));
}

Result<DeadLetter> SqliteStore::deadLetter(qint64 id) const
{
    SB_PREPARE(st, "SELECT id, instance_id, step_id, error, context, replayed, created "
                   "FROM dead_letters WHERE id = ?");
    st.bind(id);
    if (st.step() == SQLITE_ROW)
        return readDeadLetter(st);
    if (!st.done())
        return dbError(QStringLiteral("cannot read dead letter %1").arg(id));
    return Error{QStringLiteral("no dead letter %1").arg(id)};
}

Result<QVector<DeadLetter>> SqliteStore::deadLetters(bool includeReplayed) const
{
    SB_PREPARE(st, includeReplayed
                       ? "SELECT id, instance_id, step_id, error, context, replayed, created "
                         "FROM dead_letters ORDER BY id"
                       : "SELECT id, instance_id, step_id, error, context, replayed, created "
                         "FROM dead_letters WHERE replayed = 0 ORDER BY id");
    QVector<DeadLetter> out;
    while (st.step() == SQLITE_ROW)
        out.append(readDeadLetter(st));
    if (!st.done())
        return dbError(QStringLiteral("cannot list dead letters"));
    return out;
}

Result<void> SqliteStore::markDeadLetterReplayed(qint64 id)
{
    SB_PREPARE(st, "UPDATE dead_letters SET replayed = 1 WHERE id = ?");
    st.bind(id);
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot update dead letter %1").arg(id));
    if (sqlite3_changes(m_db) == 0)
        return Error{QStringLiteral("no dead letter %1").arg(id)};
    return Ok{};
}

// ---- approval tasks -------------------------------------------------------------------

namespace {
const char *const kTaskSelect =
    "SELECT id, instance_id, step_id, role, status, payload, escalate_at, decided_by, note, "
    "created, updated FROM tasks";

template <typename St>
ApprovalTask readTask(const St &st)
{
    ApprovalTask t;
    t.id = st.integer(0);
    t.instanceId = st.text(1);
    t.stepId = st.text(2);
    t.role = st.text(3);
    t.status = taskStatusFromString(st.text(4)).value_or(TaskStatus::Open);
    t.payload = st.bytes(5);
    t.escalateAt = fromMs(st.integer(6));
    t.decidedBy = st.text(7);
    t.note = st.text(8);
    t.created = fromMs(st.integer(9));
    t.updated = fromMs(st.integer(10));
    return t;
}
} // namespace

Result<qint64> SqliteStore::addTask(const ApprovalTask &t)
{
    SB_PREPARE(st, "INSERT INTO tasks (instance_id, step_id, role, status, payload, "
                   "escalate_at, decided_by, note, created, updated) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const qint64 now = nowMs();
    st.bind(t.instanceId).bind(t.stepId).bind(t.role).bind(toString(t.status))
        .bind(t.payload.isEmpty() ? QByteArray("{}") : t.payload).bind(toMs(t.escalateAt))
        .bind(t.decidedBy).bind(t.note).bind(now).bind(now);
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot add a task for %1").arg(t.instanceId));
    return qint64(sqlite3_last_insert_rowid(m_db));
}

Result<ApprovalTask> SqliteStore::task(qint64 id) const
{
    const QByteArray sql = QByteArray(kTaskSelect) + " WHERE id = ?";
    SB_PREPARE(st, sql.constData());
    st.bind(id);
    if (st.step() == SQLITE_ROW)
        return readTask(st);
    if (!st.done())
        return dbError(QStringLiteral("cannot read task %1").arg(id));
    return Error{QStringLiteral("no task %1").arg(id)};
}

Result<QVector<ApprovalTask>> SqliteStore::tasks(std::optional<TaskStatus> status) const
{
    QByteArray sql = kTaskSelect;
    if (status)
        sql += " WHERE status = ?";
    sql += " ORDER BY id";
    SB_PREPARE(st, sql.constData());
    if (status)
        st.bind(toString(*status));
    QVector<ApprovalTask> out;
    while (st.step() == SQLITE_ROW)
        out.append(readTask(st));
    if (!st.done())
        return dbError(QStringLiteral("cannot list tasks"));
    return out;
}

Result<void> SqliteStore::decideTask(qint64 id, TaskStatus status, const QString &decidedBy,
                               const QString &note, const std::optional<QByteArray> &payload)
{
    if (status == TaskStatus::Open)
        return Error{QStringLiteral("a decision must approve or reject task %1").arg(id)};
    SB_PREPARE(st, "UPDATE tasks SET status = ?, decided_by = ?, note = ?, "
                   "payload = COALESCE(?, payload), updated = ? "
                   "WHERE id = ? AND status = 'open'");
    st.bind(toString(status)).bind(decidedBy).bind(note);
    if (payload)
        st.bind(*payload);
    else
        st.bindNull(); // keep the stored payload
    st.bind(nowMs()).bind(id);
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot decide task %1").arg(id));
    if (sqlite3_changes(m_db) == 0)
        return Error{QStringLiteral("task %1 is unknown or already decided").arg(id)};
    return Ok{};
}

Result<QVector<ApprovalTask>> SqliteStore::tasksToEscalate(const QDateTime &now) const
{
    const QByteArray sql = QByteArray(kTaskSelect)
                           + " WHERE status = 'open' AND escalate_at > 0 AND escalate_at <= ?"
                             " ORDER BY escalate_at, id";
    SB_PREPARE(st, sql.constData());
    st.bind(toMs(now));
    QVector<ApprovalTask> out;
    while (st.step() == SQLITE_ROW)
        out.append(readTask(st));
    if (!st.done())
        return dbError(QStringLiteral("cannot list tasks to escalate"));
    return out;
}

// ---- timers ---------------------------------------------------------------------------

namespace {
template <typename St>
Timer readTimer(const St &st)
{
    Timer t;
    t.id = st.integer(0);
    t.instanceId = st.text(1);
    t.stepId = st.text(2);
    t.kind = st.text(3);
    t.due = fromMs(st.integer(4));
    t.payload = st.bytes(5);
    return t;
}
} // namespace

Result<qint64> SqliteStore::addTimer(const Timer &t)
{
    if (!t.due.isValid())
        return Error{QStringLiteral("a timer needs a due time")};
    SB_PREPARE(st, "INSERT INTO timers (instance_id, step_id, kind, due, payload) "
                   "VALUES (?, ?, ?, ?, ?)");
    st.bind(t.instanceId).bind(t.stepId).bind(t.kind).bind(toMs(t.due))
        .bind(t.payload.isEmpty() ? QByteArray("null") : t.payload);
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot add a timer for %1").arg(t.instanceId));
    return qint64(sqlite3_last_insert_rowid(m_db));
}

Result<QVector<Timer>> SqliteStore::dueTimers(const QDateTime &now) const
{
    SB_PREPARE(st, "SELECT id, instance_id, step_id, kind, due, payload FROM timers "
                   "WHERE due <= ? ORDER BY due, id");
    st.bind(toMs(now));
    QVector<Timer> out;
    while (st.step() == SQLITE_ROW)
        out.append(readTimer(st));
    if (!st.done())
        return dbError(QStringLiteral("cannot list due timers"));
    return out;
}

Result<QVector<Timer>> SqliteStore::timers(const QString &instanceId) const
{
    SB_PREPARE(st, instanceId.isEmpty()
                       ? "SELECT id, instance_id, step_id, kind, due, payload FROM timers "
                         "ORDER BY due, id"
                       : "SELECT id, instance_id, step_id, kind, due, payload FROM timers "
                         "WHERE instance_id = ? ORDER BY due, id");
    if (!instanceId.isEmpty())
        st.bind(instanceId);
    QVector<Timer> out;
    while (st.step() == SQLITE_ROW)
        out.append(readTimer(st));
    if (!st.done())
        return dbError(QStringLiteral("cannot list timers"));
    return out;
}

Result<std::optional<QDateTime>> SqliteStore::nextTimerDue() const
{
    SB_PREPARE(st, "SELECT MIN(due) FROM timers");
    if (st.step() != SQLITE_ROW)
        return dbError(QStringLiteral("cannot read the next timer"));
    const qint64 ms = st.integer(0);
    if (ms == 0)
        return std::optional<QDateTime>();
    return std::optional<QDateTime>(fromMs(ms));
}

Result<bool> SqliteStore::removeTimer(qint64 id)
{
    SB_PREPARE(st, "DELETE FROM timers WHERE id = ?");
    st.bind(id);
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot remove timer %1").arg(id));
    return sqlite3_changes(m_db) > 0;
}

Result<bool> SqliteStore::removeTimers(const QString &instanceId, const QString &stepId)
{
    SB_PREPARE(st, stepId.isEmpty()
                       ? "DELETE FROM timers WHERE instance_id = ?"
                       : "DELETE FROM timers WHERE instance_id = ? AND step_id = ?");
    st.bind(instanceId);
    if (!stepId.isEmpty())
        st.bind(stepId);
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot remove timers of %1").arg(instanceId));
    return sqlite3_changes(m_db) > 0;
}

} // namespace sb::runtime
