#include "runtime/cli/commands.h"

#include "model/projectjson.h"
#include "runtime/import/schemaimport.h"

#include <cstdio>

namespace sb::cli {

// switchboard-run import PROJECT --system ID --from FILE [--schemas NAME,...] [--list]
int runImport(const QStringList &args)
{
    const char *usage = "usage: switchboard-run import PROJECT --system ID --from FILE"
                        " [--schemas NAME,...] [--list]\n";
    QString projectFile;
    QString systemId;
    QString from;
    QStringList names;
    bool listOnly = false;
    for (int i = 0; i < args.size(); ++i) {
        const QString &arg = args[i];
        if (arg == QLatin1String("--system") || arg == QLatin1String("--from")
            || arg == QLatin1String("--schemas")) {
            if (i + 1 >= args.size()) {
                std::fprintf(stderr, "switchboard-run import: %s needs a value\n%s",
                             qPrintable(arg), usage);
                return BadInput;
            }
            const QString value = args[++i];
            if (arg == QLatin1String("--system"))
                systemId = value;
            else if (arg == QLatin1String("--from"))
                from = value;
            else
                for (const QString &n : value.split(QLatin1Char(','), Qt::SkipEmptyParts))
                    names << n.trimmed();
        } else if (arg == QLatin1String("--list")) {
            listOnly = true;
        } else if (arg.startsWith(QLatin1Char('-'))) {
            std::fprintf(stderr, "switchboard-run import: unknown option '%s'\n%s",
                         qPrintable(arg), usage);
            return BadInput;
        } else if (projectFile.isEmpty()) {
            projectFile = arg;
        } else {
            std::fprintf(stderr, "switchboard-run import: more than one project given\n%s",
                         usage);
            return BadInput;
        }
    }
    // --list needs only the schema file.
    if (from.isEmpty() || (!listOnly && (projectFile.isEmpty() || systemId.isEmpty()))) {
        std::fputs(usage, stderr);
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
