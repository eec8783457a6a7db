#pragma once

// The store of a runner group: one PostgreSQL database shared by every runner, reached
// with libpq. Same interface and semantics as SqliteStore, with these differences:
// every transaction() commits itself (group commit only numbers the batches, see
// README.md), and the schema is versioned in a schema_version table.

#include "runtime/store/store.h"

#include <mutex>

struct pg_conn;
struct pg_result;

namespace sb::runtime {

// A runner of a group as its heartbeat row shows it, with the leases it holds.
struct RunnerInfo
{
    QString id;
    QString address;
    QDateTime started;
    QDateTime heartbeat;
    qint64 leases = 0; // unfinished instances it holds
};

class PostgresStore final : public Store
{
public:
    static constexpr int kSchemaVersion = 2;

    ~PostgresStore() override;

    // Connects to `uri` (postgresql://USER@HOST:PORT/DB; the password comes from
    // PGPASSWORD or ~/.pgpass). With options.create the schema is created or migrated
    // to kSchemaVersion; without it the database must already hold the current schema.
    static Result<std::unique_ptr<PostgresStore>> connect(const QString &uri,
                                                          const StoreOptions &options = {});
    // The schema version the database holds now (0: none).
    Result<int> schemaVersion() const;
    // Creates or upgrades the schema to kSchemaVersion; safe with several runners at once.
    Result<void> migrate();
    // A URI with any password removed, for messages.
    static QString redacted(const QString &uri);

    QString fileName() const override { return m_address; }

    // Work sharing between the runners of a group (times in ms since the epoch, passed in
    // so that a caller decides the clock). Not driven by the engine yet: see README.md.
    // Records that `runnerId` is alive (and where its HTTP API listens).
    Result<void> heartbeat(const QString &runnerId, const QString &address, qint64 nowMs);
    Result<QVector<RunnerInfo>> runners() const;
    // Leases up to `limit` unfinished instances to `runnerId` until nowMs + leaseMs: its own,
    // unowned ones and those whose lease ran out. Rows another runner is claiming at this
    // moment are skipped (FOR UPDATE SKIP LOCKED), never waited for nor shared. The ids.
    Result<QStringList> claimInstances(const QString &runnerId, qint64 nowMs, qint64 leaseMs,
                                       int limit);
    // Extends the leases `runnerId` still holds; how many.
    Result<qint64> renewLeases(const QString &runnerId, qint64 nowMs, qint64 leaseMs);
    // Joins as the only live runner: in one transaction (serialised between runners), the
    // other runner whose heartbeat is newer than nowMs - staleMs if there is one (then
    // nothing is written), else records this runner's heartbeat and returns nullopt.
    Result<std::optional<RunnerInfo>> joinAlone(const QString &runnerId,
                                                const QString &address, qint64 nowMs,
                                                qint64 staleMs);
    // A runner stopping cleanly gives its instances back at once and leaves the group.
    Result<void> releaseLeases(const QString &runnerId);

    Result<void> transaction(const std::function<Result<void>()> &body) override;
    Result<void> probeWrite() override;

    void setGroupCommit(bool on) override { m_groupCommit = on; }
    bool groupCommit() const override { return m_groupCommit; }
    Result<void> beginBatch() override;
    Result<void> commitBatch() override;
    quint64 openBatch() const override;
    quint64 durableBatch() const override;
    bool batchFailed(quint64 id) const override;
    qint64 batchAgeMs() const override;

    Result<void> createInstance(const InstanceRecord &instance) override;
    Result<void> updateInstance(const QString &id, InstanceStatus status,
                                const QByteArray &variables,
                                const QString &currentStep) override;
    Result<void> setInstanceStatus(const QString &id, InstanceStatus status) override;
    Result<InstanceRecord> instance(const QString &id) const override;
    Result<QVector<InstanceRecord>> instances(std::optional<InstanceStatus> status = {},
                                              int limit = -1) const override;
    Result<QVector<InstanceRecord>>
    instancesByCorrelation(const QString &correlationId) const override;
    Result<QVector<InstanceRecord>> unfinishedInstances() const override;
    Result<qint64> countInstances(std::optional<InstanceStatus> status = {}) const override;

    Result<qint64> appendJournal(const QString &instanceId, const QString &stepId,
                                 JournalKind kind, const QByteArray &payload = "null") override;
    Result<QVector<JournalEntry>> journal(const QString &instanceId) const override;
    Result<JournalEntry> lastJournalEntry(const QString &instanceId) const override;

    Result<void> recordOutbound(const OutboundRecord &record) override;
    Result<std::optional<OutboundRecord>> outbound(const QString &key) const override;
    Result<bool> markEventSeen(const QString &eventId,
                               const QString &source = QString()) override;
    Result<bool> eventSeen(const QString &eventId) const override;

    Result<qint64> addDeadLetter(const DeadLetter &letter) override;
    Result<DeadLetter> deadLetter(qint64 id) const override;
    Result<QVector<DeadLetter>> deadLetters(bool includeReplayed = false) const override;
    Result<void> markDeadLetterReplayed(qint64 id) override;

    Result<qint64> addTask(const ApprovalTask &task) override;
    Result<ApprovalTask> task(qint64 id) const override;
    Result<QVector<ApprovalTask>> tasks(std::optional<TaskStatus> status = {}) const override;
    Result<void> decideTask(qint64 id, TaskStatus status, const QString &decidedBy = QString(),
                            const QString &note = QString(),
                            const std::optional<QByteArray> &payload = {}) override;
    Result<QVector<ApprovalTask>> tasksToEscalate(const QDateTime &now) const override;

    Result<qint64> addTimer(const Timer &timer) override;
    Result<QVector<Timer>> dueTimers(const QDateTime &now) const override;
    Result<QVector<Timer>> timers(const QString &instanceId = QString()) const override;
    Result<std::optional<QDateTime>> nextTimerDue() const override;
    Result<bool> removeTimer(qint64 id) override;
    Result<bool> removeTimers(const QString &instanceId,
                              const QString &stepId = QString()) override;

    class Rows;   // a query's result (pgstore_detail.h)
    class Params; // positional parameters, text format

private:
    PostgresStore() = default;
    Result<Rows> query(const char *sql, const Params &params) const;
    Result<void> command(const char *sql);
    Error dbError(const QString &what, const pg_result *res = nullptr) const;

    pg_conn *m_conn = nullptr;
    QString m_address;
    QByteArray m_session; // the SET statements of a connection, again after a reconnect
    mutable std::recursive_mutex m_mutex;
    int m_txDepth = 0;
    bool m_groupCommit = false;
    bool m_batchOpen = false;
    quint64 m_batchId = 0;
    quint64 m_durableBatch = 0;
    qint64 m_batchStartMs = 0;
};

} // namespace sb::runtime
