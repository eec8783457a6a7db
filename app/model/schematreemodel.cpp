#include "app/model/schematreemodel.h"

#include "app/shell/projectedit.h"
#include "model/usages.h"

#include <QRegularExpression>

#include <functional>

using namespace sb::model;

namespace {

const FieldType kTypes[] = {FieldType::String, FieldType::Integer, FieldType::Number,
                            FieldType::Decimal, FieldType::Boolean, FieldType::Date,
                            FieldType::DateTime, FieldType::Enum, FieldType::Object,
                            FieldType::Array};

bool nestable(const Field &f)
{
    return f.type == FieldType::Object
           || (f.type == FieldType::Array && f.itemType == FieldType::Object);
}

QString uniqueName(const QStringList &taken, const QString &base)
{
    if (!taken.contains(base))
        return base;
    for (int n = 2;; ++n) {
        const QString name = base + QString::number(n);
        if (!taken.contains(name))
            return name;
    }
}

QStringList fieldNames(const QVector<Field> &fields)
{
    QStringList out;
    for (const Field &f : fields)
        out << f.name;
    return out;
}

} // namespace

bool SchemaTreeModel::Row::operator==(const Row &o) const
{
    return key == o.key && kind == o.kind && depth == o.depth && entity == o.entity
           && path == o.path && name == o.name && type == o.type && required == o.required
           && format == o.format && enumValues == o.enumValues
           && description == o.description && isKey == o.isKey && expanded == o.expanded
           && childCount == o.childCount && hasChildren == o.hasChildren
           && canonicalLink == o.canonicalLink && links == o.links && itemType == o.itemType
           && maxLength == o.maxLength && dotted == o.dotted && entityName == o.entityName;
}

SchemaTreeModel::SchemaTreeModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows, {{Qt::DisplayRole, nullptr, shown(&Row::name)},
                       {NameRole, "name", shown(&Row::name)},
                       {KeyRole, "rowKey", shown(&Row::key)},
                       {RowKindRole, "rowKind", shown(&Row::kind)},
                       {DepthRole, "depth", shown(&Row::depth)},
                       {EntityIndexRole, "entityIndex", shown(&Row::entity)},
                       {PathRole, "fieldPath", shown(&Row::path)},
                       {TypeRole, "fieldType", shown(&Row::type)},
                       {RequiredRole, "required", shown(&Row::required)},
                       {FormatRole, "format", shown(&Row::format)},
                       {EnumValuesRole, "enumValues", shown(&Row::enumValues)},
                       {DescriptionRole, "description", shown(&Row::description)},
                       {IsKeyRole, "isKey", shown(&Row::isKey)},
                       {ExpandedRole, "expanded",
                        [](const ViewRow &v) { return QVariant(v.expanded); }},
                       {ChildCountRole, "childCount", shown(&Row::childCount)},
                       {CanonicalLinkRole, "canonicalLink", shown(&Row::canonicalLink)},
                       {LinksRole, "links", shown(&Row::links)},
                       {HasChildrenRole, "hasChildren", shown(&Row::hasChildren)},
                       {ItemTypeRole, "itemType", shown(&Row::itemType)},
                       {MaxLengthRole, "maxLength", shown(&Row::maxLength)}});
    // Canonical mode lists links from every system: edits elsewhere (a node dragged on the
    // landscape) refresh it once they pause, not on every mouse move.
    m_linkTimer.setSingleShot(true);
    m_linkTimer.setInterval(200);
    connect(&m_linkTimer, &QTimer::timeout, this, &SchemaTreeModel::refresh);
}

void SchemaTreeModel::setDocument(QObject *document)
{
    if (m_document == document)
        return;
    if (m_doc)
        disconnect(m_doc, nullptr, this, nullptr);
    m_document = document;
    m_doc = qobject_cast<Document *>(document);
    if (m_doc) {
        connect(m_doc, &Document::changed, this, [this](const Change &c) {
            const bool own = m_canonical ? c.collection == Collection::Canonical
                                         : c.collection == Collection::Systems;
            if (own || c.collection == Collection::Project)
                refresh();
            else if (m_canonical && (c.collection == Collection::Systems
                                     || c.collection == Collection::Mappings))
                m_linkTimer.start();
        });
        connect(m_doc, &Document::projectReset, this, [this] {
            m_collapsed.clear();
            clearFilter();  // a filter typed for another project would hide this one's
            m_allValid = false;
            resetRows(m_rows, buildRows());
            emit countsChanged();
        });
    }
    m_allValid = false;
    resetRows(m_rows, buildRows());
    emit documentChanged();
    emit countsChanged();
}

