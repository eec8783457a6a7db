// The engine's evaluation budget: a runaway mapping dead-letters with the budget error
// (never retried) while another workflow completes, a step's own limits override the
// default, and a deeply nested payload is refused instead of overflowing the stack.
#include "model/projectjson.h"
#include "runtime/engine/connector.h"
#include "runtime/engine/engine.h"
#include "runtime/sandbox/sandbox.h"
#include "runtime/store/store.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace sb::runtime;
using ojson = nlohmann::ordered_json;

namespace {

const QString kDir = QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/e2e/data/budget");

sb::model::Project project()
{
    auto p = sb::model::loadProject(kDir + QStringLiteral("/budget.switchboard"));
    if (!p.ok())
        qFatal("%s", qPrintable(p.error().toString()));
    return p.takeValue();
}

struct Rig
{
    QTemporaryDir dir;
    std::unique_ptr<Store> store;
    std::unique_ptr<Sandbox> sandbox;
    std::unique_ptr<SandboxConnector> connector;
    std::unique_ptr<Engine> engine;

    explicit Rig(const sb::model::Project &p, EngineOptions o = {})
    {
        store = Store::open(dir.filePath(QStringLiteral("engine.db"))).takeValue();
        sandbox = Sandbox::create(p, kDir).takeValue();
        connector = std::make_unique<SandboxConnector>(sandbox.get());
        engine = std::make_unique<Engine>(p, store.get(), connector.get(), o);
    }
    QString start(const QString &wf, const ojson &payload)
    {
        auto r = engine->start(wf, payload);
        return r.ok() ? r.value().instanceId : QString();
    }
    QString status(const QString &id) { return toString(store->instance(id).value().status); }
    QString deadLetter(const QString &id)
    {
        const auto letters = store->deadLetters(); // keep the Result alive for the loop
        for (const DeadLetter &d : letters.value())
            if (d.instanceId == id)
                return d.error;
        return {};
    }
};

ojson account(const char *id, const char *name)
{
    return ojson{{"id", id}, {"name", name}, {"rev", 1}};
}

} // namespace

class TestEngineBudget : public QObject
{
    Q_OBJECT
private slots:
    void runawayMappingDeadLettersOthersComplete()
    {
        Rig rig(project());
        const QString bad = rig.start(QStringLiteral("runaway"), account("R1", "Runaway"));
        const QString good = rig.start(QStringLiteral("fine"), account("G1", "Good Company"));
        QVERIFY(!bad.isEmpty() && !good.isEmpty());
        rig.engine->runReady();
        rig.engine->fireDueTimers();
        rig.engine->runReady();
        QCOMPARE(rig.status(good), QStringLiteral("completed"));
        QCOMPARE(rig.status(bad), QStringLiteral("dead-lettered"));
        const QString reason = rig.deadLetter(bad);
        QVERIFY2(reason.contains(QLatin1String("U1002"))
                     && reason.contains(QLatin1String("limit of 16 MiB")),
                 qPrintable(reason));
        QCOMPARE(rig.engine->counters().retries, 0);
    }

    void stepLimitsOverrideTheDefault()
    {
        sb::model::Project p = project();
        // 500,000 numbers: ~16 MB, inside the default 64 MiB, over a 4 MiB step limit
        for (auto &m : p.mappings)
            if (m.id == QLatin1String("fine"))
                m.rules[1].expression = QStringLiteral("$string($count([1..500000]))");
        {
            Rig rig(p);
            const QString id = rig.start(QStringLiteral("fine"), account("G2", "Good"));
            rig.engine->runReady();
            QCOMPARE(rig.status(id), QStringLiteral("completed"));
        }
        for (auto &w : p.workflows)
            if (w.id == QLatin1String("fine"))
                w.steps[0].evalMemoryLimitMb = 4;
        // the limit survives the project file
        auto again = sb::model::parseProject(sb::model::serializeProject(p));
        QVERIFY(again.ok());
        QCOMPARE(again.value().workflow(QStringLiteral("fine"))->steps[0].evalMemoryLimitMb, 4);
        Rig rig(again.value());
        const QString id = rig.start(QStringLiteral("fine"), account("G3", "Good"));
        rig.engine->runReady();
        QCOMPARE(rig.status(id), QStringLiteral("dead-lettered"));
        QVERIFY2(rig.deadLetter(id).contains(QLatin1String("U1004")),
                 qPrintable(rig.deadLetter(id)));
        QVERIFY2(rig.deadLetter(id).contains(QLatin1String("4 MiB")),
                 qPrintable(rig.deadLetter(id)));
    }

    void engineDefaultBudgetIsConfigurable()
    {
        EngineOptions o;
        o.eval.maxStringLength = size_t(1) << 30;
        o.eval.maxAllocBytes = size_t(1) << 20; // 1 MiB: now the memory budget stops $pad
        Rig rig(project(), o);
        const QString bad = rig.start(QStringLiteral("runaway"), account("R2", "Runaway"));
        rig.engine->runReady();
        QCOMPARE(rig.status(bad), QStringLiteral("dead-lettered"));
        QVERIFY2(rig.deadLetter(bad).contains(QLatin1String("U1004")),
                 qPrintable(rig.deadLetter(bad)));
    }

    void deepPayloadIsRefused()
    {
        Rig rig(project());
        const std::string text = R"({"id":"d","x":)" + std::string(50000, '[')
                                 + std::string(50000, ']') + "}";
        // with a trigger filter and without one
        for (const char *wf : {"fine", "runaway"}) {
            const auto r = rig.engine->start(QString::fromLatin1(wf), ojson::parse(text));
            QVERIFY(!r.ok());
            QVERIFY2(r.error().message.contains(QLatin1String("nested deeper than 512")),
                     qPrintable(r.error().message));
        }
        // and the engine goes on
        const QString good = rig.start(QStringLiteral("fine"), account("G4", "Good"));
        rig.engine->runReady();
        QCOMPARE(rig.status(good), QStringLiteral("completed"));
    }
};

QTEST_GUILESS_MAIN(TestEngineBudget)
#include "tst_engine_budget.moc"
