// The run panel: RunController over the Quote-to-Cash sample set (counts checked against
// what the data contains), its models under QAbstractItemModelTester, the exception queue,
// replay of a dead letter after a mapping fix made through the Document, the export served
// by `switchboard-run serve` (a separate process) receiving a webhook, and screenshots of
// the run panel, the trace and the exception queue under offscreen.

#include "app/run/exportcontroller.h"
#include "app/run/runcontroller.h"
#include "app/studio.h"
#include "tests/support/gui/guitestsupport.h"
#include "app/shell/studiocontroller.h"
#include "model/document.h"

#include <QAbstractItemModelTester>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using testsupport::distinctColours;
using testsupport::runAndWait;
using testsupport::screenshotPath;

using studio::findItem;

namespace {

const QString kTemplateDir = testsupport::quoteToCashDir();
const QString kTemplate = testsupport::quoteToCashProject();
const QString kEngineFixture =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/runtime/data/engine/engine.switchboard");

// What the closed-won workflow must do with each opportunity, from the data alone: its
// trigger's filter lets only closed-won deals start; the validate step lets through those
// with an account, quote lines, the quote's currency and a positive amount; above 20 %
// discount they wait for the deal desk.
struct Expected
{
    int records = 0;
    int filtered = 0;        // not closed-won: no instance
    int deadLetters = 0;
    int approvals = 0;
    int completed = 0;
    QString wrongCurrency;   // a closed-won deal rejected for its currency
};

Expected expectedFromData(int limit = -1)
{
    Expected e;
    QFile f(kTemplateDir + QStringLiteral("/data/crm-opportunities.jsonl"));
    if (!f.open(QIODevice::ReadOnly))
        return e;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.trimmed().isEmpty() || e.records == limit)
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const QJsonObject quote = o[QStringLiteral("quote")].toObject();
        ++e.records;
        const bool won = o[QStringLiteral("stage")].toString() == QLatin1String("closed-won");
        const bool sameCurrency =
            quote[QStringLiteral("currency")].toString() == o[QStringLiteral("currency")].toString();
        const bool valid = won && o.contains(QStringLiteral("accountId"))
                           && !quote[QStringLiteral("lines")].toArray().isEmpty() && sameCurrency
                           && o[QStringLiteral("amount")].toDouble() > 0;
        if (won && !sameCurrency)
            e.wrongCurrency = o[QStringLiteral("id")].toString();
        if (!won)
            ++e.filtered;
        else if (!valid)
            ++e.deadLetters;
        else if (quote[QStringLiteral("discountPercent")].toDouble() > 20)
            ++e.approvals;
        else
            ++e.completed;
    }
    return e;
}

struct Http
{
    int status = 0;
    QByteArray body;
};

Http request(const QByteArray &method, const QString &url, const QByteArray &body = {},
             const QByteArray &token = {},
             const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkAccessManager nam;
    QNetworkRequest req{QUrl(url)};
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    if (!token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + token);
    for (const auto &h : headers)
        req.setRawHeader(h.first, h.second);
    QNetworkReply *reply = nam.sendCustomRequest(req, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    Http h{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
    reply->deleteLater();
    return h;
}

// The template's closed-won webhook is signed: HMAC-SHA256 over "<timestamp>.<body>".
Http signedPost(const QString &url, const QByteArray &body, const QByteArray &secret,
                qint64 timestamp)
{
    const QByteArray ts = QByteArray::number(timestamp);
    const QByteArray mac = QMessageAuthenticationCode::hash(ts + "." + body, secret,
                                                            QCryptographicHash::Sha256);
    return request("POST", url, body, {},
                   {{"X-Switchboard-Timestamp", ts},
                    {"X-Switchboard-Signature", "sha256=" + mac.toHex()}});
}

} // namespace

class TestRunPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void quoteToCashCountsMatchTheData();
    void modelsPassTheTester();
    void exceptionQueueApproveAndReject();
    void replayAfterMappingFixCompletes();
    void faultDrillCausesRetries();
    void pastRunsAreKeptAndReopen();
    void sandboxOverHttpGivesTheSameOutcome();
    void largeRunStaysResponsiveAndCancels();
    void badInputGivesClearErrors();
    void exportIsServedByTheRunner();
    void exportBlockedByErrors();
    void panelFiguresMatchTheSimulationReport();
    void screenshots();

private:
};

void TestRunPanel::initTestCase()
{
    // The names studio::prepareApplication sets (the screenshots load the studio).
    testsupport::initTestApplication(QStringLiteral("Switchboard"),
                                     QStringLiteral("tst_runpanel"));
    testsupport::clearRunHistory();
}

