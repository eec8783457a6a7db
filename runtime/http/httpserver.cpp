#include "runtime/http/httpserver.h"

#include "model/jsonlimits.h"
#include "runtime/common/problem.h"

#include <QCryptographicHash>
#include <QTcpServer>
#include <QTcpSocket>
#include <QPointer>
#include <QTimer>

#include <http_parser.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <optional>
#include <sys/resource.h>
#include <sys/socket.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sb::runtime::http {

namespace {

constexpr qsizetype kReadChunk = 64 * 1024;
// Answers waiting in the socket beyond this stop the parsing of further pipelined requests
// until the peer reads them, so a client that never reads cannot make the runner buffer.
constexpr qint64 kMaxQueuedOutput = 1024 * 1024;
// After an answer that closes the connection, input is read and dropped this long so the
// peer can read the answer before the kernel resets an unread receive queue.
constexpr int kLingerMs = 2000;
// A connection that held this much is followed by a malloc_trim, so RSS goes back down.
constexpr qsizetype kTrimAfterBytes = 1024 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return status < 300 ? "OK" : status < 500 ? "Client Error" : "Server Error";
    }
}

Request::Method methodOf(unsigned m)
{
    switch (m) {
    case HTTP_GET: return Request::Method::Get;
    case HTTP_PUT: return Request::Method::Put;
    case HTTP_DELETE: return Request::Method::Delete;
    case HTTP_POST: return Request::Method::Post;
    case HTTP_HEAD: return Request::Method::Head;
    case HTTP_OPTIONS: return Request::Method::Options;
    case HTTP_PATCH: return Request::Method::Patch;
    case HTTP_CONNECT: return Request::Method::Connect;
    case HTTP_TRACE: return Request::Method::Trace;
    default: return Request::Method::Unknown;
    }
}

Response problemResponse(int status, const QString &detail)
{
    return {status, problemJson(status, QString::fromLatin1(reasonPhrase(status)), detail),
            "application/problem+json"};
}

const char *rejectionName(Rejection r)
{
    switch (r) {
    case Rejection::UriTooLong: return "uri_too_long";
    case Rejection::HeadersTooLarge: return "headers_too_large";
    case Rejection::BodyTooLarge: return "body_too_large";
    case Rejection::JsonTooDeep: return "json_too_deep";
    case Rejection::BadRequest: return "bad_request";
    case Rejection::ReadTimeout: return "read_timeout";
    case Rejection::IdleTimeout: return "idle_timeout";
    case Rejection::TooManyConnections: return "too_many_connections";
    case Rejection::HandlerException: return "handler_exception";
    case Rejection::Count: break;
    }
    return "other";
}

} // namespace

// One accepted socket: parses requests as bytes arrive, never holding more than the limits
// allow, answers them in order and closes itself on a limit, an error or a timeout.
class Connection : public QObject
{
public:
    Connection(Server *server, QTcpSocket *socket);
    // The socket (a child) outlives the members; it must not call back into them.
    ~Connection() override { m_socket->disconnect(this); }

private:
    enum class State { Reading, Closing, Lingering, Closed };
    enum class Timer { Idle, Read, Linger };
    struct Refusal
    {
        int status;
        Rejection why;
        QString detail;
    };

    static const http_parser_settings &settings();
    static Connection *self(http_parser *p) { return static_cast<Connection *>(p->data); }

    int messageBegin();
    int url(const char *at, size_t len);
    int headerField(const char *at, size_t len);
    int headerValue(const char *at, size_t len);
    int headersComplete();
    int body(const char *at, size_t len);
    int refuse(int status, Rejection why, const QString &detail);
    bool commitHeader();

    void readable();
    void process();
    bool feed(const char *data, qsizetype len);
    void dispatch();
    void answer(const Response &r, bool keepAlive, bool head);
    void send(const Response &r, bool close, bool head);
    void refuseNow(const Refusal &r);
    void closeAfterWrite();
    void written();
    void arm(Timer kind, int ms);
    void timeout();
    void release();
    void resetMessage();

    Server *m_server;
    QTcpSocket *m_socket;
    QTimer m_timer;
    Timer m_timerKind = Timer::Idle;
    State m_state = State::Reading;
    http_parser m_parser;
    QByteArray m_unparsed;          // input left over while answers wait to be read
    QHostAddress m_remote;

