// Compensation after a final failure, approval tasks and the replay of dead letters.
#include "runtime/engine/enginedetail.h"

#include "model/jsonlimits.h"

namespace sb::runtime {

using namespace enginedetail;
using model::EdgeKind;
using model::Step;
using model::StepType;

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


Result<bool> Engine::decideTask(qint64 taskId, bool approve, const QString &by,
                                const QString &note, const std::optional<ojson> &payload)
{
    if (payload && nestedDeeperThan(*payload, kMaxJsonDepth))
        return Error{QStringLiteral("the payload of task %1 is nested deeper than %2 levels")
                         .arg(taskId).arg(kMaxJsonDepth)};
    if (!checkStorage())
        return storageFaultError();
    auto t = m_store->task(taskId);
    if (!t.ok()) {
        if (t.error().storage)
            storageFailed(t.error());
        return t.error();
    }
    const TaskStatus status = approve ? TaskStatus::Approved : TaskStatus::Rejected;
    const std::optional<QByteArray> stored =
        payload ? std::optional<QByteArray>(bytes(*payload)) : std::nullopt;
    auto loaded = m_store->instance(t.value().instanceId);
    if (!saved(loaded))
        return loaded.error();
    InstanceRecord rec = loaded.takeValue();
    const model::Workflow *wf = m_project.workflow(rec.workflowId);
    const Step *step = wf ? wf->step(t.value().stepId) : nullptr;
    if (!step || rec.status != InstanceStatus::Waiting || rec.currentStep != step->id) {
        // Decided, but the instance moved on (e.g. replayed): nothing else to write.
        auto d = m_store->decideTask(taskId, status, by, note, stored);
        if (!d.ok() && d.error().storage)
            storageFailed(d.error());
        if (!d.ok())
            return d.error();
        return true;
    }
    State st = State::fromJson(rec.variables);
    if (payload && payload->is_object()) {
        for (auto it = payload->begin(); it != payload->end(); ++it)
            st.vars[it.key()] = it.value();
    }
    QString next;
    // The decision, the removal of its escalation timer and the instance commit together:
    // a crash in between would leave a decided task and an instance waiting for ever.
    auto tx = m_store->transaction([&]() -> Result<void> {
        auto d = m_store->decideTask(taskId, status, by, note, stored);
        if (!d.ok())
            return d;
        auto removed = m_store->removeTimers(rec.id, step->id);
        if (!removed.ok())
            return removed.error();
        if (!approve) // st.task kept: the step run again finds the rejection
            return persist(rec, st, InstanceStatus::Running, step->id);
        next = nextStep(*wf, *step, st, EdgeKind::Next);
        st.task = 0;
        auto j = journal(rec.id, step->id, JournalKind::Result,
                         ojson{{"task", taskId}, {"decision", "approved"}, {"by", s(by)},
                               {"note", s(note)}, {"next", s(next)}});
        if (!j.ok())
            return j;
        return persist(rec, st, InstanceStatus::Running, next);
    });
    if (!tx.ok()) {
        if (tx.error().storage)
            storageFailed(tx.error());
        return tx.error();
    }
    // Only queued, also a rejection: the step, run again, finds its task rejected and fails
    // there (compensations may call out, which must not happen inside a request handler).
    enqueue(rec.id);
    return true;
}

Engine::Outcome Engine::resumeApproval(const ApprovalTask &task, const Step &step, State &st)
{
    Outcome o;
    o.span["task"] = task.id;
    if (task.status == TaskStatus::Open) {
        o.kind = Outcome::Wait;
        o.span["role"] = s(step.role);
        return o;
    }
    st.task = 0;
    if (task.status == TaskStatus::Rejected)
        return Outcome::rejected(task.id, task.note);
    // Approved by a runner that committed the decision before the instance (older journals).
    const ojson p = ojson::parse(task.payload.constData(),
                                 task.payload.constData() + task.payload.size(), nullptr, false);
    if (p.is_object() && !nestedDeeperThan(p, kMaxJsonDepth)) {
        for (auto it = p.begin(); it != p.end(); ++it)
            st.vars[it.key()] = it.value();
    }
    o.span["decision"] = "approved";
    return o;
}

// A waiting approval whose task is already decided resumes, so the step applies the decision.
Result<bool> Engine::resumeIfDecided(const InstanceRecord &rec, const State &st)
{
    if (!st.task || st.wait.is_object())
        return false;
    auto t = m_store->task(st.task);
    if (!t.ok() && t.error().storage)
        return t.error();
    if (!t.ok() || t.value().status == TaskStatus::Open || t.value().stepId != rec.currentStep)
        return false;
    auto running = m_store->setInstanceStatus(rec.id, InstanceStatus::Running);
    if (!running.ok())
        return running.error();
    return true;
}

Result<QString> Engine::replay(qint64 deadLetterId, const std::optional<ojson> &payload)
{
    if (payload && nestedDeeperThan(*payload, kMaxJsonDepth))
        return Error{QStringLiteral("the edited payload is nested deeper than %1 levels")
                         .arg(kMaxJsonDepth)};
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

} // namespace sb::runtime
