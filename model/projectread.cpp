// Reading the project document: JSON with positions for errors, migrated to the current
// version, decoded into a Project (unknown keys and wrong types refused with their path).
#include "model/projectjson.h"

#include "model/jsonlimits.h"
#include "model/projectreaddetail.h"
#include "model/migrations.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <initializer_list>
#include <set>

namespace sb::model {

using json = nlohmann::ordered_json;

namespace {

using namespace readdetail;

Field readField(const json &j, const std::string &path)
{
    expectObject(j, path, {"name", "type", "required", "format", "enum", "maxLength",
                           "description", "canonical", "items", "fields"});
    Field f;
    f.name = readString(j, "name", path, true);
    f.type = readEnum(j, "type", path, FieldType::String, fieldTypeFromString,
                      "string, integer, number, decimal, boolean, date, datetime, enum, "
                      "object, array");
    f.required = readBool(j, "required", path);
    f.format = readString(j, "format", path);
    f.enumValues = readStringList(j, "enum", path);
    f.maxLength = readInt(j, "maxLength", path);
    f.description = readString(j, "description", path);
    f.canonical = readString(j, "canonical", path);
    f.itemType = readEnum(j, "items", path, FieldType::Object, fieldTypeFromString,
                          "string, integer, number, decimal, boolean, date, datetime, enum, "
                          "object, array");
    f.fields = readList<Field>(j, "fields", path, readField);
    requireUniqueIds(f.fields, child(path, "fields"), [](const Field &x) { return x.name; },
                     "field");
    return f;
}

QVector<Field> readFields(const json &j, const std::string &path)
{
    QVector<Field> fields = readList<Field>(j, "fields", path, readField);
    requireUniqueIds(fields, child(path, "fields"), [](const Field &x) { return x.name; },
                     "field");
    return fields;
}

Entity readEntity(const json &j, const std::string &path)
{
    expectObject(j, path, {"name", "key", "idField", "description", "fields"});
    Entity e;
    e.name = readString(j, "name", path, true);
    e.key = readString(j, "key", path);
    e.idField = readString(j, "idField", path);
    e.description = readString(j, "description", path);
    e.fields = readFields(j, path);
    if (!e.key.isEmpty() && !e.field(e.key))
        fail(child(path, "key"), QStringLiteral("key '%1' is not a field of entity '%2'")
                                     .arg(e.key, e.name));
    return e;
}

EndpointProfile readProfile(const json &j, const std::string &path)
{
    expectObject(j, path, {"name", "sandbox", "baseUrl", "auth", "secret", "rateLimit",
                           "timeoutMs"});
    EndpointProfile p;
    p.name = readString(j, "name", path, true);
    p.sandbox = readBool(j, "sandbox", path);
    p.baseUrl = readString(j, "baseUrl", path);
    p.auth = readEnum(j, "auth", path, AuthType::None, authTypeFromString,
                      "none, bearer, basic, api-key, oauth2");
    p.secretRef = readString(j, "secret", path);
    p.rateLimitPerSecond = readNumber(j, "rateLimit", path, 0);
    p.timeoutMs = readInt(j, "timeoutMs", path);
    return p;
}

System readSystem(const json &j, const std::string &path)
{
    expectObject(j, path, {"id", "name", "kind", "color", "description", "position",
                           "entities", "profiles"});
    System s;
    s.id = readString(j, "id", path, true);
    s.name = readString(j, "name", path);
    s.kind = readEnum(j, "kind", path, SystemKind::Custom, systemKindFromString,
                      "crm, erp, billing, subscription, support, success, tax, payments, "
                      "middleware, custom");
    s.color = readString(j, "color", path);
    s.description = readString(j, "description", path);
    s.position = readPosition(j, path);
    s.entities = readList<Entity>(j, "entities", path, readEntity);
    requireUniqueIds(s.entities, child(path, "entities"),
                     [](const Entity &e) { return e.name; }, "entity");
    s.profiles = readList<EndpointProfile>(j, "profiles", path, readProfile);
    requireUniqueIds(s.profiles, child(path, "profiles"),
                     [](const EndpointProfile &p) { return p.name; }, "profile");
    return s;
}

CanonicalEntity readCanonical(const json &j, const std::string &path)
{
    expectObject(j, path, {"id", "description", "key", "fields"});
    CanonicalEntity c;
    c.id = readString(j, "id", path, true);
    c.description = readString(j, "description", path);
    c.key = readString(j, "key", path);
    c.fields = readFields(j, path);
    if (!c.key.isEmpty() && !c.field(c.key))
        fail(child(path, "key"), QStringLiteral("key '%1' is not a field of '%2'")
                                     .arg(c.key, c.id));
    return c;
}

OwnershipRule readOwnership(const json &j, const std::string &path)
{
    expectObject(j, path, {"entity", "field", "owners", "contributors", "consumers",
                           "survivorship", "priority", "steward", "freshness",
                           "freshnessMinutes"});
    OwnershipRule r;
    r.entity = readString(j, "entity", path, true);
    r.field = readString(j, "field", path);
    r.owners = readStringList(j, "owners", path);
    r.contributors = readStringList(j, "contributors", path);
    r.consumers = readStringList(j, "consumers", path);
    r.survivorship = readEnum(j, "survivorship", path, Survivorship::OwnerWins,
                              survivorshipFromString,
                              "owner-wins, source-priority, most-recent");
    r.priority = readStringList(j, "priority", path);
    r.steward = readString(j, "steward", path);
    r.freshness = readEnum(j, "freshness", path, Freshness::RealTime, freshnessFromString,
                           "real-time, within-minutes, daily-batch");
    r.freshnessMinutes = readInt(j, "freshnessMinutes", path);
    return r;
}

EntityRef readRef(const json &o, const char *key, const std::string &path)
{
    const json *v = member(o, key);
    const std::string p = child(path, key);
    if (!v)
        fail(path, QStringLiteral("missing required key '%1'").arg(QLatin1String(key)));
    expectObject(*v, p, {"system", "entity"});
    EntityRef r;
    r.system = readString(*v, "system", p);
    r.entity = readString(*v, "entity", p, true);
    return r;
}

QVector<std::pair<QString, QString>> readPairs(const json &o, const char *key,
                                               const std::string &path)
{
    QVector<std::pair<QString, QString>> out;
    const json *v = member(o, key);
    if (!v)
        return out;
    const std::string p = child(path, key);
    if (!v->is_array())
        fail(p, QStringLiteral("'%1' must be an array of [from, to] pairs")
                    .arg(QLatin1String(key)));
    for (size_t i = 0; i < v->size(); ++i) {
        const json &pair = (*v)[i];
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string()
            || !pair[1].is_string())
            fail(child(p, i), QStringLiteral("expected a pair of strings [from, to]"));
        out.push_back({QString::fromStdString(pair[0].get<std::string>()),
                       QString::fromStdString(pair[1].get<std::string>())});
    }
    return out;
}

ValueMap readValueMap(const json &j, const std::string &path)
{
    expectObject(j, path, {"name", "entries", "fallback"});
    ValueMap m;
    m.name = readString(j, "name", path, true);
    m.entries = readPairs(j, "entries", path);
    m.hasFallback = member(j, "fallback") != nullptr;
    m.fallback = readString(j, "fallback", path);
    return m;
}

MappingRule readRule(const json &j, const std::string &path)
{
    expectObject(j, path, {"target", "expression", "condition", "default", "valueMap",
                           "description"});
    MappingRule r;
    r.target = readString(j, "target", path, true);
    r.expression = readString(j, "expression", path);
    r.condition = readString(j, "condition", path);
    if (const json *d = member(j, "default"))
        r.defaultValue = QString::fromStdString(d->dump());
    r.valueMap = readString(j, "valueMap", path);
    r.description = readString(j, "description", path);
    return r;
}

Mapping readMapping(const json &j, const std::string &path)
{
    expectObject(j, path, {"id", "name", "source", "target", "condition", "rules",
                           "valueMaps", "partial"});
    Mapping m;
    m.id = readString(j, "id", path, true);
    m.name = readString(j, "name", path);
    m.source = readRef(j, "source", path);
    m.target = readRef(j, "target", path);
    m.condition = readString(j, "condition", path);
    m.partial = readBool(j, "partial", path);
    m.rules = readList<MappingRule>(j, "rules", path, readRule);
    m.valueMaps = readList<ValueMap>(j, "valueMaps", path, readValueMap);
    requireUniqueIds(m.valueMaps, child(path, "valueMaps"),
                     [](const ValueMap &v) { return v.name; }, "value map");
    return m;
}

WebhookAuth readWebhookAuth(const json &trigger, const std::string &path)
{
    WebhookAuth a;
    const json *v = member(trigger, "auth");
    if (!v)
        return a;
    const std::string p = child(path, "auth");
    expectObject(*v, p, {"type", "secret", "toleranceSeconds"});
    if (!member(*v, "type"))
        fail(p, QStringLiteral("missing required key 'type'"));
    a.type = readEnum(*v, "type", p, WebhookAuthType::Unset, webhookAuthTypeFromString,
                      "none, hmac-sha256, bearer");
    a.secretRef = readString(*v, "secret", p);
    a.toleranceSeconds = readInt(*v, "toleranceSeconds", p, WebhookAuth::DefaultToleranceSeconds);
    if (a.toleranceSeconds < 1)
        fail(child(p, "toleranceSeconds"),
             QStringLiteral("'toleranceSeconds' must be at least 1"));
    return a;
}

Trigger readTrigger(const json &o, const std::string &path)
{
    const json *v = member(o, "trigger");
    const std::string p = child(path, "trigger");
    if (!v)
        fail(path, QStringLiteral("missing required key 'trigger'"));
    expectObject(*v, p, {"type", "system", "entity", "topic", "schedule", "format", "eventId",
                         "correlation", "filter", "deadLetter", "auth"});
    Trigger t;
    t.type = readEnum(*v, "type", p, TriggerType::Webhook, triggerTypeFromString,
                      "webhook, event, schedule, batch");
    t.system = readString(*v, "system", p);
    t.entity = readString(*v, "entity", p);
    t.topic = readString(*v, "topic", p);
    t.schedule = readString(*v, "schedule", p);
    t.format = readString(*v, "format", p);
    t.eventIdPath = readString(*v, "eventId", p);
    t.correlationPath = readString(*v, "correlation", p);
    t.filter = readString(*v, "filter", p);
    t.deadLetter = readString(*v, "deadLetter", p);
    t.auth = readWebhookAuth(*v, p);
    return t;
}

// Validate rules: a JSONata string, or {"rule": …, "message": …}.
void readRules(const json &j, const std::string &path, Step &s)
{
    const json *v = member(j, "rules");
    const std::string p = child(path, "rules");
    if (v && !v->is_array())
        fail(p, QStringLiteral("'rules' must be an array, found %1").arg(typeName(*v)));
    for (size_t i = 0; v && i < v->size(); ++i) {
        const json &item = (*v)[i];
        const bool plain = item.is_string();
        if (!plain)
            expectObject(item, child(p, i), {"rule", "message"});
        s.rules << (plain ? QString::fromStdString(item.get<std::string>())
                          : readString(item, "rule", child(p, i), true));
        s.ruleMessages << (plain ? QString() : readString(item, "message", child(p, i)));
    }
    if (s.ruleMessages.join(QString()).isEmpty())
        s.ruleMessages.clear();
}

Step readStep(const json &j, const std::string &path)
{
    expectObject(j, path, {"id", "name", "type", "position", "system", "entity", "method",
                           "path", "mapping", "idempotencyKey", "timeoutMs", "retry",
                           "transientStatuses", "businessErrorStatuses", "compensation",
                           "output", "rules", "checkSchema", "checkOwnership", "topic",
                           "correlation", "waitTimeoutMs", "role", "escalationMs",
                           "escalateTo", "compensates", "evalTimeLimitMs",
                           "evalMemoryLimitMb", "upsertKey", "matchField", "partial"});
    Step s;
    s.id = readString(j, "id", path, true);
    s.name = readString(j, "name", path);
    s.type = readEnum(j, "type", path, StepType::Call, stepTypeFromString,
                      "call, lookup, map, validate, branch, publish, wait, approve, "
                      "compensate");
    s.position = readPosition(j, path);
    s.system = readString(j, "system", path);
    s.entity = readString(j, "entity", path);
    s.method = readString(j, "method", path);
    s.path = readString(j, "path", path);
    s.mapping = readString(j, "mapping", path);
    s.idempotencyKey = readString(j, "idempotencyKey", path);
    s.timeoutMs = readInt(j, "timeoutMs", path);
    if (const json *r = member(j, "retry")) {
        const std::string rp = child(path, "retry");
        expectObject(*r, rp, {"maxAttempts", "initialBackoffMs", "multiplier", "maxBackoffMs",
                              "jitter"});
        s.retry.maxAttempts = readInt(*r, "maxAttempts", rp);
        s.retry.initialBackoffMs = readInt(*r, "initialBackoffMs", rp, 500);
        s.retry.multiplier = readNumber(*r, "multiplier", rp, 2.0);
        s.retry.maxBackoffMs = readInt(*r, "maxBackoffMs", rp, 60000);
        s.retry.jitter = readBool(*r, "jitter", rp, true);
    }
    s.transientStatuses = readIntList(j, "transientStatuses", path);
    s.businessErrorStatuses = readIntList(j, "businessErrorStatuses", path);
    s.compensation = readString(j, "compensation", path);
    s.output = readString(j, "output", path);
    readRules(j, path, s);
    s.upsertKey = readStringList(j, "upsertKey", path);
    s.partial = readBool(j, "partial", path);
    s.matchField = readString(j, "matchField", path);
    s.checkSchema = readBool(j, "checkSchema", path);
    s.checkOwnership = readBool(j, "checkOwnership", path);
    s.topic = readString(j, "topic", path);
    s.correlation = readString(j, "correlation", path);
    s.waitTimeoutMs = readInt(j, "waitTimeoutMs", path);
    s.role = readString(j, "role", path);
    s.escalationMs = readInt(j, "escalationMs", path);
    s.escalateTo = readString(j, "escalateTo", path);
    s.compensates = readString(j, "compensates", path);
    s.evalTimeLimitMs = readInt(j, "evalTimeLimitMs", path);
    s.evalMemoryLimitMb = readInt(j, "evalMemoryLimitMb", path);
    return s;
}

Edge readEdge(const json &j, const std::string &path)
{
    expectObject(j, path, {"from", "to", "kind", "condition", "label"});
    Edge e;
    e.from = readString(j, "from", path, true);
    e.to = readString(j, "to", path, true);
    e.kind = readEnum(j, "kind", path, EdgeKind::Next, edgeKindFromString,
                      "next, on-error, on-timeout");
    e.condition = readString(j, "condition", path);
    e.label = readString(j, "label", path);
    return e;
}

Workflow readWorkflow(const json &j, const std::string &path)
{
    expectObject(j, path, {"id", "name", "description", "pattern", "trigger", "steps",
                           "edges"});
    Workflow w;
    w.id = readString(j, "id", path, true);
    w.name = readString(j, "name", path);
    w.description = readString(j, "description", path);
    w.pattern = readEnum(j, "pattern", path, WorkflowPattern::HubOrchestration,
                         workflowPatternFromString,
                         "point-to-point, hub-orchestration, event-driven, batch, "
                         "human-in-the-loop");
    w.trigger = readTrigger(j, path);
    w.steps = readList<Step>(j, "steps", path, readStep);
    requireUniqueIds(w.steps, child(path, "steps"), [](const Step &s) { return s.id; },
                     "step");
    w.edges = readList<Edge>(j, "edges", path, readEdge);
    // Edges are the graph's structure: an edge to a step that does not exist is a broken
    // file, not a design finding.
    const std::string edgesPath = child(path, "edges");
    for (qsizetype i = 0; i < w.edges.size(); ++i) {
        const Edge &e = w.edges[i];
        if (e.from != QLatin1String("trigger") && !w.step(e.from))
            fail(child(child(edgesPath, size_t(i)), "from"),
                 QStringLiteral("edge from unknown step '%1'").arg(e.from));
        if (!w.step(e.to))
            fail(child(child(edgesPath, size_t(i)), "to"),
                 QStringLiteral("edge to unknown step '%1'").arg(e.to));
    }
    return w;
}

DataFlow readFlow(const json &j, const std::string &path)
{
    expectObject(j, path, {"id", "from", "to", "entity", "mapping", "workflow", "mode",
                           "loopGuard", "label"});
    DataFlow f;
    f.id = readString(j, "id", path, true);
    f.from = readString(j, "from", path, true);
    f.to = readString(j, "to", path, true);
    f.entity = readString(j, "entity", path);
    f.mapping = readString(j, "mapping", path);
    f.workflow = readString(j, "workflow", path);
    f.mode = readEnum(j, "mode", path, FlowMode::RealTime, flowModeFromString,
                      "real-time, event, batch");
    f.loopGuard = readBool(j, "loopGuard", path);
    f.label = readString(j, "label", path);
    return f;
}

Sla readSla(const json &j, const std::string &path)
{
    expectObject(j, path, {"id", "name", "workflow", "from", "to", "targetMinutes",
                           "targetPercent"});
    Sla s;
    s.id = readString(j, "id", path, true);
    s.name = readString(j, "name", path);
    s.workflow = readString(j, "workflow", path, true);
    s.fromMilestone = readString(j, "from", path, true);
    s.toMilestone = readString(j, "to", path, true);
    s.targetMinutes = readInt(j, "targetMinutes", path);
    s.targetPercent = readNumber(j, "targetPercent", path, 95);
    return s;
}

Reconciliation readReconciliation(const json &j, const std::string &path)
{
    expectObject(j, path, {"id", "name", "left", "right", "leftKey", "rightKey", "fields",
                           "schedule"});
    Reconciliation r;
    r.id = readString(j, "id", path, true);
    r.name = readString(j, "name", path);
    r.left = readRef(j, "left", path);
    r.right = readRef(j, "right", path);
    r.leftKey = readString(j, "leftKey", path, true);
    r.rightKey = readString(j, "rightKey", path, true);
    r.fields = readPairs(j, "fields", path);
    r.schedule = readString(j, "schedule", path);
    return r;
}

Dataset readDataset(const json &j, const std::string &path)
{
    expectObject(j, path, {"id", "name", "system", "entity", "file", "description"});
    Dataset d;
    d.id = readString(j, "id", path, true);
    d.name = readString(j, "name", path);
    d.system = readString(j, "system", path);
    d.entity = readString(j, "entity", path, true);
    d.file = readString(j, "file", path, true);
    d.description = readString(j, "description", path);
    return d;
}

Project readProject(const json &j)
{
    const std::string path;
    expectObject(j, path, {"format", "version", "name", "description", "systems", "canonical",
                           "ownership", "mappings", "workflows", "flows", "slas",
                           "reconciliations", "datasets", "tests"});
    Project p;
    p.name = readString(j, "name", path);
    p.description = readString(j, "description", path);
    p.systems = readList<System>(j, "systems", path, readSystem);
    requireUniqueIds(p.systems, "/systems", [](const System &s) { return s.id; }, "system");
    p.canonical = readList<CanonicalEntity>(j, "canonical", path, readCanonical);
    requireUniqueIds(p.canonical, "/canonical", [](const CanonicalEntity &c) { return c.id; },
                     "canonical entity");
    p.ownership = readList<OwnershipRule>(j, "ownership", path, readOwnership);
    requireUniqueIds(p.ownership, "/ownership", [](const OwnershipRule &r) { return r.id(); },
                     "ownership rule");
    p.mappings = readList<Mapping>(j, "mappings", path, readMapping);
    requireUniqueIds(p.mappings, "/mappings", [](const Mapping &m) { return m.id; }, "mapping");
    p.workflows = readList<Workflow>(j, "workflows", path, readWorkflow);
    requireUniqueIds(p.workflows, "/workflows", [](const Workflow &w) { return w.id; },
                     "workflow");
    p.flows = readList<DataFlow>(j, "flows", path, readFlow);
    requireUniqueIds(p.flows, "/flows", [](const DataFlow &f) { return f.id; }, "flow");
    // A flow is an edge of the landscape: both ends must be systems of this project.
    for (qsizetype i = 0; i < p.flows.size(); ++i) {
        for (const char *end : {"from", "to"}) {
            const QString id = QLatin1String(end) == QLatin1String("from") ? p.flows[i].from
                                                                           : p.flows[i].to;
            if (!p.system(id))
                fail(child(child("/flows", size_t(i)), end),
                     QStringLiteral("flow refers to unknown system '%1'").arg(id));
        }
    }
    p.slas = readList<Sla>(j, "slas", path, readSla);
    requireUniqueIds(p.slas, "/slas", [](const Sla &s) { return s.id; }, "SLA");
    p.reconciliations = readList<Reconciliation>(j, "reconciliations", path,
                                                 readReconciliation);
    requireUniqueIds(p.reconciliations, "/reconciliations",
                     [](const Reconciliation &r) { return r.id; }, "reconciliation");
    p.datasets = readList<Dataset>(j, "datasets", path, readDataset);
    requireUniqueIds(p.datasets, "/datasets", [](const Dataset &d) { return d.id; },
                     "data set");
    p.tests = readList<ProjectTest>(j, "tests", path, readProjectTest);
    requireUniqueIds(p.tests, "/tests", [](const ProjectTest &t) { return t.id; }, "test");
    return p;
}

} // namespace

