#pragma once

#include <QString>

namespace sb::runtime {

// Version string of the runtime, reported by `switchboard-run --version` and in bundles.
QString version();

} // namespace sb::runtime
