// The durable store on real files: every table, reopen, and SIGKILL mid-append.
// Built twice: tst_store runs the cases on SQLite files, tst_pgstore (SB_STORE_POSTGRES)
// runs the same cases on a PostgreSQL server the test starts, one database per file name.
#include "runtime/store/store.h"

#ifdef SB_STORE_POSTGRES
#include "runtime/pgstore/openstore.h"
#include "runtime/pgstore/pgstore.h"
#include "tests/support/pgserver.h"
#include "tests/support/ports.h"

#include <QCryptographicHash>
#endif

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <csignal>
#include <sys/types.h>

using namespace sb::runtime;

namespace {

sb::Error failure(const QString &message)
{
    sb::Error e;
    e.message = message;
    return e;
}

#ifdef SB_STORE_POSTGRES
constexpr bool kPostgres = true;
// The server of this test, or (in a child process) the one whose address it inherited.
sb::testsupport::PgServer *g_server = nullptr;
const char *const kBaseEnv = "SB_TEST_PG_BASE";

// A file name stands for a database of its own on the test's server.
QString databaseFor(const QString &path)
{
    return QStringLiteral("t_")
           + QString::fromLatin1(
               QCryptographicHash::hash(path.toUtf8(), QCryptographicHash::Md5).toHex().left(20));
}

sb::Result<std::unique_ptr<Store>> openPath(const QString &path,
                                        const StoreOptions &options = {})
{
    const QString db = databaseFor(path);
    if (g_server) {
        const QString created = g_server->createDatabase(db);
        if (!created.isEmpty())
            return sb::Error{created};
    }
    return sb::runtime::openStore(qEnvironmentVariable(kBaseEnv) + db, options);
}

// What a child process needs before it opens `path`: its database (a child cannot
// create one, it has no server object).
QString prepare(const QString &path)
{
    return g_server ? g_server->createDatabase(databaseFor(path)) : QString();
}
#else
constexpr bool kPostgres = false;
QString prepare(const QString &) { return QString(); }
sb::Result<std::unique_ptr<Store>> openPath(const QString &path,
                                        const StoreOptions &options = {})
{
    return Store::open(path, options);
}
#endif

std::unique_ptr<Store> openAt(const QString &path)
{
    auto r = openPath(path);
    if (!r.ok())
        qWarning("%s", qPrintable(r.error().toString()));
    return r.ok() ? r.takeValue() : nullptr;
}

// Child of crashDuringAppendsKeepsIntegrity: creates instances and appends to their
// journals (some inside multi-write transactions) until it is killed.
int appendLoop(const QString &path)
{
    auto store = openAt(path);
    if (!store)
        return 3;
    for (int n = 0;; ++n) {
        const QString id = QStringLiteral("i%1-%2").arg(QCoreApplication::applicationPid()).arg(n);
        auto r = store->transaction([&]() -> sb::Status {
            InstanceRecord in;
            in.id = id;
            in.workflowId = QStringLiteral("wf");
            auto c = store->createInstance(in);
            if (!c.ok())
                return c;
            auto j = store->appendJournal(id, QStringLiteral("trigger"), JournalKind::Start);
            if (!j.ok())
                return j.error();
            return sb::Ok{};
        });
        if (!r.ok())
            return 4;
        for (int k = 0; k < 20; ++k) {
            const QByteArray payload = "{\"k\":" + QByteArray::number(k) + "}";
            if (!store->appendJournal(id, QStringLiteral("s%1").arg(k), JournalKind::Result,
                                      payload).ok())
                return 5;
        }
        if (!store->updateInstance(id, InstanceStatus::Completed, "{\"done\":true}",
                                   QStringLiteral("s19")).ok())
            return 6;
    }
}

} // namespace

class TestStore : public QObject
{
    Q_OBJECT
private slots:
#ifdef SB_STORE_POSTGRES
    void initTestCase()
    {
        if (sb::testsupport::PgServer::binDir().isEmpty())
            QSKIP("PostgreSQL is not installed (initdb, pg_ctl): the PostgreSQL store "
                  "cases are not run");
        m_server = std::make_unique<sb::testsupport::PgServer>();
        const QString failed = m_server->start();
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        g_server = m_server.get();
        qputenv(kBaseEnv, m_server->uri(QString()).toUtf8());
    }
    void cleanupTestCase()
    {
        g_server = nullptr;
        m_server.reset();
    }

