// Instances, their journal, the outbound ledger and inbound de-duplication.
#include "runtime/store/storedetail.h"

namespace sb::runtime {

using namespace storedetail;

// ---- instances ------------------------------------------------------------------------

namespace {
const char *const kInstanceColumns =
    "id, workflow_id, correlation_id, traceparent, status, variables, current_step, "
    "created, updated";
}

#define SB_READ_INSTANCE(st)                                                               \
    [&]() {                                                                                \
        InstanceRecord r;                                                                  \
        r.id = st.text(0);                                                                 \
        r.workflowId = st.text(1);                                                         \
        r.correlationId = st.text(2);                                                      \
        r.traceparent = st.text(3);                                                        \
        r.status = instanceStatusFromString(st.text(4)).value_or(InstanceStatus::Failed);  \
        r.variables = st.bytes(5);                                                         \
        r.currentStep = st.text(6);                                                        \
        r.created = fromMs(st.integer(7));                                                 \
        r.updated = fromMs(st.integer(8));                                                 \
        return r;                                                                          \
    }()

Result<void> SqliteStore::createInstance(const InstanceRecord &in)
{
    SB_PREPARE(st, "INSERT INTO instances (id, workflow_id, correlation_id, traceparent, "
                   "status, variables, current_step, created, updated) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const qint64 now = nowMs();
    st.bind(in.id).bind(in.workflowId).bind(in.correlationId).bind(in.traceparent)
        .bind(toString(in.status)).bind(in.variables.isEmpty() ? QByteArray("{}") : in.variables)
        .bind(in.currentStep).bind(in.created.isValid() ? toMs(in.created) : now).bind(now);
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot create instance %1").arg(in.id));
    return Ok{};
}

Result<void> SqliteStore::updateInstance(const QString &id, InstanceStatus status,
                                   const QByteArray &variables, const QString &currentStep)
{
    SB_PREPARE(st, "UPDATE instances SET status = ?, variables = ?, current_step = ?, "
                   "updated = ? WHERE id = ?");
    st.bind(toString(status)).bind(variables.isEmpty() ? QByteArray("{}") : variables)
        .bind(currentStep).bind(nowMs()).bind(id);
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot update instance %1").arg(id));
    if (sqlite3_changes(m_db) == 0)
        return Error{QStringLiteral("no instance %1").arg(id)};
    return Ok{};
}

Result<void> SqliteStore::setInstanceStatus(const QString &id, InstanceStatus status)
{
    SB_PREPARE(st, "UPDATE instances SET status = ?, updated = ? WHERE id = ?");
    st.bind(toString(status)).bind(nowMs()).bind(id);
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot update instance %1").arg(id));
    if (sqlite3_changes(m_db) == 0)
        return Error{QStringLiteral("no instance %1").arg(id)};
    return Ok{};
}

Result<InstanceRecord> SqliteStore::instance(const QString &id) const
{
    const QByteArray sql = QByteArray("SELECT ") + kInstanceColumns
                           + " FROM instances WHERE id = ?";
    SB_PREPARE(st, sql.constData());
    st.bind(id);
    if (st.step() == SQLITE_ROW)
        return SB_READ_INSTANCE(st);
    if (!st.done())
        return dbError(QStringLiteral("cannot read instance %1").arg(id));
    return Error{QStringLiteral("no instance %1").arg(id)};
}

Result<QVector<InstanceRecord>> SqliteStore::instances(std::optional<InstanceStatus> status,
                                                 int limit) const
{
    QByteArray sql = QByteArray("SELECT ") + kInstanceColumns + " FROM instances";
    if (status)
        sql += " WHERE status = ?";
    sql += " ORDER BY created, id LIMIT ?";
    SB_PREPARE(st, sql.constData());
    if (status)
        st.bind(toString(*status));
    st.bind(qint64(limit));
    QVector<InstanceRecord> out;
    while (st.step() == SQLITE_ROW)
        out.append(SB_READ_INSTANCE(st));
    if (!st.done())
        return dbError(QStringLiteral("cannot list instances"));
    return out;
}

Result<QVector<InstanceRecord>>
SqliteStore::instancesByCorrelation(const QString &correlationId) const
{
    const QByteArray sql = QByteArray("SELECT ") + kInstanceColumns
                           + " FROM instances WHERE correlation_id = ? ORDER BY created, id";
    SB_PREPARE(st, sql.constData());
    st.bind(correlationId);
    QVector<InstanceRecord> out;
    while (st.step() == SQLITE_ROW)
        out.append(SB_READ_INSTANCE(st));
    if (!st.done())
        return dbError(QStringLiteral("cannot list instances"));
    return out;
}

Result<QVector<InstanceRecord>> SqliteStore::unfinishedInstances() const
{
    const QByteArray sql = QByteArray("SELECT ") + kInstanceColumns
                           + " FROM instances WHERE status IN ('running', 'waiting') "
                             "ORDER BY created, id";
    SB_PREPARE(st, sql.constData());
    QVector<InstanceRecord> out;
    while (st.step() == SQLITE_ROW)
        out.append(SB_READ_INSTANCE(st));
    if (!st.done())
        return dbError(QStringLiteral("cannot list unfinished instances"));
    return out;
}

Result<qint64> SqliteStore::countInstances(std::optional<InstanceStatus> status) const
{
    SB_PREPARE(st, status ? "SELECT COUNT(*) FROM instances WHERE status = ?"
                          : "SELECT COUNT(*) FROM instances");
    if (status)
        st.bind(toString(*status));
    if (st.step() != SQLITE_ROW)
        return dbError(QStringLiteral("cannot count instances"));
    return st.integer(0);
}

// ---- journal --------------------------------------------------------------------------

Result<qint64> SqliteStore::appendJournal(const QString &instanceId, const QString &stepId,
                                    JournalKind kind, const QByteArray &payload)
{
    // One statement computes the next seq and inserts it, so seqs stay contiguous even
    // when several threads append to the same instance.
    SB_PREPARE(st, "INSERT INTO journal (instance_id, seq, step_id, kind, payload, at) "
                   "SELECT ?1, COALESCE(MAX(seq), 0) + 1, ?2, ?3, ?4, ?5 FROM journal "
                   "WHERE instance_id = ?1 RETURNING seq");
    st.bind(instanceId).bind(stepId).bind(toString(kind))
        .bind(payload.isEmpty() ? QByteArray("null") : payload).bind(nowMs());
    if (st.step() != SQLITE_ROW)
        return dbError(QStringLiteral("cannot append to the journal of %1").arg(instanceId));
    const qint64 seq = st.integer(0);
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot append to the journal of %1").arg(instanceId));
    return seq;
}

namespace {
template <typename St>
JournalEntry readJournal(const St &st)
{
    JournalEntry e;
    e.instanceId = st.text(0);
    e.seq = st.integer(1);
    e.stepId = st.text(2);
    e.kind = journalKindFromString(st.text(3)).value_or(JournalKind::Error);
    e.payload = st.bytes(4);
    e.at = fromMs(st.integer(5));
    return e;
}
} // namespace

Result<QVector<JournalEntry>> SqliteStore::journal(const QString &instanceId) const
{
    SB_PREPARE(st, "SELECT instance_id, seq, step_id, kind, payload, at FROM journal "
                   "WHERE instance_id = ? ORDER BY seq");
    st.bind(instanceId);
    QVector<JournalEntry> out;
    while (st.step() == SQLITE_ROW)
        out.append(readJournal(st));
    if (!st.done())
        return dbError(QStringLiteral("cannot read the journal of %1").arg(instanceId));
    return out;
}

Result<JournalEntry> SqliteStore::lastJournalEntry(const QString &instanceId) const
{
    SB_PREPARE(st, "SELECT instance_id, seq, step_id, kind, payload, at FROM journal "
                   "WHERE instance_id = ? ORDER BY seq DESC LIMIT 1");
    st.bind(instanceId);
    if (st.step() == SQLITE_ROW)
        return readJournal(st);
    if (!st.done())
        return dbError(QStringLiteral("cannot read the journal of %1").arg(instanceId));
    return Error{QStringLiteral("the journal of %1 is empty").arg(instanceId)};
}

// ---- outbound ledger / inbound de-duplication ----------------------------------------

Result<void> SqliteStore::recordOutbound(const OutboundRecord &r)
{
    SB_PREPARE(st, "INSERT OR REPLACE INTO outbound (key, instance_id, step_id, status, "
                   "response, at) VALUES (?, ?, ?, ?, ?, ?)");
    st.bind(r.key).bind(r.instanceId).bind(r.stepId).bind(r.status)
        .bind(r.response.isEmpty() ? QByteArray("null") : r.response).bind(nowMs());
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot record outbound call %1").arg(r.key));
    return Ok{};
}

Result<std::optional<OutboundRecord>> SqliteStore::outbound(const QString &key) const
{
    SB_PREPARE(st, "SELECT key, instance_id, step_id, status, response, at FROM outbound "
                   "WHERE key = ?");
    st.bind(key);
    if (st.step() == SQLITE_ROW) {
        OutboundRecord r;
        r.key = st.text(0);
        r.instanceId = st.text(1);
        r.stepId = st.text(2);
        r.status = int(st.integer(3));
        r.response = st.bytes(4);
        r.at = fromMs(st.integer(5));
        return std::optional<OutboundRecord>(r);
    }
    if (!st.done())
        return dbError(QStringLiteral("cannot read outbound call %1").arg(key));
    return std::optional<OutboundRecord>();
}

Result<bool> SqliteStore::markEventSeen(const QString &eventId, const QString &source)
{
    SB_PREPARE(st, "INSERT OR IGNORE INTO inbound (event_id, source, at) VALUES (?, ?, ?)");
    st.bind(eventId).bind(source).bind(nowMs());
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot record event %1").arg(eventId));
    return sqlite3_changes(m_db) > 0;
}

Result<bool> SqliteStore::eventSeen(const QString &eventId) const
{
    SB_PREPARE(st, "SELECT 1 FROM inbound WHERE event_id = ?");
    st.bind(eventId);
    const int rc = st.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return dbError(QStringLiteral("cannot look up event %1").arg(eventId));
    return rc == SQLITE_ROW;
}

} // namespace sb::runtime
