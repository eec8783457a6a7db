#pragma once

// The systems of the open project, one row per system, as cards on the landscape canvas.

#include "app/shell/rowlistmodel.h"
#include "model/document.h"

#include <QHash>
#include <QSizeF>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

class SystemsModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by StudioController")
public:
    enum Role {
        SystemIdRole = Qt::UserRole + 1, NameRole, KindRole, KindLabelRole, KindIconRole,
        ColorRole, NodeXRole, NodeYRole, NodeWidthRole, NodeHeightRole, EntitiesRole,
        MoreEntitiesRole, ErrorCountRole, WarningCountRole
    };
    Q_ENUM(Role)

    explicit SystemsModel(sb::model::Document *document, QObject *parent = nullptr);

    Q_INVOKABLE int indexOf(const QString &systemId) const;
    // Finding counts per system id (errors, warnings), from the controller.
    void setFindingCounts(const QHash<QString, QPair<int, int>> &counts);

private:
    struct Row
    {
        QString key;         // system id
        QString name;
        QString kind;
        QString kindLabel;
        QString kindIcon;
        QString color;
        QPointF position;
        QSizeF size;
        QStringList entities;
        int moreEntities = 0;
        int errors = 0;
        int warnings = 0;
        bool operator==(const Row &o) const;
    };
    QVector<Row> buildRows() const;
    Row rowFor(const sb::model::System &system) const;
    void refresh();
    // One system changed in place: only its row is rebuilt.
    void refreshOne(const QString &id, int index);

    sb::model::Document *m_document;
    QVector<Row> m_rows;
    QHash<QString, QPair<int, int>> m_counts;
};
