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

} // namespace sb::runtime
