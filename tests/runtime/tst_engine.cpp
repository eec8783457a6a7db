// Workflow engine over a real SQLite file and the in-process sandbox: every step type,
// retries with Retry-After, the ledger, dead letters and replay, compensation, waits,
// approvals and resume after a restart.
#include "model/projectjson.h"
#include "runtime/engine/analysis.h"
#include "runtime/engine/connector.h"
#include "runtime/engine/engine.h"
#include "runtime/sandbox/sandbox.h"
#include "runtime/store/store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

using namespace sb::runtime;
using ojson = nlohmann::ordered_json;

namespace {

const QString kDir = QStringLiteral(SWITCHBOARD_TEST_DATA "/engine");

sb::model::Project project()
{
    auto p = sb::model::loadProject(kDir + QStringLiteral("/engine.switchboard"));
    if (!p.ok())
        qFatal("%s", qPrintable(p.error().toString()));
    return p.takeValue();
}

// Counts calls; can clear a system's faults after the first 429 and can lose answers
// (the call reaches the sandbox, the engine sees a transport error) to mimic a crash.
class TestConnector : public Connector
{
public:
    TestConnector(Sandbox *s) : m_sandbox(s), m_inner(s) {}
    OutboundResponse send(const OutboundRequest &r) override
    {
        ++calls;
        OutboundResponse resp = m_inner.send(r);
        if (resp.status == 429) {
            ++rateLimited;
            if (clearAfter429 && !m_sandbox->setFaults(r.system, FaultConfig{}).ok())
                qFatal("cannot clear the faults of %s", qPrintable(r.system));
        }
        if (afterSend)
            afterSend();
        if (loseAfter >= 0 && calls > loseAfter) {
            OutboundResponse lost;
            lost.transportError = QStringLiteral("connection reset");
            return lost;
        }
        return resp;
    }
    int calls = 0;
    int rateLimited = 0;
    bool clearAfter429 = false;
    int loseAfter = -1;
    std::function<void()> afterSend;

private:
    Sandbox *m_sandbox;
    SandboxConnector m_inner;
};

struct Rig
{
    QTemporaryDir dir;
    std::unique_ptr<Store> store;
    std::unique_ptr<Sandbox> sandbox;
    std::unique_ptr<TestConnector> connector;
    ManualClock clock{QDateTime(QDate(2024, 5, 1), QTime(9, 0), Qt::UTC)};
    std::unique_ptr<Engine> engine;
    QVector<ojson> published;

