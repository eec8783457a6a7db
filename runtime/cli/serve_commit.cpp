#include "runtime/cli/serve_commit.h"

#include "runtime/engine/engine.h"
#include "runtime/store/store.h"

#include <QEventLoop>

#include <algorithm>

namespace sb::cli {

GroupCommitter::GroupCommitter(runtime::Engine &engine, runtime::Store &store, int windowMs)
    : m_engine(engine), m_store(store), m_windowMs(windowMs)
{
    QObject::connect(&m_timer, &QTimer::timeout, [this]() {
        if (m_store.batchAgeMs() >= m_windowMs)
            flush();
    });
}

void GroupCommitter::start()
{
    m_timer.start(std::max(1, m_windowMs / 2));
}

bool GroupCommitter::flush()
{
    const bool ok = m_engine.flushBatch();
    for (QEventLoop *loop : m_waiters)
        loop->quit(); // each checks whether its own batch is settled
    return ok;
}

bool GroupCommitter::waitDurable()
{
    const quint64 batch = m_store.openBatch();
    if (batch == 0) // nothing pending: every write so far was committed, or already failed
        return !m_engine.storageFault();
    if (!m_flushQueued) {
        // Behind the requests already received: they join this batch, then one commit.
        m_flushQueued = true;
        QTimer::singleShot(0, &m_timer, [this]() {
            m_flushQueued = false;
            flush();
        });
    }
    // Instances do not run on top of a waiting handler: its answer would wait for them.
    // Handlers wait nested, so the outermost one holds runs and releases them: one hold per
    // waiter would leave the count above zero after nested waits, and nothing would run again.
    if (m_waiters.empty())
        m_engine.holdRuns(true);
    QEventLoop loop;
    m_waiters.push_back(&loop);
    while (m_store.durableBatch() < batch && !m_store.batchFailed(batch))
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    m_waiters.erase(std::find(m_waiters.begin(), m_waiters.end(), &loop));
    if (m_waiters.empty()) {
        m_engine.holdRuns(false);
        runtime::Engine *engine = &m_engine;
        QTimer::singleShot(0, &m_timer, [engine]() { engine->runReady(); });
    }
    return !m_store.batchFailed(batch);
}

} // namespace sb::cli
