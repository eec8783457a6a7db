// switchboard-run simulate as a separate process on the Quote-to-Cash example.
#include "tests/support/process.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace sb::testsupport;

namespace {

const QString kTemplate =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash/quote-to-cash.switchboard");

// Simulating the whole template takes a while on a loaded machine.
constexpr int kTimeoutMs = 120000;

} // namespace

class TestSimulate : public QObject
{
    Q_OBJECT
private slots:
    void quoteToCashReportAddsUp()
    {
        QTemporaryDir dir;
        const QString report = dir.filePath(QStringLiteral("r.json"));
        // Dead letters (the bad records) make it exit 1 by contract.
        const Run sim = run({QStringLiteral("simulate"), kTemplate, QStringLiteral("--report"),
                             report, QStringLiteral("--db"), dir.filePath(QStringLiteral("s.db"))},
                            kTimeoutMs);
        QCOMPARE(sim.exitCode, 1);
        const QString &out = sim.out;
        QVERIFY2(out.contains(QLatin1String("completed")), qPrintable(out));
        QVERIFY(out.contains(QLatin1String("SLA closed-won-to-order")));
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject r = QJsonDocument::fromJson(f.readAll()).object();
        // Expectations from the data: the trigger's filter lets only closed-won deals start.
        QFile data(QFileInfo(kTemplate).absolutePath()
                   + QStringLiteral("/data/crm-opportunities.jsonl"));
        QVERIFY(data.open(QIODevice::ReadOnly));
        int records = 0, closedWon = 0;
        for (const QByteArray &line : data.readAll().split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            ++records;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            closedWon += o[QStringLiteral("stage")].toString() == QLatin1String("closed-won");
        }
        QVERIFY(closedWon > 50 && closedWon < records);
        const int instances = r[QStringLiteral("instances")].toInt();
        QCOMPARE(instances, closedWon);
        QCOMPARE(r[QStringLiteral("filtered")].toInt(), records - closedWon);
        QVERIFY2(out.contains(QStringLiteral("filtered       %1").arg(records - closedWon)),
                 qPrintable(out));
        QCOMPARE(r[QStringLiteral("completed")].toInt() + r[QStringLiteral("deadLettered")].toInt()
                     + r[QStringLiteral("compensated")].toInt()
                     + r[QStringLiteral("failed")].toInt() + r[QStringLiteral("waiting")].toInt(),
                 instances);
        QVERIFY(r[QStringLiteral("completed")].toInt() > 50);
        const QJsonArray results = r[QStringLiteral("results")].toArray();
        QCOMPARE(results.size(), closedWon);
        bool wrongCurrency = false;
        for (const QJsonValue &v : results) {
            const QJsonObject o = v.toObject();
            if (o[QStringLiteral("status")].toString() == QLatin1String("dead-lettered"))
                QVERIFY(!o[QStringLiteral("reason")].toString().isEmpty());
            if (o[QStringLiteral("record")].toString() == QLatin1String("0065g0000000000128")) {
                QCOMPARE(o[QStringLiteral("status")].toString(), QStringLiteral("dead-lettered"));
                QVERIFY(o[QStringLiteral("reason")].toString().contains("currency"));
                wrongCurrency = true;
            }
        }
        QVERIFY(wrongCurrency);
    }

    void approveAllAndLimit()
    {
        const Run r = run({QStringLiteral("simulate"), kTemplate, QStringLiteral("--limit"),
                           QStringLiteral("0")},
                          kTimeoutMs);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QLatin1String("0 instances")));
    }

    void badInputExitsTwo()
    {
        const Run missing =
            run({QStringLiteral("simulate"), QStringLiteral("/nonexistent.switchboard")},
                kTimeoutMs);
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains(QLatin1String("nonexistent")));
        QCOMPARE(run({QStringLiteral("simulate"), kTemplate, QStringLiteral("--workflow"),
                      QStringLiteral("nope")},
                     kTimeoutMs)
                     .exitCode,
                 2);
        QCOMPARE(run({QStringLiteral("simulate"), kTemplate, QStringLiteral("--dataset"),
                      QStringLiteral("nope")},
                     kTimeoutMs)
                     .exitCode,
                 2);
    }
};

QTEST_GUILESS_MAIN(TestSimulate)
#include "tst_simulate.moc"