Result<Project> parseProject(const QByteArray &text, const QString &fileName)
{
    auto makeError = [&](const QString &message, qsizetype offset, const QString &path) {
        Error e;
        e.message = message;
        e.file = fileName;
        e.path = path;
        if (offset >= 0) {
            const auto [line, column] = lineColumnAt(text, offset);
            e.line = line;
            e.column = column;
        }
        return e;
    };

    // The reader recurses once per level: refuse absurd nesting before parsing.
    if (auto deep = jsonNestingError(text.constData(), size_t(text.size()))) {
        deep->file = fileName;
        return *deep;
    }
    json document;
    try {
        document = json::parse(text.constBegin(), text.constEnd());
    } catch (const json::parse_error &err) {
        // nlohmann reports the byte after the offending token; point at the token itself.
        const qsizetype offset = err.byte > 0 ? qsizetype(err.byte) - 1 : 0;
        QString what = QString::fromUtf8(err.what());
        const int detail = what.indexOf(QLatin1String(": syntax error"));
        if (detail >= 0)
            what = what.mid(detail + 2);
        if (offset >= text.size() - 1 || text.trimmed().isEmpty())
            what = QStringLiteral("unexpected end of file (truncated?): ") + what;
        return makeError(QStringLiteral("invalid JSON: %1").arg(what), offset, QString());
    } catch (const json::exception &err) {
        // Valid syntax the parser still refuses, e.g. a number beyond double (1e999).
        QString what = QString::fromUtf8(err.what());
        what = what.mid(what.indexOf(QLatin1Char(']')) + 1).trimmed();
        return makeError(QStringLiteral("invalid JSON: %1").arg(what), -1, QString());
    }

    if (!document.is_object())
        return makeError(QStringLiteral("a project must be a JSON object"), 0, QString());
    const json *format = member(document, "format");
    if (!format || !format->is_string() || format->get<std::string>() != kProjectFormat)
        return makeError(QStringLiteral("not a Switchboard project: \"format\" must be \"%1\"")
                             .arg(QLatin1String(kProjectFormat)),
                         locateJsonPointer(text, QStringLiteral("/format")),
                         QStringLiteral("/format"));
    const json *version = member(document, "version");
    if (!version || !version->is_number_integer())
        return makeError(QStringLiteral("missing or non-integer \"version\""),
                         locateJsonPointer(text, QStringLiteral("/version")),
                         QStringLiteral("/version"));

    // Clamped: a version beyond int must read as too new, not wrap around to a known one.
    const int fileVersion = version->is_number_unsigned()
        ? int(std::min<std::uint64_t>(version->get<std::uint64_t>(), INT_MAX))
        : int(std::clamp<std::int64_t>(version->get<std::int64_t>(), INT_MIN, INT_MAX));
    auto migrated = migrateProjectJson(document, fileVersion);
    if (!migrated.ok())
        return makeError(migrated.error().message,
                         locateJsonPointer(text, QStringLiteral("/version")),
                         QStringLiteral("/version"));

    try {
        return readProject(document);
    } catch (const DecodeError &err) {
        const QString path = QString::fromStdString(err.path);
        // Positions refer to the file as written; after a migration they may be approximate.
        qsizetype offset = locateJsonPointer(text, path);
        return makeError(err.message, offset, path.isEmpty() ? QStringLiteral("/") : path);
    } catch (const std::exception &err) {
        return makeError(QStringLiteral("unreadable project: %1").arg(err.what()), -1,
                         QString());
    }
}

} // namespace sb::model
