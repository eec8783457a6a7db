#include "model/validator.h"

#include "model/secrets.h"

#include <QHash>
#include <QStringBuilder>
#include <QSet>

#include <algorithm>
#include <unordered_map>
#include <optional>

namespace sb::model {

QString toString(Severity s)
{
    switch (s) {
    case Severity::Info: return QStringLiteral("info");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Error: return QStringLiteral("error");
    }
    return QString();
}

namespace {

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
    RuleCount
};

const RuleInfo kRules[RuleCount] = {
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
};

const QString kTrigger = QStringLiteral("trigger");

QString quoted(const QString &s) { return QLatin1Char('\'') + s + QLatin1Char('\''); }

// "lines[].sku" and "lines.sku" address the same field.
QString normalizePath(const QString &path)
{
    QString p = path.trimmed();
    p.remove(QLatin1String("[]"));
    return p;
}

bool isIdentifierStart(QChar c) { return c.isLetter() || c == QLatin1Char('_'); }
bool isIdentifierChar(QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_'); }

// A JSONata expression that is only a field path ("a.b", "$.a.b"): returns the path, else
// an empty string. Literals true/false/null are not paths.
QString plainPath(const QString &expression)
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
bool assignable(FieldType from, FieldType to)
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

void addPaths(const QVector<Field> &fields, const QString &prefix, bool throughArray,
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
const QVector<QString> &ruleIds()
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

    QVector<Finding> run(ValidationCache *cache = nullptr)
    {
        checkSystems();
        checkCanonical();
        checkOwnership();
        if (cache) {
            checkMappings(*cache);
        } else {
            for (const Mapping &m : m_p.mappings)
                checkMapping(m);
        }
        for (const Workflow &w : m_p.workflows)
            checkWorkflow(w);
        checkFlows();
        checkSlas();
        checkReconciliations();
        checkDatasets();

        QVector<Finding> out;
        qsizetype total = 0;
        for (const auto &b : m_buckets)
            total += b.size();
        out.reserve(total);
        for (auto &b : m_buckets)
            out += std::move(b);
        return out;
    }

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
    void checkMappings(ValidationCache &cache)
    {
        const bool sameContext = cache.primed && cache.systems == m_p.systems
                                 && cache.canonical == m_p.canonical
                                 && cache.ownership == m_p.ownership;
        QHash<QString, ValidationCache::MappingEntry> next;
        next.reserve(m_p.mappings.size());
        cache.reusedMappings = 0;
        for (const Mapping &m : m_p.mappings) {
            if (sameContext) {
                auto it = cache.mappings.constFind(m.id);
                if (it != cache.mappings.constEnd() && it->mapping == m) {
                    for (const auto &[rule, finding] : it->findings)
                        m_buckets[rule].push_back(finding);
                    next.insert(m.id, *it);
                    ++cache.reusedMappings;
                    continue;
                }
            }
            QVector<qsizetype> before(RuleCount);
            for (int r = 0; r < RuleCount; ++r)
                before[r] = m_buckets[r].size();
            checkMapping(m);
            ValidationCache::MappingEntry entry{m, {}};
            for (int r = 0; r < RuleCount; ++r) {
                for (qsizetype i = before[r]; i < m_buckets[r].size(); ++i)
                    entry.findings.append({r, m_buckets[r][i]});
            }
            // A repeated id is a finding of its own; only the first keeps a cache entry.
            if (!next.contains(m.id))
                next.insert(m.id, std::move(entry));
        }
        cache.mappings = std::move(next);
        cache.systems = m_p.systems;
        cache.canonical = m_p.canonical;
        cache.ownership = m_p.ownership;
        cache.primed = true;
    }

    void add(RuleIndex rule, const QString &element, const QString &display,
             const QString &message)
    {
        Finding f;
        f.ruleId = ruleIds()[rule];
        f.severity = kRules[rule].severity;
        f.message = message;
        f.location.element = element;
        f.location.display = display;
        m_buckets[rule].push_back(std::move(f));
    }

    void add(RuleIndex rule, const Where &where, const QString &message)
    {
        add(rule, where.element, where.display, message);
    }

    void buildIndexes()
    {
        m_systems.reserve(m_p.systems.size());
        for (const System &s : m_p.systems) {
            if (!m_systems.contains(s.id))
                m_systems.insert(s.id, &s);
            for (const Entity &e : s.entities) {
                const QString key = s.id + QLatin1Char('\n') + e.name;
                if (!m_entities.contains(key))
                    m_entities.insert(key, &e);
            }
        }
        for (const CanonicalEntity &c : m_p.canonical) {
            if (!m_canonical.contains(c.id))
                m_canonical.insert(c.id, &c);
        }
        // Same precedence as Project::ownershipFor (first field rule, last entity rule), but
        // hashed: ownershipFor scans every rule and would make the checks quadratic.
        for (const OwnershipRule &r : m_p.ownership) {
            if (r.field.isEmpty())
                m_entityRules.insert(r.entity, &r);
            else if (!m_fieldRules.contains(r.id()))
                m_fieldRules.insert(r.id(), &r);
        }
        for (const Mapping &m : m_p.mappings) {
            if (!m_mappings.contains(m.id))
                m_mappings.insert(m.id, &m);
        }
        for (const Workflow &w : m_p.workflows) {
            if (!m_workflows.contains(w.id))
                m_workflows.insert(w.id, &w);
        }
    }

    const FieldIndex &indexOf(const QVector<Field> &fields)
    {
        auto [it, inserted] = m_fieldIndexes.try_emplace(&fields);
        if (inserted)
            addPaths(fields, QString(), false, it->second.byPath, it->second.inItems);
        return it->second;
    }

    const OwnershipRule *ruleFor(const QString &entity, const QString &field) const
    {
        if (!field.isEmpty()) {
            if (const OwnershipRule *r = m_fieldRules.value(entity + QLatin1Char('.') + field))
                return r;
            // A nested canonical field ("address.country") falls back to its top field.
            const int dot = field.indexOf(QLatin1Char('.'));
            if (dot > 0) {
                const QString top = entity + QLatin1Char('.') + field.left(dot);
                if (const OwnershipRule *r = m_fieldRules.value(top))
                    return r;
            }
        }
        return m_entityRules.value(entity);
    }

    static QStringList distinct(const QStringList &ids)
    {
        QStringList out;
        for (const QString &id : ids) {
            if (!out.contains(id))
                out << id;
        }
        return out;
    }

    // Resolves a system or canonical entity, reporting unknown systems and entities.
    template <typename W>
    Resolved resolve(const QString &system, const QString &entity, const W &where,
                     const QString &role = QString())
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
        r.label = system + QLatin1Char('.') + entity;
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
                    .arg(what(), quoted(entity), quoted(system)));
        }
        return r;
    }

    void checkSystemRef(const QString &system, const QString &element, const QString &display,
                        const QString &what)
    {
        if (!system.isEmpty() && !m_systems.contains(system))
            add(UnknownSystem, element, display,
                QStringLiteral("%1 names system %2, which does not exist")
                    .arg(what, quoted(system)));
    }

    // ---- systems: canonical links of fields, endpoint profiles

    void checkCanonicalLinks(const QVector<Field> &fields, const QString &entityElement,
                             const QString &entityLabel, const QString &prefix)
    {
        for (const Field &f : fields) {
            // Runs on every field of every system at each revalidation: strings are built
            // only for a field that links somewhere, messages only for a finding.
            if (f.canonical.isEmpty() && f.fields.isEmpty())
                continue;
            const QString path = prefix.isEmpty() ? f.name : prefix + QLatin1Char('.') + f.name;
            if (!f.canonical.isEmpty()) {
                const int dot = f.canonical.indexOf(QLatin1Char('.'));
                const QString entity = dot < 0 ? f.canonical : f.canonical.left(dot);
                const CanonicalEntity *c = m_canonical.value(entity);
                const bool knownField =
                    c && dot >= 0
                    && indexOf(c->fields).byPath.contains(normalizePath(f.canonical.mid(dot + 1)));
                if (!c || !knownField) {
                    const QString element = entityElement + QStringLiteral("/field:") + path;
                    const QString display = QStringLiteral("Field %1.%2").arg(entityLabel, path);
                    if (!c) {
                        add(UnknownEntity, element, display,
                            QStringLiteral("Field %1.%2 links to canonical %3, but canonical "
                                           "entity %4 does not exist")
                                .arg(entityLabel, path, quoted(f.canonical), quoted(entity)));
                    } else {
                        add(UnknownField, element, display,
                            QStringLiteral("Field %1.%2 links to canonical %3, which is not a "
                                           "field of %4")
                                .arg(entityLabel, path, quoted(f.canonical), entity));
                    }
                }
            }
            if (!f.fields.isEmpty())
                checkCanonicalLinks(f.fields, entityElement, entityLabel, path);
        }
    }

    void checkProfile(const System &s, const EndpointProfile &pr)
    {
        const QString element = QStringLiteral("system:%1/profile:%2").arg(s.id, pr.name);
        const QString display = QStringLiteral("Profile %1 of system %2").arg(pr.name, s.id);
        for (const QString &leak : secretLeaks(pr)) {
            add(LiteralSecret, element, display,
                QStringLiteral("Profile %1 of system %2 %3").arg(quoted(pr.name), s.id, leak));
        }
    }

    void checkSystems()
    {
        for (const System &s : m_p.systems) {
            for (const Entity &e : s.entities) {
                const QString element = QStringLiteral("system:%1/entity:%2").arg(s.id, e.name);
                checkCanonicalLinks(e.fields, element, s.id + QLatin1Char('.') + e.name,
                                    QString());
            }
            for (const EndpointProfile &pr : s.profiles)
                checkProfile(s, pr);
        }
    }

    // ---- canonical model and ownership

    void checkCanonical()
    {
        for (const CanonicalEntity &c : m_p.canonical) {
            for (const Field &f : c.fields) {
                const OwnershipRule *r = ruleFor(c.id, f.name);
                if (r && !distinct(r->owners).isEmpty())
                    continue;
                const QString id = c.id + QLatin1Char('.') + f.name;
                const QString why = r ? QStringLiteral("ownership rule %1 lists no owner")
                                            .arg(r->id())
                                      : QStringLiteral("no ownership rule for the field or "
                                                       "its entity");
                add(NoOwner, QStringLiteral("canonical:%1/field:%2").arg(c.id, f.name),
                    QStringLiteral("Canonical field %1").arg(id),
                    QStringLiteral("%1 has no owner (%2)").arg(id, why));
            }
        }
    }

    void checkOwnership()
    {
        for (const OwnershipRule &r : m_p.ownership) {
            const QString element = QStringLiteral("ownership:") + r.id();
            const QString display = QStringLiteral("Ownership of %1").arg(r.id());
            const QStringList owners = distinct(r.owners);
            if (owners.size() >= 2) {
                add(MultipleOwners, element, display,
                    QStringLiteral("%1 has %2 owners: %3; choose one system of record and "
                                   "make the others contributors or consumers")
                        .arg(r.id())
                        .arg(owners.size())
                        .arg(owners.join(QStringLiteral(", "))));
            }
            const CanonicalEntity *c = m_canonical.value(r.entity);
            if (!c) {
                add(UnknownEntity, element, display,
                    QStringLiteral("Ownership rule %1 names canonical entity %2, which does "
                                   "not exist")
                        .arg(r.id(), quoted(r.entity)));
            } else if (!r.field.isEmpty()
                       && !indexOf(c->fields).byPath.contains(normalizePath(r.field))) {
                add(UnknownField, element, display,
                    QStringLiteral("Ownership rule %1 names field %2, which is not a field of "
                                   "canonical entity %3")
                        .arg(r.id(), quoted(r.field), r.entity));
            }
            const std::pair<const char *, const QStringList *> roles[] = {
                {"owner", &r.owners},
                {"contributor", &r.contributors},
                {"consumer", &r.consumers},
                {"priority entry", &r.priority}};
            for (const auto &[role, ids] : roles) {
                for (const QString &sys : *ids) {
                    if (!m_systems.contains(sys))
                        add(UnknownSystem, element, display,
                            QStringLiteral("Ownership rule %1: %2 %3 is not a system of the "
                                           "project")
                                .arg(r.id(), QLatin1String(role), quoted(sys)));
                }
            }
        }
    }

    // Canonical fields ("Entity.field") a write of `f` touches: its own link and those of
    // its children when the rule writes a whole object or array.
    static void canonicalLinks(const Field &f, QStringList &out)
    {
        if (!f.canonical.isEmpty())
            out << f.canonical;
        for (const Field &c : f.fields)
            canonicalLinks(c, out);
    }

    // Empty when `system` may be written for canonical field `link`; else why it may not.
    // Cached: the same few links are written by thousands of rules.
    QString writeViolation(const QString &link, const QString &system)
    {
        const QString key = link + QLatin1Char('\n') + system;
        auto it = m_writeVerdicts.constFind(key);
        if (it == m_writeVerdicts.constEnd())
            it = m_writeVerdicts.insert(key, computeWriteViolation(link, system));
        return *it;
    }

    QString computeWriteViolation(const QString &link, const QString &system)
    {
        const int dot = link.indexOf(QLatin1Char('.'));
        if (dot <= 0)
            return QString();
        const OwnershipRule *r = ruleFor(link.left(dot), link.mid(dot + 1));
        if (!r)
            return QString(); // ownership.no-owner reports it
        const WriteRule &w = writeRuleFor(r);
        if (w.why.isEmpty() || w.allowed.contains(system))
            return QString();
        return w.why;
    }

    const WriteRule &writeRuleFor(const OwnershipRule *r)
    {
        auto it = m_writeRules.find(r);
        if (it != m_writeRules.end())
            return *it;
        WriteRule w;
        const QStringList owners = distinct(r->owners);
        if (!owners.isEmpty()) {
            w.allowed = QSet<QString>(owners.cbegin(), owners.cend());
            for (const QString &c : r->consumers)
                w.allowed.insert(c);
            w.why = QStringLiteral("which is neither its owner (%1) nor a declared consumer")
                        .arg(owners.join(QStringLiteral(", ")));
        }
        return *m_writeRules.insert(r, w);
    }

    // ---- mappings

    static QString mappingLabel(const Mapping &m)
    {
        return QStringLiteral("Mapping %1").arg(quoted(m.name.isEmpty() ? m.id : m.name));
    }

    void checkMapping(const Mapping &m)
    {
        const Where mw{QStringLiteral("mapping:") + m.id, mappingLabel(m),
                       QStringLiteral("Mapping ") + quoted(m.id)};
        const QString &what = mw.what;
        auto mappingWhere = [&mw]() -> const Where & { return mw; };
        const Resolved src = resolve(m.source.system, m.source.entity, mappingWhere,
                                     QStringLiteral(" (source)"));
        const Resolved tgt = resolve(m.target.system, m.target.entity, mappingWhere,
                                     QStringLiteral(" (target)"));
        const FieldIndex *srcIdx = src.fields ? &indexOf(*src.fields) : nullptr;
        const FieldIndex *tgtIdx = tgt.fields ? &indexOf(*tgt.fields) : nullptr;

        QSet<QString> valueMaps;
        for (const ValueMap &v : m.valueMaps)
            valueMaps.insert(v.name);

        QSet<QString> mapped;   // normalized targets of rules that produce a value
        QSet<QString> prefixes; // every proper prefix of those targets
        for (qsizetype i = 0; i < m.rules.size(); ++i) {
            const MappingRule &rule = m.rules[i];
            const auto at = lazyWhere([&mw, i] {
                return Where{mw.element + QStringLiteral("/rule:") + QString::number(i),
                             mw.display + QStringLiteral(", rule ") + QString::number(i + 1),
                             mw.what};
            });
            const QString target = normalizePath(rule.target);
            if (!rule.expression.trimmed().isEmpty() || !rule.defaultValue.isEmpty()) {
                mapped.insert(target);
                for (int dot = target.indexOf(QLatin1Char('.')); dot > 0;
                     dot = target.indexOf(QLatin1Char('.'), dot + 1))
                    prefixes.insert(target.left(dot));
            }

            if (!rule.valueMap.isEmpty() && !valueMaps.contains(rule.valueMap)) {
                add(UnknownValueMap, at(),
                    QStringLiteral("%1 rule for %2 uses value map %3, which the mapping does "
                                   "not define")
                        .arg(what, quoted(rule.target), quoted(rule.valueMap)));
            }

            PathEntry tf;
            if (tgtIdx) {
                tf = tgtIdx->byPath.value(target);
                if (!tf.field) {
                    add(UnknownField, at(),
                        QStringLiteral("%1 targets %2, which is not a field of %3")
                            .arg(what, quoted(rule.target), tgt.label));
                }
            }

            const QString sourcePath = plainPath(rule.expression);
            PathEntry sf;
            if (srcIdx && !sourcePath.isEmpty()) {
                sf = srcIdx->byPath.value(sourcePath);
                // Inside an array the expression may be relative to the source item.
                const bool inArray = rule.target.contains(QLatin1String("[]")) || tf.throughArray;
                if (!sf.field && inArray)
                    sf = srcIdx->inItems.value(sourcePath);
                if (!sf.field) {
                    add(UnknownField, at(),
                        QStringLiteral("%1 rule for %2 reads %3, which is not a field of %4")
                            .arg(what, quoted(rule.target), quoted(sourcePath), src.label));
                }
            }

            if (sf.field && tf.field && rule.valueMap.isEmpty())
                checkTypes(m, rule, sf, tf, src.label, tgt.label, at());

            if (tf.field && !m.target.isCanonical()
                && (!tf.field->canonical.isEmpty() || !tf.field->fields.isEmpty())) {
                QStringList links;
                canonicalLinks(*tf.field, links);
                for (const QString &link : links) {
                    const QString why = writeViolation(link, m.target.system);
                    if (why.isEmpty())
                        continue;
                    // Concatenation, not arg(): this message can be made 10,000 times.
                    add(NonOwnerWrite, at(),
                        what % QLatin1String(" writes ") % link % QLatin1String(" (")
                            % tgt.label % QLatin1Char('.') % target % QLatin1String(") into ")
                            % m.target.system % QLatin1String(", ") % why);
                }
            }
        }

        if (tgt.fields)
            checkRequired(*tgt.fields, QString(), mapped, prefixes, mw, tgt.label);
    }

    void checkTypes(const Mapping &m, const MappingRule &rule, const PathEntry &sf,
                    const PathEntry &tf, const QString &srcLabel, const QString &tgtLabel,
                    const Where &where)
    {
        FieldType from = sf.field->type;
        FieldType to = tf.field->type;
        const bool targetInArray = tf.throughArray || rule.target.contains(QLatin1String("[]"));
        const bool listOfLeaves = sf.throughArray && !targetInArray;
        if (listOfLeaves) {
            // A path through an array yields a list: only comparable with an array target.
            if (to != FieldType::Array)
                return;
            to = tf.field->itemType;
        } else if (from == FieldType::Array && to == FieldType::Array) {
            from = sf.field->itemType;
            to = tf.field->itemType;
        }
        if (assignable(from, to))
            return;
        auto typeName = [](const Field &f) {
            return f.type == FieldType::Array
                       ? QStringLiteral("array of %1").arg(toString(f.itemType))
                       : toString(f.type);
        };
        const QString fromName = listOfLeaves
                                     ? QStringLiteral("list of %1").arg(toString(from))
                                     : typeName(*sf.field);
        add(TypeMismatch, where,
            QStringLiteral("Mapping %1 copies %2.%3 (%4) into %5.%6 (%7) without a "
                           "conversion")
                .arg(quoted(m.id), srcLabel, plainPath(rule.expression), fromName, tgtLabel,
                     normalizePath(rule.target), typeName(*tf.field)));
    }

    // Required fields of `fields` (at `prefix`) that no rule maps; descends into objects and
    // arrays of objects that are built field by field, not as a whole.
    void checkRequired(const QVector<Field> &fields, const QString &prefix,
                       const QSet<QString> &mapped, const QSet<QString> &prefixes,
                       const Where &where, const QString &tgtLabel)
    {
        for (const Field &f : fields) {
            const QString path = prefix.isEmpty() ? f.name : prefix + QLatin1Char('.') + f.name;
            if (mapped.contains(path))
                continue; // mapped as a whole: its children come with it
            const bool viaChildren = prefixes.contains(path);
            if (viaChildren) {
                checkRequired(f.fields, path, mapped, prefixes, where, tgtLabel);
                continue;
            }
            if (f.required)
                add(RequiredUnmapped, where,
                    QStringLiteral("%1 leaves required field %2.%3 unmapped (no rule and no "
                                   "default)")
                        .arg(where.what, tgtLabel, path));
        }
    }

    // ---- workflows

    void checkWorkflow(const Workflow &w)
    {
        const QString wElement = QStringLiteral("workflow:") + w.id;
        const QString wLabel =
            QStringLiteral("Workflow %1").arg(quoted(w.name.isEmpty() ? w.id : w.name));
        const QString what = QStringLiteral("Workflow %1").arg(quoted(w.id));

        QHash<QString, int> stepIndex;
        stepIndex.reserve(w.steps.size());
        for (int i = 0; i < w.steps.size(); ++i) {
            if (!stepIndex.contains(w.steps[i].id))
                stepIndex.insert(w.steps[i].id, i);
        }

        // Trigger.
        const Trigger &t = w.trigger;
        const QString tElement = wElement + QStringLiteral("/trigger");
        const QString tLabel = wLabel + QStringLiteral(", trigger");
        const Where tw{tElement, tLabel, what + QStringLiteral(" trigger")};
        if (!t.system.isEmpty() || !t.entity.isEmpty())
            resolve(t.system, t.entity, [&tw]() -> const Where & { return tw; });
        if (!t.deadLetter.isEmpty() && t.deadLetter != QLatin1String("dlq")
            && !stepIndex.contains(t.deadLetter)) {
            add(UnknownStep, tElement, tLabel,
                QStringLiteral("%1 trigger dead-letters to step %2, which does not exist")
                    .arg(what, quoted(t.deadLetter)));
        }

        if (t.type == TriggerType::Webhook)
            checkWebhookAuth(t.auth, tElement, tLabel, what);

        bool hasOnError = false;
        for (const Edge &e : w.edges)
            hasOnError = hasOnError || e.kind == EdgeKind::OnError;

        // Steps.
        for (const Step &s : w.steps) {
            const auto at = lazyWhere([&] {
                return Where{wElement + QStringLiteral("/step:") + s.id,
                             wLabel + QStringLiteral(", step ")
                                 + quoted(s.name.isEmpty() ? s.id : s.name),
                             QStringLiteral("Step ") + quoted(s.id)
                                 + QStringLiteral(" of workflow ") + quoted(w.id)};
            });
            if (!s.system.isEmpty() || !s.entity.isEmpty())
                resolve(s.system, s.entity, at);
            if (!s.compensation.isEmpty() && !stepIndex.contains(s.compensation))
                add(UnknownStep, at(),
                    QStringLiteral("%1 names compensation step %2, which does not exist")
                        .arg(at().what, quoted(s.compensation)));
            if (!s.compensates.isEmpty() && !stepIndex.contains(s.compensates))
                add(UnknownStep, at(),
                    QStringLiteral("%1 compensates step %2, which does not exist")
                        .arg(at().what, quoted(s.compensates)));
            const Mapping *mapping = nullptr;
            if (!s.mapping.isEmpty()) {
                mapping = m_mappings.value(s.mapping);
                if (!mapping)
                    add(UnknownMapping, at(),
                        QStringLiteral("%1 uses mapping %2, which does not exist")
                            .arg(at().what, quoted(s.mapping)));
            }
            if (mapping && s.writes() && m_systems.contains(s.system))
                checkStepWrites(s, *mapping, at);

            const bool isCall = s.type == StepType::Call;
            if (isCall || s.type == StepType::Lookup) {
                const QString method = s.method.trimmed().toUpper();
                if (isCall && s.idempotencyKey.trimmed().isEmpty()
                    && (method == QLatin1String("POST") || method == QLatin1String("PATCH")))
                    add(NoIdempotencyKey, at(),
                        QStringLiteral("%1 sends %2 to %3 without an idempotency key; a retry "
                                       "may apply the change twice")
                            .arg(at().what, method, s.system.isEmpty() ? s.path : s.system));
                const QString target =
                    s.system.isEmpty() ? QStringLiteral("its system") : s.system;
                if (s.timeoutMs <= 0)
                    add(NoTimeout, at(),
                        at().what % QLatin1String(" calls ") % target
                            % QLatin1String(" without a timeout"));
                if (s.retry.maxAttempts <= 0)
                    add(NoRetry, at(),
                        at().what % QLatin1String(" calls ") % target
                            % QLatin1String(" without a retry policy"));
            }
        }

        if ((t.type == TriggerType::Event || t.type == TriggerType::Webhook)
            && t.deadLetter.isEmpty() && !hasOnError) {
            add(NoDeadLetter, tElement, tLabel,
                QStringLiteral("%1 consumes %2 %3 but has no dead-letter target and no "
                               "on-error edge: failed messages are lost")
                    .arg(what, toString(t.type),
                         quoted(!t.topic.isEmpty() ? t.topic
                                                   : (t.system.isEmpty()
                                                          ? t.entity
                                                          : t.system + QLatin1Char('.')
                                                                + t.entity))));
        }

        checkReachability(w, stepIndex, wElement, wLabel);
    }

    void checkWebhookAuth(const WebhookAuth &a, const QString &element, const QString &display,
                          const QString &what)
    {
        switch (a.type) {
        case WebhookAuthType::Unset:
            add(WebhookNoAuth, element, display,
                QStringLiteral("%1 webhook has no authentication configured, so serve answers "
                               "401 to it; set auth to hmac-sha256 or bearer with a secret "
                               "reference, or to none to accept unsigned requests")
                    .arg(what));
            return;
        case WebhookAuthType::None:
            add(WebhookUnsigned, element, display,
                QStringLiteral("%1 webhook accepts unsigned requests from anyone who can "
                               "reach the runner (auth type none)").arg(what));
            return;
        case WebhookAuthType::HmacSha256:
        case WebhookAuthType::Bearer: {
            const QString problem = webhookSecretProblem(a);
            if (!problem.isEmpty())
                add(WebhookLiteralSecret, element, display,
                    QStringLiteral("%1 webhook auth %2").arg(what, problem));
            return;
        }
        }
    }

    // A write step sends the mapping's result to the step's system: each target field must
    // be owned by, or replicated to, that system. A mapping that targets the same system's
    // entity is already checked rule by rule, so it is not reported twice.
    template <typename W>
    void checkStepWrites(const Step &s, const Mapping &m, const W &at)
    {
        if (!m.target.isCanonical() && m.target.system == s.system)
            return;
        const QVector<Field> *fields = nullptr;
        if (m.target.isCanonical()) {
            if (const CanonicalEntity *c = m_canonical.value(m.target.entity))
                fields = &c->fields;
        } else if (const Entity *e = m_entities.value(m.target.system + QLatin1Char('\n')
                                                      + m.target.entity)) {
            fields = &e->fields;
        }
        if (!fields)
            return;
        const QPair<const Mapping *, QString> key(&m, s.system);
        auto it = m_stepWrites.constFind(key);
        if (it == m_stepWrites.constEnd())
            it = m_stepWrites.insert(key, stepWriteHits(m, *fields, s.system));
        for (const WriteHit &hit : *it) {
            add(NonOwnerWrite, at(),
                at().what % QLatin1String(" writes ") % hit.link % QLatin1String(" (mapping ")
                    % quoted(m.id) % QLatin1String(", target ") % hit.target
                    % QLatin1String(") into ") % s.system % QLatin1String(", ") % hit.why);
        }
    }

    // The canonical fields a mapping's result may not write into `system`, once per
    // (mapping, system): many steps send the same mapping to the same system.
    QVector<WriteHit> stepWriteHits(const Mapping &m, const QVector<Field> &fields,
                                    const QString &system)
    {
        QVector<WriteHit> hits;
        const FieldIndex &idx = indexOf(fields);
        QSet<QString> reported;
        for (const MappingRule &rule : m.rules) {
            const QString target = normalizePath(rule.target);
            const PathEntry tf = idx.byPath.value(target);
            if (!tf.field)
                continue;
            QStringList links;
            if (m.target.isCanonical())
                links << m.target.entity + QLatin1Char('.') + target;
            else
                canonicalLinks(*tf.field, links);
            for (const QString &link : links) {
                if (reported.contains(link))
                    continue;
                const QString why = writeViolation(link, system);
                if (why.isEmpty())
                    continue;
                reported.insert(link);
                hits.push_back({link, target, why});
            }
        }
        return hits;
    }

    void checkReachability(const Workflow &w, const QHash<QString, int> &stepIndex,
                           const QString &wElement, const QString &wLabel)
    {
        const int n = int(w.steps.size());
        QVector<QVector<int>> next(n);
        QVector<int> fromTrigger;
        for (const Edge &e : w.edges) {
            const int to = stepIndex.value(e.to, -1);
            if (to < 0)
                continue;
            if (e.from == kTrigger) {
                fromTrigger << to;
            } else {
                const int from = stepIndex.value(e.from, -1);
                if (from >= 0)
                    next[from] << to;
            }
        }
        // Compensation links: a step's undo, and undo steps that name the step they undo.
        for (int i = 0; i < n; ++i) {
            const Step &s = w.steps[i];
            const int c = stepIndex.value(s.compensation, -1);
            if (c >= 0)
                next[i] << c;
            if (s.type == StepType::Compensate) {
                const int undone = stepIndex.value(s.compensates, -1);
                if (undone >= 0)
                    next[undone] << i;
            }
        }
        QVector<bool> seen(n, false);
        QVector<int> queue;
        queue.reserve(n);
        auto visit = [&](int i) {
            if (i >= 0 && !seen[i]) {
                seen[i] = true;
                queue << i;
            }
        };
        for (int i : fromTrigger)
            visit(i);
        visit(stepIndex.value(w.trigger.deadLetter, -1));
        for (int head = 0; head < queue.size(); ++head) {
            for (int j : next[queue[head]])
                visit(j);
        }
        for (int i = 0; i < n; ++i) {
            if (seen[i])
                continue;
            const Step &s = w.steps[i];
            add(UnreachableStep, wElement + QStringLiteral("/step:") + s.id,
                QStringLiteral("%1, step %2").arg(wLabel, quoted(s.name.isEmpty() ? s.id
                                                                                   : s.name)),
                QStringLiteral("Step %1 of workflow %2 cannot be reached from the trigger")
                    .arg(quoted(s.id), quoted(w.id)));
        }
    }

    // ---- data flows, SLAs, reconciliations, data sets

    void checkFlows()
    {
        for (const DataFlow &f : m_p.flows) {
            const QString element = QStringLiteral("flow:") + f.id;
            const QString display = QStringLiteral("Data flow %1").arg(quoted(f.id));
            const QString what = display;
            checkSystemRef(f.from, element, display, what + QStringLiteral(" (from)"));
            checkSystemRef(f.to, element, display, what + QStringLiteral(" (to)"));
            if (!f.entity.isEmpty() && !m_canonical.contains(f.entity))
                add(UnknownEntity, element, display,
                    QStringLiteral("%1 carries canonical entity %2, which does not exist")
                        .arg(what, quoted(f.entity)));
            if (!f.mapping.isEmpty() && !m_mappings.contains(f.mapping))
                add(UnknownMapping, element, display,
                    QStringLiteral("%1 uses mapping %2, which does not exist")
                        .arg(what, quoted(f.mapping)));
            if (!f.workflow.isEmpty() && !m_workflows.contains(f.workflow))
                add(UnknownWorkflow, element, display,
                    QStringLiteral("%1 uses workflow %2, which does not exist")
                        .arg(what, quoted(f.workflow)));
        }
        checkSyncLoops();
    }

    // Per canonical entity, unguarded flows form a graph of systems; every strongly
    // connected component with a cycle is one loop (Tarjan, O(flows)).
    void checkSyncLoops()
    {
        QHash<QString, QVector<int>> byEntity; // entity -> unguarded flow indexes
        QStringList entities;                  // in order of first appearance
        for (int i = 0; i < m_p.flows.size(); ++i) {
            const DataFlow &f = m_p.flows[i];
            if (f.loopGuard || f.entity.isEmpty() || f.from.isEmpty() || f.to.isEmpty())
                continue;
            auto it = byEntity.find(f.entity);
            if (it == byEntity.end()) {
                entities << f.entity;
                it = byEntity.insert(f.entity, {});
            }
            it->push_back(i);
        }
        struct Loop
        {
            int firstFlow;
            Finding finding;
        };
        QVector<Loop> loops;
        for (const QString &entity : entities)
            findLoops(entity, byEntity.value(entity), loops);
        std::sort(loops.begin(), loops.end(),
                  [](const Loop &a, const Loop &b) { return a.firstFlow < b.firstFlow; });
        for (Loop &l : loops)
            m_buckets[SyncLoop].push_back(std::move(l.finding));
    }

    template <typename Loops>
    void findLoops(const QString &entity, const QVector<int> &flowIdx, Loops &loops)
    {
        // Nodes: systems touched by these flows, numbered locally.
        QHash<QString, int> node;
        QStringList names;
        auto nodeOf = [&](const QString &id) {
            auto it = node.find(id);
            if (it != node.end())
                return *it;
            names << id;
            return *node.insert(id, int(names.size()) - 1);
        };
        struct Arc
        {
            int to;
            int flow;
        };
        QVector<QVector<Arc>> adj;
        for (int fi : flowIdx) {
            const DataFlow &f = m_p.flows[fi];
            const int a = nodeOf(f.from);
            const int b = nodeOf(f.to);
            adj.resize(names.size());
            adj[a].push_back({b, fi});
        }
        const int n = int(names.size());
        adj.resize(n);

        // Iterative Tarjan: deep landscapes must not exhaust the stack.
        QVector<int> index(n, -1), low(n, 0), comp(n, -1);
        QVector<bool> onStack(n, false);
        QVector<int> stack;
        int counter = 0;
        int comps = 0;
        struct Frame
        {
            int v;
            int next;
        };
        for (int root = 0; root < n; ++root) {
            if (index[root] >= 0)
                continue;
            QVector<Frame> call{{root, 0}};
            index[root] = low[root] = counter++;
            stack << root;
            onStack[root] = true;
            while (!call.isEmpty()) {
                Frame &fr = call.last();
                const int v = fr.v;
                if (fr.next < adj[v].size()) {
                    const int w = adj[v][fr.next++].to;
                    if (index[w] < 0) {
                        index[w] = low[w] = counter++;
                        stack << w;
                        onStack[w] = true;
                        call.push_back({w, 0});
                    } else if (onStack[w]) {
                        low[v] = std::min(low[v], index[w]);
                    }
                    continue;
                }
                if (low[v] == index[v]) {
                    int w;
                    do {
                        w = stack.takeLast();
                        onStack[w] = false;
                        comp[w] = comps;
                    } while (w != v);
                    ++comps;
                }
                call.removeLast();
                if (!call.isEmpty()) {
                    const int parent = call.last().v;
                    low[parent] = std::min(low[parent], low[v]);
                }
            }
        }

        // One finding per cyclic component, shown as its shortest cycle through the
        // component's first flow in document order.
        QVector<bool> done(comps, false);
        for (int fi : flowIdx) {
            const DataFlow &f = m_p.flows[fi];
            const int a = node.value(f.from);
            const int b = node.value(f.to);
            if (comp[a] != comp[b] || done[comp[a]])
                continue;
            done[comp[a]] = true;
            const int c = comp[a];
            // BFS from b back to a inside the component.
            QVector<int> prevFlow(n, -1), prevNode(n, -1);
            QVector<bool> seen(n, false);
            QVector<int> queue{b};
            seen[b] = true;
            for (int head = 0; head < queue.size() && !(a != b && seen[a]); ++head) {
                const int v = queue[head];
                for (const Arc &arc : adj[v]) {
                    if (comp[arc.to] != c || seen[arc.to])
                        continue;
                    seen[arc.to] = true;
                    prevFlow[arc.to] = arc.flow;
                    prevNode[arc.to] = v;
                    queue << arc.to;
                }
            }
            QStringList path{names[a]};
            QStringList flowIds{f.id};
            if (a != b) {
                QStringList back;
                QStringList backFlows;
                for (int v = a; v != b; v = prevNode[v]) {
                    back.prepend(names[v]);
                    backFlows.prepend(m_p.flows[prevFlow[v]].id);
                }
                path << names[b] << back;
                flowIds << backFlows;
            } else {
                path << names[a];
            }
            Finding finding;
            finding.ruleId = QString::fromLatin1(kRules[SyncLoop].id);
            finding.severity = kRules[SyncLoop].severity;
            finding.location.element = QStringLiteral("flow:") + f.id;
            finding.location.display = QStringLiteral("Data flow %1").arg(quoted(f.id));
            finding.message =
                QStringLiteral("%1 syncs in a loop %2 (flows %3) and none of these flows has "
                               "a loop guard")
                    .arg(entity, path.join(QStringLiteral(" -> ")),
                         flowIds.join(QStringLiteral(", ")));
            loops.push_back({fi, std::move(finding)});
        }
    }

    void checkSlas()
    {
        for (const Sla &s : m_p.slas) {
            const QString element = QStringLiteral("sla:") + s.id;
            const QString display =
                QStringLiteral("SLA %1").arg(quoted(s.name.isEmpty() ? s.id : s.name));
            const QString what = QStringLiteral("SLA %1").arg(quoted(s.id));
            const Workflow *w = m_workflows.value(s.workflow);
            if (!w) {
                add(UnknownWorkflow, element, display,
                    QStringLiteral("%1 measures workflow %2, which does not exist")
                        .arg(what, quoted(s.workflow)));
                continue;
            }
            const std::pair<const char *, const QString *> ends[] = {
                {"starts at", &s.fromMilestone}, {"ends at", &s.toMilestone}};
            for (const auto &[role, step] : ends) {
                if (*step == kTrigger || w->step(*step))
                    continue;
                add(UnknownStep, element, display,
                    QStringLiteral("%1 %2 step %3, which does not exist in workflow %4")
                        .arg(what, QLatin1String(role), quoted(*step), quoted(w->id)));
            }
        }
    }

    void checkReconciliations()
    {
        for (const Reconciliation &r : m_p.reconciliations) {
            const QString element = QStringLiteral("reconciliation:") + r.id;
            const QString display =
                QStringLiteral("Reconciliation %1").arg(quoted(r.name.isEmpty() ? r.id : r.name));
            const QString what = QStringLiteral("Reconciliation %1").arg(quoted(r.id));
            const Where rw{element, display, what};
            auto where = [&rw]() -> const Where & { return rw; };
            const Resolved left = resolve(r.left.system, r.left.entity, where,
                                          QStringLiteral(" (left)"));
            const Resolved right = resolve(r.right.system, r.right.entity, where,
                                           QStringLiteral(" (right)"));
            auto checkField = [&](const Resolved &side, const QString &field, const char *role) {
                if (!side.fields || field.isEmpty())
                    return;
                if (!indexOf(*side.fields).byPath.contains(normalizePath(field)))
                    add(UnknownField, element, display,
                        QStringLiteral("%1 %2 %3 is not a field of %4")
                            .arg(what, QLatin1String(role), quoted(field), side.label));
            };
            checkField(left, r.leftKey, "left key");
            checkField(right, r.rightKey, "right key");
            for (const auto &pair : r.fields) {
                checkField(left, pair.first, "field");
                checkField(right, pair.second, "field");
            }
        }
    }

    void checkDatasets()
    {
        for (const Dataset &d : m_p.datasets) {
            const Where dw{QStringLiteral("dataset:") + d.id,
                           QStringLiteral("Data set ")
                               + quoted(d.name.isEmpty() ? d.id : d.name),
                           QStringLiteral("Data set ") + quoted(d.id)};
            resolve(d.system, d.entity, [&dw]() -> const Where & { return dw; });
        }
    }
};

} // namespace

const QVector<RuleInfo> &validatorRules()
{
    static const QVector<RuleInfo> rules(std::begin(kRules), std::end(kRules));
    return rules;
}

QVector<Finding> validateProject(const Project &project)
{
    return Validator(project).run();
}

QVector<Finding> validateProject(const Project &project, ValidationCache *cache)
{
    return Validator(project).run(cache);
}

int countFindings(const QVector<Finding> &findings, Severity severity)
{
    int n = 0;
    for (const Finding &f : findings)
        n += f.severity == severity ? 1 : 0;
    return n;
}

} // namespace sb::model
