#include "runtime/cli/commands.h"
#include "runtime/cli/commandline.h"

#include "model/projectjson.h"
#include "runtime/check/projectcheck.h"
#include "runtime/cli/findings.h"

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
    const QVector<model::Finding> findings = runtime::checkProject(loaded.value());
    const FindingsReport report(projectFile);
    const int errors = model::countFindings(findings, model::Severity::Error);
    const int warnings = model::countFindings(findings, model::Severity::Warning);

    if (asJson) {
        QJsonArray list;
        for (const model::Finding &f : findings)
            list.append(report.json(f));
        const QJsonObject out{{QStringLiteral("project"), projectFile},
                              {QStringLiteral("errors"), errors},
                              {QStringLiteral("warnings"), warnings},
                              {QStringLiteral("findings"), list}};
        std::fputs(QJsonDocument(out).toJson(QJsonDocument::Indented).constData(), stdout);
    } else {
        for (const model::Finding &f : findings)
            std::fputs(qPrintable(report.text(f)), stdout);
        std::printf("%d error(s), %d warning(s), %d finding(s) in all\n", errors, warnings,
                    int(findings.size()));
    }
    return errors > 0 ? WorkFailed : Success;
}

} // namespace sb::cli
