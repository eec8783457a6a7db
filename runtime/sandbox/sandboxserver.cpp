#include "runtime/sandbox/sandboxserver.h"

#include "runtime/common/problem.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace sb::runtime {

namespace {

QString methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get: return QStringLiteral("GET");
    case QHttpServerRequest::Method::Put: return QStringLiteral("PUT");
    case QHttpServerRequest::Method::Delete: return QStringLiteral("DELETE");
    case QHttpServerRequest::Method::Post: return QStringLiteral("POST");
    case QHttpServerRequest::Method::Head: return QStringLiteral("HEAD");
    case QHttpServerRequest::Method::Options: return QStringLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch: return QStringLiteral("PATCH");
    default: return QStringLiteral("OTHER");
    }
}

void send(QHttpServerResponder &responder, const SandboxResponse &r)
{
    responder.writeStatusLine(QHttpServerResponder::StatusCode(r.status));
    for (const auto &h : r.headers)
        responder.writeHeader(h.first, h.second);
    responder.writeHeader("Content-Length", QByteArray::number(r.body.size()));
    responder.writeBody(r.body);
}

} // namespace

SandboxServer::SandboxServer(Sandbox *sandbox, QObject *parent)
    : QAbstractHttpServer(parent), m_sandbox(sandbox)
{
}

Result<quint16> SandboxServer::start(const QHostAddress &address, quint16 port)
{
    auto *tcp = new QTcpServer(this);
    if (!tcp->listen(address, port)) {
        const QString why = tcp->errorString();
        delete tcp;
        return Error{QStringLiteral("cannot listen on %1:%2: %3")
                         .arg(address.toString()).arg(port).arg(why)};
    }
    bind(tcp);
    return tcp->serverPort();
}

bool SandboxServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    SandboxRequest req;
    req.method = methodName(request.method());
    req.path = request.url().path(QUrl::FullyEncoded);
    req.query = request.url().query(QUrl::FullyEncoded);
    req.body = request.body();
    for (const auto &h : request.headers())
        req.headers.insert(h.first.toLower(), h.second);
    const SandboxResponse r = m_sandbox->handle(req);
    if (r.delayMs <= 0) {
        QHttpServerResponder responder = makeResponder(request, socket);
        send(responder, r);
        return true;
    }
    // Answer later without blocking other connections; skip if the client went away.
    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
    QPointer<QTcpSocket> alive(socket);
    QTimer::singleShot(r.delayMs, this, [responder, alive, r]() {
        if (alive && alive->state() == QAbstractSocket::ConnectedState)
            send(*responder, r);
    });
    return true;
}

void SandboxServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    SandboxResponse r;
    r.status = 404;
    r.body = problemJson(404, QStringLiteral("Not Found"), QStringLiteral("no handler"));
    r.headers.push_back({"Content-Type", "application/problem+json"});
    send(responder, r);
}

} // namespace sb::runtime