    // Without `create`, a database with no schema (or an older one) is refused, not
    // silently filled; with it the schema is created once and versioned.
    void pgSchemaIsCreatedOnlyWhenAsked()
    {
        const QString db = QStringLiteral("schema_check");
        QCOMPARE(m_server->createDatabase(db), QString());
        StoreOptions existing;
        existing.create = false;
        auto refused = sb::runtime::openStore(m_server->uri(db), existing);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QLatin1String("no Switchboard schema")),
                 qPrintable(refused.error().toString()));
        QString error;
        QCOMPARE(m_server->psql(db, QStringLiteral("SELECT count(*) FROM pg_tables WHERE "
                                                   "schemaname = 'public'"), &error),
                 QStringLiteral("0"));
        QVERIFY(sb::runtime::openStore(m_server->uri(db)).ok());
        QVERIFY(sb::runtime::openStore(m_server->uri(db)).ok()); // migrating twice is a no-op
        QCOMPARE(m_server->psql(db, QStringLiteral("SELECT string_agg(version::text, ',' "
                                                   "ORDER BY version) FROM schema_version"),
                                 &error),
                 QStringLiteral("1,2"));
        QVERIFY(sb::runtime::openStore(m_server->uri(db), existing).ok());
        // A newer schema than this runtime knows is refused.
        m_server->psql(db, QStringLiteral("INSERT INTO schema_version VALUES (99, 0)"), &error);
        QCOMPARE(error, QString());
        auto newer = sb::runtime::openStore(m_server->uri(db));
        QVERIFY(!newer.ok());
        QVERIFY2(newer.error().message.contains(QLatin1String("schema version 99")),
                 qPrintable(newer.error().toString()));
    }

    void pgUnreachableServerIsAnError()
    {
        const quint16 port = sb::testsupport::freePort();
        const QString uri =
            QStringLiteral("postgresql://someone:secret@127.0.0.1:%1/x").arg(port);
        auto r = sb::runtime::openStore(uri);
        QVERIFY(!r.ok());
        QVERIFY(r.error().storage);
        QVERIFY2(!r.error().toString().contains(QLatin1String("secret")),
                 qPrintable(r.error().toString()));
        QVERIFY2(r.error().toString().contains(QStringLiteral("127.0.0.1:%1").arg(port)),
                 qPrintable(r.error().toString()));
        QVERIFY(sb::runtime::uriHasPassword(uri));
        QVERIFY(!sb::runtime::uriHasPassword(m_server->uri(QStringLiteral("x"))));
    }

    // Two runners claiming at once never share an instance: rows one is claiming are
    // skipped by the other; a lease that ran out is taken over; a clean stop gives back.
    void pgLeasesShareWorkWithoutOverlap()
    {
        const QString db = QStringLiteral("leases");
        QCOMPARE(m_server->createDatabase(db), QString());
        auto opened = sb::runtime::PostgresStore::connect(m_server->uri(db));
        auto openedB = sb::runtime::PostgresStore::connect(m_server->uri(db));
        QVERIFY(opened.ok() && openedB.ok());
        auto a = opened.takeValue();
        auto b = openedB.takeValue();
        for (int i = 0; i < 10; ++i) {
            InstanceRecord in;
            in.id = QStringLiteral("i%1").arg(i);
            in.workflowId = QStringLiteral("wf");
            QVERIFY(a->createInstance(in).ok());
        }
        InstanceRecord done;
        done.id = QStringLiteral("done");
        done.workflowId = QStringLiteral("wf");
        done.status = InstanceStatus::Completed;
        QVERIFY(a->createInstance(done).ok());
        const qint64 t0 = 1'000'000;
        const qint64 lease = 30'000;
        QVERIFY(a->heartbeat(QStringLiteral("A"), QStringLiteral("http://a"), t0).ok());
        QVERIFY(b->heartbeat(QStringLiteral("B"), QStringLiteral("http://b"), t0).ok());
        // A's claim is still uncommitted while B claims: B skips A's rows, never waits.
        QStringList mine, theirs;
        auto tx = a->transaction([&]() -> sb::Status {
            auto claimed = a->claimInstances(QStringLiteral("A"), t0, lease, 6);
            if (!claimed.ok())
                return claimed.error();
            mine = claimed.value();
            auto other = b->claimInstances(QStringLiteral("B"), t0, lease, 100);
            if (!other.ok())
                return other.error();
            theirs = other.value();
            return sb::Ok{};
        });
        QVERIFY2(tx.ok(), qPrintable(tx.ok() ? QString() : tx.error().toString()));
        QCOMPARE(mine.size(), 6);
        QCOMPARE(theirs.size(), 4);
        for (const QString &id : theirs)
            QVERIFY2(!mine.contains(id), qPrintable(id));
        QVERIFY(!mine.contains(QStringLiteral("done")));
        QVERIFY(!theirs.contains(QStringLiteral("done")));
        // Held leases are not taken; A renews its own.
        QVERIFY(b->claimInstances(QStringLiteral("B"), t0 + 1000, lease, 100).value().size()
                == 4);
        QCOMPARE(a->renewLeases(QStringLiteral("A"), t0 + 1000, lease).value(), qint64(6));
        const auto group = b->runners().value();
        QCOMPARE(group.size(), 2);
        QCOMPARE(group[0].id, QStringLiteral("A"));
        QCOMPARE(group[0].leases, qint64(6));
        QCOMPARE(group[1].leases, qint64(4));
        // A stops renewing (dies): once its lease ran out, B takes its instances over and
        // A cannot renew what it lost.
        const qint64 later = t0 + 1000 + lease + 1;
        const QStringList all = b->claimInstances(QStringLiteral("B"), later, lease, 100).value();
        QCOMPARE(all.size(), 10);
        QCOMPARE(a->renewLeases(QStringLiteral("A"), later, lease).value(), qint64(0));
        // B stops cleanly: its instances are free at once for A.
        QVERIFY(b->releaseLeases(QStringLiteral("B")).ok());
        QCOMPARE(a->runners().value().size(), 1);
        QCOMPARE(a->claimInstances(QStringLiteral("A"), later, lease, 100).value().size(), 10);
    }

    // The database server going away is a storage error, not a hang nor a crash; once it
    // is back, the store reconnects by itself and nothing committed is lost.
    void pgServerLossIsAStorageErrorThenReconnects()
    {
        auto store = openAt(QStringLiteral("reconnect"));
        QVERIFY(store);
        InstanceRecord in;
        in.id = QStringLiteral("before");
        in.workflowId = QStringLiteral("wf");
        QVERIFY(store->createInstance(in).ok());
        m_server->stop();
        in.id = QStringLiteral("during");
        auto lost = store->createInstance(in);
        QVERIFY(!lost.ok());
        QVERIFY(lost.error().storage);
        QVERIFY(!store->probeWrite().ok());
        QVERIFY(!store->instance(QStringLiteral("before")).ok());
        const QString restarted = m_server->restart();
        QVERIFY2(restarted.isEmpty(), qPrintable(restarted));
        QVERIFY(store->probeWrite().ok());
        QVERIFY(store->instance(QStringLiteral("before")).ok());
        QVERIFY(!store->instance(QStringLiteral("during")).ok());
        QVERIFY(store->createInstance(in).ok());
        QCOMPARE(store->countInstances().value(), qint64(2));
    }

    // Hostile text: a NUL byte cannot be stored, and says so instead of being cut off.
    void pgNulInTextIsAnError()
    {
        auto store = openAt(QStringLiteral("nul"));
        QVERIFY(store);
        InstanceRecord in;
        in.id = QStringLiteral("a");
        in.workflowId = QStringLiteral("w");
        in.variables = QByteArray("{\"x\":\"a\0b\"}", 11); // the NUL inside, not the end
        auto r = store->createInstance(in);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QLatin1String("NUL")),
                 qPrintable(r.error().toString()));
        QVERIFY(!store->instance(QStringLiteral("a")).ok());
    }
