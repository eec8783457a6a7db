#include "runtime/runtime.h"

namespace sb::runtime {

QString version()
{
    return QStringLiteral(SWITCHBOARD_VERSION);
}

} // namespace sb::runtime
