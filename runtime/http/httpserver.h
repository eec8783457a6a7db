#pragma once

// The runner's HTTP/1.1 intake: QTcpServer/QTcpSocket in the Qt event loop, requests parsed
// by http_parser, every size and time bounded before a request reaches the handler. The
// handler answers at once, or later through its Responder (asyncHandler: e.g. once what the
// request wrote is durable); pipelined requests on one connection are answered in order, the
// next one parsed only once the previous one is answered.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QUrlQuery>
#include <QVariantMap>

#include <array>
#include <functional>
#include <memory>
#include <unordered_set>

class QTcpServer;

namespace sb::runtime::http {

struct Limits
{
    int maxRequestLine = 8 * 1024;        // request target bytes -> 414
    int maxHeaderBytes = 64 * 1024;       // header names and values together -> 431
    int maxHeaders = 100;                 // header lines -> 431
    qint64 maxBody = 10 * 1024 * 1024;    // Content-Length or chunked total -> 413
    int maxJsonDepth = 512;               // nesting of a request body -> 400; 0: unchecked
    int idleTimeoutMs = 30000;            // keep-alive connection with no request under way
    int readTimeoutMs = 10000;            // one request's head and body -> 408
    int maxConnections = 512;             // open connections; beyond them 503 and closed
};

// The limit options of `serve`, named without dashes ("max-body", "idle-timeout", ...).
QStringList limitOptionNames();
// Sets the limit `name` (one of limitOptionNames()) from its text ("10M", "30", "500ms").
// Returns false and sets *error when the value is invalid or the name unknown.
bool setLimitOption(const QString &name, const QString &value, Limits &limits,
                    QString *error);
// The limit options with their defaults, for a usage text (lines indented by two spaces).
QByteArray limitsUsage();

// One request as the handler sees it (accessors named as QHttpServerRequest's).
class Request
{
public:
    enum class Method { Unknown, Get, Put, Delete, Post, Head, Options, Patch, Connect, Trace };
    Method method() const { return m_method; }
    QByteArray methodName() const { return m_methodName; }
    QUrl url() const { return m_url; }
    QUrlQuery query() const { return QUrlQuery(m_url); }
    // First value of a header, compared case-insensitively; empty when absent.
    QByteArray value(const QByteArray &key) const;
    QList<QPair<QByteArray, QByteArray>> headerList() const { return m_headers; }
    QVariantMap headers() const;
    QByteArray body() const { return m_body; }
    QHostAddress remoteAddress() const { return m_remote; }

private:
    friend class Connection;
    Method m_method = Method::Unknown;
    QByteArray m_methodName;
    QUrl m_url;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QByteArray m_body;
    QHostAddress m_remote;
};

struct Response
{
    int status = 200;
    QByteArray body;
    QByteArray type = "application/json";
    QList<QPair<QByteArray, QByteArray>> headers = {}; // beside Content-Type and -Length
};

// Why the intake itself answered or closed a connection, for /metrics.
enum class Rejection {
    UriTooLong, HeadersTooLarge, BodyTooLarge, JsonTooDeep, BadRequest, ReadTimeout,
    IdleTimeout, TooManyConnections, HandlerException, Count
};

class Connection;

class Server
{
public:
    explicit Server(Limits limits = {});
    ~Server();
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    // Called at most once per request, from the event loop or within asyncHandler itself;
    // a no-op once the connection is gone.
    using Responder = std::function<void(const Response &)>;
    std::function<Response(const Request &)> handler;
    // When set, used instead of `handler`: the answer goes out when `respond` is called.
    std::function<void(const Request &, Responder respond)> asyncHandler;

    bool listen(const QHostAddress &address, quint16 port);
    quint16 serverPort() const;
    QString errorString() const;
    // Stops accepting; open connections finish the request under way.
    void close();
    const Limits &limits() const { return m_limits; }
    int openConnections() const { return int(m_connections.size()); }
    // Prometheus lines: open connections, responses by status class, intake rejections.
    QByteArray metricsText() const;

private:
    friend class Connection;
    void accept();
    void countResponse(int status);
    void countRejection(Rejection r) { ++m_rejections[size_t(r)]; }
    void release(Connection *c);

    Limits m_limits;
    std::unique_ptr<QTcpServer> m_tcp;
    std::unordered_set<Connection *> m_connections;
    std::array<qint64, 6> m_classes{};      // index 1..5: 1xx..5xx
    std::array<qint64, size_t(Rejection::Count)> m_rejections{};
};

// Equal contents, in a time that does not depend on where they first differ (nor on the
// length of either: both are hashed first).
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

// The label /metrics counts a request under: one of a fixed set of `serve` route templates
// ("/hooks/{id}", "/api/instances/{id}", ..., "other"), never the raw path.
QString routeLabel(const QString &path);

// Raises the soft open-file limit towards the hard one so that `connections` sockets plus
// the runner's own files fit. Returns the soft limit in force afterwards.
qint64 ensureFileLimit(int connections);

} // namespace sb::runtime::http
