// Connection, schema and migrations, transactions and batches of the PostgreSQL store.
#include "runtime/pgstore/pgstore_detail.h"

#include <QRegularExpression>

#include <cstdio>

namespace sb::runtime {

using namespace pgdetail;

namespace {

// Version 1: the tables of the SQLite journal (times in ms since the epoch, as there), with
// the columns a runner group needs to share work (owner, lease_until) from the start.
const char *const kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS instances (
  id TEXT PRIMARY KEY,
  workflow_id TEXT NOT NULL,
  correlation_id TEXT NOT NULL DEFAULT '',
  traceparent TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  variables TEXT NOT NULL DEFAULT '{}',
  current_step TEXT NOT NULL DEFAULT '',
  created BIGINT NOT NULL,
  updated BIGINT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  lease_until BIGINT NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS instances_status ON instances(status);
CREATE INDEX IF NOT EXISTS instances_correlation ON instances(correlation_id);
CREATE TABLE IF NOT EXISTS journal (
  instance_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  step_id TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT 'null',
  at BIGINT NOT NULL,
  PRIMARY KEY (instance_id, seq));
CREATE TABLE IF NOT EXISTS outbound (
  key TEXT PRIMARY KEY,
  instance_id TEXT NOT NULL DEFAULT '',
  step_id TEXT NOT NULL DEFAULT '',
  status INTEGER NOT NULL,
  response TEXT NOT NULL DEFAULT 'null',
  at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS inbound (
  event_id TEXT PRIMARY KEY,
  source TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS dead_letters (
  id BIGSERIAL PRIMARY KEY,
  instance_id TEXT NOT NULL,
  step_id TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  context TEXT NOT NULL DEFAULT '{}',
  replayed BOOLEAN NOT NULL DEFAULT FALSE,
  created BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
  id BIGSERIAL PRIMARY KEY,
  instance_id TEXT NOT NULL,
  step_id TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  escalate_at BIGINT NOT NULL DEFAULT 0,
  decided_by TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  created BIGINT NOT NULL,
  updated BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS tasks_status ON tasks(status);
CREATE TABLE IF NOT EXISTS timers (
  id BIGSERIAL PRIMARY KEY,
  instance_id TEXT NOT NULL,
  step_id TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL DEFAULT '',
  due BIGINT NOT NULL,
  payload TEXT NOT NULL DEFAULT 'null');
CREATE INDEX IF NOT EXISTS timers_due ON timers(due);
CREATE INDEX IF NOT EXISTS timers_instance ON timers(instance_id);
CREATE TABLE IF NOT EXISTS probe (
  id INTEGER PRIMARY KEY,
  at BIGINT NOT NULL);
)sql";

// Version 2: the runners of a group and their heartbeats; instances found by owner.
const char *const kSchemaV2 = R"sql(
CREATE TABLE IF NOT EXISTS runners (
  id TEXT PRIMARY KEY,
  address TEXT NOT NULL DEFAULT '',
  started BIGINT NOT NULL,
  heartbeat BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS instances_owner ON instances(owner);
)sql";

// Migrations in order: kMigrations[n - 1] takes the schema from version n - 1 to n.
const char *const kMigrations[] = {kSchemaV1, kSchemaV2};
static_assert(sizeof kMigrations / sizeof kMigrations[0] == PostgresStore::kSchemaVersion);

// Serialises migrations of several runners starting at once (any constant will do).
constexpr qint64 kMigrationLock = 0x5357424d4947; // "SWBMIG"

} // namespace

PostgresStore::~PostgresStore()
{
    if (m_conn)
        PQfinish(m_conn);
}

QString PostgresStore::redacted(const QString &uri)
{
    // scheme://user:secret@host -> scheme://user@host; a password=... parameter likewise.
    QString out = uri;
    out.replace(QRegularExpression(QStringLiteral("^(postgres(?:ql)?://[^:@/]*):[^@/]*@")),
                QStringLiteral("\\1@"));
    out.replace(QRegularExpression(QStringLiteral("([?&]password=)[^&]*")),
                QStringLiteral("\\1***"));
    return out;
}

Error PostgresStore::dbError(const QString &what, const pg_result *res) const
{
    Error e;
    e.file = m_address;
    QString detail = res ? QString::fromUtf8(PQresultErrorMessage(res)).trimmed()
                         : QString();
    if (detail.isEmpty())
        detail = m_conn ? QString::fromUtf8(PQerrorMessage(m_conn)).trimmed()
                        : QStringLiteral("not connected");
    e.message = QStringLiteral("%1: %2").arg(what, detail);
    // Class 23 (integrity constraint) is a problem with the data; the rest is the database.
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    e.storage = !(state && state[0] == '2' && state[1] == '3');
    return e;
}

Result<PostgresStore::Rows> PostgresStore::query(const char *sql, const Params &params) const
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    if (params.hasNul()) {
        Error e{QStringLiteral("a value holds a NUL character, which the database cannot "
                               "store"), m_address};
        return e;
    }
    // A connection lost between transactions is re-established once; inside one, the
    // transaction is gone and the error must reach the caller.
    if (PQstatus(m_conn) == CONNECTION_BAD && m_txDepth == 0) {
        PQreset(m_conn);
        if (PQstatus(m_conn) == CONNECTION_OK && !m_session.isEmpty()) {
            pg_result *set = PQexec(m_conn, m_session.constData());
            const bool ok = PQresultStatus(set) == PGRES_COMMAND_OK;
            Error e = ok ? Error{} : dbError(QStringLiteral("cannot set up the session"), set);
            PQclear(set);
            if (!ok)
                return e;
        }
    }
    // Without parameters the simple protocol, which also runs several statements (schema).
    const auto values = params.pointers();
    pg_result *res = params.size() == 0
                         ? PQexec(m_conn, sql)
                         : PQexecParams(m_conn, sql, params.size(), nullptr, values.data(),
                                        nullptr, nullptr, 0);
    const auto status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        Error e = dbError(QStringLiteral("the database refused a statement"), res);
        PQclear(res);
        return e;
    }
    return Rows(res);
}

Result<void> PostgresStore::command(const char *sql)
{
    auto r = query(sql, Params());
    if (!r.ok())
        return r.error();
    return Ok{};
}

Result<int> PostgresStore::schemaVersion() const
{
    auto exists = query("SELECT to_regclass('schema_version') IS NOT NULL", Params());
    if (!exists.ok())
        return exists.error();
    if (exists.value().bytes(0, 0) != "t")
        return 0;
    auto v = query("SELECT COALESCE(MAX(version), 0) FROM schema_version", Params());
    if (!v.ok())
        return v.error();
    return int(v.value().integer(0, 0));
}

Result<void> PostgresStore::migrate()
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    return transaction([this]() -> Result<void> {
        auto locked = query("SELECT pg_advisory_xact_lock($1)", Params() << kMigrationLock);
        if (!locked.ok())
            return locked.error();
        auto created = command("CREATE TABLE IF NOT EXISTS schema_version ("
                               "version INTEGER PRIMARY KEY, applied BIGINT NOT NULL)");
        if (!created.ok())
            return created;
        auto current = schemaVersion();
        if (!current.ok())
            return current.error();
        if (current.value() > kSchemaVersion) {
            return Error{QStringLiteral("the database has schema version %1; this runtime "
                                        "knows up to %2").arg(current.value())
                             .arg(kSchemaVersion), m_address};
        }
        for (int v = current.value() + 1; v <= kSchemaVersion; ++v) {
            auto step = command(kMigrations[v - 1]);
            if (!step.ok())
                return step;
            auto noted = query("INSERT INTO schema_version (version, applied) VALUES ($1, $2)",
                               Params() << v << nowMs());
            if (!noted.ok())
                return noted.error();
        }
        return Ok{};
    });
}

Result<std::unique_ptr<PostgresStore>> PostgresStore::connect(const QString &uri,
                                                              const StoreOptions &options)
{
    std::unique_ptr<PostgresStore> store(new PostgresStore);
    store->m_address = redacted(uri);
    const QByteArray dbname = uri.toUtf8();
    const QByteArray timeout = QByteArray::number(qMax(1, options.busyTimeoutMs / 1000 + 5));
    // Defaults first: what the URI itself says overrides them.
    const char *keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname",
                          nullptr};
    const char *values[] = {timeout.constData(), "switchboard-run", "UTF8", dbname.constData(),
                            nullptr};
    store->m_conn = PQconnectdbParams(keys, values, 1);
    if (!store->m_conn || PQstatus(store->m_conn) != CONNECTION_OK)
        return store->dbError(QStringLiteral("cannot connect to the database"));
    // A lock held by another runner fails a statement after busyTimeoutMs, as SQLite's
    // busy timeout does, instead of waiting for ever.
    // "already exists, skipping" notices are no news to a runner's log.
    store->m_session = "SET lock_timeout = " + QByteArray::number(qMax(0, options.busyTimeoutMs))
                       + "; SET client_min_messages = warning";
    if (!options.fullSync)
        store->m_session += "; SET synchronous_commit = off";
    auto set = store->command(store->m_session.constData());
    if (!set.ok())
        return set.error();
    if (options.create) {
        auto migrated = store->migrate();
        if (!migrated.ok())
            return migrated.error();
        return store;
    }
    auto version = store->schemaVersion();
    if (!version.ok())
        return version.error();
    if (version.value() != kSchemaVersion) {
        Error e{version.value() == 0
                    ? QStringLiteral("the database holds no Switchboard schema: create it with "
                                     "`switchboard-run store migrate --store URI` (or --init)")
                    : QStringLiteral("the database has schema version %1, this runtime "
                                     "needs %2: run `switchboard-run store migrate`")
                          .arg(version.value()).arg(kSchemaVersion),
                store->m_address};
        return e;
    }
    return store;
}

