// Webhook authentication through a real `switchboard-run serve` process on loopback: unsigned,
// wrongly signed, replayed and stale requests are refused with 401, a correctly signed one
// and an explicitly unsigned ("none") trigger are accepted, bearer tokens are checked,
// /hooks/{id} does not start schedule workflows, and a missing secret stops serve at start.
#include "serve_harness.h"

#include "model/projectjson.h"
#include "runtime/bundle/bundle.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace e2e;
using namespace sb;

namespace {

const QString kFixture =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/runtime/data/engine/engine.switchboard");
const QByteArray kSecret = "e2e-hmac-secret";
const QByteArray kBearer = "e2e-bearer-token";
const int kTolerance = 2; // seconds: short, so the test can wait a window out

QByteArray body(int n)
{
    return QStringLiteral(R"({"id":"A%1","name":"Acme %1","rev":1})").arg(n).toUtf8();
}

} // namespace

class TestServeAuth : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto loaded = model::loadProject(kFixture);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error().toString()));
        model::Project p = loaded.takeValue();
        QVERIFY(p.workflow(QStringLiteral("sync")));
        // A copy: the list it lives in is replaced below.
        const model::Workflow sync = *p.workflow(QStringLiteral("sync"));
        auto variant = [&](const char *id, model::WebhookAuthType type, const char *ref) {
            model::Workflow w = sync;
            w.id = QLatin1String(id);
            w.trigger.auth.type = type;
            w.trigger.auth.secretRef = QLatin1String(ref);
            w.trigger.auth.toleranceSeconds = kTolerance;
            return w;
        };
        using T = model::WebhookAuthType;
        p.workflows = {variant("signed", T::HmacSha256, "env:SB_E2E_HOOK_SECRET"),
                       variant("open", T::None, ""),
                       variant("token", T::Bearer, "env:SB_E2E_HOOK_TOKEN"),
                       variant("unset", T::Unset, "")};
        model::Workflow nightly = variant("nightly", T::Unset, "");
        nightly.trigger.type = model::TriggerType::Schedule;
        nightly.trigger.schedule = QStringLiteral("0 3 * * *");
        p.workflows << nightly;
        // exportBundle itself does not validate, so a trigger without auth can be shipped
        // here to show what serve does with one.
        auto bundle = runtime::exportBundle(p, runtime::ExportOptions());
        QVERIFY2(bundle.ok(), qPrintable(bundle.error().toString()));
        m_bundle = m_dir.filePath(QStringLiteral("auth.bundle.json"));
        QVERIFY(model::writeFileAtomically(m_bundle, bundle.value()).ok());
    }

    void refusesAndAccepts()
    {
        qputenv("SB_E2E_HOOK_SECRET", kSecret);
        qputenv("SB_E2E_HOOK_TOKEN", kBearer);
        Runner serve;
        const QString base =
            serve.start({QStringLiteral("serve"), m_bundle, QStringLiteral("--db"),
                         m_dir.filePath(QStringLiteral("a.db")), QStringLiteral("--init"),
                         QStringLiteral("--listen"),
                         QStringLiteral("127.0.0.1:0")});
        QVERIFY2(!base.isEmpty(), qPrintable(serve.errors()));
        const QString signedHook = base + QStringLiteral("/hooks/signed");

        // Unsigned: 401 with a problem body and a challenge.
        Http h = request("POST", signedHook, body(1));
        QCOMPARE(h.status, 401);
        QVERIFY2(h.type.startsWith("application/problem+json"), h.type.constData());
        QVERIFY2(h.authenticate.contains("Switchboard-HMAC-SHA256"), h.authenticate.constData());
        QVERIFY(h.json().object().value(QStringLiteral("detail")).toString().contains(
            QLatin1String("must be signed")));

        // Signed with the wrong secret, or the body changed after signing: 401.
        h = request("POST", signedHook, body(1), signatureHeaders(body(1), "wrong-secret"));
        QCOMPARE(h.status, 401);
        h = request("POST", signedHook, body(2), signatureHeaders(body(1), kSecret));
        QCOMPARE(h.status, 401);
        // Signed long ago (outside the window): 401.
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        h = request("POST", signedHook, body(1), signatureHeaders(body(1), kSecret, now - 60));
        QCOMPARE(h.status, 401);
        QVERIFY2(h.body.contains("old"), h.body.constData());

        // Correctly signed: accepted and run.
        const Headers good = signatureHeaders(body(1), kSecret);
        h = request("POST", signedHook, body(1), good);
        QVERIFY2(h.status == 202, qPrintable(QString::number(h.status) + h.body));
        // The same signed request again: a replay, 401 (not a de-duplicated 200).
        h = request("POST", signedHook, body(1), good);
        QCOMPARE(h.status, 401);
        QVERIFY2(h.body.contains("already used"), h.body.constData());
        // Replayed once the window has passed: still 401, now as stale.
        QTest::qWait((kTolerance + 2) * 1000);
        h = request("POST", signedHook, body(1), good);
        QCOMPARE(h.status, 401);
        QVERIFY2(h.body.contains("old"), h.body.constData());
        // Re-sent by the sender with a fresh signature: authenticated, then de-duplicated.
        h = request("POST", signedHook, body(1), signatureHeaders(body(1), kSecret));
        QCOMPARE(h.status, 200);

        // Explicitly unsigned trigger: accepted without any header.
        h = request("POST", base + QStringLiteral("/hooks/open"), body(3));
        QCOMPARE(h.status, 202);

        // Bearer.
        const QString tokenHook = base + QStringLiteral("/hooks/token");
        h = request("POST", tokenHook, body(4), Headers{{"Authorization", "Bearer nope"}});
        QCOMPARE(h.status, 401);
        QVERIFY2(h.authenticate.startsWith("Bearer"), h.authenticate.constData());
        h = request("POST", tokenHook, body(4), Headers{{"Authorization", "Bearer " + kBearer}});
        QCOMPARE(h.status, 202);

        // No auth configured at all: refused, whatever is sent.
        h = request("POST", base + QStringLiteral("/hooks/unset"), body(5));
        QCOMPARE(h.status, 401);
        QVERIFY2(h.body.contains("webhook has no authentication configured"), h.body.constData());

        // A schedule workflow is not started from outside.
        h = request("POST", base + QStringLiteral("/hooks/nightly"), body(6));
        QCOMPARE(h.status, 404);

        // Exactly the three accepted webhooks started instances.
        const QJsonArray all = waitAllTerminal(base, 3, 20000);
        QCOMPARE(all.size(), 3);
        QVERIFY2(serve.running(), qPrintable(serve.describe()));
    }

    void missingSecretStopsServe()
    {
        QProcess serve;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("SB_E2E_HOOK_SECRET"));
        env.insert(QStringLiteral("SB_E2E_HOOK_TOKEN"), QString::fromLatin1(kBearer));
        serve.setProcessEnvironment(env);
        serve.start(QStringLiteral(SWITCHBOARD_RUN_EXE),
                    {QStringLiteral("serve"), m_bundle, QStringLiteral("--db"),
                     m_dir.filePath(QStringLiteral("m.db")), QStringLiteral("--init"),
                         QStringLiteral("--listen"),
                     QStringLiteral("127.0.0.1:0")});
        QVERIFY(serve.waitForFinished(15000));
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 2);
        const QByteArray err = serve.readAllStandardError();
        QVERIFY2(err.contains("SB_E2E_HOOK_SECRET") && err.contains("'signed'"),
                 err.constData());
        QVERIFY(!serve.readAllStandardOutput().contains("listening"));
    }

private:
    QTemporaryDir m_dir;
    QString m_bundle;
};

QTEST_GUILESS_MAIN(TestServeAuth)
#include "tst_serve_auth.moc"