void SchemaTreeModel::setSystemId(const QString &id)
{
    if (m_systemId == id)
        return;
    m_systemId = id;
    m_collapsed.clear();
    clearFilter();  // each system starts unfiltered
    m_allValid = false;
    resetRows(m_rows, buildRows());
    emit systemIdChanged();
    emit countsChanged();
}

void SchemaTreeModel::setCanonical(bool on)
{
    if (m_canonical == on)
        return;
    m_canonical = on;
    m_allValid = false;
    resetRows(m_rows, buildRows());
    emit canonicalChanged();
    emit countsChanged();
}

void SchemaTreeModel::clearFilter()
{
    if (m_filter.isEmpty())
        return;
    m_filter.clear();
    emit filterChanged();
}

void SchemaTreeModel::setFilter(const QString &filter)
{
    if (m_filter == filter)
        return;
    m_filter = filter;
    // A new filter replaces most rows: one reset, with no key sets of 100,000 rows to build.
    resetRows(m_rows, buildRows());
    emit countsChanged();
    emit filterChanged();
}

QStringList SchemaTreeModel::fieldTypes() const
{
    QStringList out;
    for (FieldType t : kTypes)
        out << toString(t);
    return out;
}

bool SchemaTreeModel::hasTarget() const
{
    if (!m_doc)
        return false;
    return m_canonical || m_doc->project().system(m_systemId) != nullptr;
}

QVector<Entity> SchemaTreeModel::entities() const
{
    QVector<Entity> out;
    if (!m_doc)
        return out;
    const Project &p = m_doc->project();
    if (m_canonical) {
        for (const CanonicalEntity &c : p.canonical)
            out << Entity{c.id, c.key, QString(), c.description, c.fields};
        return out;
    }
    if (const System *s = p.system(m_systemId))
        out = s->entities;
    return out;
}

int SchemaTreeModel::entityCount() const
{
    return int(entities().size());
}

int SchemaTreeModel::fieldCount() const
{
    int n = 0;
    for (const Entity &e : entities())
        n += int(e.fields.size());
    return n;
}

bool SchemaTreeModel::commit(const QVector<Entity> &list, const QString &text,
                             const QString &mergeKey)
{
    if (!hasTarget())
        return false;
    if (m_canonical) {
        Project p = m_doc->project();
        QVector<CanonicalEntity> canonical;
        for (const Entity &e : list) {
            CanonicalEntity c;
            c.id = e.name;
            c.key = e.key;
            c.description = e.description;
            c.fields = e.fields;
            canonical << c;
        }
        p.canonical = canonical;
        const int before = m_doc->historySize();
        studio::pushProjectEdit(m_doc, text, p, mergeKey);
        return m_doc->historySize() != before || !mergeKey.isEmpty();
    }
    System s = *m_doc->project().system(m_systemId);
    if (s.entities == list)
        return false;
    s.entities = list;
    m_doc->updateSystem(s, text, mergeKey);
    return true;
}

Field *SchemaTreeModel::fieldAt(QVector<Entity> &list, int entity, const QString &path) const
{
    if (entity < 0 || entity >= list.size() || path.isEmpty())
        return nullptr;
    QVector<Field> *fields = &list[entity].fields;
    Field *f = nullptr;
    for (const QString &part : path.split(QLatin1Char('.'))) {
        bool ok = false;
        const int i = part.toInt(&ok);
        if (!ok || !fields || i < 0 || i >= fields->size())
            return nullptr;
        f = &(*fields)[i];
        fields = &f->fields;
    }
    return f;
}

template <typename F>
bool SchemaTreeModel::editField(int entity, const QString &path, const QString &what,
                                F &&change)
{
    QVector<Entity> list = entities();
    Field *f = fieldAt(list, entity, path);
    if (!f)
        return false;
    const Field before = *f;
    change(*f);
    if (*f == before)
        return false;
    const QString entityName = list[entity].name;
    return commit(list, QStringLiteral("Edit %1 of field '%2.%3'").arg(what, entityName, f->name),
                  QStringLiteral("schema:%1:%2:%3:%4:%5")
                      .arg(m_canonical ? QStringLiteral("*") : m_systemId, entityName, path,
                           what));
}

