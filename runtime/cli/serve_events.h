#pragma once

#include <QNetworkAccessManager>
#include <QTimer>
#include <QUrl>

#include <nlohmann/json.hpp>

#include <functional>

class QNetworkReply;

namespace sb::cli {

// Follows the change events of a sandbox served over HTTP (GET /_sandbox/events?since=N), as
// the in-process sandbox's `changed` signal does, so `wait` steps resume and event workflows
// start. Asynchronous: one request in flight at most, the next ~200 ms after the answer; the
// event loop never blocks on it. A sandbox that is down is retried quietly (logged once).
//
// The cursor is deliberately not persisted: after a restart the poller reads the sandbox's
// retained history again, so an event that arrived while serve was down (or was read but
// not yet delivered at a crash) still resumes a wait that began before it. Re-delivery is
// harmless: events are queued with their CloudEvents `time` (Engine::queueReceivedEvent), a
// wait matches only events after it began, so history never resumes a later wait; and event
// workflows are de-duplicated by event id, which a restarted sandbox never repeats (its
// sequence is numbered on from the clock).
class EventPoller
{
public:
    using Deliver = std::function<void(const nlohmann::ordered_json &)>;
    EventPoller(const QString &sandboxUrl, Deliver deliver);
    ~EventPoller();
    void start() { m_timer.start(0); }
    void stop();
    qint64 cursor() const { return m_cursor; }

private:
    static constexpr int kIntervalMs = 200;
    static constexpr int kPage = 1000; // a long history is read in pages, back to back

    void poll();
    void finished();
    void deliverPage(const nlohmann::ordered_json &events);

    Deliver m_deliver;
    QNetworkAccessManager m_nam;
    QTimer m_timer;
    QUrl m_url;
    QNetworkReply *m_reply = nullptr;
    qint64 m_cursor = 0;
    bool m_down = false;
    bool m_stopped = false;
};

} // namespace sb::cli
