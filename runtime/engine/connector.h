#pragma once

// How the engine reaches a system: send(system, method, path, headers, body) gives a status,
// headers and body, or a transport error / timeout. Two implementations: in-process over
// Sandbox::handle (simulation) and HTTP over QNetworkAccessManager (live profiles and the
// sandbox served on loopback). send() is synchronous (the HTTP one spins a local event loop
// until the reply or the timeout); sendAsync() (HTTP only) calls back from the event loop, so
// a runner keeps many calls in flight without nesting loops.

#include "model/project.h"
#include "runtime/common/secrets.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <memory>
#include <unordered_set>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace sb::runtime {

class Sandbox;

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct OutboundRequest
{
    QString system;
    QString method;
    QString path;            // may carry a query: /crm/Account?status=active
    HeaderList headers;
    QByteArray body;
    int timeoutMs = 30000;
};

struct OutboundResponse
{
    int status = 0;          // 0 when the transport failed
    HeaderList headers;
    QByteArray body;
    QString transportError;  // non-empty: network error or timeout
    bool timedOut = false;
    QString url;             // what was called, for spans
    bool pending = false;    // sent asynchronously: the answer comes later (engine only)
    QByteArray header(const QByteArray &name) const;
    bool ok() const { return transportError.isEmpty(); }
};

class Connector
{
public:
    using Completion = std::function<void(const OutboundResponse &)>;
    virtual ~Connector() = default;
    virtual OutboundResponse send(const OutboundRequest &request) = 0;
    // Whether sendAsync() works; when it does, `done` is called once, from the event loop
    // (never from within sendAsync), unless the connector is destroyed first.
    virtual bool canSendAsync() const { return false; }
    virtual void sendAsync(const OutboundRequest &request, Completion done)
    {
        done(send(request));
    }
};

// Calls the in-process sandbox; the path is a sandbox path (/system/entity[/id]).
class SandboxConnector : public Connector
{
public:
    explicit SandboxConnector(Sandbox *sandbox) : m_sandbox(sandbox) {}
    OutboundResponse send(const OutboundRequest &request) override;

private:
    Sandbox *m_sandbox;
};

// Where one system lives over HTTP.
struct HttpEndpoint
{
    QString baseUrl;         // e.g. https://crm.example.com/api/v2 or http://127.0.0.1:8090
    model::AuthType auth = model::AuthType::None;
    QString secretRef;       // env:NAME, resolved at call time; never logged
    int timeoutMs = 0;       // 0: the request's own timeout
};

class HttpConnector : public Connector
{
public:
    HttpConnector();
    ~HttpConnector() override;
    void setEndpoint(const QString &system, const HttpEndpoint &endpoint);
    // Used for systems without an endpoint of their own (e.g. a sandbox on loopback).
    void setDefaultEndpoint(const HttpEndpoint &endpoint) { m_default = endpoint; }
    OutboundResponse send(const OutboundRequest &request) override;
    bool canSendAsync() const override { return true; }
    void sendAsync(const OutboundRequest &request, Completion done) override;

private:
    // The reply, or null with `out` holding the reason it could not be sent.
    QNetworkReply *start(const OutboundRequest &request, OutboundResponse &out, int &timeoutMs);
    static void finish(QNetworkReply *reply, bool timedOut, int timeoutMs,
                       OutboundResponse &out);

    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unordered_set<QNetworkReply *> m_pending; // asynchronous replies not yet finished
    QHash<QString, HttpEndpoint> m_endpoints;
    HttpEndpoint m_default;
};

// The auth header for an endpoint (name empty when none applies).
QPair<QByteArray, QByteArray> authHeader(const HttpEndpoint &endpoint);
// Headers with credentials replaced by "[redacted]", for spans and logs.
HeaderList redactHeaders(const HeaderList &headers);

} // namespace sb::runtime
