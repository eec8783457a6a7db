#include "runtime/engine/engine.h"

#include "model/entityschema.h"
#include "model/jsonlimits.h"

#include "runtime/jsonata/jsonata.h"
#include "runtime/mapping/mappingexecutor.h"

#include <QCryptographicHash>
#include <QUrlQuery>
#include <QUuid>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sb::runtime {

using ojson = nlohmann::ordered_json;
using model::EdgeKind;
using model::Step;
using model::StepType;

namespace {

std::string s(const QString &q) { return q.toStdString(); }
QString q(const std::string &t) { return QString::fromStdString(t); }
QByteArray bytes(const ojson &j)
{
    const std::string t = sb::jsonText(j);
    return QByteArray(t.data(), qsizetype(t.size()));
}
ojson parseJson(const QByteArray &b)
{
    if (b.trimmed().isEmpty())
        return nullptr;
    ojson j = ojson::parse(b.constData(), b.constData() + b.size(), nullptr, false);
    return j.is_discarded() ? ojson() : j;
}
ojson parseOrString(const QByteArray &b)
{
    if (b.trimmed().isEmpty())
        return nullptr;
    ojson j = ojson::parse(b.constData(), b.constData() + b.size(), nullptr, false);
    if (j.is_discarded())
        return std::string(b.constData(), size_t(b.size()));
    return j;
}

bool truthy(const jsonata::Result &r, const jsonata::EvalOptions &budget)
{
    if (!r.ok || r.isUndefined())
        return false;
    ojson j;
    jsonata::Error err;
    if (!jsonata::toJsonChecked(r.value, j, err, budget))
        return false;
    if (j.is_boolean())
        return j.get<bool>();
    if (j.is_null())
        return false;
    if (j.is_number())
        return j.get<double>() != 0;
    if (j.is_string())
        return !j.get<std::string>().empty();
    if (j.is_array())
        return !j.empty();
    return true;
}

// The engine's budget with a step's own limits, when it sets any.
jsonata::EvalOptions stepBudget(jsonata::EvalOptions budget, const Step &step)
{
    if (step.evalTimeLimitMs > 0)
        budget.timeLimitMs = step.evalTimeLimitMs;
    if (step.evalMemoryLimitMb > 0)
        budget.maxAllocBytes = size_t(step.evalMemoryLimitMb) << 20;
    return budget;
}

// Evaluates JSONata within `budget`; error text in `error` when it fails.
std::optional<ojson> eval(const QString &src, const ojson &input, QString *error,
                          const jsonata::EvalOptions &budget,
                          const jsonata::Bindings &bindings = {})
{
    const jsonata::Expression e = jsonata::Expression::compile(s(src));
    if (!e.ok()) {
        if (error)
            *error = q(e.error().toString());
        return std::nullopt;
    }
    const jsonata::Result r = e.evaluate(input, bindings, budget);
    if (!r.ok) {
        if (error)
            *error = q(r.error.toString());
        return std::nullopt;
    }
    if (r.isUndefined())
        return ojson();
    ojson out;
    jsonata::Error err;
    if (!jsonata::toJsonChecked(r.value, out, err, budget)) {
        if (error)
            *error = q(err.toString());
        return std::nullopt;
    }
    return out;
}

// True when `j` nests arrays/objects deeper than `limit`; iterative, so it is safe on any
// document (everything after it walks payloads recursively).
bool nestedDeeperThan(const ojson &j, int limit)
{
    std::vector<std::pair<const ojson *, int>> todo{{&j, 0}};
    while (!todo.empty()) {
        const auto [v, depth] = todo.back();
        todo.pop_back();
        if (!v->is_structured())
            continue;
        if (depth >= limit)
            return true;
        for (const auto &child : *v)
            todo.emplace_back(&child, depth + 1);
    }
    return false;
}

bool evalTruthy(const QString &src, const ojson &input, const jsonata::EvalOptions &budget)
{
    const jsonata::Expression e = jsonata::Expression::compile(s(src));
    return e.ok() && truthy(e.evaluate(input, {}, budget), budget);
}

QString scalarText(const ojson &j)
{
    if (j.is_string())
        return q(j.get<std::string>());
    if (j.is_null())
        return QString();
    return q(sb::jsonText(j));
}

QString randomHex(QRandomGenerator &g, int bytesCount)
{
    QByteArray b(bytesCount, Qt::Uninitialized);
    for (int i = 0; i < bytesCount; ++i)
        b[i] = char(g.bounded(256));
    return QString::fromLatin1(b.toHex());
}

QString camel(const QString &dashed)
{
    const QStringList parts = dashed.split(QLatin1Char('-'), Qt::SkipEmptyParts);
    QString out;
    for (int i = 0; i < parts.size(); ++i)
        out += i == 0 ? parts[i] : parts[i].left(1).toUpper() + parts[i].mid(1);
    return out;
}

// A record key the sandbox accepts (short, within the key field's maxLength), derived from
// the idempotency key so a retried create names the same record.
QString shortKey(const model::Entity &e, const QString &seed)
{
    QString prefix;
    for (const QChar c : e.name) {
        if (c.isUpper())
            prefix += c;
    }
    if (prefix.isEmpty())
        prefix = e.name.left(1).toUpper();
    const model::Field *f = e.field(e.key);
    const int max = f && f->maxLength > 0 ? f->maxLength : 16;
    const QString hex = QString::fromLatin1(
        QCryptographicHash::hash(seed.toUtf8(), QCryptographicHash::Sha256).toHex().toUpper());
    return prefix + QLatin1Char('-') + hex.left(std::max(4, max - int(prefix.size()) - 1));
}

// A stand-in for a step known only by its id (the trigger, a step gone from the workflow).
Step stepWithId(const QString &id)
{
    Step step;
    step.id = id;
    return step;
}

bool isWrite(const QString &method)
{
    const QString m = method.toUpper();
    return m != QLatin1String("GET") && m != QLatin1String("HEAD");
}

} // namespace