int SchemaTreeModel::addEntity(const QString &name)
{
    QVector<Entity> list = entities();
    if (!hasTarget())
        return -1;
    QStringList taken;
    for (const Entity &e : list)
        taken << e.name;
    Entity e;
    e.name = uniqueName(taken, name.trimmed().isEmpty() ? QStringLiteral("Entity")
                                                        : name.trimmed());
    Field id;
    id.name = QStringLiteral("id");
    id.required = true;
    e.fields << id;
    e.key = id.name;
    list << e;
    m_doc->endMergeGroup();
    commit(list, QStringLiteral("Add entity '%1'").arg(e.name));
    m_doc->endMergeGroup();
    return int(list.size()) - 1;
}

bool SchemaTreeModel::renameEntity(int entity, const QString &name)
{
    QVector<Entity> list = entities();
    const QString trimmed = name.trimmed();
    if (entity < 0 || entity >= list.size() || trimmed.isEmpty() || list[entity].name == trimmed)
        return false;
    for (const Entity &e : list)
        if (e.name == trimmed)
            return false;  // names are unique within a system or the canonical model
    const QString old = list[entity].name;
    const QString element = m_canonical
                                ? QStringLiteral("canonical:%1").arg(old)
                                : QStringLiteral("system:%1/entity:%2").arg(m_systemId, old);
    const QString text = QStringLiteral("Rename entity '%1'").arg(old);
    const QString mergeKey =
        QStringLiteral("schema-entity-name:%1:%2").arg(m_systemId).arg(entity);
    if (m_collapsed.remove(old))
        m_collapsed.insert(trimmed);
    if (renameWithReferences(element, trimmed, text, mergeKey))
        return true;
    list[entity].name = trimmed;
    return commit(list, text, mergeKey);
}

bool SchemaTreeModel::setEntityKey(int entity, const QString &field)
{
    QVector<Entity> list = entities();
    if (entity < 0 || entity >= list.size() || list[entity].key == field)
        return false;
    list[entity].key = field;
    m_doc->endMergeGroup();
    return commit(list, QStringLiteral("Set key of '%1'").arg(list[entity].name));
}

bool SchemaTreeModel::setEntityDescription(int entity, const QString &description)
{
    QVector<Entity> list = entities();
    if (entity < 0 || entity >= list.size() || list[entity].description == description)
        return false;
    list[entity].description = description;
    return commit(list, QStringLiteral("Describe entity '%1'").arg(list[entity].name),
                  QStringLiteral("schema-entity-desc:%1:%2").arg(m_systemId).arg(entity));
}

bool SchemaTreeModel::removeEntity(int entity)
{
    QVector<Entity> list = entities();
    if (entity < 0 || entity >= list.size())
        return false;
    const QString name = list[entity].name;
    list.removeAt(entity);
    m_doc->endMergeGroup();
    return commit(list, QStringLiteral("Delete entity '%1'").arg(name));
}

QString SchemaTreeModel::addField(int entity, const QString &parentPath)
{
    QVector<Entity> list = entities();
    if (entity < 0 || entity >= list.size())
        return QString();
    QVector<Field> *fields = &list[entity].fields;
    if (!parentPath.isEmpty()) {
        Field *parent = fieldAt(list, entity, parentPath);
        if (!parent || !nestable(*parent))
            return QString();
        fields = &parent->fields;
    }
    Field f;
    f.name = uniqueName(fieldNames(*fields), QStringLiteral("field"));
    fields->append(f);
    const QString path = (parentPath.isEmpty() ? QString() : parentPath + QLatin1Char('.'))
                         + QString::number(fields->size() - 1);
    m_collapsed.remove(list[entity].name);
    m_doc->endMergeGroup();
    commit(list, QStringLiteral("Add field '%1.%2'").arg(list[entity].name, f.name));
    m_doc->endMergeGroup();
    return path;
}

