#pragma once

// The example projects shipped with Switchboard: every *.switchboard file one level below
// the templates folder (share/switchboard/templates beside the executable's prefix, else the
// source tree's templates/).

#include "app/shell/rowlistmodel.h"
#include <QtQml/qqmlregistration.h>

class TemplatesModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by StudioController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role { PathRole = Qt::UserRole + 1, NameRole, DescriptionRole, SystemCountRole };
    Q_ENUM(Role)

    explicit TemplatesModel(QObject *parent = nullptr);

    static QString templatesDir();
    void scan(const QString &dir);
    int count() const { return int(m_rows.size()); }

signals:
    void countChanged();

private:
    struct Row
    {
        QString path, name, description;
        int systems = 0;
    };
    QVector<Row> m_rows;
};
