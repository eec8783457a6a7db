#include "app/shell/recentprojectsmodel.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace {
const char *const kKey = "recentProjects";
}

RecentProjectsModel::RecentProjectsModel(QObject *parent) : QAbstractListModel(parent)
{
    reload();
}

void RecentProjectsModel::reload()
{
    beginResetModel();
    m_paths = QSettings().value(QLatin1String(kKey)).toStringList();
    m_paths.removeAll(QString());
    m_paths.removeDuplicates();
    while (m_paths.size() > kMaxEntries)
        m_paths.removeLast();
    endResetModel();
    emit countChanged();
}

void RecentProjectsModel::store()
{
    QSettings().setValue(QLatin1String(kKey), m_paths);
}

void RecentProjectsModel::add(const QString &path)
{
    const QString abs = QFileInfo(path).absoluteFilePath();
    const int at = int(m_paths.indexOf(abs));
    if (at == 0)
        return;
    if (at > 0) {
        beginMoveRows(QModelIndex(), at, at, QModelIndex(), 0);
        m_paths.move(at, 0);
        endMoveRows();
    } else {
        beginInsertRows(QModelIndex(), 0, 0);
        m_paths.prepend(abs);
        endInsertRows();
        if (m_paths.size() > kMaxEntries) {
            const int last = int(m_paths.size()) - 1;
            beginRemoveRows(QModelIndex(), kMaxEntries, last);
            while (m_paths.size() > kMaxEntries)
                m_paths.removeLast();
            endRemoveRows();
        }
        emit countChanged();
    }
    store();
}

void RecentProjectsModel::remove(const QString &path)
{
    const int at = int(m_paths.indexOf(path));
    if (at < 0)
        return;
    beginRemoveRows(QModelIndex(), at, at);
    m_paths.removeAt(at);
    endRemoveRows();
    emit countChanged();
    store();
}

void RecentProjectsModel::clear()
{
    if (m_paths.isEmpty())
        return;
    beginRemoveRows(QModelIndex(), 0, int(m_paths.size()) - 1);
    m_paths.clear();
    endRemoveRows();
    emit countChanged();
    store();
}

int RecentProjectsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_paths.size());
}

QVariant RecentProjectsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const QString &path = m_paths[index.row()];
    const QFileInfo info(path);
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return info.fileName();
    case PathRole: return path;
    case FolderRole: return QDir::toNativeSeparators(info.absolutePath());
    case ExistsRole: return info.exists();
    }
    return QVariant();
}

QHash<int, QByteArray> RecentProjectsModel::roleNames() const
{
    return {{PathRole, "path"}, {NameRole, "name"}, {FolderRole, "folder"},
            {ExistsRole, "exists"}};
}
