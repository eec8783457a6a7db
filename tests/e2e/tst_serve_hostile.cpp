// Hostile HTTP against `serve` over loopback, each case on its own serve process with the
// exported Quote-to-Cash bundle: deep JSON, an endless header line, a 100 MB body, a forged
// /metrics path, ambiguous framing, slow and idle connections, too many connections and a
// webhook to a workflow that no webhook triggers. After each, serve must still answer.
#include "serve_harness.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <vector>

using namespace e2e;

namespace {

// The peak a huge body may cost serve. AddressSanitizer roughly doubles what a process
// holds (redzones, quarantine), so a sanitized build gets twice the room.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kPeakMb = 400;
#else
constexpr double kPeakMb = 200;
#endif

const QString kProject =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash/quote-to-cash.switchboard");

// VmRSS or VmHWM of a process in MB, from /proc; -1 when unreadable.
double memoryMb(qint64 pid, const char *field)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(int(qstrlen(field))).trimmed().split(' ').value(0).toDouble()
                   / 1024.0;
    }
    return -1;
}

// A raw client socket: exact bytes out, bytes back as they come.
class Raw
{
public:
    bool connect(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return m_socket.waitForConnected(5000);
    }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    // Waits until `count` whole responses arrived (or the socket closed, or the time ran
    // out) and returns all bytes received so far.
    QByteArray responses(int count, int timeoutMs = 10000)
    {
        QElapsedTimer t;
        t.start();
        while (complete() < count && t.elapsed() < timeoutMs) {
            if (m_socket.state() != QAbstractSocket::ConnectedState) {
                m_in += m_socket.readAll();
                break;
            }
            m_socket.waitForReadyRead(50);
            m_in += m_socket.readAll();
        }
        return m_in;
    }
    QByteArray response(int timeoutMs = 10000) { return responses(1, timeoutMs); }
    // True when the server closed the connection within the time.
    bool closed(int timeoutMs = 10000)
    {
        QElapsedTimer t;
        t.start();
        while (m_socket.state() == QAbstractSocket::ConnectedState && t.elapsed() < timeoutMs) {
            m_socket.waitForReadyRead(50);
            m_in += m_socket.readAll();
        }
        return m_socket.state() != QAbstractSocket::ConnectedState;
    }
    QTcpSocket &socket() { return m_socket; }
    QByteArray received() const { return m_in; }

private:
    // Whole responses in m_in (each has a Content-Length).
    int complete() const
    {
        int n = 0;
        qsizetype at = 0;
        for (;;) {
            const qsizetype end = m_in.indexOf("\r\n\r\n", at);
            if (end < 0)
                return n;
            const QByteArray head = m_in.mid(at, end - at).toLower();
            const qsizetype cl = head.indexOf("content-length:");
            const qsizetype len = cl < 0 ? 0
                                         : head.mid(cl + 15).split('\r').value(0).trimmed()
                                               .toLongLong();
            if (m_in.size() < end + 4 + len)
                return n;
            at = end + 4 + len;
            ++n;
        }
    }
    QTcpSocket m_socket;
    QByteArray m_in;
};

int statusOf(const QByteArray &response)
{
    if (!response.startsWith("HTTP/1.1 "))
        return 0;
    return response.mid(9, 3).toInt();
}

} // namespace

class TestServeHostile : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void deepJsonBody();
    void endlessHeaderLine();
    void longTargetAndManyHeaders();
    void hugeBody();
    void forgedMetricsPath();
    void ambiguousFraming();
    void slowConnections();
    void connectionCap();
    void idleTimeout();
    void webhookOnlyForWebhookTriggers();
    void helpListsLimits();

private:
    // Starts serve on the bundle with `extra` flags; returns its base URL.
    QString start(Runner &serve, const QStringList &extra = {});
    void healthy(const QString &base, Runner &serve);

    QTemporaryDir m_dir;
    QString m_bundle;
    int m_dbs = 0;
};

void TestServeHostile::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_bundle = m_dir.filePath(QStringLiteral("q2c.json"));
    QVERIFY(exportBundle(kProject, m_bundle));
}