    Rig()
    {
        store = Store::open(dir.filePath(QStringLiteral("engine.db"))).takeValue();
        sandbox = Sandbox::create(project(), kDir).takeValue();
        connector = std::make_unique<TestConnector>(sandbox.get());
        makeEngine();
    }
    void makeEngine()
    {
        EngineOptions o;
        o.clock = [this]() { return clock.now(); };
        engine = std::make_unique<Engine>(project(), store.get(), connector.get(), o);
        engine->onPublish = [this](const ojson &e) { published.append(e); };
    }
    QString start(const QString &wf, const ojson &payload)
    {
        auto r = engine->start(wf, payload);
        if (!r.ok())
            qWarning("%s", qPrintable(r.error().message));
        return r.ok() ? r.value().instanceId : QString();
    }
    QString status(const QString &id) { return toString(store->instance(id).value().status); }
    ojson var(const QString &id, const char *name)
    {
        const ojson st = ojson::parse(store->instance(id).value().variables.toStdString());
        return st["vars"].value(name, ojson());
    }
    QStringList steps(const QString &id, JournalKind kind)
    {
        QStringList out;
        const auto jl_id = store->journal(id).value();
        for (const JournalEntry &e : jl_id) {
            if (e.kind == kind)
                out << e.stepId;
        }
        return out;
    }
};

ojson account(const QString &id, const QString &name, int rev = 1,
              const QString &country = QStringLiteral("DE"))
{
    return ojson{{"id", id.toStdString()}, {"name", name.toStdString()},
                 {"country", country.toStdString()}, {"amount", 1200.5}, {"rev", rev}};
}

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT
private slots:
    void validateBranchCallPublish()
    {
        Rig r;
        const QString id = r.start(QStringLiteral("sync"), account("A1", "Acme GmbH"));
        QVERIFY(r.engine->runUntilIdle(&r.clock));
        QCOMPARE(r.status(id), toString(InstanceStatus::Completed));
        QCOMPARE(r.steps(id, JournalKind::Result),
                 (QStringList{"check", "route", "upsert", "done", ""}));
        QCOMPARE(r.sandbox->recordCount("erp", "Customer"), 1);
        QCOMPARE(r.published.size(), 1);
        QCOMPARE(r.published[0]["specversion"], "1.0");
        QCOMPARE(r.published[0]["type"], "customer.synced");
        QCOMPARE(r.published[0]["subject"], "A1");
        // The outbound span carries traceparent, correlation and the idempotency key.
        bool sawKey = false;
        const auto jl_id = r.store->journal(id).value();
        for (const JournalEntry &e : jl_id) {
            const ojson p = ojson::parse(e.payload.toStdString());
            if (e.stepId == "upsert" && e.kind == JournalKind::Result) {
                const ojson h = p["span"]["request"]["headers"];
                QCOMPARE(h["Idempotency-Key"], "cust-A1");
                QVERIFY(h["traceparent"].get<std::string>().rfind("00-", 0) == 0);
                QCOMPARE(h["X-Correlation-Id"], "A1");
                sawKey = true;
            }
        }
        QVERIFY(sawKey);
        // A duplicate event names the original instance and runs nothing.
        auto dup = r.engine->start(QStringLiteral("sync"), account("A1", "Acme GmbH"));
        QVERIFY(dup.ok());
        QVERIFY(dup.value().duplicate);
        QCOMPARE(dup.value().instanceId, id);
        // The branch's default edge.
        const QString skipped = r.start(QStringLiteral("sync"),
                                        account("A2", "Nowhere Ltd", 1, QStringLiteral("XX")));
        QVERIFY(r.engine->runUntilIdle(&r.clock));
        QCOMPARE(r.status(skipped), toString(InstanceStatus::Completed));
        QVERIFY(r.steps(skipped, JournalKind::Result).contains("skip"));
        QCOMPARE(r.sandbox->recordCount("erp", "Customer"), 1);
    }

    void triggerFilterStartsNothing()
    {
        Rig r;
        sb::model::Project p = r.engine->project();
        sb::model::Workflow *wf = nullptr;
        for (sb::model::Workflow &w : p.workflows)
            wf = w.id == QLatin1String("sync") ? &w : wf;
        QVERIFY(wf);
        wf->trigger.filter = QStringLiteral("country != \"XX\"");
        r.engine->setProject(p);
        auto passed = r.engine->start(QStringLiteral("sync"), account("F1", "Filter Co"));
        QVERIFY(passed.ok());
        QVERIFY(!passed.value().filtered);
        QVERIFY(!passed.value().instanceId.isEmpty());
        auto skipped = r.engine->start(QStringLiteral("sync"),
                                       account("F2", "Elsewhere", 1, QStringLiteral("XX")));
        QVERIFY(skipped.ok());
        QVERIFY(skipped.value().filtered);
        QVERIFY(skipped.value().instanceId.isEmpty());
        QVERIFY(r.engine->runUntilIdle(&r.clock));
        QCOMPARE(r.store->instances().value().size(), 1);
        // A filter that cannot be evaluated is bad input named as such, not a silent skip.
        wf->trigger.filter = QStringLiteral("country = ");
        r.engine->setProject(p);
        auto broken = r.engine->start(QStringLiteral("sync"), account("F3", "Broken"));
        QVERIFY(!broken.ok());
        QCOMPARE(broken.error().path, QStringLiteral("/trigger/filter"));
        QVERIFY2(broken.error().message.contains(QLatin1String("trigger filter")),
                 qPrintable(broken.error().message));
    }

    void validationFailureIsDeadLettered()
    {
        Rig r;
        ojson bad = account("A3", "x");
        bad.erase("name");
        const QString id = r.start(QStringLiteral("sync"), bad);
        QVERIFY(r.engine->runUntilIdle(&r.clock));
        QCOMPARE(r.status(id), toString(InstanceStatus::DeadLettered));
        const auto letters = r.store->deadLetters().value();
        QCOMPARE(letters.size(), 1);
        QCOMPARE(letters[0].stepId, QStringLiteral("check"));
        QVERIFY2(letters[0].error.contains("name"), qPrintable(letters[0].error));
    }

