#include "model/migrations.h"

#include "model/project.h"

#include <functional>
#include <vector>

namespace sb::model {

namespace {

using Migration = std::function<void(nlohmann::ordered_json &)>;

// kMigrations[i] turns version i+1 into version i+2. Append a step when the format changes
// and bump Project::CurrentVersion; never edit a released step.
const std::vector<Migration> &migrations()
{
    static const std::vector<Migration> steps = {
        // 1 -> 2: webhook triggers gained "auth". Files written before it had unsigned
        // webhooks, so they say so explicitly ("none"): they keep running and validate
        // warns, instead of every old project starting to refuse its webhooks.
        [](nlohmann::ordered_json &doc) {
            auto workflows = doc.find("workflows");
            if (workflows == doc.end() || !workflows->is_array())
                return;
            for (auto &w : *workflows) {
                if (!w.is_object() || !w.contains("trigger") || !w["trigger"].is_object())
                    continue;
                auto &t = w["trigger"];
                const auto type = t.find("type");
                const bool webhook = type == t.end()
                                     || (type->is_string() && *type == "webhook");
                if (webhook && !t.contains("auth"))
                    t["auth"] = {{"type", "none"}};
            }
        },
    };
    return steps;
}

} // namespace

Result<bool> migrateProjectJson(nlohmann::ordered_json &document, int fileVersion)
{
    if (fileVersion > Project::CurrentVersion) {
        return Error{QStringLiteral("project version %1 is newer than this Switchboard "
                                    "understands (up to %2): update Switchboard")
                         .arg(fileVersion)
                         .arg(Project::CurrentVersion)};
    }
    if (fileVersion < 1) {
        return Error{QStringLiteral("unknown project version %1 (versions start at 1)")
                         .arg(fileVersion)};
    }
    static_assert(Project::CurrentVersion >= 1);
    for (int v = fileVersion; v < Project::CurrentVersion; ++v)
        migrations()[size_t(v - 1)](document);
    document["version"] = Project::CurrentVersion;
    return true;
}

} // namespace sb::model
