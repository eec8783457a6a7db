#pragma once

// Helpers for end-to-end tests that run `switchboard-run sandbox` and `serve` as separate
// processes on loopback: the admin token and webhook signatures over the support library's
// HTTP requests, process start with the printed address, hard kills. Every wait is capped
// so a broken runner fails the test instead of hanging it.

#include "tests/support/http.h"
#include "tests/support/process.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace e2e {

const QByteArray kToken = "e2e-token";
// The Quote-to-Cash template signs its closed-won webhook with env:Q2C_WEBHOOK_SECRET.
const QByteArray kWebhookSecret = "e2e-webhook-secret";

using sb::testsupport::Headers;

// X-Switchboard-Timestamp and X-Switchboard-Signature (sha256=<hex HMAC-SHA256(secret,
// timestamp "." body)>), computed here rather than by the runner's code.
inline Headers signatureHeaders(const QByteArray &body, const QByteArray &secret = kWebhookSecret,
                                qint64 timestamp = QDateTime::currentSecsSinceEpoch())
{
    const QByteArray ts = QByteArray::number(timestamp);
    const QByteArray mac = QMessageAuthenticationCode::hash(ts + "." + body, secret,
                                                            QCryptographicHash::Sha256);
    return {{"X-Switchboard-Timestamp", ts}, {"X-Switchboard-Signature", "sha256=" + mac.toHex()}};
}

using sb::testsupport::Http;
using sb::testsupport::nam;

// As the support library's request(); `admin` sends the admin token.
inline Http request(const QByteArray &method, const QString &url, const QByteArray &body,
                    const Headers &headers, bool admin = false, int timeoutMs = 15000)
{
    return sb::testsupport::request(method, url, body, headers, admin ? kToken : QByteArray(),
                                    timeoutMs);
}

inline Http request(const QByteArray &method, const QString &url, const QByteArray &body = {},
                    bool admin = false, int timeoutMs = 15000)
{
    return request(method, url, body, Headers(), admin, timeoutMs);
}

// A webhook signed with `secret`, as the template's closed-won trigger expects. Like a real
// sender's retry, a repeated body is signed afresh: never twice with the same timestamp
// (a second earlier, well inside the window), else the runner would refuse it as a replay.
inline Http signedPost(const QString &url, const QByteArray &body,
                       const QByteArray &secret = kWebhookSecret)
{
    static QHash<QByteArray, QSet<qint64>> used;
    qint64 ts = QDateTime::currentSecsSinceEpoch();
    QSet<qint64> &times = used[body];
    while (times.contains(ts))
        --ts;
    times.insert(ts);
    return request("POST", url, body, signatureHeaders(body, secret, ts));
}

inline Http getJson(const QString &url, bool admin = false)
{
    return request("GET", url, {}, admin);
}

// A switchboard-run child process, killed when it goes out of scope.
class Runner
{
public:
    ~Runner() { stop(); }
    // Starts and waits (<= 10 s) for "listening on http://...". Returns the base URL.
    QString start(const QStringList &args)
    {
        stop();
        m_proc = std::make_unique<QProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SWITCHBOARD_ADMIN_TOKEN"), QString::fromLatin1(kToken));
        env.insert(QStringLiteral("Q2C_WEBHOOK_SECRET"), QString::fromLatin1(kWebhookSecret));
        m_proc->setProcessEnvironment(env);
        m_proc->setProcessChannelMode(QProcess::SeparateChannels);
        m_proc->start(sb::testsupport::runnerPath(), args);
        QString out;
        for (int i = 0; i < 100; ++i) {
            m_proc->waitForReadyRead(100);
            out += QString::fromUtf8(m_proc->readAllStandardOutput());
            const qsizetype at = out.indexOf(QLatin1String("http://"));
            if (at >= 0 && out.indexOf(QLatin1Char('\n'), at) > at)
                return m_base = out.mid(at).section(QLatin1Char('\n'), 0, 0).trimmed();
            if (m_proc->state() == QProcess::NotRunning)
                break;
        }
        m_stderr = QString::fromUtf8(m_proc->readAllStandardError());
        return {};
    }
    // SIGKILL: no drain, no cleanup; the database is left as the crash left it.
    void kill()
    {
        if (!m_proc)
            return;
        m_proc->kill();
        m_proc->waitForFinished(5000);
    }
    void stop()
    {
        if (!m_proc)
            return;
        if (m_proc->state() != QProcess::NotRunning) {
            m_proc->terminate();
            if (!m_proc->waitForFinished(5000)) {
                m_proc->kill();
                m_proc->waitForFinished(5000);
            }
        }
        m_proc.reset();
    }
    bool running() const { return m_proc && m_proc->state() == QProcess::Running; }
    QString base() const { return m_base; }
    quint16 port() const { return quint16(QUrl(m_base).port()); }
    qint64 pid() const { return m_proc ? m_proc->processId() : 0; }
    QString errors() const { return m_stderr; }
    // For failure messages: whether it still runs, how it ended, the end of its stderr.
    QString describe() const
    {
        if (!m_proc)
            return QStringLiteral("not started");
        if (m_proc->state() == QProcess::Running)
            return QStringLiteral("running");
        return QStringLiteral("ended (%1, code %2): %3")
            .arg(m_proc->exitStatus() == QProcess::CrashExit ? "crashed" : "exited")
            .arg(m_proc->exitCode())
            .arg(QString::fromUtf8(m_proc->readAllStandardError().right(2000)));
    }

private:
    std::unique_ptr<QProcess> m_proc;
    QString m_base;
    QString m_stderr;
};

inline bool exportBundle(const QString &project, const QString &bundle)
{
    return sb::testsupport::run({QStringLiteral("export"), project, QStringLiteral("-o"), bundle},
                                30000)
               .exitCode
           == 0;
}

inline bool terminal(const QString &status)
{
    return status == QLatin1String("completed") || status == QLatin1String("dead-lettered")
           || status == QLatin1String("failed") || status == QLatin1String("compensated");
}

// Polls GET /api/instances until `expected` instances exist and all are terminal.
inline QJsonArray waitAllTerminal(const QString &base, int expected, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    QJsonArray list;
    while (t.elapsed() < timeoutMs) {
        const Http h = getJson(base + QStringLiteral("/api/instances"), true);
        list = h.json().array();
        bool done = h.status == 200 && list.size() >= expected;
        for (const auto &v : list)
            done = done && terminal(v.toObject()[QStringLiteral("status")].toString());
        if (done)
            return list;
        QEventLoop l;
        QTimer::singleShot(200, &l, &QEventLoop::quit);
        l.exec();
    }
    return list;
}

} // namespace e2e