    void retryHonoursRetryAfterAndLedgerPreventsDuplicates()
    {
        Rig r;
        FaultConfig f;
        f.rateLimitPerSecond = 1; // the lookup passes, the write right after gets 429
        f.retryAfterSeconds = 2;
        QVERIFY(r.sandbox->setFaults("erp", f).ok());
        r.connector->clearAfter429 = true;
        const QString id = r.start(QStringLiteral("sync"), account("B1", "Beta AG"));
        QVERIFY(r.engine->runUntilIdle(&r.clock));
        QCOMPARE(r.status(id), toString(InstanceStatus::Completed));
        QCOMPARE(r.connector->rateLimited, 1);
        QCOMPARE(r.steps(id, JournalKind::Retry), QStringList{"upsert"});
        const auto jl_id = r.store->journal(id).value();
        for (const JournalEntry &e : jl_id) {
            if (e.kind == JournalKind::Retry) {
                const ojson p = ojson::parse(e.payload.toStdString());
                QVERIFY(p["delayMs"].get<qint64>() >= 2000); // Retry-After: 2
                QCOMPARE(p["status"].get<int>(), 429);
            }
        }
        QCOMPARE(r.sandbox->recordCount("erp", "Customer"), 1);
        // Another event for the same account: same key, answered from the ledger.
        const QString again = r.start(QStringLiteral("sync"), account("B1", "Beta AG", 2));
        QVERIFY(again != id);
        QVERIFY(r.engine->runUntilIdle(&r.clock));
        QCOMPARE(r.status(again), toString(InstanceStatus::Completed));
        QCOMPARE(r.engine->counters().ledgerHits, 1);
        QCOMPARE(r.sandbox->recordCount("erp", "Customer"), 1);
    }

    void exhaustedRetriesAreDeadLettered()
    {
        Rig r;
        FaultConfig f;
        f.outage = true;
        QVERIFY(r.sandbox->setFaults("erp", f).ok());
        const QString id = r.start(QStringLiteral("sync"), account("C1", "Gamma SA"));
        QVERIFY(r.engine->runUntilIdle(&r.clock));
        QCOMPARE(r.status(id), toString(InstanceStatus::DeadLettered));
        QCOMPARE(r.steps(id, JournalKind::Retry).size(), 3); // 4 attempts
        const auto letters = r.store->deadLetters().value();
        QCOMPARE(letters.size(), 1);
        const ojson ctx = ojson::parse(letters[0].context.toStdString());
        QCOMPARE(ctx["category"], "transient");
        QVERIFY(letters[0].error.contains("503"));
        // The outage ends: replay with the same payload completes.
        QVERIFY(r.sandbox->setFaults("erp", FaultConfig{}).ok());
        QVERIFY(r.engine->replay(letters[0].id).ok());
        QVERIFY(r.engine->runUntilIdle(&r.clock));
        QCOMPARE(r.status(id), toString(InstanceStatus::Completed));
        QCOMPARE(r.sandbox->recordCount("erp", "Customer"), 1);
        QVERIFY(!r.engine->replay(letters[0].id).ok()); // not twice
    }

    void businessErrorThenReplayWithEditedPayload()
    {
        Rig r;
        // Fine for the CRM (60 chars), too long for the ERP (40): the ERP answers 400.
        const QString longName = QString(50, QLatin1Char('n'));
        const QString id = r.start(QStringLiteral("sync"), account("D1", longName));
        QVERIFY(r.engine->runUntilIdle(&r.clock));
        QCOMPARE(r.status(id), toString(InstanceStatus::DeadLettered));
        auto letters = r.store->deadLetters().value();
        QCOMPARE(letters.size(), 1);
        QCOMPARE(letters[0].stepId, QStringLiteral("upsert"));
        QVERIFY2(letters[0].error.contains("400"), qPrintable(letters[0].error));
        const ojson ctx = ojson::parse(letters[0].context.toStdString());
        QCOMPARE(ctx["category"], "business");
        QCOMPARE(ctx["variables"]["id"], "D1");
        QCOMPARE(r.sandbox->recordCount("erp", "Customer"), 0);
        QVERIFY(r.engine->replay(letters[0].id, account("D1", "Delta Kft")).ok());
        QVERIFY(r.engine->runUntilIdle(&r.clock));
        QCOMPARE(r.status(id), toString(InstanceStatus::Completed));
        QCOMPARE(r.sandbox->recordCount("erp", "Customer"), 1);
        QVERIFY(r.store->deadLetters().value().isEmpty());
    }

