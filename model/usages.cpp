#include "model/usages.h"

#include "model/expressionpaths.h"

#include <QRegularExpression>

namespace sb::model {

namespace {

QString quoted(const QString &s) { return QLatin1Char('\'') + s + QLatin1Char('\''); }

// "'CRM' (crm)", or "'crm'" for an element without a name of its own.
QString label(const QString &name, const QString &id)
{
    if (name.isEmpty() || name == id)
        return quoted(id);
    return QStringLiteral("%1 (%2)").arg(quoted(name), id);
}

QString named(const QString &what, const QString &name, const QString &id)
{
    return what + QLatin1Char(' ') + label(name, id);
}

// ---- field paths in expressions

bool chainStartsWith(const QVector<PathSegment> &chain, const QStringList &path)
{
    if (chain.size() < path.size())
        return false;
    for (int k = 0; k < path.size(); ++k) {
        if (chain[k].name != path[k])
            return false;
    }
    return true;
}

QStringList pathSegments(const QString &dotted)
{
    QString p = dotted.trimmed();
    p.remove(QLatin1String("[]"));
    return p.split(QLatin1Char('.'), Qt::SkipEmptyParts);
}

// "lines[].sku" and "lines.sku" are the same field; a path under `path` uses it too.
bool pathUnder(const QString &candidate, const QString &path)
{
    QString c = candidate.trimmed();
    c.remove(QLatin1String("[]"));
    return c == path || c.startsWith(path + QLatin1Char('.'));
}

} // namespace

QString renameFieldInExpression(const QString &expression, const QString &oldPath,
                                const QString &newName, bool *changed)
{
    const QStringList path = pathSegments(oldPath);
    QVector<PathSegment> edits;
    if (!path.isEmpty()) {
        forEachRootPath(expression, [&](const QVector<PathSegment> &chain) {
            if (chainStartsWith(chain, path))
                edits << chain[path.size() - 1];
        });
    }
    if (changed)
        *changed = !edits.isEmpty();
    QString out = expression;
    for (int k = int(edits.size()) - 1; k >= 0; --k)
        out.replace(edits[k].start, edits[k].end - edits[k].start, newName);
    return out;
}

bool expressionUsesField(const QString &expression, const QString &path)
{
    const QStringList segments = pathSegments(path);
    bool used = false;
    if (!segments.isEmpty()) {
        forEachRootPath(expression, [&](const QVector<PathSegment> &chain) {
            used = used || chainStartsWith(chain, segments);
        });
    }
    return used;
}

QString idProblem(const QString &id)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z_][A-Za-z0-9_-]*$"));
    if (id.isEmpty())
        return QStringLiteral("an id cannot be empty");
    if (!valid.match(id).hasMatch())
        return QStringLiteral("%1 is not a valid id: use one word of letters, digits, '_' "
                              "or '-', starting with a letter or '_'")
            .arg(quoted(id));
    return QString();
}

QString currentId(const ElementRef &target)
{
    if (!target.field().isEmpty())
        return target.field().section(QLatin1Char('.'), -1);
    if (target.kind() == ElementRef::Kind::System && !target.entity().isEmpty())
        return target.entity();
    return target.id();
}

namespace {

// Collects usages of one target while walking the project once.
class UsageFinder
{
public:
    UsageFinder(const Project &p, const ElementRef &t) : m_p(p), m_t(t)
    {
        m_kind = t.kind();
        m_system = m_kind == ElementRef::Kind::System ? t.id() : QString();
        m_entity = m_kind == ElementRef::Kind::System ? t.entity()
                   : m_kind == ElementRef::Kind::Canonical ? t.id()
                                                           : QString();
        m_field = t.field();
        m_field.remove(QLatin1String("[]"));
    }

    QVector<Usage> run()
    {
        switch (m_kind) {
        case ElementRef::Kind::System:
        case ElementRef::Kind::Canonical:
            systemFields();
            ownership();
            mappings();
            workflows();
            flows();
            reconciliations();
            datasets();
            break;
        case ElementRef::Kind::Mapping:
            workflows();
            flows();
            break;
        case ElementRef::Kind::Workflow:
            flows();
            slas();
            break;
        default:
            break;
        }
        return m_out;
    }

private:
    void add(const QString &element, const QString &display, const QString &role)
    {
        m_out.push_back({element, display, role});
    }

