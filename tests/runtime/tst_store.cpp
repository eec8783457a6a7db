// The durable store on real files: every table, reopen, and SIGKILL mid-append.
#include "runtime/store/store.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/types.h>

using namespace sb::runtime;

namespace {

std::unique_ptr<Store> openStore(const QString &path)
{
    auto r = Store::open(path);
    if (!r.ok())
        qWarning("%s", qPrintable(r.error().toString()));
    return r.ok() ? r.takeValue() : nullptr;
}

// Child of crashDuringAppendsKeepsIntegrity: creates instances and appends to their
// journals (some inside multi-write transactions) until it is killed.
int appendLoop(const QString &path)
{
    auto store = openStore(path);
    if (!store)
        return 3;
    for (int n = 0;; ++n) {
        const QString id = QStringLiteral("i%1-%2").arg(QCoreApplication::applicationPid()).arg(n);
        auto r = store->transaction([&]() -> sb::Result<bool> {
            InstanceRecord in;
            in.id = id;
            in.workflowId = QStringLiteral("wf");
            auto c = store->createInstance(in);
            if (!c.ok())
                return c;
            auto j = store->appendJournal(id, QStringLiteral("trigger"), JournalKind::Start);
            if (!j.ok())
                return j.error();
            return true;
        });
        if (!r.ok())
            return 4;
        for (int k = 0; k < 20; ++k) {
            const QByteArray payload = "{\"k\":" + QByteArray::number(k) + "}";
            if (!store->appendJournal(id, QStringLiteral("s%1").arg(k), JournalKind::Result,
                                      payload).ok())
                return 5;
        }
        store->updateInstance(id, InstanceStatus::Completed, "{\"done\":true}",
                              QStringLiteral("s19"));
    }
}

} // namespace

class TestStore : public QObject
{
    Q_OBJECT
private slots:
    void instancesAndJournalSurviveReopen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("state.db"));
        {
            auto store = openStore(path);
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
        auto store = openStore(path);
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
            auto store = openStore(path);
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
        auto store = openStore(path);
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
        auto store = openStore(dir.filePath(QStringLiteral("t.db")));
        QVERIFY(store);
        auto r = store->transaction([&]() -> sb::Result<bool> {
            InstanceRecord in;
            in.id = "x";
            in.workflowId = "wf";
            store->createInstance(in);
            store->appendJournal("x", "s", JournalKind::Start);
            return sb::Error{QStringLiteral("step failed")};
        });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, QStringLiteral("step failed"));
        QVERIFY(!store->instance("x").ok());
        QVERIFY(store->journal("x").value().isEmpty());
        // A failing inner transaction only undoes its own writes.
        auto outer = store->transaction([&]() -> sb::Result<bool> {
            InstanceRecord in;
            in.id = "y";
            in.workflowId = "wf";
            auto c = store->createInstance(in);
            if (!c.ok())
                return c;
            store->transaction([&]() -> sb::Result<bool> {
                store->appendJournal("y", "s", JournalKind::Start);
                return sb::Error{QStringLiteral("inner")};
            });
            return true;
        });
        QVERIFY(outer.ok());
        QVERIFY(store->instance("y").ok());
        QVERIFY(store->journal("y").value().isEmpty());
    }

    void unreadableFileIsAnError()
    {
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

    void crashDuringAppendsKeepsIntegrity()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("crash.db"));
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

            auto store = openStore(path);
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
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc == 3 && qstrcmp(argv[1], "--append-loop") == 0)
        return appendLoop(QString::fromLocal8Bit(argv[2]));
    TestStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_store.moc"
