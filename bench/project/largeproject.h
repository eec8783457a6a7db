#pragma once

// Generates a project of a given size that validates cleanly: `systems` systems each with
// entities, a canonical model, ownership, `rules` field mappings spread over mappings, and
// workflows with `steps` steps in all. Used by the benchmarks and by the studio's tests.

#include "model/project.h"

namespace sb::bench {

struct ProjectSize
{
    int systems = 1000;
    int steps = 1000;
    int rules = 10000;
};

model::Project generateProject(const ProjectSize &size);

} // namespace sb::bench
