#include "runtime/cli/commands.h"

#include <cstdio>

namespace sb::cli {

int runValidate(const QStringList &)
{
    std::fprintf(stderr, "switchboard-run validate: not built yet\n");
    return BadInput;
}

} // namespace sb::cli
