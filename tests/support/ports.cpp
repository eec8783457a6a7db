#include "tests/support/ports.h"

#include <QHostAddress>
#include <QTcpServer>

namespace sb::testsupport {

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace sb::testsupport
