// Waits for events (key and topic matching, the window of recent events), due timers and
// virtual time (runUntilIdle).
#include "runtime/engine/enginedetail.h"

#include "model/jsonlimits.h"

#include <QScopeGuard>

namespace sb::runtime {

using namespace enginedetail;
using model::EdgeKind;
using model::Step;
using model::StepType;

void Engine::queueReceivedEvent(const ojson &event)
{
    qint64 stamp = nextEventStamp();
    if (event.is_object() && event.contains("time") && event["time"].is_string()) {
        const QDateTime t = QDateTime::fromString(q(event["time"].get<std::string>()),
                                                  Qt::ISODateWithMs);
        if (t.isValid())
            stamp = std::min(stamp, t.toMSecsSinceEpoch() * 1000);
    }
    m_pendingEvents.emplace_back(stamp, event);
}

qint64 Engine::nextEventStamp()
{
    m_lastStamp = std::max(m_lastStamp + 1, QDateTime::currentMSecsSinceEpoch() * 1000);
    return m_lastStamp;
}

namespace {

// The value at a dotted path (null when absent).
const ojson *valueAtPath(const ojson &doc, const QString &path)
{
    const ojson *cur = &doc;
    for (const QString &part : path.split(QLatin1Char('.'))) {
        if (!cur->is_object() || !cur->contains(s(part)))
            return nullptr;
        cur = &(*cur)[s(part)];
    }
    return cur;
}

} // namespace

bool Engine::eventMatchesWait(const ojson &event, const WaitKey &wait) const
{
    const QString &topic = wait.topic;
    const QString &key = wait.key;
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
    // An empty key (a wait from an older journal) matches nothing rather than everything.
    if (!topicOk || key.isEmpty())
        return false;
    if (wait.field.isEmpty())
        return q(event.value("subject", std::string())) == key;
    const ojson &data = event.contains("data") ? event["data"] : event;
    const ojson *v = valueAtPath(data, wait.field);
    return v && v->is_primitive() && !v->is_null() && scalarText(*v) == key;
}

Engine::Outcome Engine::executeWait(const Step &step, const InstanceRecord &rec, State &st)
{
    Outcome o;
    QString key;
    if (!step.correlation.isEmpty()) {
        QString err;
        auto v = eval(compiled(step.correlation), EvalInput(st.context(st.last)), &err,
                      stepBudget(m_options.eval, step));
        if (!v)
            return Outcome::businessError(QStringLiteral("definition"),
                                          QStringLiteral("wait key %1: %2")
                                              .arg(step.correlation, err));
        if (!v->is_null())
            key = scalarText(*v);
    } else {
        key = rec.correlationId;
    }
    // An empty key would match every event of the topic.
    if (key.isEmpty())
        return Outcome::businessError(QStringLiteral("definition"),
                                      QStringLiteral("wait key %1 yields nothing")
                                          .arg(step.correlation));
    o.span["key"] = s(key);
    o.span["topic"] = s(step.topic);
    // Only events from now on — or, right after a call, from when that call began (it may
    // have caused the event before this step was reached): nothing older resumes it.
    const WaitKey wk{key, step.topic, step.matchField,
                     st.callStamp > 0 ? st.callStamp : nextEventStamp()};
    st.wait = {{"step", s(step.id)}, {"key", s(key)}, {"topic", s(step.topic)},
               {"since", wk.since}};
    if (!step.matchField.isEmpty())
        st.wait["field"] = s(step.matchField);
    m_waitKeys.insert(rec.id, wk);
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
    st.callStamp = 0;
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
    if (onStepDone)
        onStepDone(id, step->id);
    enqueue(id);
}

int Engine::deliverEvent(const ojson &event)
{
    int touched = 0;
    deliverStamped(nextEventStamp(), event, &touched);
    return touched;
}

void Engine::deliverStamped(qint64 stamp, const ojson &event, int *touchedOut)
{
    int &touched = *touchedOut;
    // Waits and triggers walk the event recursively (filters, mappings).
    if (!event.is_object() || nestedDeeperThan(event, kMaxJsonDepth))
        return;
    ++m_counters.eventsDelivered;
    // Waits that began before the event and whose key it carries.
    QStringList matches;
    for (auto it = m_waitKeys.constBegin(); it != m_waitKeys.constEnd(); ++it) {
        // resumeWait() checks the stored state; most events match no wait at all.
        if (stamp > it.value().since && eventMatchesWait(event, it.value()))
            matches << it.key();
    }
    for (const QString &id : matches) {
        resumeWait(id, event);
        if (m_storageFault)
            return;
        ++touched;
    }
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
                return;
        }
    }
}


int Engine::fireDueTimers()
{
    // Not from inside a step or another timer: a call step's nested event loop can run the
    // pump, and a wait timeout handled twice would compensate and dead-letter twice.
    if (m_running || !checkStorage())
        return 0;
    m_running = true;
    const auto done = qScopeGuard([this]() { m_running = false; });
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

} // namespace sb::runtime
