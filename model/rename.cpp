// renameId (model/usages.h): every reference findUsages reports follows the new id.
#include "model/usages.h"

namespace sb::model {

namespace {

QString quoted(const QString &s) { return QLatin1Char('\'') + s + QLatin1Char('\''); }

Error clash(const QString &what, const QString &id)
{
    return Error{QStringLiteral("%1 %2 already exists; choose another id").arg(what, quoted(id))};
}

// "Entity.path" references (canonical links, ownership fields) under `from` move to `to`.
QString renamedRef(const QString &ref, const QString &from, const QString &to)
{
    if (ref == from)
        return to;
    if (ref.startsWith(from + QLatin1Char('.')))
        return to + ref.mid(from.size());
    return ref;
}

void renameLinks(QVector<Field> &fields, const QString &from, const QString &to)
{
    for (Field &f : fields) {
        f.canonical = renamedRef(f.canonical, from, to);
        renameLinks(f.fields, from, to);
    }
}

// A path of the entity ("lines[].sku") with the field at `oldPath` renamed to `newName`.
QString renamedPath(const QString &candidate, const QString &oldPath, const QString &newName)
{
    QString plain = candidate.trimmed();
    plain.remove(QLatin1String("[]"));
    if (plain != oldPath && !plain.startsWith(oldPath + QLatin1Char('.')))
        return candidate;
    QStringList parts = candidate.split(QLatin1Char('.'));
    const int at = int(oldPath.count(QLatin1Char('.')));
    if (at >= parts.size())
        return candidate;
    const bool array = parts[at].endsWith(QLatin1String("[]"));
    parts[at] = newName + (array ? QStringLiteral("[]") : QString());
    return parts.join(QLatin1Char('.'));
}

void renameInExpression(QString &expression, const QString &oldPath, const QString &newName)
{
    expression = renameFieldInExpression(expression, oldPath, newName);
}

// The field list holding the field at dotted `path`, and the field's index in it.
QVector<Field> *siblingsOf(QVector<Field> &fields, const QString &path, int *index)
{
    const QStringList parts = path.split(QLatin1Char('.'));
    QVector<Field> *list = &fields;
    for (int i = 0; i < parts.size(); ++i) {
        int found = -1;
        for (int j = 0; j < list->size(); ++j) {
            if ((*list)[j].name == parts[i])
                found = j;
        }
        if (found < 0)
            return nullptr;
        if (i == parts.size() - 1) {
            *index = found;
            return list;
        }
        list = &(*list)[found].fields;
    }
    return nullptr;
}

// Renames the field at `path` in `fields`; an error when it is missing or the name is taken.
Result<bool> renameField(QVector<Field> &fields, const QString &path, const QString &newName,
                         const QString &owner)
{
    int index = -1;
    QVector<Field> *list = siblingsOf(fields, path, &index);
    if (!list)
        return Error{QStringLiteral("%1 has no field %2").arg(owner, quoted(path))};
    for (const Field &f : *list) {
        if (f.name == newName)
            return clash(QStringLiteral("Field"), newName);
    }
    (*list)[index].name = newName;
    return true;
}

struct Target
{
    ElementRef::Kind kind;
    QString system;
    QString entity;
    QString field;  // dotted, without "[]"
    QString id;     // system, mapping, workflow, data set or canonical entity id
};

Result<bool> renameSystem(Project &p, const Target &t, const QString &to)
{
    if (p.system(to))
        return clash(QStringLiteral("System"), to);
    for (System &s : p.systems) {
        if (s.id == t.system)
            s.id = to;
    }
    auto follow = [&](QString &ref) {
        if (ref == t.system)
            ref = to;
    };
    for (OwnershipRule &r : p.ownership) {
        for (QStringList *list : {&r.owners, &r.contributors, &r.consumers, &r.priority}) {
            for (QString &id : *list)
                follow(id);
        }
    }
    for (Mapping &m : p.mappings) {
        follow(m.source.system);
        follow(m.target.system);
    }
    for (Workflow &w : p.workflows) {
        follow(w.trigger.system);
        for (Step &s : w.steps)
            follow(s.system);
    }
    for (DataFlow &f : p.flows) {
        follow(f.from);
        follow(f.to);
    }
    for (Reconciliation &r : p.reconciliations) {
        follow(r.left.system);
        follow(r.right.system);
    }
    for (Dataset &d : p.datasets)
        follow(d.system);
    return true;
}

Result<bool> renameEntity(Project &p, const Target &t, const QString &to)
{
    System *sys = nullptr;
    for (System &s : p.systems) {
        if (s.id == t.system)
            sys = &s;
    }
    if (sys->entity(to))
        return clash(QStringLiteral("Entity"), to);
    for (Entity &e : sys->entities) {
        if (e.name == t.entity)
            e.name = to;
    }
    auto follow = [&](const QString &system, QString &entity) {
        if (system == t.system && entity == t.entity)
            entity = to;
    };
    for (Mapping &m : p.mappings) {
        follow(m.source.system, m.source.entity);
        follow(m.target.system, m.target.entity);
    }
    for (Workflow &w : p.workflows) {
        follow(w.trigger.system, w.trigger.entity);
        for (Step &s : w.steps)
            follow(s.system, s.entity);
    }
    for (Reconciliation &r : p.reconciliations) {
        follow(r.left.system, r.left.entity);
        follow(r.right.system, r.right.entity);
    }
    for (Dataset &d : p.datasets)
        follow(d.system, d.entity);
    return true;
}

Result<bool> renameSystemField(Project &p, const Target &t, const QString &to)
{
    Entity *entity = nullptr;
    for (System &s : p.systems) {
        if (s.id != t.system)
            continue;
        for (Entity &e : s.entities) {
            if (e.name == t.entity)
                entity = &e;
        }
    }
    auto renamed = renameField(entity->fields, t.field, to,
                               QStringLiteral("Entity ") + quoted(t.entity));
    if (!renamed.ok())
        return renamed.error();
    if (entity->key == t.field)
        entity->key = to;
    const EntityRef self{t.system, t.entity};
    for (Mapping &m : p.mappings) {
        if (m.source == self) {
            renameInExpression(m.condition, t.field, to);
            for (MappingRule &r : m.rules) {
                renameInExpression(r.expression, t.field, to);
                renameInExpression(r.condition, t.field, to);
            }
        }
        if (m.target == self) {
            for (MappingRule &r : m.rules)
                r.target = renamedPath(r.target, t.field, to);
        }
    }
    for (Workflow &w : p.workflows) {
        Trigger &tr = w.trigger;
        if (tr.system != t.system || tr.entity != t.entity)
            continue;
        renameInExpression(tr.filter, t.field, to);
        renameInExpression(tr.eventIdPath, t.field, to);
        renameInExpression(tr.correlationPath, t.field, to);
    }
    for (Reconciliation &r : p.reconciliations) {
        const bool left = r.left == self;
        const bool right = r.right == self;
        if (left)
            r.leftKey = renamedPath(r.leftKey, t.field, to);
        if (right)
            r.rightKey = renamedPath(r.rightKey, t.field, to);
        for (auto &pair : r.fields) {
            if (left)
                pair.first = renamedPath(pair.first, t.field, to);
            if (right)
                pair.second = renamedPath(pair.second, t.field, to);
        }
    }
    return true;
}

Result<bool> renameCanonical(Project &p, const Target &t, const QString &to)
{
    if (p.canonicalEntity(to))
        return clash(QStringLiteral("Canonical entity"), to);
    for (CanonicalEntity &c : p.canonical) {
        if (c.id == t.id)
            c.id = to;
    }
    for (System &s : p.systems) {
        for (Entity &e : s.entities)
            renameLinks(e.fields, t.id, to);
    }
    for (OwnershipRule &r : p.ownership) {
        if (r.entity == t.id)
            r.entity = to;
    }
    for (DataFlow &f : p.flows) {
        if (f.entity == t.id)
            f.entity = to;
    }
    auto follow = [&](EntityRef &ref) {
        if (ref.isCanonical() && ref.entity == t.id)
            ref.entity = to;
    };
    for (Mapping &m : p.mappings) {
        follow(m.source);
        follow(m.target);
    }
    for (Reconciliation &r : p.reconciliations) {
        follow(r.left);
        follow(r.right);
    }
    return true;
}

Result<bool> renameCanonicalField(Project &p, const Target &t, const QString &to)
{
    CanonicalEntity *c = nullptr;
    for (CanonicalEntity &e : p.canonical) {
        if (e.id == t.id)
            c = &e;
    }
    auto renamed = renameField(c->fields, t.field, to,
                               QStringLiteral("Canonical entity ") + quoted(t.id));
    if (!renamed.ok())
        return renamed.error();
    if (c->key == t.field)
        c->key = to;
    const QString newPath = renamedPath(t.field, t.field, to);
    for (System &s : p.systems) {
        for (Entity &e : s.entities)
            renameLinks(e.fields, t.id + QLatin1Char('.') + t.field,
                        t.id + QLatin1Char('.') + newPath);
    }
    for (OwnershipRule &r : p.ownership) {
        if (r.entity == t.id)
            r.field = renamedPath(r.field, t.field, to);
    }
    for (Mapping &m : p.mappings) {
        if (m.source.isCanonical() && m.source.entity == t.id) {
            renameInExpression(m.condition, t.field, to);
            for (MappingRule &r : m.rules) {
                renameInExpression(r.expression, t.field, to);
                renameInExpression(r.condition, t.field, to);
            }
        }
        if (m.target.isCanonical() && m.target.entity == t.id) {
            for (MappingRule &r : m.rules)
                r.target = renamedPath(r.target, t.field, to);
        }
    }
    return true;
}

Result<bool> renameMapping(Project &p, const Target &t, const QString &to)
{
    if (p.mapping(to))
        return clash(QStringLiteral("Mapping"), to);
    for (Mapping &m : p.mappings) {
        if (m.id == t.id)
            m.id = to;
    }
    for (Workflow &w : p.workflows) {
        for (Step &s : w.steps) {
            if (s.mapping == t.id)
                s.mapping = to;
        }
    }
    for (DataFlow &f : p.flows) {
        if (f.mapping == t.id)
            f.mapping = to;
    }
    return true;
}

Result<bool> renameWorkflow(Project &p, const Target &t, const QString &to)
{
    if (p.workflow(to))
        return clash(QStringLiteral("Workflow"), to);
    for (Workflow &w : p.workflows) {
        if (w.id == t.id)
            w.id = to;
    }
    for (DataFlow &f : p.flows) {
        if (f.workflow == t.id)
            f.workflow = to;
    }
    for (Sla &s : p.slas) {
        if (s.workflow == t.id)
            s.workflow = to;
    }
    return true;
}

Result<bool> renameDataset(Project &p, const Target &t, const QString &to)
{
    for (const Dataset &d : p.datasets) {
        if (d.id == to)
            return clash(QStringLiteral("Data set"), to);
    }
    for (Dataset &d : p.datasets) {
        if (d.id == t.id)
            d.id = to;
    }
    return true;
}

// Whether the element `t` names exists.
bool exists(const Project &p, const Target &t)
{
    switch (t.kind) {
    case ElementRef::Kind::System: {
        const System *s = p.system(t.system);
        const Entity *e = s && !t.entity.isEmpty() ? s->entity(t.entity) : nullptr;
        if (!s || (!t.entity.isEmpty() && !e))
            return false;
        return t.field.isEmpty() || findFieldPath(e->fields, t.field);
    }
    case ElementRef::Kind::Canonical: {
        const CanonicalEntity *c = p.canonicalEntity(t.id);
        return c && (t.field.isEmpty() || findFieldPath(c->fields, t.field));
    }
    case ElementRef::Kind::Mapping:
        return p.mapping(t.id);
    case ElementRef::Kind::Workflow:
        return p.workflow(t.id);
    case ElementRef::Kind::Dataset:
        for (const Dataset &d : p.datasets) {
            if (d.id == t.id)
                return true;
        }
        return false;
    default:
        return false;
    }
}

} // namespace

Result<Project> renameId(const Project &project, const ElementRef &target, const QString &newId)
{
    Target t{target.kind(), QString(), QString(), target.field(), target.id()};
    t.field.remove(QLatin1String("[]"));
    if (t.kind == ElementRef::Kind::System) {
        t.system = target.id();
        t.entity = target.entity();
    }
    if (!exists(project, t))
        return Error{QStringLiteral("%1 does not exist").arg(quoted(target.toString()))};
    const QString problem = idProblem(newId);
    if (!problem.isEmpty())
        return Error{problem};
    if (newId == currentId(target))
        return project;
    Project p = project;
    Result<bool> done = true;
    if (t.kind == ElementRef::Kind::System)
        done = !t.field.isEmpty()    ? renameSystemField(p, t, newId)
               : !t.entity.isEmpty() ? renameEntity(p, t, newId)
                                     : renameSystem(p, t, newId);
    else if (t.kind == ElementRef::Kind::Canonical)
        done = t.field.isEmpty() ? renameCanonical(p, t, newId)
                                 : renameCanonicalField(p, t, newId);
    else if (t.kind == ElementRef::Kind::Mapping)
        done = renameMapping(p, t, newId);
    else if (t.kind == ElementRef::Kind::Workflow)
        done = renameWorkflow(p, t, newId);
    else
        done = renameDataset(p, t, newId);
    if (!done.ok())
        return done.error();
    return p;
}

} // namespace sb::model