void TestRunPanel::quoteToCashCountsMatchTheData()
{
    const Expected e = expectedFromData();
    QCOMPARE(e.records, 320);
    QVERIFY(e.deadLetters > 0 && e.approvals > 0 && e.completed > 0 && e.filtered > 0);
    QVERIFY(!e.wrongCurrency.isEmpty());

    sb::model::Document doc;
    QVERIFY(doc.load(kTemplate).ok());
    RunController run;
    run.setDocument(&doc);
    run.setProjectDir(kTemplateDir);
    QCOMPARE(run.workflowId(), QStringLiteral("closed-won-to-cash"));
    QCOMPARE(run.datasetId(), QStringLiteral("crm-opportunities"));

    QSignalSpy progress(&run, &RunController::progressChanged);
    QVERIFY(runAndWait(run));
    QVERIFY(run.errorText().isEmpty());
    QVERIFY(progress.count() >= 2);
    QCOMPARE(run.progressDone(), e.records);
    QCOMPARE(run.progressTotal(), e.records);
    QVERIFY(run.throughput() > 0);

    const QVariantMap s = run.summary();
    QCOMPARE(s.value("records").toInt(), e.records);
    QCOMPARE(s.value("completed").toInt(), e.completed);
    QCOMPARE(s.value("exceptions").toInt(), e.approvals);
    QCOMPARE(s.value("deadLetters").toInt(), e.deadLetters);
    // Every completed deal reached the ERP order well within 15 minutes of virtual time.
    const QVariantList slas = s.value("slas").toList();
    QCOMPARE(slas.size(), 1);
    QCOMPARE(slas[0].toMap().value("measured").toInt(), e.completed);
    QCOMPARE(slas[0].toMap().value("durations").toList().size(), e.completed);
    QCOMPARE(s.value("reconciliations").toList().size(), 1);

    QCOMPARE(run.instances()->rowCount(), e.records - e.filtered);
    QCOMPARE(run.tasks()->rowCount(), e.approvals);
    QCOMPARE(run.deadLetters()->rowCount(), e.deadLetters);
    run.instances()->setStatusFilter(QStringLiteral("dead-lettered"));
    QCOMPARE(run.instances()->rowCount(), e.deadLetters);
    run.instances()->setStatusFilter(QString());

    // The trace of the record with the wrong currency names the reason.
    QString failed;
    for (int i = 0; i < run.instances()->rowCount(); ++i) {
        const QModelIndex ix = run.instances()->index(i);
        if (ix.data(InstancesModel::CorrelationIdRole).toString() == e.wrongCurrency)
            failed = ix.data(InstancesModel::InstanceIdRole).toString();
    }
    QVERIFY(!failed.isEmpty());
    run.setSelectedInstance(failed);
    QCOMPARE(run.selectedInfo().value("status").toString(), QStringLiteral("dead-lettered"));
    QCOMPARE(run.selectedInfo().value("failingStep").toString(),
             QStringLiteral("validate-opportunity"));
    bool reason = false;
    for (int i = 0; i < run.trace()->rowCount(); ++i) {
        const QModelIndex ix = run.trace()->index(i);
        if (ix.data(TraceModel::KindRole).toString() == QLatin1String("error")) {
            QVERIFY(ix.data(TraceModel::ErrorRole).toString().contains("currency"));
            QCOMPARE(ix.data(TraceModel::CategoryRole).toString(), QStringLiteral("validation"));
            reason = true;
        }
    }
    QVERIFY(reason);

    // A completed instance's trace has the calls with request, response and timing.
    run.instances()->setStatusFilter(QStringLiteral("completed"));
    run.setSelectedInstance(run.instances()->instanceAt(0));
    bool call = false, mapped = false;
    for (int i = 0; i < run.trace()->rowCount(); ++i) {
        const QModelIndex ix = run.trace()->index(i);
        if (ix.data(TraceModel::StepIdRole).toString() == QLatin1String("erp-sales-order")) {
            QCOMPARE(ix.data(TraceModel::HttpStatusRole).toInt(), 201);
            QVERIFY(ix.data(TraceModel::RequestLineRole).toString().startsWith("POST"));
            QVERIFY(!ix.data(TraceModel::RequestBodyRole).toString().isEmpty());
            QVERIFY(!ix.data(TraceModel::ResponseBodyRole).toString().isEmpty());
            QVERIFY(ix.data(TraceModel::DurationMsRole).toLongLong() >= 0);
            call = true;
        }
        if (ix.data(TraceModel::StepIdRole).toString() == QLatin1String("map-customer"))
            mapped = ix.data(TraceModel::OutputRole).toString().contains("customerId");
    }
    QVERIFY(call);
    QVERIFY(mapped);
    const QStringList path = run.trace()->path();
    QCOMPARE(path.first(), QStringLiteral("validate-opportunity"));
    QVERIFY(path.indexOf("erp-customer-upsert") < path.indexOf("erp-sales-order"));
    QVERIFY(!path.contains("approve-discount"));
}

