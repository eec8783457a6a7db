#pragma once

// The workflow engine: runs instances of a project's workflows durably over the Store.
// Every step start, result and error is journalled; an instance's whole state (variables,
// which entity each variable holds, completed steps for compensation, attempt counter)
// lives in its `variables` column, so a new engine on the same database resumes it.
// Single-threaded and re-entrancy safe: start/deliverEvent/decideTask/replay only write and
// queue work (never run a step or call out); runReady() and fireDueTimers() do it. With
// maxInFlight and an asynchronous connector a call step pends and its instance runs again
// when the answer comes; otherwise a call step waits in a nested event loop
// (HttpConnector), so a request handler or a timer may call any of these while a step is on
// the stack: runReady() and fireDueTimers() then return at once and setProject() waits
// until the step is done. The clock is
// injectable so simulations run backoffs and wait timeouts in virtual time.

#include "model/project.h"
#include "model/result.h"
#include "runtime/engine/connector.h"
#include "runtime/jsonata/jsonata.h"
#include "runtime/store/store.h"

#include <QDateTime>
#include <QHash>
#include <QRandomGenerator>
#include <QSet>
#include <QString>

#include <nlohmann/json.hpp>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace sb::runtime {

class MappingExecutor;
class SchemaCheck;
namespace enginedetail {
struct EvalInput;
}

// A clock the caller moves forward (simulations, tests).
class ManualClock
{
public:
    explicit ManualClock(QDateTime start = QDateTime::currentDateTimeUtc()) : m_now(start) {}
    QDateTime now() const { return m_now; }
    void set(const QDateTime &t) { if (t > m_now) m_now = t; }
    void advanceMs(qint64 ms) { m_now = m_now.addMSecs(ms); }

private:
    QDateTime m_now;
};

struct EngineOptions
{
    std::function<QDateTime()> clock;    // empty: real UTC time
    quint64 seed = 0;                    // jitter, trace ids; 0: random per process
    int defaultMaxAttempts = 3;          // a call without retry policy
    int defaultTimeoutMs = 30000;
    QString profile = QStringLiteral("sandbox"); // endpoint profile of every system
    bool startEventTriggers = true;      // published / delivered events start event workflows
    int maxStepsPerRun = 1000;           // guard against cycles in a workflow graph
    // Budget of every JSONata evaluation (filters, mappings, rules, templates). A step's
    // evalTimeLimitMs / evalMemoryLimitMb override time and memory; going over the budget
    // fails the step as a business error (never retried).
    jsonata::EvalOptions eval = jsonata::runnerBudget();
    // Group commit (the store's setGroupCommit on): runReady() commits the open batch once
    // it is this old; whoever drives the engine commits the rest (flushBatch()). 0: never
    // from runReady().
    int groupCommitMs = 0;
    // Concurrency (a connector that can send asynchronously): up to this many instances
    // wait on outbound calls at once, without nesting event loops; 0: one call at a time,
    // synchronously. An answered call re-runs its step, its earlier calls answered from
    // memory, so the step's code stays sequential.
    int maxInFlight = 0;
};

struct StartResult
{
    QString instanceId;
    bool duplicate = false;              // the event id was seen: the original instance
    bool filtered = false;               // the trigger's filter said no: nothing started
};

struct EngineCounters
{
    qint64 steps = 0;
    qint64 retries = 0;
    qint64 deadLetters = 0;
    qint64 compensations = 0;
    qint64 outboundCalls = 0;
    qint64 ledgerHits = 0;
    qint64 eventsDelivered = 0;
};

class Engine
{
public:
    Engine(model::Project project, Store *store, Connector *connector,
           EngineOptions options = {});
    ~Engine();
    Engine(const Engine &) = delete;
    Engine &operator=(const Engine &) = delete;

    const model::Project &project() const { return m_project; }
    // Replaces the project (e.g. a fixed mapping); compiled expressions are rebuilt. While
    // instances run, the swap waits until the one in progress yields.
    void setProject(model::Project project);
    QDateTime now() const;

