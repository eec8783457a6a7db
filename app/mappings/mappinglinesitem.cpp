#include "app/mappings/mappinglinesitem.h"

#include <QPainter>
#include <QPainterPathStroker>

MappingLinesItem::MappingLinesItem(QQuickItem *parent) : QQuickPaintedItem(parent)
{
    setAntialiasing(true);
    connect(this, &MappingLinesItem::geometryInputsChanged, this, [this] { update(); });
}

void MappingLinesItem::setEditor(MappingEditor *editor)
{
    if (editor == m_editor)
        return;
    if (m_editor)
        disconnect(m_editor, nullptr, this, nullptr);
    m_editor = editor;
    if (m_editor) {
        connect(m_editor, &MappingEditor::linesChanged, this, [this] {
            update();
            emit editorChanged();
        });
        connect(m_editor, &MappingEditor::selectedRuleChanged, this, [this] { update(); });
    }
    update();
    emit editorChanged();
}

QPainterPath MappingLinesItem::pathFor(const MappingEditor::Line &line) const
{
    const qreal w = width();
    const qreal half = m_rowHeight / 2;
    const qreal y2 = m_targetTop + line.targetRow * m_rowHeight + half;
    // A rule that reads no source field (a constant, a computed value) starts mid-air.
    const qreal y1 = line.sourceRow >= 0 ? m_sourceTop + line.sourceRow * m_rowHeight + half
                                         : y2;
    const qreal x1 = line.sourceRow >= 0 ? 0 : w * 0.55;
    QPainterPath path(QPointF(x1, y1));
    const qreal bend = (w - x1) * 0.5;
    path.cubicTo(QPointF(x1 + bend, y1), QPointF(w - bend, y2), QPointF(w, y2));
    return path;
}

void MappingLinesItem::paint(QPainter *p)
{
    if (!m_editor)
        return;
    p->setRenderHint(QPainter::Antialiasing, true);
    const int selected = m_editor->selectedRule();
    const QColor normal = m_lineColor;
    const QColor accent = m_accentColor;
    const QColor error = m_errorColor;
    const QColor warning = m_warningColor;
    // Selected and hovered lines are drawn last, on top.
    std::vector<const MappingEditor::Line *> order;
    for (const auto &l : m_editor->lines()) {
        if (l.targetRow >= 0)
            order.push_back(&l);
    }
    std::stable_sort(order.begin(), order.end(), [&](const auto *a, const auto *b) {
        auto rank = [&](const MappingEditor::Line *l) {
            return l->rule == selected ? 2 : l->rule == m_hoveredRule ? 1 : 0;
        };
        return rank(a) < rank(b);
    });
    for (const MappingEditor::Line *l : order) {
        const bool sel = l->rule == selected;
        const bool hov = l->rule == m_hoveredRule;
        QColor c = l->problem == QLatin1String("error")     ? error
                   : l->problem == QLatin1String("warning") ? warning
                   : sel || hov                             ? accent
                                                            : normal;
        if (!sel && !hov && l->problem.isEmpty())
            c.setAlpha(200);
        QPen pen(c, sel ? 2.5 : hov ? 2.0 : 1.4);
        if (l->sourceRow < 0)
            pen.setStyle(Qt::DashLine);
        p->setPen(pen);
        p->setBrush(Qt::NoBrush);
        const QPainterPath path = pathFor(*l);
        p->drawPath(path);
        // Ports: a dot on the source side, an arrow head on the target side.
        p->setPen(Qt::NoPen);
        p->setBrush(c);
        const QPointF end = path.currentPosition();
        if (l->sourceRow >= 0)
            p->drawEllipse(path.elementAt(0), sel ? 3.5 : 3.0, sel ? 3.5 : 3.0);
        QPolygonF head;
        head << end << end + QPointF(-7, -4) << end + QPointF(-7, 4);
        p->drawPolygon(head);
    }
    if (m_dragRow >= 0) {
        const qreal y1 = m_sourceTop + m_dragRow * m_rowHeight + m_rowHeight / 2;
        QPainterPath path(QPointF(0, y1));
        const qreal bend = std::max<qreal>(40, (m_dragPoint.x()) * 0.5);
        path.cubicTo(QPointF(bend, y1), QPointF(m_dragPoint.x() - bend, m_dragPoint.y()),
                     m_dragPoint);
        QPen pen(accent, 2, Qt::DashLine);
        p->setPen(pen);
        p->setBrush(Qt::NoBrush);
        p->drawPath(path);
    }
}

int MappingLinesItem::ruleAt(qreal x, qreal y) const
{
    if (!m_editor)
        return -1;
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    for (const auto &l : m_editor->lines()) {
        if (l.targetRow < 0)
            continue;
        if (stroker.createStroke(pathFor(l)).contains(QPointF(x, y)))
            return l.rule;
    }
    return -1;
}
