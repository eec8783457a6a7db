#include "app/run/runcontroller.h"

#include "runtime/engine/connector.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>
#include <mutex>

using namespace sb;

// RunController's fault drills (errors, rate limits, latency and outages injected into the
// running simulation) and the connection test of a live profile's systems.

void RunController::setFaults(const QString &system, double errorRate, double rateLimit,
                              int latencyMs, bool outage)
{
    runtime::FaultConfig f;
    f.errorRate = std::clamp(errorRate, 0.0, 1.0);
    f.rateLimitPerSecond = std::max(0.0, rateLimit);
    f.latencyMs = std::max(0, latencyMs);
    f.outage = outage;
    for (int i = 0; i < m_faults.size(); ++i) {
        if (m_faults[i].first == system) {
            m_faults.remove(i);
            break;
        }
    }
    const bool any = f.errorRate > 0 || f.rateLimitPerSecond > 0 || f.latencyMs > 0 || f.outage;
    if (any)
        m_faults.append({system, f});
    {
        std::lock_guard<std::mutex> lock(m_shared->mutex);
        m_shared->faults = m_faults;
    }
    m_shared->faultVersion += 1;
    emit faultsChanged();
}

void RunController::clearFaults()
{
    m_faults.clear();
    {
        std::lock_guard<std::mutex> lock(m_shared->mutex);
        m_shared->faults.clear();
    }
    m_shared->faultVersion += 1;
    emit faultsChanged();
}

QVariantMap RunController::faultsFor(const QString &system) const
{
    for (const auto &f : m_faults) {
        if (f.first == system)
            return {{QStringLiteral("errorRate"), f.second.errorRate},
                    {QStringLiteral("rateLimit"), f.second.rateLimitPerSecond},
                    {QStringLiteral("latencyMs"), f.second.latencyMs},
                    {QStringLiteral("outage"), f.second.outage}};
    }
    return {{QStringLiteral("errorRate"), 0.0}, {QStringLiteral("rateLimit"), 0.0},
            {QStringLiteral("latencyMs"), 0}, {QStringLiteral("outage"), false}};
}

bool RunController::faultsActive() const { return !m_faults.isEmpty(); }

QString RunController::faultsText() const
{
    QStringList parts;
    for (const auto &f : m_faults) {
        QStringList what;
        if (f.second.outage)
            what << tr("outage");
        if (f.second.errorRate > 0)
            what << tr("%1 % errors").arg(qRound(f.second.errorRate * 100));
        if (f.second.rateLimitPerSecond > 0)
            what << tr("429 above %1/s").arg(f.second.rateLimitPerSecond);
        if (f.second.latencyMs > 0)
            what << tr("+%1 ms").arg(f.second.latencyMs);
        parts << (f.first.isEmpty() ? tr("all") : f.first) + QStringLiteral(": ")
                     + what.join(QStringLiteral(", "));
    }
    return parts.join(QStringLiteral("; "));
}

void RunController::testConnections(const QString &profileName, int timeoutMs)
{
    const model::Project *p = project();
    if (!p)
        return;
    if (!m_nam)
        m_nam = new QNetworkAccessManager(this);
    m_connections.clear();
    m_pendingTests = 0;
    for (const model::System &s : p->systems) {
        for (const model::EndpointProfile &e : s.profiles) {
            if (e.name != profileName || e.sandbox)
                continue;
            const int row = m_connections.size();
            m_connections.append(QVariantMap{{QStringLiteral("system"), s.id},
                                             {QStringLiteral("url"), e.baseUrl},
                                             {QStringLiteral("state"), QStringLiteral("testing")},
                                             {QStringLiteral("message"), tr("Testing\u2026")}});
            const QUrl url(e.baseUrl);
            if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty()) {
                QVariantMap m = m_connections[row].toMap();
                m.insert(QStringLiteral("state"), QStringLiteral("error"));
                m.insert(QStringLiteral("message"), tr("No valid base URL"));
                m_connections[row] = m;
                continue;
            }
            QNetworkRequest req(url);
            req.setTransferTimeout(timeoutMs);
            const auto auth = runtime::authHeader(
                runtime::HttpEndpoint{e.baseUrl, e.auth, e.secretRef, e.timeoutMs});
            if (!auth.first.isEmpty() && !auth.second.isEmpty())
                req.setRawHeader(auth.first, auth.second);
            QNetworkReply *reply = m_nam->get(req);
            ++m_pendingTests;
            connect(reply, &QNetworkReply::finished, this, [this, reply, row]() {
                reply->deleteLater();
                if (row >= m_connections.size())
                    return;
                QVariantMap m = m_connections[row].toMap();
                const int status =
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (status > 0) {
                    const bool good = status < 400;
                    m.insert(QStringLiteral("state"), good ? QStringLiteral("ok")
                                                           : QStringLiteral("warning"));
                    m.insert(QStringLiteral("message"),
                             good ? tr("Reachable: HTTP %1").arg(status)
                                  : status == 401 || status == 403
                                        ? tr("Reachable, but HTTP %1: check the secret")
                                              .arg(status)
                                        : tr("Reachable: HTTP %1").arg(status));
                } else {
                    m.insert(QStringLiteral("state"), QStringLiteral("error"));
                    m.insert(QStringLiteral("message"),
                             reply->error() == QNetworkReply::OperationCanceledError
                                 ? tr("No answer within the timeout")
                                 : reply->errorString());
                }
                m_connections[row] = m;
                m_pendingTests = std::max(0, m_pendingTests - 1);
                emit connectionResultsChanged();
            });
        }
    }
    if (m_connections.isEmpty())
        m_connections.append(QVariantMap{{QStringLiteral("system"), QString()},
                                         {QStringLiteral("url"), QString()},
                                         {QStringLiteral("state"), QStringLiteral("error")},
                                         {QStringLiteral("message"),
                                          tr("No system has a live profile named \u201c%1\u201d")
                                              .arg(profileName)}});
    emit connectionResultsChanged();
}
