#include "runtime/cli/commands.h"

#include <cstdio>

namespace sb::cli {

int runServe(const QStringList &)
{
    std::fputs("switchboard-run serve: not available yet\n", stderr);
    return BadInput;
}

} // namespace sb::cli
