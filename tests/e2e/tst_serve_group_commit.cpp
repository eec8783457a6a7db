// Group commit across SIGKILL: many webhooks in flight at once (their writes and the steps of
// many instances share commits), serve killed at random moments and restarted on the same
// --db. No acknowledged webhook may be lost: an acknowledged event is never posted again, so
// a lost one would be missing at the end. Unacknowledged ones are re-posted, as a sender
// retries. Every write must land at the sandbox exactly once.
#include "serve_harness.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <deque>

using namespace e2e;

namespace {

const QString kProject =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/e2e/data/durable/durable.switchboard");
constexpr int kWebhooks = 150;
constexpr int kInFlight = 16; // over several managers: Qt opens 6 connections per manager
constexpr int kKills = 3;

QByteArray payload(int i)
{
    return QStringLiteral(R"({"id":"G%1","name":"Group Co %1","amount":%2,"rev":1})")
        .arg(i)
        .arg(100 + i)
        .toUtf8();
}

} // namespace

class TestServeGroupCommit : public QObject
{
    Q_OBJECT
private slots:
    // Requests that arrive while another waits for its commit wait nested inside it. Runs are
    // held while any handler waits and must be released once the last one is answered: a
    // release missed after nested waits stopped every instance for good.
    void instancesRunAfterNestedWaits()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString bundle = dir.filePath(QStringLiteral("bundle.json"));
        QVERIFY(exportBundle(kProject, bundle));
        Runner serve;
        // A long commit window: the webhooks below all arrive while the first one waits.
        const QString base =
            serve.start({QStringLiteral("serve"), bundle, QStringLiteral("--db"),
                         dir.filePath(QStringLiteral("serve.db")), QStringLiteral("--init"),
                         QStringLiteral("--group-commit-ms"), QStringLiteral("400"),
                         QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
        constexpr int kHooks = 12;
        QNetworkAccessManager managers[3];
        int answered = 0;
        for (int i = 0; i < kHooks; ++i) {
            QNetworkRequest req(QUrl(base + QStringLiteral("/hooks/pipeline")));
            req.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
            QNetworkReply *reply = managers[i % 3].post(req, payload(1000 + i));
            QObject::connect(reply, &QNetworkReply::finished, this, [&answered, reply]() {
                if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 202)
                    ++answered;
                reply->deleteLater();
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(answered, kHooks, 30000);
        // No request comes any more: the instances must finish on their own.
        const QJsonArray list = waitAllTerminal(base, kHooks, 60000);
        QCOMPARE(list.size(), kHooks);
        for (const auto &v : list)
            QCOMPARE(v.toObject()[QStringLiteral("status")].toString(),
                     QStringLiteral("completed"));
        serve.stop();
    }

    void killNineUnderConcurrentWebhooks()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString bundle = dir.filePath(QStringLiteral("bundle.json"));
        QVERIFY(exportBundle(kProject, bundle));

        Runner sandbox;
        const QString sb =
            sandbox.start({QStringLiteral("sandbox"), kProject, QStringLiteral("--listen"),
                           QStringLiteral("127.0.0.1:0")});
        QVERIFY2(!sandbox.base().isEmpty(), qPrintable(sandbox.errors()));
        QCOMPARE(request("POST", sb + QStringLiteral("/_sandbox/faults"),
                         R"({"system":"erp","latencyMs":3})")
                     .status,
                 200);

        const QString db = dir.filePath(QStringLiteral("serve.db"));
        Runner serve;
        QStringList args{QStringLiteral("serve"),
                         bundle,
                         QStringLiteral("--db"),
                         db,
                         QStringLiteral("--init"),
                         QStringLiteral("--sandbox-url"),
                         sb,
                         QStringLiteral("--group-commit-ms"),
                         QStringLiteral("20"),
                         QStringLiteral("--listen"),
                         QStringLiteral("127.0.0.1:0")};
        const QString base = serve.start(args);
        QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
        args.last() = QStringLiteral("127.0.0.1:%1").arg(serve.port());
        auto restart = [&]() {
            for (int i = 0; i < 20; ++i) {
                if (!serve.start(args).isEmpty())
                    return true;
                QTest::qWait(250);
            }
            return false;
        };

        QNetworkAccessManager managers[3];
        std::deque<int> todo;
        for (int i = 0; i < kWebhooks; ++i)
            todo.push_back(i);
        QHash<int, QString> acked; // webhook -> instance id, from a 202/200
        QSet<int> ackedTwice;      // must stay empty: nothing acked is posted again
        int inFlight = 0;
        int transportErrors = 0;
        int next = 0;
        std::function<void()> pump = [&]() {
            while (inFlight < kInFlight && !todo.empty() && serve.running()) {
                const int i = todo.front();
                todo.pop_front();
                QNetworkRequest req(QUrl(base + QStringLiteral("/hooks/pipeline")));
                req.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
                req.setTransferTimeout(10000);
                QNetworkReply *reply = managers[next++ % 3].post(req, payload(i));
                ++inFlight;
                QObject::connect(reply, &QNetworkReply::finished, this, [&, reply, i]() {
                    --inFlight;
                    const int status =
                        reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                    if (status == 202 || status == 200) {
                        if (acked.contains(i))
                            ackedTwice.insert(i);
                        acked.insert(i, QJsonDocument::fromJson(reply->readAll())
                                            .object()[QStringLiteral("instanceId")]
                                            .toString());
                    } else {
                        // Killed before the answer (or refused while it restarts): the
                        // webhook may or may not be committed; a sender posts it again.
                        ++transportErrors;
                        todo.push_back(i);
                    }
                    reply->deleteLater();
                });
            }
        };

        QRandomGenerator rng(quint32(QDateTime::currentMSecsSinceEpoch()));
        int kills = 0;
        QElapsedTimer clock;
        clock.start();
        qint64 nextKill = 100 + rng.bounded(300);
        // Kills land among the webhooks and, once all are in, among the steps' commits.
        while ((acked.size() < kWebhooks || inFlight > 0 || kills < kKills) &&
               clock.elapsed() < 120000) {
            if (kills < kKills && clock.elapsed() >= nextKill) {
                serve.kill(); // in the middle of group commits: webhooks and steps in flight
                ++kills;
                QTest::qWait(50); // the replies in flight fail and are queued again
                QVERIFY2(restart(), qPrintable(serve.describe()));
                nextKill = clock.elapsed() + 100 + rng.bounded(400);
            }
            if (!serve.running())
                QVERIFY2(restart(), qPrintable(serve.describe()));
            pump();
            QTest::qWait(5);
        }
        qInfo() << "kills:" << kills << "transport errors:" << transportErrors
                << "acknowledged:" << acked.size();
        QCOMPARE(kills, kKills);
        QVERIFY(ackedTwice.isEmpty());
        QCOMPARE(acked.size(), kWebhooks);

        // Every acknowledged webhook has its instance, and each one completed exactly once.
        const QJsonArray list = waitAllTerminal(base, kWebhooks, 90000);
        QSet<QString> instanceIds;
        for (const auto &v : list) {
            const QJsonObject o = v.toObject();
            QCOMPARE(o[QStringLiteral("status")].toString(), QStringLiteral("completed"));
            instanceIds.insert(o[QStringLiteral("id")].toString());
        }
        for (auto it = acked.begin(); it != acked.end(); ++it)
            QVERIFY2(instanceIds.contains(it.value()),
                     qPrintable(QStringLiteral("acknowledged G%1 (%2) was lost")
                                    .arg(it.key())
                                    .arg(it.value())));
        QCOMPARE(instanceIds.size(), kWebhooks);

        // Effects from outside: exactly one record per instance per write.
        auto distinct = [&](const QString &entity, const QString &field, QSet<QString> *out) {
            const Http h = getJson(sb + QStringLiteral("/erp/") + entity);
            const QJsonArray a = h.json().array();
            for (const auto &v : a)
                out->insert(v.toObject()[field].toVariant().toString());
            return int(a.size());
        };
        QSet<QString> customers, orders, shipments;
        QCOMPARE(distinct(QStringLiteral("Customer"), QStringLiteral("externalRef"), &customers),
                 kWebhooks);
        QCOMPARE(distinct(QStringLiteral("Order"), QStringLiteral("customerRef"), &orders),
                 kWebhooks);
        QCOMPARE(distinct(QStringLiteral("Shipment"), QStringLiteral("orderRef"), &shipments),
                 kWebhooks);
        QCOMPARE(customers.size(), kWebhooks);
        QCOMPARE(orders, customers);
        QCOMPARE(shipments.size(), kWebhooks);
        serve.stop();
        sandbox.stop();
    }
};

QTEST_GUILESS_MAIN(TestServeGroupCommit)
#include "tst_serve_group_commit.moc"
