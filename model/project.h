#pragma once

// The project document as plain value types; docs/format.md describes each in the file.
// Elements are addressed by stable ids (unique within their collection); views and edits
// refer to them by id, never by pointer. Defaults below are what the JSON format omits.

#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>
#include <utility>

namespace sb::model {

enum class FieldType { String, Integer, Number, Decimal, Boolean, Date, DateTime, Enum, Object, Array };

struct Field
{
    QString name;
    FieldType type = FieldType::String;
    bool required = false;
    QString format;          // e.g. email, uri, iso-country, iso-currency
    QStringList enumValues;  // for Enum
    int maxLength = 0;       // 0: no limit
    QString description;
    QString canonical;       // "Entity.field" of the canonical model this field carries
    FieldType itemType = FieldType::Object; // for Array: type of the items
    QVector<Field> fields;   // children of an Object, or of the items of an Array of objects

    bool operator==(const Field &o) const;
    bool operator!=(const Field &o) const { return !(*this == o); }
};

struct Entity
{
    QString name;            // unique within its system or the canonical model
    QString key;             // name of the field that identifies a record
    // The field a live server addresses records by (/{collection}/{id}), when it is not
    // the key (json-server: "id" while the key is a natural key). Empty: the key.
    QString idField;
    QString description;
    QVector<Field> fields;

    const Field *field(const QString &name) const;
    // idField, else key, else "id".
    QString addressField() const;
    bool operator==(const Entity &o) const;
};

enum class AuthType { None, Bearer, Basic, ApiKey, OAuth2 };

struct EndpointProfile
{
    QString name;            // "sandbox" is the embedded simulated system
    bool sandbox = false;
    QString baseUrl;
    AuthType auth = AuthType::None;
    QString secretRef;       // a reference such as env:CRM_TOKEN, never the secret itself
    double rateLimitPerSecond = 0; // 0: unlimited
    int timeoutMs = 0;       // 0: runtime default
    bool operator==(const EndpointProfile &o) const;
};

enum class SystemKind {
    Crm, Erp, Billing, Subscription, Support, Success, Tax, Payments, Middleware, Custom
};

struct System
{
    QString id;
    QString name;
    SystemKind kind = SystemKind::Custom;
    QString color;           // #rrggbb
    QString description;
    QPointF position;        // landscape canvas
    QVector<Entity> entities;
    QVector<EndpointProfile> profiles;

    const Entity *entity(const QString &name) const;
    bool operator==(const System &o) const;
};

struct CanonicalEntity
{
    QString id;              // also its name in expressions, e.g. Customer
    QString description;
    QString key;
    QVector<Field> fields;
    const Field *field(const QString &name) const;
    bool operator==(const CanonicalEntity &o) const;
};

enum class Survivorship { OwnerWins, SourcePriority, MostRecent };
enum class Freshness { RealTime, WithinMinutes, DailyBatch };

// Ownership of a canonical entity (field empty) or of one of its fields. A field without a
// rule of its own inherits the entity's rule.
struct OwnershipRule
{
    QString entity;
    QString field;
    QStringList owners;      // one expected; more is a governance finding, not a load error
    QStringList contributors;
    QStringList consumers;
    Survivorship survivorship = Survivorship::OwnerWins;
    QStringList priority;    // for SourcePriority: systems, highest first
    QString steward;
    Freshness freshness = Freshness::RealTime;
    int freshnessMinutes = 0;

