#pragma once

// Internals of the validator shared by its source files, one per family of rules:
// validator.cpp (running, indexes, findings), validator_ownership.cpp (systems, canonical
// model, ownership), validator_mappings.cpp, validator_workflows.cpp and
// validator_flows.cpp (data flows, sync loops, SLAs, reconciliations, data sets).
// Not part of the model's API.

#include "model/validator.h"

#include "model/secrets.h"

#include <QHash>
#include <QSet>
#include <QStringBuilder>

#include <algorithm>
#include <optional>
#include <unordered_map>

namespace sb::model::validatordetail {


// Index into kRules; findings are collected per rule so the output is ordered by rule,
// then by document order, without sorting.
enum RuleIndex : int {
    NoOwner,
    MultipleOwners,
    NonOwnerWrite,
    SyncLoop,
    RequiredUnmapped,
    TypeMismatch,
    UnknownSystem,
    UnknownEntity,
    UnknownField,
    UnknownStep,
    UnknownWorkflow,
    UnknownMapping,
    UnknownValueMap,
    NoIdempotencyKey,
    NoTimeout,
    NoRetry,
    NoDeadLetter,
    UnreachableStep,
    LiteralSecret,
    WebhookNoAuth,
    WebhookUnsigned,
    WebhookLiteralSecret,
    LengthMismatch,
    FormatMismatch,
    EnumMismatch,
    BadSchedule,
    PartialCreate,
    RuleCount
};

inline const RuleInfo kRules[RuleCount] = {
    {"ownership.no-owner", Severity::Error, "A canonical field has no owning system."},
    {"ownership.multiple-owners", Severity::Error,
     "A canonical entity or field has two or more owning systems."},
    {"ownership.non-owner-write", Severity::Error,
     "A mapping or workflow step writes a field into a system that neither owns it nor is a "
     "declared consumer of it."},
    {"flow.sync-loop", Severity::Error,
     "Data flows carry one canonical entity around a cycle of systems without a loop guard."},
    {"mapping.required-unmapped", Severity::Error,
     "A required field of a mapping's target entity is not mapped and has no default."},
    {"mapping.type-mismatch", Severity::Warning,
     "A rule copies a source field into a target field of an incompatible type without a "
     "conversion."},
    {"ref.unknown-system", Severity::Error, "A reference names a system that does not exist."},
    {"ref.unknown-entity", Severity::Error,
     "A reference names an entity that does not exist in its system or the canonical model."},
    {"ref.unknown-field", Severity::Error,
     "A reference names a field that does not exist in its entity."},
    {"ref.unknown-step", Severity::Error,
     "A reference names a step that does not exist in its workflow."},
    {"ref.unknown-workflow", Severity::Error,
     "A reference names a workflow that does not exist."},
    {"ref.unknown-mapping", Severity::Error,
     "A step or data flow names a mapping that does not exist."},
    {"ref.unknown-value-map", Severity::Error,
     "A mapping rule names a value map that the mapping does not define."},
    {"call.no-idempotency-key", Severity::Warning,
     "A POST or PATCH call step has no idempotency key."},
    {"call.no-timeout", Severity::Warning, "A call or lookup step has no timeout."},
    {"call.no-retry", Severity::Warning, "A call or lookup step has no retry policy."},
    {"event.no-dead-letter", Severity::Warning,
     "An event or webhook workflow has neither a dead-letter target nor an on-error path."},
    {"workflow.unreachable-step", Severity::Warning,
     "A step cannot be reached from the workflow's trigger."},
    {"profile.literal-secret", Severity::Error,
     "An endpoint profile holds a literal secret instead of a reference, or its base URL "
     "embeds credentials."},
    {"webhook.no-auth", Severity::Error,
     "A webhook trigger has no authentication configured; serve refuses its webhooks."},
    {"webhook.unsigned", Severity::Warning,
     "A webhook trigger explicitly accepts unauthenticated requests (auth type none)."},
    {"webhook.literal-secret", Severity::Error,
     "A webhook trigger's signing secret or token is missing or literal instead of a "
     "reference."},
    {"mapping.length-mismatch", Severity::Warning,
     "A rule copies a source field whose values can be longer than the target field allows."},
    {"mapping.format-mismatch", Severity::Warning,
     "A rule copies a source field of one string format into a target field of another."},
    {"mapping.enum-mismatch", Severity::Warning,
     "A rule copies an enumeration into one that lacks some of its values, without a value "
     "map."},
    {"workflow.bad-schedule", Severity::Error,
     "A schedule trigger's timing does not parse or never comes (serve would never start it)."},
    {"call.partial-not-patch", Severity::Warning,
     "A call sends a partial body (a partial mapping or step) with a method other than PATCH, "
     "so required fields of the target may be missing."},
};

inline const QString kTrigger = QStringLiteral("trigger");

inline QString quoted(const QString &s) { return QLatin1Char('\'') + s + QLatin1Char('\''); }

// How messages name an element: by its name, the id in brackets so it can still be found in
// the file ("'Closed won' (closed-won)"); just the id when the element has no name of its own.
inline QString named(const QString &name, const QString &id)
{
    if (name.isEmpty() || name == id)
        return quoted(id);
    return quoted(name) % QLatin1String(" (") % id % QLatin1Char(')');
}

// "lines[].sku" and "lines.sku" address the same field.
inline QString normalizePath(const QString &path)
{
    QString p = path.trimmed();
    p.remove(QLatin1String("[]"));
    return p;
}

inline bool isIdentifierStart(QChar c) { return c.isLetter() || c == QLatin1Char('_'); }
inline bool isIdentifierChar(QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_'); }

// A JSONata expression that is only a field path ("a.b", "$.a.b"): returns the path, else
// an empty string. Literals true/false/null are not paths.
inline QString plainPath(const QString &expression)
{
    QString e = expression.trimmed();
    if (e.startsWith(QLatin1String("$.")))
        e = e.mid(2);
    if (e.isEmpty())
        return QString();
    bool atStart = true;
    for (const QChar c : e) {
        if (atStart) {
            if (!isIdentifierStart(c))
                return QString();
            atStart = false;
        } else if (c == QLatin1Char('.')) {
            atStart = true;
        } else if (!isIdentifierChar(c)) {
            return QString();
        }
    }
    if (atStart)
        return QString(); // trailing dot
    if (e == QLatin1String("true") || e == QLatin1String("false")
        || e == QLatin1String("null"))
        return QString();
    return e;
}

// Whether a value of type `from` can be stored in a field of type `to` as is.
inline bool assignable(FieldType from, FieldType to)
{
    if (from == to)
        return true;
    switch (from) {
    case FieldType::Integer:
        return to == FieldType::Number || to == FieldType::Decimal;
    case FieldType::Number:
        return to == FieldType::Decimal;
    case FieldType::Decimal:
        return to == FieldType::Number;
    case FieldType::Enum:
        return to == FieldType::String;
    case FieldType::String:
        return to == FieldType::Enum;
    case FieldType::Date:
        return to == FieldType::DateTime;
    case FieldType::DateTime:
        return to == FieldType::Date;
    default:
        return false;
    }
}

struct PathEntry
{
    const Field *field = nullptr;
    bool throughArray = false; // the path descends into the items of an array
};

// Every dotted path of an entity, so each rule resolves in O(1) instead of a scan.
struct FieldIndex
{
    QHash<QString, PathEntry> byPath;
    QHash<QString, PathEntry> inItems; // relative to the items of any array of objects
};

inline void addPaths(const QVector<Field> &fields, const QString &prefix, bool throughArray,
              QHash<QString, PathEntry> &into, QHash<QString, PathEntry> &items)
{
    for (const Field &f : fields) {
        const QString path = prefix.isEmpty() ? f.name : prefix + QLatin1Char('.') + f.name;
        if (!into.contains(path))
            into.insert(path, {&f, throughArray});
        if (f.fields.isEmpty())
            continue;
        const bool isArray = f.type == FieldType::Array;
        addPaths(f.fields, path, throughArray || isArray, into, items);
        if (isArray)
            addPaths(f.fields, QString(), false, items, items);
    }
}

// Where a finding points and how its messages name the element. Built only when a finding
// is made: most elements have none, and 10,000 rules must not cost 10,000 string builds.
struct Where
{
    QString element;
    QString display;
    QString what; // subject of messages, e.g. "Step 'upsert' of workflow 'sync'"
};

template <typename Build>
class LazyWhere
{
public:
    explicit LazyWhere(Build build) : m_build(std::move(build)) {}
    const Where &operator()() const
    {
        if (!m_where)
            m_where = m_build();
        return *m_where;
    }

private:
    Build m_build;
    mutable std::optional<Where> m_where;
};

template <typename Build>
LazyWhere<Build> lazyWhere(Build build)
{
    return LazyWhere<Build>(std::move(build));
}

// Rule ids as shared strings, so a finding does not allocate its id.
inline const QVector<QString> &ruleIds()
{
    static const QVector<QString> ids = [] {
        QVector<QString> out;
        for (const RuleInfo &r : kRules)
            out << QString::fromLatin1(r.id);
        return out;
    }();
    return ids;
}

struct WriteHit
{
    QString link;   // canonical field, "Customer.taxId"
    QString target; // mapping target path
    QString why;
};

struct Resolved
{
    const QVector<Field> *fields = nullptr; // null when the entity is unknown
    QString label;                          // "crm.Account" or "Customer"
};

class Validator
{
public:
    explicit Validator(const Project &p) : m_p(p), m_buckets(RuleCount) { buildIndexes(); }

    QVector<Finding> run(ValidationCache *cache = nullptr);

private:
    const Project &m_p;
    QVector<QVector<Finding>> m_buckets;
    QHash<QString, const System *> m_systems;
    QHash<QString, const Entity *> m_entities; // "system\nEntity"
    QHash<QString, const CanonicalEntity *> m_canonical;
    QHash<QString, const OwnershipRule *> m_fieldRules;  // "Entity.field"
    QHash<QString, const OwnershipRule *> m_entityRules; // "Entity"
    QHash<QString, const Mapping *> m_mappings;
    QHash<QString, const Workflow *> m_workflows;
    // Mappings used by steps, all of them marked partial: checked like partial mappings.
    QSet<QString> m_partialByUse;
    // Node-based on purpose: indexOf() hands out references that must survive later inserts.
    std::unordered_map<const QVector<Field> *, FieldIndex> m_fieldIndexes;
    QHash<QPair<const Mapping *, QString>, QVector<WriteHit>> m_stepWrites;
    // Who may write under a rule, as a set: a landscape may list a thousand consumers.
    struct WriteRule
    {
        QSet<QString> allowed;  // owners and consumers
        QString why;            // empty when the rule names no owner
    };
    QHash<QString, QString> m_writeVerdicts; // "link\nsystem" -> why not allowed, or empty
    QHash<const OwnershipRule *, WriteRule> m_writeRules;

    // Mappings whose own content and context are unchanged since the cache was filled get
    // their recorded findings back, in the same buckets and order as checking them would.
    void checkMappings(ValidationCache &cache);

    void add(RuleIndex rule, const QString &element, const QString &display,
             const QString &message);

    void add(RuleIndex rule, const Where &where, const QString &message);
    // A non-owner write of canonical field `link` into `system`, with both as data.
    void addWrite(const Where &where, const QString &message, const QString &link,
                  const QString &system);

    void buildIndexes();

    const FieldIndex &indexOf(const QVector<Field> &fields);

    const OwnershipRule *ruleFor(const QString &entity, const QString &field) const;

    static QStringList distinct(const QStringList &ids);

    // Resolves a system or canonical entity, reporting unknown systems and entities.
    template <typename W>
    Resolved resolve(const QString &system, const QString &entity, const W &where,
                     const QString &role = QString());

    // A system as messages name it: named(name, id), or quoted(id) when it does not exist.
    QString systemNamed(const QString &system) const;
    // "CRM.Account": the system's name (its id when it has none) and the entity.
    QString entityLabel(const QString &system, const QString &entity) const;
    // "'CRM' (crm), 'ERP' (erp)".
    QString systemList(const QStringList &ids) const;

    void checkSystemRef(const QString &system, const QString &element, const QString &display,
                        const QString &what);

    // ---- systems: canonical links of fields, endpoint profiles

    void checkCanonicalLinks(const QVector<Field> &fields, const QString &entityElement,
                             const QString &entityLabel, const QString &prefix);

    void checkProfile(const System &s, const EndpointProfile &pr);

    void checkSystems();

    // ---- canonical model and ownership

    void checkCanonical();

    void checkOwnership();

    // Canonical fields ("Entity.field") a write of `f` touches: its own link and those of
    // its children when the rule writes a whole object or array.
    static void canonicalLinks(const Field &f, QStringList &out);

    // Empty when `system` may be written for canonical field `link`; else why it may not.
    // Cached: the same few links are written by thousands of rules.
    QString writeViolation(const QString &link, const QString &system);

    QString computeWriteViolation(const QString &link, const QString &system);

    const WriteRule &writeRuleFor(const OwnershipRule *r);

    // ---- mappings

    static QString mappingLabel(const Mapping &m);

    void checkMapping(const Mapping &m);

    void checkValues(const Mapping &m, const MappingRule &rule, const Field &from,
                     const Field &to, const QString &srcLabel, const QString &tgtLabel,
                     const Where &where);
    void checkTypes(const Mapping &m, const MappingRule &rule, const PathEntry &sf,
                    const PathEntry &tf, const QString &srcLabel, const QString &tgtLabel,
                    const Where &where);

    // Required fields of `fields` (at `prefix`) that no rule maps; descends into objects and
    // arrays of objects that are built field by field, not as a whole.
    void checkRequired(const QVector<Field> &fields, const QString &prefix,
                       const QSet<QString> &mapped, const QSet<QString> &prefixes,
                       const Where &where, const QString &tgtLabel);

    // ---- workflows

    void checkWorkflow(const Workflow &w);

    void checkWebhookAuth(const WebhookAuth &a, const QString &element, const QString &display,
                          const QString &what);

    // A write step sends the mapping's result to the step's system: each target field must
    // be owned by, or replicated to, that system. A mapping that targets the same system's
    // entity is already checked rule by rule, so it is not reported twice.
    template <typename W>
    void checkStepWrites(const Step &s, const Mapping &m, const W &at);

    // The canonical fields a mapping's result may not write into `system`, once per
    // (mapping, system): many steps send the same mapping to the same system.
    QVector<WriteHit> stepWriteHits(const Mapping &m, const QVector<Field> &fields,
                                    const QString &system);

    void checkReachability(const Workflow &w, const QHash<QString, int> &stepIndex,
                           const QString &wElement, const QString &wLabel);

    // ---- data flows, SLAs, reconciliations, data sets

    // "'CRM \u2192 ERP' (crm-erp)": the flow's label, else the systems it joins.
    QString flowNamed(const DataFlow &f) const;

    void checkFlows();

    // Per canonical entity, unguarded flows form a graph of systems; every strongly
    // connected component with a cycle is one loop (Tarjan, O(flows)).
    void checkSyncLoops();

    template <typename Loops>
    void findLoops(const QString &entity, const QVector<int> &flowIdx, Loops &loops);

    void checkSlas();

    void checkReconciliations();

    void checkDatasets();
};

template <typename W>
Resolved Validator::resolve(const QString &system, const QString &entity, const W &where,
                 const QString &role)
{
    auto what = [&] { return where().what + role; };
    Resolved r;
    if (system.isEmpty()) {
        r.label = entity;
        if (const CanonicalEntity *c = m_canonical.value(entity)) {
            r.fields = &c->fields;
        } else {
            add(UnknownEntity, where(),
                QStringLiteral("%1 names canonical entity %2, which does not exist")
                    .arg(what(), quoted(entity)));
        }
        return r;
    }
    r.label = entityLabel(system, entity);
    if (!m_systems.contains(system)) {
        add(UnknownSystem, where(),
            QStringLiteral("%1 names system %2, which does not exist")
                .arg(what(), quoted(system)));
        return r;
    }
    if (entity.isEmpty())
        return r;
    if (const Entity *e = m_entities.value(system + QLatin1Char('\n') + entity)) {
        r.fields = &e->fields;
    } else {
        add(UnknownEntity, where(),
            QStringLiteral("%1 names entity %2 of system %3, which does not exist")
                .arg(what(), quoted(entity), systemNamed(system)));
    }
    return r;
}

} // namespace sb::model::validatordetail
