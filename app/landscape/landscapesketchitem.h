#pragma once

// The landscape painted in one item: every edge (data flows solid, workflow hand-offs
// dashed, with arrow heads) and, when given the systems, each system as a small card or a
// coloured block. The canvas draws all its edges with it, and its cards too when zoomed out
// too far to read them; the minimap draws its blocks with it. So no view needs an item per
// edge or per system. Canvas coordinates map to item coordinates as origin + point * zoom;
// only what falls inside the item is painted.

#include <QColor>
#include <QPointer>
#include <QQuickPaintedItem>
#include <QRectF>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

class QAbstractItemModel;

class LandscapeSketchItem : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QAbstractItemModel *systems READ systems WRITE setSystems NOTIFY modelsChanged)
    Q_PROPERTY(QAbstractItemModel *flows READ flows WRITE setFlows NOTIFY modelsChanged)
    Q_PROPERTY(qreal originX MEMBER m_originX WRITE setOriginX NOTIFY transformChanged)
    Q_PROPERTY(qreal originY MEMBER m_originY WRITE setOriginY NOTIFY transformChanged)
    Q_PROPERTY(qreal zoom MEMBER m_scale WRITE setZoom NOTIFY transformChanged)
    // "cards": white cards with a colour bar and the name; "blocks": filled colour blocks.
    Q_PROPERTY(QString style MEMBER m_style NOTIFY lookChanged)
    Q_PROPERTY(QStringList selection MEMBER m_selection NOTIFY lookChanged)
    // The selected edge's element id ("flow:ID", "workflow:ID"), drawn in the accent colour.
    Q_PROPERTY(QString selectedElement MEMBER m_selectedElement NOTIFY lookChanged)
    Q_PROPERTY(QColor accentColor MEMBER m_accent NOTIFY lookChanged)
    Q_PROPERTY(QColor flowColor MEMBER m_flowColor NOTIFY lookChanged)
    Q_PROPERTY(QColor workflowColor MEMBER m_workflowColor NOTIFY lookChanged)

public:
    explicit LandscapeSketchItem(QQuickItem *parent = nullptr);

    QAbstractItemModel *systems() const { return m_systems; }
    void setSystems(QAbstractItemModel *model);
    QAbstractItemModel *flows() const { return m_flows; }
    void setFlows(QAbstractItemModel *model);
    void setOriginX(qreal x);
    void setOriginY(qreal y);
    void setZoom(qreal zoom);
    // How many systems and edges lie (partly) inside the item at the current transform.
    Q_INVOKABLE int visibleSystems();
    Q_INVOKABLE int visibleEdges();

    void paint(QPainter *painter) override;

signals:
    void modelsChanged();
    void transformChanged();
    void lookChanged();

private:
    struct Card
    {
        QString id;
        QString name;
        QColor color;
        QRectF rect;  // canvas coordinates
    };
    struct Line
    {
        QPointF start, control, end, arrowLeft, arrowRight;
        QString element;
        bool workflow = false;
    };
    void watch(QAbstractItemModel *model);
    void markDirty();
    void reload();
    QRectF toItem(const QRectF &canvasRect) const;
    QPointF toItem(const QPointF &canvasPoint) const;
    QRectF boxOf(const Line &line) const;

    QPointer<QAbstractItemModel> m_systems;
    QPointer<QAbstractItemModel> m_flows;
    QVector<Card> m_cards;
    QVector<Line> m_lines;
    bool m_dirty = true;
    qreal m_originX = 0;
    qreal m_originY = 0;
    qreal m_scale = 1;
    QString m_style = QStringLiteral("cards");
    QStringList m_selection;
    QString m_selectedElement;
    QColor m_accent{0x2f, 0x6f, 0xeb};
    QColor m_flowColor{0x94, 0xa3, 0xb8};
    QColor m_workflowColor{0x7c, 0x5c, 0xe0};
};