    QString id() const { return field.isEmpty() ? entity : entity + QLatin1Char('.') + field; }
    bool operator==(const OwnershipRule &o) const;
};

// Source or target of a mapping: a system entity, or a canonical entity (system empty).
struct EntityRef
{
    QString system;
    QString entity;
    bool isCanonical() const { return system.isEmpty(); }
    QString display() const { return isCanonical() ? entity : system + QLatin1Char('.') + entity; }
    bool operator==(const EntityRef &o) const { return system == o.system && entity == o.entity; }
};

struct ValueMap
{
    QString name;
    QVector<std::pair<QString, QString>> entries;
    QString fallback;        // used when no entry matches; empty: keep undefined
    bool hasFallback = false;
    bool operator==(const ValueMap &o) const;
};

// target.path <- expression (JSONata, evaluated against the source record).
struct MappingRule
{
    QString target;          // dotted path in the target entity; "lines[].sku" inside arrays
    QString expression;
    QString condition;       // JSONata; rule applies only when it is truthy
    QString defaultValue;    // JSON text used when the expression yields nothing
    QString valueMap;        // name of a value map applied to the expression's result
    QString description;
    bool operator==(const MappingRule &o) const;
};

struct Mapping
{
    QString id;
    QString name;
    EntityRef source;
    EntityRef target;
    QString condition;       // JSONata; the mapping applies only when truthy
    QVector<MappingRule> rules;
    QVector<ValueMap> valueMaps;
    // A partial mapping (a PATCH body) requires only the target fields it maps.
    bool partial = false;
    const ValueMap *valueMap(const QString &name) const;
    bool operator==(const Mapping &o) const;
};

enum class TriggerType { Webhook, Event, Schedule, Batch };

// How serve authenticates a webhook. Unset means the file says nothing: serve refuses such
// webhooks and validate reports it; None is an explicit, warned-about opt-out.
enum class WebhookAuthType { Unset, None, HmacSha256, Bearer };

struct WebhookAuth
{
    static constexpr int DefaultToleranceSeconds = 300;
    WebhookAuthType type = WebhookAuthType::Unset;
    QString secretRef;       // env:NAME and the other references of model/secrets.h
    int toleranceSeconds = DefaultToleranceSeconds; // hmac-sha256: accepted clock skew
    bool operator==(const WebhookAuth &o) const;
};

struct Trigger
{
    TriggerType type = TriggerType::Webhook;
    QString system;          // which system emits it (webhook, event)
    QString entity;
    QString topic;           // event: internal topic
    QString schedule;        // schedule: cron expression or "every 5m"
    QString format;          // batch: csv, jsonl
    QString eventIdPath;     // JSONata locating the event id, for de-duplication
    QString correlationPath; // JSONata locating the correlation id
    QString filter;          // JSONata; an event for which it is false starts nothing
    QString deadLetter;      // "dlq" (default queue) or a step id; empty: none
    WebhookAuth auth;        // webhook only
    bool operator==(const Trigger &o) const;
};

enum class StepType { Call, Lookup, Map, Validate, Branch, Publish, Wait, Approve, Compensate };

struct RetryPolicy
{
    int maxAttempts = 0;     // 0: no policy given
    int initialBackoffMs = 500;
    double multiplier = 2.0;
    int maxBackoffMs = 60000;
    bool jitter = true;
    bool operator==(const RetryPolicy &o) const;
};

struct Step
{
    QString id;
    QString name;
    StepType type = StepType::Call;
    QPointF position;
    // call / lookup
    QString system;
    QString entity;
    QString method;          // GET, POST, PUT, PATCH, DELETE
    QString path;            // template, e.g. /customers/{customerId}
    QString mapping;         // map step, or the body of a call
    QString idempotencyKey;  // JSONata
    int timeoutMs = 0;       // 0: none given
    RetryPolicy retry;
    QVector<int> transientStatuses;     // beyond the defaults (408, 429, 5xx)
    QVector<int> businessErrorStatuses; // 4xx that go to the exception queue
    QString compensation;    // id of the compensate step that undoes this one
    QString output;          // variable receiving the result
    // Natural key of a create (POST): body fields looked up before creating; a match is
    // updated (PATCH) instead of created again. For targets without Idempotency-Key.
    QStringList upsertKey;
    // call: the body is partial whatever its mapping says (only mapped fields required)
    bool partial = false;
    // validate
    QStringList rules;       // JSONata predicates that must hold
    QStringList ruleMessages; // message of rules[i] when it fails ("" or absent: the rule)
    bool checkSchema = false;
    bool checkOwnership = false;
    // publish
    QString topic;
    // wait
    QString correlation;     // JSONata key matched against the awaited event
    QString matchField;      // dotted path in the event's data holding the key; "": subject
    int waitTimeoutMs = 0;
    // approve
    QString role;
    int escalationMs = 0;
    QString escalateTo;
    // compensate
    QString compensates;     // id of the step this one undoes
    // budget of each JSONata evaluation in this step; 0: the runner's default
    int evalTimeLimitMs = 0;
    int evalMemoryLimitMb = 0;
    bool operator==(const Step &o) const;
    bool writes() const;     // a call that changes the target system
};

enum class EdgeKind { Next, OnError, OnTimeout };

struct Edge
{
    QString from;            // "trigger" or a step id
    QString to;
    EdgeKind kind = EdgeKind::Next;
    QString condition;       // JSONata; for branch steps
    QString label;
    bool operator==(const Edge &o) const;
};

enum class WorkflowPattern { PointToPoint, HubOrchestration, EventDriven, Batch, HumanInTheLoop };

struct Workflow
{
    QString id;
    QString name;
    QString description;
    WorkflowPattern pattern = WorkflowPattern::HubOrchestration;
    Trigger trigger;
    QVector<Step> steps;
    QVector<Edge> edges;
    const Step *step(const QString &id) const;
    bool operator==(const Workflow &o) const;
};

enum class FlowMode { RealTime, Event, Batch };

// A data flow on the landscape: system `from` feeds canonical entity data into `to`.
struct DataFlow
{
    QString id;
    QString from;
    QString to;
    QString entity;          // canonical entity carried
    QString mapping;         // optional mapping that performs it
    QString workflow;        // optional workflow that performs it
    FlowMode mode = FlowMode::RealTime;
    bool loopGuard = false;  // echo suppression: changes that came from `to` are not sent back
    QString label;
    bool operator==(const DataFlow &o) const;
};

struct Sla
{
    QString id;
    QString name;
    QString workflow;
    QString fromMilestone;   // "trigger" or a step id
    QString toMilestone;     // a step id
    int targetMinutes = 0;
    double targetPercent = 95;
    bool operator==(const Sla &o) const;
};

struct Reconciliation
{
    QString id;
    QString name;
    EntityRef left;
    EntityRef right;
    QString leftKey;
    QString rightKey;
    QVector<std::pair<QString, QString>> fields; // left field, right field
    QString schedule;
    bool operator==(const Reconciliation &o) const;
};

struct Dataset
{
    QString id;
    QString name;
    QString system;
    QString entity;
    QString file;            // relative to the project file: .json, .jsonl or .csv
    QString description;
    bool operator==(const Dataset &o) const;
};

// A value a project test expects: a JSONata expression over the instance's variables at
// the end of the run (the document `$$` is to the workflow) and the JSON it must equal.
struct TestValue
{
    QString expression;
    QString equals;          // JSON text
    bool operator==(const TestValue &o) const;
};

// One record through one workflow in the in-process sandbox, and what must come of it.
struct ProjectTest
{
    QString id;
    QString name;
    QString workflow;
    QString input;           // JSON text of the record; empty: `record` of `dataset`
    QString dataset;         // data set id
    QString record;          // the record's key in that data set
    bool approveAll = false; // decide every approval task "approved"
    QString outcome;         // completed, dead-lettered, compensated, failed, waiting, filtered
    QString step;            // dead-lettered or waiting: at this step
    QString reason;          // a regular expression the dead-letter reason must match
    QVector<TestValue> values;
    bool operator==(const ProjectTest &o) const;
};

struct Project
{
    // 2: webhook triggers carry "auth"; version 1 files migrate to an explicit "none".
    static constexpr int CurrentVersion = 2;
    QString name;
    QString description;
    QVector<System> systems;
    QVector<CanonicalEntity> canonical;
    QVector<OwnershipRule> ownership;
    QVector<Mapping> mappings;
    QVector<Workflow> workflows;
    QVector<DataFlow> flows;
    QVector<Sla> slas;
    QVector<Reconciliation> reconciliations;
    QVector<Dataset> datasets;
    QVector<ProjectTest> tests;