    bool m_inMessage = false;
    QByteArray m_url;
    QByteArray m_field;
    QByteArray m_value;
    bool m_valueLast = false;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    qsizetype m_headerBytes = 0;
    bool m_sawLength = false;
    bool m_sawEncoding = false;
    QByteArray m_body;
    qsizetype m_peak = 0;
    bool m_busy = false;            // inside process()
    bool m_awaiting = false;        // a request handed to asyncHandler is not answered yet
    std::optional<Refusal> m_refusal;
};

const http_parser_settings &Connection::settings()
{
    static const http_parser_settings s = [] {
        http_parser_settings v;
        http_parser_settings_init(&v);
        v.on_message_begin = [](http_parser *p) { return self(p)->messageBegin(); };
        v.on_url = [](http_parser *p, const char *at, size_t n) { return self(p)->url(at, n); };
        v.on_header_field = [](http_parser *p, const char *at, size_t n) {
            return self(p)->headerField(at, n);
        };
        v.on_header_value = [](http_parser *p, const char *at, size_t n) {
            return self(p)->headerValue(at, n);
        };
        v.on_headers_complete = [](http_parser *p) { return self(p)->headersComplete(); };
        v.on_body = [](http_parser *p, const char *at, size_t n) { return self(p)->body(at, n); };
        // Pause at the end of each message: it is answered outside the parser's callbacks,
        // then parsing resumes with the bytes that follow (pipelining).
        v.on_message_complete = [](http_parser *p) {
            http_parser_pause(p, 1);
            return 0;
        };
        return v;
    }();
    return s;
}

Connection::Connection(Server *server, QTcpSocket *socket)
    : m_server(server), m_socket(socket), m_remote(socket->peerAddress())
{
    socket->setParent(this);
    // Qt stops reading from the kernel once this much waits unread (backpressure).
    socket->setReadBufferSize(kReadChunk);
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
    m_timer.setSingleShot(true);
    QObject::connect(&m_timer, &QTimer::timeout, this, [this]() { timeout(); });
    QObject::connect(socket, &QTcpSocket::readyRead, this, [this]() { readable(); });
    QObject::connect(socket, &QTcpSocket::bytesWritten, this, [this]() { written(); });
    QObject::connect(socket, &QTcpSocket::disconnected, this, [this]() { release(); });
    QObject::connect(socket, &QTcpSocket::errorOccurred, this,
                     [this](QAbstractSocket::SocketError e) {
                         if (e != QAbstractSocket::SocketTimeoutError)
                             release();
                     });
    arm(Timer::Idle, server->m_limits.idleTimeoutMs);
}

void Connection::resetMessage()
{
    m_inMessage = false;
    m_url = QByteArray();
    m_field = QByteArray();
    m_value = QByteArray();
    m_valueLast = false;
    m_headers.clear();
    m_headerBytes = 0;
    m_sawLength = false;
    m_sawEncoding = false;
    m_body = QByteArray();
}

int Connection::refuse(int status, Rejection why, const QString &detail)
{
    m_refusal = Refusal{status, why, detail};
    return 1; // stops the parser
}

int Connection::messageBegin()
{
    resetMessage();
    m_inMessage = true;
    arm(Timer::Read, m_server->m_limits.readTimeoutMs);
    return 0;
}

int Connection::url(const char *at, size_t len)
{
    if (m_url.size() + qsizetype(len) > m_server->m_limits.maxRequestLine)
        return refuse(414, Rejection::UriTooLong,
                      QStringLiteral("the request target is longer than %1 bytes")
                          .arg(m_server->m_limits.maxRequestLine));
    m_url.append(at, qsizetype(len));
    return 0;
}

int Connection::headerField(const char *at, size_t len)
{
    if (m_valueLast && !commitHeader())
        return 1;
    m_headerBytes += qsizetype(len);
    if (m_headerBytes > m_server->m_limits.maxHeaderBytes)
        return refuse(431, Rejection::HeadersTooLarge,
                      QStringLiteral("the headers are larger than %1 bytes")
                          .arg(m_server->m_limits.maxHeaderBytes));
    m_field.append(at, qsizetype(len));
    return 0;
}

int Connection::headerValue(const char *at, size_t len)
{
    m_valueLast = true;
    m_headerBytes += qsizetype(len);
    if (m_headerBytes > m_server->m_limits.maxHeaderBytes)
        return refuse(431, Rejection::HeadersTooLarge,
                      QStringLiteral("the headers are larger than %1 bytes")
                          .arg(m_server->m_limits.maxHeaderBytes));
    m_value.append(at, qsizetype(len));
    return 0;
}