    void compensationRunsInReverseOrder()
    {
        Rig r;
        const QString id = r.start(QStringLiteral("order"), account("E1", "Epsilon"));
        QVERIFY(r.engine->runUntilIdle(&r.clock));
        QCOMPARE(r.status(id), toString(InstanceStatus::Compensated));
        QCOMPARE(r.steps(id, JournalKind::Compensate),
                 (QStringList{"cancel-shipment", "cancel-order"}));
        const QString orderNo = QString::fromStdString(r.var(id, "order")["orderNumber"]);
        const QString shipment = QString::fromStdString(r.var(id, "shipment")["id"]);
        const auto order = r.sandbox->record("erp", "Order", orderNo);
        QVERIFY(order);
        QCOMPARE((*order)["status"], "cancelled");
        QCOMPARE((*r.sandbox->record("erp", "Shipment", shipment))["status"], "cancelled");
        QCOMPARE(r.store->deadLetters().value().size(), 1);
    }

    void waitCorrelatesEventsAndTimesOut()
    {
        Rig r;
        const QString id = r.start(QStringLiteral("waiter"), account("W1", "Waiting Co"));
        r.engine->runReady();
        QCOMPARE(r.status(id), toString(InstanceStatus::Waiting));
        // An event for another order does not wake it; the matching one does.
        r.engine->deliverEvent(ojson{{"specversion", "1.0"}, {"id", "ev-0"},
                                     {"type", "erp.invoice.issued"},
                                     {"data", {{"orderRef", "Order-99"}}}});
        r.engine->runReady();
        QCOMPARE(r.status(id), toString(InstanceStatus::Waiting));
        r.engine->deliverEvent(ojson{{"specversion", "1.0"}, {"id", "ev-1"},
                                     {"type", "erp.invoice.issued"},
                                     {"data", {{"orderRef", r.var(id, "order")["orderNumber"]},
                                               {"total", 10}}}});
        r.engine->runReady();
        QCOMPARE(r.status(id), toString(InstanceStatus::Completed));
        QVERIFY(r.steps(id, JournalKind::Result).contains("notify"));
        QVERIFY(r.store->timers(id).value().isEmpty());

        const QString late = r.start(QStringLiteral("waiter"), account("W2", "Late Co"));
        r.engine->runReady();
        QCOMPARE(r.status(late), toString(InstanceStatus::Waiting));
        const QDateTime before = r.clock.now();
        QVERIFY(r.engine->runUntilIdle(&r.clock)); // virtual time: no real minute passes
        QCOMPARE(r.status(late), toString(InstanceStatus::Completed));
        QVERIFY(r.steps(late, JournalKind::Result).contains("late"));
        QVERIFY(before.msecsTo(r.clock.now()) >= 60000);
    }

    void approveAndReject()
    {
        Rig r;
        const QString a = r.start(QStringLiteral("approval"), account("P1", "Approve Me"));
        const QString b = r.start(QStringLiteral("approval"), account("P2", "Reject Me"));
        r.engine->runReady();
        QCOMPARE(r.status(a), toString(InstanceStatus::Waiting));
        const auto open = r.store->tasks(TaskStatus::Open).value();
        QCOMPARE(open.size(), 2);
        QCOMPARE(open[0].role, QStringLiteral("Deal Desk"));
        QVERIFY(open[0].escalateAt.isValid());
        // Escalation is recorded when its time comes; the task stays open.
        r.clock.advanceMs(1500);
        QCOMPARE(r.engine->fireDueTimers(), 2);
        bool escalated = false;
        const auto jl_a = r.store->journal(a).value();
        for (const JournalEntry &e : jl_a)
            escalated = escalated || e.payload.contains("\"escalated\":true");
        QVERIFY(escalated);
        QVERIFY(r.engine->decideTask(open[0].id, true, "dana").ok());
        QVERIFY(r.engine->decideTask(open[1].id, false, "dana", "price too low").ok());
        r.engine->runReady();
        QCOMPARE(r.status(open[0].instanceId), toString(InstanceStatus::Completed));
        QCOMPARE(r.status(open[1].instanceId), toString(InstanceStatus::DeadLettered));
        QVERIFY(!r.engine->decideTask(open[0].id, false).ok()); // decided already
    }