    // Queues every unfinished instance of the store (call once after construction).
    Result<int> resume();
    // Accepts a trigger payload: de-duplicated by the trigger's event id.
    Result<StartResult> start(const QString &workflowId, const nlohmann::ordered_json &payload);
    // A CloudEvents envelope from a system or a publish step: resumes waits, starts event
    // workflows. Returns how many instances it touched.
    int deliverEvent(const nlohmann::ordered_json &event);
    // The same, deferred to the next runReady(): safe from inside a step (sandbox signals).
    void queueEvent(const nlohmann::ordered_json &event)
    {
        m_pendingEvents.emplace_back(nextEventStamp(), event);
    }
    // An event read from another process (a sandbox's event feed): it counts from its
    // CloudEvents `time` when that is earlier than now, so history read again after a
    // restart never resumes a wait that began later.
    void queueReceivedEvent(const nlohmann::ordered_json &event);
    Result<bool> decideTask(qint64 taskId, bool approve, const QString &by = QString(),
                            const QString &note = QString(),
                            const std::optional<nlohmann::ordered_json> &payload = {});
    // Replays a dead letter from its failed step, optionally with an edited trigger payload.
    Result<QString> replay(qint64 deadLetterId,
                           const std::optional<nlohmann::ordered_json> &payload = {});

    // Runs queued instances until each waits, sleeps or ends. Returns steps executed.
    int runReady();
    // Handles timers due now (retries, wait timeouts, escalations). Returns how many.
    int fireDueTimers();
    std::optional<QDateTime> nextTimerDue() const;
    bool hasReady() const
    {
        return !m_ready.empty() || !m_pendingEvents.empty() || !m_answered.empty();
    }
    // Instances waiting on an asynchronous call now.
    int callsInFlight() const { return int(m_calls.size()); }
    // Called (from the event loop) when an asynchronous call is answered: the instance is
    // ready again; whoever drives the engine should runReady() soon.
    std::function<void()> onCallAnswered;
    // Simulation: runs, then moves `clock` to the next timer, until nothing is left.
    // Returns false if `maxRounds` was reached.
    bool runUntilIdle(ManualClock *clock, int maxRounds = 1000000);

    const EngineCounters &counters() const { return m_counters; }

    // Group commit: commits the store's open batch; a failed commit is a storage fault
    // (what the batch held is reloaded from the journal). False when it failed.
    bool flushBatch();