// Stores the header just read. False (with a refusal) when it breaks a limit or makes the
// message framing ambiguous.
bool Connection::commitHeader()
{
    m_valueLast = false;
    if (m_field.isEmpty())
        return true;
    if (m_headers.size() >= m_server->m_limits.maxHeaders) {
        refuse(431, Rejection::HeadersTooLarge,
               QStringLiteral("more than %1 header lines").arg(m_server->m_limits.maxHeaders));
        return false;
    }
    if (m_field.compare("content-length", Qt::CaseInsensitive) == 0) {
        if (m_sawLength) {
            refuse(400, Rejection::BadRequest, QStringLiteral("more than one Content-Length"));
            return false;
        }
        m_sawLength = true;
    } else if (m_field.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
        m_sawEncoding = true;
    }
    if (m_sawLength && m_sawEncoding) {
        refuse(400, Rejection::BadRequest,
               QStringLiteral("both Content-Length and Transfer-Encoding"));
        return false;
    }
    m_headers.append({m_field, m_value.trimmed()});
    m_field = QByteArray();
    m_value = QByteArray();
    return true;
}

int Connection::headersComplete()
{
    if (!commitHeader())
        return 1;
    const Limits &l = m_server->m_limits;
    if ((m_parser.flags & F_CONTENTLENGTH) && m_parser.content_length > quint64(l.maxBody))
        return refuse(413, Rejection::BodyTooLarge,
                      QStringLiteral("the body is larger than %1 bytes").arg(l.maxBody));
    // A client that asks before sending its body hears it may go on only when it fits.
    if (m_parser.http_major == 1 && m_parser.http_minor == 1) {
        for (const auto &h : std::as_const(m_headers)) {
            if (h.first.compare("expect", Qt::CaseInsensitive) == 0
                && h.second.compare("100-continue", Qt::CaseInsensitive) == 0)
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
    }
    return 0;
}

int Connection::body(const char *at, size_t len)
{
    const qint64 max = m_server->m_limits.maxBody;
    if (m_body.size() + qint64(len) > max)
        return refuse(413, Rejection::BodyTooLarge,
                      QStringLiteral("the body is larger than %1 bytes").arg(max));
    m_body.append(at, qsizetype(len));
    m_peak = std::max(m_peak, m_body.size());
    return 0;
}

void Connection::readable()
{
    if (m_state == State::Reading && m_awaiting)
        return; // read once the request in progress is answered
    if (m_state == State::Reading) {
        process();
    } else if (m_state == State::Lingering || m_state == State::Closing) {
        m_socket->skip(m_socket->bytesAvailable()); // nobody will read it
    }
}

void Connection::process()
{
    // A handler that spins a nested event loop (a synchronous outbound call) must not
    // re-enter this connection's parser; what arrives meanwhile is read when it returns.
    if (m_busy)
        return;
    m_busy = true;
    char buffer[kReadChunk]; // on the stack: nested loops may process other connections
    while (m_state == State::Reading && !m_awaiting
           && m_socket->bytesToWrite() <= kMaxQueuedOutput) {
        if (!m_unparsed.isEmpty()) {
            const QByteArray left = std::exchange(m_unparsed, QByteArray());
            if (!feed(left.constData(), left.size()))
                break;
            continue;
        }
        const qint64 n = m_socket->read(buffer, kReadChunk);
        if (n <= 0 || !feed(buffer, n))
            break;
    }
    m_busy = false;
    if (m_state == State::Closed) // closed from a nested event loop meanwhile
        m_server->release(this);
}

// Parses `len` bytes, answering each complete request. False when the connection stopped
// reading (closing, or answers queue up); unparsed bytes are then kept for later.
bool Connection::feed(const char *data, qsizetype len)
{
    qsizetype at = 0;
    while (at < len) {
        const size_t n = http_parser_execute(&m_parser, &settings(), data + at,
                                             size_t(len - at));
        at += qsizetype(n);
        const auto err = http_errno(m_parser.http_errno);
        if (m_refusal) {
            refuseNow(*m_refusal);
            return false;
        }
        if (err == HPE_PAUSED) {
            http_parser_pause(&m_parser, 0);
            dispatch();
            if (m_state != State::Reading)
                return false;
            if (m_awaiting || m_socket->bytesToWrite() > kMaxQueuedOutput) {
                m_unparsed = QByteArray(data + at, len - at);
                return false;
            }
            continue;
        }
        if (err != HPE_OK) {
            QString detail = QString::fromLatin1(http_errno_description(err));
            int status = 400;
            Rejection why = Rejection::BadRequest;
            if (err == HPE_HEADER_OVERFLOW) {
                status = 431;
                why = Rejection::HeadersTooLarge;
            } else if (err == HPE_UNEXPECTED_CONTENT_LENGTH) {
                detail = QStringLiteral("ambiguous framing: ") + detail;
            }
            refuseNow({status, why, detail});
            return false;
        }
        if (n == 0) { // no progress without an error: never expected, never loop on it
            refuseNow({400, Rejection::BadRequest, QStringLiteral("unparsable request")});
            return false;
        }
    }
    return true;
}

void Connection::dispatch()
{
    Request req;
    req.m_method = methodOf(m_parser.method);
    req.m_methodName = http_method_str(http_method(m_parser.method));
    req.m_url = QUrl::fromEncoded(m_url);
    req.m_headers = std::move(m_headers);
    req.m_body = std::move(m_body);
    req.m_remote = m_remote;
    // Upgrades (and CONNECT) are answered like any request, then the connection closes.
    const bool keepAlive = http_should_keep_alive(&m_parser) != 0 && !m_parser.upgrade;
    const bool head = req.m_method == Request::Method::Head;
    resetMessage();

    Response r;
    const int depth = m_server->m_limits.maxJsonDepth;
    std::optional<Error> deep;
    if (depth > 0 && !req.m_body.isEmpty())
        deep = jsonNestingError(req.m_body.constData(), size_t(req.m_body.size()), depth);
    if (deep) {
        m_server->countRejection(Rejection::JsonTooDeep);
        r = problemResponse(400, QStringLiteral("%1 (line %2, column %3)")
                                     .arg(deep->message).arg(deep->line).arg(deep->column));
    } else if (m_server->asyncHandler) {
        // Nothing more is parsed on this connection until the answer is out (order).
        m_awaiting = true;
        m_timer.stop();
        QPointer<Connection> self(this);
        auto answered = std::make_shared<bool>(false);
        Server::Responder respond = [self, answered, keepAlive, head](const Response &a) {
            if (*answered)
                return;
            *answered = true;
            if (self)
                self->answer(a, keepAlive, head);
        };
        try {
            m_server->asyncHandler(req, respond);
        } catch (const std::exception &e) {
            m_server->countRejection(Rejection::HandlerException);
            std::fprintf(stderr, "http: request handler failed: %s\n", e.what());
            respond(problemResponse(500, QStringLiteral("the request could not be handled")));
        }
        return;
    } else if (!m_server->handler) {
        r = problemResponse(503, QStringLiteral("no handler"));
    } else {
        try {
            r = m_server->handler(req);
        } catch (const std::exception &e) {
            m_server->countRejection(Rejection::HandlerException);
            std::fprintf(stderr, "http: request handler failed: %s\n", e.what());
            r = problemResponse(500, QStringLiteral("the request could not be handled"));
        }
    }
    send(r, !keepAlive, head);
    if (!keepAlive) {
        closeAfterWrite();
        return;
    }
    arm(Timer::Idle, m_server->m_limits.idleTimeoutMs);
}

// A deferred answer: sent, then what was received meanwhile is parsed (outside the caller's
// stack, which may be another connection's handler or a commit).
void Connection::answer(const Response &r, bool keepAlive, bool head)
{
    const bool wasAwaiting = std::exchange(m_awaiting, false);
    if (m_state != State::Reading)
        return;
    send(r, !keepAlive, head);
    if (!keepAlive) {
        closeAfterWrite();
        return;
    }
    arm(Timer::Idle, m_server->m_limits.idleTimeoutMs);
    if (wasAwaiting && !m_busy)
        QTimer::singleShot(0, this, [this]() {
            if (m_state == State::Reading && !m_awaiting)
                process();
        });
}

void Connection::send(const Response &r, bool close, bool head)
{
    if (m_state == State::Closed) // the peer went away while the handler ran
        return;
    QByteArray out;
    out.reserve(r.body.size() + 160);
    out += "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + reasonPhrase(r.status)
           + "\r\nContent-Type: " + r.type
           + "\r\nContent-Length: " + QByteArray::number(r.body.size()) + "\r\n";
    for (const auto &h : r.headers)
        out += h.first + ": " + h.second + "\r\n";
    if (close)
        out += "Connection: close\r\n";
    else if (m_parser.http_major == 1 && m_parser.http_minor == 0)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    if (!head)
        out += r.body;
    m_socket->write(out);
    m_server->countResponse(r.status);
}

void Connection::refuseNow(const Refusal &r)
{
    m_refusal.reset();
    m_server->countRejection(r.why);
    send(problemResponse(r.status, r.detail), true, false);
    resetMessage();
    closeAfterWrite();
}

// The answer goes out, then the write side is shut and input dropped for a moment (a
// lingering close), then the socket is closed.
void Connection::closeAfterWrite()
{
    m_state = State::Closing;
    m_unparsed = QByteArray();
    arm(Timer::Idle, m_server->m_limits.idleTimeoutMs); // a peer that never reads
    written();
}

void Connection::written()
{
    if (m_state == State::Closing && m_socket->bytesToWrite() == 0) {
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
        m_state = State::Lingering;
        arm(Timer::Linger, kLingerMs);
        m_socket->skip(m_socket->bytesAvailable());
        return;
    }
    if (m_state == State::Reading) {
        if (!m_inMessage)
            arm(Timer::Idle, m_server->m_limits.idleTimeoutMs); // the peer reads: not idle
        if (m_socket->bytesToWrite() <= kMaxQueuedOutput
            && (!m_unparsed.isEmpty() || m_socket->bytesAvailable() > 0))
            process();
    }
}

void Connection::arm(Timer kind, int ms)
{
    m_timerKind = kind;
    m_timer.start(ms);
}

void Connection::timeout()
{
    if (m_state == State::Reading && m_timerKind == Timer::Read && m_inMessage) {
        refuseNow({408, Rejection::ReadTimeout,
                   QStringLiteral("the request did not arrive within %1 ms")
                       .arg(m_server->m_limits.readTimeoutMs)});
        return;
    }
    if (m_state == State::Reading)
        m_server->countRejection(Rejection::IdleTimeout);
    m_socket->abort();
    release();
}

void Connection::release()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_timer.stop();
    m_socket->disconnect(this);
    const bool trim = m_peak >= kTrimAfterBytes;
    if (!m_busy) { // else process() is still on the stack and releases on its way out
        resetMessage();
        m_unparsed = QByteArray();
        m_server->release(this);
    }
#if defined(__GLIBC__)
    if (trim)
        QTimer::singleShot(0, []() { malloc_trim(0); });
#else
    Q_UNUSED(trim)
#endif
}

