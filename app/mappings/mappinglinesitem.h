#pragma once

// The lines of a mapping, drawn in one item between the source and the target schema
// trees: one curve per (source field, rule), from the source row's right edge to the target
// row's left edge, following the trees' scroll positions. Also draws the line being dragged.

#include "app/mappings/mappingeditor.h"

#include <QColor>
#include <QPointer>
#include <QQuickPaintedItem>
#include <QtQml/qqmlregistration.h>

class MappingLinesItem : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(MappingEditor *editor READ editor WRITE setEditor NOTIFY editorChanged)
    Q_PROPERTY(qreal rowHeight MEMBER m_rowHeight NOTIFY geometryInputsChanged)
    // Row 0's top edge, in this item's coordinates, on each side (follows scrolling).
    Q_PROPERTY(qreal sourceTop MEMBER m_sourceTop NOTIFY geometryInputsChanged)
    Q_PROPERTY(qreal targetTop MEMBER m_targetTop NOTIFY geometryInputsChanged)
    Q_PROPERTY(int hoveredRule MEMBER m_hoveredRule NOTIFY geometryInputsChanged)
    Q_PROPERTY(int count READ count NOTIFY editorChanged)
    // A line being dragged from a source row to a point (item coordinates).
    Q_PROPERTY(int dragSourceRow MEMBER m_dragRow NOTIFY geometryInputsChanged)
    Q_PROPERTY(QPointF dragPoint MEMBER m_dragPoint NOTIFY geometryInputsChanged)
    // Palette (from Theme): plain lines, selected/hovered/dragged lines, rule findings.
    Q_PROPERTY(QColor lineColor MEMBER m_lineColor NOTIFY geometryInputsChanged)
    Q_PROPERTY(QColor accentColor MEMBER m_accentColor NOTIFY geometryInputsChanged)
    Q_PROPERTY(QColor errorColor MEMBER m_errorColor NOTIFY geometryInputsChanged)
    Q_PROPERTY(QColor warningColor MEMBER m_warningColor NOTIFY geometryInputsChanged)

public:
    explicit MappingLinesItem(QQuickItem *parent = nullptr);

    MappingEditor *editor() const { return m_editor; }
    void setEditor(MappingEditor *editor);
    int count() const { return m_editor ? int(m_editor->lines().size()) : 0; }
    void paint(QPainter *painter) override;
    // The rule whose line passes within a few pixels of (x, y); -1 if none.
    Q_INVOKABLE int ruleAt(qreal x, qreal y) const;

signals:
    void editorChanged();
    void geometryInputsChanged();

private:
    QPainterPath pathFor(const MappingEditor::Line &line) const;

    QPointer<MappingEditor> m_editor;
    qreal m_rowHeight = 28;
    qreal m_sourceTop = 0;
    qreal m_targetTop = 0;
    int m_hoveredRule = -1;
    int m_dragRow = -1;
    QPointF m_dragPoint;
    QColor m_lineColor{0x94, 0xa3, 0xb8};
    QColor m_accentColor{0x2f, 0x6f, 0xeb};
    QColor m_errorColor{0xd6, 0x45, 0x45};
    QColor m_warningColor{0xb7, 0x79, 0x1f};
};
