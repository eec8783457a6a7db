#pragma once

// A data set run through the in-process sandbox, one durable instance per record, in virtual
// time (backoffs and wait timeouts do not really sleep). Shared by `switchboard-run simulate`
// and the studio's run panel: the caller feeds records one at a time (progress, cancel) and
// keeps the engine afterwards for approvals and replays.

#include "model/project.h"
#include "model/result.h"
#include "runtime/engine/analysis.h"
#include "runtime/engine/connector.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/recording.h"
#include "runtime/sandbox/sandbox.h"
#include "runtime/store/store.h"

#include <QHash>
#include <QMap>
#include <QString>
#include <QVector>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace sb::runtime {

// JSONL, a JSON array of objects, or CSV with a header row (by the .csv suffix). Errors
// name the file and line.
Result<QVector<nlohmann::ordered_json>> readRecords(const QString &file);

// The workflow to simulate: `id`, or the first one with a webhook trigger when empty.
Result<const model::Workflow *> simulationWorkflow(const model::Project &project,
                                                   const QString &id);

struct DatasetChoice
{
    QString file;            // absolute path
    QString name;            // data set id, or the file as given
};

// A project data set (id or name), an existing file, or (when `dataset` is empty) the data
// set of the workflow's trigger entity. Relative data set files resolve against projectDir.
Result<DatasetChoice> simulationDataset(const model::Project &project,
                                        const model::Workflow &workflow,
                                        const QString &dataset, const QString &projectDir);

struct SimulationOptions
{
    QString dbFile;          // the store; required
    quint64 seed = 1;
    qint64 recordIntervalMs = 1000; // records arrive this far apart in virtual time
    // Serve the sandbox on a loopback port and call it over HTTP (the live-endpoint code
    // path); injected latency is then real time, the HTTP timeouts real too.
    bool overHttp = false;
    // A live endpoint profile: systems that have it are called over HTTP at its base URL
    // with its secret (the studio's "run against a live profile"); empty: the sandbox.
    QString liveProfile;
    // Record every exchange to this JSON Lines file (runtime/engine/recording.h).
    QString recordFile;
    // Answer every call from this recording instead of the sandbox or a live system; the
    // engine runs with the recording's profile (its paths are the profile's).
    QString replayFile;
};

struct StartedRecord
{
    QString key;             // the record's key field (or its 1-based position)
    QString instanceId;      // empty: the engine refused it
    bool duplicate = false;
    bool filtered = false;   // the trigger's filter let it pass by: no instance
    bool scripted = false;   // a scripted event line ("$event"), not a record
};

struct SimulationSummary
{
    int records = 0;
    int instances = 0;
    int completed = 0;
    int deadLettered = 0;
    int compensated = 0;
    int failed = 0;
    int waiting = 0;         // waiting or still running (open approvals, waits)
    int rejected = 0;
    int filtered = 0;        // records the trigger's filter let pass by
    int openTasks = 0;
    QMap<QString, int> byCategory; // dead letter category -> count
    int businessErrors() const;
    int transientErrors() const;
    QVector<model::Sla> slas;
    QVector<SlaReport> slaReports;
    QVector<ReconciliationReport> reconciliations;
    nlohmann::ordered_json results = nlohmann::ordered_json::array(); // one per record
    nlohmann::ordered_json toJson() const; // the --report document, without timings
};

class Simulation
{
public:
    ~Simulation();
    // Seeds a sandbox from the project's data sets and opens the store. `projectDir`
    // resolves data set files; an empty one seeds nothing.
    static Result<std::unique_ptr<Simulation>> create(const model::Project &project,
                                                      const QString &projectDir,
                                                      const SimulationOptions &options);

    // The key field of a workflow's trigger entity ("id" when unknown).
    std::string keyField(const model::Workflow &workflow) const;
    // Starts one record, runs what is ready, fires due timers, moves the clock on. A line
    // {"$event": {type, subject, data, ...}, "$afterMs": N} is no record: that CloudEvent
    // is delivered N ms of virtual time later (waits, timeouts and compensation in simulate);
    // with "$afterStep": "step id", N ms after that step of the previous record's instance
    // completed (never, if it does not).
    StartedRecord feed(const model::Workflow &workflow, const nlohmann::ordered_json &record,
                       int index);
    // Lets the time of one record pass without starting it (a project test that runs one
    // record of a data set keeps the data set's timing, so its scripted events fall alike).
    void skipRecord();
    // Runs until nothing is left in virtual time; optionally approves every open task first.
    // `stop` is asked between rounds (a closing studio); false: stopped early.
    bool drain(bool approveAll = false, const std::function<bool()> &stop = {});
    // Outcome of the started records, SLA figures of the workflow, reconciliations.
    SimulationSummary summarize(const model::Workflow &workflow,
                                const QVector<StartedRecord> &started) const;

    Engine &engine() { return *m_engine; }
    Sandbox &sandbox() { return *m_sandbox; }
    Store &store() { return *m_store; }
    ManualClock &clock() { return m_clock; }
    // The loopback URL of the sandbox when overHttp, else empty.
    QString sandboxUrl() const { return m_sandboxUrl; }
    // The recorder when recordFile was given, the replayer when replayFile was; else null.
    RecordingConnector *recorder() const { return m_recorder; }
    ReplayConnector *replayer() const { return m_replayer; }

private:
    Simulation() = default;
    QVector<nlohmann::ordered_json> sandboxRecords(const model::EntityRef &ref) const;
    // Queues the scripted events due by now; true when it queued any.
    bool deliverDueEvents();
    // Moves the clock to `until`, delivering scripted events on their way.
    void advanceTo(const QDateTime &until);

    model::Project m_project;
    std::unique_ptr<Sandbox> m_sandbox;
    std::unique_ptr<QObject> m_server;   // SandboxServer when overHttp
    QString m_sandboxUrl;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Connector> m_connector;
    RecordingConnector *m_recorder = nullptr; // m_connector when recording
    ReplayConnector *m_replayer = nullptr;    // m_connector when replaying
    std::unique_ptr<Engine> m_engine;
    ManualClock m_clock;
    qint64 m_intervalMs = 1000;
    std::multimap<QDateTime, nlohmann::ordered_json> m_scripted; // due -> event
    int m_scriptedCount = 0;
    // Events scripted to follow a step ("$afterStep") of the instance of the record before
    // them: queued into m_scripted when that step completes.
    struct AfterStep
    {
        QString step;
        qint64 afterMs = 0;
        nlohmann::ordered_json event;
    };
    QHash<QString, std::vector<AfterStep>> m_afterStep; // instance id -> its events
    QString m_lastInstance;  // the instance of the last record fed
    // Steps completed since the last record was fed (instance -> step -> when): an event
    // line after a record may name a step that record's instance has already done.
    QHash<QString, QHash<QString, QDateTime>> m_recentSteps;
    void stepDone(const QString &instanceId, const QString &stepId);
};

} // namespace sb::runtime
