#include "runtime/store/storedetail.h"

#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <sqlite3.h>

#include <cstdio>

namespace sb::runtime {

using namespace storedetail;

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

Store::~Store() = default;

SqliteStore::~SqliteStore()
{
    for (auto &entry : m_statements)
        sqlite3_finalize(entry.second);
    if (m_db)
        sqlite3_close_v2(m_db);
}

Error SqliteStore::dbError(const QString &what) const
{
    Error e;
    e.file = m_fileName;
    e.message = QStringLiteral("%1: %2").arg(
        what, m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("not open"));
    // A constraint names a problem with the data; everything else is the database failing.
    e.storage = !m_db || (sqlite3_errcode(m_db) & 0xff) != SQLITE_CONSTRAINT;
    return e;
}

sqlite3_stmt *SqliteStore::takeStatement(const std::string &sql) const
{
    auto it = m_statements.find(sql);
    if (it == m_statements.end())
        return nullptr;
    sqlite3_stmt *stmt = it->second;
    m_statements.erase(it);
    return stmt;
}

void SqliteStore::giveBackStatement(std::string sql, sqlite3_stmt *stmt) const
{
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    auto [it, fresh] = m_statements.emplace(std::move(sql), stmt);
    if (!fresh) // a nested use of the same SQL prepared a second one
        sqlite3_finalize(stmt);
}

Result<void> SqliteStore::run(const char *sql)
{
    // Transaction control runs many times per instance: prepared once, not re-parsed.
    Statement st(this, sql);
    if (!st.prepared() || st.step() != SQLITE_DONE)
        return dbError(QStringLiteral("%1 failed").arg(QLatin1String(sql)));
    return Ok{};
}

Result<void> SqliteStore::savepoint(const char *verb, int depth)
{
    char sql[48];
    std::snprintf(sql, sizeof sql, "%s sp%d", verb, depth);
    return run(sql);
}

Result<void> SqliteStore::exec(const char *sql)
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

Result<void> SqliteStore::quickCheck()
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
    auto opened = SqliteStore::openFile(fileName, options);
    if (!opened.ok())
        return opened.error();
    return std::unique_ptr<Store>(opened.takeValue());
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::openFile(const QString &fileName,
                                                           const StoreOptions &options)
{
    if (!options.create) {
        if (auto refused = refuseExisting(fileName))
            return *refused;
    }
    std::unique_ptr<SqliteStore> store(new SqliteStore);
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

Result<void> SqliteStore::transaction(const std::function<Result<void>()> &body)
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    if (m_txDepth == 0 && m_groupCommit) {
        auto opened = beginBatch();
        if (!opened.ok())
            return opened;
    }
    // Nested calls (and calls inside a batch) use savepoints so an inner failure rolls back
    // only its own part.
    const bool outer = m_txDepth == 0 && !m_batchOpen;
    const int sp = m_txDepth;
    auto begin = outer ? run("BEGIN IMMEDIATE") : savepoint("SAVEPOINT", sp);
    if (!begin.ok())
        return begin;
    ++m_txDepth;
    Result<void> result = body();
    --m_txDepth;
    if (result.ok()) {
        auto commit = outer ? run("COMMIT") : savepoint("RELEASE", sp);
        if (commit.ok())
            return result;
        result = commit;
    }
    // After some errors (a full disk, an I/O error) SQLite has already rolled the whole
    // transaction back: then there is nothing left to undo, and an open batch is lost.
    if (sqlite3_get_autocommit(m_db)) {
        if (m_batchOpen)
            loseBatch();
        return result;
    }
    auto undo = outer ? run("ROLLBACK") : savepoint("ROLLBACK TO", sp);
    if (undo.ok() && !outer)
        undo = savepoint("RELEASE", sp);
    if (!undo.ok()) {
        Error e = result.error();
        e.message += QStringLiteral("; the rollback failed too: %1").arg(undo.error().message);
        return e;
    }
    return result;
}

Result<void> SqliteStore::beginBatch()
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    if (!m_groupCommit || m_batchOpen || m_txDepth > 0)
        return Ok{};
    auto begin = run("BEGIN IMMEDIATE");
    if (!begin.ok())
        return begin;
    m_batchOpen = true;
    ++m_batchId;
    m_batchStartMs = nowMs();
    return Ok{};
}

Result<void> SqliteStore::commitBatch()
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    if (!m_batchOpen || m_txDepth > 0)
        return Ok{};
    if (sqlite3_get_autocommit(m_db)) { // an I/O error in a lone write rolled it all back
        loseBatch();
        return dbError(QStringLiteral("the batch of writes was rolled back"));
    }
    auto commit = run("COMMIT");
    if (commit.ok()) {
        m_batchOpen = false;
        m_durableBatch = m_batchId;
        return Ok{};
    }
    if (!sqlite3_get_autocommit(m_db))
        (void)run("ROLLBACK"); // the commit's error is the one that counts
    loseBatch();
    return commit;
}

void SqliteStore::loseBatch()
{
    m_batchOpen = false;
    m_failedBatches.insert(m_batchId);
}

quint64 SqliteStore::openBatch() const
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    return m_batchOpen ? m_batchId : 0;
}

quint64 SqliteStore::durableBatch() const
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    return m_durableBatch;
}

bool SqliteStore::batchFailed(quint64 id) const
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    return m_failedBatches.count(id) > 0;
}

qint64 SqliteStore::batchAgeMs() const
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    return m_batchOpen ? nowMs() - m_batchStartMs : 0;
}

Result<void> SqliteStore::probeWrite()
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    auto written = transaction([this]() -> Result<void> {
        SB_PREPARE_UNLOCKED(st, "INSERT OR REPLACE INTO probe (id, at) VALUES (1, ?)");
        st.bind(nowMs());
        if (st.step() != SQLITE_DONE)
            return dbError(QStringLiteral("cannot write to the journal"));
        return Ok{};
    });
    if (!written.ok())
        return written;
    return commitBatch(); // only a durable write says the journal can be written
}

} // namespace sb::runtime
