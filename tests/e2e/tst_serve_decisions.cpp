// Approval decisions against serve as a child process on a real SQLite file. A crash is
// simulated where it hurts: a trigger the test adds to the journal makes one write fail, the
// process is killed there, the trigger dropped and serve restarted on the same file. Each
// instance must then resume exactly once, with one task, and never wait for ever.
// Also: deep and huge bodies on the admin API's decision and replay routes answer 400/413.
#include "serve_harness.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

using namespace e2e;

namespace {

const QString kProject =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/e2e/data/approval/approval.switchboard");

// Runs `sql` on the journal from outside serve, as an operator's sqlite3 shell would.
bool sql(const QString &db, const QByteArray &statement)
{
    sqlite3 *h = nullptr;
    if (sqlite3_open(db.toUtf8().constData(), &h) != SQLITE_OK) {
        sqlite3_close(h);
        return false;
    }
    sqlite3_busy_timeout(h, 10000);
    char *msg = nullptr;
    const int rc = sqlite3_exec(h, statement.constData(), nullptr, nullptr, &msg);
    if (rc != SQLITE_OK)
        qWarning("sqlite: %s", msg ? msg : "?");
    sqlite3_free(msg);
    sqlite3_close(h);
    return rc == SQLITE_OK;
}

QJsonObject instance(const QString &base, const QString &id)
{
    return getJson(base + QStringLiteral("/api/instances/") + id, true).json().object();
}

QList<QJsonObject> tasksOf(const QString &base, const QString &instanceId)
{
    QList<QJsonObject> out;
    for (const QJsonValue &v : getJson(base + QStringLiteral("/api/tasks"), true).json().array())
        if (v.toObject().value(QStringLiteral("instanceId")).toString() == instanceId)
            out << v.toObject();
    return out;
}

int journalCount(const QJsonObject &inst, const QString &step, const QString &kind)
{
    int n = 0;
    for (const QJsonValue &e : inst.value(QStringLiteral("journal")).toArray()) {
        const QJsonObject o = e.toObject();
        if (o.value(QStringLiteral("step")).toString() == step
            && o.value(QStringLiteral("kind")).toString() == kind)
            ++n;
    }
    return n;
}

template <typename F>
bool waitUntil(F done, int ms = 20000)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms) {
        if (done())
            return true;
        QTest::qWait(50);
    }
    return done();
}

// serve on a fresh journal in its own directory, restartable on the same file and port.
struct Serve
{
    QTemporaryDir dir;
    QString db = dir.filePath(QStringLiteral("serve.db"));
    QStringList args;
    Runner runner;
    QString base;

    bool start(const QStringList &extra = {})
    {
        const QString bundle = dir.filePath(QStringLiteral("bundle.json"));
        if (!dir.isValid() || !exportBundle(kProject, bundle))
            return false;
        args = QStringList{QStringLiteral("serve"), bundle, QStringLiteral("--db"), db,
                           QStringLiteral("--init"), QStringLiteral("--listen"),
                           QStringLiteral("127.0.0.1:0")}
               + extra;
        base = runner.start(args);
        return !base.isEmpty();
    }
    bool restart()
    {
        args[args.indexOf(QStringLiteral("--listen")) + 1] =
            QStringLiteral("127.0.0.1:%1").arg(runner.port());
        for (int i = 0; i < 20; ++i) {
            if (!(base = runner.start(args)).isEmpty())
                return true;
            QTest::qWait(250);
        }
        return false;
    }
    // Starts an instance and waits for its open task; returns {instance id, task id}.
    std::pair<QString, qint64> startWaiting(const QByteArray &id)
    {
        const Http r = request("POST", base + QStringLiteral("/hooks/approval"),
                               "{\"id\":\"" + id + "\",\"name\":\"Decided Co\",\"rev\":1}");
        if (r.status != 202)
            return {};
        const QString inst = r.json().object().value(QStringLiteral("instanceId")).toString();
        qint64 task = 0;
        waitUntil([&] {
            const auto t = tasksOf(base, inst);
            if (t.size() == 1 && instance(base, inst).value("status").toString() == "waiting")
                task = t[0].value(QStringLiteral("id")).toInteger();
            return task != 0;
        });
        return {inst, task};
    }
    Http decide(qint64 task, const char *decision, const QByteArray &body = "{}")
    {
        return request("POST", base + QStringLiteral("/api/tasks/%1/%2").arg(task).arg(decision),
                       body, true);
    }
};

} // namespace

