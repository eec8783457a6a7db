#pragma once

// Keeps only the rows of a canvas model whose box lies in (or near) the visible part of the
// canvas, so a Repeater creates delegates for what can be seen and not for the whole project.
// The box of a row is the bounding box of the points named by xRoles/yRoles, grown by
// widthRole/heightRole when given (a card's top-left plus its size).
//
// The kept area is the viewport grown by `margin` of its size on every side; the filter only
// runs again when the viewport leaves that area, so panning does not refilter every frame.

#include <QRectF>
#include <QSortFilterProxyModel>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

class ViewportFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QRectF viewport READ viewport WRITE setViewport NOTIFY viewportChanged)
    Q_PROPERTY(QStringList xRoles READ xRoles WRITE setXRoles NOTIFY rolesChanged)
    Q_PROPERTY(QStringList yRoles READ yRoles WRITE setYRoles NOTIFY rolesChanged)
    Q_PROPERTY(QString widthRole MEMBER m_widthRole NOTIFY rolesChanged)
    Q_PROPERTY(QString heightRole MEMBER m_heightRole NOTIFY rolesChanged)
    Q_PROPERTY(qreal margin MEMBER m_margin NOTIFY viewportChanged)
    // Off: no row passes (the canvas draws a simplified picture instead of delegates).
    Q_PROPERTY(bool active READ active WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    explicit ViewportFilterModel(QObject *parent = nullptr);

    QRectF viewport() const { return m_viewport; }
    void setViewport(const QRectF &viewport);
    QStringList xRoles() const { return m_xRoleNames; }
    void setXRoles(const QStringList &roles);
    QStringList yRoles() const { return m_yRoleNames; }
    void setYRoles(const QStringList &roles);
    bool active() const { return m_active; }
    void setActive(bool active);
    int count() const { return rowCount(); }
    // The area rows are kept for, in canvas coordinates (for tests and the bench).
    QRectF keptArea() const { return m_kept; }

signals:
    void viewportChanged();
    void rolesChanged();
    void activeChanged();
    void countChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void resolveRoles();
    QRectF boxOf(const QModelIndex &index) const;

    QRectF m_viewport;
    QRectF m_kept;
    QStringList m_xRoleNames;
    QStringList m_yRoleNames;
    QString m_widthRole;
    QString m_heightRole;
    QVector<int> m_xRoles;
    QVector<int> m_yRoles;
    int m_widthRoleId = -1;
    int m_heightRoleId = -1;
    qreal m_margin = 0.5;
    bool m_active = true;
};
