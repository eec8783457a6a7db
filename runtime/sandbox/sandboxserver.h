#pragma once

// The sandbox over HTTP (QtHttpServer): every request goes to Sandbox::handle unchanged,
// injected latency is waited out with a timer so other connections keep being served.

#include "runtime/sandbox/sandbox.h"

#include <QAbstractHttpServer>
#include <QHostAddress>

namespace sb::runtime {

class SandboxServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    explicit SandboxServer(Sandbox *sandbox, QObject *parent = nullptr);

    // Binds to `address`; port 0 picks a free one. Returns the bound port.
    Result<quint16> start(const QHostAddress &address, quint16 port);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Sandbox *m_sandbox;
};

} // namespace sb::runtime
