#pragma once

// Durable state of the runtime in one SQLite file (WAL): workflow instances, their journal,
// the outbound ledger, inbound de-duplication, dead letters, approval tasks and timers.
// Every method returns sb::Result; nothing throws. One Store may be shared between threads:
// calls are serialised by an internal mutex, and transaction() holds it for its whole body.

#include "model/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QVector>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace sb::runtime {

enum class InstanceStatus { Running, Waiting, Completed, Failed, Compensated, DeadLettered };
enum class JournalKind { Start, Result, Error, Retry, Compensate, Wait, Resume };
enum class TaskStatus { Open, Approved, Rejected };

QString toString(InstanceStatus s);
QString toString(JournalKind k);
QString toString(TaskStatus s);
std::optional<InstanceStatus> instanceStatusFromString(const QString &s);
std::optional<JournalKind> journalKindFromString(const QString &s);
std::optional<TaskStatus> taskStatusFromString(const QString &s);

// JSON values travel as UTF-8 JSON text; the store does not interpret them.
struct InstanceRecord
{
    QString id;
    QString workflowId;
    QString correlationId;
    QString traceparent;
    InstanceStatus status = InstanceStatus::Running;
    QByteArray variables = "{}";
    QString currentStep;
    QDateTime created;       // filled in by the store
    QDateTime updated;
};

struct JournalEntry
{
    QString instanceId;
    qint64 seq = 0;          // 1, 2, 3... per instance, no gaps
    QString stepId;
    JournalKind kind = JournalKind::Start;
    QByteArray payload = "null";
    QDateTime at;
};

struct OutboundRecord
{
    QString key;             // the Idempotency-Key sent
    QString instanceId;
    QString stepId;
    int status = 0;          // HTTP status of the recorded response
    QByteArray response = "null";
    QDateTime at;
};

struct DeadLetter
{
    qint64 id = 0;
    QString instanceId;
    QString stepId;
    QString error;
    QByteArray context = "{}"; // everything needed to replay: variables, payload, attempt
    bool replayed = false;
    QDateTime created;
};

struct ApprovalTask
{
    qint64 id = 0;
    QString instanceId;
    QString stepId;
    QString role;
    TaskStatus status = TaskStatus::Open;
    QByteArray payload = "{}";
    QDateTime escalateAt;    // invalid: no escalation
    QString decidedBy;
    QString note;
    QDateTime created;
    QDateTime updated;
};

struct Timer
{
    qint64 id = 0;
    QString instanceId;
    QString stepId;
    QString kind;            // e.g. wait-timeout, retry, schedule, escalation
    QDateTime due;
    QByteArray payload = "null";
};

struct StoreOptions
{
    // FULL: a commit survives power loss (fsync per commit). NORMAL in WAL mode survives a
    // process crash but may lose the last commits on power loss; use it for simulations.
    bool fullSync = true;
    int busyTimeoutMs = 5000;
    // false: the file must already be a Switchboard journal; a missing, empty or foreign
    // file is refused instead of silently becoming a new, empty journal.
    bool create = true;
    // Runs SQLite's quick_check at open and refuses a database that fails it.
    bool verify = false;
};

class Store
{
public:
    Store() = default;
    ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    // Opens (creating if needed and options.create) the database file and its schema.
    static Result<std::unique_ptr<Store>> open(const QString &fileName,
                                               const StoreOptions &options = {});
    QString fileName() const { return m_fileName; }

    // Runs `body` inside one transaction: committed if it returns ok, rolled back otherwise.
    // An error when the body fails or the commit cannot be written.
    Result<void> transaction(const std::function<Result<void>()> &body);
    // A small real write (one row, committed): whether the database can be written now.
    Result<void> probeWrite();

    // Group commit. With it on, transaction() outside any other joins one open batch
    // transaction as a savepoint (beginBatch() opens it when none is), and commitBatch()
    // makes every write of the batch durable with one commit and one fsync. Nothing in a
    // batch is durable, nor visible to other connections, before commitBatch() succeeds.
    void setGroupCommit(bool on) { m_groupCommit = on; }
    bool groupCommit() const { return m_groupCommit; }
    Result<void> beginBatch();
    // Commits the open batch; nothing to do without one or inside a transaction body.
    // On failure the batch is rolled back and counted as failed.
    Result<void> commitBatch();
    // Batches are numbered from 1: the open one (0: none), the last committed one, whether
    // one was lost (rolled back), and how long the open one has been open.
    quint64 openBatch() const;
    quint64 durableBatch() const;
    bool batchFailed(quint64 id) const;
    qint64 batchAgeMs() const;

