#include "runtime/cli/commands.h"

#include "model/projectjson.h"
#include "model/validator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace sb::cli {

// switchboard-run validate PROJECT [--json]
int runValidate(const QStringList &args)
{
    QString projectFile;
    bool asJson = false;
    for (const QString &arg : args) {
        if (arg == QLatin1String("--json")) {
            asJson = true;
        } else if (arg.startsWith(QLatin1Char('-'))) {
            std::fprintf(stderr, "switchboard-run validate: unknown option '%s'\n",
                         qPrintable(arg));
            return BadInput;
        } else if (projectFile.isEmpty()) {
            projectFile = arg;
        } else {
            std::fprintf(stderr, "switchboard-run validate: more than one project given\n");
            return BadInput;
        }
    }
    if (projectFile.isEmpty()) {
        std::fprintf(stderr, "usage: switchboard-run validate PROJECT [--json]\n");
        return BadInput;
    }

    auto loaded = model::loadProject(projectFile);
    if (!loaded.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(loaded.error().toString()));
        return BadInput;
    }
    const QVector<model::Finding> findings = model::validateProject(loaded.value());
    const int errors = model::countFindings(findings, model::Severity::Error);
    const int warnings = model::countFindings(findings, model::Severity::Warning);

    if (asJson) {
        QJsonArray list;
        for (const model::Finding &f : findings) {
            list.append(QJsonObject{{QStringLiteral("rule"), f.ruleId},
                                    {QStringLiteral("severity"), toString(f.severity)},
                                    {QStringLiteral("message"), f.message},
                                    {QStringLiteral("element"), f.location.element},
                                    {QStringLiteral("location"), f.location.display}});
        }
        const QJsonObject out{{QStringLiteral("project"), projectFile},
                              {QStringLiteral("errors"), errors},
                              {QStringLiteral("warnings"), warnings},
                              {QStringLiteral("findings"), list}};
        std::fputs(QJsonDocument(out).toJson(QJsonDocument::Indented).constData(), stdout);
    } else {
        for (const model::Finding &f : findings) {
            std::printf("%s: %s [%s] %s\n    at %s\n", qPrintable(projectFile),
                        qPrintable(toString(f.severity)), qPrintable(f.ruleId),
                        qPrintable(f.message),
                        qPrintable(f.location.display.isEmpty() ? f.location.element
                                                                : f.location.display));
        }
        std::printf("%d error(s), %d warning(s), %d finding(s) in all\n", errors, warnings,
                    int(findings.size()));
    }
    return errors > 0 ? WorkFailed : Success;
}

} // namespace sb::cli
