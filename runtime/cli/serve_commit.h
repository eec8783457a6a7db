#pragma once

// Group commit for `serve`: the writes of many webhooks and of many instances' steps share
// one transaction and one fsync. A request that wrote is answered only once the batch that
// holds its writes is durable (its handler waits in a nested event loop); the batch is
// committed as soon as the requests already received have been handled, and at the latest
// `windowMs` after it opened, so steps never sit uncommitted for long.

#include <QTimer>

#include <vector>

class QEventLoop;

namespace sb::runtime {
class Engine;
class Store;
} // namespace sb::runtime

namespace sb::cli {

class GroupCommitter
{
public:
    GroupCommitter(runtime::Engine &engine, runtime::Store &store, int windowMs);
    GroupCommitter(const GroupCommitter &) = delete;
    GroupCommitter &operator=(const GroupCommitter &) = delete;

    void start();
    void stop() { m_timer.stop(); }
    // Waits until every write made so far is durable. False when its batch failed (a
    // storage fault): then nothing of it may be acknowledged.
    bool waitDurable();
    // Commits the open batch now. False when the commit failed.
    bool flush();

private:
    runtime::Engine &m_engine;
    runtime::Store &m_store;
    int m_windowMs;
    QTimer m_timer;                      // the window: commits a batch that got old
    bool m_flushQueued = false;          // a commit is queued behind the pending requests
    std::vector<QEventLoop *> m_waiters; // nested loops of handlers waiting for a commit
};

} // namespace sb::cli