    // Instances
    Result<void> createInstance(const InstanceRecord &instance);
    Result<void> updateInstance(const QString &id, InstanceStatus status,
                                const QByteArray &variables, const QString &currentStep);
    Result<void> setInstanceStatus(const QString &id, InstanceStatus status);
    Result<InstanceRecord> instance(const QString &id) const;
    Result<QVector<InstanceRecord>> instances(std::optional<InstanceStatus> status = {},
                                              int limit = -1) const;
    Result<QVector<InstanceRecord>> instancesByCorrelation(const QString &correlationId) const;
    // Running or waiting: what a restarted runner resumes.
    Result<QVector<InstanceRecord>> unfinishedInstances() const;
    Result<qint64> countInstances(std::optional<InstanceStatus> status = {}) const;

    // Journal (append-only). Returns the new entry's seq.
    Result<qint64> appendJournal(const QString &instanceId, const QString &stepId,
                                 JournalKind kind, const QByteArray &payload = "null");
    Result<QVector<JournalEntry>> journal(const QString &instanceId) const;
    Result<JournalEntry> lastJournalEntry(const QString &instanceId) const;

    // Outbound ledger: the response recorded for an idempotency key, so a retry after a
    // crash returns it instead of repeating the write.
    Result<void> recordOutbound(const OutboundRecord &record);
    Result<std::optional<OutboundRecord>> outbound(const QString &key) const;

    // Inbound de-duplication: true if the event id is new (and now recorded), false if seen.
    Result<bool> markEventSeen(const QString &eventId, const QString &source = QString());
    Result<bool> eventSeen(const QString &eventId) const;

    // Dead letters
    Result<qint64> addDeadLetter(const DeadLetter &letter);
    Result<DeadLetter> deadLetter(qint64 id) const;
    Result<QVector<DeadLetter>> deadLetters(bool includeReplayed = false) const;
    Result<void> markDeadLetterReplayed(qint64 id);

    // Approval tasks
    Result<qint64> addTask(const ApprovalTask &task);
    Result<ApprovalTask> task(qint64 id) const;
    Result<QVector<ApprovalTask>> tasks(std::optional<TaskStatus> status = {}) const;
    // Decides an open task; an error if it is unknown or already decided.
    Result<void> decideTask(qint64 id, TaskStatus status, const QString &decidedBy = QString(),
                            const QString &note = QString(),
                            const std::optional<QByteArray> &payload = {});
    Result<QVector<ApprovalTask>> tasksToEscalate(const QDateTime &now) const;

    // Timers
    Result<qint64> addTimer(const Timer &timer);
    Result<QVector<Timer>> dueTimers(const QDateTime &now) const;
    Result<QVector<Timer>> timers(const QString &instanceId = QString()) const;
    Result<std::optional<QDateTime>> nextTimerDue() const;
    Result<bool> removeTimer(qint64 id);
    Result<bool> removeTimers(const QString &instanceId, const QString &stepId = QString());

private:
    class Statement;
    Result<void> exec(const char *sql);
    // One statement through the statement cache (transaction control).
    Result<void> run(const char *sql);
    Result<void> savepoint(const char *verb, int depth);
    Result<void> quickCheck();
    Error dbError(const QString &what) const;
    // The statement cache: a statement is taken out while in use (so a nested use of the
    // same SQL prepares its own) and given back reset, bindings cleared.
    sqlite3_stmt *takeStatement(const std::string &sql) const;
    void giveBackStatement(std::string sql, sqlite3_stmt *stmt) const;

    sqlite3 *m_db = nullptr;
    QString m_fileName;
    mutable std::recursive_mutex m_mutex;
    void loseBatch();
    int m_txDepth = 0;
    bool m_groupCommit = false;
    bool m_batchOpen = false;
    quint64 m_batchId = 0;
    quint64 m_durableBatch = 0;
    qint64 m_batchStartMs = 0;
    std::set<quint64> m_failedBatches; // rare: each one a storage fault
    mutable std::unordered_map<std::string, sqlite3_stmt *> m_statements;
};

} // namespace sb::runtime
