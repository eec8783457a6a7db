#include "runtime/cli/commands.h"
#include "runtime/cli/commandline.h"

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
    CommandLine cl("validate", "usage: switchboard-run validate PROJECT [--json]\n");
    cl.addFlag({QStringLiteral("json")});
    if (const auto stop = cl.parse(args, 1, 1))
        return *stop;
    const QString projectFile = cl.positional().first();
    const bool asJson = cl.isSet(QStringLiteral("json"));

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