    bool wholeSystem() const { return !m_system.isEmpty() && m_entity.isEmpty(); }
    bool canonical() const { return m_kind == ElementRef::Kind::Canonical; }
    // Whether `ref` is the entity asked about (or inside the system asked about).
    bool matches(const EntityRef &ref) const
    {
        if (canonical())
            return ref.isCanonical() && ref.entity == m_entity;
        if (ref.system != m_system)
            return false;
        return wholeSystem() || ref.entity == m_entity;
    }
    bool matchesEntity(const QString &system, const QString &entity) const
    {
        return matches(EntityRef{system, entity});
    }
    // Usage of a field by an expression or a path of the entity asked about.
    bool fieldAsked() const { return !m_field.isEmpty(); }

    QString systemLabel(const QString &id) const
    {
        const System *s = m_p.system(id);
        return label(s ? s->name : QString(), id);
    }

    void canonicalLinks(const System &s, const Entity &e, const QVector<Field> &fields,
                        const QString &prefix)
    {
        for (const Field &f : fields) {
            const QString path = prefix.isEmpty() ? f.name : prefix + QLatin1Char('.') + f.name;
            const QString want = fieldAsked() ? m_entity + QLatin1Char('.') + m_field : m_entity;
            if (!f.canonical.isEmpty() && pathUnder(f.canonical, want)) {
                add(QStringLiteral("system:%1/entity:%2/field:%3").arg(s.id, e.name, path),
                    QStringLiteral("Field %1.%2 of %3")
                        .arg(e.name, path, systemLabel(s.id)),
                    QStringLiteral("canonical link"));
            }
            canonicalLinks(s, e, f.fields, path);
        }
    }

    void systemFields()
    {
        if (canonical()) {
            for (const System &s : m_p.systems)
                for (const Entity &e : s.entities)
                    canonicalLinks(s, e, e.fields, QString());
        }
    }

    void ownership()
    {
        for (const OwnershipRule &r : m_p.ownership) {
            const QString element = QStringLiteral("ownership:") + r.id();
            const QString display = QStringLiteral("Ownership of ") + r.id();
            if (canonical()) {
                if (r.entity == m_entity && (!fieldAsked() || pathUnder(r.field, m_field)))
                    add(element, display, QStringLiteral("rule"));
                continue;
            }
            if (!wholeSystem())
                continue;
            const std::pair<const char *, const QStringList *> roles[] = {
                {"owner", &r.owners}, {"contributor", &r.contributors},
                {"consumer", &r.consumers}, {"source priority", &r.priority}};
            for (const auto &[role, list] : roles) {
                if (list->contains(m_system))
                    add(element, display, QLatin1String(role));
            }
        }
    }

    void mapping(const Mapping &m)
    {
        const ElementRef element = ElementRef::of(ElementRef::Kind::Mapping, m.id);
        const QString display = named(QStringLiteral("Mapping"), m.name, m.id);
        const bool source = matches(m.source);
        const bool target = matches(m.target);
        if (!fieldAsked()) {
            if (source)
                add(element.toString(), display, QStringLiteral("source"));
            if (target)
                add(element.toString(), display, QStringLiteral("target"));
            return;
        }
        if (source && expressionUsesField(m.condition, m_field))
            add(element.toString(), display, QStringLiteral("condition"));
        for (int i = 0; i < m.rules.size(); ++i) {
            const MappingRule &r = m.rules[i];
            const QString ruleElement =
                element.child(QStringLiteral("rule"), qsizetype(i)).toString();
            const QString rule = QStringLiteral("rule %1 ").arg(i + 1);
            if (target && pathUnder(r.target, m_field))
                add(ruleElement, display, rule + QStringLiteral("target"));
            if (source && expressionUsesField(r.expression, m_field))
                add(ruleElement, display, rule + QStringLiteral("expression"));
            if (source && expressionUsesField(r.condition, m_field))
                add(ruleElement, display, rule + QStringLiteral("condition"));
        }
    }

    void mappings()
    {
        for (const Mapping &m : m_p.mappings)
            mapping(m);
    }

