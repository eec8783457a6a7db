#pragma once

// JSON Schema (draft 7) for an entity of the project model, for payload validation.

#include "model/project.h"

#include <nlohmann/json.hpp>

namespace sb::runtime {

// Types, required, enum, maxLength, formats (email, date, date-time, iso codes), nested
// objects and arrays. Optional fields also accept null; unknown properties are allowed.
nlohmann::json entityJsonSchema(const model::Entity &entity);

} // namespace sb::runtime
