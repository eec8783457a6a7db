// Engine semantics over a real SQLite file and the in-process sandbox: waits match only
// events after they began (also after a restart) on their declared field, an empty wait key
// fails, a branch without a matching condition fails unless it has an else edge, a failing
// idempotency key fails the call, upserts by natural key, validate-rule messages, and the
// step's timeout winning over the profile's.
#include "model/projectjson.h"
#include "runtime/engine/connector.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/simulation.h"
#include "runtime/sandbox/sandbox.h"
#include "runtime/store/store.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace sb::runtime;
using ojson = nlohmann::ordered_json;

namespace {

const QString kDir = QStringLiteral(SWITCHBOARD_TEST_DATA "/semantics");

sb::model::Project project()
{
    auto p = sb::model::loadProject(kDir + QStringLiteral("/semantics.switchboard"));
    if (!p.ok())
        qFatal("%s", qPrintable(p.error().toString()));
    return p.takeValue();
}

// The sandbox, remembering what each request asked for.
class RecordingConnector : public Connector
{
public:
    explicit RecordingConnector(Sandbox *s) : m_inner(s) {}
    OutboundResponse send(const OutboundRequest &r) override
    {
        requests.append(r);
        if (canned) { // a live endpoint that accepts everything
            OutboundResponse ok;
            ok.status = 201;
            ok.body = "{}";
            return ok;
        }
        return m_inner.send(r);
    }
    QVector<OutboundRequest> requests;
    bool canned = false;

private:
    SandboxConnector m_inner;
};

struct Rig
{
    QTemporaryDir dir;
    std::unique_ptr<Store> store;
    std::unique_ptr<Sandbox> sandbox;
    std::unique_ptr<RecordingConnector> connector;
    ManualClock clock{QDateTime(QDate(2024, 5, 1), QTime(9, 0), Qt::UTC)};
    std::unique_ptr<Engine> engine;

    explicit Rig(const QString &profile = QStringLiteral("sandbox"))
    {
        store = Store::open(dir.filePath(QStringLiteral("engine.db"))).takeValue();
        sandbox = Sandbox::create(project(), kDir).takeValue();
        connector = std::make_unique<RecordingConnector>(sandbox.get());
        makeEngine(profile);
    }
    void makeEngine(const QString &profile = QStringLiteral("sandbox"))
    {
        EngineOptions o;
        o.clock = [this]() { return clock.now(); };
        o.profile = profile;
        engine = std::make_unique<Engine>(project(), store.get(), connector.get(), o);
    }
    QString start(const QString &wf, const ojson &payload)
    {
        auto r = engine->start(wf, payload);
        if (!r.ok())
            qWarning("%s", qPrintable(r.error().message));
        engine->runReady();
        return r.ok() ? r.value().instanceId : QString();
    }
    QString status(const QString &id) { return toString(store->instance(id).value().status); }
    QString reason(const QString &id)
    {
        const auto letters = store->deadLetters(true);
        for (const DeadLetter &d : letters.value()) {
            if (d.instanceId == id)
                return d.error;
        }
        return {};
    }
};

ojson statement(const char *id, const char *ref, const QDateTime &at = {})
{
    ojson e{{"specversion", "1.0"}, {"id", id}, {"type", "bank.statement.booked"},
            {"subject", "ACC-1"}, {"data", {{"payment", {{"ref", ref}}}, {"other", "R-9"}}}};
    if (at.isValid())
        e["time"] = at.toString(Qt::ISODateWithMs).toStdString();
    return e;
}

ojson account(const char *id, const char *ref, const char *name = "Acme",
              const char *email = "ap@acme.example")
{
    return ojson{{"id", id}, {"name", name}, {"email", email}, {"ref", ref}};
}

} // namespace

class TestEngineSemantics : public QObject
{
    Q_OBJECT
private slots:
    // The event arrives before the wait begins: it never resumes it; the next one does.
    void oldEventNeverResumesWait()
    {
        Rig r;
        r.engine->deliverEvent(statement("ev-early", "R-1"));
        const QString id = r.start(QStringLiteral("waiter"), account("A1", "R-1"));
        QCOMPARE(r.status(id), toString(InstanceStatus::Waiting));
        // The key elsewhere in the data, or as the subject, is not the declared field.
        r.engine->deliverEvent(statement("ev-other", "R-0"));
        ojson bySubject = statement("ev-subject", "R-0");
        bySubject["subject"] = "R-1";
        r.engine->deliverEvent(bySubject);
        r.engine->runReady();
        QCOMPARE(r.status(id), toString(InstanceStatus::Waiting));
        r.engine->deliverEvent(statement("ev-late", "R-1"));
        r.engine->runReady();
        QCOMPARE(r.status(id), toString(InstanceStatus::Completed));
        const ojson vars =
            ojson::parse(r.store->instance(id).value().variables.toStdString())["vars"];
        QCOMPARE(vars["statement"]["payment"]["ref"], "R-1");
    }