class TestServeDecisions : public QObject
{
    Q_OBJECT
private slots:
    // The instance write fails after the decision: nothing of the decision may stay behind,
    // so deciding again after the restart resumes the instance, once.
    void approvalSurvivesACrashBeforeTheInstanceWrite()
    {
        Serve s;
        QVERIFY2(s.start(), qPrintable(s.runner.errors()));
        const auto [instId, taskId] = s.startWaiting("A1");
        const QString inst = instId;
        const qint64 task = taskId;
        QVERIFY2(task > 0, qPrintable(s.runner.describe()));
        QVERIFY(sql(s.db, "CREATE TRIGGER crash BEFORE UPDATE ON instances "
                          "BEGIN SELECT RAISE(ABORT, 'simulated crash'); END;"));
        QVERIFY(s.decide(task, "approve", R"({"by":"ann"})").status != 200);
        s.runner.kill();
        QVERIFY(sql(s.db, "DROP TRIGGER crash;"));
        QVERIFY2(s.restart(), qPrintable(s.runner.errors()));

        const auto tasks = tasksOf(s.base, inst);
        QCOMPARE(tasks.size(), 1);
        QCOMPARE(tasks[0].value("status").toString(), QStringLiteral("open"));
        const Http again = s.decide(task, "approve", R"({"by":"ann","payload":{"ok":1}})");
        QVERIFY2(again.status == 200, again.body.constData());
        QVERIFY2(waitUntil([&] {
                     return instance(s.base, inst).value("status").toString() == "completed";
                 }),
                 qPrintable(QJsonDocument(instance(s.base, inst)).toJson()));
        const QJsonObject done = instance(s.base, inst);
        QCOMPARE(journalCount(done, QStringLiteral("approve"), QStringLiteral("result")), 1);
        QCOMPARE(journalCount(done, QStringLiteral("map"), QStringLiteral("start")), 1);
        QCOMPARE(tasksOf(s.base, inst).size(), 1);
        // The timer of the decided task went with the decision.
        QCOMPARE(s.decide(task, "approve").status, 409);
    }

    // The rejection commits, then the process dies before the step's failure is written
    // (a trigger refuses it, the runner reports a storage fault and is killed there):
    // the resumed step fails with the rejection instead of opening a second task.
    void rejectionResumesWithoutANewTask()
    {
        Serve s;
        QVERIFY2(s.start(), qPrintable(s.runner.errors()));
        const auto [instId, taskId] = s.startWaiting("R1");
        const QString inst = instId;
        const qint64 task = taskId;
        QVERIFY2(task > 0, qPrintable(s.runner.describe()));
        QVERIFY(sql(s.db, "CREATE TRIGGER crash BEFORE INSERT ON journal WHEN NEW.kind = 'error' "
                          "BEGIN SELECT RAISE(ABORT, 'simulated crash'); END;"));
        // Only queued: the failure of the step is written (and refused) by the runner's pump.
        QCOMPARE(s.decide(task, "reject", R"({"by":"bob","note":"too cheap"})").status, 200);
        QVERIFY(waitUntil([&] {
            return getJson(s.base + QStringLiteral("/api/health"), true).status == 503;
        }));
        s.runner.kill();
        QVERIFY(sql(s.db, "DROP TRIGGER crash;"));
        QVERIFY2(s.restart(), qPrintable(s.runner.errors()));

        QVERIFY2(waitUntil([&] {
                     return instance(s.base, inst).value("status").toString() == "dead-lettered";
                 }),
                 qPrintable(QJsonDocument(instance(s.base, inst)).toJson()));
        const auto tasks = tasksOf(s.base, inst);
        QCOMPARE(tasks.size(), 1);
        QCOMPARE(tasks[0].value("status").toString(), QStringLiteral("rejected"));
        const QJsonArray dead = getJson(s.base + "/api/dead-letters", true).json().array();
        QCOMPARE(dead.size(), 1);
        QVERIFY2(dead[0].toObject().value("error").toString().contains("rejected: too cheap"),
                 qPrintable(dead[0].toObject().value("error").toString()));
        QCOMPARE(journalCount(instance(s.base, inst), QStringLiteral("approve"),
                              QStringLiteral("error")), 1);
    }