Result<void> PostgresStore::transaction(const std::function<Result<void>()> &body)
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    if (m_txDepth == 0 && m_groupCommit) {
        auto opened = beginBatch();
        if (!opened.ok())
            return opened;
    }
    const bool outer = m_txDepth == 0;
    char sp[48];
    std::snprintf(sp, sizeof sp, "sp%d", m_txDepth);
    auto savepointSql = [&](const char *verb) {
        return QByteArray(verb) + ' ' + sp;
    };
    auto begin = outer ? command("BEGIN") : command(savepointSql("SAVEPOINT").constData());
    if (!begin.ok())
        return begin;
    ++m_txDepth;
    Result<void> result = body();
    --m_txDepth;
    if (result.ok()) {
        Result<void> commit = Ok{};
        if (outer) {
            // COMMIT of a transaction a failed statement aborted answers ROLLBACK.
            auto done = query("COMMIT", Params());
            if (!done.ok())
                commit = done.error();
            else if (done.value().tag() != "COMMIT")
                commit = Error{QStringLiteral("the transaction was rolled back: a statement "
                                              "in it failed"), m_address};
        } else {
            commit = command(savepointSql("RELEASE").constData());
        }
        if (commit.ok())
            return result;
        result = commit;
    }
    if (PQtransactionStatus(m_conn) == PQTRANS_IDLE) // nothing left to undo
        return result;
    auto undo = outer ? command("ROLLBACK")
                      : command(savepointSql("ROLLBACK TO SAVEPOINT").constData());
    if (undo.ok() && !outer)
        undo = command(savepointSql("RELEASE").constData());
    if (!undo.ok()) {
        Error e = result.error();
        e.message += QStringLiteral("; the rollback failed too: %1").arg(undo.error().message);
        return e;
    }
    return result;
}

