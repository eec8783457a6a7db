// Executing one step: dispatch by type, map, branch, publish and validate (rules and the
// entity schema through valijson). Calls and waits have files of their own.
#include "runtime/engine/enginedetail.h"

#include "model/entityschema.h"
#include "model/jsonlimits.h"
#include "runtime/mapping/mappingexecutor.h"

#include <QUuid>

#include "runtime/sandbox/schemacheck.h"

namespace sb::runtime {

using namespace enginedetail;
using model::EdgeKind;
using model::Step;
using model::StepType;

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
            o.error = QStringLiteral("mapping %1: %2")
                          .arg(step.mapping, errs.join(QLatin1String("; ")));
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
        m_pendingEvents.emplace_back(nextEventStamp(), e);
        if (onPublish)
            onPublish(e);
        return o;
    }
    case StepType::Wait:
        return executeWait(step, rec, st);
    case StepType::Approve: {
        // Run again after a crash or a storage fault: the task made before decides.
        if (st.task) {
            auto known = m_store->task(st.task);
            if (!known.ok() && known.error().storage) {
                storageFailed(known.error());
                o.kind = Outcome::StorageFault;
                return o;
            }
            if (known.ok() && known.value().stepId == step.id)
                return resumeApproval(known.value(), step, st);
        }
        ApprovalTask t;
        t.instanceId = rec.id;
        t.stepId = step.id;
        t.role = step.role;
        t.payload = bytes(st.vars);
        if (step.escalationMs > 0)
            t.escalateAt = now().addMSecs(step.escalationMs);
        // The task and its instance commit together, so a resumed step finds its task.
        auto tx = m_store->transaction([&]() -> Result<void> {
            auto id = m_store->addTask(t);
            if (!id.ok())
                return id.error();
            st.task = id.value();
            if (step.escalationMs > 0) {
                Timer timer;
                timer.instanceId = rec.id;
                timer.stepId = step.id;
                timer.kind = QStringLiteral("escalation");
                timer.due = t.escalateAt;
                timer.payload = bytes(ojson{{"task", st.task},
                                            {"escalateTo", s(step.escalateTo)}});
                auto added = m_store->addTimer(timer);
                if (!added.ok())
                    return added.error();
            }
            return persist(rec, st, InstanceStatus::Running, step.id);
        });
        if (!saved(tx)) {
            st.task = 0;
            o.kind = Outcome::StorageFault;
            return o;
        }
        o.kind = Outcome::Wait;
        o.span["task"] = st.task;
        o.span["role"] = s(step.role);
        if (t.escalateAt.isValid())
            o.span["escalateAt"] = s(t.escalateAt.toString(Qt::ISODateWithMs));
        return o;
    }
    }
    return o;
}

// The JSON schema of "system.Entity", parsed once per project; null for an unknown entity.
std::shared_ptr<const SchemaCheck> Engine::entitySchema(const QString &entity)
{
    auto it = m_caches->schemas.find(entity);
    if (it != m_caches->schemas.end())
        return it->second;
    const qsizetype dot = entity.indexOf(QLatin1Char('.'));
    const model::System *sys = m_project.system(entity.left(dot));
    const model::Entity *e = sys ? sys->entity(entity.mid(dot + 1)) : nullptr;
    std::shared_ptr<const SchemaCheck> schema;
    if (e)
        schema = std::make_shared<const SchemaCheck>(model::entityJsonSchema(*e));
    m_caches->schemas.emplace(entity, schema);
    return schema;
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
    std::optional<EvalInput> ctx;
    if (!step.rules.isEmpty())
        ctx.emplace(st.context(var));
    QStringList violations;
    for (int i = 0; i < step.rules.size(); ++i) {
        QString err;
        auto v = eval(compiled(step.rules[i]), *ctx, &err, stepBudget(m_options.eval, step));
        if (!v)
            violations << QStringLiteral("rule %1 (%2) failed: %3")
                              .arg(i + 1)
                              .arg(step.rules[i], err);
        else if (!(v->is_boolean() ? v->get<bool>() : !v->is_null())) {
            const QString msg = i < step.ruleMessages.size() ? step.ruleMessages[i] : QString();
            violations << (msg.isEmpty() ? QStringLiteral("rule %1 does not hold: %2")
                                               .arg(i + 1)
                                               .arg(step.rules[i])
                                         : QStringLiteral("%1 (rule %2: %3)")
                                               .arg(msg)
                                               .arg(i + 1)
                                               .arg(step.rules[i]));
        }
    }
    if (step.checkSchema && !entity.isEmpty()) {
        const ojson d = st.doc(var);
        const qsizetype dot = entity.indexOf(QLatin1Char('.'));
        if (dot > 0) {
            if (const auto schema = entitySchema(entity)) {
                std::vector<SchemaIssue> issues;
                if (!schema->validate(d, &issues)) {
                    for (const SchemaIssue &err : issues) {
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

} // namespace sb::runtime