Server::Server(Limits limits) : m_limits(limits), m_tcp(std::make_unique<QTcpServer>())
{
    // http_parser's own head limit (80 KB by default) must not undercut ours.
    http_parser_set_max_header_size(
        uint32_t(std::min<qint64>(qint64(limits.maxRequestLine) + limits.maxHeaderBytes
                                      + 4096, std::numeric_limits<uint32_t>::max())));
    QObject::connect(m_tcp.get(), &QTcpServer::newConnection, m_tcp.get(), [this]() { accept(); });
    // Out of file descriptors: Qt pauses accepting; try again shortly.
    QObject::connect(m_tcp.get(), &QTcpServer::acceptError, m_tcp.get(), [this]() {
        QTimer::singleShot(100, m_tcp.get(), [this]() { m_tcp->resumeAccepting(); });
    });
}

Server::~Server()
{
    m_tcp->close();
    const auto open = std::exchange(m_connections, {});
    for (Connection *c : open)
        delete c;
}

bool Server::listen(const QHostAddress &address, quint16 port)
{
    return m_tcp->listen(address, port);
}

quint16 Server::serverPort() const { return m_tcp->serverPort(); }
QString Server::errorString() const { return m_tcp->errorString(); }
void Server::close() { m_tcp->close(); }

void Server::accept()
{
    while (QTcpSocket *s = m_tcp->nextPendingConnection()) {
        if (int(m_connections.size()) >= m_limits.maxConnections) {
            // Over the cap: a short answer and close; nothing of the request is read.
            countRejection(Rejection::TooManyConnections);
            countResponse(503);
            const QByteArray body = problemJson(503, QStringLiteral("Service Unavailable"),
                                                QStringLiteral("too many connections"));
            s->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json"
                     "\r\nContent-Length: " + QByteArray::number(body.size())
                     + "\r\nConnection: close\r\nRetry-After: 1\r\n\r\n" + body);
            QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            QTimer::singleShot(1000, s, [s]() { s->abort(); });
            s->disconnectFromHost();
            continue;
        }
        m_connections.insert(new Connection(this, s));
    }
}

