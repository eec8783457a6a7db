#include "runtime/cli/serve_events.h"

#include "model/jsonlimits.h"

#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>
#include <cstdio>

namespace sb::cli {

using ojson = nlohmann::ordered_json;

EventPoller::EventPoller(const QString &sandboxUrl, Deliver deliver)
    : m_deliver(std::move(deliver))
{
    QString base = sandboxUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    m_url = QUrl(base + QStringLiteral("/_sandbox/events"));
    m_timer.setSingleShot(true);
    QObject::connect(&m_timer, &QTimer::timeout, [this]() { poll(); });
}

EventPoller::~EventPoller()
{
    if (m_reply) {
        m_reply->disconnect();
        m_reply->abort();
    }
}

void EventPoller::stop()
{
    m_stopped = true;
    m_timer.stop();
}

void EventPoller::poll()
{
    if (m_stopped || m_reply)
        return;
    QUrl url = m_url;
    url.setQuery(QStringLiteral("since=%1&limit=%2").arg(m_cursor).arg(kPage));
    QNetworkRequest req(url);
    req.setTransferTimeout(10000); // a hung sandbox must not stall the follower
    m_reply = m_nam.get(req);
    QObject::connect(m_reply, &QNetworkReply::finished, [this]() { finished(); });
}

void EventPoller::finished()
{
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    // Events feed the engine, which walks them recursively: too deep counts as unreadable.
    const bool deep = jsonNestingError(body.constData(), size_t(body.size())).has_value();
    const ojson j = deep ? ojson() : ojson::parse(body.constData(),
                                                  body.constData() + body.size(), nullptr,
                                                  false);
    const bool page = j.is_object() && j.contains("events") && j["events"].is_array();
    if (status != 200 || !page) {
        if (!m_down) {
            std::fprintf(stderr, "switchboard-run serve: cannot read sandbox events at %s "
                                 "(%s); retrying quietly\n",
                         qPrintable(m_url.toString()),
                         status ? qPrintable(QStringLiteral("HTTP %1").arg(status))
                                : qPrintable(reply->errorString()));
            m_down = true;
        }
    } else {
        if (m_down) {
            std::fputs("switchboard-run serve: sandbox events readable again\n", stderr);
            m_down = false;
        }
        const qint64 last = j.value("last", qint64(0));
        if (last < m_cursor) {
            // The sandbox restarted and numbers its events from 1 again.
            std::fprintf(stderr, "switchboard-run serve: sandbox event sequence went back "
                                 "from %lld to %lld; reading from the start\n",
                         static_cast<long long>(m_cursor), static_cast<long long>(last));
            m_cursor = 0;
        } else {
            deliverPage(j["events"]);
        }
    }
    const bool fullPage = page && int(j["events"].size()) >= kPage;
    if (!m_stopped)
        m_timer.start(fullPage ? 0 : kIntervalMs);
}

void EventPoller::deliverPage(const ojson &events)
{
    for (const ojson &e : events) {
        qint64 seq = 0;
        if (e.is_object() && e.contains("sequence")) {
            const ojson &v = e["sequence"];
            seq = v.is_string() ? QByteArray::fromStdString(v.get<std::string>()).toLongLong()
                                : (v.is_number_integer() ? v.get<qint64>() : 0);
        }
        if (seq > 0 && seq <= m_cursor)
            continue; // already delivered (an overlapping answer)
        m_deliver(e);
        m_cursor = std::max(m_cursor, seq);
    }
}

} // namespace sb::cli
