// Recorded live traffic: `simulate --profile live --record` against a `switchboard-run
// sandbox` process standing in for the live ERP, the process stopped, then `simulate
// --replay` and `test --replay` offline: the same outcomes and the same journal, 4xx and 5xx
// answers replayed as those errors, secrets kept out of the file, an unmatched call named.
#include "serve_harness.h"

#include <sqlite3.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace e2e;
using sb::testsupport::Run;
using sb::testsupport::run;

namespace {

const QString kData = QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/e2e/data/recording");
const QByteArray kSecret("rec-token-5f1c9e0b77");

// The fixture with its live profile pointed at `baseUrl`, written into `dir`.
QString projectFor(const QTemporaryDir &dir, const QString &baseUrl)
{
    QFile in(kData + QStringLiteral("/recording.switchboard"));
    if (!in.open(QIODevice::ReadOnly))
        return {};
    QByteArray text = in.readAll();
    text.replace("http://127.0.0.1:9", baseUrl.toUtf8());
    const QString out = dir.filePath(QStringLiteral("recording.switchboard"));
    QFile o(out);
    if (!o.open(QIODevice::WriteOnly) || o.write(text) != text.size())
        return {};
    o.close();
    if (!QFile::copy(kData + QStringLiteral("/accounts.jsonl"),
                     dir.filePath(QStringLiteral("accounts.jsonl"))))
        return {};
    return out;
}

// Times in virtual time as offsets from the first one the journal shows: a simulation's
// clock starts at the real time the run began.
QStringList relativeTimes(QStringList rows)
{
    static const QRegularExpression iso(
        QStringLiteral("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    QDateTime origin;
    for (QString &row : rows) {
        QString out;
        qsizetype last = 0;
        auto it = iso.globalMatch(row);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            const QDateTime t = QDateTime::fromString(m.captured(), Qt::ISODateWithMs);
            if (!origin.isValid())
                origin = t;
            out += row.mid(last, m.capturedStart() - last)
                   + QStringLiteral("T+%1ms").arg(origin.msecsTo(t));
            last = m.capturedEnd();
        }
        row = out + row.mid(last);
    }
    return rows;
}

// Every journal row (instance, seq, step, kind, payload) in order: the run's trace.
QStringList journal(const QString &db)
{
    QStringList rows;
    sqlite3 *h = nullptr;
    if (sqlite3_open_v2(db.toUtf8().constData(), &h, SQLITE_OPEN_READONLY, nullptr)
        != SQLITE_OK) {
        sqlite3_close(h);
        return {QStringLiteral("cannot open %1").arg(db)};
    }
    sqlite3_stmt *st = nullptr;
    const char *q = "SELECT instance_id, seq, step_id, kind, payload FROM journal "
                    "ORDER BY instance_id, seq";
    if (sqlite3_prepare_v2(h, q, -1, &st, nullptr) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            QStringList cols;
            for (int c = 0; c < 5; ++c)
                cols << QString::fromUtf8(
                    reinterpret_cast<const char *>(sqlite3_column_text(st, c)));
            rows << cols.join(QLatin1Char('|'));
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return relativeTimes(rows);
}

QJsonArray results(const QString &report)
{
    QFile f(report);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object()[QStringLiteral("results")].toArray();
}

// The recorded exchanges (the header line left out).
QList<QJsonObject> exchanges(const QString &file)
{
    QList<QJsonObject> out;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (int i = 1; i < lines.size(); ++i) {
        if (!lines[i].trimmed().isEmpty())
            out << QJsonDocument::fromJson(lines[i]).object();
    }
    return out;
}

QString statusOf(const QJsonArray &list, const QString &record)
{
    for (const auto &v : list) {
        if (v.toObject()[QStringLiteral("record")].toString() == record)
            return v.toObject()[QStringLiteral("status")].toString();
    }
    return {};
}

} // namespace

class TestRecordReplay : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { qputenv("SB_RECORDING_TOKEN", kSecret); }

    void recordThenReplayOffline()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString rec = dir.filePath(QStringLiteral("traffic.jsonl"));
        const QString liveDb = dir.filePath(QStringLiteral("live.db"));
        const QString liveReport = dir.filePath(QStringLiteral("live.json"));
        QString project;
        {
            Runner erp;
            const QString base = erp.start({QStringLiteral("sandbox"),
                                            kData + QStringLiteral("/recording.switchboard"),
                                            QStringLiteral("--listen"),
                                            QStringLiteral("127.0.0.1:0")});
            QVERIFY2(!base.isEmpty(), qPrintable(erp.errors()));
            project = projectFor(dir, base);
            QVERIFY(!project.isEmpty());
            const Run live = run({"simulate", project, "--profile", "live", "--record", rec,
                                  "--db", liveDb, "--report", liveReport});
            // A3's name is too long for the ERP: a 400 and a dead letter, hence exit 1.
            QVERIFY2(live.exitCode == 1, qPrintable(live.out + live.err));
            QVERIFY2(live.out.contains(QLatin1String("recorded       7 exchanges")),
                     qPrintable(live.out));
            // The live server really holds what the run wrote.
            const Http customers = request("GET", base + QStringLiteral("/erp/Customer"));
            QCOMPARE(customers.status, 200);
            QVERIFY(customers.body.contains("Delta SA"));
        } // the live server is stopped here

        const QJsonArray liveResults = results(liveReport);
        QCOMPARE(liveResults.size(), 4);
        QCOMPARE(statusOf(liveResults, QStringLiteral("A1")), QStringLiteral("completed"));
        QCOMPARE(statusOf(liveResults, QStringLiteral("A3")), QStringLiteral("dead-lettered"));

        // The file: a header, then each exchange with the live URL, the 400 among them.
        QFile f(rec);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(!text.contains(kSecret));
        QVERIFY(text.startsWith("{\"format\":\"switchboard-recording\",\"version\":1,"
                                "\"profile\":\"live\""));
        const QList<QJsonObject> ex = exchanges(rec);
        QCOMPARE(ex.size(), 7); // two calls for each good record, one for A3
        int badRequests = 0;
        for (const QJsonObject &e : ex) {
            const QJsonObject resp = e[QStringLiteral("response")].toObject();
            QVERIFY(resp[QStringLiteral("url")].toString().startsWith(QLatin1String("http://")));
            badRequests += resp[QStringLiteral("status")].toInt() == 400 ? 1 : 0;
        }
        QCOMPARE(badRequests, 1);

        // Offline: nothing listens at the live URL any more, the recording answers.
        const QString replayDb = dir.filePath(QStringLiteral("replay.db"));
        const QString replayReport = dir.filePath(QStringLiteral("replay.json"));
        const Run replay = run({"simulate", project, "--replay", rec, "--db", replayDb,
                                "--report", replayReport});
        QVERIFY2(replay.exitCode == 1, qPrintable(replay.out + replay.err));
        QVERIFY2(replay.out.contains(QLatin1String("0 calls unmatched")), qPrintable(replay.out));
        QCOMPARE(results(replayReport), liveResults);
        const QStringList liveJournal = journal(liveDb);
        QVERIFY(liveJournal.size() > 8);
        QCOMPARE(journal(replayDb), liveJournal);

        // The project's tests answered from the same recording.
        const Run tests = run({"test", project, "--replay", rec});
        QVERIFY2(tests.exitCode == 0, qPrintable(tests.out + tests.err));
        QVERIFY2(tests.out.contains(QLatin1String("2 passed, 0 failed")), qPrintable(tests.out));

        // A run that makes a call the recording lacks fails, naming the call.
        QFile data(dir.filePath(QStringLiteral("accounts.jsonl")));
        QVERIFY(data.open(QIODevice::Append));
        data.write("{\"id\":\"A9\",\"name\":\"Not recorded\",\"amount\":1}\n");
        data.close();
        const Run missing = run({"simulate", project, "--replay", rec, "--db",
                                 dir.filePath(QStringLiteral("missing.db"))});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(QLatin1String("replay: POST /erp/Customer (system erp)")),
                 qPrintable(missing.err));
        QVERIFY2(missing.out.contains(QLatin1String("3 calls unmatched")),
                 qPrintable(missing.out));
    }

    void secretsNeverReachTheFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString rec = dir.filePath(QStringLiteral("secret.jsonl"));
        const QString records = dir.filePath(QStringLiteral("secret-records.jsonl"));
        QFile data(records);
        QVERIFY(data.open(QIODevice::WriteOnly));
        // The profile's secret inside a payload: sent to the server and echoed back.
        data.write("{\"id\":\"S1\",\"name\":\"" + kSecret + "\",\"amount\":5}\n");
        data.close();
        QString project;
        {
            Runner erp;
            const QString base = erp.start({QStringLiteral("sandbox"),
                                            kData + QStringLiteral("/recording.switchboard"),
                                            QStringLiteral("--listen"),
                                            QStringLiteral("127.0.0.1:0")});
            QVERIFY2(!base.isEmpty(), qPrintable(erp.errors()));
            project = projectFor(dir, base);
            QVERIFY(!project.isEmpty());
            const Run live = run({"simulate", project, "--profile", "live", "--record", rec,
                                  "--dataset", records});
            QVERIFY2(live.exitCode == 0, qPrintable(live.out + live.err));
            const Http customers = request("GET", base + QStringLiteral("/erp/Customer"));
            QVERIFY(customers.body.contains(kSecret)); // it really went out
        }
        QFile f(rec);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY2(!text.contains(kSecret), text.constData());
        QVERIFY(text.contains("\"name\":\"[redacted]\""));
        // With the secret at hand, a replay redacts the call the same way and matches it.
        const Run replay = run({"simulate", project, "--replay", rec, "--dataset", records});
        QVERIFY2(replay.exitCode == 0, qPrintable(replay.out + replay.err));
        QVERIFY2(replay.out.contains(QLatin1String("0 calls unmatched")), qPrintable(replay.out));
    }

    void serverErrorsReplayAsErrors()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString rec = dir.filePath(QStringLiteral("errors.jsonl"));
        const QString liveReport = dir.filePath(QStringLiteral("live.json"));
        const QString liveDb = dir.filePath(QStringLiteral("live.db"));
        QString project;
        {
            Runner erp;
            const QString base = erp.start({QStringLiteral("sandbox"),
                                            kData + QStringLiteral("/recording.switchboard"),
                                            QStringLiteral("--listen"),
                                            QStringLiteral("127.0.0.1:0")});
            QVERIFY2(!base.isEmpty(), qPrintable(erp.errors()));
            const Http faults = request("POST", base + QStringLiteral("/_sandbox/faults"),
                                        R"({"system":"erp","errorRate":1.0})");
            QCOMPARE(faults.status, 200);
            project = projectFor(dir, base);
            QVERIFY(!project.isEmpty());
            const Run live = run({"simulate", project, "--profile", "live", "--record", rec,
                                  "--db", liveDb, "--report", liveReport, "--limit", "2"});
            QVERIFY2(live.exitCode == 1, qPrintable(live.out + live.err));
        }
        const QJsonArray liveResults = results(liveReport);
        QCOMPARE(liveResults.size(), 2);
        for (const auto &v : liveResults)
            QCOMPARE(v.toObject()[QStringLiteral("status")].toString(),
                     QStringLiteral("dead-lettered"));
        // Three attempts per record, every answer a 5xx, all recorded.
        const QList<QJsonObject> ex = exchanges(rec);
        QCOMPARE(ex.size(), 6);
        for (const QJsonObject &e : ex)
            QVERIFY(e[QStringLiteral("response")].toObject()[QStringLiteral("status")].toInt()
                    >= 500);

        const QString replayReport = dir.filePath(QStringLiteral("replay.json"));
        const QString replayDb = dir.filePath(QStringLiteral("replay.db"));
        const Run replay = run({"simulate", project, "--replay", rec, "--db", replayDb,
                                "--report", replayReport, "--limit", "2"});
        QVERIFY2(replay.exitCode == 1, qPrintable(replay.out + replay.err));
        QVERIFY2(replay.out.contains(QLatin1String("0 calls unmatched")), qPrintable(replay.out));
        QCOMPARE(results(replayReport), liveResults);
        QCOMPARE(journal(replayDb), journal(liveDb));
    }

    void badRecordingsAreBadInput()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString project = projectFor(dir, QStringLiteral("http://127.0.0.1:9"));
        const QString bad = dir.filePath(QStringLiteral("bad.jsonl"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"format\":\"switchboard-recording\",\"version\":1,\"profile\":\"live\"}\n"
                "{\"request\":{\"method\":\"POST\"},\"response\":{\"status\":200}}\n");
        f.close();
        const Run sim = run({"simulate", project, "--replay", bad});
        QCOMPARE(sim.exitCode, 2);
        QVERIFY2(sim.err.contains(QLatin1String("bad.jsonl:2")), qPrintable(sim.err));
        const Run test = run({"test", project, "--replay", bad});
        QCOMPARE(test.exitCode, 2);
        QVERIFY2(test.err.contains(QLatin1String("method and a path")), qPrintable(test.err));
        const Run both = run({"simulate", project, "--replay", bad, "--record", bad});
        QCOMPARE(both.exitCode, 2);
        // Hostile lines: nesting past the limit, a status out of range, not an object.
        const QByteArray head =
            "{\"format\":\"switchboard-recording\",\"version\":1,\"profile\":\"live\"}\n";
        const QList<QPair<QByteArray, QString>> hostile{
            {head + "{\"request\":" + QByteArray(100000, '[') + "\n", QStringLiteral(":2:")},
            {head + "{\"request\":{\"method\":\"GET\",\"path\":\"/x\"},"
                    "\"response\":{\"status\":70000}}\n",
             QStringLiteral("/response/status")},
            {head + "\n\n[1,2]\n", QStringLiteral(":4:1: not a JSON object")},
            {"{\"format\":\"switchboard-recording\",\"version\":7}\n",
             QStringLiteral("version 7 is not supported")}};
        for (const auto &[text, expected] : hostile) {
            QFile h(bad);
            QVERIFY(h.open(QIODevice::WriteOnly | QIODevice::Truncate));
            h.write(text);
            h.close();
            const Run r = run({"simulate", project, "--replay", bad}, 20000);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        }
        const Run foreign = run({"simulate", project, "--replay", project});
        QCOMPARE(foreign.exitCode, 2);
        QVERIFY2(foreign.err.contains(QLatin1String("not a Switchboard recording")),
                 qPrintable(foreign.err));
    }
};

QTEST_GUILESS_MAIN(TestRecordReplay)
#include "tst_record_replay.moc"