#endif

    void instancesAndJournalSurviveReopen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("state.db"));
        {
            auto store = openAt(path);
            QVERIFY(store);
            InstanceRecord in;
            in.id = QStringLiteral("a");
            in.workflowId = QStringLiteral("closed-won");
            in.correlationId = QStringLiteral("opp-1");
            in.traceparent =
                QStringLiteral("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            in.variables = "{\"x\":1}";
            QVERIFY(store->createInstance(in).ok());
            QVERIFY(!store->createInstance(in).ok()); // duplicate id
            in.id = QStringLiteral("b");
            QVERIFY(store->createInstance(in).ok());
            QCOMPARE(store->appendJournal("a", "trigger", JournalKind::Start).value(), 1);
            QCOMPARE(store->appendJournal("a", "s1", JournalKind::Result, "{\"ok\":1}").value(),
                     2);
            QCOMPARE(store->appendJournal("b", "s1", JournalKind::Error, "\"boom\"").value(), 1);
            QVERIFY(store->updateInstance("a", InstanceStatus::Completed, "{\"x\":2}", "s1").ok());
            QVERIFY(store->setInstanceStatus("b", InstanceStatus::Waiting).ok());
            QVERIFY(!store->setInstanceStatus("nope", InstanceStatus::Failed).ok());
        }
        auto store = openAt(path);
        QVERIFY(store);
        auto a = store->instance("a");
        QVERIFY(a.ok());
        QVERIFY(a.value().status == InstanceStatus::Completed);
        QCOMPARE(a.value().variables, QByteArray("{\"x\":2}"));
        QCOMPARE(a.value().currentStep, QStringLiteral("s1"));
        QCOMPARE(a.value().correlationId, QStringLiteral("opp-1"));
        QVERIFY(a.value().traceparent.startsWith(QLatin1String("00-0af7")));
        QVERIFY(a.value().created.isValid());
        QVERIFY(!store->instance("zzz").ok());
        auto journal = store->journal("a").value();
        QCOMPARE(journal.size(), 2);
        QVERIFY(journal[1].kind == JournalKind::Result);
        QCOMPARE(journal[1].payload, QByteArray("{\"ok\":1}"));
        QVERIFY(store->lastJournalEntry("b").value().kind == JournalKind::Error);
        auto unfinished = store->unfinishedInstances().value();
        QCOMPARE(unfinished.size(), 1);
        QCOMPARE(unfinished[0].id, QStringLiteral("b"));
        QCOMPARE(store->instancesByCorrelation("opp-1").value().size(), 2);
        QCOMPARE(store->countInstances(InstanceStatus::Completed).value(), 1);
        QCOMPARE(store->instances().value().size(), 2);
    }

    void ledgerDedupDeadLettersTasksTimers()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("state.db"));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        {
            auto store = openAt(path);
            QVERIFY(store);
            QVERIFY(!store->outbound("k1").value().has_value());
            QVERIFY(store->recordOutbound({"k1", "a", "create", 201, "{\"id\":\"c1\"}", {}}).ok());
            QVERIFY(store->markEventSeen("evt-1", "crm").value());
            QVERIFY(!store->markEventSeen("evt-1", "crm").value());

            DeadLetter d;
            d.instanceId = "a";
            d.stepId = "create";
            d.error = "422 taxId invalid";
            d.context = "{\"payload\":{\"taxId\":\"x\"}}";
            const qint64 dl = store->addDeadLetter(d).value();
            QVERIFY(dl > 0);
            QVERIFY(store->markDeadLetterReplayed(dl).ok());
            QVERIFY(!store->markDeadLetterReplayed(999).ok());
            d.error = "second";
            QVERIFY(store->addDeadLetter(d).ok());

            ApprovalTask t;
            t.instanceId = "a";
            t.stepId = "approve";
            t.role = "finance";
            t.escalateAt = now.addSecs(-1);
            const qint64 tid = store->addTask(t).value();
            t.escalateAt = QDateTime();
            const qint64 tid2 = store->addTask(t).value();
            QVERIFY(store->decideTask(tid2, TaskStatus::Approved, "ann", "ok",
                                      QByteArray("{\"edited\":true}")).ok());
            QVERIFY(!store->decideTask(tid2, TaskStatus::Rejected).ok()); // already decided
            QVERIFY(!store->decideTask(tid, TaskStatus::Open).ok());

            Timer tm;
            tm.instanceId = "a";
            tm.stepId = "wait";
            tm.kind = "wait-timeout";
            tm.due = now.addSecs(-5);
            QVERIFY(store->addTimer(tm).ok());
            tm.due = now.addSecs(3600);
            tm.stepId = "later";
            QVERIFY(store->addTimer(tm).ok());
            QVERIFY(!store->addTimer(Timer{}).ok());
        }
        auto store = openAt(path);
        QVERIFY(store);
        auto rec = store->outbound("k1").value();
        QVERIFY(rec.has_value());
        QCOMPARE(rec->status, 201);
        QCOMPARE(rec->response, QByteArray("{\"id\":\"c1\"}"));
        QVERIFY(store->eventSeen("evt-1").value());
        QVERIFY(!store->eventSeen("evt-2").value());
        QCOMPARE(store->deadLetters().value().size(), 1);
        QCOMPARE(store->deadLetters(true).value().size(), 2);
        QCOMPARE(store->deadLetters().value()[0].error, QStringLiteral("second"));
        QCOMPARE(store->tasks(TaskStatus::Open).value().size(), 1);
        const auto decided = store->tasks(TaskStatus::Approved).value();
        QCOMPARE(decided.size(), 1);
        QCOMPARE(decided[0].decidedBy, QStringLiteral("ann"));
        QCOMPARE(decided[0].payload, QByteArray("{\"edited\":true}"));
        QCOMPARE(store->tasksToEscalate(now).value().size(), 1);
        const auto due = store->dueTimers(now).value();
        QCOMPARE(due.size(), 1);
        QCOMPARE(due[0].stepId, QStringLiteral("wait"));
        QVERIFY(store->nextTimerDue().value().has_value());
        QVERIFY(store->removeTimer(due[0].id).value());
        QCOMPARE(store->timers("a").value().size(), 1);
        QVERIFY(store->removeTimers("a").value());
        QVERIFY(!store->nextTimerDue().value().has_value());
    }

    void transactionRollsBackEverything()
    {
        QTemporaryDir dir;
        auto store = openAt(dir.filePath(QStringLiteral("t.db")));
        QVERIFY(store);
        bool wrote = false;
        auto r = store->transaction([&]() -> sb::Status {
            InstanceRecord in;
            in.id = "x";
            in.workflowId = "wf";
            wrote = store->createInstance(in).ok()
                    && store->appendJournal("x", "s", JournalKind::Start).ok();
            return failure(QStringLiteral("step failed"));
        });
        QVERIFY(wrote);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, QStringLiteral("step failed"));
        QVERIFY(!store->instance("x").ok());
        QVERIFY(store->journal("x").value().isEmpty());
        // A failing inner transaction only undoes its own writes.
        auto outer = store->transaction([&]() -> sb::Status {
            InstanceRecord in;
            in.id = "y";
            in.workflowId = "wf";
            auto c = store->createInstance(in);
            if (!c.ok())
                return c;
            auto inner = store->transaction([&]() -> sb::Status {
                auto j = store->appendJournal("y", "s", JournalKind::Start);
                if (!j.ok())
                    return j.error();
                return failure(QStringLiteral("inner"));
            });
            if (inner.ok() || inner.error().message != QLatin1String("inner"))
                return failure(QStringLiteral("the inner transaction did not fail"));
            return sb::Ok{};
        });
        QVERIFY(outer.ok());
        QVERIFY(store->instance("y").ok());
        QVERIFY(store->journal("y").value().isEmpty());
    }

    void groupCommitIsDurableOnlyWhenCommitted()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("g.db"));
        auto store = openAt(path);
        auto other = openAt(path); // another connection: sees only committed data
        QVERIFY(store && other);
        store->setGroupCommit(true);
        auto create = [&](const QString &id) {
            return store->transaction([&]() -> sb::Status {
                InstanceRecord in;
                in.id = id;
                in.workflowId = QStringLiteral("wf");
                return store->createInstance(in);
            });
        };
        QVERIFY(create(QStringLiteral("a")).ok());
        QVERIFY(create(QStringLiteral("b")).ok());
        const quint64 batch = store->openBatch();
        QVERIFY(batch > 0);
        QVERIFY(store->durableBatch() < batch);
        QVERIFY(store->instance("a").ok()); // its own connection sees the batch
        // PostgreSQL commits each transaction itself: the batch only numbers them.
        if (!kPostgres)
            QVERIFY(!other->instance("a").ok());
        // A failing body inside the batch undoes only its own writes.
        auto failed = store->transaction([&]() -> sb::Status {
            InstanceRecord in;
            in.id = QStringLiteral("c");
            in.workflowId = QStringLiteral("wf");
            if (!store->createInstance(in).ok())
                return failure(QStringLiteral("create"));
            return failure(QStringLiteral("step failed"));
        });
        QVERIFY(!failed.ok());
        QCOMPARE(store->openBatch(), batch);
        QVERIFY(store->commitBatch().ok());
        QCOMPARE(store->durableBatch(), batch);
        QCOMPARE(store->openBatch(), quint64(0));
        QVERIFY(!store->batchFailed(batch));
        QVERIFY(other->instance("a").ok() && other->instance("b").ok());
        QVERIFY(!other->instance("c").ok());
        // The next write opens the next batch.
        QVERIFY(create(QStringLiteral("d")).ok());
        QCOMPARE(store->openBatch(), batch + 1);
        QVERIFY(store->probeWrite().ok()); // commits: a probe must be durable
        QCOMPARE(store->durableBatch(), batch + 1);
        QVERIFY(other->instance("d").ok());
    }

    void unreadableFileIsAnError()
    {
        if (kPostgres)
            QSKIP("a case about SQLite files (PostgreSQL: see the pg* cases)");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("junk.db"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        auto r = Store::open(path);
        QVERIFY(!r.ok());
        QVERIFY(r.error().toString().startsWith(path));
        QVERIFY(!Store::open(QStringLiteral("/nonexistent/dir/x.db")).ok());
    }

    void existingJournalIsNeverReplaced()
    {
        if (kPostgres)
            QSKIP("a case about SQLite files (PostgreSQL: see the pg* cases)");
        QTemporaryDir dir;
        StoreOptions existing;
        existing.create = false;
        existing.verify = true;
        auto refused = [&](const QString &path, const char *why) {
            auto r = Store::open(path, existing);
            if (r.ok())
                return QStringLiteral("opened");
            const QString text = r.error().toString();
            return text.startsWith(path) && text.contains(QLatin1String(why))
                       ? QString()
                       : text;
        };
        // Missing: refused, and not created.
        const QString missing = dir.filePath(QStringLiteral("missing.db"));
        QCOMPARE(refused(missing, "no journal"), QString());
        QVERIFY(!QFile::exists(missing));
        // Truncated to 0 bytes: refused, not a new empty journal.
        const QString empty = dir.filePath(QStringLiteral("empty.db"));
        QFile e(empty);
        QVERIFY(e.open(QIODevice::WriteOnly));
        e.close();
        QCOMPARE(refused(empty, "empty (0 bytes)"), QString());
        QCOMPARE(QFileInfo(empty).size(), 0);
        // Not SQLite at all, and SQLite without the journal's schema.
        const QString junk = dir.filePath(QStringLiteral("junk.db"));
        QFile j(junk);
        QVERIFY(j.open(QIODevice::WriteOnly));
        j.write(QByteArray(8192, 'x'));
        j.close();
        QCOMPARE(refused(junk, "not a Switchboard journal"), QString());
        const QString foreign = dir.filePath(QStringLiteral("foreign.db"));
        {
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open(QFile::encodeName(foreign).constData(), &db), SQLITE_OK);
            QCOMPARE(sqlite3_exec(db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);", nullptr,
                                  nullptr, nullptr), SQLITE_OK);
            sqlite3_close(db);
        }
        QCOMPARE(refused(foreign, "not a Switchboard journal"), QString());
        // A real journal opens; the default options still create a new one.
        const QString real = dir.filePath(QStringLiteral("real.db"));
        QVERIFY(openAt(real));
        QVERIFY(Store::open(real, existing).ok());
    }

    void corruptPagesAreRefusedAtOpen()
    {
        if (kPostgres)
            QSKIP("a case about SQLite files (PostgreSQL: see the pg* cases)");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("state.db"));
        {
            auto store = openAt(path);
            QVERIFY(store);
            for (int i = 0; i < 300; ++i) {
                InstanceRecord in;
                in.id = QStringLiteral("i%1").arg(i);
                in.workflowId = QStringLiteral("wf");
                in.variables = "{\"pad\":\"" + QByteArray(200, 'p') + "\"}";
                QVERIFY(store->createInstance(in).ok());
                QVERIFY(store->appendJournal(in.id, "s", JournalKind::Start).ok());
            }
        } // the last connection checkpoints the WAL into the file
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 pages = f.size() / 4096;
        QVERIFY2(pages > 20, qPrintable(QString::number(pages)));
        f.seek(pages / 2 * 4096);
        f.write(QByteArray(4096 * 4, char(0xA5)));
        f.close();
        StoreOptions existing;
        existing.create = false;
        existing.verify = true;
        auto r = Store::open(path, existing);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().toString().startsWith(path), qPrintable(r.error().toString()));
        QVERIFY2(r.error().message.contains(QLatin1String("corrupt")),
                 qPrintable(r.error().toString()));
    }

    // Another connection holding the write lock makes every write fail for real.
    void failingWriteIsAnError()
    {
        if (kPostgres)
            QSKIP("a case about SQLite files (PostgreSQL: see the pg* cases)");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("locked.db"));
        StoreOptions quick;
        quick.busyTimeoutMs = 50;
        auto opened = Store::open(path, quick);
        QVERIFY(opened.ok());
        auto store = opened.takeValue();
        InstanceRecord in;
        in.id = QStringLiteral("a");
        in.workflowId = QStringLiteral("wf");
        QVERIFY(store->createInstance(in).ok());
        auto dup = store->createInstance(in);
        QVERIFY(!dup.ok());
        QVERIFY(!dup.error().storage); // a refusal about the data, not a failing database

        sqlite3 *other = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &other), SQLITE_OK);
        QCOMPARE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
        in.id = QStringLiteral("b");
        auto c = store->createInstance(in);
        QVERIFY(!c.ok());
        QVERIFY(c.error().storage);
        QVERIFY2(c.error().toString().startsWith(path), qPrintable(c.error().toString()));
        QVERIFY(!store->updateInstance("a", InstanceStatus::Completed, "{}", "").ok());
        QVERIFY(!store->appendJournal("a", "s", JournalKind::Start).ok());
        QVERIFY(!store->probeWrite().ok());
        auto tx = store->transaction([&]() -> sb::Status { return sb::Ok{}; });
        QVERIFY(!tx.ok());
        QVERIFY(tx.error().storage);
        QCOMPARE(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(other);

        QVERIFY(store->probeWrite().ok());
        QVERIFY(store->createInstance(in).ok());
        QCOMPARE(store->countInstances().value(), qint64(2));
    }

    // A full file system (a small tmpfs): the write fails with an error, nothing is half
    // written, and writes work again once there is space.
    void fullDiskWriteIsAnError()
    {
        if (kPostgres)
            QSKIP("a case about SQLite files (PostgreSQL: see the pg* cases)");
        QTemporaryDir dir;
        const QString mnt = dir.filePath(QStringLiteral("mnt"));
        QVERIFY(QDir().mkpath(mnt));
        if (QProcess::execute(QStringLiteral("mount"),
                              {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                               QStringLiteral("size=512k"), QStringLiteral("tmpfs"), mnt}) != 0)
            QSKIP("cannot mount a tmpfs here (needs root): the full-disk case is not run");
        struct Unmount
        {
            QString path;
            ~Unmount() { QProcess::execute(QStringLiteral("umount"), {path}); }
        } unmount{mnt};
        const QString path = mnt + QStringLiteral("/state.db");
        {
            auto store = openAt(path);
            QVERIFY(store);
            // Fill what is left of the file system.
            QFile filler(mnt + QStringLiteral("/filler"));
            QVERIFY(filler.open(QIODevice::WriteOnly));
            const QByteArray block(4096, 'f');
            while (filler.write(block) == block.size() && filler.flush()) {
            }
            filler.close();
            int written = 0;
            sb::Error error;
            for (int i = 0; i < 2000; ++i) {
                auto r = store->transaction([&]() -> sb::Status {
                    InstanceRecord in;
                    in.id = QStringLiteral("i%1").arg(i);
                    in.workflowId = QStringLiteral("wf");
                    in.variables = "{\"pad\":\"" + QByteArray(3000, 'p') + "\"}";
                    auto c = store->createInstance(in);
                    if (!c.ok())
                        return c;
                    auto j = store->appendJournal(in.id, "s", JournalKind::Start);
                    if (!j.ok())
                        return j.error();
                    return sb::Ok{};
                });
                if (!r.ok()) {
                    error = r.error();
                    break;
                }
                ++written;
            }
            QVERIFY2(!error.message.isEmpty(), "every write succeeded on a full disk");
            QVERIFY(error.storage);
            QVERIFY2(error.message.contains(QLatin1String("full"), Qt::CaseInsensitive),
                     qPrintable(error.toString()));
            QVERIFY(!store->probeWrite().ok());
            // What failed left nothing behind; what committed is all there.
            QCOMPARE(store->countInstances().value(), qint64(written));
            QVERIFY(QFile::remove(mnt + QStringLiteral("/filler")));
            QVERIFY(store->probeWrite().ok());
            InstanceRecord in;
            in.id = QStringLiteral("after");
            in.workflowId = QStringLiteral("wf");
            QVERIFY(store->createInstance(in).ok());
            QCOMPARE(store->countInstances().value(), qint64(written + 1));
        }
    }

    // Reading the value of a failed query stops the process naming the error (no UB).
    void valueOfAnErrorStopsWithItsMessage()
    {
        QCOMPARE(prepare(QStringLiteral("value-of-error")), QString());
        QProcess child;
        child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--value-of-error")});
        QVERIFY(child.waitForFinished(10000));
        QVERIFY(child.exitStatus() == QProcess::CrashExit || child.exitCode() != 0);
        const QByteArray err = child.readAllStandardError();
        QVERIFY2(err.contains("sb::Result::value() read on an error")
                     && err.contains("no instance nope"),
                 err.constData());
    }

    void crashDuringAppendsKeepsIntegrity()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("crash.db"));
        QCOMPARE(prepare(path), QString());
        auto *rng = QRandomGenerator::global();
        for (int round = 0; round < 6; ++round) {
            QProcess child;
            child.start(QCoreApplication::applicationFilePath(),
                        {QStringLiteral("--append-loop"), path});
            QVERIFY(child.waitForStarted());
            QTest::qWait(150 + int(rng->bounded(300)));
            QVERIFY2(child.state() == QProcess::Running, "the writer stopped by itself");
            ::kill(pid_t(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished());
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);

            auto store = openAt(path);
            QVERIFY(store);
            const auto all = store->instances().value();
            QVERIFY(!all.isEmpty());
            int completed = 0;
            for (const InstanceRecord &in : all) {
                const auto journal = store->journal(in.id);
                QVERIFY(journal.ok());
                // Instance and first entry commit together: never one without the other.
                QVERIFY2(!journal.value().isEmpty(), qPrintable(in.id));
                for (int i = 0; i < journal.value().size(); ++i)
                    QCOMPARE(journal.value()[i].seq, qint64(i + 1));
                if (in.status == InstanceStatus::Completed) {
                    ++completed;
                    QCOMPARE(journal.value().size(), 21);
                }
            }
            QVERIFY(completed >= 0);
        }
    }

private:
#ifdef SB_STORE_POSTGRES
    std::unique_ptr<sb::testsupport::PgServer> m_server;
#endif
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc == 3 && qstrcmp(argv[1], "--append-loop") == 0)
        return appendLoop(QString::fromLocal8Bit(argv[2]));
    if (argc == 2 && qstrcmp(argv[1], "--value-of-error") == 0) {
        QTemporaryDir dir;
        auto store = openAt(kPostgres ? QStringLiteral("value-of-error")
                                         : dir.filePath(QStringLiteral("v.db")));
        if (!store)
            return 3;
        const InstanceRecord r = store->instance(QStringLiteral("nope")).value();
        return r.id.isEmpty() ? 4 : 5; // not reached
    }
    TestStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_store.moc"