    const System *system(const QString &id) const;
    const CanonicalEntity *canonicalEntity(const QString &id) const;
    const Mapping *mapping(const QString &id) const;
    const Workflow *workflow(const QString &id) const;
    // The rule in force for a canonical field: its own, else its entity's; null if none.
    const OwnershipRule *ownershipFor(const QString &entity, const QString &field) const;
    bool operator==(const Project &o) const;
};

// The ids of a collection's elements, in document order (for pickers and selections).
template <typename T>
QStringList idsOf(const QVector<T> &items)
{
    QStringList ids;
    ids.reserve(items.size());
    for (const T &item : items)
        ids << item.id;
    return ids;
}

// Names used in the file format and shown in the studio.
QString toString(FieldType t);
QString toString(SystemKind k);
QString toString(AuthType a);
QString toString(Survivorship s);
QString toString(Freshness f);
QString toString(TriggerType t);
QString toString(WebhookAuthType t); // empty for Unset
QString toString(StepType t);
QString toString(EdgeKind k);
QString toString(WorkflowPattern p);
QString toString(FlowMode m);
std::optional<FieldType> fieldTypeFromString(const QString &s);
std::optional<SystemKind> systemKindFromString(const QString &s);
std::optional<AuthType> authTypeFromString(const QString &s);
std::optional<Survivorship> survivorshipFromString(const QString &s);
std::optional<Freshness> freshnessFromString(const QString &s);
std::optional<TriggerType> triggerTypeFromString(const QString &s);
std::optional<WebhookAuthType> webhookAuthTypeFromString(const QString &s); // never Unset
std::optional<StepType> stepTypeFromString(const QString &s);
std::optional<EdgeKind> edgeKindFromString(const QString &s);
std::optional<WorkflowPattern> workflowPatternFromString(const QString &s);
std::optional<FlowMode> flowModeFromString(const QString &s);

// Finds a field by dotted path ("address.country", "lines.sku"), descending into objects
// and the items of arrays. Null when any segment is unknown.
const Field *findFieldPath(const QVector<Field> &fields, const QString &path);

} // namespace sb::model
