#pragma once

// Ctrl+K: every system, entity, field, canonical entity and field, mapping, workflow and
// workflow step of the project, ranked against a filter (prefix, then substring, then
// in-order letters). activate() selects the element, switches to its view and reveals it.

#include "app/shell/rowlistmodel.h"

#include <QtQml/qqmlregistration.h>

#include "app/shell/studiocontroller.h"

class QuickOpenModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(StudioController *controller READ controller WRITE setController
                   NOTIFY controllerChanged)
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
public:
    enum Role { LabelRole = Qt::UserRole + 1, DetailRole, KindRole, ElementRole, ViewRole };
    Q_ENUM(Role)

    explicit QuickOpenModel(QObject *parent = nullptr);

    StudioController *controller() const { return m_controller; }
    void setController(StudioController *controller);
    QString filter() const { return m_filter; }
    void setFilter(const QString &filter);

    // Rebuilds the candidate list from the document (call when the popup opens).
    Q_INVOKABLE void reload();
    Q_INVOKABLE bool activate(int row);

signals:
    void controllerChanged();
    void filterChanged();

private:
    struct Row
    {
        QString key;         // element id
        QString label;
        QString detail;
        QString kind;        // system, entity, field, canonical, mapping, workflow, step
        QString view;
        int score = 0;
        bool operator==(const Row &o) const
        {
            return key == o.key && label == o.label && detail == o.detail && kind == o.kind
                   && view == o.view;
        }
    };
    void apply();

    StudioController *m_controller = nullptr;
    QString m_filter;
    QVector<Row> m_all;
    QVector<Row> m_rows;
};