// Everything an instance needs to continue, kept as JSON in InstanceRecord::variables.
struct Engine::State
{
    ojson vars = ojson::object();    // trigger payload at the root plus step outputs
    ojson docs = ojson::object();    // "system.Entity" or "Canonical" -> variable ("" = root)
    std::string last;                // variable produced last ("" = root)
    ojson outputs = ojson::array();  // variable names written by steps
    ojson done = ojson::array();     // [{step, output}] completed steps with compensation
    int attempt = 1;
    ojson wait;                      // {step, key, topic} while waiting for an event
    qint64 task = 0;                 // open approval task
    ojson rekey;                     // {step, suffix}: fresh idempotency key after replay
    ojson error;                     // last error, visible to on-error steps as $error
    bool compensating = false;

    static State fromJson(const QByteArray &b)
    {
        State st;
        ojson j = ojson::parse(b.constData(), b.constData() + b.size(), nullptr, false);
        if (!j.is_object())
            return st;
        if (!j.contains("vars")) { // plain variables (e.g. written by another tool)
            st.vars = j;
            return st;
        }
        st.vars = j.value("vars", ojson::object());
        st.docs = j.value("docs", ojson::object());
        st.last = j.value("last", std::string());
        st.outputs = j.value("outputs", ojson::array());
        st.done = j.value("done", ojson::array());
        st.attempt = j.value("attempt", 1);
        st.wait = j.value("wait", ojson());
        st.task = j.value("task", qint64(0));
        st.rekey = j.value("rekey", ojson());
        st.error = j.value("error", ojson());
        st.compensating = j.value("compensating", false);
        return st;
    }
    QByteArray toJson() const
    {
        ojson j;
        j["vars"] = vars;
        j["docs"] = docs;
        j["last"] = last;
        j["outputs"] = outputs;
        j["done"] = done;
        j["attempt"] = attempt;
        if (!wait.is_null())
            j["wait"] = wait;
        if (task)
            j["task"] = task;
        if (!rekey.is_null())
            j["rekey"] = rekey;
        if (!error.is_null())
            j["error"] = error;
        if (compensating)
            j["compensating"] = true;
        return bytes(j);
    }
    ojson doc(const std::string &var) const
    {
        if (var.empty())
            return vars;
        return vars.contains(var) ? vars[var] : ojson();
    }
    // The document a step works on: the variable holding `entity`, else the last one.
    std::string varFor(const QString &entity) const
    {
        const std::string k = s(entity);
        if (!k.empty() && docs.contains(k) && docs[k].is_string())
            return docs[k].get<std::string>();
        return last;
    }
    // Variables with the step's document laid over them: paths and keys see both.
    ojson context(const std::string &var) const
    {
        ojson c = vars;
        const ojson d = doc(var);
        if (!var.empty() && d.is_object() && c.is_object()) {
            for (auto it = d.begin(); it != d.end(); ++it)
                c[it.key()] = it.value();
        }
        if (!error.is_null() && c.is_object() && !c.contains("error"))
            c["error"] = error;
        return c;
    }
    void setOutput(const QString &name, const QString &entity, const ojson &value)
    {
        if (name.isEmpty())
            return;
        const std::string n = s(name);
        if (vars.is_object())
            vars[n] = value;
        if (std::find(outputs.begin(), outputs.end(), ojson(n)) == outputs.end())
            outputs.push_back(n);
        if (!entity.isEmpty())
            docs[s(entity)] = n;
        last = n;
    }
};

struct Engine::Outcome
{
    // StorageFault: a write failed (recorded in storageFault()); the step stops there.
    enum Kind { Done, Retry, Wait, BusinessError, Exhausted, TimedOut, StorageFault };
    Kind kind = Done;
    QString error;
    QString category;        // validation, business, transient, mapping, rejected, timeout
    qint64 delayMs = 0;
    int status = 0;
    ojson span = ojson::object();
    QString next;            // branch: chosen step
    bool chosen = false;
};

Engine::Engine(model::Project project, Store *store, Connector *connector,
               EngineOptions options)
    : m_project(std::move(project)), m_store(store), m_connector(connector),
      m_options(std::move(options)),
      m_random(m_options.seed ? quint32(m_options.seed) : QRandomGenerator::system()->generate())
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
}

