// The instance lifecycle: start, resume, the run loop, step routing, failure and storage
// faults. Steps run in engine_steps.cpp, calls in engine_calls.cpp.
#include "runtime/engine/enginedetail.h"

#include "model/jsonlimits.h"
#include "runtime/mapping/mappingexecutor.h"

#include <QCryptographicHash>
#include <QUuid>

#include <cstdio>

namespace sb::runtime {

using namespace enginedetail;
using model::EdgeKind;
using model::Step;
using model::StepType;

Engine::Engine(model::Project project, Store *store, Connector *connector,
               EngineOptions options)
    : m_project(std::move(project)), m_store(store), m_connector(connector),
      m_options(std::move(options)),
      m_random(m_options.seed ? quint32(m_options.seed) : QRandomGenerator::system()->generate()),
      m_caches(std::make_unique<Caches>())
{
}

Engine::~Engine() = default;

void Engine::setProject(model::Project project)
{
    // A step waiting on I/O inside runReady() holds pointers into m_project (its workflow,
    // step, executor); swapping now would leave them dangling. Swap between instances.
    if (m_running) {
        m_pendingProject = std::move(project);
        return;
    }
    m_project = std::move(project);
    m_executors.clear();
    m_caches->clear();
    // Calls in flight are kept: sent again, a body with a fresh $now() under the same
    // Idempotency-Key would be refused as another request.
}

void Engine::applyPendingProject()
{
    if (!m_pendingProject)
        return;
    m_project = std::move(*m_pendingProject);
    m_pendingProject.reset();
    m_executors.clear();
    m_caches->clear();
}

void Engine::dropCalls(bool requeue)
{
    if (m_calls.empty())
        return;
    ++m_callGeneration;
    for (const auto &c : m_calls) {
        if (requeue)
            enqueue(c.first);
    }
    m_calls.clear();
    m_answered.clear();
    m_current = nullptr;
}

void Engine::callAnswered(const QString &id, quint64 generation, size_t index,
                          const OutboundResponse &response)
{
    if (generation != m_callGeneration)
        return;
    auto it = m_calls.find(id);
    if (it == m_calls.end() || !it->second.waiting || index != it->second.answers.size())
        return;
    it->second.answers.push_back(response);
    it->second.waiting = false;
    m_answered.push_back(id);
    if (onCallAnswered)
        onCallAnswered();
}

const jsonata::Expression &Engine::compiled(const QString &src)
{
    return m_caches->expressions.get(src);
}

QDateTime Engine::now() const
{
    return m_options.clock ? m_options.clock() : QDateTime::currentDateTimeUtc();
}

QString Engine::newSpanId() { return randomHex(m_random, 8); }

const MappingExecutor *Engine::executor(const QString &mappingId)
{
    auto it = m_executors.find(mappingId);
    if (it != m_executors.end())
        return it->second.get();
    const model::Mapping *m = m_project.mapping(mappingId);
    if (!m)
        return nullptr;
    auto ex = std::make_unique<MappingExecutor>(*m, m_project);
    const MappingExecutor *raw = ex.get();
    m_executors.emplace(mappingId, std::move(ex));
    return raw;
}

const model::EndpointProfile *Engine::profileFor(const QString &system) const
{
    const model::System *sys = m_project.system(system);
    if (!sys)
        return nullptr;
    for (const auto &p : sys->profiles) {
        if (p.name == m_options.profile)
            return &p;
    }
    return nullptr;
}

bool Engine::usesSandbox(const QString &system) const
{
    // A system without the run's profile stays on the sandbox (export and the studio say so).
    const model::EndpointProfile *p = profileFor(system);
    return !p || p->sandbox;
}

Result<void> Engine::journal(const QString &instance, const QString &step, JournalKind kind,
                             ojson payload)
{
    if (!payload.is_object())
        payload = ojson{{"value", payload}};
    payload["at"] = s(now().toString(Qt::ISODateWithMs));
    auto seq = m_store->appendJournal(instance, step, kind, bytes(payload));
    if (!seq.ok())
        return seq.error();
    return Ok{};
}

void Engine::storageFailed(const Error &e)
{
    // What was queued in memory is dropped: recovery reloads it from the journal, so
    // nothing runs ahead of what the store holds.
    m_ready.clear();
    m_readySet.clear();
    dropCalls(false);
    if (m_storageFault)
        return;
    m_storageFault = e.toString();
    std::fprintf(stderr, "switchboard: storage fault, no step runs until the journal can be "
                         "written again: %s\n", qPrintable(*m_storageFault));
    std::fflush(stderr);
}

Error Engine::storageFaultError() const
{
    Error e;
    e.message = QStringLiteral("storage fault: %1").arg(m_storageFault.value_or(QString()));
    e.file = m_store->fileName();
    e.storage = true;
    return e;
}

bool Engine::checkStorage()
{
    if (!m_storageFault)
        return true;
    if (!m_store->probeWrite().ok())
        return false;
    // Writable again: pick the work up from the journal exactly as a restart does.
    m_ready.clear();
    m_readySet.clear();
    m_waitKeys.clear();
    m_storageFault.reset();
    auto resumed = resumeUnfinished("storage-recovered");
    if (!resumed.ok()) {
        storageFailed(resumed.error());
        return false;
    }
    std::fprintf(stderr, "switchboard: the journal can be written again; resuming %d "
                         "unfinished instance(s)\n", resumed.value());
    std::fflush(stderr);
    return true;
}

Result<void> Engine::persist(const InstanceRecord &rec, const State &st, InstanceStatus status,
                             const QString &current)
{
    return m_store->updateInstance(rec.id, status, st.toJson(), current);
}

void Engine::enqueue(const QString &id)
{
    if (m_readySet.contains(id))
        return;
    m_readySet.insert(id);
    m_ready.push_back(id);
}

Result<int> Engine::resume()
{
    return resumeUnfinished("restart");
}

Result<int> Engine::resumeUnfinished(const char *reason)
{
    auto list = m_store->unfinishedInstances();
    if (!list.ok())
        return list.error();
    auto timers = m_store->timers();
    if (!timers.ok())
        return timers.error();
    QSet<QString> sleeping;
    for (const Timer &t : timers.value()) {
        if (t.kind == QLatin1String("retry"))
            sleeping.insert(t.instanceId);
    }
    int n = 0;
    for (const InstanceRecord &rec : list.value()) {
        const State st = State::fromJson(rec.variables);
        if (rec.status == InstanceStatus::Waiting) {
            if (st.wait.is_object())
                m_waitKeys.insert(rec.id, WaitKey{q(st.wait.value("key", std::string())),
                                                  q(st.wait.value("topic", std::string())),
                                                  q(st.wait.value("field", std::string())),
                                                  st.wait.value("since", qint64(0))});
            auto decided = resumeIfDecided(rec, st);
            if (!decided.ok())
                return decided.error();
            if (!decided.value())
                continue;
        }
        if (sleeping.contains(rec.id))
            continue;
        auto j = journal(rec.id, rec.currentStep, JournalKind::Resume, ojson{{"reason", reason}});
        if (!j.ok())
            return j.error();
        enqueue(rec.id);
        ++n;
    }
    return n;
}

Result<StartResult> Engine::start(const QString &workflowId, const ojson &payload)
{
    const model::Workflow *wf = m_project.workflow(workflowId);
    if (!wf)
        return Error{QStringLiteral("unknown workflow '%1'").arg(workflowId)};
    if (nestedDeeperThan(payload, kMaxJsonDepth))
        return Error{QStringLiteral("payload of workflow '%1' is nested deeper than %2 levels")
                         .arg(workflowId).arg(kMaxJsonDepth)};
    // Nothing is accepted that could not be committed.
    if (!checkStorage())
        return storageFaultError();
    if (!wf->trigger.filter.isEmpty()) {
        const jsonata::Expression &e = compiled(wf->trigger.filter);
        const jsonata::Result r = e.ok() ? e.evaluate(payload, {}, m_options.eval)
                                         : jsonata::Result{};
        if (!e.ok() || !r.ok) {
            Error failed{QStringLiteral("trigger filter of workflow '%1': %2")
                             .arg(workflowId, q(e.ok() ? r.error.toString()
                                                       : e.error().toString())),
                         QString(), 0, 0, QStringLiteral("/trigger/filter")};
            failed.kind = ErrorKind::Unprocessable;
            return failed;
        }
        if (!truthy(r, m_options.eval)) {
            StartResult skipped;
            skipped.filtered = true;
            return skipped;
        }
    }
    QString eventId;
    std::optional<EvalInput> input;
    if (!wf->trigger.eventIdPath.isEmpty() || !wf->trigger.correlationPath.isEmpty())
        input.emplace(payload);
    if (!wf->trigger.eventIdPath.isEmpty()) {
        QString err;
        auto v = eval(compiled(wf->trigger.eventIdPath), *input, &err, m_options.eval);
        if (v && !v->is_null())
            eventId = scalarText(*v);
    }
    QString correlation;
    if (!wf->trigger.correlationPath.isEmpty()) {
        auto v = eval(compiled(wf->trigger.correlationPath), *input, nullptr, m_options.eval);
        if (v && !v->is_null())
            correlation = scalarText(*v);
    }
    InstanceRecord rec;
    if (!eventId.isEmpty()) {
        // Deterministic id: a duplicate event names the original instance.
        const QByteArray h = QCryptographicHash::hash(
            (workflowId + QLatin1Char('\n') + eventId).toUtf8(), QCryptographicHash::Sha256);
        rec.id = QStringLiteral("in-") + QString::fromLatin1(h.toHex().left(24));
    } else {
        rec.id = QStringLiteral("in-")
                 + QUuid::createUuid().toString(QUuid::Id128).left(24);
    }
    rec.workflowId = workflowId;
    rec.correlationId = correlation.isEmpty() ? rec.id : correlation;
    rec.traceparent = QStringLiteral("00-%1-%2-01").arg(randomHex(m_random, 16), newSpanId());
    rec.status = InstanceStatus::Running;
    State st;
    st.vars = payload.is_object() ? payload : ojson{{"payload", payload}};
    if (!wf->trigger.system.isEmpty() && !wf->trigger.entity.isEmpty())
        st.docs[s(wf->trigger.system + QLatin1Char('.') + wf->trigger.entity)] = "";
    else if (!wf->trigger.entity.isEmpty())
        st.docs[s(wf->trigger.entity)] = "";
    rec.variables = st.toJson();
    rec.currentStep = nextStep(*wf, stepWithId(QStringLiteral("trigger")), st, EdgeKind::Next);
    bool duplicate = false;
    auto tx = m_store->transaction([&]() -> Result<void> {
        if (!eventId.isEmpty()) {
            auto fresh = m_store->markEventSeen(workflowId + QLatin1Char(':') + eventId,
                                                workflowId);
            if (!fresh.ok())
                return fresh.error();
            if (!fresh.value()) {
                duplicate = true;
                return Ok{};
            }
        }
        auto c = m_store->createInstance(rec);
        if (!c.ok())
            return c.error();
        ojson p{{"eventId", s(eventId)}, {"correlationId", s(rec.correlationId)},
                {"traceparent", s(rec.traceparent)}, {"payload", payload}};
        p["at"] = s(now().toString(Qt::ISODateWithMs));
        auto j = m_store->appendJournal(rec.id, QStringLiteral("trigger"), JournalKind::Start,
                                        bytes(p));
        if (!j.ok())
            return j.error();
        return Ok{};
    });
    if (!tx.ok()) {
        if (tx.error().storage)
            storageFailed(tx.error());
        return tx.error();
    }
    if (!duplicate)
        enqueue(rec.id);
    return StartResult{rec.id, duplicate};
}

bool Engine::hasConditionalEdge(const model::Workflow &wf, const QString &stepId)
{
    return std::any_of(wf.edges.cbegin(), wf.edges.cend(), [&](const model::Edge &e) {
        return e.from == stepId && e.kind == EdgeKind::Next && !e.condition.trimmed().isEmpty();
    });
}

QString Engine::nextStep(const model::Workflow &wf, const Step &step, const State &st,
                         EdgeKind kind)
{
    QString fallback;
    bool haveFallback = false;
    std::optional<EvalInput> ctx;
    for (const model::Edge &e : wf.edges) {
        if (e.from != step.id || e.kind != kind)
            continue;
        if (e.condition.trimmed().isEmpty()) {
            if (!haveFallback) {
                fallback = e.to;
                haveFallback = true;
            }
            continue;
        }
        if (!ctx)
            ctx.emplace(st.context(st.last));
        if (evalTruthy(compiled(e.condition), *ctx, stepBudget(m_options.eval, step)))
            return e.to;
    }
    return fallback;
}

bool Engine::flushBatch()
{
    auto committed = m_store->commitBatch();
    if (committed.ok())
        return true;
    storageFailed(committed.error());
    return false;
}

int Engine::runReady()
{
    if (m_running || !checkStorage())
        return 0;
    m_running = true;
    const qint64 before = m_counters.steps;
    int guard = 0;
    while (hasReady() && guard++ < 10000000) {
        applyPendingProject();
        if (!m_pendingEvents.empty()) {
            const auto e = m_pendingEvents.front();
            m_pendingEvents.pop_front();
            int touched = 0;
            deliverStamped(e.first, e.second, &touched);
            if (m_storageFault) {
                // Delivered again after recovery; waits already resumed ignore it.
                m_pendingEvents.push_front(e);
                break;
            }
            continue;
        }
        QString id;
        if (!m_answered.empty()) { // their calls are answered: always room for them
            id = m_answered.front();
            m_answered.pop_front();
        } else if (m_options.maxInFlight > 0 && callsInFlight() >= m_options.maxInFlight) {
            break; // new work waits until a call is answered
        } else if (!m_ready.empty()) {
            id = m_ready.front();
            m_ready.pop_front();
            m_readySet.remove(id);
        } else {
            break;
        }
        runInstance(id);
        if (m_storageFault)
            break;
        if (m_options.groupCommitMs > 0 && m_store->batchAgeMs() >= m_options.groupCommitMs
            && !flushBatch())
            break;
    }
    m_running = false;
    applyPendingProject();
    return int(m_counters.steps - before);
}

void Engine::scheduleRetry(InstanceRecord &rec, State &st, const Step &step, const Outcome &o)
{
    ++m_counters.retries;
    ojson p{{"attempt", st.attempt}, {"delayMs", o.delayMs}, {"error", s(o.error)},
            {"status", o.status}, {"span", o.span}};
    st.attempt += 1;
    Timer t;
    t.instanceId = rec.id;
    t.stepId = step.id;
    t.kind = QStringLiteral("retry");
    t.due = now().addMSecs(o.delayMs);
    saved(m_store->transaction([&]() -> Result<void> {
        auto j = journal(rec.id, step.id, JournalKind::Retry, p);
        if (!j.ok())
            return j;
        auto timer = m_store->addTimer(t);
        if (!timer.ok())
            return timer.error();
        return persist(rec, st, InstanceStatus::Running, step.id);
    }));
}

void Engine::runInstance(const QString &id)
{
    if (auto c = m_calls.find(id); c != m_calls.end() && c->second.waiting)
        return; // its answer queues it again
    auto loaded = m_store->instance(id);
    if (!loaded.ok()) {
        if (loaded.error().storage)
            storageFailed(loaded.error());
        return;
    }
    InstanceRecord rec = loaded.takeValue();
    if (rec.status != InstanceStatus::Running) {
        m_calls.erase(id);
        return;
    }
    // With group commit, every write of this run (lone ones too) joins the open batch.
    if (!saved(m_store->beginBatch()))
        return;
    const model::Workflow *wf = m_project.workflow(rec.workflowId);
    State st = State::fromJson(rec.variables);
    if (!wf) {
        saved(m_store->transaction([&]() -> Result<void> {
            auto j = journal(id, rec.currentStep, JournalKind::Error,
                             ojson{{"error", s(QStringLiteral("unknown workflow '%1'")
                                                   .arg(rec.workflowId))}});
            if (!j.ok())
                return j;
            return m_store->updateInstance(id, InstanceStatus::Failed, rec.variables,
                                           rec.currentStep);
        }));
        return;
    }
    for (int n = 0; n < m_options.maxStepsPerRun; ++n) {
        if (rec.currentStep.isEmpty()) {
            // One transaction: a crash between the two would journal a second completion.
            saved(m_store->transaction([&]() -> Result<void> {
                auto j = journal(id, QString(), JournalKind::Result,
                                 ojson{{"status", "completed"}});
                if (!j.ok())
                    return j;
                return persist(rec, st, InstanceStatus::Completed, QString());
            }));
            return;
        }
        const Step *step = wf->step(rec.currentStep);
        if (!step) {
            Outcome o;
            o.kind = Outcome::BusinessError;
            o.category = QStringLiteral("definition");
            o.error = QStringLiteral("unknown step '%1'").arg(rec.currentStep);
            Step ghost;
            ghost.id = rec.currentStep;
            fail(*wf, ghost, rec, st, o);
            return;
        }
        QDateTime started = now();
        const qint64 startStamp = nextEventStamp();
        InFlight *inflight = resumeCalls(id, *step, started);
        if (!inflight || inflight->answers.empty()) {
            if (!saved(journal(id, step->id, JournalKind::Start,
                               ojson{{"type", s(model::toString(step->type))},
                                     {"attempt", st.attempt}})))
                return;
            ++m_counters.steps;
        }
        m_current = inflight;
        m_currentId = id;
        Outcome o = execute(*wf, *step, rec, st);
        m_current = nullptr;
        if (o.kind == Outcome::Pending)
            return; // runs this step again once the call is answered
        m_calls.erase(id);
        o.span["start"] = s(started.toString(Qt::ISODateWithMs));
        o.span["durationMs"] = started.msecsTo(now());
        switch (o.kind) {
        case Outcome::Done: {
            const QString next = o.chosen ? o.next : nextStep(*wf, *step, st, EdgeKind::Next);
            if (next.isEmpty() && hasConditionalEdge(*wf, step->id)) {
                // Conditions that all fail and no default (else) edge: a gap in the design,
                // not a successful end.
                fail(*wf, *step, rec, st,
                     Outcome::businessError(
                         QStringLiteral("definition"),
                         QStringLiteral("no condition on the edges from '%1' holds and it has "
                                        "no edge without a condition (else)")
                             .arg(step->id)));
                return;
            }
            if (!step->compensation.isEmpty())
                st.done.push_back({{"step", s(step->id)}, {"output", s(step->output)}});
            st.attempt = 1;
            st.error = nullptr;
            st.callStamp = step->type == model::StepType::Call
                                   || step->type == model::StepType::Lookup
                               ? startStamp
                               : 0;
            if (st.rekey.is_object() && st.rekey.value("step", std::string()) == s(step->id))
                st.rekey = nullptr;
            ojson p{{"span", o.span}, {"next", s(next)}};
            if (!saved(m_store->transaction([&]() -> Result<void> {
                    auto j = journal(id, step->id, JournalKind::Result, p);
                    if (!j.ok())
                        return j;
                    return persist(rec, st, InstanceStatus::Running, next);
                })))
                return;
            rec.currentStep = next;
            if (onStepDone)
                onStepDone(id, step->id);
            continue;
        }
        case Outcome::Retry:
            scheduleRetry(rec, st, *step, o);
            return;
        case Outcome::Wait:
            saved(m_store->transaction([&]() -> Result<void> {
                auto j = journal(id, step->id, JournalKind::Wait, ojson{{"span", o.span}});
                if (!j.ok())
                    return j;
                return persist(rec, st, InstanceStatus::Waiting, step->id);
            }));
            return;
        case Outcome::StorageFault:
            return; // re-run from the journal once the store can be written
        default:
            fail(*wf, *step, rec, st, o);
            return;
        }
    }
    Outcome o;
    o.kind = Outcome::BusinessError;
    o.category = QStringLiteral("definition");
    o.error = QStringLiteral("more than %1 steps in one run: a cycle?")
                  .arg(m_options.maxStepsPerRun);
    fail(*wf, stepWithId(rec.currentStep), rec, st, o);
}

Engine::InFlight *Engine::resumeCalls(const QString &id, const Step &step, QDateTime &started)
{
    auto c = m_calls.find(id);
    if (c != m_calls.end() && c->second.step == step.id) {
        c->second.next = 0; // its calls are answered from memory, in order
        started = c->second.started;
        return &c->second;
    }
    if (c != m_calls.end())
        m_calls.erase(c);
    const bool calls = step.type == StepType::Call || step.type == StepType::Lookup
                       || step.type == StepType::Compensate;
    if (!calls || m_options.maxInFlight <= 0 || !m_connector->canSendAsync())
        return nullptr;
    InFlight &f = m_calls[id];
    f.step = step.id;
    f.started = started;
    return &f;
}

void Engine::fail(const model::Workflow &wf, const Step &step, InstanceRecord &rec, State &st,
                  const Outcome &o)
{
    st.error = {{"step", s(step.id)}, {"message", s(o.error)}, {"category", s(o.category)},
                {"status", o.status}};
    ojson p{{"error", s(o.error)}, {"category", s(o.category)}, {"status", o.status},
            {"attempt", st.attempt}, {"span", o.span}};
    // Timeouts prefer an on-timeout edge; everything else an on-error edge.
    QString next;
    if (o.kind == Outcome::TimedOut)
        next = nextStep(wf, step, st, EdgeKind::OnTimeout);
    if (next.isEmpty())
        next = nextStep(wf, step, st, EdgeKind::OnError);
    if (!next.isEmpty()) {
        p["next"] = s(next);
        st.attempt = 1;
        if (!saved(m_store->transaction([&]() -> Result<void> {
                auto j = journal(rec.id, step.id, JournalKind::Error, p);
                if (!j.ok())
                    return j;
                return persist(rec, st, InstanceStatus::Running, next);
            })))
            return;
        enqueue(rec.id);
        return;
    }
    if (!saved(journal(rec.id, step.id, JournalKind::Error, p)))
        return;
    const QString dl = wf.trigger.deadLetter;
    if (!dl.isEmpty() && dl != QLatin1String("dlq") && wf.step(dl) && dl != step.id) {
        st.attempt = 1;
        if (!saved(persist(rec, st, InstanceStatus::Running, dl)))
            return;
        enqueue(rec.id);
        return;
    }
    const int undone = compensate(wf, rec, st);
    if (m_storageFault)
        return;
    InstanceStatus status = undone > 0 ? InstanceStatus::Compensated
                            : dl.isEmpty() ? InstanceStatus::Failed
                                           : InstanceStatus::DeadLettered;
    DeadLetter letter;
    letter.instanceId = rec.id;
    letter.stepId = step.id;
    letter.error = o.error;
    ojson ctx{{"workflow", s(wf.id)}, {"step", s(step.id)}, {"category", s(o.category)},
              {"status", o.status}, {"attempt", st.attempt}, {"variables", st.vars},
              {"correlationId", s(rec.correlationId)}, {"span", o.span},
              {"compensated", undone}};
    letter.context = bytes(ctx);
    if (!saved(m_store->transaction([&]() -> Result<void> {
            if (status != InstanceStatus::Failed) {
                auto added = m_store->addDeadLetter(letter);
                if (!added.ok())
                    return added.error();
            }
            return persist(rec, st, status, step.id);
        })))
        return;
    if (status != InstanceStatus::Failed)
        ++m_counters.deadLetters;
}

} // namespace sb::runtime
