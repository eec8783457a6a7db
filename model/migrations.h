#pragma once

// Versioned migrations of the project file format. Each step rewrites the raw JSON of
// version N into version N+1 before it is decoded, so older files keep opening.

#include "model/result.h"

#include <nlohmann/json.hpp>

namespace sb::model {

// Brings `document` from `fileVersion` up to Project::CurrentVersion in place.
// Fails for versions newer than this build understands or older than any known format.
Result<bool> migrateProjectJson(nlohmann::ordered_json &document, int fileVersion);

} // namespace sb::model
