#pragma once

// The embedded store: one SQLite file in WAL mode (Store::open returns one).

#include "runtime/store/store.h"

#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace sb::runtime {

class SqliteStore final : public Store
{
public:
    SqliteStore() = default;
    ~SqliteStore() override;

    static Result<std::unique_ptr<SqliteStore>> openFile(const QString &fileName,
                                                         const StoreOptions &options = {});
    QString fileName() const override { return m_fileName; }

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