    // A journal from a runner that committed a decision without its instance: the waiting
    // instance resumes at the next start instead of waiting for ever.
    void decidedTaskOfAWaitingInstanceResumes()
    {
        Serve s;
        QVERIFY2(s.start(), qPrintable(s.runner.errors()));
        const auto [instId, taskId] = s.startWaiting("L1");
        const QString inst = instId;
        const qint64 task = taskId;
        QVERIFY2(task > 0, qPrintable(s.runner.describe()));
        s.runner.kill();
        QVERIFY(sql(s.db, "UPDATE tasks SET status = 'approved', decided_by = 'legacy' "
                          "WHERE id = " + QByteArray::number(task) + ";"));
        QVERIFY2(s.restart(), qPrintable(s.runner.errors()));
        QVERIFY2(waitUntil([&] {
                     return instance(s.base, inst).value("status").toString() == "completed";
                 }),
                 qPrintable(QJsonDocument(instance(s.base, inst)).toJson()));
        QCOMPARE(tasksOf(s.base, inst).size(), 1);
        QCOMPARE(journalCount(instance(s.base, inst), QStringLiteral("map"),
                              QStringLiteral("start")), 1);
    }

    // A wait times out and its failure compensates a call over a slow sandbox. While that
    // call spins its event loop inside the timer handling, admin requests are served: a
    // replay reloads the bundle, which must not swap the project under the running handler
    // (its workflow and steps would dangle), and nothing may be handled twice.
    void replayWhileATimeoutCompensates()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString project = QStringLiteral(
            SWITCHBOARD_SOURCE_DIR "/tests/e2e/data/reentrant/reentrant.switchboard");
        const QString bundle = dir.filePath(QStringLiteral("bundle.json"));
        QVERIFY(exportBundle(project, bundle));
        Runner sandbox;
        const QString sb = sandbox.start({QStringLiteral("sandbox"), project,
                                          QStringLiteral("--listen"),
                                          QStringLiteral("127.0.0.1:0")});
        QVERIFY2(!sb.isEmpty(), qPrintable(sandbox.errors()));
        // Each ERP call takes several pump ticks (50 ms).
        QCOMPARE(request("POST", sb + QStringLiteral("/_sandbox/faults"),
                         R"({"system":"erp","latencyMs":400})").status, 200);
        Runner serve;
        const QString base = serve.start(
            {QStringLiteral("serve"), bundle, QStringLiteral("--db"),
             dir.filePath(QStringLiteral("serve.db")), QStringLiteral("--init"),
             QStringLiteral("--sandbox-url"), sb, QStringLiteral("--listen"),
             QStringLiteral("127.0.0.1:0")});
        QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
        const Http r = request("POST", base + QStringLiteral("/hooks/reentrant"),
                               R"({"id":"W1","name":"Waiting Co","amount":5,"rev":1})");
        QVERIFY2(r.status == 202, r.body.constData());
        const QString inst = r.json().object().value(QStringLiteral("instanceId")).toString();
        // The compensation is journalled just before its call goes out.
        QVERIFY2(waitUntil([&] {
                     return journalCount(instance(base, inst), QStringLiteral("undo-customer"),
                                         QStringLiteral("compensate")) > 0;
                 }, 30000),
                 qPrintable(QJsonDocument(instance(base, inst)).toJson()));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(request("POST", base + QStringLiteral("/api/dead-letters/999/replay"), {},
                             true).status, 409);
        QVERIFY2(waitUntil([&] {
                     return terminal(instance(base, inst).value("status").toString());
                 }, 30000),
                 qPrintable(QJsonDocument(instance(base, inst)).toJson()));
        QTest::qWait(1500); // a duplicate would land after the first
        const QJsonObject done = instance(base, inst);
        QCOMPARE(journalCount(done, QStringLiteral("wait-shipment"), QStringLiteral("error")),
                 1);
        QCOMPARE(journalCount(done, QStringLiteral("undo-customer"),
                              QStringLiteral("compensate")), 1);
        QCOMPARE(getJson(base + "/api/dead-letters", true).json().array().size(), 1);
        QVERIFY2(serve.running(), qPrintable(serve.describe()));
    }

    // Bodies nested 50,000 deep or over the size limit on the routes that parse JSON besides
    // the webhook intake: 400/413 and serve keeps answering, also when --max-json-depth lets
    // the depth through the HTTP layer (the engine's own limit then refuses it).
    void deepAndHugeAdminBodiesAreRefused_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::newRow("default limits") << QStringList();
        QTest::newRow("http depth check lifted")
            << QStringList{QStringLiteral("--max-json-depth"), QStringLiteral("100000")};
    }
    void deepAndHugeAdminBodiesAreRefused()
    {
        QFETCH(QStringList, extra);
        Serve s;
        QVERIFY2(s.start(extra + QStringList{QStringLiteral("--max-body"),
                                             QStringLiteral("1M")}),
                 qPrintable(s.runner.errors()));
        const auto [instId, taskId] = s.startWaiting("D1");
        const QString inst = instId;
        const qint64 task = taskId;
        QVERIFY2(task > 0, qPrintable(s.runner.describe()));
        const QByteArray deep = QByteArray(50000, '[') + QByteArray(50000, ']');
        const QByteArray deepPayload = R"({"by":"x","payload":{"x":)" + deep + "}}";
        const QByteArray huge = "{\"by\":\"x\",\"payload\":{\"x\":\"" + QByteArray(2 << 20, 'a')
                                + "\"}}";
        const QString hook = s.base + QStringLiteral("/hooks/approval");
        const QString replay = s.base + QStringLiteral("/api/dead-letters/1/replay");
        QCOMPARE(s.decide(task, "approve", deepPayload).status, 400);
        QCOMPARE(s.decide(task, "reject", deep).status, 400);
        QCOMPARE(request("POST", replay, R"({"x":)" + deep + "}", true).status, 400);
        QCOMPARE(request("POST", hook, R"({"id":"D2","x":)" + deep + "}").status, 400);
        QCOMPARE(s.decide(task, "approve", huge).status, 413);
        QCOMPARE(request("POST", replay, huge, true).status, 413);
        QVERIFY2(s.runner.running(), qPrintable(s.runner.describe()));
        QCOMPARE(getJson(s.base + QStringLiteral("/api/health"), true).status, 200);

        // Nothing was decided on the way: the task is still open and decides normally.
        QCOMPARE(tasksOf(s.base, inst).value(0).value("status").toString(),
                 QStringLiteral("open"));
        QCOMPARE(s.decide(task, "approve", R"({"by":"x","payload":{"x":[[1]]}})").status, 200);
        QVERIFY(waitUntil([&] {
            return instance(s.base, inst).value("status").toString() == "completed";
        }));
    }
};

QTEST_GUILESS_MAIN(TestServeDecisions)
#include "tst_serve_decisions.moc"
