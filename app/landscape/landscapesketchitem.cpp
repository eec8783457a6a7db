#include "app/landscape/landscapesketchitem.h"

#include <QAbstractItemModel>
#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QLineF>
#include <QPainterPath>
#include <QPolygonF>

#include <algorithm>

namespace {

int roleOf(const QAbstractItemModel *model, const char *name)
{
    return model->roleNames().key(QByteArray(name), -1);
}

} // namespace

LandscapeSketchItem::LandscapeSketchItem(QQuickItem *parent) : QQuickPaintedItem(parent)
{
    connect(this, &LandscapeSketchItem::transformChanged, this, [this] { update(); });
    connect(this, &LandscapeSketchItem::lookChanged, this, [this] { update(); });
    connect(this, &LandscapeSketchItem::modelsChanged, this, &LandscapeSketchItem::markDirty);
}

void LandscapeSketchItem::setSystems(QAbstractItemModel *model)
{
    if (m_systems == model)
        return;
    if (m_systems)
        disconnect(m_systems, nullptr, this, nullptr);
    m_systems = model;
    watch(model);
    emit modelsChanged();
}

void LandscapeSketchItem::setFlows(QAbstractItemModel *model)
{
    if (m_flows == model)
        return;
    if (m_flows)
        disconnect(m_flows, nullptr, this, nullptr);
    m_flows = model;
    watch(model);
    emit modelsChanged();
}

void LandscapeSketchItem::watch(QAbstractItemModel *model)
{
    if (!model)
        return;
    // Any change to the models is read again lazily, at the next paint.
    connect(model, &QAbstractItemModel::dataChanged, this, &LandscapeSketchItem::markDirty);
    connect(model, &QAbstractItemModel::rowsInserted, this, &LandscapeSketchItem::markDirty);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &LandscapeSketchItem::markDirty);
    connect(model, &QAbstractItemModel::rowsMoved, this, &LandscapeSketchItem::markDirty);
    connect(model, &QAbstractItemModel::modelReset, this, &LandscapeSketchItem::markDirty);
    connect(model, &QAbstractItemModel::layoutChanged, this, &LandscapeSketchItem::markDirty);
}

void LandscapeSketchItem::markDirty()
{
    m_dirty = true;
    update();
}

void LandscapeSketchItem::setOriginX(qreal x)
{
    if (qFuzzyCompare(x, m_originX))
        return;
    m_originX = x;
    emit transformChanged();
}

void LandscapeSketchItem::setOriginY(qreal y)
{
    if (qFuzzyCompare(y, m_originY))
        return;
    m_originY = y;
    emit transformChanged();
}

void LandscapeSketchItem::setZoom(qreal scale)
{
    if (qFuzzyCompare(scale, m_scale) || scale <= 0)
        return;
    m_scale = scale;
    emit transformChanged();
}

void LandscapeSketchItem::reload()
{
    m_dirty = false;
    m_cards.clear();
    m_lines.clear();
    if (m_systems) {
        const int id = roleOf(m_systems, "systemId"), name = roleOf(m_systems, "name"),
                  color = roleOf(m_systems, "systemColor"), x = roleOf(m_systems, "nodeX"),
                  y = roleOf(m_systems, "nodeY"), w = roleOf(m_systems, "nodeWidth"),
                  h = roleOf(m_systems, "nodeHeight");
        const int rows = m_systems->rowCount();
        m_cards.reserve(rows);
        for (int row = 0; row < rows; ++row) {
            const QModelIndex i = m_systems->index(row, 0);
            m_cards.append({i.data(id).toString(), i.data(name).toString(),
                            QColor(i.data(color).toString()),
                            QRectF(i.data(x).toReal(), i.data(y).toReal(), i.data(w).toReal(),
                                   i.data(h).toReal())});
        }
    }
    if (m_flows) {
        const char *names[] = {"lineStartX", "lineStartY", "curveX",      "curveY",
                               "lineEndX",   "lineEndY",   "arrowLeftX",  "arrowLeftY",
                               "arrowRightX", "arrowRightY", "edgeKind",  "element"};
        constexpr int count = int(sizeof(names) / sizeof(names[0]));
        int roles[count];
        for (int k = 0; k < count; ++k)
            roles[k] = roleOf(m_flows, names[k]);
        const int rows = m_flows->rowCount();
        m_lines.reserve(rows);
        for (int row = 0; row < rows; ++row) {
            const QModelIndex i = m_flows->index(row, 0);
            auto point = [&](int k) {
                return QPointF(i.data(roles[k]).toReal(), i.data(roles[k + 1]).toReal());
            };
            m_lines.append({point(0), point(2), point(4), point(6), point(8),
                            i.data(roles[11]).toString(),
                            i.data(roles[10]).toString() == QLatin1String("workflow")});
        }
    }
}

QRectF LandscapeSketchItem::toItem(const QRectF &r) const
{
    return QRectF(m_originX + r.x() * m_scale, m_originY + r.y() * m_scale,
                  r.width() * m_scale, r.height() * m_scale);
}

QPointF LandscapeSketchItem::toItem(const QPointF &p) const
{
    return QPointF(m_originX + p.x() * m_scale, m_originY + p.y() * m_scale);
}

