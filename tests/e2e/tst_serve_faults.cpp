// serve against a faulty sandbox process over loopback: 20% 5xx plus a 429 rate limit with
// Retry-After. Malformed bodies get 400 problem+json while serving goes on; duplicates name
// the original; every valid webhook ends completed or dead-lettered with a reason; dead
// letters replayed after the faults are cleared complete; no write is duplicated.
#include "serve_harness.h"

#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace e2e;

namespace {

const QString kProject =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/e2e/data/durable/durable.switchboard");
constexpr int kValid = 140;

// Every 40th record has a name too long for the ERP (business error, 422 -> dead letter).
bool isBad(int i) { return i % 40 == 39; }

QByteArray payload(int i)
{
    const QString name = isBad(i) ? QStringLiteral("Faulty Name Far Too Long For The ERP %1")
                                        .arg(i).leftJustified(50, QLatin1Char('x'))
                                  : QStringLiteral("Fault Co %1").arg(i);
    return QStringLiteral(R"({"id":"F%1","name":"%2","amount":%3,"rev":1})")
        .arg(i).arg(name).arg(10 + i).toUtf8();
}

qint64 metric(const QByteArray &text, const QByteArray &name)
{
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(name + ' '))
            return line.mid(name.size() + 1).trimmed().toLongLong();
    }
    return -1;
}

} // namespace

class TestServeFaults : public QObject
{
    Q_OBJECT
private slots:
    void faultsRetriesDeadLettersReplay()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString bundle = dir.filePath(QStringLiteral("bundle.json"));
        QVERIFY(exportBundle(kProject, bundle));

        Runner sandbox;
        const QString sb = sandbox.start({QStringLiteral("sandbox"), kProject,
                                          QStringLiteral("--listen"),
                                          QStringLiteral("127.0.0.1:0")});
        QVERIFY2(!sb.isEmpty(), qPrintable(sandbox.errors()));
        const Http f = request("POST", sb + QStringLiteral("/_sandbox/faults"),
                               R"({"system":"erp","errorRate":0.2,"rateLimitPerSecond":100,)"
                               R"("retryAfterSeconds":1})");
        QCOMPARE(f.status, 200);

        Runner serve;
        const QString base = serve.start({QStringLiteral("serve"), bundle, QStringLiteral("--db"),
                                          dir.filePath(QStringLiteral("serve.db")),
                                          QStringLiteral("--init"),
                                          QStringLiteral("--sandbox-url"), sb,
                                          QStringLiteral("--listen"),
                                          QStringLiteral("127.0.0.1:0")});
        QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
        const QString hook = base + QStringLiteral("/hooks/pipeline");

        const QList<QByteArray> malformed{"{not json", "[1,2,3]", "", "\"text\"",
                                          "{\"id\":\"F1\",", "null"};
        QHash<QString, QString> accepted; // event id -> instance
        QSet<QString> bad;
        int malformedSent = 0, duplicatesSent = 0;
        for (int i = 0; i < kValid; ++i) {
            const Http h = request("POST", hook, payload(i));
            QVERIFY2(h.status == 202, qPrintable(QString::number(h.status) + h.body));
            accepted.insert(QStringLiteral("F%1").arg(i),
                            h.json().object()[QStringLiteral("instanceId")].toString());
            if (isBad(i))
                bad.insert(accepted.value(QStringLiteral("F%1").arg(i)));
            if (i % 23 == 5 && malformedSent < malformed.size()) {
                const Http m = request("POST", hook, malformed[malformedSent++]);
                QCOMPARE(m.status, 400);
                QVERIFY2(m.type.startsWith("application/problem+json"), m.type.constData());
                QCOMPARE(m.json().object()[QStringLiteral("status")].toInt(), 400);
            }
            if (i % 17 == 16) { // a duplicate of an earlier event id
                const int j = i / 2;
                const Http d = request("POST", hook, payload(j));
                QCOMPARE(d.status, 200);
                QCOMPARE(d.json().object()[QStringLiteral("instanceId")].toString(),
                         accepted.value(QStringLiteral("F%1").arg(j)));
                ++duplicatesSent;
            }
        }
        QVERIFY(malformedSent >= 5);
        QVERIFY(duplicatesSent >= 5);