    // Why the store cannot be written, while it cannot. A failed write stops the work in
    // progress as a crash would: no step runs and nothing new is accepted until a probe
    // write succeeds; then the unfinished instances are reloaded from the journal as
    // resume() does (steps are at-least-once; idempotency keys make re-running safe).
    const std::optional<QString> &storageFault() const { return m_storageFault; }
    // Without a fault: true. With one: probes the store and recovers when it can be written.
    bool checkStorage();
    // Called for every event a publish step emits (after it is journalled).
    std::function<void(const nlohmann::ordered_json &)> onPublish;
    // Called when a step of an instance has completed (after its result is journalled):
    // a simulation's events scripted to follow a step.
    std::function<void(const QString &instanceId, const QString &stepId)> onStepDone;

private:
    // What a waiting instance awaits: an event is matched in memory, so its delivery does
    // not read every waiting instance from the store.
    struct WaitKey
    {
        QString key;
        QString topic;
        QString field;       // path in the event's data; empty: the subject
        qint64 since = 0;    // only events stamped after this
    };
    struct Outcome;
    struct State;
    struct Caches;
    // The outbound calls of the step an instance is in while it waits on one: answers so
    // far in call order, and how many the current run of the step has used.
    struct InFlight
    {
        QString step;
        std::vector<OutboundResponse> answers;
        size_t next = 0;
        bool waiting = false;
        QDateTime started;
    };
    // The calls of `step` answered so far (resetting `started` to its first run), or a new
    // record when the step may call asynchronously; null when it calls synchronously.
    InFlight *resumeCalls(const QString &instanceId, const model::Step &step,
                          QDateTime &started);
    void callAnswered(const QString &instanceId, quint64 generation, size_t index,
                      const OutboundResponse &response);
    // Forgets the calls in flight (their answers are ignored); `requeue`: runs them again.
    void dropCalls(bool requeue);
    // The expression compiled once (see Caches); never null, check ok().
    const jsonata::Expression &compiled(const QString &src);
    void enqueue(const QString &instanceId);
    void runInstance(const QString &instanceId);
    // Journals the retry, sets its timer and saves the instance, in one transaction.
    void scheduleRetry(InstanceRecord &rec, State &st, const model::Step &step,
                       const Outcome &o);
    Outcome execute(const model::Workflow &wf, const model::Step &step,
                    const InstanceRecord &rec, State &st);
    Outcome executeCall(const model::Workflow &wf, const model::Step &step,
                        const InstanceRecord &rec, State &st, bool compensation = false);
    // The parts of a call step (engine_calls.cpp).
    struct Call;
    std::optional<Outcome> prepareBody(const model::Step &step, const State &st,
                                       const std::string &var, Call &call);
    std::optional<Outcome> expandPath(const model::Step &step,
                                      const enginedetail::EvalInput &ctx,
                                      const jsonata::Bindings &bindings, Call &call);
    QString idempotencyKey(const model::Step &step, const InstanceRecord &rec, const State &st,
                           const enginedetail::EvalInput &ctx,
                           const jsonata::Bindings &bindings, QString *error);
    nlohmann::ordered_json findUpsertTarget(const model::Step &step, bool sandbox, Call &call);
    OutboundResponse send(const model::Step &step, const QString &method, const QString &path,
                          const QByteArray &body, const HeaderList &headers, int timeoutMs);
    void translateForSandbox(const model::Step &step, const InstanceRecord &rec, Call &call);
    void lookUpSandboxKey(const model::Step &step, const model::Entity *ent,
                          const QString &base, const QStringList &segs, Call &call);
    bool consultLedger(Call &call, Outcome &o);
    Outcome judgeResponse(const model::Step &step, const InstanceRecord &rec, State &st,
                          const Call &call, Outcome o);
    Outcome executeValidate(const model::Step &step, State &st);
    std::shared_ptr<const SchemaCheck> entitySchema(const QString &entity);
    Outcome executeWait(const model::Step &step, const InstanceRecord &rec, State &st);
    // An approval step run again finds the task it made: open (wait on), decided (go on).
    Outcome resumeApproval(const ApprovalTask &task, const model::Step &step, State &st);
    Result<bool> resumeIfDecided(const InstanceRecord &rec, const State &st);
    QString nextStep(const model::Workflow &wf, const model::Step &step, const State &st,
                     model::EdgeKind kind);
    static bool hasConditionalEdge(const model::Workflow &wf, const QString &stepId);
    void fail(const model::Workflow &wf, const model::Step &step, InstanceRecord &rec,
              State &st, const Outcome &o);
    int compensate(const model::Workflow &wf, const InstanceRecord &rec, State &st);
    Result<void> persist(const InstanceRecord &rec, const State &st, InstanceStatus status,
                         const QString &current);
    Result<void> journal(const QString &instance, const QString &step, JournalKind kind,
                         nlohmann::ordered_json payload);
    Result<int> resumeUnfinished(const char *reason);
    // Records a failed store access as a storage fault (logged once); false when `r` failed.
    template <typename T>
    bool saved(const Result<T> &r)
    {
        if (r.ok())
            return true;
        storageFailed(r.error());
        return false;
    }
    void storageFailed(const Error &e);
    Error storageFaultError() const;
    bool eventMatchesWait(const nlohmann::ordered_json &event, const WaitKey &wait) const;
    void resumeWait(const QString &instanceId, const nlohmann::ordered_json &event);
    void deliverStamped(qint64 stamp, const nlohmann::ordered_json &event, int *touched);
    // Event order that survives restarts: microseconds of the real clock, strictly rising.
    qint64 nextEventStamp();
    const MappingExecutor *executor(const QString &mappingId);
    bool usesSandbox(const QString &system) const;
    // The profile a system is reached through in this run; null when none applies.
    const model::EndpointProfile *profileFor(const QString &system) const;
    QString newSpanId();
    void applyPendingProject();

    model::Project m_project;
    std::optional<model::Project> m_pendingProject; // set while runReady() is on the stack
    Store *m_store;
    Connector *m_connector;
    EngineOptions m_options;
    QRandomGenerator m_random;
    std::deque<QString> m_ready;
    QSet<QString> m_readySet;
    // Events with the stamp of when they occurred (queued), delivered by runReady().
    std::deque<std::pair<qint64, nlohmann::ordered_json>> m_pendingEvents;
    QHash<QString, WaitKey> m_waitKeys;
    qint64 m_lastStamp = 0;
    std::map<QString, std::unique_ptr<MappingExecutor>> m_executors;
    std::unique_ptr<Caches> m_caches;
    std::unordered_map<QString, InFlight> m_calls;  // by instance
    std::deque<QString> m_answered;                // their answer came: run them first
    InFlight *m_current = nullptr;                 // the step being run, when asynchronous
    QString m_currentId;
    quint64 m_callGeneration = 0;                  // answers of dropped calls are ignored
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    EngineCounters m_counters;
    bool m_running = false;
    std::optional<QString> m_storageFault;
};

} // namespace sb::runtime
