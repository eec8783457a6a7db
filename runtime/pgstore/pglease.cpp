// Work sharing in a runner group: the runners' heartbeats and the instance leases. A runner
// claims unfinished instances that nobody holds (or whose lease ran out) with
// FOR UPDATE SKIP LOCKED, so two runners claiming at once never get the same instance.
#include "runtime/pgstore/pgstore_detail.h"

namespace sb::runtime {

using namespace pgdetail;

namespace {
constexpr qint64 kJoinLock = 0x5357424a4f494e; // "SWBJOIN": any constant will do
}

Result<void> PostgresStore::heartbeat(const QString &runnerId, const QString &address,
                                      qint64 nowMs)
{
    auto r = query("INSERT INTO runners (id, address, started, heartbeat) "
                   "VALUES ($1, $2, $3, $3) ON CONFLICT (id) DO UPDATE SET "
                   "address = EXCLUDED.address, heartbeat = EXCLUDED.heartbeat",
                   Params() << runnerId << address << nowMs);
    if (!r.ok())
        return r.error();
    return Ok{};
}

Result<QVector<RunnerInfo>> PostgresStore::runners() const
{
    auto r = query("SELECT r.id, r.address, r.started, r.heartbeat, "
                   "(SELECT COUNT(*) FROM instances i WHERE i.owner = r.id "
                   "AND i.status IN ('running', 'waiting')) FROM runners r ORDER BY r.id",
                   Params());
    if (!r.ok())
        return r.error();
    QVector<RunnerInfo> out;
    for (int i = 0; i < r.value().count(); ++i) {
        RunnerInfo info;
        info.id = r.value().text(i, 0);
        info.address = r.value().text(i, 1);
        info.started = fromMs(r.value().integer(i, 2));
        info.heartbeat = fromMs(r.value().integer(i, 3));
        info.leases = r.value().integer(i, 4);
        out.append(info);
    }
    return out;
}

Result<std::optional<RunnerInfo>> PostgresStore::joinAlone(const QString &runnerId,
                                                           const QString &address,
                                                           qint64 nowMs, qint64 staleMs)
{
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    std::optional<RunnerInfo> live;
    auto joined = transaction([&]() -> Result<void> {
        // Two runners starting at once: the second sees the first's heartbeat.
        auto locked = query("SELECT pg_advisory_xact_lock($1)", Params() << kJoinLock);
        if (!locked.ok())
            return locked.error();
        auto others = runners();
        if (!others.ok())
            return others.error();
        for (const RunnerInfo &r : others.value()) {
            if (r.id != runnerId && r.heartbeat.toMSecsSinceEpoch() > nowMs - staleMs) {
                live = r;
                return Ok{};
            }
        }
        return heartbeat(runnerId, address, nowMs);
    });
    if (!joined.ok())
        return joined.error();
    return live;
}

Result<QStringList> PostgresStore::claimInstances(const QString &runnerId, qint64 nowMs,
                                                  qint64 leaseMs, int limit)
{
    // Its own instances are renewed in the same statement; free or expired ones are taken.
    auto r = query("UPDATE instances SET owner = $1, lease_until = $2 WHERE id IN ("
                   "SELECT id FROM instances WHERE status IN ('running', 'waiting') "
                   "AND (owner = $1 OR owner = '' OR lease_until < $3) "
                   "ORDER BY created, id LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING id",
                   Params() << runnerId << nowMs + leaseMs << nowMs << limit);
    if (!r.ok())
        return r.error();
    QStringList ids;
    for (int i = 0; i < r.value().count(); ++i)
        ids << r.value().text(i, 0);
    ids.sort();
    return ids;
}

Result<qint64> PostgresStore::renewLeases(const QString &runnerId, qint64 nowMs,
                                          qint64 leaseMs)
{
    // Only leases still held: one that ran out may already be another runner's.
    auto r = query("UPDATE instances SET lease_until = $2 WHERE owner = $1 "
                   "AND lease_until >= $3 AND status IN ('running', 'waiting')",
                   Params() << runnerId << nowMs + leaseMs << nowMs);
    if (!r.ok())
        return r.error();
    return r.value().affected();
}

Result<void> PostgresStore::releaseLeases(const QString &runnerId)
{
    auto r = query("UPDATE instances SET owner = '', lease_until = 0 WHERE owner = $1",
                   Params() << runnerId);
    if (!r.ok())
        return r.error();
    auto gone = query("DELETE FROM runners WHERE id = $1", Params() << runnerId);
    if (!gone.ok())
        return gone.error();
    return Ok{};
}

} // namespace sb::runtime