        QJsonArray list = waitAllTerminal(base, kValid, 120000);
        QCOMPARE(list.size(), kValid);
        int completed = 0, dead = 0;
        for (const auto &v : list) {
            const QJsonObject o = v.toObject();
            const QString status = o[QStringLiteral("status")].toString();
            QVERIFY2(status == QLatin1String("completed")
                         || status == QLatin1String("dead-lettered"),
                     qPrintable(status));
            (status == QLatin1String("completed") ? completed : dead) += 1;
            if (bad.contains(o[QStringLiteral("id")].toString()))
                QCOMPARE(status, QStringLiteral("dead-lettered"));
        }
        for (const QString &id : accepted) {
            bool found = false;
            for (const auto &v : list)
                found = found || v.toObject()[QStringLiteral("id")].toString() == id;
            QVERIFY2(found, qPrintable(id));
        }
        const Http m = getJson(base + QStringLiteral("/metrics"));
        QCOMPARE(m.status, 200);
        const qint64 retries = metric(m.body, "switchboard_retries_total");
        qInfo() << "completed" << completed << "dead-lettered" << dead << "retries" << retries;
        QVERIFY(retries > 0);

        // Each dead letter names its step and reason; the bad records a business error.
        const QJsonArray letters = getJson(base + QStringLiteral("/api/dead-letters"), true)
                                       .json().array();
        QCOMPARE(letters.size(), dead);
        for (const auto &v : letters) {
            const QJsonObject d = v.toObject();
            QVERIFY(!d[QStringLiteral("error")].toString().isEmpty());
            QVERIFY(!d[QStringLiteral("step")].toString().isEmpty());
            const QString error = d[QStringLiteral("error")].toString();
            // A bad record meets the ERP schema (400) unless faults exhausted its retries.
            if (bad.contains(d[QStringLiteral("instanceId")].toString()))
                QVERIFY2(error.contains(QLatin1String("HTTP 400"))
                             || error.contains(QLatin1String("gave up")),
                         qPrintable(error));
        }

        // Clear the faults, replay every dead letter (bad ones with a fixed name).
        QCOMPARE(request("POST", sb + QStringLiteral("/_sandbox/faults"),
                         R"({"system":"erp","errorRate":0,"rateLimitPerSecond":0})").status,
                 200);
        for (const auto &v : letters) {
            const QJsonObject d = v.toObject();
            const QString instance = d[QStringLiteral("instanceId")].toString();
            QByteArray edited;
            if (bad.contains(instance)) {
                QJsonObject vars = d[QStringLiteral("context")].toObject()
                                       [QStringLiteral("variables")].toObject();
                vars[QStringLiteral("name")] = QStringLiteral("Fixed Co");
                edited = QJsonDocument(vars).toJson(QJsonDocument::Compact);
            }
            const Http r = request("POST", base + QStringLiteral("/api/dead-letters/%1/replay")
                                                      .arg(d[QStringLiteral("id")].toInt()),
                                   edited, true);
            QVERIFY2(r.status == 202, qPrintable(QString::fromUtf8(r.body) + QStringLiteral(
                                                     "; serve ") + serve.describe()));
            QCOMPARE(r.json().object()[QStringLiteral("instanceId")].toString(), instance);
        }
        list = waitAllTerminal(base, kValid, 60000);
        for (const auto &v : list)
            QCOMPARE(v.toObject()[QStringLiteral("status")].toString(),
                     QStringLiteral("completed"));

        // No duplicated effect despite retries: one record per instance per write.
        auto distinct = [&](const QString &entity, const QString &field, int *total) {
            const Http h = getJson(sb + QStringLiteral("/erp/") + entity);
            if (h.status != 200)
                qWarning() << entity << h.status << h.body.left(300) << sandbox.describe();
            const QJsonArray a = h.json().array();
            QSet<QString> out;
            for (const auto &v : a)
                out.insert(v.toObject()[field].toVariant().toString());
            *total = int(a.size());
            return out;
        };
        QVERIFY2(sandbox.running(), qPrintable(sandbox.describe()));
        int total = 0;
        const QSet<QString> refs = distinct(QStringLiteral("Customer"),
                                            QStringLiteral("externalRef"), &total);
        QStringList missing;
        for (auto it = accepted.cbegin(); it != accepted.cend(); ++it) {
            if (!refs.contains(it.key()))
                missing << it.key() + QLatin1Char('=') + it.value();
        }
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("no ERP customer for ")
                                               + missing.join(QLatin1Char(' '))));
        QCOMPARE(refs.size(), kValid);
        QCOMPARE(total, kValid);
        QCOMPARE(distinct(QStringLiteral("Order"), QStringLiteral("customerRef"), &total).size(),
                 kValid);
        QCOMPARE(total, kValid);
        QCOMPARE(distinct(QStringLiteral("Shipment"), QStringLiteral("orderRef"), &total).size(),
                 kValid);
        QCOMPARE(total, kValid);
        QVERIFY(serve.running()); // it kept serving through all of it
        serve.stop();
        sandbox.stop();
    }
};

QTEST_GUILESS_MAIN(TestServeFaults)
#include "tst_serve_faults.moc"