bool SchemaTreeModel::removeField(int entity, const QString &path)
{
    QVector<Entity> list = entities();
    if (!fieldAt(list, entity, path))
        return false;
    const int cut = int(path.lastIndexOf(QLatin1Char('.')));
    const QString parentPath = cut < 0 ? QString() : path.left(cut);
    const int index = path.mid(cut + 1).toInt();
    QVector<Field> &fields = parentPath.isEmpty() ? list[entity].fields
                                                  : fieldAt(list, entity, parentPath)->fields;
    const QString name = fields[index].name;
    fields.removeAt(index);
    if (parentPath.isEmpty() && list[entity].key == name)
        list[entity].key.clear();
    m_doc->endMergeGroup();
    return commit(list, QStringLiteral("Delete field '%1.%2'").arg(list[entity].name, name));
}

bool SchemaTreeModel::setFieldName(int entity, const QString &path, const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return false;
    QVector<Entity> list = entities();
    Field *f = fieldAt(list, entity, path);
    if (!f || f->name == trimmed)
        return false;
    const int cut = int(path.lastIndexOf(QLatin1Char('.')));
    const QVector<Field> &siblings =
        cut < 0 ? list[entity].fields : fieldAt(list, entity, path.left(cut))->fields;
    for (const Field &sibling : siblings)
        if (sibling.name == trimmed)
            return false;  // field names are unique among their siblings
    // The dotted name path of the field, to address it for the rename.
    QString oldPath;
    {
        const QStringList parts = path.split(QLatin1Char('.'));
        const QVector<Field> *fields = &list[entity].fields;
        for (int i = 0; i < parts.size(); ++i) {
            const Field &step = (*fields)[parts[i].toInt()];
            const QString sep = i == 0 ? QString() : QStringLiteral(".");
            oldPath += sep + step.name;
            fields = &step.fields;
        }
    }
    const QString old = f->name;
    f->name = trimmed;
    // Keep the entity key pointing at the renamed field.
    if (!path.contains(QLatin1Char('.')) && list[entity].key == old)
        list[entity].key = trimmed;
    const QString entityName = list[entity].name;
    const QString text = QStringLiteral("Rename field '%1.%2'").arg(entityName, old);
    const QString mergeKey =
        QStringLiteral("schema:%1:%2:%3:name")
            .arg(m_canonical ? QStringLiteral("*") : m_systemId, entityName, path);
    const QString element =
        (m_canonical ? QStringLiteral("canonical:%1").arg(entityName)
                     : QStringLiteral("system:%1/entity:%2").arg(m_systemId, entityName))
        + QStringLiteral("/field:") + oldPath;
    if (renameWithReferences(element, trimmed, text, mergeKey))
        return true;
    return commit(list, text, mergeKey);
}

bool SchemaTreeModel::renameWithReferences(const QString &element, const QString &newName,
                                           const QString &text, const QString &mergeKey)
{
    // Names that cannot be ids (an imported "@type") cannot be spelled in a reference
    // either: those are renamed in place by the caller.
    if (!hasTarget() || !sb::model::idProblem(newName).isEmpty())
        return false;
    auto renamed = sb::model::renameId(m_doc->project(), ElementRef::parse(element), newName);
    if (!renamed.ok())
        return false;
    studio::pushProjectEdit(m_doc, text, renamed.value(), mergeKey);
    return true;
}

bool SchemaTreeModel::setFieldType(int entity, const QString &path, const QString &type)
{
    const auto t = fieldTypeFromString(type);
    if (!t)
        return false;
    m_doc->endMergeGroup();
    const bool done = editField(entity, path, QStringLiteral("type"), [&](Field &f) {
        f.type = *t;
        if (*t != FieldType::Object && *t != FieldType::Array)
            f.fields.clear();
        if (*t != FieldType::Enum)
            f.enumValues.clear();
    });
    m_doc->endMergeGroup();
    return done;
}

bool SchemaTreeModel::setFieldRequired(int entity, const QString &path, bool required)
{
    m_doc->endMergeGroup();
    const bool done = editField(entity, path, QStringLiteral("required"),
                                [&](Field &f) { f.required = required; });
    m_doc->endMergeGroup();
    return done;
}

bool SchemaTreeModel::setFieldFormat(int entity, const QString &path, const QString &format)
{
    return editField(entity, path, QStringLiteral("format"),
                     [&](Field &f) { f.format = format.trimmed(); });
}

