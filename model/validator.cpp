#include "model/validatordetail.h"

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

namespace validatordetail {

QVector<Finding> Validator::run(ValidationCache *cache)
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

void Validator::checkMappings(ValidationCache &cache)
{
    const bool sameContext = cache.primed && cache.systems == m_p.systems
                             && cache.canonical == m_p.canonical
                             && cache.ownership == m_p.ownership;
    QHash<QString, ValidationCache::MappingEntry> next;
    next.reserve(m_p.mappings.size());
    cache.reusedMappings = 0;
    for (const Mapping &m : m_p.mappings) {
        // Partial through its steps: depends on the workflows, which the cache ignores.
        if (m_partialByUse.contains(m.id)) {
            checkMapping(m);
            continue;
        }
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

void Validator::add(RuleIndex rule, const QString &element, const QString &display,
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

void Validator::add(RuleIndex rule, const Where &where, const QString &message)
{
    add(rule, where.element, where.display, message);
}

void Validator::addWrite(const Where &where, const QString &message, const QString &link,
                         const QString &system)
{
    add(NonOwnerWrite, where, message);
    Finding &f = m_buckets[NonOwnerWrite].back();
    f.canonicalField = link;
    f.canonicalField.remove(QLatin1String("[]"));
    f.system = system;
}

void Validator::buildIndexes()
{
    QSet<QString> fullUse;
    for (const Workflow &w : m_p.workflows) {
        for (const Step &st : w.steps) {
            if (!st.mapping.isEmpty())
                (st.partial ? m_partialByUse : fullUse).insert(st.mapping);
        }
    }
    m_partialByUse.subtract(fullUse);
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

const FieldIndex &Validator::indexOf(const QVector<Field> &fields)
{
    auto [it, inserted] = m_fieldIndexes.try_emplace(&fields);
    if (inserted)
        addPaths(fields, QString(), false, it->second.byPath, it->second.inItems);
    return it->second;
}

const OwnershipRule *Validator::ruleFor(const QString &entity, const QString &field) const
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

QStringList Validator::distinct(const QStringList &ids)
{
    QStringList out;
    for (const QString &id : ids) {
        if (!out.contains(id))
            out << id;
    }
    return out;
}

QString Validator::systemNamed(const QString &system) const
{
    const System *s = m_systems.value(system);
    return s ? named(s->name, system) : quoted(system);
}

QString Validator::entityLabel(const QString &system, const QString &entity) const
{
    const System *s = m_systems.value(system);
    const QString name = s && !s->name.isEmpty() ? s->name : system;
    return entity.isEmpty() ? name : name % QLatin1Char('.') % entity;
}

void Validator::checkSystemRef(const QString &system, const QString &element,
                               const QString &display,
                               const QString &what)
{
    if (!system.isEmpty() && !m_systems.contains(system))
        add(UnknownSystem, element, display,
            QStringLiteral("%1 names system %2, which does not exist")
                .arg(what, quoted(system)));
}

} // namespace validatordetail

using namespace validatordetail;

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
