#include "runtime/cli/commands.h"
#include "runtime/cli/commandline.h"

#include "model/projectjson.h"
#include "runtime/check/projectcheck.h"
#include "runtime/cli/findings.h"
#include "runtime/bundle/bundle.h"

#include <cstdio>

namespace sb::cli {

// switchboard-run export PROJECT -o BUNDLE [--profile NAME]
int runExport(const QStringList &args)
{
    CommandLine cl("export",
                   "usage: switchboard-run export PROJECT -o BUNDLE [--profile NAME]\n");
    cl.addOption({QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("BUNDLE"));
    cl.addOption({QStringLiteral("profile")}, QStringLiteral("NAME"));
    if (const auto stop = cl.parse(args, 1, 1))
        return *stop;
    const QString projectFile = cl.positional().first();
    const QString output = cl.value(QStringLiteral("output"));
    const QString profile = cl.isSet(QStringLiteral("profile"))
                                ? cl.value(QStringLiteral("profile"))
                                : QStringLiteral("sandbox");
    if (output.isEmpty()) {
        std::fputs(cl.usage().constData(), stderr);
        return BadInput;
    }

    auto loaded = model::loadProject(projectFile);
    if (!loaded.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(loaded.error().toString()));
        return BadInput;
    }
    const model::Project &project = loaded.value();
    // A literal secret is refused before anything else: it must never reach a bundle.
    auto secrets = runtime::checkSecretReferences(project);
    if (!secrets.ok()) {
        std::fprintf(stderr, "%s: export refused: %s\n", qPrintable(projectFile),
                     qPrintable(secrets.error().message));
        return BadInput;
    }
    // The same checks as validate, JSONata syntax included: a bundle that would dead-letter
    // every record on an expression that does not parse is never written.
    const QVector<model::Finding> findings = runtime::checkProject(project);
    const int errors = model::countFindings(findings, model::Severity::Error);
    if (errors > 0) {
        const FindingsReport report(projectFile);
        for (const model::Finding &f : findings) {
            if (f.severity != model::Severity::Error)
                continue;
            std::fputs(qPrintable(report.text(f)), stderr);
        }
        std::fprintf(stderr, "%s: export refused: %d validation error(s)\n",
                     qPrintable(projectFile), errors);
        return WorkFailed;
    }

    runtime::ExportOptions options;
    options.profile = profile;
    auto bundle = runtime::exportBundle(project, options);
    if (!bundle.ok()) {
        std::fprintf(stderr, "%s: export refused: %s\n", qPrintable(projectFile),
                     qPrintable(bundle.error().message));
        return BadInput;
    }
    auto written = model::writeFileAtomically(output, bundle.value());
    if (!written.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(written.error().toString()));
        return BadInput;
    }
    // Read it back: what we print is what the runner will verify.
    auto check = runtime::loadBundle(output);
    if (!check.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(check.error().toString()));
        return BadInput;
    }
    std::printf("wrote %s: %d workflow(s), %d mapping(s), profile %s, %s\n",
                qPrintable(output), int(check.value().project.workflows.size()),
                int(check.value().project.mappings.size()), qPrintable(profile),
                qPrintable(check.value().contentHash));
    // Systems without the profile are not refused: they run on the sandbox, and we say so.
    const QStringList fallbacks = runtime::sandboxFallbacks(project, profile);
    if (!fallbacks.isEmpty())
        std::printf("on the sandbox (no profile '%s'): %s\n", qPrintable(profile),
                    qPrintable(fallbacks.join(QLatin1String(", "))));
    // What the operator must give the runner: it refuses to start without webhook secrets.
    std::printf("environment the runner needs:\n");
    for (const auto &v : runtime::bundleEnvironment(check.value().project, profile))
        std::printf("  %-32s %s\n", qPrintable(v.name), qPrintable(v.purpose));
    return Success;
}

} // namespace sb::cli