bool SchemaTreeModel::setFieldEnumValues(int entity, const QString &path, const QString &values)
{
    QStringList list;
    for (const QString &v : values.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!v.trimmed().isEmpty())
            list << v.trimmed();
    return editField(entity, path, QStringLiteral("enum values"),
                     [&](Field &f) { f.enumValues = list; });
}

bool SchemaTreeModel::setFieldDescription(int entity, const QString &path, const QString &text)
{
    return editField(entity, path, QStringLiteral("description"),
                     [&](Field &f) { f.description = text; });
}

bool SchemaTreeModel::setFieldMaxLength(int entity, const QString &path, int maxLength)
{
    if (maxLength < 0)
        return false;
    return editField(entity, path, QStringLiteral("maximum length"),
                     [&](Field &f) { f.maxLength = maxLength; });
}

bool SchemaTreeModel::setFieldCanonical(int entity, const QString &path, const QString &link)
{
    if (m_canonical)
        return false;  // canonical fields are what others link to
    return editField(entity, path, QStringLiteral("canonical link"),
                     [&](Field &f) { f.canonical = link.trimmed(); });
}

void SchemaTreeModel::toggleExpanded(int entity)
{
    const QVector<Entity> list = entities();
    if (entity < 0 || entity >= list.size())
        return;
    const QString name = list[entity].name;
    if (!m_collapsed.remove(name))
        m_collapsed.insert(name);
    refreshView();
}

void SchemaTreeModel::setAllExpanded(bool expanded)
{
    m_collapsed.clear();
    if (!expanded)
        for (const Entity &e : entities())
            m_collapsed.insert(e.name);
    refreshView();
}

void SchemaTreeModel::endEdit()
{
    if (m_doc)
        m_doc->endMergeGroup();
}

int SchemaTreeModel::rowOf(const QString &entity, const QString &fieldPath) const
{
    for (int i = 0; i < int(m_rows.size()); ++i) {
        const Row &r = *m_rows[i].row;
        const bool isEntity = r.kind == QLatin1String("entity");
        if (fieldPath.isEmpty() ? (isEntity && r.name == entity)
                                : (!isEntity && r.dotted == fieldPath
                                   && r.entityName == entity))
            return i;
    }
    return -1;
}

int SchemaTreeModel::entityRow(int entity) const
{
    for (int i = 0; i < int(m_rows.size()); ++i)
        if (m_rows[i].row->kind == QLatin1String("entity") && m_rows[i].row->entity == entity)
            return i;
    return -1;
}

int SchemaTreeModel::fieldRow(int entity, const QString &path) const
{
    for (int i = 0; i < int(m_rows.size()); ++i)
        if (m_rows[i].row->kind == QLatin1String("field") && m_rows[i].row->entity == entity
            && m_rows[i].row->path == path)
            return i;
    return -1;
}

QHash<QString, QStringList> SchemaTreeModel::canonicalLinks() const
{
    QHash<QString, QStringList> links;
    if (!m_doc || !m_canonical)
        return links;
    const Project &p = m_doc->project();
    for (const System &s : p.systems)
        for (const Entity &e : s.entities)
            for (const Field &f : e.fields)
                if (!f.canonical.isEmpty())
                    links[f.canonical] << QStringLiteral("%1.%2.%3").arg(s.id, e.name, f.name);
    // Mapping rules from a system entity into a canonical entity (plain field paths only).
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.]*$"));
    for (const Mapping &m : p.mappings) {
        if (!m.target.isCanonical() || m.source.isCanonical())
            continue;
        for (const MappingRule &r : m.rules) {
            if (!plain.match(r.expression).hasMatch())
                continue;
            const QString target = m.target.entity + QLatin1Char('.') + r.target;
            const QString source = m.source.display() + QLatin1Char('.') + r.expression;
            if (!links[target].contains(source))
                links[target] << source;
        }
    }
    return links;
}

