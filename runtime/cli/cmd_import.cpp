#include "runtime/cli/commands.h"
#include "runtime/cli/commandline.h"

#include "model/projectjson.h"
#include "runtime/import/schemaimport.h"

#include <cstdio>

namespace sb::cli {

// switchboard-run import PROJECT --system ID --from FILE [--schemas NAME,...] [--list]
int runImport(const QStringList &args)
{
    CommandLine cl("import", "usage: switchboard-run import PROJECT --system ID --from FILE"
                             " [--schemas NAME,...] [--list]\n");
    cl.addOption({QStringLiteral("system")}, QStringLiteral("ID"));
    cl.addOption({QStringLiteral("from")}, QStringLiteral("FILE"));
    cl.addOption({QStringLiteral("schemas")}, QStringLiteral("NAME,..."));
    cl.addFlag({QStringLiteral("list")});
    if (const auto stop = cl.parse(args, 0, 1))
        return *stop;
    const QString projectFile = cl.positional().value(0);
    const QString systemId = cl.value(QStringLiteral("system"));
    const QString from = cl.value(QStringLiteral("from"));
    const bool listOnly = cl.isSet(QStringLiteral("list"));
    QStringList names;
    for (const QString &value : cl.values(QStringLiteral("schemas")))
        for (const QString &n : value.split(QLatin1Char(','), Qt::SkipEmptyParts))
            names << n.trimmed();
    // --list needs only the schema file.
    if (from.isEmpty() || (!listOnly && (projectFile.isEmpty() || systemId.isEmpty()))) {
        std::fputs(cl.usage().constData(), stderr);
        return BadInput;
    }

    auto source = runtime::SchemaSource::load(from);
    if (!source.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(source.error().toString()));
        return BadInput;
    }
    if (listOnly) {
        const auto schemas = source.value().list();
        std::printf("%s: %s, %d schema(s)\n", qPrintable(from),
                    qPrintable(runtime::schemaSourceKindName(source.value().kind())),
                    int(schemas.size()));
        for (const runtime::SchemaSummary &s : schemas) {
            QString description = s.description.simplified();
            if (description.size() > 60)
                description = description.left(57) + QStringLiteral("...");
            std::printf("  %-32s %4d properties%s  %s\n", qPrintable(s.name), s.propertyCount,
                        s.isObject ? "" : " (not an object)", qPrintable(description));
        }
        return Success;
    }

    auto loaded = model::loadProject(projectFile);
    if (!loaded.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(loaded.error().toString()));
        return BadInput;
    }
    model::Project project = loaded.takeValue();
    model::System *system = nullptr;
    for (model::System &s : project.systems)
        if (s.id == systemId)
            system = &s;
    if (!system) {
        QStringList ids;
        for (const model::System &s : project.systems)
            ids << s.id;
        std::fprintf(stderr, "%s: no system '%s' (systems: %s)\n", qPrintable(projectFile),
                     qPrintable(systemId), qPrintable(ids.join(QLatin1String(", "))));
        return BadInput;
    }

    auto imported = source.value().importSchemas(names);
    if (!imported.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(imported.error().toString()));
        return BadInput;
    }
    const QVector<model::Entity> &entities = imported.value();
    const QVector<bool> updated = runtime::mergeEntities(*system, entities);
    QStringList report;
    for (int i = 0; i < entities.size(); ++i) {
        const model::Entity &entity = entities[i];
        const int top = entity.fields.size();
        const int all = runtime::countFields(entity.fields);
        report << QStringLiteral("  %1 %2.%3: %4 fields%5")
                      .arg(updated[i] ? QStringLiteral("updated") : QStringLiteral("added  "),
                           systemId, entity.name)
                      .arg(top)
                      .arg(all > top ? QStringLiteral(" (%1 with nested)").arg(all) : QString());
    }
    auto saved = model::saveProject(project, projectFile);
    if (!saved.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(saved.error().toString()));
        return BadInput;
    }
    std::printf("imported %d entit%s from %s (%s) into %s\n", int(report.size()),
                report.size() == 1 ? "y" : "ies", qPrintable(from),
                qPrintable(runtime::schemaSourceKindName(source.value().kind())),
                qPrintable(projectFile));
    for (const QString &line : report)
        std::printf("%s\n", qPrintable(line));
    return Success;
}

} // namespace sb::cli