// Every transaction commits itself, so a batch is only a number: it is durable as soon as
// it is closed, and never lost as a whole.
Result<void> PostgresStore::beginBatch()
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    if (!m_groupCommit || m_batchOpen || m_txDepth > 0)
        return Ok{};
    m_batchOpen = true;
    ++m_batchId;
    m_batchStartMs = nowMs();
    return Ok{};
}

Result<void> PostgresStore::commitBatch()
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    if (!m_batchOpen || m_txDepth > 0)
        return Ok{};
    m_batchOpen = false;
    m_durableBatch = m_batchId;
    return Ok{};
}

quint64 PostgresStore::openBatch() const
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    return m_batchOpen ? m_batchId : 0;
}

quint64 PostgresStore::durableBatch() const
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    return m_durableBatch;
}

bool PostgresStore::batchFailed(quint64) const { return false; }

qint64 PostgresStore::batchAgeMs() const
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    return m_batchOpen ? nowMs() - m_batchStartMs : 0;
}

Result<void> PostgresStore::probeWrite()
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    auto written = transaction([this]() -> Result<void> {
        auto r = query("INSERT INTO probe (id, at) VALUES (1, $1) "
                       "ON CONFLICT (id) DO UPDATE SET at = EXCLUDED.at",
                       Params() << nowMs());
        if (!r.ok())
            return r.error();
        return Ok{};
    });
    if (!written.ok())
        return written;
    return commitBatch();
}

} // namespace sb::runtime
