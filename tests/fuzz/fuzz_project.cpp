// libFuzzer harness: the project loader. The input is a project file. Whatever loads must
// have a version this build knows, must save and load again to the same bytes (saving is
// documented as lossless and deterministic), and the validator must cope with it.
#include "model/projectjson.h"
#include "model/validator.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace sb::model;
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    sb::Result<Project> loaded = parseProject(text, QStringLiteral("fuzz.switchboard"));
    if (!loaded.ok()) {
        (void)loaded.error().toString();
        return 0;
    }
    const Project &project = loaded.value();
    // A file newer than this build must be refused, however large its version number.
    const auto raw = nlohmann::json::parse(text.constBegin(), text.constEnd(), nullptr, false);
    const auto version = raw.is_object() ? raw.find("version") : raw.end();
    if (version != raw.end() && (!version->is_number_integer() || version->get<double>() < 1
                                 || version->get<double>() > Project::CurrentVersion)) {
        std::fprintf(stderr, "loaded a project of version %s\n", version->dump().c_str());
        std::abort();
    }
    const QByteArray saved = serializeProject(project);
    const sb::Result<Project> reloaded = parseProject(saved, QStringLiteral("saved.switchboard"));
    if (!reloaded.ok()) {
        std::fprintf(stderr, "a loaded project does not load after saving: %s\n",
                     qPrintable(reloaded.error().toString()));
        std::abort();
    }
    if (serializeProject(reloaded.value()) != saved) {
        std::fprintf(stderr, "saving a reloaded project gives different bytes\n");
        std::abort();
    }
    (void)validateProject(project);
    return 0;
}
