#include "app/shell/systemsmodel.h"

#include "app/shell/nodegeometry.h"

using namespace sb::model;

bool SystemsModel::Row::operator==(const Row &o) const
{
    return key == o.key && name == o.name && kind == o.kind && color == o.color
           && position == o.position && size == o.size && entities == o.entities
           && moreEntities == o.moreEntities && errors == o.errors && warnings == o.warnings;
}

SystemsModel::SystemsModel(Document *document, QObject *parent)
    : RowListModel(parent), m_document(document)
{
    setRoles(
        &m_rows,
        {{Qt::DisplayRole, nullptr, &Row::name},
         {NameRole, "name", &Row::name},
         {SystemIdRole, "systemId", &Row::key},
         {KindRole, "kind", &Row::kind},
         {KindLabelRole, "kindLabel", &Row::kindLabel},
         {KindIconRole, "kindIcon", &Row::kindIcon},
         {ColorRole, "systemColor", &Row::color},
         {NodeXRole, "nodeX", [](const Row &r) -> QVariant { return r.position.x(); }},
         {NodeYRole, "nodeY", [](const Row &r) -> QVariant { return r.position.y(); }},
         {NodeWidthRole, "nodeWidth", [](const Row &r) -> QVariant { return r.size.width(); }},
         {NodeHeightRole, "nodeHeight", [](const Row &r) -> QVariant { return r.size.height(); }},
         {EntitiesRole, "entities", &Row::entities},
         {MoreEntitiesRole, "moreEntities", &Row::moreEntities},
         {ErrorCountRole, "errorCount", &Row::errors},
         {WarningCountRole, "warningCount", &Row::warnings}});
    connect(document, &Document::changed, this, [this](const Change &c) {
        if (c.collection == Collection::Systems && c.kind == Change::Updated)
            refreshOne(c.id, c.index);
        else if (c.collection == Collection::Systems || c.collection == Collection::Project)
            refresh();
    });
    connect(document, &Document::projectReset, this, [this] {
        m_counts.clear();
        resetRows(m_rows, buildRows());
    });
    m_rows = buildRows();
}

QVector<SystemsModel::Row> SystemsModel::buildRows() const
{
    QVector<Row> rows;
    const Project &p = m_document->project();
    rows.reserve(p.systems.size());
    for (const System &s : p.systems)
        rows << rowFor(s);
    return rows;
}

void SystemsModel::refreshOne(const QString &id, int index)
{
    const QVector<System> &systems = m_document->project().systems;
    if (index < 0 || index >= int(m_rows.size()) || index >= int(systems.size())
        || m_rows[index].key != id || systems[index].id != id) {
        refresh();  // not where expected: compare everything
        return;
    }
    const Row next = rowFor(systems[index]);
    if (next == m_rows[index])
        return;
    m_rows[index] = next;
    emit dataChanged(this->index(index), this->index(index));
}

SystemsModel::Row SystemsModel::rowFor(const System &s) const
{
    Row r;
    r.key = s.id;
    r.name = s.name.isEmpty() ? s.id : s.name;
    r.kind = toString(s.kind);
    r.kindLabel = studio::kindLabel(s.kind);
    r.kindIcon = studio::kindIcon(s.kind);
    r.color = s.color.isEmpty() ? QStringLiteral("#94a3b8") : s.color;
    r.position = s.position;
    r.size = QSizeF(studio::kNodeWidth, studio::nodeHeight(s));
    const int shown = int(s.entities.size()) > studio::kNodeMaxEntities
                          ? studio::kNodeMaxEntities
                          : int(s.entities.size());
    for (int i = 0; i < shown; ++i)
        r.entities << s.entities[i].name;
    r.moreEntities = int(s.entities.size()) - shown;
    const auto counts = m_counts.value(s.id);
    r.errors = counts.first;
    r.warnings = counts.second;
    return r;
}

void SystemsModel::refresh()
{
    syncRows(m_rows, buildRows());
}

void SystemsModel::setFindingCounts(const QHash<QString, QPair<int, int>> &counts)
{
    if (counts == m_counts)
        return;
    m_counts = counts;
    refresh();
}

int SystemsModel::indexOf(const QString &systemId) const
{
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (m_rows[i].key == systemId)
            return i;
    }
    return -1;
}
