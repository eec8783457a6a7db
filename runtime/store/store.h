#pragma once

// Durable state of the runtime: workflow instances, their journal, the outbound ledger,
// inbound de-duplication, dead letters, approval tasks and timers. Every method returns
// sb::Result; nothing throws. One Store may be shared between threads: calls are serialised
// by an internal mutex, and transaction() holds it for its whole body.

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

// The store interface the engine and serve use. SqliteStore (one file, the embedded default)
// and PostgresStore (runtime/pgstore, a runner group's shared database) implement it.
class Store
{
public:
    Store() = default;
    virtual ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    // Opens (creating if needed and options.create) the SQLite database file and its schema.
    static Result<std::unique_ptr<Store>> open(const QString &fileName,
                                               const StoreOptions &options = {});
    // The file, or for a database server its address without any password.
    virtual QString fileName() const = 0;

    // Runs `body` inside one transaction: committed if it returns ok, rolled back otherwise.
    // An error when the body fails or the commit cannot be written.
    virtual Result<void> transaction(const std::function<Result<void>()> &body) = 0;
    // A small real write (one row, committed): whether the database can be written now.
    virtual Result<void> probeWrite() = 0;

    // Group commit. With it on, transaction() outside any other joins one open batch
    // transaction as a savepoint (beginBatch() opens it when none is), and commitBatch()
    // makes every write of the batch durable with one commit and one fsync. Nothing in a
    // batch is durable, nor visible to other connections, before commitBatch() succeeds.
    // (PostgresStore commits every transaction itself and only numbers the batches.)
    virtual void setGroupCommit(bool on) = 0;
    virtual bool groupCommit() const = 0;
    virtual Result<void> beginBatch() = 0;
    // Commits the open batch; nothing to do without one or inside a transaction body.
    // On failure the batch is rolled back and counted as failed.
    virtual Result<void> commitBatch() = 0;
    // Batches are numbered from 1: the open one (0: none), the last committed one, whether
    // one was lost (rolled back), and how long the open one has been open.
    virtual quint64 openBatch() const = 0;
    virtual quint64 durableBatch() const = 0;
    virtual bool batchFailed(quint64 id) const = 0;
    virtual qint64 batchAgeMs() const = 0;

    // Instances
    virtual Result<void> createInstance(const InstanceRecord &instance) = 0;
    virtual Result<void> updateInstance(const QString &id, InstanceStatus status,
                                        const QByteArray &variables,
                                        const QString &currentStep) = 0;
    virtual Result<void> setInstanceStatus(const QString &id, InstanceStatus status) = 0;
    virtual Result<InstanceRecord> instance(const QString &id) const = 0;
    virtual Result<QVector<InstanceRecord>> instances(std::optional<InstanceStatus> status = {},
                                                      int limit = -1) const = 0;
    virtual Result<QVector<InstanceRecord>>
    instancesByCorrelation(const QString &correlationId) const = 0;
    // Running or waiting: what a restarted runner resumes.
    virtual Result<QVector<InstanceRecord>> unfinishedInstances() const = 0;
    virtual Result<qint64> countInstances(std::optional<InstanceStatus> status = {}) const = 0;

    // Journal (append-only). Returns the new entry's seq.
    virtual Result<qint64> appendJournal(const QString &instanceId, const QString &stepId,
                                         JournalKind kind,
                                         const QByteArray &payload = "null") = 0;
    virtual Result<QVector<JournalEntry>> journal(const QString &instanceId) const = 0;
    virtual Result<JournalEntry> lastJournalEntry(const QString &instanceId) const = 0;

    // Outbound ledger: the response recorded for an idempotency key, so a retry after a
    // crash returns it instead of repeating the write.
    virtual Result<void> recordOutbound(const OutboundRecord &record) = 0;
    virtual Result<std::optional<OutboundRecord>> outbound(const QString &key) const = 0;

    // Inbound de-duplication: true if the event id is new (and now recorded), false if seen.
    virtual Result<bool> markEventSeen(const QString &eventId,
                                       const QString &source = QString()) = 0;
    virtual Result<bool> eventSeen(const QString &eventId) const = 0;

    // Dead letters
    virtual Result<qint64> addDeadLetter(const DeadLetter &letter) = 0;
    virtual Result<DeadLetter> deadLetter(qint64 id) const = 0;
    virtual Result<QVector<DeadLetter>> deadLetters(bool includeReplayed = false) const = 0;
    virtual Result<void> markDeadLetterReplayed(qint64 id) = 0;

    // Approval tasks
    virtual Result<qint64> addTask(const ApprovalTask &task) = 0;
    virtual Result<ApprovalTask> task(qint64 id) const = 0;
    virtual Result<QVector<ApprovalTask>> tasks(std::optional<TaskStatus> status = {}) const = 0;
    // Decides an open task; an error if it is unknown or already decided.
    virtual Result<void> decideTask(qint64 id, TaskStatus status,
                                    const QString &decidedBy = QString(),
                                    const QString &note = QString(),
                                    const std::optional<QByteArray> &payload = {}) = 0;
    virtual Result<QVector<ApprovalTask>> tasksToEscalate(const QDateTime &now) const = 0;

    // Timers
    virtual Result<qint64> addTimer(const Timer &timer) = 0;
    virtual Result<QVector<Timer>> dueTimers(const QDateTime &now) const = 0;
    virtual Result<QVector<Timer>> timers(const QString &instanceId = QString()) const = 0;
    virtual Result<std::optional<QDateTime>> nextTimerDue() const = 0;
    virtual Result<bool> removeTimer(qint64 id) = 0;
    virtual Result<bool> removeTimers(const QString &instanceId,
                                      const QString &stepId = QString()) = 0;
};

} // namespace sb::runtime
