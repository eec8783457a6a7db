// runtime::Simulation, shared by `switchboard-run simulate` and the studio's run panel:
// data set readers, a run in virtual time, the same outcome over loopback HTTP, latency
// drills spent in virtual time, and the summary.
#include "model/projectjson.h"
#include "runtime/engine/simulation.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace sb::runtime;
using ojson = nlohmann::ordered_json;

namespace {

const QString kDir = QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/runtime/data/engine");

QString write(QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(text);
    return path;
}

QVector<ojson> accounts(int n)
{
    QVector<ojson> out;
    for (int i = 0; i < n; ++i)
        out.append(ojson{{"id", QStringLiteral("A%1").arg(i).toStdString()},
                         {"name", QStringLiteral("Acme %1").arg(i).toStdString()},
                         {"country", "DE"}, {"rev", 1}});
    return out;
}

} // namespace

class TestSimulation : public QObject
{
    Q_OBJECT
private slots:
    void readsJsonlArraysAndCsv()
    {
        QTemporaryDir dir;
        auto jsonl = readRecords(write(dir, "a.jsonl", "{\"id\":1}\n\n{\"id\":2}\n"));
        QVERIFY(jsonl.ok());
        QCOMPARE(jsonl.value().size(), 2);
        auto bad = readRecords(write(dir, "b.jsonl", "{\"id\":1}\n[1]\n"));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().line, 2);
        QVERIFY(bad.error().toString().contains("b.jsonl"));
        auto array = readRecords(write(dir, "c.json", "[{\"id\":1},{\"id\":2},{\"id\":3}]"));
        QVERIFY(array.ok());
        QCOMPARE(array.value().size(), 3);
        QVERIFY(!readRecords(write(dir, "d.json", "[1, 2]")).ok());
        auto csv = readRecords(write(dir, "e.csv", "id,amount,won,code,note\n"
                                                   "X1,12.5,true,007,\"a, b\"\nX2,3,false,,\n"));
        QVERIFY2(csv.ok(), qPrintable(csv.ok() ? QString() : csv.error().toString()));
        QCOMPARE(csv.value().size(), 2);
        const ojson &r = csv.value()[0];
        QCOMPARE(r["amount"].get<double>(), 12.5);
        QCOMPARE(r["won"].get<bool>(), true);
        QCOMPARE(r["code"].get<std::string>(), std::string("007")); // leading zero: text
        QCOMPARE(r["note"].get<std::string>(), std::string("a, b"));
        QCOMPARE(csv.value()[1]["amount"].get<qint64>(), 3);
        QVERIFY(!csv.value()[1].contains("code")); // empty cells are absent
        QVERIFY(!readRecords(dir.filePath("missing.jsonl")).ok());
    }

    void picksWorkflowAndDataset()
    {
        auto p = sb::model::loadProject(kDir + QStringLiteral("/engine.switchboard"));
        QVERIFY(p.ok());
        auto wf = simulationWorkflow(p.value(), QString());
        QVERIFY(wf.ok());
        QCOMPARE(wf.value()->id, QStringLiteral("sync"));
        QVERIFY(!simulationWorkflow(p.value(), QStringLiteral("nope")).ok());
        // Without a data set for the trigger's entity: the system is named as the user named
        // it, the id in brackets.
        sb::model::Project named = p.value();
        named.systems[0].name = QStringLiteral("Xero");
        const auto none = simulationDataset(named, *wf.value(), QString(), kDir);
        QVERIFY(!none.ok());
        QVERIFY2(none.error().message.contains(QStringLiteral("of Xero (%1)")
                                                   .arg(named.systems[0].id)),
                 qPrintable(none.error().message));
        QVERIFY(!simulationDataset(p.value(), *wf.value(), QStringLiteral("nope"), kDir).ok());
        auto file = simulationDataset(p.value(), *wf.value(),
                                      kDir + QStringLiteral("/engine.switchboard"), kDir);
        QVERIFY(file.ok());
    }

    void inProcessAndOverHttpAgree()
    {
        auto p = sb::model::loadProject(kDir + QStringLiteral("/engine.switchboard"));
        QVERIFY(p.ok());
        const sb::model::Workflow *wf = p.value().workflow(QStringLiteral("sync"));
        QVERIFY(wf);
        QTemporaryDir dir;
        SimulationSummary sums[2];
        for (int mode = 0; mode < 2; ++mode) {
            SimulationOptions o;
            o.dbFile = dir.filePath(QStringLiteral("s%1.db").arg(mode));
            o.overHttp = mode == 1;
            auto sim = Simulation::create(p.value(), QString(), o);
            QVERIFY2(sim.ok(), qPrintable(sim.ok() ? QString() : sim.error().toString()));
            QCOMPARE(sim.value()->sandboxUrl().startsWith("http://127.0.0.1:"), mode == 1);
            QVector<StartedRecord> started;
            const auto records = accounts(12);
            for (int i = 0; i < records.size(); ++i)
                started.append(sim.value()->feed(*wf, records[i], i));
            // The same record again: de-duplicated by its event id.
            started.append(sim.value()->feed(*wf, records[0], 12));
            QVERIFY(started.last().duplicate);
            QVERIFY(sim.value()->drain());
            sums[mode] = sim.value()->summarize(*wf, started);
            QCOMPARE(started[3].key, QStringLiteral("A3"));
        }
        QCOMPARE(sums[0].records, 13);
        QCOMPARE(sums[0].instances, 12);
        QCOMPARE(sums[0].completed, 12);
        QCOMPARE(sums[1].completed, sums[0].completed);
        QCOMPARE(sums[1].deadLettered, sums[0].deadLettered);
        QCOMPARE(sums[0].toJson()["completed"].get<int>(), 12);
    }

    void latencyIsSpentInVirtualTime()
    {
        auto p = sb::model::loadProject(kDir + QStringLiteral("/engine.switchboard"));
        QVERIFY(p.ok());
        const sb::model::Workflow *wf = p.value().workflow(QStringLiteral("sync"));
        QTemporaryDir dir;
        SimulationOptions o;
        o.dbFile = dir.filePath(QStringLiteral("l.db"));
        auto sim = Simulation::create(p.value(), QString(), o);
        QVERIFY(sim.ok());
        FaultConfig slow;
        slow.latencyMs = 1500;
        QVERIFY(sim.value()->sandbox().setFaults(QStringLiteral("erp"), slow).ok());
        const QDateTime before = sim.value()->clock().now();
        QElapsedTimer wall;
        wall.start();
        const StartedRecord r = sim.value()->feed(*wf, accounts(1)[0], 0);
        QVERIFY(sim.value()->drain());
        QVERIFY(wall.elapsed() < 1500); // virtual, not real
        QVERIFY2(before.msecsTo(sim.value()->clock().now()) >= 1500,
                 qPrintable(QString::number(before.msecsTo(sim.value()->clock().now()))));
        const auto journal = sim.value()->store().journal(r.instanceId);
        QVERIFY(journal.ok());
        qint64 slowest = 0;
        for (const JournalEntry &e : journal.value()) {
            const ojson j = ojson::parse(e.payload.toStdString(), nullptr, false);
            if (j.is_object() && j.contains("span"))
                slowest = std::max<qint64>(slowest, j["span"].value("durationMs", qint64(0)));
        }
        QVERIFY(slowest >= 1500);
    }
};

QTEST_GUILESS_MAIN(TestSimulation)
#include "tst_simulation.moc"