    void workflows()
    {
        for (const Workflow &w : m_p.workflows) {
            const ElementRef element = ElementRef::of(ElementRef::Kind::Workflow, w.id);
            const QString display = named(QStringLiteral("Workflow"), w.name, w.id);
            const Trigger &t = w.trigger;
            if (m_kind == ElementRef::Kind::Mapping) {
                for (const Step &s : w.steps) {
                    if (s.mapping == m_t.id())
                        add(element.child(QStringLiteral("step"), s.id).toString(), display,
                            QStringLiteral("step %1").arg(quoted(s.name.isEmpty() ? s.id
                                                                                   : s.name)));
                }
                continue;
            }
            if (canonical())
                continue;
            if (!t.system.isEmpty() && matchesEntity(t.system, t.entity)) {
                const QString trigger = element.withPart(QStringLiteral("trigger")).toString();
                if (!fieldAsked()) {
                    add(trigger, display, QStringLiteral("trigger"));
                } else {
                    const std::pair<const char *, const QString *> exprs[] = {
                        {"trigger filter", &t.filter}, {"trigger event id", &t.eventIdPath},
                        {"trigger correlation", &t.correlationPath}};
                    for (const auto &[role, text] : exprs) {
                        if (expressionUsesField(*text, m_field))
                            add(trigger, display, QLatin1String(role));
                    }
                }
            }
            if (fieldAsked())
                continue;
            for (const Step &s : w.steps) {
                if (!s.system.isEmpty() && s.system == m_system
                    && (wholeSystem() || s.entity == m_entity))
                    add(element.child(QStringLiteral("step"), s.id).toString(), display,
                        QStringLiteral("step %1").arg(quoted(s.name.isEmpty() ? s.id
                                                                               : s.name)));
            }
        }
    }

    QString flowLabel(const DataFlow &f) const
    {
        const auto nameOf = [this](const QString &id) {
            const System *s = m_p.system(id);
            return s && !s->name.isEmpty() ? s->name : id;
        };
        return label(f.label.isEmpty() ? nameOf(f.from) + QStringLiteral(" \u2192 ")
                                             + nameOf(f.to)
                                       : f.label,
                     f.id);
    }

    void flows()
    {
        for (const DataFlow &f : m_p.flows) {
            const QString element = QStringLiteral("flow:") + f.id;
            const QString display = QStringLiteral("Data flow ") + flowLabel(f);
            if (m_kind == ElementRef::Kind::Mapping) {
                if (f.mapping == m_t.id())
                    add(element, display, QStringLiteral("mapping"));
            } else if (m_kind == ElementRef::Kind::Workflow) {
                if (f.workflow == m_t.id())
                    add(element, display, QStringLiteral("workflow"));
            } else if (canonical()) {
                if (!fieldAsked() && f.entity == m_entity)
                    add(element, display, QStringLiteral("entity carried"));
            } else if (wholeSystem()) {
                if (f.from == m_system)
                    add(element, display, QStringLiteral("from"));
                if (f.to == m_system)
                    add(element, display, QStringLiteral("to"));
            }
        }
    }

    void slas()
    {
        for (const Sla &s : m_p.slas) {
            if (s.workflow == m_t.id())
                add(QStringLiteral("sla:") + s.id, named(QStringLiteral("SLA"), s.name, s.id),
                    QStringLiteral("workflow measured"));
        }
    }

    void reconciliations()
    {
        for (const Reconciliation &r : m_p.reconciliations) {
            const QString element = QStringLiteral("reconciliation:") + r.id;
            const QString display = named(QStringLiteral("Reconciliation"), r.name, r.id);
            const bool left = matches(r.left);
            const bool right = matches(r.right);
            if (!fieldAsked()) {
                if (left)
                    add(element, display, QStringLiteral("left side"));
                if (right)
                    add(element, display, QStringLiteral("right side"));
                continue;
            }
            if (left && pathUnder(r.leftKey, m_field))
                add(element, display, QStringLiteral("left key"));
            if (right && pathUnder(r.rightKey, m_field))
                add(element, display, QStringLiteral("right key"));
            for (const auto &pair : r.fields) {
                if ((left && pathUnder(pair.first, m_field))
                    || (right && pathUnder(pair.second, m_field)))
                    add(element, display, QStringLiteral("compared field"));
            }
        }
    }

    void datasets()
    {
        if (canonical() || fieldAsked())
            return;
        for (const Dataset &d : m_p.datasets) {
            if (matchesEntity(d.system, d.entity))
                add(QStringLiteral("dataset:") + d.id,
                    named(QStringLiteral("Data set"), d.name, d.id), QStringLiteral("records"));
        }
    }

    const Project &m_p;
    const ElementRef &m_t;
    ElementRef::Kind m_kind;
    QString m_system;
    QString m_entity;
    QString m_field;
    QVector<Usage> m_out;
};

} // namespace

QVector<Usage> findUsages(const Project &project, const ElementRef &target)
{
    return UsageFinder(project, target).run();
}

} // namespace sb::model
