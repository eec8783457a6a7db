#pragma once

// Group commit for `serve`: the writes of many webhooks and of many instances' steps share
// one transaction and one fsync. A request that wrote is answered only once the batch that
// holds its writes is durable (its answer is deferred, never waited for on the stack); the
// batch is committed as soon as the requests already received have been handled, and at the
// latest `windowMs` after it opened, so steps never sit uncommitted for long.

#include <QTimer>

#include <functional>
#include <vector>

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
    // Calls `done` once every write made so far is durable: true, or false when its batch
    // failed (a storage fault: then nothing of it may be acknowledged). At once when no
    // batch is open; else after the commit, in the order the calls came.
    void whenDurable(std::function<void(bool durable)> done);
    // Commits the open batch now and settles the waiters it makes durable. False when the
    // commit failed.
    bool flush();

private:
    struct Waiter
    {
        quint64 batch;
        std::function<void(bool)> done;
    };
    void settle();

    runtime::Engine &m_engine;
    runtime::Store &m_store;
    int m_windowMs;
    QTimer m_timer;                      // the window: commits a batch that got old
    bool m_flushQueued = false;          // a commit is queued behind the pending requests
    std::vector<Waiter> m_waiters;       // answers waiting for their batch
};

} // namespace sb::cli
