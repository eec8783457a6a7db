// libFuzzer harness: the mapping executor. The input is a mapping definition (one mapping
// object as in a project file's "mappings" list), a line "---", then the input record as
// JSON. Target schemas come from the Quote-to-Cash template, read once, so coverage checks
// run for the template's entities.
#include "model/jsonlimits.h"
#include "model/projectjson.h"
#include "runtime/mapping/mappingexecutor.h"

#include <QFile>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

const sb::model::Project &templateProject()
{
    static const sb::model::Project project = [] {
        const QString path = QStringLiteral(SWITCHBOARD_SOURCE_DIR
                                            "/templates/quote-to-cash/quote-to-cash.switchboard");
        sb::Result<sb::model::Project> loaded = sb::model::loadProject(path);
        if (!loaded.ok()) {
            std::fprintf(stderr, "cannot load %s: %s\n", qPrintable(path),
                         qPrintable(loaded.error().toString()));
            std::abort();
        }
        return loaded.takeValue();
    }();
    return project;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace sb;
    if (size > 16384)
        return 0;
    const std::string input(reinterpret_cast<const char *>(data), size);
    const size_t split = input.find("\n---\n");
    const std::string definition = input.substr(0, split);
    const std::string recordText = split == std::string::npos ? "{}" : input.substr(split + 5);

    const std::string projectText =
        std::string("{\"format\":\"switchboard-project\",\"version\":1,\"name\":\"fuzz\","
                    "\"mappings\":[")
        + definition + "]}";
    const Result<model::Project> wrapped = model::parseProject(
        QByteArray(projectText.data(), qsizetype(projectText.size())));
    if (!wrapped.ok() || wrapped.value().mappings.isEmpty())
        return 0;

    // Records deeper than this are refused where they enter the runner, before any mapping.
    if (jsonNestingError(recordText.data(), recordText.size()))
        return 0;
    const auto record = nlohmann::ordered_json::parse(recordText, nullptr, false);
    if (record.is_discarded())
        return 0;

    jsonata::EvalOptions options;
    options.timeLimitMs = 250;
    options.maxDepth = 200;
    int runs = 0;
    for (const model::Mapping &mapping : wrapped.value().mappings) {
        if (++runs > 4)
            break;
        const runtime::MappingExecutor executor(mapping, templateProject());
        for (const runtime::RuleIssue &issue : executor.compileErrors())
            (void)issue.toString();
        const runtime::MappingOutcome outcome = executor.execute(record, {}, options);
        for (const runtime::RuleIssue &issue : outcome.errors)
            (void)issue.toString();
        // The engine journals every mapping output as JSON text.
        (void)outcome.output.dump();
    }
    return 0;
}
