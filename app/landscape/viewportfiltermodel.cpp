#include "app/landscape/viewportfiltermodel.h"

ViewportFilterModel::ViewportFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    // Geometry roles change as cards move; keep the kept set right without a full refilter.
    setDynamicSortFilter(true);
    connect(this, &QAbstractItemModel::modelReset, this, &ViewportFilterModel::resolveRoles);
    connect(this, &QSortFilterProxyModel::sourceModelChanged, this,
            &ViewportFilterModel::resolveRoles);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(this, signal, this, &ViewportFilterModel::countChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &ViewportFilterModel::countChanged);
    connect(this, &QAbstractItemModel::layoutChanged, this, &ViewportFilterModel::countChanged);
    connect(this, &ViewportFilterModel::rolesChanged, this, [this] {
        resolveRoles();
        invalidateFilter();
    });
}

void ViewportFilterModel::setViewport(const QRectF &viewport)
{
    if (viewport == m_viewport)
        return;
    m_viewport = viewport;
    emit viewportChanged();
    if (m_kept.contains(viewport))
        return;
    const qreal mx = viewport.width() * m_margin;
    const qreal my = viewport.height() * m_margin;
    m_kept = viewport.adjusted(-mx, -my, mx, my);
    if (m_active)
        invalidateFilter();
}

void ViewportFilterModel::setXRoles(const QStringList &roles)
{
    if (roles == m_xRoleNames)
        return;
    m_xRoleNames = roles;
    emit rolesChanged();
}

void ViewportFilterModel::setYRoles(const QStringList &roles)
{
    if (roles == m_yRoleNames)
        return;
    m_yRoleNames = roles;
    emit rolesChanged();
}

void ViewportFilterModel::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    emit activeChanged();
    invalidateFilter();
}

void ViewportFilterModel::resolveRoles()
{
    m_xRoles.clear();
    m_yRoles.clear();
    m_widthRoleId = m_heightRoleId = -1;
    if (!sourceModel())
        return;
    const QHash<int, QByteArray> names = sourceModel()->roleNames();
    auto roleOf = [&names](const QString &name) {
        return name.isEmpty() ? -1 : names.key(name.toUtf8(), -1);
    };
    for (const QString &name : m_xRoleNames)
        m_xRoles << roleOf(name);
    for (const QString &name : m_yRoleNames)
        m_yRoles << roleOf(name);
    m_widthRoleId = roleOf(m_widthRole);
    m_heightRoleId = roleOf(m_heightRole);
}

QRectF ViewportFilterModel::boxOf(const QModelIndex &index) const
{
    qreal left = 0, right = 0, top = 0, bottom = 0;
    for (int i = 0; i < m_xRoles.size(); ++i) {
        const qreal x = index.data(m_xRoles[i]).toReal();
        left = i == 0 ? x : qMin(left, x);
        right = i == 0 ? x : qMax(right, x);
    }
    for (int i = 0; i < m_yRoles.size(); ++i) {
        const qreal y = index.data(m_yRoles[i]).toReal();
        top = i == 0 ? y : qMin(top, y);
        bottom = i == 0 ? y : qMax(bottom, y);
    }
    if (m_widthRoleId >= 0 && m_heightRoleId >= 0) {
        right += index.data(m_widthRoleId).toReal();
        bottom += index.data(m_heightRoleId).toReal();
        return QRectF(QPointF(left, top), QPointF(right, bottom));
    }
    // Points only (an edge and its label): leave room for the label drawn around them.
    return QRectF(QPointF(left, top), QPointF(right, bottom)).adjusted(-100, -30, 100, 30);
}

bool ViewportFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_active)
        return false;
    // Roles not known: keep everything rather than hide it. No view yet (a canvas not laid
    // out): nothing is seen, so nothing is kept; the first real viewport fills it.
    if (m_xRoles.isEmpty() || m_yRoles.isEmpty() || m_xRoles.contains(-1)
        || m_yRoles.contains(-1))
        return true;
    if (m_kept.isEmpty())
        return false;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    return boxOf(index).intersects(m_kept);
}
