// The Employee Onboarding template (templates/employee-onboarding) through switchboard-run as
// a separate process: it validates without errors, its own tests pass, it exports, and
// simulating its data set gives exactly the outcome each hire was written for.
#include "tests/support/process.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace sb::testsupport;

namespace {

const QString kTemplate = QStringLiteral(
    SWITCHBOARD_SOURCE_DIR "/templates/employee-onboarding/employee-onboarding.switchboard");

constexpr int kTimeoutMs = 120000;

} // namespace

class TestOnboarding : public QObject
{
    Q_OBJECT
private slots:
    void validatesWithoutErrors()
    {
        const Run v = run({QStringLiteral("validate"), kTemplate, QStringLiteral("--json")});
        QVERIFY2(v.exitCode == 0, qPrintable(v.out + v.err));
        const QJsonDocument doc = QJsonDocument::fromJson(v.out.toUtf8());
        QJsonArray findings = doc.isArray() ? doc.array()
                                            : doc.object()[QStringLiteral("findings")].toArray();
        for (const QJsonValue &f : findings)
            QVERIFY2(f.toObject()[QStringLiteral("severity")].toString()
                         != QLatin1String("error"),
                     qPrintable(QJsonDocument(f.toObject()).toJson()));
    }

    void ownTestsPass()
    {
        QTemporaryDir dir;
        const QString junit = dir.filePath(QStringLiteral("j.xml"));
        const Run t = run({QStringLiteral("test"), kTemplate, QStringLiteral("--junit"), junit},
                          kTimeoutMs);
        QVERIFY2(t.exitCode == 0, qPrintable(t.out + t.err));
        QFile f(junit);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray xml = f.readAll();
        QVERIFY2(xml.contains("tests=\"9\" failures=\"0\""), xml.constData());
    }

    void exports()
    {
        QTemporaryDir dir;
        const Run e = run({QStringLiteral("export"), kTemplate, QStringLiteral("-o"),
                           dir.filePath(QStringLiteral("b.json")), QStringLiteral("--profile"),
                           QStringLiteral("production")});
        QVERIFY2(e.exitCode == 0, qPrintable(e.out + e.err));
    }

    void simulationCountsEveryKindOfHire()
    {
        QTemporaryDir dir;
        const QString report = dir.filePath(QStringLiteral("r.json"));
        const Run sim = run({QStringLiteral("simulate"), kTemplate, QStringLiteral("--report"),
                             report, QStringLiteral("--db"),
                             dir.filePath(QStringLiteral("s.db"))},
                            kTimeoutMs);
        // Dead letters make it exit 1 by contract.
        QVERIFY2(sim.exitCode == 1, qPrintable(sim.out + sim.err));
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject r = QJsonDocument::fromJson(f.readAll()).object();
        auto count = [&r](const char *key) { return r[QLatin1String(key)].toInt(-1); };
        // 29 hires and one delivered twice; the contract events are no records.
        QCOMPARE(count("records"), 30);
        QCOMPARE(count("filtered"), 2);      // two withdrawn offers
        QCOMPARE(count("instances"), 27);    // the repeated delivery starts nothing
        QCOMPARE(count("completed"), 20);
        QCOMPARE(count("deadLettered"), 4);
        QCOMPARE(count("compensated"), 3);
        QCOMPARE(count("failed"), 0);
        QCOMPARE(count("waiting"), 0);
        const QJsonObject byCategory = r[QStringLiteral("exceptionsByCategory")].toObject();
        QCOMPARE(byCategory[QStringLiteral("validation")].toInt(), 3);
        QCOMPARE(byCategory[QStringLiteral("mapping")].toInt(), 1);
        QCOMPARE(byCategory[QStringLiteral("timeout")].toInt(), 1);
        QCOMPARE(byCategory[QStringLiteral("business")].toInt(), 2);
        QCOMPARE(byCategory.size(), 4);

        // Each bad hire ends where and why it was written to.
        struct Expected
        {
            const char *status;
            const char *step;
            const char *reason;
        };
        const QHash<QString, Expected> expected = {
            {QStringLiteral("E10022"), {"dead-lettered", "check-hire", "personalEmail"}},
            {QStringLiteral("E10023"),
             {"dead-lettered", "check-hire", "the annual salary must be positive"}},
            {QStringLiteral("E10024"), {"dead-lettered", "create-account", "org-units"}},
            {QStringLiteral("E10025"), {"compensated", "wait-contract", ""}},
            {QStringLiteral("E10026"), {"compensated", "create-payroll", "country"}},
            {QStringLiteral("E10027"), {"compensated", "open-ticket", "summary"}},
            {QStringLiteral("E10028"),
             {"dead-lettered", "check-hire", "the hire has no manager"}},
        };
        int seen = 0;
        for (const QJsonValue &v : r[QStringLiteral("results")].toArray()) {
            const QJsonObject o = v.toObject();
            const QString record = o[QStringLiteral("record")].toString();
            const QString status = o[QStringLiteral("status")].toString();
            if (!expected.contains(record)) {
                QVERIFY2(status == QLatin1String("completed"), qPrintable(record + status));
                continue;
            }
            ++seen;
            const Expected &e = expected[record];
            QCOMPARE(status, QString::fromLatin1(e.status));
            QCOMPARE(o[QStringLiteral("step")].toString(), QString::fromLatin1(e.step));
            QVERIFY2(o[QStringLiteral("reason")].toString().contains(QLatin1String(e.reason)),
                     qPrintable(record + QStringLiteral(": ")
                                + o[QStringLiteral("reason")].toString()));
        }
        QCOMPARE(seen, int(expected.size()));
    }
};

QTEST_GUILESS_MAIN(TestOnboarding)
#include "tst_onboarding.moc"