void Server::countResponse(int status)
{
    const int cls = status / 100;
    if (cls >= 1 && cls <= 5)
        ++m_classes[size_t(cls)];
}

void Server::release(Connection *c)
{
    if (m_connections.erase(c))
        c->deleteLater();
}

QByteArray Server::metricsText() const
{
    QByteArray m = "# TYPE switchboard_http_connections gauge\nswitchboard_http_connections "
                   + QByteArray::number(qint64(m_connections.size())) + "\n";
    m += "# TYPE switchboard_http_responses_total counter\n";
    for (int c = 1; c <= 5; ++c)
        m += "switchboard_http_responses_total{class=\"" + QByteArray::number(c) + "xx\"} "
             + QByteArray::number(m_classes[size_t(c)]) + "\n";
    m += "# TYPE switchboard_http_rejected_total counter\n";
    for (size_t r = 0; r < size_t(Rejection::Count); ++r)
        m += QByteArray("switchboard_http_rejected_total{reason=\"")
             + rejectionName(Rejection(r)) + "\"} " + QByteArray::number(m_rejections[r])
             + "\n";
    return m;
}

QByteArray Request::value(const QByteArray &key) const
{
    for (const auto &h : m_headers) {
        if (h.first.compare(key, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QVariantMap Request::headers() const
{
    QVariantMap m;
    for (const auto &h : m_headers)
        m.insert(QString::fromLatin1(h.first), QString::fromLatin1(h.second));
    return m;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    const QByteArray ha = QCryptographicHash::hash(a, QCryptographicHash::Sha256);
    const QByteArray hb = QCryptographicHash::hash(b, QCryptographicHash::Sha256);
    volatile unsigned char diff = 0;
    for (qsizetype i = 0; i < ha.size(); ++i)
        diff = diff | static_cast<unsigned char>(ha[i] ^ hb[i]);
    return diff == 0;
}

QString routeLabel(const QString &path)
{
    const QStringList p = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const auto is = [&p](qsizetype i, const char *s) {
        return i < p.size() && p[i] == QLatin1String(s);
    };
    if (p.size() == 2 && is(0, "hooks"))
        return QStringLiteral("/hooks/{id}");
    if (p.size() == 1 && is(0, "metrics"))
        return QStringLiteral("/metrics");
    if (!is(0, "api"))
        return QStringLiteral("other");
    if (p.size() == 2 && is(1, "health"))
        return QStringLiteral("/api/health");
    if (p.size() == 2 && is(1, "instances"))
        return QStringLiteral("/api/instances");
    if (p.size() == 3 && is(1, "instances"))
        return QStringLiteral("/api/instances/{id}");
    if (p.size() == 2 && is(1, "dead-letters"))
        return QStringLiteral("/api/dead-letters");
    if (p.size() == 4 && is(1, "dead-letters") && is(3, "replay"))
        return QStringLiteral("/api/dead-letters/{id}/replay");
    if (p.size() == 2 && is(1, "tasks"))
        return QStringLiteral("/api/tasks");
    if (p.size() == 4 && is(1, "tasks") && (is(3, "approve") || is(3, "reject")))
        return QStringLiteral("/api/tasks/{id}/") + p[3];
    return QStringLiteral("other");
}

qint64 ensureFileLimit(int connections)
{
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return -1;
    const rlim_t want = rlim_t(connections) + 128; // the journal, sandbox calls, stdio
    if (rl.rlim_cur < want) {
        rlimit raised = rl;
        raised.rlim_cur = rl.rlim_max == RLIM_INFINITY ? want : std::min(want, rl.rlim_max);
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
            rl = raised;
    }
    return rl.rlim_cur == RLIM_INFINITY ? std::numeric_limits<qint64>::max()
                                        : qint64(rl.rlim_cur);
}

} // namespace sb::runtime::http