QString TestServeHostile::start(Runner &serve, const QStringList &extra)
{
    const QString db = m_dir.filePath(QStringLiteral("s%1.db").arg(++m_dbs));
    return serve.start(QStringList{QStringLiteral("serve"), m_bundle, QStringLiteral("--db"), db,
                                   QStringLiteral("--init"), QStringLiteral("--listen"),
                                   QStringLiteral("127.0.0.1:0")}
                       + extra);
}

void TestServeHostile::healthy(const QString &base, Runner &serve)
{
    const Http h = getJson(base + QStringLiteral("/api/health"), true);
    QVERIFY2(h.status == 200, qPrintable(QStringLiteral("health %1 %2; serve %3")
                                             .arg(h.status)
                                             .arg(QString::fromUtf8(h.body), serve.describe())));
}

void TestServeHostile::deepJsonBody()
{
    Runner serve;
    const QString base = start(serve);
    QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
    const QByteArray deep = R"({"id":"d","stage":"closed-won","x":)" + QByteArray(50000, '[')
                            + QByteArray(50000, ']') + "}";
    const Http h = request("POST", base + QStringLiteral("/hooks/closed-won-to-cash"), deep);
    QCOMPARE(h.status, 400);
    QCOMPARE(h.type, QByteArray("application/problem+json"));
    const QJsonObject p = h.json().object();
    QCOMPARE(p[QStringLiteral("status")].toInt(), 400);
    // The bracket that goes one level too deep: line 1, column 35 + 512.
    QVERIFY2(p[QStringLiteral("detail")].toString().contains(QLatin1String("column 547")),
             h.body.constData());
    // A deep body on an admin route is refused the same way.
    const Http replay = request("POST", base + QStringLiteral("/api/dead-letters/1/replay"),
                                QByteArray(100000, '{'), true);
    QCOMPARE(replay.status, 400);
    healthy(base, serve);
    // Just within the limit still reaches the handler (a 202 or a filter answer, not 400).
    const QByteArray ok = R"({"id":"d","stage":"closed-won","lastModifiedAt":"x","x":)"
                          + QByteArray(500, '[') + QByteArray(500, ']') + "}";
    const Http within = request("POST", base + QStringLiteral("/hooks/closed-won-to-cash"), ok);
    QVERIFY2(within.status != 400 && within.status != 0, within.body.constData());
    QVERIFY(serve.running());
}

void TestServeHostile::endlessHeaderLine()
{
    Runner serve;
    const QString base = start(serve);
    QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
    // 1 MB of one header line, then silence: the answer is 431 and the connection closes.
    {
        Raw raw;
        QVERIFY(raw.connect(serve.port()));
        raw.send("GET /api/health HTTP/1.1\r\nHost: x\r\nX-Long: " + QByteArray(1 << 20, 'a'));
        const QByteArray r = raw.response();
        QCOMPARE(statusOf(r), 431);
        QVERIFY(raw.closed());
    }
    // ~50 MB of header bytes without CRLF, as fast as the server takes them.
    Raw raw;
    QVERIFY(raw.connect(serve.port()));
    raw.send("POST /hooks/closed-won-to-cash HTTP/1.1\r\nHost: x\r\nX-Endless: ");
    const QByteArray chunk(1 << 20, 'b');
    qint64 sent = 0;
    QElapsedTimer t;
    t.start();
    while (sent < 50ll << 20 && t.elapsed() < 60000
           && raw.socket().state() == QAbstractSocket::ConnectedState) {
        if (raw.socket().bytesToWrite() < chunk.size()) {
            raw.socket().write(chunk);
            sent += chunk.size();
        }
        raw.socket().waitForBytesWritten(50);
    }
    QVERIFY2(raw.closed(15000), "the endless header line did not close the connection");
    QVERIFY2(sent < 50ll << 20 || statusOf(raw.received()) == 431 || raw.received().isEmpty(),
             raw.received().left(200).constData());
    const double rss = memoryMb(serve.pid(), "VmRSS:");
    const double peak = memoryMb(serve.pid(), "VmHWM:");
    qInfo() << "serve after the endless header: RSS" << rss << "MB, peak" << peak << "MB;"
            << sent / (1 << 20) << "MB offered";
    QVERIFY(rss > 0);
    QVERIFY2(rss < 200, qPrintable(QString::number(rss)));
    QVERIFY2(peak < 200, qPrintable(QString::number(peak)));
    healthy(base, serve);
}