void TestRunPanel::modelsPassTheTester()
{
    sb::model::Document doc;
    QVERIFY(doc.load(kTemplate).ok());
    RunController run;
    run.setDocument(&doc);
    run.setProjectDir(kTemplateDir);
    QAbstractItemModelTester t1(run.instances(),
                                QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(run.trace(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t3(run.tasks(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t4(run.deadLetters(),
                                QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t5(run.history(),
                                QAbstractItemModelTester::FailureReportingMode::QtTest);
    run.setRecordLimit(60);
    QVERIFY(runAndWait(run));
    const Expected e60 = expectedFromData(60);
    QCOMPARE(run.instances()->rowCount(), 60 - e60.filtered);
    QCOMPARE(run.summary().value("filtered").toInt(), e60.filtered);
    for (const QString &f : {QStringLiteral("completed"), QStringLiteral("waiting"),
                             QStringLiteral("dead-lettered"), QString()})
        run.instances()->setStatusFilter(f);
    run.setSelectedInstance(run.instances()->instanceAt(3));
    QVERIFY(run.trace()->rowCount() > 0);
    run.setSelectedInstance(QString());
    QCOMPARE(run.trace()->rowCount(), 0);
    QVERIFY(run.history()->rowCount() >= 1);
    // Every role answers for every row without tripping the tester.
    for (QAbstractItemModel *m : {static_cast<QAbstractItemModel *>(run.instances()),
                                  static_cast<QAbstractItemModel *>(run.tasks()),
                                  static_cast<QAbstractItemModel *>(run.deadLetters()),
                                  static_cast<QAbstractItemModel *>(run.history())}) {
        const auto roles = m->roleNames();
        for (int r = 0; r < m->rowCount(); ++r) {
            for (auto it = roles.cbegin(); it != roles.cend(); ++it)
                m->index(r, 0).data(it.key());
        }
    }
}

void TestRunPanel::exceptionQueueApproveAndReject()
{
    sb::model::Document doc;
    QVERIFY(doc.load(kTemplate).ok());
    RunController run;
    run.setDocument(&doc);
    run.setProjectDir(kTemplateDir);
    QVERIFY(runAndWait(run));
    const int open = run.tasks()->rowCount();
    const int completed = run.summary().value("completed").toInt();
    const int dead = run.summary().value("deadLetters").toInt();
    QVERIFY(open >= 3);

    // Approve: the deal goes on to the ERP and completes.
    const qint64 first = run.tasks()->index(0).data(TasksModel::TaskIdRole).toLongLong();
    QSignalSpy done(&run, &RunController::actionFinished);
    QVERIFY(run.approveTask(first, QStringLiteral("ok by the deal desk")));
    QVERIFY(done.wait(60000));
    QVERIFY(done.last().at(0).toBool());
    QCOMPARE(run.tasks()->rowCount(), open - 1);
    QCOMPARE(run.summary().value("completed").toInt(), completed + 1);

    // Reject: the instance is dead-lettered with the rejection as its reason.
    const qint64 second = run.tasks()->index(0).data(TasksModel::TaskIdRole).toLongLong();
    QVERIFY(run.rejectTask(second, QStringLiteral("discount too high")));
    QVERIFY(done.wait(60000));
    QCOMPARE(run.tasks()->rowCount(), open - 2);
    QCOMPARE(run.summary().value("deadLetters").toInt(), dead + 1);

    // Edit and approve: the edited data travels on (a lower discount in the order).
    const QModelIndex third = run.tasks()->index(0);
    QJsonObject payload =
        QJsonDocument::fromJson(third.data(TasksModel::PayloadRole).toString().toUtf8()).object();
    QVERIFY(payload.contains("quote"));
    QJsonObject quote = payload["quote"].toObject();
    quote["discountPercent"] = 20;
    payload["quote"] = quote;
    QVERIFY(run.approveTask(third.data(TasksModel::TaskIdRole).toLongLong(), QString(),
                            QString::fromUtf8(QJsonDocument(payload).toJson())));
    QVERIFY(done.wait(60000));
    QVERIFY(done.last().at(0).toBool());
    QCOMPARE(run.summary().value("completed").toInt(), completed + 2);

    // A payload that is not a JSON object is refused with a message, nothing changes.
    const qint64 fourth = run.tasks()->index(0).data(TasksModel::TaskIdRole).toLongLong();
    QVERIFY(run.approveTask(fourth, QString(), QStringLiteral("[1, 2")));
    QVERIFY(done.wait(60000));
    QVERIFY(!done.last().at(0).toBool());
    QVERIFY(run.errorText().contains("JSON object"));
    QCOMPARE(run.tasks()->rowCount(), open - 3);
}

void TestRunPanel::replayAfterMappingFixCompletes()
{
    sb::model::Document doc;
    QVERIFY(doc.load(kTemplate).ok());
    // The analyst's mistake: the customer mapping's name rule fails on every record.
    const sb::model::Mapping original = *doc.project().mapping("crm-account-to-customer");
    sb::model::Mapping broken = original;
    bool changed = false;
    for (sb::model::MappingRule &r : broken.rules) {
        if (r.target == QLatin1String("name")) {
            r.expression = QStringLiteral("$error(\"name rule broken\")");
            changed = true;
        }
    }
    QVERIFY(changed);
    doc.updateMapping(broken, QStringLiteral("Break the name rule"));

    RunController run;
    run.setDocument(&doc);
    run.setProjectDir(kTemplateDir);
    run.setRecordLimit(40);
    QVERIFY(runAndWait(run));
    QCOMPARE(run.summary().value("completed").toInt(), 0);
    // The dead letter of a valid deal with a standard discount: failed at the mapping.
    qint64 letter = 0;
    QString instance;
    for (int i = 0; i < run.deadLetters()->rowCount(); ++i) {
        const QModelIndex ix = run.deadLetters()->index(i);
        if (ix.data(DeadLettersModel::StepIdRole).toString() == QLatin1String("map-customer")) {
            QCOMPARE(ix.data(DeadLettersModel::CategoryRole).toString(), QStringLiteral("mapping"));
            QVERIFY(ix.data(DeadLettersModel::ErrorRole).toString().contains("broken"));
            letter = ix.data(DeadLettersModel::LetterIdRole).toLongLong();
            instance = ix.data(DeadLettersModel::InstanceIdRole).toString();
            break;
        }
    }
    QVERIFY(letter > 0);

    QSignalSpy done(&run, &RunController::actionFinished);
    // Replayed before the fix, it fails the same way again.
    QVERIFY(run.replayDeadLetter(letter));
    QVERIFY(done.wait(60000));
    QVERIFY(done.last().at(1).toString().contains("dead-lettered"));
    qint64 again = 0;
    for (int i = 0; i < run.deadLetters()->rowCount(); ++i) {
        const QModelIndex ix = run.deadLetters()->index(i);
        if (ix.data(DeadLettersModel::InstanceIdRole).toString() == instance)
            again = ix.data(DeadLettersModel::LetterIdRole).toLongLong();
    }
    QVERIFY(again > letter);

    // The fix, made in the studio through the Document; the replay uses it.
    doc.updateMapping(original, QStringLiteral("Fix the name rule"));
    const int completed = run.summary().value("completed").toInt();
    QVERIFY(run.replayDeadLetter(again));
    QVERIFY(done.wait(60000));
    QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
    QVERIFY2(done.last().at(1).toString().contains("completed"),
             qPrintable(done.last().at(1).toString()));
    QCOMPARE(run.summary().value("completed").toInt(), completed + 1);
    run.setSelectedInstance(instance);
    QCOMPARE(run.selectedInfo().value("status").toString(), QStringLiteral("completed"));
    // The trace shows the failure, the replay and the steps after it.
    QStringList kinds;
    for (int i = 0; i < run.trace()->rowCount(); ++i)
        kinds << run.trace()->index(i).data(TraceModel::KindRole).toString();
    QVERIFY(kinds.contains("error"));
    QVERIFY(kinds.contains("resume"));
    QCOMPARE(kinds.last(), QStringLiteral("result"));
    // A replayed letter cannot be replayed twice.
    QVERIFY(run.replayDeadLetter(again));
    QVERIFY(done.wait(60000));
    QVERIFY(!done.last().at(0).toBool());
}

void TestRunPanel::faultDrillCausesRetries()
{
    sb::model::Document doc;
    QVERIFY(doc.load(kTemplate).ok());
    RunController run;
    run.setDocument(&doc);
    run.setProjectDir(kTemplateDir);
    run.setRecordLimit(80);
    // An ERP outage: every ERP call is retried, then dead-lettered as transient.
    run.setFaults(QStringLiteral("erp"), 0, 0, 0, true);
    QVERIFY(run.faultsActive());
    QVERIFY(run.faultsText().contains("erp"));
    QVERIFY(runAndWait(run));
    const QVariantMap s = run.summary();
    QCOMPARE(s.value("completed").toInt(), 0);
    QVERIFY(s.value("retries").toInt() > 0);
    QVERIFY(s.value("transientErrors").toInt() > 0);
    run.clearFaults();
    QVERIFY(!run.faultsActive());
    // Latency beyond nothing but the SLA: 20 minutes per ERP call misses the 15 min target.
    run.setFaults(QStringLiteral("erp"), 0, 0, 1200000, false);
    QVERIFY(runAndWait(run));
    const QVariantList slas = run.summary().value("slas").toList();
    QCOMPARE(slas.size(), 1);
    // The calls time out (20 s) long before: every ERP call is a timeout.
    QVERIFY(run.summary().value("completed").toInt() == 0
            || slas[0].toMap().value("metPercent").toDouble() < 100.0);
    run.clearFaults();
}

void TestRunPanel::pastRunsAreKeptAndReopen()
{
    sb::model::Document doc;
    QVERIFY(doc.load(kTemplate).ok());
    RunController run;
    run.setDocument(&doc);
    run.setProjectDir(kTemplateDir);
    const int before = run.history()->rowCount();
    run.setRecordLimit(30);
    QVERIFY(runAndWait(run));
    const QVariantMap first = run.summary();
    run.setRecordLimit(50);
    QVERIFY(runAndWait(run));
    QCOMPARE(run.history()->rowCount(), before + 2);
    QCOMPARE(run.instances()->rowCount(), 50 - expectedFromData(50).filtered);
    // Compared with the 30-record run: 20 more records.
    const QVariantList cmp =
        run.compareWith(run.history()->index(1).data(RunHistoryModel::RunIdRole).toLongLong());
    QVERIFY(!cmp.isEmpty());
    QCOMPARE(cmp[0].toMap().value("shown").toString(), QStringLiteral("50"));
    QCOMPARE(cmp[0].toMap().value("other").toString(), QStringLiteral("30"));
    QCOMPARE(cmp[0].toMap().value("delta").toDouble(), 20.0);

    // A new controller (a restarted studio) lists them and reopens the older one.
    RunController again;
    again.setDocument(&doc);
    again.setProjectDir(kTemplateDir);
    QCOMPARE(again.history()->rowCount(), before + 2);
    const QModelIndex older = again.history()->index(1);
    QCOMPARE(older.data(RunHistoryModel::RecordsRole).toInt(), 30);
    QVERIFY(again.openRun(older.data(RunHistoryModel::RunIdRole).toLongLong()));
    QVERIFY(again.waitIdle(60000));
    QCOMPARE(again.instances()->rowCount(), 30 - expectedFromData(30).filtered);
    QCOMPARE(again.summary().value("completed"), first.value("completed"));
    QVERIFY(again.history()->index(1).data(RunHistoryModel::CurrentRole).toBool());
    // Its exception queue still works.
    if (again.tasks()->rowCount() > 0) {
        QSignalSpy done(&again, &RunController::actionFinished);
        QVERIFY(again.approveTask(
            again.tasks()->index(0).data(TasksModel::TaskIdRole).toLongLong()));
        QVERIFY(done.wait(60000));
        QVERIFY(done.last().at(0).toBool());
    }
}

void TestRunPanel::sandboxOverHttpGivesTheSameOutcome()
{
    const Expected e = expectedFromData(60);
    QCOMPARE(e.records, 60);
    sb::model::Document doc;
    QVERIFY(doc.load(kTemplate).ok());
    RunController run;
    run.setDocument(&doc);
    run.setProjectDir(kTemplateDir);
    run.setProfile(QStringLiteral("sandbox-http"));
    QVERIFY(!run.profileIsLive());
    run.setRecordLimit(60);
    QVERIFY(runAndWait(run));
    QVERIFY2(run.errorText().isEmpty(), qPrintable(run.errorText()));
    const QVariantMap s = run.summary();
    QCOMPARE(s.value("completed").toInt(), e.completed);
    QCOMPARE(s.value("exceptions").toInt(), e.approvals);
    QCOMPARE(s.value("deadLetters").toInt(), e.deadLetters);
    // The calls went over HTTP to the loopback sandbox.
    run.instances()->setStatusFilter(QStringLiteral("completed"));
    run.setSelectedInstance(run.instances()->instanceAt(0));
    bool http = false;
    for (int i = 0; i < run.trace()->rowCount(); ++i) {
        const QModelIndex ix = run.trace()->index(i);
        if (ix.data(TraceModel::HttpStatusRole).toInt() == 201)
            http = true;
    }
    QVERIFY(http);
    QCOMPARE(run.history()->index(0).data(RunHistoryModel::ProfileRole).toString(),
             QStringLiteral("sandbox-http"));
}

void TestRunPanel::largeRunStaysResponsiveAndCancels()
{
    // 5,000 records (the sample opportunities again under new ids, all won so that each
    // starts an instance).
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("many.jsonl"));
    {
        QFile in(kTemplateDir + QStringLiteral("/data/crm-opportunities.jsonl"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = in.readAll().split('\n');
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        int n = 0;
        for (int round = 0; n < 5000; ++round) {
            for (const QByteArray &l : lines) {
                if (l.trimmed().isEmpty() || n == 5000)
                    continue;
                QJsonObject o = QJsonDocument::fromJson(l).object();
                o["id"] = QStringLiteral("R%1-%2").arg(round).arg(o["id"].toString());
                o["stage"] = QStringLiteral("closed-won");
                out.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
                ++n;
            }
        }
    }
    sb::model::Document doc;
    QVERIFY(doc.load(kTemplate).ok());
    RunController run;
    run.setDocument(&doc);
    run.setProjectDir(kTemplateDir);
    QVERIFY(run.importDataset(file));
    QSignalSpy finished(&run, &RunController::runFinished);
    QVERIFY(run.run());
    QVERIFY(run.running());
    // The GUI thread keeps turning while the worker runs: a 10 ms timer fires steadily.
    int ticks = 0;
    QTimer timer;
    connect(&timer, &QTimer::timeout, [&ticks]() { ++ticks; });
    timer.start(10);
    QElapsedTimer wall;
    wall.start();
    QTRY_VERIFY_WITH_TIMEOUT(run.progressDone() >= 150, 120000);
    const qint64 elapsed = wall.elapsed();
    QVERIFY2(ticks >= elapsed / 10 / 4, qPrintable(QStringLiteral("%1 ticks in %2 ms")
                                                      .arg(ticks).arg(elapsed)));
    QCOMPARE(run.progressTotal(), 5000);
    run.cancel();
    QVERIFY(finished.count() > 0 || finished.wait(120000));
    QVERIFY(run.waitIdle(60000));
    QVERIFY(!run.running());
    const int records = run.summary().value("records").toInt();
    QVERIFY2(records >= 150 && records < 5000, qPrintable(QString::number(records)));
    QCOMPARE(run.summary().value("cancelledAt").toInt(), records);
    QVERIFY(run.statusText().contains("Cancelled"));
    // What started was finished: nothing is left running.
    QCOMPARE(run.instances()->statusCounts().value("running").toInt(), 0);
    QCOMPARE(run.instances()->rowCount(), records);
}

void TestRunPanel::badInputGivesClearErrors()
{
    sb::model::Document doc;
    QVERIFY(doc.load(kTemplate).ok());
    RunController run;
    run.setDocument(&doc);
    // No project folder: the data set cannot be found.
    QVERIFY(!run.run());
    QVERIFY(run.errorText().contains("Save the project"));
    run.setProjectDir(kTemplateDir);
    QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("bad.jsonl"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"id\": \"1\"}\nnot json\n");
    f.close();
    QVERIFY(!run.importDataset(bad));
    QVERIFY2(run.errorText().contains("bad.jsonl:2"), qPrintable(run.errorText()));
    // A CSV file becomes the data set; its records run: the prospecting deal is filtered
    // out by the trigger, the closed-won one without quote lines fails validation.
    const QString csv = dir.filePath(QStringLiteral("opps.csv"));
    QFile c(csv);
    QVERIFY(c.open(QIODevice::WriteOnly));
    c.write("id,name,stage,amount,currency\n0065X1,Deal one,prospecting,100,EUR\n"
            "0065X2,Deal two,closed-won,200,EUR\n");
    c.close();
    QVERIFY(run.importDataset(QUrl::fromLocalFile(csv).toString()));
    QCOMPARE(run.datasetId(), QFileInfo(csv).absoluteFilePath());
    QVERIFY(runAndWait(run));
    QCOMPARE(run.summary().value("records").toInt(), 2);
    QCOMPARE(run.summary().value("deadLetters").toInt(), 1);
    // A live profile no system has is refused (live runs are in tst_runlive).
    run.setProfile(QStringLiteral("nope"));
    QVERIFY(run.profileIsLive());
    QVERIFY(!run.run());
    QVERIFY(run.errorText().contains("nope"));
    run.setProfile(QStringLiteral("production"));
    // Test connection reports every system of the profile (example.com is not reachable
    // from a test machine, or answers: either way a result per system, never a hang).
    run.testConnections(QStringLiteral("production"), 3000);
    QCOMPARE(run.connectionResults().size(), 4);
    QTRY_VERIFY_WITH_TIMEOUT(!run.testingConnection(), 20000);
    for (const QVariant &v : run.connectionResults())
        QVERIFY(v.toMap().value("state").toString() != QLatin1String("testing"));
    run.testConnections(QStringLiteral("nope"));
    QCOMPARE(run.connectionResults().size(), 1);
    QVERIFY(run.connectionResults()[0].toMap().value("message").toString().contains("nope"));
}

void TestRunPanel::exportIsServedByTheRunner()
{
    sb::model::Document doc;
    QVERIFY(doc.load(kEngineFixture).ok());
    ExportController exporter;
    exporter.setDocument(&doc);
    exporter.validate();
    QCOMPARE(exporter.errorCount(), 0);
    QVERIFY(exporter.canExport());
    QTemporaryDir dir;
    const QString bundle = dir.filePath(QStringLiteral("engine.bundle.json"));
    exporter.setBundlePath(QUrl::fromLocalFile(bundle).toString());
    QVERIFY2(exporter.exportBundle(), qPrintable(exporter.resultText()));
    QVERIFY(QFileInfo::exists(bundle));
    const QString command = exporter.command();
    QVERIFY(command.startsWith(QStringLiteral("switchboard-run serve ") + bundle));
    QVERIFY(command.contains(QStringLiteral("--db ") + dir.filePath("engine.db")));
    QVERIFY(command.endsWith(QStringLiteral("--listen 127.0.0.1:8080")));

    // Serve it exactly as the command says, on a free port instead of 8080.
    QStringList args = QProcess::splitCommand(command);
    QCOMPARE(args.takeFirst(), QStringLiteral("switchboard-run"));
    args[args.size() - 1] = QStringLiteral("127.0.0.1:0");
    QProcess serve;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SWITCHBOARD_ADMIN_TOKEN"), QStringLiteral("t0ken"));
    serve.setProcessEnvironment(env);
    serve.start(QStringLiteral(SWITCHBOARD_RUN_EXE), args);
    QVERIFY(serve.waitForStarted(10000));
    QString base;
    for (int i = 0; i < 100 && base.isEmpty(); ++i) {
        serve.waitForReadyRead(100);
        const QString out = QString::fromUtf8(serve.readAllStandardOutput());
        const qsizetype at = out.indexOf(QLatin1String("http://"));
        if (at >= 0)
            base = out.mid(at).section(QLatin1Char('\n'), 0, 0).trimmed();
    }
    QVERIFY2(!base.isEmpty(), serve.readAllStandardError().constData());

    const Http h = request("POST", base + QStringLiteral("/hooks/sync"),
                           R"({"id":"A1","name":"Acme","rev":1})");
    QCOMPARE(h.status, 202);
    const QString id = QJsonDocument::fromJson(h.body).object()["instanceId"].toString();
    QVERIFY(!id.isEmpty());
    QString status;
    for (int i = 0; i < 100 && status != QLatin1String("completed"); ++i) {
        const Http s = request("GET", base + QStringLiteral("/api/instances/") + id, {}, "t0ken");
        QCOMPARE(s.status, 200);
        status = QJsonDocument::fromJson(s.body).object()["status"].toString();
        if (status != QLatin1String("completed"))
            QTest::qWait(100);
    }
    QCOMPARE(status, QStringLiteral("completed"));
    serve.terminate();
    QVERIFY(serve.waitForFinished(10000));

    // The Quote-to-Cash example exports too, and its runner accepts a closed-won webhook.
    sb::model::Document q2c;
    QVERIFY(q2c.load(kTemplate).ok());
    exporter.setDocument(&q2c);
    exporter.validate();
    QCOMPARE(exporter.errorCount(), 0);
    const QString q2cBundle = dir.filePath(QStringLiteral("q2c.bundle.json"));
    exporter.setBundlePath(q2cBundle);
    QVERIFY2(exporter.exportBundle(), qPrintable(exporter.resultText()));
    QProcess serve2;
    env.insert(QStringLiteral("Q2C_WEBHOOK_SECRET"), QStringLiteral("wh-secret"));
    serve2.setProcessEnvironment(env);
    serve2.start(QStringLiteral(SWITCHBOARD_RUN_EXE),
                 {QStringLiteral("serve"), q2cBundle, QStringLiteral("--db"),
                  dir.filePath(QStringLiteral("q2c.db")), QStringLiteral("--init"),
                  QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    base.clear();
    for (int i = 0; i < 100 && base.isEmpty(); ++i) {
        serve2.waitForReadyRead(100);
        const QString out = QString::fromUtf8(serve2.readAllStandardOutput());
        const qsizetype at = out.indexOf(QLatin1String("http://"));
        if (at >= 0)
            base = out.mid(at).section(QLatin1Char('\n'), 0, 0).trimmed();
    }
    QVERIFY(!base.isEmpty());
    QFile opps(kTemplateDir + QStringLiteral("/data/crm-opportunities.jsonl"));
    QVERIFY(opps.open(QIODevice::ReadOnly));
    const QByteArray firstWon = [&]() {
        for (const QByteArray &l : opps.readAll().split('\n')) {
            if (l.contains("\"stage\":\"closed-won\""))
                return l;
        }
        return QByteArray();
    }();
    QVERIFY(!firstWon.isEmpty());
    const QString hook = base + QStringLiteral("/hooks/closed-won-to-cash");
    QCOMPARE(request("POST", hook, firstWon).status, 401); // unsigned
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const Http w = signedPost(hook, firstWon, "wh-secret", now);
    QCOMPARE(w.status, 202);
    // Sent again, signed afresh: the same event id, de-duplicated.
    const Http dup = signedPost(hook, firstWon, "wh-secret", now - 1);
    QCOMPARE(dup.status, 200);
    serve2.terminate();
    QVERIFY(serve2.waitForFinished(10000));
}

void TestRunPanel::exportBlockedByErrors()
{
    sb::model::Document doc;
    QVERIFY(doc.load(kTemplate).ok());
    // A literal secret in a live profile blocks the export.
    sb::model::System crm = *doc.project().system(QStringLiteral("crm"));
    for (sb::model::EndpointProfile &p : crm.profiles) {
        if (!p.sandbox)
            p.secretRef = QStringLiteral("sk_live_abc123");
    }
    doc.updateSystem(crm, QStringLiteral("Paste a token"));
    ExportController exporter;
    exporter.setDocument(&doc);
    exporter.setProfile(QStringLiteral("production"));
    QVERIFY(exporter.errorCount() > 0);
    QVERIFY(!exporter.canExport());
    QTemporaryDir dir;
    exporter.setBundlePath(dir.filePath(QStringLiteral("b.json")));
    QVERIFY(!exporter.exportBundle());
    QVERIFY(exporter.command().isEmpty());
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("b.json"))));
    QVERIFY(exporter.resultText().contains("blocked"));
    // Undone, the production export passes and names its profile.
    doc.undo();
    exporter.validate();
    QCOMPARE(exporter.errorCount(), 0);
    QVERIFY(exporter.exportBundle());
    QVERIFY(exporter.resultText().contains("production"));
    QVERIFY(exporter.profiles().contains("production"));
}

// The figures the run panel shows, read from its cards on screen, against the report of
// `switchboard-run simulate` over the same workflow and data set: records, filtered,
// instances, completed, failed, SLA measured/met/pending; and the rate is instances, not
// records, per second.
void TestRunPanel::panelFiguresMatchTheSimulationReport()
{
    QTemporaryDir dir;
    const QString reportFile = dir.filePath(QStringLiteral("report.json"));
    QProcess sim;
    sim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    sim.start(QStringLiteral(SWITCHBOARD_RUN_EXE),
              {QStringLiteral("simulate"), kTemplate, QStringLiteral("--workflow"),
               QStringLiteral("closed-won-to-cash"), QStringLiteral("--dataset"),
               QStringLiteral("crm-opportunities"), QStringLiteral("--report"), reportFile});
    QVERIFY(sim.waitForFinished(240000));
    QFile f(reportFile);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject report = QJsonDocument::fromJson(f.readAll()).object();
    QVERIFY(!report.isEmpty());
    const int records = report.value("records").toInt();
    const int filtered = report.value("filtered").toInt();
    const int instances = report.value("instances").toInt();
    QVERIFY(filtered > 0 && instances > 0 && records == instances + filtered
                                                  + report.value("rejected").toInt());
    const QJsonObject sla = report.value("sla").toArray().first().toObject();

    QQmlApplicationEngine engine;
    studio::prepareApplication();
    QCoreApplication::setApplicationName(QStringLiteral("tst_runpanel"));
    QVERIFY(studio::loadStudio(engine));
    StudioController *ctl = studio::controller(engine);
    QVERIFY(ctl->openTemplate(kTemplate));
    QQuickWindow *window = studio::mainWindow(engine);
    window->resize(1440, 900);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    ctl->setCurrentView(StudioController::Run);
    auto *run = window->findChild<RunController *>(QStringLiteral("runController"));
    QVERIFY(run);
    QCOMPARE(run->workflowId(), QStringLiteral("closed-won-to-cash"));
    QCOMPARE(run->datasetId(), QStringLiteral("crm-opportunities"));
    QVERIFY(runAndWait(*run));
    QTest::qWait(100);  // bindings of the cards

    auto card = [&](const char *name) {
        QQuickItem *item = findItem(window->contentItem(), QString::fromLatin1(name));
        return item ? std::make_pair(item->property("value").toString(),
                                     item->property("detail").toString())
                    : std::make_pair(QStringLiteral("missing"), QString());
    };
    const auto recordsCard = card("recordsCard");
    QCOMPARE(recordsCard.first, QString::number(records));
    QVERIFY2(recordsCard.second.contains(QStringLiteral("%1 instances").arg(instances))
                 && recordsCard.second.contains(QStringLiteral("%1 filtered").arg(filtered)),
             qPrintable(recordsCard.second));
    QCOMPARE(card("completedCard").first, QString::number(report.value("completed").toInt()));
    // Failed: every instance that ended without completing, so the outcomes add up.
    const int notCompleted = report.value("failed").toInt()
                             + report.value("deadLettered").toInt()
                             + report.value("compensated").toInt();
    QVERIFY(notCompleted > 0);
    QCOMPARE(card("failedCard").first, QString::number(notCompleted));
    QVERIFY2(card("failedCard").second.contains(
                 QStringLiteral("%1 dead-lettered").arg(report.value("deadLettered").toInt())),
             qPrintable(card("failedCard").second));
    QCOMPARE(report.value("completed").toInt() + report.value("waiting").toInt() + notCompleted,
             instances);
    const auto slaCard = card("slaCard");
    QVERIFY2(slaCard.second.startsWith(QStringLiteral("%1 of %2 met")
                                           .arg(sla.value("met").toInt())
                                           .arg(sla.value("measured").toInt())),
             qPrintable(slaCard.second));
    QVERIFY2(slaCard.second.contains(QStringLiteral("%1 pending")
                                         .arg(sla.value("pending").toInt())),
             qPrintable(slaCard.second));
    // Pending counts only what may still finish: waiting or running, never dead letters.
    const int open = report.value("waiting").toInt();
    QVERIFY2(sla.value("pending").toInt() <= open,
             qPrintable(QStringLiteral("%1 pending, %2 waiting")
                            .arg(sla.value("pending").toInt()).arg(open)));
    QVERIFY(report.value("deadLettered").toInt() > 0);

    // The rate: instances per elapsed second of this run (records per second would be
    // records / instances times larger, as the panel showed before).
    const QVariantMap s = run->summary();
    const double elapsed = s.value("elapsedMs").toDouble();
    QVERIFY(elapsed > 0);
    QCOMPARE(s.value("instances").toInt(), instances);
    QVERIFY(qAbs(s.value("throughput").toDouble() - instances * 1000.0 / elapsed) < 0.5);
    QVERIFY(qAbs(run->throughput() - instances * 1000.0 / elapsed) < 0.5);
    const auto rate = card("throughputCard");
    if (elapsed >= 1000) {
        QCOMPARE(rate.first, QString::number(instances * 1000.0 / elapsed, 'f', 0));
    } else {
        QCOMPARE(rate.first, QStringLiteral("\u2014"));  // too short to rate
        QVERIFY2(rate.second.contains(QStringLiteral("ms")), qPrintable(rate.second));
    }
    QVERIFY2(run->statusText().contains(QStringLiteral("%1 instances").arg(instances)),
             qPrintable(run->statusText()));
}

void TestRunPanel::screenshots()
{
    QQmlApplicationEngine engine;
    studio::prepareApplication();
    // Keep the test's own (test mode) data folder, cleaned in initTestCase.
    QCoreApplication::setApplicationName(QStringLiteral("tst_runpanel"));
    QVERIFY(studio::loadStudio(engine));
    StudioController *ctl = studio::controller(engine);
    QVERIFY(ctl->openTemplate(kTemplate));
    QCOMPARE(ctl->projectDir(), kTemplateDir);
    QQuickWindow *window = studio::mainWindow(engine);
    QVERIFY(window);
    window->resize(1440, 900);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    ctl->setCurrentView(StudioController::Run);

    auto *run = window->findChild<RunController *>(QStringLiteral("runController"));
    QVERIFY(run);
    QCOMPARE(run->projectDir(), kTemplateDir);
    // A fault drill on the ERP (errors and latency) so retries and durations show; the
    // approvals come before any ERP call, so their count stays what the data says.
    run->setFaults(QStringLiteral("erp"), 0.3, 0, 2500, false);
    QSignalSpy finished(run, &RunController::runFinished);
    QVERIFY(run->run());
    // Mid-run: the progress bar moves while the studio keeps drawing.
    QTRY_VERIFY_WITH_TIMEOUT(run->progressDone() >= 20, 60000);
    QQuickItem *progress = findItem(window->contentItem(), QStringLiteral("runProgress"));
    QVERIFY(progress);
    QVERIFY(progress->isVisible());
    const QString running = screenshotPath(QStringLiteral("run-progress.png"));
    QVERIFY(studio::grabToFile(window, running));
    QVERIFY(distinctColours(running) >= 16);
    // The run may have ended during the screenshot: wait() only sees a later signal.
    QVERIFY(finished.count() > 0 || finished.wait(240000));
    QVERIFY(run->waitIdle(60000));
    QVERIFY(run->summary().value("retries").toInt() > 0);
    // The screenshots are of the run panel: the problems panel makes room.
    if (QQuickItem *problems = findItem(window->contentItem(), QStringLiteral("problemsPanel")))
        problems->setVisible(false);
    QQuickItem *page = findItem(window->contentItem(), QStringLiteral("runPage"));
    QVERIFY(page);

    // The run panel with a failed record's trace: the wrong-currency deal.
    const Expected e = expectedFromData();
    for (int i = 0; i < run->instances()->rowCount(); ++i) {
        const QModelIndex ix = run->instances()->index(i);
        if (ix.data(InstancesModel::CorrelationIdRole).toString() == e.wrongCurrency)
            run->setSelectedInstance(ix.data(InstancesModel::InstanceIdRole).toString());
    }
    QVERIFY(!run->selectedInstance().isEmpty());
    const QString panel = screenshotPath(QStringLiteral("run-panel.png"));
    QVERIFY(studio::grabToFile(window, panel));
    QVERIFY2(distinctColours(panel) >= 24, qPrintable(QString::number(distinctColours(panel))));

    // The trace of a completed deal, every step expanded by a click would be long: the list.
    run->instances()->setStatusFilter(QStringLiteral("completed"));
    run->setSelectedInstance(run->instances()->instanceAt(0));
    const QString trace = screenshotPath(QStringLiteral("run-trace.png"));
    QVERIFY(studio::grabToFile(window, trace));
    QVERIFY(distinctColours(trace) >= 24);
    auto *traceList = findItem(window->contentItem(), QStringLiteral("runTraceList"));
    QVERIFY(traceList);
    QVERIFY(traceList->property("count").toInt() >= 10);

    // The exception queue.
    page->setProperty("currentTab", 1);
    const QString exceptions = screenshotPath(QStringLiteral("run-exceptions.png"));
    QVERIFY(studio::grabToFile(window, exceptions));
    QVERIFY(distinctColours(exceptions) >= 16);
    auto *tasks = findItem(window->contentItem(), QStringLiteral("runTasksList"));
    QVERIFY(tasks);
    QCOMPARE(tasks->property("count").toInt(), e.approvals);

    // Dead letters, SLA and the export dialog with its serve command.
    page->setProperty("currentTab", 2);
    QVERIFY(studio::grabToFile(window, screenshotPath(QStringLiteral("run-deadletters.png"))));
    page->setProperty("currentTab", 3);
    const QString sla = screenshotPath(QStringLiteral("run-sla.png"));
    QVERIFY(studio::grabToFile(window, sla));
    QVERIFY(distinctColours(sla) >= 16);
    page->setProperty("currentTab", 4);
    QVERIFY(studio::grabToFile(window, screenshotPath(QStringLiteral("run-reconciliation.png"))));

    // History, with the run on show compared with an earlier, smaller run.
    const qint64 shown = run->history()->index(0).data(RunHistoryModel::RunIdRole).toLongLong();
    // Earlier tests may have kept runs of this project: count from here.
    const int runsBefore = run->history()->rowCount();
    run->setRecordLimit(120);
    run->clearFaults();
    QVERIFY(runAndWait(*run));
    QCOMPARE(run->history()->rowCount(), runsBefore + 1);
    QVERIFY(run->openRun(shown));
    QVERIFY(run->waitIdle(60000));
    page->setProperty("currentTab", 5);
    QQuickItem *history = findItem(window->contentItem(), QStringLiteral("runHistoryView"));
    QVERIFY(history);
    history->setProperty("comparedTitle",
                         run->history()->index(0).data(RunHistoryModel::StartedTextRole));
    history->setProperty("comparison",
                         run->compareWith(run->history()->index(0)
                                              .data(RunHistoryModel::RunIdRole).toLongLong()));
    const QString historyShot = screenshotPath(QStringLiteral("run-history.png"));
    QVERIFY(studio::grabToFile(window, historyShot));
    QVERIFY(distinctColours(historyShot) >= 16);

    QObject *dialog = window->findChild<QObject *>(QStringLiteral("exportDialog"));
    QVERIFY(dialog);
    QMetaObject::invokeMethod(dialog, "open");
    QTRY_VERIFY(dialog->property("opened").toBool());
    auto *exporter = dialog->findChild<ExportController *>(QStringLiteral("exportController"));
    QVERIFY(exporter);
    QTemporaryDir dir;
    exporter->setBundlePath(dir.filePath(QStringLiteral("quote-to-cash.bundle.json")));
    QVERIFY(exporter->exportBundle());
    const QString exportShot = screenshotPath(QStringLiteral("export-dialog.png"));
    QVERIFY(studio::grabToFile(window, exportShot));
    QVERIFY(distinctColours(exportShot) >= 16);
    QMetaObject::invokeMethod(dialog, "close");
}

QTEST_MAIN(TestRunPanel)
#include "tst_runpanel.moc"
