#pragma once

// JSON Schema (draft 7) for an entity of the project model, for payload validation by the
// sandbox and the engine's validate steps.

#include "model/project.h"

#include <nlohmann/json.hpp>

namespace sb::model {

// Types, required, enum, maxLength, formats (email, date, date-time, iso codes), nested
// objects and arrays. Optional fields also accept null; unknown properties are allowed.
nlohmann::json entityJsonSchema(const Entity &entity);

} // namespace sb::model
