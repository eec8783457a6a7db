#include "runtime/cli/commands.h"

#include <cstdio>

namespace sb::cli {

int runEval(const QStringList &)
{
    std::fprintf(stderr, "switchboard-run eval: the JSONata engine is not built yet\n");
    return BadInput;
}

} // namespace sb::cli
