// serve with a runaway mapping ($pad to 400,000,000 characters) next to a good workflow: the
// runaway instance is dead-lettered with the evaluation budget error long before its deadline,
// the good one completes, and /api/health answers all along.
#include "serve_harness.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace e2e;

namespace {

const QString kProject =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/e2e/data/budget/budget.switchboard");

// Resident set of a process in kB, from /proc (-1 when unknown).
qint64 rssKb(qint64 pid, const char *field = "VmRSS")
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

QJsonObject instance(const QString &base, const QString &id)
{
    return getJson(base + QStringLiteral("/api/instances/") + id, true).json().object();
}

} // namespace

class TestServeBudget : public QObject
{
    Q_OBJECT
private slots:
    void runawayMappingDeadLettersWhileOthersRun()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString bundle = dir.filePath(QStringLiteral("bundle.json"));
        QVERIFY(exportBundle(kProject, bundle));

        // started here rather than with Runner: the test reads the process's peak RSS
        QProcess serve;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SWITCHBOARD_ADMIN_TOKEN"), QString::fromLatin1(kToken));
        serve.setProcessEnvironment(env);
        serve.start(QStringLiteral(SWITCHBOARD_RUN_EXE),
                    {QStringLiteral("serve"), bundle, QStringLiteral("--db"),
                     dir.filePath(QStringLiteral("serve.db")), QStringLiteral("--init"),
                     QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QString base, out;
        for (int i = 0; i < 100 && base.isEmpty(); ++i) {
            serve.waitForReadyRead(100);
            out += QString::fromUtf8(serve.readAllStandardOutput());
            const qsizetype at = out.indexOf(QLatin1String("http://"));
            if (at >= 0 && out.indexOf(QLatin1Char('\n'), at) > at)
                base = out.mid(at).section(QLatin1Char('\n'), 0, 0).trimmed();
        }
        QVERIFY2(!base.isEmpty(), qPrintable(serve.readAllStandardError()));
        auto describe = [&] {
            return serve.state() == QProcess::Running
                       ? QStringLiteral("running")
                       : QStringLiteral("ended: ") + QString::fromUtf8(serve.readAllStandardError());
        };
        QCOMPARE(getJson(base + QStringLiteral("/api/health"), true).status, 200);

        QElapsedTimer clock;
        clock.start();
        const Http bad = request("POST", base + QStringLiteral("/hooks/runaway"),
                                 R"({"id":"R1","name":"Runaway Ltd","rev":1})");
        QVERIFY2(bad.status == 202, qPrintable(QString::number(bad.status) + bad.body));
        const Http good = request("POST", base + QStringLiteral("/hooks/fine"),
                                  R"({"id":"G1","name":"Good Company Inc","rev":1})");
        QVERIFY2(good.status == 202, qPrintable(QString::number(good.status) + good.body));
        const QString badId = bad.json().object()[QStringLiteral("instanceId")].toString();
        const QString goodId = good.json().object()[QStringLiteral("instanceId")].toString();
        QVERIFY(!badId.isEmpty() && !goodId.isEmpty());

        // health answers while the instances run; both end well within the 1 s budget plus
        // scheduling (the deadline here is generous, the assertion is on the outcome)
        QString badStatus, goodStatus;
        while (clock.elapsed() < 10000 && !(terminal(badStatus) && terminal(goodStatus))) {
            const Http h = getJson(base + QStringLiteral("/api/health"), true);
            QVERIFY2(h.status == 200, qPrintable(describe() + h.body));
            badStatus = instance(base, badId)[QStringLiteral("status")].toString();
            goodStatus = instance(base, goodId)[QStringLiteral("status")].toString();
            QTest::qWait(50);
        }
        QCOMPARE(goodStatus, QStringLiteral("completed"));
        QCOMPARE(badStatus, QStringLiteral("dead-lettered"));
        QVERIFY2(serve.state() == QProcess::Running, qPrintable(describe()));

        // the dead letter names the budget that stopped the rule
        const Http dl = getJson(base + QStringLiteral("/api/dead-letters"), true);
        QCOMPARE(dl.status, 200);
        QString reason;
        for (const auto &v : dl.json().array())
            if (v.toObject()[QStringLiteral("instanceId")].toString() == badId)
                reason = v.toObject()[QStringLiteral("error")].toString();
        QVERIFY2(reason.contains(QLatin1String("U1002")), qPrintable(reason));
        QVERIFY2(reason.contains(QLatin1String("limit of 16 MiB")), qPrintable(reason));

        // refused before allocating: serve stays small (it took 2 GB before the budget)
        const qint64 peak = rssKb(serve.processId(), "VmHWM");
        QVERIFY2(peak > 0 && peak < 300 * 1024, qPrintable(QString::number(peak)));

        // a business error, not a transient one: never retried
        const QJsonArray journal = instance(base, badId)[QStringLiteral("journal")].toArray();
        QVERIFY(!journal.isEmpty());
        for (const auto &e : journal)
            QVERIFY2(e.toObject()[QStringLiteral("kind")].toString() != QLatin1String("retry"),
                     qPrintable(QJsonDocument(journal).toJson()));
        QCOMPARE(getJson(base + QStringLiteral("/api/health"), true).status, 200);

        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
        QCOMPARE(serve.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServeBudget)
#include "tst_serve_budget.moc"
