#include "runtime/cli/serve_commit.h"

#include "runtime/engine/engine.h"
#include "runtime/store/store.h"

#include <algorithm>

namespace sb::cli {

GroupCommitter::GroupCommitter(runtime::Engine &engine, runtime::Store &store, int windowMs)
    : m_engine(engine), m_store(store), m_windowMs(windowMs)
{
    QObject::connect(&m_timer, &QTimer::timeout, [this]() {
        if (m_store.batchAgeMs() >= m_windowMs)
            flush();
        else
            settle(); // a batch committed by someone else (a probe, a recovery)
    });
}

void GroupCommitter::start()
{
    m_timer.start(std::max(1, m_windowMs / 2));
}

bool GroupCommitter::flush()
{
    const bool ok = m_engine.flushBatch();
    settle();
    return ok;
}

void GroupCommitter::settle()
{
    if (m_waiters.empty())
        return;
    // Answers go out in the order they were asked for; a callback may add waiters.
    std::vector<Waiter> ready;
    auto it = m_waiters.begin();
    while (it != m_waiters.end()
           && (m_store.durableBatch() >= it->batch || m_store.batchFailed(it->batch)))
        ++it;
    ready.assign(std::make_move_iterator(m_waiters.begin()), std::make_move_iterator(it));
    m_waiters.erase(m_waiters.begin(), it);
    for (Waiter &w : ready)
        w.done(!m_store.batchFailed(w.batch));
}

void GroupCommitter::whenDurable(std::function<void(bool durable)> done)
{
    const quint64 batch = m_store.openBatch();
    if (batch == 0 && (m_waiters.empty() || m_engine.storageFault())) {
        // Nothing pending: every write so far was committed, or already failed.
        done(!m_engine.storageFault());
        return;
    }
    // Batches are numbered in order, so waiters stay sorted by batch.
    m_waiters.push_back({batch == 0 ? m_store.durableBatch() : batch, std::move(done)});
    if (!m_flushQueued) {
        // Behind the requests already received: they join this batch, then one commit.
        m_flushQueued = true;
        QTimer::singleShot(0, &m_timer, [this]() {
            m_flushQueued = false;
            flush();
        });
    }
}

} // namespace sb::cli