    // After a restart, history read again (events stamped before the wait began) does not
    // resume it; an event that happens afterwards does.
    void restartDoesNotResumeOnHistory()
    {
        Rig r;
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-3600);
        const QString id = r.start(QStringLiteral("waiter"), account("A2", "R-2"));
        QCOMPARE(r.status(id), toString(InstanceStatus::Waiting));
        r.makeEngine(); // a new runner on the same journal
        QVERIFY(r.engine->resume().ok());
        r.engine->queueReceivedEvent(statement("hist-1", "R-2", before));
        r.engine->runReady();
        QCOMPARE(r.status(id), toString(InstanceStatus::Waiting));
        r.engine->queueReceivedEvent(
            statement("new-1", "R-2", QDateTime::currentDateTimeUtc().addSecs(1)));
        r.engine->runReady();
        QCOMPARE(r.status(id), toString(InstanceStatus::Completed));
    }

    void emptyWaitKeyFails()
    {
        Rig r;
        const QString id = r.start(QStringLiteral("no-key"), account("A3", "R-3"));
        QCOMPARE(r.status(id), toString(InstanceStatus::DeadLettered));
        QVERIFY2(r.reason(id).contains(QLatin1String("wait key nothing.here yields nothing")),
                 qPrintable(r.reason(id)));
        // It never swallows an event of the topic.
        QCOMPARE(r.engine->deliverEvent(statement("ev-any", "")), 0);
    }

    void branchWithoutMatchFailsAndRuleMessages()
    {
        Rig r;
        const QString none = r.start(QStringLiteral("branchy"), account("B1", "FR"));
        QCOMPARE(r.status(none), toString(InstanceStatus::DeadLettered));
        QVERIFY2(r.reason(none).contains(QLatin1String("no condition on the edges from 'route'")),
                 qPrintable(r.reason(none)));
        const QString de = r.start(QStringLiteral("branchy"), account("B2", "DE"));
        QCOMPARE(r.status(de), toString(InstanceStatus::Completed));
        const QString unnamed = r.start(QStringLiteral("branchy"), account("B3", "CHECK", ""));
        QCOMPARE(r.status(unnamed), toString(InstanceStatus::DeadLettered));
        QCOMPARE(r.reason(unnamed),
                 QStringLiteral("the account has no name (rule 2: $length(name) > 0)"));
    }

    void failingIdempotencyKeyFailsTheCall()
    {
        Rig r;
        const QString id = r.start(QStringLiteral("keyed"), account("K1", "R"));
        QCOMPARE(r.status(id), toString(InstanceStatus::DeadLettered));
        QVERIFY2(r.reason(id).contains(QLatin1String("idempotency key nothing.here yields "
                                                     "nothing")),
                 qPrintable(r.reason(id)));
        QVERIFY(r.connector->requests.isEmpty()); // nothing was written
    }

    // Two accounts with one e-mail address: one contact, found and updated the second time.
    void upsertByNaturalKeyOnTheSandbox()
    {
        Rig r;
        const QString a = r.start(QStringLiteral("contact"), account("U1", "R", "First"));
        const QString b = r.start(QStringLiteral("contact"), account("U2", "R", "Second"));
        QCOMPARE(r.status(a), toString(InstanceStatus::Completed));
        QCOMPARE(r.status(b), toString(InstanceStatus::Completed));
        SandboxRequest list;
        list.method = QStringLiteral("GET");
        list.path = QStringLiteral("/erp/Contact");
        const ojson all = ojson::parse(r.sandbox->handle(list).body.toStdString());
        QCOMPARE(all.size(), size_t(1));
        QCOMPARE(all[0]["name"], "Second");
        QStringList sent;
        for (const OutboundRequest &q : r.connector->requests)
            sent << q.method + QLatin1Char(' ') + q.path.section(QLatin1Char('?'), 0, 0);
        QCOMPARE(sent, QStringList({"GET /erp/Contact", "POST /erp/Contact",
                                    "GET /erp/Contact",
                                    "PATCH /erp/Contact/" + QString::fromStdString(
                                        all[0]["contactId"].get<std::string>())}));
    }

    // A data set scripts bank statements at virtual times: A1's comes while it waits, A2's
    // never, A3's only after its wait timed out.
    void simulateDeliversScriptedEvents()
    {
        QTemporaryDir dir;
        SimulationOptions so;
        so.dbFile = dir.filePath(QStringLiteral("sim.db"));
        auto created = Simulation::create(project(), kDir, so);
        QVERIFY2(created.ok(), qPrintable(created.error().toString()));
        Simulation &sim = *created.value();
        const sb::model::Workflow *wf = sim.engine().project().workflow(QStringLiteral("settle"));
        QVERIFY(wf);
        auto records = readRecords(kDir + QStringLiteral("/data/settlements.jsonl"));
        QVERIFY(records.ok());
        QVector<StartedRecord> started;
        for (int i = 0; i < records.value().size(); ++i)
            started.append(sim.feed(*wf, records.value()[i], i));
        QVERIFY(sim.drain());
        const SimulationSummary sum = sim.summarize(*wf, started);
        QCOMPARE(sum.records, 3);
        QCOMPARE(sum.completed, 1);
        QCOMPARE(sum.deadLettered, 2);
        QCOMPARE(sum.byCategory.value(QStringLiteral("timeout")), 2);
        QCOMPARE(sum.results[0]["status"], "completed");
        QCOMPARE(sum.results[0]["record"], "A1");
    }

    // The step's timeout is the most specific; the profile's is the endpoint's default.
    void stepTimeoutWinsOverProfile()
    {
        Rig r(QStringLiteral("live"));
        r.connector->canned = true;
        r.start(QStringLiteral("timed"), account("T1", "R"));
        QCOMPARE(r.connector->requests.size(), 2);
        QCOMPARE(r.connector->requests[0].timeoutMs, 1234);
        QCOMPARE(r.connector->requests[1].timeoutMs, 9999);
    }
};

QTEST_GUILESS_MAIN(TestEngineSemantics)
#include "tst_engine_semantics.moc"