QRectF LandscapeSketchItem::boxOf(const Line &line) const
{
    // The curve lies inside the triangle of its end and control points; the margin covers the
    // pen and the arrow head (and keeps a straight line's box from being empty).
    const QPointF a = toItem(line.start), c = toItem(line.control), b = toItem(line.end);
    const qreal left = qMin(qMin(a.x(), b.x()), c.x()), right = qMax(qMax(a.x(), b.x()), c.x());
    const qreal top = qMin(qMin(a.y(), b.y()), c.y()), bottom = qMax(qMax(a.y(), b.y()), c.y());
    return QRectF(QPointF(left, top), QPointF(right, bottom)).adjusted(-8, -8, 8, 8);
}

void LandscapeSketchItem::paint(QPainter *painter)
{
    if (m_dirty)
        reload();
    const QRectF view(0, 0, width(), height());

    // Lines first, under the cards; only those whose box meets the view. Widths are in canvas
    // units, as if the lines were scaled with the cards.
    const bool smooth = m_scale >= 0.45;
    painter->setRenderHint(QPainter::Antialiasing, smooth);
    painter->setBrush(Qt::NoBrush);
    for (const Line &line : m_lines) {
        if (!boxOf(line).intersects(view))
            continue;
        const QPointF a = toItem(line.start), c = toItem(line.control), b = toItem(line.end);
        const bool selected = !m_selectedElement.isEmpty() && line.element == m_selectedElement;
        const QColor color = selected ? m_accent : line.workflow ? m_workflowColor : m_flowColor;
        QPen pen(color, qMax<qreal>(smooth ? 1 : 0, (selected ? 2.5 : 1.5) * m_scale));
        pen.setCapStyle(Qt::RoundCap);
        pen.setJoinStyle(Qt::RoundJoin);
        if (line.workflow)
            pen.setDashPattern({4, 3});  // in units of the pen width, like the old ShapePath
        if (!view.contains(boxOf(line))) {
            // Stroking (and dashing) costs along the whole curve, even off screen: long edges
            // across a big landscape would make every frame slow. Draw only the pieces of the
            // flattened curve that meet the view, dashes continuing from piece to piece.
            constexpr int pieces = 32;
            qreal along = 0;
            QPointF from = a;
            for (int k = 1; k <= pieces; ++k) {
                const qreal t = qreal(k) / pieces;
                const QPointF to = (1 - t) * (1 - t) * a + 2 * (1 - t) * t * c + t * t * b;
                const QRectF piece = QRectF(from, to).normalized().adjusted(-2, -2, 2, 2);
                if (piece.intersects(view)) {
                    if (line.workflow)
                        pen.setDashOffset(along / pen.widthF());
                    painter->setPen(pen);
                    painter->drawLine(from, to);
                }
                along += QLineF(from, to).length();
                from = to;
            }
            if (smooth && view.contains(b)) {
                pen.setStyle(Qt::SolidLine);
                painter->setPen(pen);
                painter->drawPolyline(QPolygonF{toItem(line.arrowLeft), b,
                                                toItem(line.arrowRight)});
            }
            continue;
        }
        painter->setPen(pen);
        QPainterPath path(a);
        path.quadTo(c, b);
        if (smooth) {
            path.moveTo(toItem(line.arrowLeft));
            path.lineTo(b);
            path.lineTo(toItem(line.arrowRight));
        }
        painter->drawPath(path);
    }
    painter->setRenderHint(QPainter::Antialiasing, false);

    const bool blocks = m_style == QLatin1String("blocks");
    QFont font = painter->font();
    font.setPixelSize(11);
    painter->setFont(font);
    const QFontMetricsF metrics(font);
    for (const Card &card : m_cards) {
        const QRectF r = toItem(card.rect);
        if (!r.intersects(view))
            continue;
        const bool selected = m_selection.contains(card.id);
        if (blocks) {
            QColor fill = selected ? m_accent : card.color;
            fill.setAlphaF(0.75);
            painter->fillRect(QRectF(r.topLeft(), r.size().expandedTo(QSizeF(2, 2))), fill);
            continue;
        }
        painter->setPen(selected ? QPen(m_accent, 2) : QPen(QColor(0xcf, 0xd6, 0xdf), 1));
        painter->setBrush(Qt::white);
        painter->drawRect(r);
        painter->fillRect(QRectF(r.x(), r.y(), r.width(), qMax<qreal>(2, r.height() * 0.04)),
                          card.color);
        if (r.width() > 40 && r.height() > 18) {
            painter->setPen(QColor(0x1f, 0x29, 0x37));
            const QRectF text = r.adjusted(4, 4, -4, -2);
            painter->drawText(text, Qt::AlignLeft | Qt::AlignTop,
                              metrics.elidedText(card.name, Qt::ElideRight, text.width()));
        }
    }
}

int LandscapeSketchItem::visibleSystems()
{
    if (m_dirty)
        reload();
    const QRectF view(0, 0, width(), height());
    return int(std::count_if(m_cards.cbegin(), m_cards.cend(), [&](const Card &card) {
        return toItem(card.rect).intersects(view);
    }));
}

int LandscapeSketchItem::visibleEdges()
{
    if (m_dirty)
        reload();
    const QRectF view(0, 0, width(), height());
    return int(std::count_if(m_lines.cbegin(), m_lines.cend(),
                             [&](const Line &line) { return boxOf(line).intersects(view); }));
}
