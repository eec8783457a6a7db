// Writing the project document: fixed key order, defaults left out, two-space indent.
#include "model/projectjson.h"

#include <nlohmann/json.hpp>

namespace sb::model {

using json = nlohmann::ordered_json;

namespace {

// ---------------------------------------------------------------------------------------
// Writing: fixed key order, defaults left out.

std::string s(const QString &v) { return v.toStdString(); }

void putString(json &o, const char *key, const QString &v)
{
    if (!v.isEmpty())
        o[key] = s(v);
}

void putStrings(json &o, const char *key, const QStringList &v)
{
    if (v.isEmpty())
        return;
    json a = json::array();
    for (const QString &x : v)
        a.push_back(s(x));
    o[key] = std::move(a);
}

// Validate rules: plain strings, an object where a rule has a message.
void putRules(json &o, const Step &st)
{
    if (st.rules.isEmpty())
        return;
    json a = json::array();
    for (int i = 0; i < st.rules.size(); ++i) {
        const QString msg = i < st.ruleMessages.size() ? st.ruleMessages[i] : QString();
        if (msg.isEmpty())
            a.push_back(s(st.rules[i]));
        else
            a.push_back(json{{"rule", s(st.rules[i])}, {"message", s(msg)}});
    }
    o["rules"] = std::move(a);
}

void putInts(json &o, const char *key, const QVector<int> &v)
{
    if (v.isEmpty())
        return;
    json a = json::array();
    for (int x : v)
        a.push_back(x);
    o[key] = std::move(a);
}

void putInt(json &o, const char *key, int v)
{
    if (v != 0)
        o[key] = v;
}

void putPosition(json &o, const QPointF &p)
{
    o["position"] = json::array({p.x(), p.y()});
}

void putPairs(json &o, const char *key, const QVector<std::pair<QString, QString>> &pairs)
{
    if (pairs.isEmpty())
        return;
    json a = json::array();
    for (const auto &pr : pairs)
        a.push_back(json::array({s(pr.first), s(pr.second)}));
    o[key] = std::move(a);
}

template <typename T, typename WriteOne>
void putList(json &o, const char *key, const QVector<T> &items, WriteOne writeOne)
{
    if (items.isEmpty())
        return;
    json a = json::array();
    for (const T &item : items)
        a.push_back(writeOne(item));
    o[key] = std::move(a);
}

json writeField(const Field &f)
{
    json o = json::object();
    o["name"] = s(f.name);
    o["type"] = s(toString(f.type));
    if (f.required)
        o["required"] = true;
    putString(o, "format", f.format);
    putStrings(o, "enum", f.enumValues);
    putInt(o, "maxLength", f.maxLength);
    putString(o, "description", f.description);
    putString(o, "canonical", f.canonical);
    if (f.type == FieldType::Array)
        o["items"] = s(toString(f.itemType));
    putList(o, "fields", f.fields, writeField);
    return o;
}

json writeEntity(const Entity &e)
{
    json o = json::object();
    o["name"] = s(e.name);
    putString(o, "key", e.key);
    putString(o, "idField", e.idField);
    putString(o, "description", e.description);
    putList(o, "fields", e.fields, writeField);
    return o;
}

json writeProfile(const EndpointProfile &p)
{
    json o = json::object();
    o["name"] = s(p.name);
    if (p.sandbox)
        o["sandbox"] = true;
    putString(o, "baseUrl", p.baseUrl);
    if (p.auth != AuthType::None)
        o["auth"] = s(toString(p.auth));
    putString(o, "secret", p.secretRef);
    if (p.rateLimitPerSecond != 0)
        o["rateLimit"] = p.rateLimitPerSecond;
    putInt(o, "timeoutMs", p.timeoutMs);
    return o;
}

json writeSystem(const System &sys)
{
    json o = json::object();
    o["id"] = s(sys.id);
    putString(o, "name", sys.name);
    o["kind"] = s(toString(sys.kind));
    putString(o, "color", sys.color);
    putString(o, "description", sys.description);
    putPosition(o, sys.position);
    putList(o, "entities", sys.entities, writeEntity);
    putList(o, "profiles", sys.profiles, writeProfile);
    return o;
}

json writeCanonical(const CanonicalEntity &c)
{
    json o = json::object();
    o["id"] = s(c.id);
    putString(o, "description", c.description);
    putString(o, "key", c.key);
    putList(o, "fields", c.fields, writeField);
    return o;
}

json writeOwnership(const OwnershipRule &r)
{
    json o = json::object();
    o["entity"] = s(r.entity);
    putString(o, "field", r.field);
    putStrings(o, "owners", r.owners);
    putStrings(o, "contributors", r.contributors);
    putStrings(o, "consumers", r.consumers);
    if (r.survivorship != Survivorship::OwnerWins)
        o["survivorship"] = s(toString(r.survivorship));
    putStrings(o, "priority", r.priority);
    putString(o, "steward", r.steward);
    if (r.freshness != Freshness::RealTime)
        o["freshness"] = s(toString(r.freshness));
    putInt(o, "freshnessMinutes", r.freshnessMinutes);
    return o;
}

json writeRef(const EntityRef &r)
{
    json o = json::object();
    putString(o, "system", r.system);
    o["entity"] = s(r.entity);
    return o;
}

json writeValueMap(const ValueMap &m)
{
    json o = json::object();
    o["name"] = s(m.name);
    putPairs(o, "entries", m.entries);
    if (m.hasFallback)
        o["fallback"] = s(m.fallback);
    return o;
}

json writeRule(const MappingRule &r)
{
    json o = json::object();
    o["target"] = s(r.target);
    putString(o, "expression", r.expression);
    putString(o, "condition", r.condition);
    if (!r.defaultValue.isEmpty()) {
        // Stored as JSON text; text that is not JSON is kept as a string.
        json d = json::parse(s(r.defaultValue), nullptr, false);
        o["default"] = d.is_discarded() ? json(s(r.defaultValue)) : d;
    }
    putString(o, "valueMap", r.valueMap);
    putString(o, "description", r.description);
    return o;
}

json writeMapping(const Mapping &m)
{
    json o = json::object();
    o["id"] = s(m.id);
    putString(o, "name", m.name);
    o["source"] = writeRef(m.source);
    o["target"] = writeRef(m.target);
    putString(o, "condition", m.condition);
    if (m.partial)
        o["partial"] = true;
    putList(o, "rules", m.rules, writeRule);
    putList(o, "valueMaps", m.valueMaps, writeValueMap);
    return o;
}

json writeTrigger(const Trigger &t)
{
    json o = json::object();
    o["type"] = s(toString(t.type));
    putString(o, "system", t.system);
    putString(o, "entity", t.entity);
    putString(o, "topic", t.topic);
    putString(o, "schedule", t.schedule);
    putString(o, "format", t.format);
    putString(o, "eventId", t.eventIdPath);
    putString(o, "correlation", t.correlationPath);
    putString(o, "filter", t.filter);
    putString(o, "deadLetter", t.deadLetter);
    if (t.auth.type != WebhookAuthType::Unset) {
        json a = json::object();
        a["type"] = s(toString(t.auth.type));
        putString(a, "secret", t.auth.secretRef);
        if (t.auth.type == WebhookAuthType::HmacSha256
            || t.auth.toleranceSeconds != WebhookAuth::DefaultToleranceSeconds)
            a["toleranceSeconds"] = t.auth.toleranceSeconds;
        o["auth"] = std::move(a);
    }
    return o;
}

json writeStep(const Step &st)
{
    json o = json::object();
    o["id"] = s(st.id);
    putString(o, "name", st.name);
    o["type"] = s(toString(st.type));
    putPosition(o, st.position);
    putString(o, "system", st.system);
    putString(o, "entity", st.entity);
    putString(o, "method", st.method);
    putString(o, "path", st.path);
    putString(o, "mapping", st.mapping);
    putString(o, "idempotencyKey", st.idempotencyKey);
    putInt(o, "timeoutMs", st.timeoutMs);
    if (!(st.retry == RetryPolicy())) {
        json r = json::object();
        r["maxAttempts"] = st.retry.maxAttempts;
        r["initialBackoffMs"] = st.retry.initialBackoffMs;
        r["multiplier"] = st.retry.multiplier;
        r["maxBackoffMs"] = st.retry.maxBackoffMs;
        r["jitter"] = st.retry.jitter;
        o["retry"] = std::move(r);
    }
    putInts(o, "transientStatuses", st.transientStatuses);
    putInts(o, "businessErrorStatuses", st.businessErrorStatuses);
    putString(o, "compensation", st.compensation);
    putString(o, "output", st.output);
    putRules(o, st);
    putStrings(o, "upsertKey", st.upsertKey);
    if (st.partial)
        o["partial"] = true;
    if (st.checkSchema)
        o["checkSchema"] = true;
    if (st.checkOwnership)
        o["checkOwnership"] = true;
    putString(o, "topic", st.topic);
    putString(o, "correlation", st.correlation);
    putString(o, "matchField", st.matchField);
    putInt(o, "waitTimeoutMs", st.waitTimeoutMs);
    putString(o, "role", st.role);
    putInt(o, "escalationMs", st.escalationMs);
    putString(o, "escalateTo", st.escalateTo);
    putString(o, "compensates", st.compensates);
    putInt(o, "evalTimeLimitMs", st.evalTimeLimitMs);
    putInt(o, "evalMemoryLimitMb", st.evalMemoryLimitMb);
    return o;
}

json writeEdge(const Edge &e)
{
    json o = json::object();
    o["from"] = s(e.from);
    o["to"] = s(e.to);
    if (e.kind != EdgeKind::Next)
        o["kind"] = s(toString(e.kind));
    putString(o, "condition", e.condition);
    putString(o, "label", e.label);
    return o;
}

json writeWorkflow(const Workflow &w)
{
    json o = json::object();
    o["id"] = s(w.id);
    putString(o, "name", w.name);
    putString(o, "description", w.description);
    o["pattern"] = s(toString(w.pattern));
    o["trigger"] = writeTrigger(w.trigger);
    putList(o, "steps", w.steps, writeStep);
    putList(o, "edges", w.edges, writeEdge);
    return o;
}

json writeFlow(const DataFlow &f)
{
    json o = json::object();
    o["id"] = s(f.id);
    o["from"] = s(f.from);
    o["to"] = s(f.to);
    putString(o, "entity", f.entity);
    putString(o, "mapping", f.mapping);
    putString(o, "workflow", f.workflow);
    if (f.mode != FlowMode::RealTime)
        o["mode"] = s(toString(f.mode));
    if (f.loopGuard)
        o["loopGuard"] = true;
    putString(o, "label", f.label);
    return o;
}

json writeSla(const Sla &v)
{
    json o = json::object();
    o["id"] = s(v.id);
    putString(o, "name", v.name);
    o["workflow"] = s(v.workflow);
    o["from"] = s(v.fromMilestone);
    o["to"] = s(v.toMilestone);
    putInt(o, "targetMinutes", v.targetMinutes);
    if (v.targetPercent != 95)
        o["targetPercent"] = v.targetPercent;
    return o;
}

json writeReconciliation(const Reconciliation &r)
{
    json o = json::object();
    o["id"] = s(r.id);
    putString(o, "name", r.name);
    o["left"] = writeRef(r.left);
    o["right"] = writeRef(r.right);
    o["leftKey"] = s(r.leftKey);
    o["rightKey"] = s(r.rightKey);
    putPairs(o, "fields", r.fields);
    putString(o, "schedule", r.schedule);
    return o;
}

json writeDataset(const Dataset &d)
{
    json o = json::object();
    o["id"] = s(d.id);
    putString(o, "name", d.name);
    putString(o, "system", d.system);
    o["entity"] = s(d.entity);
    o["file"] = s(d.file);
    putString(o, "description", d.description);
    return o;
}

json writeTest(const ProjectTest &t)
{
    json o = json::object();
    o["id"] = s(t.id);
    putString(o, "name", t.name);
    o["workflow"] = s(t.workflow);
    if (!t.input.isEmpty()) {
        json input = json::parse(s(t.input), nullptr, false);
        o["input"] = input.is_discarded() ? json::object() : input;
    }
    putString(o, "dataset", t.dataset);
    putString(o, "record", t.record);
    if (t.approveAll)
        o["approveAll"] = true;
    json expect = json::object();
    expect["outcome"] = s(t.outcome);
    putString(expect, "step", t.step);
    putString(expect, "reason", t.reason);
    putList(expect, "values", t.values, [](const TestValue &v) {
        json value = json::object();
        value["expression"] = s(v.expression);
        json equals = json::parse(s(v.equals), nullptr, false);
        value["equals"] = equals.is_discarded() ? json(s(v.equals)) : equals;
        return value;
    });
    o["expect"] = expect;
    return o;
}

} // namespace

QByteArray serializeProject(const Project &p)
{
    json o = json::object();
    o["format"] = kProjectFormat;
    o["version"] = Project::CurrentVersion;
    o["name"] = s(p.name);
    putString(o, "description", p.description);
    putList(o, "systems", p.systems, writeSystem);
    putList(o, "canonical", p.canonical, writeCanonical);
    putList(o, "ownership", p.ownership, writeOwnership);
    putList(o, "mappings", p.mappings, writeMapping);
    putList(o, "workflows", p.workflows, writeWorkflow);
    putList(o, "flows", p.flows, writeFlow);
    putList(o, "slas", p.slas, writeSla);
    putList(o, "reconciliations", p.reconciliations, writeReconciliation);
    putList(o, "datasets", p.datasets, writeDataset);
    putList(o, "tests", p.tests, writeTest);
    std::string text = o.dump(2, ' ', false, json::error_handler_t::replace);
    text += '\n';
    return QByteArray::fromStdString(text);
}

} // namespace sb::model
