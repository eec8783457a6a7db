#include "app/shell/templatesmodel.h"

#include "model/projectjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

TemplatesModel::TemplatesModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows, {{Qt::DisplayRole, nullptr, &Row::name},
                       {NameRole, "name", &Row::name},
                       {PathRole, "path", &Row::path},
                       {DescriptionRole, "description", &Row::description},
                       {SystemCountRole, "systemCount", &Row::systems}});
    scan(templatesDir());
}

QString TemplatesModel::templatesDir()
{
    const QString installed = QDir(QCoreApplication::applicationDirPath())
                                  .absoluteFilePath(QStringLiteral("../share/switchboard/templates"));
    if (QFileInfo(installed).isDir())
        return QDir::cleanPath(installed);
#ifdef SWITCHBOARD_TEMPLATES_DIR
    return QStringLiteral(SWITCHBOARD_TEMPLATES_DIR);
#else
    return QString();
#endif
}

void TemplatesModel::scan(const QString &dir)
{
    QVector<Row> rows;
    const QDir root(dir);
    const auto folders = root.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &folder : folders) {
        const auto files = QDir(folder.absoluteFilePath())
                               .entryInfoList({QStringLiteral("*.switchboard")}, QDir::Files,
                                              QDir::Name);
        for (const QFileInfo &file : files) {
            Row r;
            r.path = file.absoluteFilePath();
            r.name = file.completeBaseName();
            // A template that does not load still shows, by file name; opening it reports why.
            auto loaded = sb::model::loadProject(r.path);
            if (loaded.ok()) {
                if (!loaded.value().name.isEmpty())
                    r.name = loaded.value().name;
                r.description = loaded.value().description;
                r.systems = int(loaded.value().systems.size());
            }
            rows << r;
        }
    }
    beginResetModel();
    m_rows = rows;
    endResetModel();
    emit countChanged();
}

