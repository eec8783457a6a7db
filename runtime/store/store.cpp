#include "runtime/store/store.h"

#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <sqlite3.h>

namespace sb::runtime {

namespace {

constexpr int kSchemaVersion = 1;

const char *const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS instances (
  id TEXT PRIMARY KEY,
  workflow_id TEXT NOT NULL,
  correlation_id TEXT NOT NULL DEFAULT '',
  traceparent TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  variables TEXT NOT NULL DEFAULT '{}',
  current_step TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS instances_status ON instances(status);
CREATE INDEX IF NOT EXISTS instances_correlation ON instances(correlation_id);
CREATE TABLE IF NOT EXISTS journal (
  instance_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  step_id TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT 'null',
  at INTEGER NOT NULL,
  PRIMARY KEY (instance_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbound (
  key TEXT PRIMARY KEY,
  instance_id TEXT NOT NULL DEFAULT '',
  step_id TEXT NOT NULL DEFAULT '',
  status INTEGER NOT NULL,
  response TEXT NOT NULL DEFAULT 'null',
  at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS inbound (
  event_id TEXT PRIMARY KEY,
  source TEXT NOT NULL DEFAULT '',
  at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id TEXT NOT NULL,
  step_id TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  context TEXT NOT NULL DEFAULT '{}',
  replayed INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id TEXT NOT NULL,
  step_id TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  escalate_at INTEGER NOT NULL DEFAULT 0,
  decided_by TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS tasks_status ON tasks(status);
CREATE TABLE IF NOT EXISTS timers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id TEXT NOT NULL,
  step_id TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL DEFAULT '',
  due INTEGER NOT NULL,
  payload TEXT NOT NULL DEFAULT 'null');
CREATE INDEX IF NOT EXISTS timers_due ON timers(due);
CREATE INDEX IF NOT EXISTS timers_instance ON timers(instance_id);
CREATE TABLE IF NOT EXISTS probe (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL);
)sql";

qint64 toMs(const QDateTime &t) { return t.isValid() ? t.toMSecsSinceEpoch() : 0; }
QDateTime fromMs(qint64 ms)
{
    return ms == 0 ? QDateTime() : QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}
qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

template <typename E, size_t N>
QString enumName(E v, const char *const (&names)[N])
{
    const auto i = size_t(v);
    return i < N ? QString::fromLatin1(names[i]) : QString();
}

template <typename E, size_t N>
std::optional<E> enumFromName(const QString &s, const char *const (&names)[N])
{
    for (size_t i = 0; i < N; ++i) {
        if (s == QLatin1String(names[i]))
            return E(i);
    }
    return std::nullopt;
}

const char *const kStatusNames[] = {"running", "waiting", "completed", "failed",
                                    "compensated", "dead-lettered"};
const char *const kKindNames[] = {"start", "result", "error", "retry",
                                  "compensate", "wait", "resume"};
const char *const kTaskNames[] = {"open", "approved", "rejected"};

} // namespace

QString toString(InstanceStatus s) { return enumName(s, kStatusNames); }
QString toString(JournalKind k) { return enumName(k, kKindNames); }
QString toString(TaskStatus s) { return enumName(s, kTaskNames); }
std::optional<InstanceStatus> instanceStatusFromString(const QString &s)
{
    return enumFromName<InstanceStatus>(s, kStatusNames);
}
std::optional<JournalKind> journalKindFromString(const QString &s)
{
    return enumFromName<JournalKind>(s, kKindNames);
}
std::optional<TaskStatus> taskStatusFromString(const QString &s)
{
    return enumFromName<TaskStatus>(s, kTaskNames);
}

// A prepared statement with positional binding; finalised on destruction.
class Store::Statement
{
public:
    Statement(sqlite3 *db, const char *sql) : m_db(db)
    {
        m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr);
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool prepared() const { return m_rc == SQLITE_OK; }
    Statement &bind(const QString &v)
    {
        const QByteArray u = v.toUtf8();
        sqlite3_bind_text(m_stmt, ++m_index, u.constData(), int(u.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement &bind(const QByteArray &v)
    {
        sqlite3_bind_text(m_stmt, ++m_index, v.constData(), int(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement &bind(qint64 v)
    {
        sqlite3_bind_int64(m_stmt, ++m_index, v);
        return *this;
    }
    Statement &bind(int v) { return bind(qint64(v)); }
    Statement &bindNull()
    {
        sqlite3_bind_null(m_stmt, ++m_index);
        return *this;
    }
    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return m_rc = sqlite3_step(m_stmt); }
    bool row() const { return m_rc == SQLITE_ROW; }
    bool done() const { return m_rc == SQLITE_DONE; }

    QString text(int col) const
    {
        const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
        return QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, col));
    }
    QByteArray bytes(int col) const
    {
        const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
        return QByteArray(p, sqlite3_column_bytes(m_stmt, col));
    }
    qint64 integer(int col) const { return sqlite3_column_int64(m_stmt, col); }

private:
    sqlite3 *m_db;
    sqlite3_stmt *m_stmt = nullptr;
    int m_rc = SQLITE_OK;
    int m_index = 0;
};

#define SB_PREPARE_UNLOCKED(st, sql)                                                       \
    Statement st(m_db, sql);                                                               \
    if (!st.prepared())                                                                    \
        return dbError(QStringLiteral("cannot prepare a statement"));

Store::~Store()
{
    if (m_db)
        sqlite3_close_v2(m_db);
}

Error Store::dbError(const QString &what) const
{
    Error e;
    e.file = m_fileName;
    e.message = QStringLiteral("%1: %2").arg(
        what, m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("not open"));
    // A constraint names a problem with the data; everything else is the database failing.
    e.storage = !m_db || (sqlite3_errcode(m_db) & 0xff) != SQLITE_CONSTRAINT;
    return e;
}

Result<void> Store::exec(const char *sql)
{
    char *msg = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
        Error e;
        e.file = m_fileName;
        e.message = QString::fromUtf8(msg ? msg : "unknown SQLite error");
        e.storage = (sqlite3_errcode(m_db) & 0xff) != SQLITE_CONSTRAINT;
        sqlite3_free(msg);
        return e;
    }
    return Ok{};
}

namespace {

// What a file that is meant to be an existing journal must look like before SQLite opens it:
// SQLite would silently treat an empty file as a new database.
std::optional<Error> refuseExisting(const QString &fileName)
{
    Error e;
    e.file = fileName;
    const QFileInfo fi(fileName);
    if (!fi.exists())
        e.message = QStringLiteral("no journal at this path");
    else if (!fi.isFile())
        e.message = QStringLiteral("not a regular file");
    else if (fi.size() == 0)
        e.message = QStringLiteral("the journal is empty (0 bytes): truncated? Refusing to "
                                   "start a new journal over it");
    if (!e.message.isEmpty())
        return e;
    QFile f(fileName);
    if (!f.open(QIODevice::ReadOnly)) {
        e.message = QStringLiteral("cannot read the journal: %1").arg(f.errorString());
        return e;
    }
    if (f.read(16) != QByteArray("SQLite format 3", 16)) {
        e.message = QStringLiteral("not a Switchboard journal (not an SQLite database)");
        return e;
    }
    return std::nullopt;
}

} // namespace

Result<void> Store::quickCheck()
{
    Statement st(m_db, "PRAGMA quick_check(5)");
    if (!st.prepared())
        return dbError(QStringLiteral("the journal is corrupt or unreadable"));
    QStringList problems;
    while (st.step() == SQLITE_ROW)
        problems << st.text(0);
    if (!st.done())
        return dbError(QStringLiteral("the journal is corrupt or unreadable"));
    if (problems == QStringList{QStringLiteral("ok")})
        return Ok{};
    Error e;
    e.file = m_fileName;
    e.message = QStringLiteral("the journal is corrupt (SQLite quick_check: %1)")
                    .arg(problems.join(QLatin1String("; ")));
    return e;
}

Result<std::unique_ptr<Store>> Store::open(const QString &fileName, const StoreOptions &options)
{
    if (!options.create) {
        if (auto refused = refuseExisting(fileName))
            return *refused;
    }
    std::unique_ptr<Store> store(new Store);
    store->m_fileName = fileName;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX
                      | (options.create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(QFile::encodeName(fileName).constData(), &store->m_db, flags,
                        nullptr) != SQLITE_OK) {
        Error e = store->dbError(QStringLiteral("cannot open the database"));
        return e;
    }
    sqlite3_busy_timeout(store->m_db, options.busyTimeoutMs);
    if (options.verify) {
        auto checked = store->quickCheck();
        if (!checked.ok())
            return checked.error();
    }
    {
        // WAL: readers never block the writer and a crash never corrupts committed data.
        Statement wal(store->m_db, "PRAGMA journal_mode=WAL");
        if (!wal.prepared() || wal.step() != SQLITE_ROW
            || wal.text(0).compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
            return store->dbError(QStringLiteral("cannot switch the database to WAL mode"));
        }
    }
    auto r = store->exec(options.fullSync ? "PRAGMA synchronous=FULL"
                                          : "PRAGMA synchronous=NORMAL");
    if (r.ok())
        r = store->exec("PRAGMA foreign_keys=ON");
    if (!r.ok())
        return r.error();

    qint64 v = 0;
    {
        Statement version(store->m_db, "PRAGMA user_version");
        if (!version.prepared() || version.step() != SQLITE_ROW)
            return store->dbError(QStringLiteral("cannot read the schema version"));
        v = version.integer(0);
    }
    if (v > kSchemaVersion) {
        Error e;
        e.file = fileName;
        e.message = QStringLiteral("the database has schema version %1; this runtime knows "
                                   "up to %2").arg(v).arg(kSchemaVersion);
        return e;
    }
    if (!options.create && v < 1) {
        Error e;
        e.file = fileName;
        e.message = QStringLiteral("not a Switchboard journal (an SQLite database without "
                                   "the journal's schema)");
        return e;
    }
    auto schema = store->transaction([&]() -> Result<void> {
        auto ok = store->exec(kSchema);
        if (!ok.ok())
            return ok;
        return store->exec("PRAGMA user_version=1");
    });
    if (!schema.ok())
        return schema.error();
    return store;
}

Result<void> Store::transaction(const std::function<Result<void>()> &body)
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    // Nested calls use savepoints so an inner failure rolls back only its own part.
    const QByteArray sp = "sp" + QByteArray::number(m_txDepth);
    auto begin = m_txDepth == 0 ? exec("BEGIN IMMEDIATE")
                                : exec(QByteArray("SAVEPOINT " + sp).constData());
    if (!begin.ok())
        return begin;
    ++m_txDepth;
    Result<void> result = body();
    --m_txDepth;
    if (result.ok()) {
        auto commit = m_txDepth == 0 ? exec("COMMIT")
                                     : exec(QByteArray("RELEASE " + sp).constData());
        if (commit.ok())
            return result;
        result = commit;
    }
    // After some errors (a full disk, an I/O error) SQLite has already rolled the whole
    // transaction back: then there is nothing left to undo.
    if (sqlite3_get_autocommit(m_db))
        return result;
    auto undo = m_txDepth == 0
                    ? exec("ROLLBACK")
                    : exec(QByteArray("ROLLBACK TO " + sp + "; RELEASE " + sp).constData());
    if (!undo.ok()) {
        Error e = result.error();
        e.message += QStringLiteral("; the rollback failed too: %1").arg(undo.error().message);
        return e;
    }
    return result;
}

Result<void> Store::probeWrite()
{
    return transaction([this]() -> Result<void> {
        SB_PREPARE_UNLOCKED(st, "INSERT OR REPLACE INTO probe (id, at) VALUES (1, ?)");
        st.bind(nowMs());
        if (st.step() != SQLITE_DONE)
            return dbError(QStringLiteral("cannot write to the journal"));
        return Ok{};
    });
}

#define SB_PREPARE(st, sql)                                                                \
    std::lock_guard<std::recursive_mutex> lock(m_mutex);                                   \
    SB_PREPARE_UNLOCKED(st, sql)

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

Result<void> Store::createInstance(const InstanceRecord &in)
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

Result<void> Store::updateInstance(const QString &id, InstanceStatus status,
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

Result<void> Store::setInstanceStatus(const QString &id, InstanceStatus status)
{
    SB_PREPARE(st, "UPDATE instances SET status = ?, updated = ? WHERE id = ?");
    st.bind(toString(status)).bind(nowMs()).bind(id);
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot update instance %1").arg(id));
    if (sqlite3_changes(m_db) == 0)
        return Error{QStringLiteral("no instance %1").arg(id)};
    return Ok{};
}

Result<InstanceRecord> Store::instance(const QString &id) const
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

Result<QVector<InstanceRecord>> Store::instances(std::optional<InstanceStatus> status,
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

Result<QVector<InstanceRecord>> Store::instancesByCorrelation(const QString &correlationId) const
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

Result<QVector<InstanceRecord>> Store::unfinishedInstances() const
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

Result<qint64> Store::countInstances(std::optional<InstanceStatus> status) const
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

Result<qint64> Store::appendJournal(const QString &instanceId, const QString &stepId,
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

Result<QVector<JournalEntry>> Store::journal(const QString &instanceId) const
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

Result<JournalEntry> Store::lastJournalEntry(const QString &instanceId) const
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

Result<void> Store::recordOutbound(const OutboundRecord &r)
{
    SB_PREPARE(st, "INSERT OR REPLACE INTO outbound (key, instance_id, step_id, status, "
                   "response, at) VALUES (?, ?, ?, ?, ?, ?)");
    st.bind(r.key).bind(r.instanceId).bind(r.stepId).bind(r.status)
        .bind(r.response.isEmpty() ? QByteArray("null") : r.response).bind(nowMs());
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot record outbound call %1").arg(r.key));
    return Ok{};
}

Result<std::optional<OutboundRecord>> Store::outbound(const QString &key) const
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

Result<bool> Store::markEventSeen(const QString &eventId, const QString &source)
{
    SB_PREPARE(st, "INSERT OR IGNORE INTO inbound (event_id, source, at) VALUES (?, ?, ?)");
    st.bind(eventId).bind(source).bind(nowMs());
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot record event %1").arg(eventId));
    return sqlite3_changes(m_db) > 0;
}

Result<bool> Store::eventSeen(const QString &eventId) const
{
    SB_PREPARE(st, "SELECT 1 FROM inbound WHERE event_id = ?");
    st.bind(eventId);
    const int rc = st.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return dbError(QStringLiteral("cannot look up event %1").arg(eventId));
    return rc == SQLITE_ROW;
}

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

Result<qint64> Store::addDeadLetter(const DeadLetter &d)
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

Result<DeadLetter> Store::deadLetter(qint64 id) const
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

Result<QVector<DeadLetter>> Store::deadLetters(bool includeReplayed) const
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

Result<void> Store::markDeadLetterReplayed(qint64 id)
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

Result<qint64> Store::addTask(const ApprovalTask &t)
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

Result<ApprovalTask> Store::task(qint64 id) const
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

Result<QVector<ApprovalTask>> Store::tasks(std::optional<TaskStatus> status) const
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

Result<void> Store::decideTask(qint64 id, TaskStatus status, const QString &decidedBy,
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

Result<QVector<ApprovalTask>> Store::tasksToEscalate(const QDateTime &now) const
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

Result<qint64> Store::addTimer(const Timer &t)
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

Result<QVector<Timer>> Store::dueTimers(const QDateTime &now) const
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

Result<QVector<Timer>> Store::timers(const QString &instanceId) const
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

Result<std::optional<QDateTime>> Store::nextTimerDue() const
{
    SB_PREPARE(st, "SELECT MIN(due) FROM timers");
    if (st.step() != SQLITE_ROW)
        return dbError(QStringLiteral("cannot read the next timer"));
    const qint64 ms = st.integer(0);
    if (ms == 0)
        return std::optional<QDateTime>();
    return std::optional<QDateTime>(fromMs(ms));
}

Result<bool> Store::removeTimer(qint64 id)
{
    SB_PREPARE(st, "DELETE FROM timers WHERE id = ?");
    st.bind(id);
    if (st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("cannot remove timer %1").arg(id));
    return sqlite3_changes(m_db) > 0;
}

Result<bool> Store::removeTimers(const QString &instanceId, const QString &stepId)
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
