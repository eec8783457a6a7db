// Validation rules for systems (canonical links, endpoint profiles), the canonical model
// and ownership.
#include "model/validatordetail.h"

namespace sb::model::validatordetail {

void Validator::checkCanonicalLinks(const QVector<Field> &fields, const QString &entityElement,
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

void Validator::checkProfile(const System &s, const EndpointProfile &pr)
{
    const QString element = QStringLiteral("system:%1/profile:%2").arg(s.id, pr.name);
    const QString display =
        QStringLiteral("Profile %1 of system %2").arg(pr.name, s.name.isEmpty() ? s.id : s.name);
    for (const QString &leak : secretLeaks(pr)) {
        add(LiteralSecret, element, display,
            QStringLiteral("Profile %1 of system %2 %3")
                .arg(quoted(pr.name), named(s.name, s.id), leak));
    }
}

QString Validator::systemList(const QStringList &ids) const
{
    QStringList names;
    for (const QString &id : ids)
        names << systemNamed(id);
    return names.join(QStringLiteral(", "));
}

void Validator::checkSystems()
{
    for (const System &s : m_p.systems) {
        for (const Entity &e : s.entities) {
            const QString element = QStringLiteral("system:%1/entity:%2").arg(s.id, e.name);
            checkCanonicalLinks(e.fields, element, entityLabel(s.id, e.name), QString());
        }
        for (const EndpointProfile &pr : s.profiles)
            checkProfile(s, pr);
    }
}

void Validator::checkCanonical()
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

void Validator::checkOwnership()
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
                    .arg(systemList(owners)));
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
                            .arg(r.id(), QLatin1String(role), systemNamed(sys)));
            }
        }
    }
}

void Validator::canonicalLinks(const Field &f, QStringList &out)
{
    if (!f.canonical.isEmpty())
        out << f.canonical;
    for (const Field &c : f.fields)
        canonicalLinks(c, out);
}

QString Validator::writeViolation(const QString &link, const QString &system)
{
    const QString key = link + QLatin1Char('\n') + system;
    auto it = m_writeVerdicts.constFind(key);
    if (it == m_writeVerdicts.constEnd())
        it = m_writeVerdicts.insert(key, computeWriteViolation(link, system));
    return *it;
}

QString Validator::computeWriteViolation(const QString &link, const QString &system)
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

const Validator::WriteRule &Validator::writeRuleFor(const OwnershipRule *r)
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
                    .arg(systemList(owners));
    }
    return *m_writeRules.insert(r, w);
}

} // namespace sb::model::validatordetail
