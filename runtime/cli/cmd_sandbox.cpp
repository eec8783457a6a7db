#include "runtime/cli/commands.h"

#include <cstdio>

namespace sb::cli {

int runSandbox(const QStringList &)
{
    std::fprintf(stderr, "switchboard-run sandbox: not available yet\n");
    return BadInput;
}

} // namespace sb::cli