const QVector<std::shared_ptr<const SchemaTreeModel::Row>> &SchemaTreeModel::allRows() const
{
    if (m_allValid)
        return m_all;
    // Every entity and field, unfiltered and expanded: built once per edit, so a keystroke
    // in the filter only picks rows (150 entities / 80,000 fields: a few ms, not a rebuild).
    m_all.clear();
    const QVector<Entity> list = entities();
    const QHash<QString, QStringList> links = canonicalLinks();
    for (int ei = 0; ei < list.size(); ++ei) {
        const Entity &e = list[ei];
        Row er;
        er.key = QStringLiteral("e:") + QString::number(ei);
        er.kind = QStringLiteral("entity");
        er.entity = ei;
        er.name = e.name;
        er.description = e.description;
        er.format = e.key;   // the entity row shows its key field here
        er.childCount = int(e.fields.size());
        er.hasChildren = !e.fields.isEmpty();
        er.expanded = true;
        m_all << std::make_shared<const Row>(std::move(er));
        const QString entityKey = QStringLiteral("n:") + QString::number(ei) + QLatin1Char('.');
        std::function<void(const QVector<Field> &, const QString &, const QString &, int)> add;
        add = [&](const QVector<Field> &fields, const QString &path, const QString &dotted,
                  int depth) {
            for (int fi = 0; fi < fields.size(); ++fi) {
                const Field &f = fields[fi];
                const QString p = path.isEmpty() ? QString::number(fi)
                                                 : path + QLatin1Char('.') + QString::number(fi);
                const QString d = dotted.isEmpty() ? f.name : dotted + QLatin1Char('.') + f.name;
                Row r;
                r.key = entityKey + p;
                r.dotted = d;
                r.kind = QStringLiteral("field");
                r.depth = depth;
                r.entity = ei;
                r.entityName = e.name;
                r.path = p;
                r.name = f.name;
                r.type = toString(f.type);
                r.itemType = f.type == FieldType::Array ? toString(f.itemType) : QString();
                r.required = f.required;
                r.format = f.format;
                r.enumValues = f.enumValues.join(QLatin1String(", "));
                r.description = f.description;
                r.isKey = depth == 1 && f.name == e.key;
                r.childCount = int(f.fields.size());
                r.hasChildren = nestable(f);
                r.expanded = true;
                r.canonicalLink = f.canonical;
                r.maxLength = f.maxLength;
                if (m_canonical)
                    r.links = links.value(e.name + QLatin1Char('.') + d);
                m_all << std::make_shared<const Row>(std::move(r));
                add(f.fields, p, d, depth + 1);
            }
        };
        add(e.fields, QString(), QString(), 1);
    }
    m_allValid = true;
    return m_all;
}

QVector<SchemaTreeModel::ViewRow> SchemaTreeModel::buildRows() const
{
    const QVector<std::shared_ptr<const Row>> &all = allRows();
    QVector<ViewRow> rows;
    rows.reserve(all.size());
    const QString needle = m_filter.trimmed();
    auto matches = [&](const QString &s) {
        return needle.isEmpty() || s.contains(needle, Qt::CaseInsensitive);
    };
    auto show = [&](const std::shared_ptr<const Row> &r, bool expanded) {
        rows.push_back(ViewRow{r, r->key, expanded});
    };
    for (int i = 0; i < all.size();) {
        const Row &header = *all[i];
        int end = i + 1;
        while (end < all.size() && all[end]->depth > 0)
            ++end;
        const bool entityHit = matches(header.name);
        const bool expanded = !m_collapsed.contains(header.name) || !needle.isEmpty();
        if (entityHit) {
            // The entity matches: every field of it is shown.
            show(all[i], expanded);
            if (expanded)
                for (int k = i + 1; k < end; ++k)
                    show(all[k], all[k]->expanded);
        } else {
            bool first = true;
            for (int k = i + 1; k < end; ++k) {
                if (!matches(all[k]->name))
                    continue;
                if (first) {
                    first = false;
                    show(all[i], expanded);
                    if (!expanded)
                        break;
                }
                show(all[k], all[k]->expanded);
            }
        }
        i = end;
    }
    return rows;
}

void SchemaTreeModel::refresh()
{
    // An edit: usually one changed row, and the row being edited must keep its delegate.
    m_allValid = false;
    syncRows(m_rows, buildRows());
    emit countsChanged();
}

void SchemaTreeModel::refreshView()
{
    QVector<ViewRow> next = buildRows();
    // Fine-grained signals keep the view's place; past a few thousand rows matching keys
    // costs more than the view's reset does.
    if (m_rows.size() + next.size() > kFineGrainedRows)
        resetRows(m_rows, next);
    else
        syncRows(m_rows, next);
    emit countsChanged();
}

