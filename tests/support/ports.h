#pragma once

#include <QtGlobal>

namespace sb::testsupport {

// A loopback TCP port free at the time of the call (the OS's pick), for a server a test
// starts itself; 0 if none could be had.
quint16 freePort();

} // namespace sb::testsupport