void TestServeHostile::longTargetAndManyHeaders()
{
    Runner serve;
    const QString base = start(serve, {QStringLiteral("--max-headers"), QStringLiteral("20")});
    QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
    {
        Raw raw;
        QVERIFY(raw.connect(serve.port()));
        raw.send("GET /" + QByteArray(9000, 'u') + " HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(statusOf(raw.response()), 414);
        QVERIFY(raw.closed());
    }
    QByteArray many = "GET /metrics HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 19; ++i)
        many += "X-H" + QByteArray::number(i) + ": v\r\n";
    {
        Raw raw; // 20 headers: allowed
        QVERIFY(raw.connect(serve.port()));
        raw.send(many + "\r\n");
        QCOMPARE(statusOf(raw.response()), 200);
    }
    Raw raw; // 21 headers: refused
    QVERIFY(raw.connect(serve.port()));
    raw.send(many + "X-One-More: v\r\n\r\n");
    QCOMPARE(statusOf(raw.response()), 431);
    QVERIFY(raw.closed());
    healthy(base, serve);
}

void TestServeHostile::hugeBody()
{
    Runner serve;
    const QString base = start(serve);
    QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
    const QByteArray head = "POST /hooks/closed-won-to-cash HTTP/1.1\r\nHost: x\r\n"
                            "Content-Type: application/json\r\n";
    // Content-Length of 100 MB and no body byte sent: refused from the header alone.
    {
        Raw raw;
        QVERIFY(raw.connect(serve.port()));
        raw.send(head + "Content-Length: 104857600\r\n\r\n");
        const QByteArray r = raw.response(5000);
        QCOMPARE(statusOf(r), 413);
        QVERIFY(r.contains("application/problem+json"));
        QVERIFY(raw.closed());
    }
    // Chunked: refused once the body passes the limit, long before 100 MB went out.
    Raw raw;
    QVERIFY(raw.connect(serve.port()));
    raw.send(head + "Transfer-Encoding: chunked\r\n\r\n");
    const QByteArray payload(1 << 20, 'x');
    const QByteArray chunk = QByteArray::number(payload.size(), 16) + "\r\n" + payload + "\r\n";
    qint64 sent = 0;
    QElapsedTimer t;
    t.start();
    while (sent < 100ll << 20 && t.elapsed() < 60000 && statusOf(raw.received()) == 0
           && raw.socket().state() == QAbstractSocket::ConnectedState) {
        if (raw.socket().bytesToWrite() == 0) {
            raw.socket().write(chunk);
            sent += payload.size();
        }
        raw.socket().waitForBytesWritten(50);
        raw.responses(1, 1);
    }
    raw.response(5000);
    QCOMPARE(statusOf(raw.received()), 413);
    qInfo() << "chunked body refused after" << sent / (1 << 20) << "MB sent";
    QVERIFY2(sent < 60ll << 20, qPrintable(QString::number(sent)));
    QVERIFY(raw.closed());
    // Bigger than 10 MB through the ordinary client: 413 too.
    const Http big = request("POST", base + QStringLiteral("/hooks/closed-won-to-cash"),
                             QByteArray(11 << 20, ' '));
    QVERIFY2(big.status == 413 || big.status == 0, big.body.left(200).constData());
    const double peak = memoryMb(serve.pid(), "VmHWM:");
    QVERIFY2(peak < kPeakMb, qPrintable(QString::number(peak)));
    healthy(base, serve);
}

void TestServeHostile::forgedMetricsPath()
{
    Runner serve;
    const QString base = start(serve);
    QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
    Raw raw;
    QVERIFY(raw.connect(serve.port()));
    raw.send("GET /x%22%7D%2042%0Ainjected_metric%201%0A%23 HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(statusOf(raw.response()), 404);
    const Http before = getJson(base + QStringLiteral("/metrics"));
    QCOMPARE(before.status, 200);
    QVERIFY(!before.body.contains("injected_metric"));
    QVERIFY(before.body.contains("switchboard_http_requests_total{route=\"other\"} 1\n"));

    // 30,000 distinct paths, pipelined 1,000 at a time on one kept-alive connection.
    constexpr int kBatch = 1000;
    for (int b = 0; b < 30; ++b) {
        QByteArray batch;
        for (int i = 0; i < kBatch; ++i)
            batch += "GET /p" + QByteArray::number(b * kBatch + i)
                     + "/q HTTP/1.1\r\nHost: x\r\n\r\n";
        Raw pipe;
        QVERIFY(pipe.connect(serve.port()));
        pipe.send(batch);
        const QByteArray all = pipe.responses(kBatch, 30000);
        QCOMPARE(all.count("HTTP/1.1 404 "), kBatch);
    }
    const Http after = getJson(base + QStringLiteral("/metrics"));
    QCOMPARE(after.status, 200);
    QVERIFY(!after.body.contains("injected_metric"));
    QVERIFY2(after.body.contains("switchboard_http_requests_total{route=\"other\"} 30001\n"),
             after.body.constData());
    QVERIFY2(after.body.size() < before.body.size() + 64,
             qPrintable(QStringLiteral("%1 -> %2 bytes").arg(before.body.size())
                            .arg(after.body.size())));
    // Every series is a known route template or another known metric.
    for (const QByteArray &line : after.body.split('\n')) {
        if (!line.startsWith("switchboard_http_requests_total"))
            continue;
        const QByteArray route = line.mid(line.indexOf('"') + 1).split('"').value(0);
        QVERIFY2(route == "other" || route == "/metrics" || route.startsWith("/api/")
                     || route == "/hooks/{id}",
                 line.constData());
    }
    QVERIFY(after.body.contains("switchboard_http_responses_total{class=\"4xx\"}"));
    healthy(base, serve);
}

void TestServeHostile::ambiguousFraming()
{
    Runner serve;
    const QString base = start(serve);
    QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
    const QByteArray head = "POST /hooks/closed-won-to-cash HTTP/1.1\r\nHost: x\r\n";
    const QByteArray cases[] = {
        head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        head + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
        head + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    };
    for (const QByteArray &c : cases) {
        Raw raw;
        QVERIFY(raw.connect(serve.port()));
        raw.send(c + "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        const QByteArray r = raw.responses(2, 5000);
        QCOMPARE(statusOf(r), 400);
        QVERIFY(r.contains("application/problem+json"));
        QVERIFY(r.contains("Connection: close"));
        QCOMPARE(r.count("HTTP/1.1 "), 1); // the request after it is not read
        QVERIFY(raw.closed());
    }
    // Pipelined, unambiguous requests on one connection are all answered, in order.
    Raw raw;
    QVERIFY(raw.connect(serve.port()));
    raw.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
             "POST /hooks/nightly-reconciliation HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
             "\r\n{}");
    const QByteArray r = raw.responses(3, 5000);
    const qsizetype a = r.indexOf("HTTP/1.1 200"), b = r.indexOf("HTTP/1.1 404"),
                    c = r.indexOf("HTTP/1.1 404", b + 1);
    QVERIFY2(a == 0 && b > a && c > b, r.constData());
    QVERIFY(!raw.closed(300));
    healthy(base, serve);
}

void TestServeHostile::slowConnections()
{
    Runner serve;
    const QString base = start(serve, {QStringLiteral("--read-timeout"), QStringLiteral("6")});
    QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
    constexpr int kSlow = 250;
    std::vector<std::unique_ptr<Raw>> slow;
    for (int i = 0; i < kSlow; ++i) {
        slow.push_back(std::make_unique<Raw>());
        QVERIFY(slow.back()->connect(serve.port()));
        slow.back()->send("POST /hooks/closed-won-to-cash HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    }
    QElapsedTimer t;
    t.start();
    const Http h = getJson(base + QStringLiteral("/api/health"), true);
    const qint64 ms = t.elapsed();
    QCOMPARE(h.status, 200);
    QVERIFY2(ms < 3000, qPrintable(QString::number(ms)));
    const Http m = getJson(base + QStringLiteral("/metrics"));
    QCOMPARE(m.status, 200);
    int open = 0;
    for (const auto &s : slow)
        open += s->socket().state() == QAbstractSocket::ConnectedState;
    QCOMPARE(open, kSlow); // they were still there while the good requests were served
    QVERIFY(m.body.contains("switchboard_http_connections "));
    // The read timeout answers each of them 408 and closes it.
    int timedOut = 0;
    for (const auto &s : slow) {
        const QByteArray r = s->response(15000);
        timedOut += statusOf(r) == 408 && s->closed(3000);
    }
    QCOMPARE(timedOut, kSlow);
    healthy(base, serve);
}

void TestServeHostile::connectionCap()
{
    Runner serve;
    const QString base = start(serve, {QStringLiteral("--max-connections"),
                                       QStringLiteral("20")});
    QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
    std::vector<std::unique_ptr<Raw>> held;
    for (int i = 0; i < 20; ++i) {
        held.push_back(std::make_unique<Raw>());
        QVERIFY(held.back()->connect(serve.port()));
        held.back()->send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(statusOf(held.back()->response()), 200);
    }
    Raw over;
    QVERIFY(over.connect(serve.port()));
    QCOMPARE(statusOf(over.response()), 503);
    QVERIFY(over.closed());
    held.clear(); // closing them frees their places
    QElapsedTimer t;
    t.start();
    Http h;
    while (t.elapsed() < 5000 && (h = getJson(base + QStringLiteral("/api/health"), true)).status
                                     != 200)
        QTest::qWait(100);
    QCOMPARE(h.status, 200);
}

void TestServeHostile::idleTimeout()
{
    Runner serve;
    const QString base = start(serve, {QStringLiteral("--idle-timeout"), QStringLiteral("1")});
    QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
    Raw kept;
    QVERIFY(kept.connect(serve.port()));
    kept.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(statusOf(kept.response()), 200);
    QElapsedTimer t;
    t.start();
    QVERIFY(!kept.closed(500)); // kept alive for a while
    QVERIFY(kept.closed(5000)); // then closed
    QVERIFY2(t.elapsed() >= 700, qPrintable(QString::number(t.elapsed())));
    Raw silent; // connected, never a byte
    QVERIFY(silent.connect(serve.port()));
    QVERIFY(silent.closed(5000));
    healthy(base, serve);
}

void TestServeHostile::webhookOnlyForWebhookTriggers()
{
    Runner serve;
    const QString base = start(serve);
    QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
    for (const char *id : {"nightly-reconciliation", "payment-failure-to-credit-hold",
                           "customer-master-sync", "no-such-workflow"}) {
        const Http h = request("POST", base + QStringLiteral("/hooks/") + QLatin1String(id),
                               R"({"id":"n1","stage":"closed-won"})");
        QVERIFY2(h.status == 404, qPrintable(QStringLiteral("%1: %2").arg(id).arg(h.status)));
        QCOMPARE(h.type, QByteArray("application/problem+json"));
    }
    const Http list = getJson(base + QStringLiteral("/api/instances"), true);
    QCOMPARE(list.status, 200);
    QCOMPARE(list.json().array().size(), 0);
}

void TestServeHostile::helpListsLimits()
{
    QProcess p;
    p.start(QStringLiteral(SWITCHBOARD_RUN_EXE),
            {QStringLiteral("serve"), QStringLiteral("--help")});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 0);
    const QByteArray out = p.readAllStandardOutput();
    for (const char *flag : {"--max-request-line", "--max-header-bytes", "--max-headers",
                             "--max-body", "--max-json-depth", "--idle-timeout", "--read-timeout",
                             "--max-connections"})
        QVERIFY2(out.contains(flag), flag);
    QProcess bad;
    bad.start(QStringLiteral(SWITCHBOARD_RUN_EXE),
              {QStringLiteral("serve"), m_bundle, QStringLiteral("--db"),
               m_dir.filePath(QStringLiteral("x.db")), QStringLiteral("--max-body"),
               QStringLiteral("ten")});
    QVERIFY(bad.waitForFinished(10000));
    QCOMPARE(bad.exitCode(), 2);
    QVERIFY(bad.readAllStandardError().contains("--max-body"));
}

QTEST_GUILESS_MAIN(TestServeHostile)
#include "tst_serve_hostile.moc"
