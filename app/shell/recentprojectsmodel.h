#pragma once

// Recently opened project files, most recent first, kept in QSettings ("recentProjects").

#include <QAbstractListModel>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

class RecentProjectsModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by StudioController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role { PathRole = Qt::UserRole + 1, NameRole, FolderRole, ExistsRole };
    Q_ENUM(Role)
    static constexpr int kMaxEntries = 10;

    explicit RecentProjectsModel(QObject *parent = nullptr);

    int count() const { return int(m_paths.size()); }
    QStringList paths() const { return m_paths; }
    void add(const QString &path);
    Q_INVOKABLE void remove(const QString &path);
    Q_INVOKABLE void clear();
    void reload();

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();

private:
    void store();
    QStringList m_paths;
};
