#include "runtime/engine/connector.h"

#include "runtime/sandbox/sandbox.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>

namespace sb::runtime {

QByteArray OutboundResponse::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return QByteArray();
}

OutboundResponse SandboxConnector::send(const OutboundRequest &request)
{
    SandboxRequest req;
    req.method = request.method.toUpper();
    const qsizetype q = request.path.indexOf(QLatin1Char('?'));
    req.path = q < 0 ? request.path : request.path.left(q);
    req.query = q < 0 ? QString() : request.path.mid(q + 1);
    req.body = request.body;
    for (const auto &h : request.headers)
        req.headers.insert(h.first.toLower(), h.second);
    const SandboxResponse r = m_sandbox->handle(req);
    OutboundResponse out;
    out.status = r.status;
    out.headers = r.headers;
    out.body = r.body;
    out.url = QStringLiteral("sandbox:") + request.path;
    return out;
}

QPair<QByteArray, QByteArray> authHeader(const HttpEndpoint &endpoint)
{
    if (endpoint.auth == model::AuthType::None || endpoint.secretRef.isEmpty())
        return {};
    const QByteArray secret = resolveSecret(endpoint.secretRef);
    if (secret.isEmpty())
        return {};
    switch (endpoint.auth) {
    case model::AuthType::Basic:
        return {"Authorization", "Basic " + secret.toBase64()};
    case model::AuthType::ApiKey:
        return {"X-API-Key", secret};
    default: // bearer, oauth2 (a token obtained out of band)
        return {"Authorization", "Bearer " + secret};
    }
}

HeaderList redactHeaders(const HeaderList &headers)
{
    HeaderList out;
    for (const auto &h : headers) {
        const QByteArray n = h.first.toLower();
        const bool secret = n == "authorization" || n == "x-api-key" || n == "cookie"
                            || n == "proxy-authorization";
        out.append({h.first, secret ? QByteArray("[redacted]") : h.second});
    }
    return out;
}

HttpConnector::HttpConnector() : m_nam(std::make_unique<QNetworkAccessManager>()) {}

HttpConnector::~HttpConnector()
{
    // Callbacks of unfinished asynchronous calls must not run into a destroyed caller.
    for (QNetworkReply *reply : std::exchange(m_pending, {})) {
        reply->disconnect();
        reply->abort();
        delete reply;
    }
}

void HttpConnector::setEndpoint(const QString &system, const HttpEndpoint &endpoint)
{
    m_endpoints.insert(system, endpoint);
}

QNetworkReply *HttpConnector::start(const OutboundRequest &request, OutboundResponse &out,
                                    int &timeoutMs)
{
    const HttpEndpoint ep = m_endpoints.value(request.system, m_default);
    QString base = ep.baseUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    const QUrl url(base + request.path);
    out.url = url.toString();
    if (!url.isValid() || url.scheme().isEmpty()) {
        out.transportError = QStringLiteral("no valid base URL for system %1").arg(request.system);
        return nullptr;
    }
    QNetworkRequest req(url);
    // TLS verification stays at Qt's default (on); redirects are not followed for writes.
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::ManualRedirectPolicy);
    for (const auto &h : request.headers)
        req.setRawHeader(h.first, h.second);
    const auto auth = authHeader(ep);
    if (!auth.first.isEmpty())
        req.setRawHeader(auth.first, auth.second);
    if (!request.body.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    // The request's timeout (the step's, else the profile's) wins over the endpoint's.
    const int timeout = request.timeoutMs > 0 ? request.timeoutMs : ep.timeoutMs;
    timeoutMs = timeout > 0 ? timeout : 30000;
    return m_nam->sendCustomRequest(req, request.method.toUpper().toLatin1(), request.body);
}

void HttpConnector::finish(QNetworkReply *reply, bool timedOut, int timeoutMs,
                           OutboundResponse &out)
{
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    for (const auto &h : reply->rawHeaderPairs())
        out.headers.append(h);
    if (timedOut) {
        out.timedOut = true;
        out.status = 0;
        out.transportError = QStringLiteral("timed out after %1 ms").arg(timeoutMs);
    } else if (out.status == 0) {
        out.transportError = reply->errorString();
    }
}

OutboundResponse HttpConnector::send(const OutboundRequest &request)
{
    OutboundResponse out;
    int timeout = 0;
    QNetworkReply *reply = start(request, out, timeout);
    if (!reply)
        return out;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    bool timedOut = false;
    QObject::connect(&timer, &QTimer::timeout, &loop, [&]() {
        timedOut = true;
        reply->abort();
    });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timer.start(timeout);
    // Other events run meanwhile (requests to serve, its pump's timer): the engine takes them
    // only as queued work while a step is on the stack (see engine.h).
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    timer.stop();
    finish(reply, timedOut, timeout, out);
    reply->deleteLater();
    return out;
}

void HttpConnector::sendAsync(const OutboundRequest &request, Completion done)
{
    auto out = std::make_shared<OutboundResponse>();
    int timeout = 0;
    QNetworkReply *reply = start(request, *out, timeout);
    if (!reply) { // answered from the event loop, as promised
        QTimer::singleShot(0, m_nam.get(), [out, done]() { done(*out); });
        return;
    }
    m_pending.insert(reply);
    auto timedOut = std::make_shared<bool>(false);
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, reply, [reply, timedOut]() {
        *timedOut = true;
        reply->abort();
    });
    QObject::connect(reply, &QNetworkReply::finished, m_nam.get(),
                     [this, reply, out, timedOut, timeout, done]() {
                         m_pending.erase(reply);
                         finish(reply, *timedOut, timeout, *out);
                         reply->deleteLater();
                         done(*out);
                     });
    timer->start(timeout);
}

} // namespace sb::runtime