void Engine::applyPendingProject()
{
    if (!m_pendingProject)
        return;
    m_project = std::move(*m_pendingProject);
    m_pendingProject.reset();
    m_executors.clear();
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

bool Engine::usesSandbox(const QString &system) const
{
    const model::System *sys = m_project.system(system);
    if (!sys)
        return true;
    for (const auto &p : sys->profiles) {
        if (p.name == m_options.profile)
            return p.sandbox;
    }
    // A bundle keeps only its chosen profile; a project without profiles is simulated.
    if (sys->profiles.size() == 1)
        return sys->profiles.front().sandbox;
    // A project run against a live profile some systems lack: those stay on their sandbox.
    for (const auto &p : sys->profiles) {
        if (p.sandbox)
            return true;
    }
    return m_options.profile == QLatin1String("sandbox");
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
                m_waitKeys.insert(rec.id, {q(st.wait.value("key", std::string())),
                                           q(st.wait.value("topic", std::string()))});
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
        const jsonata::Expression e = jsonata::Expression::compile(s(wf->trigger.filter));
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
    if (!wf->trigger.eventIdPath.isEmpty()) {
        QString err;
        auto v = eval(wf->trigger.eventIdPath, payload, &err, m_options.eval);
        if (v && !v->is_null())
            eventId = scalarText(*v);
    }
    QString correlation;
    if (!wf->trigger.correlationPath.isEmpty()) {
        auto v = eval(wf->trigger.correlationPath, payload, nullptr, m_options.eval);
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

QString Engine::nextStep(const model::Workflow &wf, const Step &step, const State &st,
                         EdgeKind kind) const
{
    QString fallback;
    bool haveFallback = false;
    ojson ctx;
    bool ctxReady = false;
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
        if (!ctxReady) {
            ctx = st.context(st.last);
            ctxReady = true;
        }
        if (evalTruthy(e.condition, ctx, stepBudget(m_options.eval, step)))
            return e.to;
    }
    return fallback;
}

int Engine::runReady()
{
    if (m_running || !checkStorage())
        return 0;
    m_running = true;
    const qint64 before = m_counters.steps;
    int guard = 0;
    while ((!m_ready.empty() || !m_pendingEvents.empty()) && guard++ < 10000000) {
        applyPendingProject();
        if (!m_pendingEvents.empty()) {
            const ojson e = m_pendingEvents.front();
            m_pendingEvents.pop_front();
            deliverEvent(e);
            if (m_storageFault) {
                // Delivered again after recovery; waits already resumed ignore it.
                m_pendingEvents.push_front(e);
                break;
            }
            continue;
        }
        const QString id = m_ready.front();
        m_ready.pop_front();
        m_readySet.remove(id);
        runInstance(id);
        if (m_storageFault)
            break;
    }
    m_running = false;
    applyPendingProject();
    return int(m_counters.steps - before);
}

void Engine::runInstance(const QString &id)
{
    auto loaded = m_store->instance(id);
    if (!loaded.ok()) {
        if (loaded.error().storage)
            storageFailed(loaded.error());
        return;
    }
    InstanceRecord rec = loaded.takeValue();
    if (rec.status != InstanceStatus::Running)
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
        if (!saved(journal(id, step->id, JournalKind::Start,
                           ojson{{"type", s(model::toString(step->type))},
                                 {"attempt", st.attempt}})))
            return;
        ++m_counters.steps;
        const QDateTime started = now();
        Outcome o = execute(*wf, *step, rec, st);
        o.span["start"] = s(started.toString(Qt::ISODateWithMs));
        o.span["durationMs"] = started.msecsTo(now());
        switch (o.kind) {
        case Outcome::Done: {
            const QString next = o.chosen ? o.next : nextStep(*wf, *step, st, EdgeKind::Next);
            if (!step->compensation.isEmpty())
                st.done.push_back({{"step", s(step->id)}, {"output", s(step->output)}});
            st.attempt = 1;
            st.error = nullptr;
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
            continue;
        }
        case Outcome::Retry: {
            ++m_counters.retries;
            ojson p{{"attempt", st.attempt}, {"delayMs", o.delayMs}, {"error", s(o.error)},
                    {"status", o.status}, {"span", o.span}};
            st.attempt += 1;
            Timer t;
            t.instanceId = id;
            t.stepId = step->id;
            t.kind = QStringLiteral("retry");
            t.due = now().addMSecs(o.delayMs);
            saved(m_store->transaction([&]() -> Result<void> {
                auto j = journal(id, step->id, JournalKind::Retry, p);
                if (!j.ok())
                    return j;
                auto timer = m_store->addTimer(t);
                if (!timer.ok())
                    return timer.error();
                return persist(rec, st, InstanceStatus::Running, step->id);
            }));
            return;
        }
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

int Engine::compensate(const model::Workflow &wf, const InstanceRecord &rec, State &st)
{
    int n = 0;
    for (auto it = st.done.rbegin(); it != st.done.rend(); ++it) {
        const QString done = q(it->value("step", std::string()));
        const Step *orig = wf.step(done);
        const Step *comp = orig ? wf.step(orig->compensation) : nullptr;
        if (!comp)
            continue;
        // The compensation works on what the undone step produced.
        st.last = it->value("output", std::string());
        if (!saved(journal(rec.id, comp->id, JournalKind::Compensate,
                           ojson{{"undoes", s(done)}})))
            return n;
        const int maxAttempts =
            comp->retry.maxAttempts > 0 ? comp->retry.maxAttempts : m_options.defaultMaxAttempts;
        Outcome o;
        for (int a = 1; a <= maxAttempts; ++a) {
            st.attempt = a;
            o = executeCall(wf, *comp, rec, st, true);
            if (o.kind != Outcome::Retry)
                break;
        }
        if (o.kind == Outcome::StorageFault)
            return n;
        const bool ok = o.kind == Outcome::Done;
        if (!saved(journal(rec.id, comp->id, ok ? JournalKind::Result : JournalKind::Error,
                           ojson{{"span", o.span}, {"error", s(o.error)},
                                 {"undoes", s(done)}})))
            return n;
        if (ok) {
            ++n;
            ++m_counters.compensations;
        }
    }
    st.done = ojson::array();
    return n;
}

Engine::Outcome Engine::execute(const model::Workflow &wf, const Step &step,
                                const InstanceRecord &rec, State &st)
{
    Outcome o;
    switch (step.type) {
    case StepType::Call:
    case StepType::Lookup:
    case StepType::Compensate: // reached through an edge: runs like a call
        return executeCall(wf, step, rec, st);
    case StepType::Map: {
        const model::Mapping *m = m_project.mapping(step.mapping);
        const MappingExecutor *ex = m ? executor(step.mapping) : nullptr;
        if (!ex) {
            o.kind = Outcome::BusinessError;
            o.category = QStringLiteral("mapping");
            o.error = QStringLiteral("unknown mapping '%1'").arg(step.mapping);
            return o;
        }
        const std::string var = st.varFor(m->source.display());
        const MappingOutcome mo = ex->execute(st.doc(var), {},
                                              stepBudget(m_options.eval, step));
        if (!mo.ok()) {
            QStringList errs;
            for (const RuleIssue &i : mo.errors)
                errs << i.toString();
            o.kind = Outcome::BusinessError;
            o.category = QStringLiteral("mapping");
            o.error = QStringLiteral("mapping %1: %2").arg(step.mapping, errs.join(QLatin1String("; ")));
            return o;
        }
        const QString out = step.output.isEmpty() ? m->target.entity.left(1).toLower()
                                                        + m->target.entity.mid(1)
                                                  : step.output;
        st.setOutput(out, m->target.display(), mo.output);
        o.span["output"] = mo.output;
        return o;
    }
    case StepType::Validate:
        return executeValidate(step, st);
    case StepType::Branch: {
        o.chosen = true;
        o.next = nextStep(wf, step, st, EdgeKind::Next);
        o.span["chosen"] = s(o.next);
        return o;
    }
    case StepType::Publish: {
        ojson e;
        e["specversion"] = "1.0";
        e["id"] = s(QUuid::createUuid().toString(QUuid::WithoutBraces));
        e["source"] = s(QStringLiteral("/switchboard/") + wf.id);
        e["type"] = s(step.topic);
        e["time"] = s(now().toString(Qt::ISODateWithMs));
        e["subject"] = s(rec.correlationId);
        e["datacontenttype"] = "application/json";
        e["traceparent"] = s(rec.traceparent);
        e["data"] = st.doc(st.last);
        o.span["event"] = e;
        m_pendingEvents.push_back(e);
        if (onPublish)
            onPublish(e);
        return o;
    }
    case StepType::Wait:
        return executeWait(step, rec, st);
    case StepType::Approve: {
        ApprovalTask t;
        t.instanceId = rec.id;
        t.stepId = step.id;
        t.role = step.role;
        t.payload = bytes(st.vars);
        if (step.escalationMs > 0)
            t.escalateAt = now().addMSecs(step.escalationMs);
        auto id = m_store->addTask(t);
        if (!saved(id)) {
            o.kind = Outcome::StorageFault;
            return o;
        }
        st.task = id.value();
        if (step.escalationMs > 0) {
            Timer timer;
            timer.instanceId = rec.id;
            timer.stepId = step.id;
            timer.kind = QStringLiteral("escalation");
            timer.due = t.escalateAt;
            timer.payload = bytes(ojson{{"task", id.value()}, {"escalateTo", s(step.escalateTo)}});
            if (!saved(m_store->addTimer(timer))) {
                o.kind = Outcome::StorageFault;
                return o;
            }
        }
        o.kind = Outcome::Wait;
        o.span["task"] = id.value();
        o.span["role"] = s(step.role);
        if (t.escalateAt.isValid())
            o.span["escalateAt"] = s(t.escalateAt.toString(Qt::ISODateWithMs));
        return o;
    }
    }
    return o;
}

Engine::Outcome Engine::executeValidate(const Step &step, State &st)
{
    Outcome o;
    QString entity;
    if (!step.system.isEmpty())
        entity = step.system + QLatin1Char('.') + step.entity;
    const std::string var = st.varFor(entity);
    if (entity.isEmpty()) { // the entity of the document under test
        for (auto it = st.docs.begin(); it != st.docs.end(); ++it) {
            if (it.value().is_string() && it.value().get<std::string>() == var)
                entity = q(it.key());
        }
    }
    const ojson ctx = st.context(var);
    QStringList violations;
    for (int i = 0; i < step.rules.size(); ++i) {
        QString err;
        auto v = eval(step.rules[i], ctx, &err, stepBudget(m_options.eval, step));
        if (!v)
            violations << QStringLiteral("rule %1 (%2) failed: %3").arg(i + 1).arg(step.rules[i], err);
        else if (!(v->is_boolean() ? v->get<bool>() : !v->is_null()))
            violations << QStringLiteral("rule %1 does not hold: %2").arg(i + 1).arg(step.rules[i]);
    }
    if (step.checkSchema && !entity.isEmpty()) {
        const ojson d = st.doc(var);
        const qsizetype dot = entity.indexOf(QLatin1Char('.'));
        if (dot > 0) {
            const model::System *sys = m_project.system(entity.left(dot));
            const model::Entity *e = sys ? sys->entity(entity.mid(dot + 1)) : nullptr;
            if (e) {
                const nlohmann::json schemaJson = model::entityJsonSchema(*e);
                valijson::Schema schema;
                valijson::SchemaParser parser;
                valijson::adapters::NlohmannJsonAdapter sa(schemaJson);
                parser.populateSchema(sa, schema);
                const nlohmann::json plain = nlohmann::json::parse(sb::jsonText(d));
                valijson::Validator validator;
                valijson::ValidationResults results;
                valijson::adapters::NlohmannJsonAdapter target(plain);
                if (!validator.validate(schema, target, &results)) {
                    valijson::ValidationResults::Error err;
                    while (results.popError(err)) {
                        if (err.description.rfind("Failed to validate", 0) == 0)
                            continue;
                        QString where;
                        for (const auto &c : err.context)
                            where += q(c);
                        violations << QStringLiteral("schema %1 at %2: %3")
                                          .arg(entity, where, q(err.description));
                    }
                }
            }
        } else if (const model::CanonicalEntity *ce = m_project.canonicalEntity(entity)) {
            for (const QString &f : missingRequiredFields(ce->fields, d))
                violations << QStringLiteral("schema %1: required field %2 is missing")
                                  .arg(entity, f);
        }
    }
    if (!violations.isEmpty()) {
        o.kind = Outcome::BusinessError;
        o.category = QStringLiteral("validation");
        o.error = violations.join(QLatin1String("; "));
        o.span["violations"] = ojson::array();
        for (const QString &v : violations)
            o.span["violations"].push_back(s(v));
    }
    return o;
}

bool Engine::eventMatchesWait(const ojson &event, const QString &topic, const QString &key) const
{
    const QString type = q(event.value("type", std::string()));
    bool topicOk = topic.isEmpty() || type == topic;
    if (!topicOk) {
        // A system change event (billing.invoice.created) stands for a business event of the
        // same system and entity (billing.invoice.issued).
        const QStringList a = type.split(QLatin1Char('.'));
        const QStringList b = topic.split(QLatin1Char('.'));
        topicOk = a.size() >= 3 && b.size() >= 2 && a[0] == b[0]
                  && a[1].compare(b[1], Qt::CaseInsensitive) == 0
                  && (a[2] == QLatin1String("created") || a[2] == QLatin1String("updated"));
    }
    if (!topicOk)
        return false;
    if (key.isEmpty())
        return true;
    if (q(event.value("subject", std::string())) == key)
        return true;
    const ojson &data = event.contains("data") ? event["data"] : event;
    if (data.is_object()) {
        for (auto it = data.begin(); it != data.end(); ++it) {
            if (it.value().is_primitive() && scalarText(it.value()) == key)
                return true;
        }
    }
    return false;
}

Engine::Outcome Engine::executeWait(const Step &step, const InstanceRecord &rec, State &st)
{
    Outcome o;
    QString key;
    if (!step.correlation.isEmpty()) {
        auto v = eval(step.correlation, st.context(st.last), nullptr,
                      stepBudget(m_options.eval, step));
        if (v && !v->is_null())
            key = scalarText(*v);
    } else {
        key = rec.correlationId;
    }
    o.span["key"] = s(key);
    o.span["topic"] = s(step.topic);
    for (const ojson &e : m_recentEvents) {
        if (eventMatchesWait(e, step.topic, key)) {
            st.setOutput(step.output, QString(), e.value("data", ojson()));
            o.span["event"] = e.value("id", std::string());
            return o;
        }
    }
    st.wait = {{"step", s(step.id)}, {"key", s(key)}, {"topic", s(step.topic)}};
    m_waitKeys.insert(rec.id, {key, step.topic});
    if (step.waitTimeoutMs > 0) {
        Timer t;
        t.instanceId = rec.id;
        t.stepId = step.id;
        t.kind = QStringLiteral("wait-timeout");
        t.due = now().addMSecs(step.waitTimeoutMs);
        if (!saved(m_store->addTimer(t))) {
            o.kind = Outcome::StorageFault;
            return o;
        }
    }
    o.kind = Outcome::Wait;
    return o;
}

void Engine::resumeWait(const QString &id, const ojson &event)
{
    auto loaded = m_store->instance(id);
    if (!loaded.ok()) {
        if (loaded.error().storage)
            storageFailed(loaded.error());
        return;
    }
    InstanceRecord rec = loaded.takeValue();
    const model::Workflow *wf = m_project.workflow(rec.workflowId);
    const Step *step = wf ? wf->step(rec.currentStep) : nullptr;
    if (!step || rec.status != InstanceStatus::Waiting)
        return;
    State st = State::fromJson(rec.variables);
    if (!st.wait.is_object()) // waiting for a task, not for an event
        return;
    if (!saved(m_store->removeTimers(id, step->id)))
        return;
    m_waitKeys.remove(id);
    st.wait = nullptr;
    QString entity;
    const QStringList t = q(event.value("type", std::string())).split(QLatin1Char('.'));
    if (const model::System *sys = t.size() >= 2 ? m_project.system(t[0]) : nullptr) {
        for (const model::Entity &e : sys->entities) {
            if (e.name.compare(t[1], Qt::CaseInsensitive) == 0)
                entity = sys->id + QLatin1Char('.') + e.name;
        }
    }
    st.setOutput(step->output.isEmpty() ? QStringLiteral("event") : step->output, entity,
                 event.value("data", ojson()));
    const QString next = nextStep(*wf, *step, st, EdgeKind::Next);
    if (!saved(m_store->transaction([&]() -> Result<void> {
            auto j = journal(id, step->id, JournalKind::Result,
                             ojson{{"event", event.value("id", std::string())},
                                   {"type", event.value("type", std::string())},
                                   {"next", s(next)}});
            if (!j.ok())
                return j;
            return persist(rec, st, InstanceStatus::Running, next);
        })))
        return;
    enqueue(id);
}

int Engine::deliverEvent(const ojson &event)
{
    if (!event.is_object())
        return 0;
    ++m_counters.eventsDelivered;
    int touched = 0;
    // Waits whose key appears in the event.
    QStringList matches;
    for (auto it = m_waitKeys.constBegin(); it != m_waitKeys.constEnd(); ++it) {
        // resumeWait() checks the stored state; most events match no wait at all.
        if (eventMatchesWait(event, it.value().second, it.value().first))
            matches << it.key();
    }
    for (const QString &id : matches) {
        resumeWait(id, event);
        if (m_storageFault)
            return touched;
        ++touched;
    }
    m_recentEvents.push_back(event);
    while (m_recentEvents.size() > 20000)
        m_recentEvents.pop_front();
    if (m_options.startEventTriggers) {
        const QString type = q(event.value("type", std::string()));
        for (const model::Workflow &wf : m_project.workflows) {
            if (wf.trigger.type != model::TriggerType::Event || wf.trigger.topic != type)
                continue;
            ojson payload = event;
            if (event.contains("data") && event["data"].is_object()) {
                for (auto it = event["data"].begin(); it != event["data"].end(); ++it) {
                    if (!payload.contains(it.key()))
                        payload[it.key()] = it.value();
                }
            }
            if (start(wf.id, payload).ok())
                ++touched;
            else if (m_storageFault)
                return touched;
        }
    }
    return touched;
}

Result<bool> Engine::decideTask(qint64 taskId, bool approve, const QString &by,
                                const QString &note, const std::optional<ojson> &payload)
{
    if (!checkStorage())
        return storageFaultError();
    auto t = m_store->task(taskId);
    if (!t.ok()) {
        if (t.error().storage)
            storageFailed(t.error());
        return t.error();
    }
    auto d = m_store->decideTask(taskId, approve ? TaskStatus::Approved : TaskStatus::Rejected, by,
                                 note, payload ? std::optional<QByteArray>(bytes(*payload))
                                               : std::nullopt);
    if (!d.ok()) {
        if (d.error().storage)
            storageFailed(d.error());
        return d.error();
    }
    auto loaded = m_store->instance(t.value().instanceId);
    if (!saved(loaded))
        return loaded.error();
    InstanceRecord rec = loaded.takeValue();
    const model::Workflow *wf = m_project.workflow(rec.workflowId);
    const Step *step = wf ? wf->step(t.value().stepId) : nullptr;
    if (!step || rec.status != InstanceStatus::Waiting)
        return true; // decided, but the instance moved on (e.g. replayed)
    State st = State::fromJson(rec.variables);
    st.task = 0;
    auto removed = m_store->removeTimers(rec.id, step->id);
    if (!saved(removed))
        return removed.error();
    if (payload && payload->is_object()) {
        for (auto it = payload->begin(); it != payload->end(); ++it)
            st.vars[it.key()] = it.value();
    }
    ojson p{{"task", taskId}, {"decision", approve ? "approved" : "rejected"},
            {"by", s(by)}, {"note", s(note)}};
    if (approve) {
        const QString next = nextStep(*wf, *step, st, EdgeKind::Next);
        p["next"] = s(next);
        auto tx = m_store->transaction([&]() -> Result<void> {
            auto j = journal(rec.id, step->id, JournalKind::Result, p);
            if (!j.ok())
                return j;
            return persist(rec, st, InstanceStatus::Running, next);
        });
        if (!saved(tx))
            return tx.error();
        enqueue(rec.id);
        return true;
    }
    auto running = m_store->setInstanceStatus(rec.id, InstanceStatus::Running);
    if (!saved(running))
        return running.error();
    rec.status = InstanceStatus::Running;
    Outcome o;
    o.kind = Outcome::BusinessError;
    o.category = QStringLiteral("rejected");
    o.error = QStringLiteral("task %1 rejected%2").arg(taskId).arg(
        note.isEmpty() ? QString() : QStringLiteral(": ") + note);
    fail(*wf, *step, rec, st, o);
    if (m_storageFault)
        return storageFaultError();
    return true;
}

Result<QString> Engine::replay(qint64 deadLetterId, const std::optional<ojson> &payload)
{
    if (!checkStorage())
        return storageFaultError();
    auto dl = m_store->deadLetter(deadLetterId);
    if (!dl.ok())
        return dl.error();
    if (dl.value().replayed)
        return Error{QStringLiteral("dead letter %1 was already replayed").arg(deadLetterId)};
    auto loaded = m_store->instance(dl.value().instanceId);
    if (!loaded.ok())
        return loaded.error();
    InstanceRecord rec = loaded.takeValue();
    State st = State::fromJson(rec.variables);
    if (payload) {
        if (!payload->is_object())
            return Error{QStringLiteral("the edited payload must be a JSON object")};
        ojson vars = *payload;
        for (const ojson &name : st.outputs) {
            const std::string n = name.get<std::string>();
            if (st.vars.contains(n) && !vars.contains(n))
                vars[n] = st.vars[n];
        }
        st.vars = vars;
    }
    const ojson ctx = ojson::parse(dl.value().context.constData(), nullptr, false);
    const std::string category = ctx.is_object() ? ctx.value("category", std::string()) : "";
    // A business error had no effect: a fresh key keeps the target from replaying the
    // rejected answer for an edited request. Transient failures keep the key.
    if (category != "transient" && category != "timeout")
        st.rekey = {{"step", s(dl.value().stepId)},
                    {"suffix", s(QStringLiteral("~r%1").arg(deadLetterId))}};
    st.attempt = 1;
    st.error = nullptr;
    auto tx = m_store->transaction([&]() -> Result<void> {
        auto m = m_store->markDeadLetterReplayed(deadLetterId);
        if (!m.ok())
            return m.error();
        auto j = journal(rec.id, dl.value().stepId, JournalKind::Resume,
                         ojson{{"replay", deadLetterId}, {"edited", payload.has_value()}});
        if (!j.ok())
            return j;
        return persist(rec, st, InstanceStatus::Running, dl.value().stepId);
    });
    if (!tx.ok()) {
        if (tx.error().storage)
            storageFailed(tx.error());
        return tx.error();
    }
    enqueue(rec.id);
    return rec.id;
}

int Engine::fireDueTimers()
{
    if (!checkStorage())
        return 0;
    auto due = m_store->dueTimers(now());
    if (!saved(due))
        return 0;
    int n = 0;
    // A timer is removed only after what it triggers is saved: a failed write leaves it due.
    for (const Timer &t : due.value()) {
        ++n;
        if (t.kind == QLatin1String("retry")) {
            enqueue(t.instanceId);
        } else if (t.kind == QLatin1String("escalation")) {
            const ojson p = ojson::parse(t.payload.constData(), nullptr, false);
            if (!saved(journal(t.instanceId, t.stepId, JournalKind::Wait,
                               ojson{{"escalated", true}, {"task", p.value("task", qint64(0))},
                                     {"escalateTo", p.value("escalateTo", std::string())}})))
                return n;
        } else if (t.kind == QLatin1String("wait-timeout")) {
            auto loaded = m_store->instance(t.instanceId);
            if (!loaded.ok() && loaded.error().storage) {
                storageFailed(loaded.error());
                return n;
            }
            if (loaded.ok() && loaded.value().status == InstanceStatus::Waiting
                && loaded.value().currentStep == t.stepId) {
                InstanceRecord rec = loaded.takeValue();
                const model::Workflow *wf = m_project.workflow(rec.workflowId);
                const Step *step = wf ? wf->step(t.stepId) : nullptr;
                if (step) {
                    State st = State::fromJson(rec.variables);
                    st.wait = nullptr;
                    m_waitKeys.remove(rec.id);
                    rec.status = InstanceStatus::Running;
                    Outcome o;
                    o.kind = Outcome::TimedOut;
                    o.category = QStringLiteral("timeout");
                    o.error = QStringLiteral("no %1 event within %2 ms")
                                  .arg(step->topic).arg(step->waitTimeoutMs);
                    fail(*wf, *step, rec, st, o);
                    if (m_storageFault)
                        return n;
                }
            }
        }
        if (!saved(m_store->removeTimer(t.id)))
            return n;
    }
    return n;
}

std::optional<QDateTime> Engine::nextTimerDue() const
{
    auto n = m_store->nextTimerDue();
    if (!n.ok())
        return std::nullopt;
    return n.value();
}

bool Engine::runUntilIdle(ManualClock *clock, int maxRounds)
{
    for (int round = 0; round < maxRounds; ++round) {
        runReady();
        if (m_storageFault)
            return false; // nothing can run: the caller reports storageFault()
        if (fireDueTimers() > 0 || hasReady())
            continue;
        const auto next = nextTimerDue();
        if (!next || !clock)
            return true;
        clock->set(*next);
    }
    return false;
}

// ---------------------------------------------------------------- calls

namespace {

qint64 backoffMs(const model::RetryPolicy &p, int attempt, QRandomGenerator &g)
{
    const double base = std::max(1, p.initialBackoffMs)
                        * std::pow(p.multiplier > 0 ? p.multiplier : 2.0, attempt - 1);
    double d = std::min(base, double(p.maxBackoffMs > 0 ? p.maxBackoffMs : 60000));
    if (p.jitter)
        d = d / 2 + g.generateDouble() * d / 2; // "equal jitter": half fixed, half random
    return qint64(d);
}

qint64 retryAfterMs(const QByteArray &value, const QDateTime &now)
{
    bool ok = false;
    const double secs = value.trimmed().toDouble(&ok);
    if (ok)
        return qint64(secs * 1000);
    const QDateTime at = QDateTime::fromString(QString::fromLatin1(value.trimmed()),
                                               Qt::RFC2822Date);
    return at.isValid() ? std::max<qint64>(0, now.msecsTo(at)) : 0;
}

} // namespace

Engine::Outcome Engine::executeCall(const model::Workflow &wf, const Step &step,
                                    const InstanceRecord &rec, State &st, bool compensation)
{
    Q_UNUSED(wf)
    Q_UNUSED(compensation)
    Outcome o;
    const model::Mapping *mapping = step.mapping.isEmpty() ? nullptr
                                                           : m_project.mapping(step.mapping);
    const std::string var = mapping ? st.varFor(mapping->source.display()) : st.last;
    const ojson ctx = st.context(var);
    QString method = step.method.isEmpty() ? (step.type == StepType::Lookup ? QStringLiteral("GET")
                                                                            : QStringLiteral("POST"))
                                           : step.method.toUpper();
    // Body from the mapping, else the current document for writes.
    QByteArray body;
    if (isWrite(method)) {
        if (!step.mapping.isEmpty()) {
            const MappingExecutor *ex = executor(step.mapping);
            if (!ex) {
                o.kind = Outcome::BusinessError;
                o.category = QStringLiteral("mapping");
                o.error = QStringLiteral("unknown mapping '%1'").arg(step.mapping);
                return o;
            }
            const MappingOutcome mo = ex->execute(st.doc(var), {},
                                                  stepBudget(m_options.eval, step));
            if (!mo.ok()) {
                QStringList errs;
                for (const RuleIssue &i : mo.errors)
                    errs << i.toString();
                o.kind = Outcome::BusinessError;
                o.category = QStringLiteral("mapping");
                o.error = QStringLiteral("mapping %1: %2").arg(step.mapping,
                                                               errs.join(QLatin1String("; ")));
                return o;
            }
            body = bytes(mo.output);
        } else if (step.type != StepType::Compensate) {
            const ojson d = st.doc(var);
            if (d.is_object())
                body = bytes(d);
        }
    }
    // Path template: each {expr} is JSONata over the context.
    const jsonata::Bindings bindings = {
        {"yesterday", jsonata::fromJson(s(now().addDays(-1).date().toString(Qt::ISODate)))},
        {"today", jsonata::fromJson(s(now().date().toString(Qt::ISODate)))},
        {"lastRun", jsonata::fromJson(s(now().addDays(-1).toString(Qt::ISODate)))}};
    QString path;
    const QString tpl = step.path;
    for (qsizetype i = 0; i < tpl.size(); ++i) {
        if (tpl[i] != QLatin1Char('{')) {
            path += tpl[i];
            continue;
        }
        const qsizetype close = tpl.indexOf(QLatin1Char('}'), i);
        if (close < 0) {
            path += tpl.mid(i);
            break;
        }
        QString err;
        auto v = eval(tpl.mid(i + 1, close - i - 1), ctx, &err,
                      stepBudget(m_options.eval, step), bindings);
        if (!v) {
            o.kind = Outcome::BusinessError;
            o.category = QStringLiteral("definition");
            o.error = QStringLiteral("path %1: %2").arg(tpl, err);
            return o;
        }
        path += QString::fromLatin1(QUrl::toPercentEncoding(scalarText(*v)));
        i = close;
    }
    // Idempotency key for writes.
    QString key;
    if (isWrite(method)) {
        if (!step.idempotencyKey.isEmpty()) {
            auto v = eval(step.idempotencyKey, ctx, nullptr, stepBudget(m_options.eval, step),
                          bindings);
            if (v && !v->is_null())
                key = scalarText(*v);
        }
        if (key.isEmpty())
            key = rec.id + QLatin1Char(':') + step.id;
        if (st.rekey.is_object() && st.rekey.value("step", std::string()) == s(step.id))
            key += q(st.rekey.value("suffix", std::string()));
    }
    const int timeout = step.timeoutMs > 0 ? step.timeoutMs : m_options.defaultTimeoutMs;
    HeaderList headers;
    const QString traceId = rec.traceparent.section(QLatin1Char('-'), 1, 1);
    headers.append(QPair<QByteArray, QByteArray>("traceparent",
                    QStringLiteral("00-%1-%2-01").arg(traceId, newSpanId()).toLatin1()));
    headers.append(QPair<QByteArray, QByteArray>("X-Correlation-Id", rec.correlationId.toUtf8()));
    if (!key.isEmpty())
        headers.append(QPair<QByteArray, QByteArray>("Idempotency-Key", key.toUtf8()));
    if (!body.isEmpty())
        headers.append(QPair<QByteArray, QByteArray>("Content-Type", "application/json"));

    auto sendOne = [&](const QString &m, const QString &p, const QByteArray &b,
                       const HeaderList &h) {
        OutboundRequest r;
        r.system = step.system;
        r.method = m;
        r.path = p;
        r.headers = h;
        r.body = b;
        r.timeoutMs = timeout;
        ++m_counters.outboundCalls;
        return m_connector->send(r);
    };

    // The sandbox speaks /{system}/{Entity}[/{id}]: translate the step's REST path.
    QString finalPath = path;
    OutboundResponse resp;
    bool answered = false;
    if (usesSandbox(step.system)) {
        const model::System *sys = m_project.system(step.system);
        const model::Entity *ent = sys ? sys->entity(step.entity) : nullptr;
        QString query;
        QString p = path;
        const qsizetype qm = p.indexOf(QLatin1Char('?'));
        if (qm >= 0) {
            QUrlQuery in(p.mid(qm + 1));
            QUrlQuery out;
            for (const auto &kv : in.queryItems(QUrl::FullyEncoded)) {
                if (!kv.second.isEmpty())
                    out.addQueryItem(kv.first, kv.second);
            }
            query = out.toString(QUrl::FullyEncoded);
            p = p.left(qm);
        }
        const QStringList segs = p.split(QLatin1Char('/'), Qt::SkipEmptyParts).mid(1);
        const QString base = QStringLiteral("/%1/%2").arg(step.system, step.entity);
        if (segs.isEmpty()) {
            finalPath = base + (query.isEmpty() ? QString() : QLatin1Char('?') + query);
            if (method == QLatin1String("POST") && ent && !ent->key.isEmpty()) {
                ojson b = parseJson(body);
                if (b.is_object() && !b.contains(s(ent->key))) {
                    b[s(ent->key)] = s(shortKey(*ent, key.isEmpty() ? rec.id + step.id : key));
                    body = bytes(b);
                }
            }
        } else if (segs.size() == 1) {
            finalPath = base + QLatin1Char('/') + segs[0];
        } else if (segs.size() == 2 && segs[0].startsWith(QLatin1String("by-"))) {
            // Lookup by another field: find the record's key first.
            const QString field = camel(segs[0].mid(3));
            const QString value = QUrl::fromPercentEncoding(segs[1].toUtf8());
            QUrlQuery fq;
            fq.addQueryItem(field, QString::fromLatin1(QUrl::toPercentEncoding(value)));
            const OutboundResponse found =
                sendOne(QStringLiteral("GET"), base + QLatin1Char('?') + fq.toString(),
                        QByteArray(), headers.mid(0, 2));
            if (!found.ok() || found.status != 200) {
                resp = found;
                answered = true;
            } else {
                const ojson list = parseJson(found.body);
                QString id;
                if (list.is_array() && !list.empty() && ent && list[0].is_object())
                    id = scalarText(list[0].value(s(ent->key), ojson()));
                if (id.isEmpty() && method != QLatin1String("PUT")) {
                    resp.status = 404;
                    resp.body = bytes(ojson{{"title", "Not Found"},
                                            {"detail", s(QStringLiteral("no %1 with %2 = %3")
                                                             .arg(step.entity, field, value))}});
                    resp.url = QStringLiteral("sandbox:") + base;
                    answered = true;
                }
                if (id.isEmpty() && ent)
                    id = shortKey(*ent, step.entity + QLatin1Char(':') + value);
                finalPath = base + QLatin1Char('/')
                            + QString::fromLatin1(QUrl::toPercentEncoding(id));
            }
        } else if (segs.size() == 2) {
            // An action (/orders/42/cancel): a PATCH of the status the action leads to.
            finalPath = base + QLatin1Char('/') + segs[0];
            method = QStringLiteral("PATCH");
            if (body.isEmpty() && ent) {
                QString status = segs[1];
                if (const model::Field *f = ent->field(QStringLiteral("status"))) {
                    for (const QString &v : f->enumValues) {
                        if (v.startsWith(segs[1].left(5)))
                            status = v;
                    }
                }
                body = bytes(ojson{{"status", s(status)}});
                headers.append(QPair<QByteArray, QByteArray>("Content-Type", "application/json"));
            }
        }
    }
    o.span["request"] = {{"method", s(method)}, {"path", s(finalPath)}};
    {
        ojson h = ojson::object();
        for (const auto &p : redactHeaders(headers))
            h[p.first.toStdString()] = p.second.toStdString();
        o.span["request"]["headers"] = h;
        if (!body.isEmpty())
            o.span["request"]["body"] = parseOrString(body);
    }
    if (!answered && !key.isEmpty()) {
        auto rec0 = m_store->outbound(key);
        if (!saved(rec0)) {
            o.kind = Outcome::StorageFault; // never send without knowing the ledger
            return o;
        }
        if (rec0.value()) {
            resp.status = rec0.value()->status;
            resp.body = rec0.value()->response;
            resp.url = QStringLiteral("ledger:") + key;
            o.span["ledger"] = true;
            ++m_counters.ledgerHits;
            answered = true;
        }
    }
    if (!answered)
        resp = sendOne(method, finalPath, body, headers);
    o.status = resp.status;
    o.span["response"] = {{"status", resp.status}, {"url", s(resp.url)}};
    if (!resp.body.isEmpty())
        o.span["response"]["body"] = parseOrString(resp.body);
    if (!resp.transportError.isEmpty())
        o.span["response"]["error"] = s(resp.transportError);

    const int maxAttempts = step.retry.maxAttempts > 0 ? step.retry.maxAttempts
                                                       : m_options.defaultMaxAttempts;
    const bool transient = !resp.ok() || resp.status == 408 || resp.status == 429
                           || resp.status >= 500 || step.transientStatuses.contains(resp.status);
    if (transient) {
        o.error = resp.ok() ? QStringLiteral("%1 %2: HTTP %3").arg(method, finalPath)
                                  .arg(resp.status)
                            : QStringLiteral("%1 %2: %3").arg(method, finalPath,
                                                              resp.transportError);
        o.category = resp.timedOut ? QStringLiteral("timeout") : QStringLiteral("transient");
        if (st.attempt < maxAttempts) {
            o.kind = Outcome::Retry;
            o.delayMs = backoffMs(step.retry, st.attempt, m_random);
            const qint64 ra = retryAfterMs(resp.header("Retry-After"), now());
            o.delayMs = std::max(o.delayMs, ra);
        } else {
            o.kind = resp.timedOut ? Outcome::TimedOut : Outcome::Exhausted;
            o.error = QStringLiteral("gave up after %1 attempts: %2").arg(st.attempt).arg(o.error);
        }
        return o;
    }
    if (resp.status < 200 || resp.status >= 300) {
        o.kind = Outcome::BusinessError;
        o.category = QStringLiteral("business");
        const ojson b = parseOrString(resp.body);
        QString detail = b.is_object() ? q(b.value("detail", std::string())) : QString();
        if (b.is_object() && b.contains("errors") && b["errors"].is_array()) {
            for (const auto &e : b["errors"])
                detail += QStringLiteral("; %1 %2").arg(q(e.value("pointer", std::string())),
                                                        q(e.value("detail", std::string())));
        }
        o.error = QStringLiteral("%1 %2: HTTP %3 %4").arg(method, finalPath).arg(resp.status)
                      .arg(detail);
        return o;
    }
    const ojson result = parseOrString(resp.body);
    if (!key.isEmpty() && !o.span.contains("ledger")) {
        OutboundRecord r;
        r.key = key;
        r.instanceId = rec.id;
        r.stepId = step.id;
        r.status = resp.status;
        r.response = resp.body.isEmpty() ? QByteArray("null") : resp.body;
        if (!saved(m_store->recordOutbound(r))) {
            o.kind = Outcome::StorageFault; // re-sent with the same key after recovery
            return o;
        }
    }
    if (!step.output.isEmpty())
        st.setOutput(step.output, step.system.isEmpty() ? QString()
                                  : step.system + QLatin1Char('.') + step.entity, result);
    return o;
}

} // namespace sb::runtime
