// libFuzzer harness: the project loader. The input is a project file. Whatever loads must
// save and load again to an equal project (saving is documented as lossless and
// deterministic), and the validator must cope with it.
#include "model/projectjson.h"
#include "model/validator.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace sb::model;
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    Result<Project> loaded = parseProject(text, QStringLiteral("fuzz.switchboard"));
    if (!loaded.ok()) {
        (void)loaded.error().toString();
        return 0;
    }
    const Project &project = loaded.value();
    const QByteArray saved = serializeProject(project);
    const Result<Project> reloaded = parseProject(saved, QStringLiteral("saved.switchboard"));
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
