#include "runtime/engine/simulation.h"
#include "model/jsonlimits.h"

#include "runtime/import/csv.h"
#include "runtime/sandbox/sandboxserver.h"

#include <QScopeGuard>
#include <QSet>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>

namespace sb::runtime {

using ojson = nlohmann::ordered_json;

namespace {

// A batch of simulated steps is committed once it is this old (real time).
constexpr int kSimCommitMs = 50;

ojson parseBytes(const QByteArray &b)
{
    return ojson::parse(b.constData(), b.constData() + b.size(), nullptr, false);
}

// A CSV cell as the JSON value it most likely is: numbers and booleans, else text.
ojson csvCell(const QString &cell)
{
    const QString t = cell.trimmed();
    if (t == QLatin1String("true") || t == QLatin1String("false"))
        return t == QLatin1String("true");
    bool ok = false;
    const qlonglong i = t.toLongLong(&ok);
    if (ok && !(t.size() > 1 && t.startsWith(QLatin1Char('0'))))
        return i;
    const double d = t.toDouble(&ok);
    if (ok && t.contains(QLatin1Char('.')) && !t.startsWith(QLatin1Char('.')))
        return d;
    return cell.toStdString();
}

// The in-process sandbox with its injected latency spent in virtual time, so a latency
// drill moves SLA figures and a delay beyond the call's timeout is a timeout.
class VirtualTimeConnector : public Connector
{
public:
    VirtualTimeConnector(Sandbox *sandbox, ManualClock *clock)
        : m_inner(sandbox), m_sandbox(sandbox), m_clock(clock) {}
    OutboundResponse send(const OutboundRequest &request) override
    {
        const auto faults = m_sandbox->faults(request.system);
        const int latency = faults ? faults->latencyMs : 0;
        if (latency > 0 && request.timeoutMs > 0 && latency >= request.timeoutMs) {
            m_clock->advanceMs(request.timeoutMs);
            OutboundResponse out;
            out.timedOut = true;
            out.transportError = QStringLiteral("timed out after %1 ms").arg(request.timeoutMs);
            out.url = QStringLiteral("sandbox:") + request.path;
            return out;
        }
        m_clock->advanceMs(latency);
        return m_inner.send(request);
    }

private:
    SandboxConnector m_inner;
    Sandbox *m_sandbox;
    ManualClock *m_clock;
};

// A live profile: systems it gives an endpoint go over HTTP, the others to the sandbox.
class LiveConnector : public Connector
{
public:
    LiveConnector(Sandbox *sandbox, ManualClock *clock) : m_sandbox(sandbox, clock) {}
    void setEndpoint(const QString &system, const HttpEndpoint &endpoint)
    {
        m_live.insert(system);
        m_http.setEndpoint(system, endpoint);
    }
    OutboundResponse send(const OutboundRequest &request) override
    {
        return m_live.contains(request.system) ? m_http.send(request)
                                               : m_sandbox.send(request);
    }

private:
    HttpConnector m_http;
    VirtualTimeConnector m_sandbox;
    QSet<QString> m_live;
};

} // namespace

Result<QVector<ojson>> readRecords(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read data set: %1").arg(f.errorString()), file};
    const QByteArray text = f.readAll();
    QVector<ojson> out;
    if (file.toLower().endsWith(QLatin1String(".csv"))) {
        auto table = parseCsv(text, file);
        if (!table.ok())
            return table.error();
        const QStringList &header = table.value().header;
        for (const QStringList &row : table.value().rows) {
            ojson o = ojson::object();
            for (int k = 0; k < header.size() && k < row.size(); ++k) {
                if (!row[k].isEmpty())
                    o[header[k].trimmed().toStdString()] = csvCell(row[k]);
            }
            out.append(std::move(o));
        }
        return out;
    }
    if (text.trimmed().startsWith('[')) {
        ojson j = parseBytes(text);
        if (!j.is_array())
            return Error{QStringLiteral("not a JSON array of records"), file, 1, 1};
        for (auto &r : j) {
            if (!r.is_object())
                return Error{QStringLiteral("an element of the array is not an object"), file};
            out.append(r);
        }
        return out;
    }
    int line = 0;
    for (const QByteArray &l : text.split('\n')) {
        ++line;
        if (l.trimmed().isEmpty())
            continue;
        ojson j = parseBytes(l);
        if (j.is_discarded() || !j.is_object())
            return Error{QStringLiteral("not a JSON object"), file, line, 1};
        out.append(j);
    }
    return out;
}

Result<const model::Workflow *> simulationWorkflow(const model::Project &project,
                                                   const QString &id)
{
    for (const model::Workflow &w : project.workflows) {
        if (id.isEmpty() ? w.trigger.type == model::TriggerType::Webhook : w.id == id)
            return &w;
    }
    return Error{id.isEmpty() ? QStringLiteral("no workflow with a webhook trigger; use --workflow")
                              : QStringLiteral("no workflow '%1'").arg(id)};
}

Result<DatasetChoice> simulationDataset(const model::Project &project,
                                        const model::Workflow &wf, const QString &dataset,
                                        const QString &projectDir)
{
    for (const model::Dataset &d : project.datasets) {
        const bool match = dataset.isEmpty()
                               ? d.system == wf.trigger.system && d.entity == wf.trigger.entity
                               : d.id == dataset || d.name == dataset;
        if (match)
            return DatasetChoice{QFileInfo(QDir(projectDir).filePath(d.file)).absoluteFilePath(),
                                 d.id};
    }
    if (!dataset.isEmpty() && QFileInfo(dataset).isFile())
        return DatasetChoice{QFileInfo(dataset).absoluteFilePath(), dataset};
    if (dataset.isEmpty()) {
        // Named as the user named the system; the id follows for the file and the CLI.
        const model::System *sys = project.system(wf.trigger.system);
        const QString name = sys && !sys->name.isEmpty() && sys->name != sys->id
                                 ? QStringLiteral("%1 (%2)").arg(sys->name, sys->id)
                                 : wf.trigger.system;
        return Error{QStringLiteral("no data set for entity %1 of %2")
                         .arg(wf.trigger.entity, name)};
    }
    return Error{QStringLiteral("no data set or file '%1'").arg(dataset)};
}

int SimulationSummary::businessErrors() const
{
    return byCategory.value(QStringLiteral("business"))
           + byCategory.value(QStringLiteral("validation"))
           + byCategory.value(QStringLiteral("mapping"))
           + byCategory.value(QStringLiteral("rejected"));
}

int SimulationSummary::transientErrors() const
{
    return byCategory.value(QStringLiteral("transient"))
           + byCategory.value(QStringLiteral("timeout"));
}

ojson SimulationSummary::toJson() const
{
    ojson report;
    report["records"] = records;
    report["instances"] = instances;
    report["completed"] = completed;
    report["deadLettered"] = deadLettered;
    report["compensated"] = compensated;
    report["failed"] = failed;
    report["waiting"] = waiting;
    report["rejected"] = rejected;
    report["filtered"] = filtered;
    report["businessErrors"] = businessErrors();
    ojson cats = ojson::object();
    for (auto it = byCategory.cbegin(); it != byCategory.cend(); ++it)
        cats[it.key().toStdString()] = it.value();
    report["exceptionsByCategory"] = cats;
    ojson slas = ojson::array();
    for (int i = 0; i < slaReports.size(); ++i) {
        const model::Sla &sla = this->slas[i];
        const SlaReport &r = slaReports[i];
        slas.push_back({{"id", sla.id.toStdString()}, {"name", sla.name.toStdString()},
                        {"targetMinutes", sla.targetMinutes},
                        {"targetPercent", sla.targetPercent}, {"measured", r.measured},
                        {"met", r.met}, {"pending", r.pending}, {"metPercent", r.metPercent()}});
    }
    report["sla"] = slas;
    ojson recs = ojson::array();
    for (const ReconciliationReport &rr : reconciliations)
        recs.push_back(rr.toJson());
    report["reconciliations"] = recs;
    return report;
}

Simulation::~Simulation()
{
    // What the open batch holds is committed, not rolled back by closing the connection.
    if (m_engine)
        m_engine->flushBatch();
    // The engine refers to the store and connector, the server to the sandbox: they go first.
    m_engine.reset();
    m_connector.reset();
    m_server.reset();
}

Result<std::unique_ptr<Simulation>> Simulation::create(const model::Project &project,
                                                       const QString &projectDir,
                                                       const SimulationOptions &options)
{
    std::unique_ptr<Simulation> sim(new Simulation);
    sim->m_project = project;
    sim->m_intervalMs = options.recordIntervalMs;
    model::Project seeded = project;
    if (projectDir.isEmpty())
        seeded.datasets.clear();
    auto sandbox = Sandbox::create(seeded, projectDir, options.seed);
    if (!sandbox.ok())
        return sandbox.error();
    sim->m_sandbox = sandbox.takeValue();
    if (options.dbFile.isEmpty())
        return Error{QStringLiteral("a simulation needs a store file")};
    // Group commit: the steps of many records share one transaction and one fsync, so the
    // journal keeps synchronous=FULL at the cost of a commit every kSimCommitMs.
    auto store = Store::open(options.dbFile, StoreOptions{});
    if (!store.ok())
        return store.error();
    sim->m_store = store.takeValue();
    sim->m_store->setGroupCommit(true);
    QString profile = options.liveProfile;
    // Every profile's secrets, not only the run's: none may reach a recording. Resolved only
    // when recording or replaying.
    QList<QByteArray> secrets;
    if (!options.recordFile.isEmpty() || !options.replayFile.isEmpty()) {
        for (const model::System &sys : project.systems) {
            for (const model::EndpointProfile &p : sys.profiles) {
                if (!p.secretRef.isEmpty())
                    secrets << resolveSecret(p.secretRef);
            }
        }
    }
    if (!options.replayFile.isEmpty()) {
        auto replay = ReplayConnector::load(options.replayFile);
        if (!replay.ok())
            return replay.error();
        const QString recorded = replay.value()->header().profile;
        if (!profile.isEmpty() && profile != recorded)
            return Error{QStringLiteral("the recording was made with profile '%1', not '%2'")
                             .arg(recorded, profile),
                         options.replayFile};
        profile = recorded == QLatin1String("sandbox") ? QString() : recorded;
        replay.value()->setSecrets(secrets);
        sim->m_replayer = replay.value().get();
        sim->m_connector = replay.takeValue();
    } else if (!options.liveProfile.isEmpty()) {
        auto http = std::make_unique<LiveConnector>(sim->m_sandbox.get(), &sim->m_clock);
        for (const model::System &sys : project.systems) {
            for (const model::EndpointProfile &p : sys.profiles) {
                if (p.name == options.liveProfile && !p.sandbox)
                    http->setEndpoint(sys.id, HttpEndpoint{p.baseUrl, p.auth, p.secretRef,
                                                           p.timeoutMs});
            }
        }
        sim->m_connector = std::move(http);
    } else if (options.overHttp) {
        auto server = std::make_unique<SandboxServer>(sim->m_sandbox.get());
        auto port = server->start(QHostAddress::LocalHost, 0);
        if (!port.ok())
            return port.error();
        sim->m_sandboxUrl = QStringLiteral("http://127.0.0.1:%1").arg(port.value());
        sim->m_server = std::move(server);
        auto http = std::make_unique<HttpConnector>();
        HttpEndpoint def;
        def.baseUrl = sim->m_sandboxUrl;
        http->setDefaultEndpoint(def);
        sim->m_connector = std::move(http);
    } else {
        sim->m_connector = std::make_unique<VirtualTimeConnector>(sim->m_sandbox.get(),
                                                                  &sim->m_clock);
    }
    if (!options.recordFile.isEmpty()) {
        RecordingHeader header;
        header.profile = profile.isEmpty() ? QStringLiteral("sandbox") : profile;
        header.project = project.name;
        auto rec = RecordingConnector::open(std::move(sim->m_connector), options.recordFile,
                                            header, secrets);
        if (!rec.ok())
            return rec.error();
        sim->m_recorder = rec.value().get();
        sim->m_connector = rec.takeValue();
    }
    EngineOptions eo;
    ManualClock *clock = &sim->m_clock;
    eo.clock = [clock]() { return clock->now(); };
    eo.seed = options.seed;
    if (!profile.isEmpty())
        eo.profile = profile;
    eo.startEventTriggers = false; // one workflow at a time
    eo.groupCommitMs = kSimCommitMs;
    sim->m_engine = std::make_unique<Engine>(project, sim->m_store.get(),
                                             sim->m_connector.get(), eo);
    Engine *engine = sim->m_engine.get();
    QObject::connect(sim->m_sandbox.get(), &Sandbox::changed, [engine](const QByteArray &e) {
        engine->queueEvent(parseBytes(e));
    });
    Simulation *self = sim.get();
    engine->onStepDone = [self](const QString &instanceId, const QString &stepId) {
        self->stepDone(instanceId, stepId);
    };
    return sim;
}

std::string Simulation::keyField(const model::Workflow &wf) const
{
    const model::System *s = m_project.system(wf.trigger.system);
    const model::Entity *e = s ? s->entity(wf.trigger.entity) : nullptr;
    return e && !e->key.isEmpty() ? e->key.toStdString() : std::string("id");
}

void Simulation::stepDone(const QString &instanceId, const QString &stepId)
{
    QHash<QString, QDateTime> &done = m_recentSteps[instanceId];
    if (!done.contains(stepId))
        done.insert(stepId, m_clock.now());
    auto it = m_afterStep.find(instanceId);
    if (it == m_afterStep.end())
        return;
    std::vector<AfterStep> &pending = it.value();
    for (auto p = pending.begin(); p != pending.end();) {
        if (p->step != stepId) {
            ++p;
            continue;
        }
        const QDateTime due = m_clock.now().addMSecs(p->afterMs);
        p->event.emplace("time", due.toString(Qt::ISODateWithMs).toStdString());
        m_scripted.emplace(due, std::move(p->event));
        p = pending.erase(p);
    }
    if (pending.empty())
        m_afterStep.erase(it);
}

bool Simulation::deliverDueEvents()
{
    bool any = false;
    while (!m_scripted.empty() && m_scripted.begin()->first <= m_clock.now()) {
        m_engine->queueEvent(m_scripted.begin()->second);
        m_scripted.erase(m_scripted.begin());
        any = true;
    }
    return any;
}

void Simulation::advanceTo(const QDateTime &until)
{
    while (!m_scripted.empty() && m_scripted.begin()->first <= until) {
        m_clock.set(m_scripted.begin()->first);
        deliverDueEvents();
        m_engine->runReady();
        m_engine->fireDueTimers();
    }
    m_clock.set(until);
}

StartedRecord Simulation::feed(const model::Workflow &wf, const ojson &rec, int index)
{
    StartedRecord out;
    if (rec.contains("$event")) {
        ojson e = rec["$event"].is_object() ? rec["$event"] : ojson::object();
        e.emplace("specversion", "1.0");
        e.emplace("id", "simulate-" + std::to_string(++m_scriptedCount));
        e.emplace("source", "/simulate");
        e.emplace("datacontenttype", "application/json");
        const auto afterStep = rec.find("$afterStep");
        // After a step, 1 ms by default: a wait counts only events after it began.
        const qint64 after =
            std::max<qint64>(0, rec.value("$afterMs", qint64(afterStep == rec.end() ? 0 : 1)));
        out.scripted = true;
        out.key = QStringLiteral("$event %1").arg(m_scriptedCount);
        if (afterStep != rec.end()) {
            // Dropped when the previous record started no instance (filtered, duplicate).
            const QString step = afterStep->is_string()
                                     ? QString::fromStdString(afterStep->get<std::string>())
                                     : QString();
            const auto recent = m_recentSteps.constFind(m_lastInstance);
            if (step.isEmpty() || m_lastInstance.isEmpty())
                return out; // nobody to follow
            if (recent != m_recentSteps.constEnd() && recent->contains(step)) {
                // Done already (while its record was fed): due from when it was done.
                const QDateTime due = std::max(recent->value(step).addMSecs(after),
                                               m_clock.now());
                e.emplace("time", due.toString(Qt::ISODateWithMs).toStdString());
                m_scripted.emplace(due, std::move(e));
            } else {
                m_afterStep[m_lastInstance].push_back({step, after, e});
            }
            return out;
        }
        const QDateTime due = m_clock.now().addMSecs(after);
        e.emplace("time", due.toString(Qt::ISODateWithMs).toStdString());
        m_scripted.emplace(due, std::move(e));
        return out;
    }
    const std::string keyName = keyField(wf);
    out.key = rec.contains(keyName)
                  ? QString::fromStdString(rec[keyName].is_string()
                                               ? rec[keyName].get<std::string>()
                                               : sb::jsonText(rec[keyName]))
                  : QString::number(index + 1);
    m_recentSteps.clear();
    auto r = m_engine->start(wf.id, rec);
    m_lastInstance.clear();
    if (r.ok()) {
        out.instanceId = r.value().instanceId;
        out.duplicate = r.value().duplicate;
        out.filtered = r.value().filtered;
        if (!out.duplicate && !out.filtered)
            m_lastInstance = out.instanceId;
    }
    m_engine->runReady();
    m_engine->fireDueTimers();
    advanceTo(m_clock.now().addMSecs(m_intervalMs));
    return out;
}

void Simulation::skipRecord()
{
    m_lastInstance.clear(); // events after a step of a skipped record belong to nobody
    advanceTo(m_clock.now().addMSecs(m_intervalMs));
}

bool Simulation::drain(bool approveAll, const std::function<bool()> &stop)
{
    const auto flushed = qScopeGuard([this]() { m_engine->flushBatch(); });
    if (approveAll) {
        m_engine->runUntilIdle(nullptr);
        const auto open = m_store->tasks(TaskStatus::Open);
        if (!open.ok())
            return false;
        for (const ApprovalTask &t : open.value()) {
            // A task decided meanwhile is fine; a store that cannot be written is not.
            const auto decided = m_engine->decideTask(t.id, true, QStringLiteral("simulate"));
            if (!decided.ok() && m_engine->storageFault())
                return false;
        }
    }
    // The engine's own bound (a million rounds), in slices so `stop` is heard.
    for (int slice = 0; slice < 1000000 / 64; ++slice) {
        if (!m_scripted.empty() || !m_afterStep.empty()) {
            // Scripted events are due at their own times: run up to the earlier of the
            // next one and the next timer. Events that wait for a step may still come.
            const bool idle = m_engine->runUntilIdle(nullptr, 64);
            if (m_engine->storageFault())
                return false;
            if (idle) {
                const auto timer = m_engine->nextTimerDue();
                if (m_scripted.empty() && !timer) {
                    m_afterStep.clear(); // nothing left that could complete their steps
                    continue;
                }
                QDateTime next = m_scripted.empty() ? *timer : m_scripted.begin()->first;
                if (timer && *timer < next)
                    next = *timer;
                advanceTo(std::max(next, m_clock.now()));
            }
            if (stop && stop())
                return false;
            continue;
        }
        if (m_engine->runUntilIdle(&m_clock, 64))
            return true;
        if (m_engine->storageFault())
            return false;
        if (stop && stop())
            return false;
    }
    return false;
}

QVector<ojson> Simulation::sandboxRecords(const model::EntityRef &ref) const
{
    SandboxRequest req;
    req.method = QStringLiteral("GET");
    req.path = QStringLiteral("/%1/%2").arg(ref.system, ref.entity);
    // Reconciliation reads what the systems hold; a fault drill must not hide it.
    const auto faults = m_sandbox->faults(ref.system);
    if (faults && !m_sandbox->setFaults(ref.system, FaultConfig{}).ok())
        return {}; // not a system of the sandbox: nothing to read
    const SandboxResponse r = m_sandbox->handle(req);
    if (faults) {
        const auto restored = m_sandbox->setFaults(ref.system, *faults);
        if (!restored.ok())
            qWarning("sandbox faults of %s: %s", qPrintable(ref.system),
                     qPrintable(restored.error().toString()));
    }
    QVector<ojson> out;
    const ojson j = parseBytes(r.body);
    if (j.is_array()) {
        for (const auto &x : j)
            out.append(x);
    }
    return out;
}

SimulationSummary Simulation::summarize(const model::Workflow &wf,
                                        const QVector<StartedRecord> &started) const
{
    SimulationSummary sum;
    sum.records = started.size();
    QHash<QString, DeadLetter> letters;
    const auto allLetters = m_store->deadLetters(true);
    if (allLetters.ok()) {
        for (const DeadLetter &d : allLetters.value())
            letters.insert(d.instanceId, d); // the latest letter of an instance wins
    }
    for (const StartedRecord &s : started) {
        if (s.scripted) {
            --sum.records; // an event line, not a record
            continue;
        }
        ojson item{{"record", s.key.toStdString()}};
        if (s.filtered) {
            ++sum.filtered;
            continue;
        }
        if (s.instanceId.isEmpty()) {
            ++sum.rejected;
            item["status"] = "rejected";
            sum.results.push_back(item);
            continue;
        }
        if (s.duplicate)
            continue;
        ++sum.instances;
        auto loaded = m_store->instance(s.instanceId);
        if (!loaded.ok())
            continue;
        const InstanceRecord &in = loaded.value();
        item["instance"] = s.instanceId.toStdString();
        item["status"] = toString(in.status).toStdString();
        switch (in.status) {
        case InstanceStatus::Completed: ++sum.completed; break;
        case InstanceStatus::DeadLettered: ++sum.deadLettered; break;
        case InstanceStatus::Compensated: ++sum.compensated; break;
        case InstanceStatus::Failed: ++sum.failed; break;
        default: ++sum.waiting; break;
        }
        const bool ended = in.status == InstanceStatus::DeadLettered
                           || in.status == InstanceStatus::Compensated;
        if (ended && letters.contains(s.instanceId)) {
            const DeadLetter &d = letters[s.instanceId];
            const ojson ctx = parseBytes(d.context);
            const QString cat = ctx.is_object()
                                    ? QString::fromStdString(ctx.value("category", std::string()))
                                    : QString();
            sum.byCategory[cat] += 1;
            item["step"] = d.stepId.toStdString();
            item["category"] = cat.toStdString();
            item["reason"] = d.error.toStdString();
        } else if (in.status == InstanceStatus::Waiting) {
            item["step"] = in.currentStep.toStdString();
        }
        sum.results.push_back(item);
    }
    const auto open = m_store->tasks(TaskStatus::Open);
    sum.openTasks = open.ok() ? open.value().size() : 0;
    for (const model::Sla &sla : m_project.slas) {
        if (sla.workflow != wf.id)
            continue;
        auto m = measureSla(sla, *m_store);
        if (!m.ok())
            continue;
        sum.slas.append(sla);
        sum.slaReports.append(m.value());
    }
    for (const model::Reconciliation &rc : m_project.reconciliations)
        sum.reconciliations.append(reconcile(rc, sandboxRecords(rc.left),
                                             sandboxRecords(rc.right)));
    return sum;
}

} // namespace sb::runtime
