#include "model/project.h"

#include <array>

namespace sb::model {

namespace {

template <typename E, size_t N>
QString enumName(const std::array<const char *, N> &names, E value)
{
    return QString::fromLatin1(names[static_cast<size_t>(value)]);
}

template <typename E, size_t N>
std::optional<E> enumFromName(const std::array<const char *, N> &names, const QString &s)
{
    for (size_t i = 0; i < N; ++i) {
        if (s == QLatin1String(names[i]))
            return static_cast<E>(i);
    }
    return std::nullopt;
}

constexpr std::array<const char *, 10> kFieldTypes{
    "string", "integer", "number", "decimal", "boolean",
    "date",   "datetime", "enum",  "object",  "array"};
constexpr std::array<const char *, 10> kSystemKinds{
    "crm", "erp", "billing", "subscription", "support",
    "success", "tax", "payments", "middleware", "custom"};
constexpr std::array<const char *, 5> kAuthTypes{"none", "bearer", "basic", "api-key", "oauth2"};
constexpr std::array<const char *, 3> kSurvivorship{"owner-wins", "source-priority",
                                                    "most-recent"};
constexpr std::array<const char *, 3> kFreshness{"real-time", "within-minutes", "daily-batch"};
constexpr std::array<const char *, 4> kTriggerTypes{"webhook", "event", "schedule", "batch"};
constexpr std::array<const char *, 4> kWebhookAuthTypes{"", "none", "hmac-sha256", "bearer"};
constexpr std::array<const char *, 9> kStepTypes{"call",    "lookup",  "map",
                                                 "validate", "branch", "publish",
                                                 "wait",    "approve", "compensate"};
constexpr std::array<const char *, 3> kEdgeKinds{"next", "on-error", "on-timeout"};
constexpr std::array<const char *, 5> kPatterns{"point-to-point", "hub-orchestration",
                                                "event-driven", "batch", "human-in-the-loop"};
constexpr std::array<const char *, 3> kFlowModes{"real-time", "event", "batch"};

template <typename T>
const T *findById(const QVector<T> &items, const QString &id)
{
    for (const T &item : items) {
        if (item.id == id)
            return &item;
    }
    return nullptr;
}

const Field *findField(const QVector<Field> &fields, const QString &name)
{
    for (const Field &f : fields) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

} // namespace

QString toString(FieldType t) { return enumName(kFieldTypes, t); }
QString toString(SystemKind k) { return enumName(kSystemKinds, k); }
QString toString(AuthType a) { return enumName(kAuthTypes, a); }
QString toString(Survivorship s) { return enumName(kSurvivorship, s); }
QString toString(Freshness f) { return enumName(kFreshness, f); }
QString toString(TriggerType t) { return enumName(kTriggerTypes, t); }
QString toString(WebhookAuthType t) { return enumName(kWebhookAuthTypes, t); }
QString toString(StepType t) { return enumName(kStepTypes, t); }
QString toString(EdgeKind k) { return enumName(kEdgeKinds, k); }
QString toString(WorkflowPattern p) { return enumName(kPatterns, p); }
QString toString(FlowMode m) { return enumName(kFlowModes, m); }

std::optional<FieldType> fieldTypeFromString(const QString &s)
{
    return enumFromName<FieldType>(kFieldTypes, s);
}
std::optional<SystemKind> systemKindFromString(const QString &s)
{
    return enumFromName<SystemKind>(kSystemKinds, s);
}
std::optional<AuthType> authTypeFromString(const QString &s)
{
    return enumFromName<AuthType>(kAuthTypes, s);
}
std::optional<Survivorship> survivorshipFromString(const QString &s)
{
    return enumFromName<Survivorship>(kSurvivorship, s);
}
std::optional<Freshness> freshnessFromString(const QString &s)
{
    return enumFromName<Freshness>(kFreshness, s);
}
std::optional<TriggerType> triggerTypeFromString(const QString &s)
{
    return enumFromName<TriggerType>(kTriggerTypes, s);
}
std::optional<WebhookAuthType> webhookAuthTypeFromString(const QString &s)
{
    if (s.isEmpty())
        return std::nullopt;
    return enumFromName<WebhookAuthType>(kWebhookAuthTypes, s);
}
std::optional<StepType> stepTypeFromString(const QString &s)
{
    return enumFromName<StepType>(kStepTypes, s);
}
std::optional<EdgeKind> edgeKindFromString(const QString &s)
{
    return enumFromName<EdgeKind>(kEdgeKinds, s);
}
std::optional<WorkflowPattern> workflowPatternFromString(const QString &s)
{
    return enumFromName<WorkflowPattern>(kPatterns, s);
}
std::optional<FlowMode> flowModeFromString(const QString &s)
{
    return enumFromName<FlowMode>(kFlowModes, s);
}

const Field *findFieldPath(const QVector<Field> &fields, const QString &path)
{
    const QVector<Field> *level = &fields;
    const Field *found = nullptr;
    const QStringList segments = path.split(QLatin1Char('.'));
    for (QString segment : segments) {
        if (segment.endsWith(QLatin1String("[]")))
            segment.chop(2);
        if (!level)
            return nullptr;
        found = findField(*level, segment);
        if (!found)
            return nullptr;
        level = found->fields.isEmpty() ? nullptr : &found->fields;
    }
    return found;
}

bool Field::operator==(const Field &o) const
{
    return name == o.name && type == o.type && required == o.required && format == o.format
           && enumValues == o.enumValues && maxLength == o.maxLength
           && description == o.description && canonical == o.canonical
           && itemType == o.itemType && fields == o.fields;
}

const Field *Entity::field(const QString &n) const { return findField(fields, n); }

bool Entity::operator==(const Entity &o) const
{
    return name == o.name && key == o.key && idField == o.idField
           && description == o.description && fields == o.fields;
}

QString Entity::addressField() const
{
    if (!idField.isEmpty())
        return idField;
    return key.isEmpty() ? QStringLiteral("id") : key;
}

bool EndpointProfile::operator==(const EndpointProfile &o) const
{
    return name == o.name && sandbox == o.sandbox && baseUrl == o.baseUrl && auth == o.auth
           && secretRef == o.secretRef && rateLimitPerSecond == o.rateLimitPerSecond
           && timeoutMs == o.timeoutMs;
}

const Entity *System::entity(const QString &n) const
{
    for (const Entity &e : entities) {
        if (e.name == n)
            return &e;
    }
    return nullptr;
}

bool System::operator==(const System &o) const
{
    return id == o.id && name == o.name && kind == o.kind && color == o.color
           && description == o.description && position == o.position
           && entities == o.entities && profiles == o.profiles;
}

const Field *CanonicalEntity::field(const QString &n) const { return findField(fields, n); }

bool CanonicalEntity::operator==(const CanonicalEntity &o) const
{
    return id == o.id && description == o.description && key == o.key && fields == o.fields;
}

bool OwnershipRule::operator==(const OwnershipRule &o) const
{
    return entity == o.entity && field == o.field && owners == o.owners
           && contributors == o.contributors && consumers == o.consumers
           && survivorship == o.survivorship && priority == o.priority
           && steward == o.steward && freshness == o.freshness
           && freshnessMinutes == o.freshnessMinutes;
}

bool ValueMap::operator==(const ValueMap &o) const
{
    return name == o.name && entries == o.entries && fallback == o.fallback
           && hasFallback == o.hasFallback;
}

bool MappingRule::operator==(const MappingRule &o) const
{
    return target == o.target && expression == o.expression && condition == o.condition
           && defaultValue == o.defaultValue && valueMap == o.valueMap
           && description == o.description;
}

const ValueMap *Mapping::valueMap(const QString &n) const
{
    for (const ValueMap &v : valueMaps) {
        if (v.name == n)
            return &v;
    }
    return nullptr;
}

bool Mapping::operator==(const Mapping &o) const
{
    return id == o.id && name == o.name && source == o.source && target == o.target
           && condition == o.condition && rules == o.rules && valueMaps == o.valueMaps
           && partial == o.partial;
}

bool Trigger::operator==(const Trigger &o) const
{
    return type == o.type && system == o.system && entity == o.entity && topic == o.topic
           && schedule == o.schedule && format == o.format && eventIdPath == o.eventIdPath
           && correlationPath == o.correlationPath && filter == o.filter
           && deadLetter == o.deadLetter && auth == o.auth;
}

bool WebhookAuth::operator==(const WebhookAuth &o) const
{
    return type == o.type && secretRef == o.secretRef && toleranceSeconds == o.toleranceSeconds;
}

bool RetryPolicy::operator==(const RetryPolicy &o) const
{
    return maxAttempts == o.maxAttempts && initialBackoffMs == o.initialBackoffMs
           && multiplier == o.multiplier && maxBackoffMs == o.maxBackoffMs
           && jitter == o.jitter;
}

bool Step::operator==(const Step &o) const
{
    return id == o.id && name == o.name && type == o.type && position == o.position
           && system == o.system && entity == o.entity && method == o.method
           && path == o.path && mapping == o.mapping && idempotencyKey == o.idempotencyKey
           && timeoutMs == o.timeoutMs && retry == o.retry
           && transientStatuses == o.transientStatuses
           && businessErrorStatuses == o.businessErrorStatuses
           && compensation == o.compensation && output == o.output && rules == o.rules
           && ruleMessages == o.ruleMessages && upsertKey == o.upsertKey
           && partial == o.partial
           && matchField == o.matchField
           && checkSchema == o.checkSchema && checkOwnership == o.checkOwnership
           && topic == o.topic && correlation == o.correlation
           && waitTimeoutMs == o.waitTimeoutMs && role == o.role
           && escalationMs == o.escalationMs && escalateTo == o.escalateTo
           && compensates == o.compensates && evalTimeLimitMs == o.evalTimeLimitMs
           && evalMemoryLimitMb == o.evalMemoryLimitMb;
}

bool Step::writes() const
{
    if (type != StepType::Call)
        return false;
    const QString m = method.toUpper();
    return m == QLatin1String("POST") || m == QLatin1String("PUT")
           || m == QLatin1String("PATCH") || m == QLatin1String("DELETE");
}

bool Edge::operator==(const Edge &o) const
{
    return from == o.from && to == o.to && kind == o.kind && condition == o.condition
           && label == o.label;
}

const Step *Workflow::step(const QString &stepId) const { return findById(steps, stepId); }

bool Workflow::operator==(const Workflow &o) const
{
    return id == o.id && name == o.name && description == o.description
           && pattern == o.pattern && trigger == o.trigger && steps == o.steps
           && edges == o.edges;
}

bool DataFlow::operator==(const DataFlow &o) const
{
    return id == o.id && from == o.from && to == o.to && entity == o.entity
           && mapping == o.mapping && workflow == o.workflow && mode == o.mode
           && loopGuard == o.loopGuard && label == o.label;
}

bool Sla::operator==(const Sla &o) const
{
    return id == o.id && name == o.name && workflow == o.workflow
           && fromMilestone == o.fromMilestone && toMilestone == o.toMilestone
           && targetMinutes == o.targetMinutes && targetPercent == o.targetPercent;
}

bool Reconciliation::operator==(const Reconciliation &o) const
{
    return id == o.id && name == o.name && left == o.left && right == o.right
           && leftKey == o.leftKey && rightKey == o.rightKey && fields == o.fields
           && schedule == o.schedule;
}

bool Dataset::operator==(const Dataset &o) const
{
    return id == o.id && name == o.name && system == o.system && entity == o.entity
           && file == o.file && description == o.description;
}

bool TestValue::operator==(const TestValue &o) const
{
    return expression == o.expression && equals == o.equals;
}

bool ProjectTest::operator==(const ProjectTest &o) const
{
    return id == o.id && name == o.name && workflow == o.workflow && input == o.input
           && dataset == o.dataset && record == o.record && approveAll == o.approveAll
           && outcome == o.outcome && step == o.step && reason == o.reason
           && values == o.values;
}

const System *Project::system(const QString &id) const { return findById(systems, id); }
const CanonicalEntity *Project::canonicalEntity(const QString &id) const
{
    return findById(canonical, id);
}
const Mapping *Project::mapping(const QString &id) const { return findById(mappings, id); }
const Workflow *Project::workflow(const QString &id) const { return findById(workflows, id); }

const OwnershipRule *Project::ownershipFor(const QString &entity, const QString &field) const
{
    const OwnershipRule *entityRule = nullptr;
    for (const OwnershipRule &r : ownership) {
        if (r.entity != entity)
            continue;
        if (!field.isEmpty() && r.field == field)
            return &r;
        if (r.field.isEmpty())
            entityRule = &r;
    }
    return entityRule;
}

bool Project::operator==(const Project &o) const
{
    return name == o.name && description == o.description && systems == o.systems
           && canonical == o.canonical && ownership == o.ownership && mappings == o.mappings
           && workflows == o.workflows && flows == o.flows && slas == o.slas
           && reconciliations == o.reconciliations && datasets == o.datasets
           && tests == o.tests;
}

} // namespace sb::model