    void resumeAfterRestartRepeatsNoEffect()
    {
        Rig r;
        r.connector->loseAfter = 5; // later answers are lost after the effect happened
        QStringList ids;
        for (int i = 0; i < 5; ++i)
            ids << r.start(QStringLiteral("sync"),
                           account(QStringLiteral("R%1").arg(i), QStringLiteral("Resume %1").arg(i)));
        r.engine->runReady();
        ids << r.start(QStringLiteral("sync"), account("R5", "Never ran"));
        // "Crash": the engine and the store go away mid-way.
        r.engine.reset();
        const QString file = r.store->fileName();
        r.store.reset();
        r.store = Store::open(file).takeValue();
        r.connector->loseAfter = -1;
        r.makeEngine();
        QVERIFY(r.engine->resume().ok());
        QVERIFY(r.engine->runUntilIdle(&r.clock));
        for (const QString &id : ids)
            QCOMPARE(r.status(id), toString(InstanceStatus::Completed));
        QCOMPARE(r.sandbox->recordCount("erp", "Customer"), 6);
    }

    // A write that fails (another connection holds the database's write lock) stops the
    // engine like a crash: nothing more runs or is accepted; once a write succeeds again the
    // unfinished instances are reloaded from the journal and each effect happens once.
    void storageFaultStopsStepsAndRecoversFromTheJournal()
    {
        Rig r;
        const QString file = r.store->fileName();
        r.engine.reset();
        r.store.reset();
        StoreOptions quick;
        quick.busyTimeoutMs = 20;
        r.store = Store::open(file, quick).takeValue();
        r.makeEngine();
        QStringList ids;
        for (int i = 0; i < 5; ++i)
            ids << r.start(QStringLiteral("sync"), account(QStringLiteral("D%1").arg(i),
                                                           QStringLiteral("Disk %1").arg(i)));
        QVERIFY(!ids.contains(QString()));
        sqlite3 *other = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(file).constData(), &other), SQLITE_OK);
        // The disk "fails" right after the second call reached the sandbox.
        r.connector->afterSend = [&]() {
            if (r.connector->calls == 2)
                QCOMPARE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr),
                         SQLITE_OK);
        };
        r.engine->runReady();
        QVERIFY(r.engine->storageFault().has_value());
        QVERIFY2(r.engine->storageFault()->contains(QLatin1String("locked")),
                 qPrintable(*r.engine->storageFault()));
        const int callsAtFault = r.connector->calls;
        QCOMPARE(callsAtFault, 2);
        // Nothing runs, nothing is accepted while the store cannot be written.
        QCOMPARE(r.engine->runReady(), 0);
        QCOMPARE(r.engine->fireDueTimers(), 0);
        QVERIFY(!r.engine->runUntilIdle(&r.clock));
        auto refused = r.engine->start(QStringLiteral("sync"), account("D9", "Refused"));
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().storage);
        QCOMPARE(r.connector->calls, callsAtFault);

        QCOMPARE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(other);
        r.connector->afterSend = nullptr;
        QVERIFY(r.engine->runUntilIdle(&r.clock));
        QVERIFY(!r.engine->storageFault().has_value());
        for (const QString &id : ids)
            QCOMPARE(r.status(id), toString(InstanceStatus::Completed));
        // The step whose result could not be saved ran again, under the same key: one record.
        QCOMPARE(r.sandbox->recordCount("erp", "Customer"), 5);
        QCOMPARE(r.store->countInstances().value(), qint64(5));
        int recovered = 0;
        for (const QString &id : ids) {
            const auto journal = r.store->journal(id).value(); // a copy: the Result is a temporary
            for (const JournalEntry &e : journal) {
                if (e.kind == JournalKind::Resume
                    && ojson::parse(e.payload.toStdString()).value("reason", std::string())
                           == "storage-recovered")
                    ++recovered;
            }
        }
        QVERIFY(recovered >= 1);
    }

    void slaAndReconciliation()
    {
        Rig r;
        r.start(QStringLiteral("sync"), account("S1", "Sla One"));
        QVERIFY(r.engine->runUntilIdle(&r.clock));
        sb::model::Sla sla;
        sla.id = "s";
        sla.workflow = "sync";
        sla.fromMilestone = "trigger";
        sla.toMilestone = "upsert";
        sla.targetMinutes = 1;
        auto rep = measureSla(sla, *r.store);
        QVERIFY(rep.ok());
        QCOMPARE(rep.value().measured, 1);
        QCOMPARE(rep.value().metPercent(), 100.0);

        sb::model::Reconciliation spec;
        spec.id = "rec";
        spec.leftKey = "id";
        spec.rightKey = "ref";
        spec.fields = {{"name", "name"}, {"address.city", "city"}};
        QVector<ojson> left = {
            {{"id", "1"}, {"name", "A"}, {"address", {{"city", "Rome"}}},
             {"updatedAt", "2024-01-01T00:00:00Z"}},
            {{"id", "2"}, {"name", "B"}, {"address", {{"city", "Oslo"}}}},
            {{"id", "3"}, {"name", "C"}}, {{"id", "3"}, {"name", "C2"}}};
        QVector<ojson> right = {
            {{"ref", "1"}, {"name", "A"}, {"city", "Roma"}, {"updatedAt", "2024-02-01T00:00:00Z"}},
            {{"ref", "3"}, {"name", "C"}}, {{"ref", "4"}, {"name", "D"}}};
        const ReconciliationReport rr = reconcile(spec, left, right);
        QCOMPARE(rr.leftOnly, QStringList{"2"});
        QCOMPARE(rr.rightOnly, QStringList{"4"});
        QCOMPARE(rr.duplicatesLeft, QStringList{"3"});
        QCOMPARE(rr.outOfSequence, QStringList{"1"});
        QCOMPARE(int(rr.mismatches.size()), 1);
        QCOMPARE(rr.mismatches[0]["field"], "address.city");
    }

    void secretsAreRedacted()
    {
        qputenv("SB_TEST_TOKEN", "s3cr3t");
        HttpEndpoint ep;
        ep.auth = sb::model::AuthType::Bearer;
        ep.secretRef = "env:SB_TEST_TOKEN";
        const auto h = authHeader(ep);
        QCOMPARE(h.second, QByteArray("Bearer s3cr3t"));
        const HeaderList red = redactHeaders({h, {"Accept", "json"}});
        QCOMPARE(red[0].second, QByteArray("[redacted]"));
        QCOMPARE(red[1].second, QByteArray("json"));
    }

    // keyring: (and any scheme the runtime does not know) goes to the installed resolver.
    void secretResolverHook()
    {
        HttpEndpoint ep;
        ep.auth = sb::model::AuthType::Bearer;
        ep.secretRef = "keyring:switchboard/p/crm/prod";
        QVERIFY(resolveSecret(ep.secretRef).isEmpty());
        QVERIFY(authHeader(ep).first.isEmpty());
        QStringList asked;
        setSecretResolver([&asked](const QString &ref) {
            asked << ref;
            return ref == QLatin1String("keyring:switchboard/p/crm/prod") ? QByteArray("k3y")
                                                                         : QByteArray();
        });
        QCOMPARE(authHeader(ep).second, QByteArray("Bearer k3y"));
        QVERIFY(resolveSecret("keyring:switchboard/other").isEmpty());
        // env: never reaches the resolver.
        qputenv("SB_TEST_TOKEN", "s3cr3t");
        QCOMPARE(resolveSecret("env:SB_TEST_TOKEN"), QByteArray("s3cr3t"));
        QCOMPARE(asked.size(), 2);
        setSecretResolver({});
        QVERIFY(resolveSecret(ep.secretRef).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
