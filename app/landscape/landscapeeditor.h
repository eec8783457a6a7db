#pragma once

// Editing of the landscape canvas: add, delete, rename and connect systems, the multi-system
// selection, moving it as one undo step, snap to grid and automatic layout. The canvas QML
// instantiates one (`LandscapeEditor { controller: StudioController }`) and forwards intent.

#include <QObject>
#include <QPointF>
#include <QRectF>
#include <QStringList>
#include <QVariantList>
#include <QHash>
#include <QtQml/qqmlregistration.h>

#include "app/shell/studiocontroller.h"

class LandscapeEditor : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(StudioController *controller READ controller WRITE setController
                   NOTIFY controllerChanged)
    // Selected system ids; the controller's selectedSystem is always one of them.
    Q_PROPERTY(QStringList selection READ selection NOTIFY selectionChanged)
    Q_PROPERTY(bool snapToGrid READ snapToGrid WRITE setSnapToGrid NOTIFY snapToGridChanged)
    Q_PROPERTY(int gridSize READ gridSize CONSTANT)
    // Bounds of everything drawn (cards and edge labels), in canvas coordinates.
    Q_PROPERTY(QRectF bounds READ bounds NOTIFY boundsChanged)
    // [{ name, label, icon, color }] for every system kind.
    Q_PROPERTY(QVariantList kinds READ kinds CONSTANT)

public:
    explicit LandscapeEditor(QObject *parent = nullptr);

    StudioController *controller() const { return m_controller; }
    void setController(StudioController *controller);
    QStringList selection() const { return m_selection; }
    bool snapToGrid() const { return m_snap; }
    void setSnapToGrid(bool on);
    int gridSize() const { return 24; }
    QRectF bounds() const { return m_bounds; }
    QVariantList kinds() const;

    // Adds a system of `kind` centred on (x, y); returns its id and selects it.
    Q_INVOKABLE QString addSystem(const QString &kind, qreal x, qreal y);
    // Deletes the selected systems with their data flows, or the selected flow; one step.
    Q_INVOKABLE bool deleteSelection();
    // What deleting the selected systems touches: [{element, display, role}], the data flows
    // that go with them and the references elsewhere that would be left dangling.
    Q_INVOKABLE QVariantList deleteImpact() const;
    Q_INVOKABLE bool renameSystem(const QString &id, const QString &name);
    // Adds a data flow from -> to and selects it; returns its id (empty when refused).
    Q_INVOKABLE QString connectSystems(const QString &from, const QString &to);
    // The system whose card contains the canvas point, or empty.
    Q_INVOKABLE QString systemAt(qreal x, qreal y) const;

    Q_INVOKABLE void selectOnly(const QString &id);
    Q_INVOKABLE void toggleSelected(const QString &id);
    Q_INVOKABLE void selectInRect(qreal x, qreal y, qreal width, qreal height, bool additive);
    Q_INVOKABLE void selectAll();
    Q_INVOKABLE void clearSelection();

    // Dragging a card drags the selection it belongs to; one undo step per drag.
    Q_INVOKABLE void beginDrag(const QString &id);
    Q_INVOKABLE void dragBy(qreal dx, qreal dy);
    Q_INVOKABLE void endDrag();

    // Layered layout of every system, as one undo step.
    Q_INVOKABLE void autoLayout();

signals:
    void controllerChanged();
    void selectionChanged();
    void snapToGridChanged();
    void boundsChanged();
    // A system was added: the canvas reveals it and opens the inline name editor.
    void systemAdded(const QString &id);

private:
    void setSelection(const QStringList &ids, const QString &primary);
    void syncFromController();
    void pruneSelection();
    void updateBounds();
    qreal snap(qreal v) const;

    StudioController *m_controller = nullptr;
    QStringList m_selection;
    bool m_snap = true;
    QRectF m_bounds;
    QHash<QString, QPointF> m_dragStart;
    QString m_dragPrimary;
};
