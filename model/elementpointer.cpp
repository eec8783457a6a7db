#include "model/elementpointer.h"

#include "model/elementref.h"
#include "model/projectjson.h"

namespace sb::model {

namespace {

template<typename T, typename Key>
int indexWhere(const QVector<T> &items, Key key, const QString &wanted)
{
    for (int i = 0; i < items.size(); ++i) {
        if (key(items[i]) == wanted)
            return i;
    }
    return -1;
}

const auto byId = [](const auto &item) { return item.id; };
const auto byName = [](const auto &item) { return item.name; };

// JSON pointer escaping of one reference token.
QString token(const QString &s)
{
    QString out = s;
    out.replace(QLatin1Char('~'), QLatin1String("~0"));
    out.replace(QLatin1Char('/'), QLatin1String("~1"));
    return out;
}

// "/fields/2/fields/0" for a dotted field path; stops at the first unknown name.
QString fieldPointer(const QVector<Field> &fields, const QString &dotted)
{
    QString out;
    const QVector<Field> *level = &fields;
    for (const QString &name : dotted.split(QLatin1Char('.'))) {
        const int i = indexWhere(*level, byName, name);
        if (i < 0)
            break;
        out += QStringLiteral("/fields/") + QString::number(i);
        level = &(*level)[i].fields;
    }
    return out;
}

// Bare parts are field names in the file ("expression", "trigger"), except where the address
// names them differently.
QString partKey(const QString &part)
{
    if (part == QLatin1String("eventIdPath"))
        return QStringLiteral("eventId");
    return token(part);
}

struct Walker
{
    QString pointer;

    // Numbered children ("rule:3", "edge:2") index their list directly.
    void numbered(const char *list, const QString &value, qsizetype size)
    {
        bool ok = false;
        const int i = value.toInt(&ok);
        if (ok && i >= 0 && i < size)
            pointer += QLatin1Char('/') + QLatin1String(list) + QLatin1Char('/')
                       + QString::number(i);
    }

    void system(const System &sys, const QList<ElementRef::Segment> &rest)
    {
        const Entity *entity = nullptr;
        for (const ElementRef::Segment &seg : rest) {
            if (seg.key == QLatin1String("entity")) {
                const int i = indexWhere(sys.entities, byName, seg.value);
                if (i < 0)
                    return;
                entity = &sys.entities[i];
                pointer += QStringLiteral("/entities/") + QString::number(i);
            } else if (seg.key == QLatin1String("field") && entity) {
                pointer += fieldPointer(entity->fields, seg.value);
                return;
            } else if (seg.key == QLatin1String("profile")) {
                const int i = indexWhere(sys.profiles, byName, seg.value);
                if (i >= 0)
                    pointer += QStringLiteral("/profiles/") + QString::number(i);
                return;
            } else {
                return;
            }
        }
    }

    void mapping(const Mapping &m, const QList<ElementRef::Segment> &rest)
    {
        for (const ElementRef::Segment &seg : rest) {
            if (seg.key == QLatin1String("rule") && !seg.bare) {
                numbered("rules", seg.value, m.rules.size());
            } else if (seg.key == QLatin1String("valuemap") && !seg.bare) {
                const int i = indexWhere(m.valueMaps, byName, seg.value);
                if (i < 0)
                    return;
                pointer += QStringLiteral("/valueMaps/") + QString::number(i);
            } else if (seg.bare && pointer.contains(QLatin1String("/valueMaps/"))) {
                pointer += QStringLiteral("/entries/") + token(seg.key);
            } else if (seg.bare) {
                pointer += QLatin1Char('/') + partKey(seg.key);
            } else {
                return;
            }
        }
    }

    void workflow(const Workflow &w, const QList<ElementRef::Segment> &rest)
    {
        for (const ElementRef::Segment &seg : rest) {
            if (seg.key == QLatin1String("step") && !seg.bare) {
                const int i = indexWhere(w.steps, byId, seg.value);
                if (i < 0)
                    return;
                pointer += QStringLiteral("/steps/") + QString::number(i);
            } else if (seg.key == QLatin1String("edge") && !seg.bare) {
                numbered("edges", seg.value, w.edges.size());
            } else if (seg.key == QLatin1String("rule") && !seg.bare) {
                pointer += QStringLiteral("/rules/") + token(seg.value);
            } else if (seg.bare) {
                pointer += QLatin1Char('/') + partKey(seg.key);
            } else {
                return;
            }
        }
    }
};

} // namespace

QString jsonPointerOf(const Project &project, const QString &element)
{
    const ElementRef ref = ElementRef::parse(element);
    if (!ref.isValid() || ref.segments().isEmpty())
        return {};
    const QList<ElementRef::Segment> rest = ref.segments().mid(1);
    const QString id = ref.segments().first().value;
    Walker walk;
    auto top = [&](const char *list, int index) {
        if (index < 0)
            return false;
        walk.pointer = QLatin1Char('/') + QLatin1String(list) + QLatin1Char('/')
                       + QString::number(index);
        return true;
    };
    switch (ref.kind()) {
    case ElementRef::Kind::System: {
        const int i = indexWhere(project.systems, byId, id);
        if (top("systems", i))
            walk.system(project.systems[i], rest);
        break;
    }
    case ElementRef::Kind::Canonical: {
        const int i = indexWhere(project.canonical, byId, id);
        if (top("canonical", i) && !rest.isEmpty() && rest.first().key == QLatin1String("field"))
            walk.pointer += fieldPointer(project.canonical[i].fields, rest.first().value);
        break;
    }
    case ElementRef::Kind::Ownership:
        top("ownership", indexWhere(project.ownership,
                                    [](const OwnershipRule &r) { return r.id(); }, id));
        break;
    case ElementRef::Kind::Mapping: {
        const int i = indexWhere(project.mappings, byId, id);
        if (top("mappings", i))
            walk.mapping(project.mappings[i], rest);
        break;
    }
    case ElementRef::Kind::Workflow: {
        const int i = indexWhere(project.workflows, byId, id);
        if (top("workflows", i))
            walk.workflow(project.workflows[i], rest);
        break;
    }
    case ElementRef::Kind::Flow:
        top("flows", indexWhere(project.flows, byId, id));
        break;
    case ElementRef::Kind::Sla:
        top("slas", indexWhere(project.slas, byId, id));
        break;
    case ElementRef::Kind::Reconciliation:
        top("reconciliations", indexWhere(project.reconciliations, byId, id));
        break;
    case ElementRef::Kind::Dataset:
        top("datasets", indexWhere(project.datasets, byId, id));
        break;
    case ElementRef::Kind::None:
        break;
    }
    return walk.pointer;
}

TextPosition positionOfPointer(const QByteArray &projectText, const QString &pointer)
{
    if (pointer.isEmpty())
        return {};
    const qsizetype offset = locateJsonPointer(projectText, pointer);
    if (offset < 0)
        return {};
    const auto [line, column] = lineColumnAt(projectText, offset);
    return {line, column};
}

} // namespace sb::model
