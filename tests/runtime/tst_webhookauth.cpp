// Webhook authentication: HMAC-SHA256 signatures (good, wrong secret, tampered body, stale
// and future timestamps, replay), bearer tokens, the replay cache's bounds, and secrets
// resolved at start. Signatures are computed here independently of the code under test.
#include "model/projectjson.h"
#include "runtime/bundle/bundle.h"
#include "runtime/webhook/webhookauth.h"

#include <QMessageAuthenticationCode>
#include <QtTest>

using namespace sb;
using namespace sb::runtime;

namespace {

const QByteArray kSecret = "whsec-test-0123456789";
const qint64 kNow = 1760000000;

model::Trigger hmacTrigger(int tolerance = 300)
{
    model::Trigger t;
    t.type = model::TriggerType::Webhook;
    t.auth.type = model::WebhookAuthType::HmacSha256;
    t.auth.secretRef = QStringLiteral("env:TST_WEBHOOK_SECRET");
    t.auth.toleranceSeconds = tolerance;
    return t;
}

model::Trigger bearerTrigger()
{
    model::Trigger t;
    t.auth.type = model::WebhookAuthType::Bearer;
    t.auth.secretRef = QStringLiteral("env:TST_WEBHOOK_TOKEN");
    return t;
}

QByteArray sign(const QByteArray &secret, const QByteArray &ts, const QByteArray &body)
{
    return "sha256="
           + QMessageAuthenticationCode::hash(ts + "." + body, secret,
                                              QCryptographicHash::Sha256)
                 .toHex();
}

// Headers as the transport gives them: looked up by lower-case name, empty when absent.
using Headers = QHash<QByteArray, QByteArray>;
std::function<QByteArray(const QByteArray &)> lookup(const Headers &h)
{
    return [h](const QByteArray &name) { return h.value(name); };
}

Headers signedHeaders(const QByteArray &body, qint64 ts, const QByteArray &secret = kSecret)
{
    const QByteArray t = QByteArray::number(ts);
    return {{"x-switchboard-timestamp", t}, {"x-switchboard-signature", sign(secret, t, body)}};
}

WebhookAuthOutcome check(const model::Trigger &t, const QByteArray &body, const Headers &h,
                         ReplayCache &cache, qint64 now = kNow)
{
    return checkWebhookAuth(t, kSecret, QStringLiteral("wf"), body, lookup(h), now, cache);
}

void expectRefused(const WebhookAuthOutcome &o, const char *reasonPart)
{
    QVERIFY(!o.ok);
    QCOMPARE(o.status, 401);
    QVERIFY2(o.reason.contains(QLatin1String(reasonPart)), qPrintable(o.reason));
    QVERIFY(!o.wwwAuthenticate.isEmpty());
    QVERIFY2(!o.reason.contains(QString::fromLatin1(kSecret)), "the reason leaks the secret");
}

} // namespace

class TestWebhookAuth : public QObject
{
    Q_OBJECT

private slots:
    void goodSignature()
    {
        ReplayCache cache;
        const QByteArray body = R"({"id":"o-1","stage":"closed-won"})";
        const auto o = check(hmacTrigger(), body, signedHeaders(body, kNow), cache);
        QVERIFY2(o.ok, qPrintable(o.reason));
        QCOMPARE(o.status, 200);
        // The sender-side helper produces exactly the documented scheme.
        QCOMPARE(webhookSignature(kSecret, kNow, body),
                 sign(kSecret, QByteArray::number(kNow), body));
        // Upper-case hex is the same signature.
        Headers h = signedHeaders("{}", kNow - 1);
        h["x-switchboard-signature"] = "sha256=" + h["x-switchboard-signature"].mid(7).toUpper();
        QVERIFY(check(hmacTrigger(), "{}", h, cache).ok);
    }

    void wrongSecret()
    {
        ReplayCache cache;
        const QByteArray body = R"({"id":"o-1"})";
        expectRefused(check(hmacTrigger(), body, signedHeaders(body, kNow, "not-the-secret"),
                            cache),
                      "does not match");
    }

    void tamperedBody()
    {
        ReplayCache cache;
        const QByteArray body = R"({"id":"o-1","amount":100})";
        const Headers h = signedHeaders(body, kNow);
        expectRefused(check(hmacTrigger(), R"({"id":"o-1","amount":999})", h, cache),
                      "does not match");
        // Nor may the timestamp be moved while keeping the signature.
        Headers moved = h;
        moved["x-switchboard-timestamp"] = QByteArray::number(kNow + 1);
        expectRefused(check(hmacTrigger(), body, moved, cache), "does not match");
    }

    void missingOrMalformedHeaders()
    {
        ReplayCache cache;
        const QByteArray body = "{}";
        expectRefused(check(hmacTrigger(), body, {}, cache), "must be signed");
        Headers h = signedHeaders(body, kNow);
        h.remove("x-switchboard-signature");
        expectRefused(check(hmacTrigger(), body, h, cache), "must be signed");
        h = signedHeaders(body, kNow);
        h["x-switchboard-timestamp"] = "-5";
        expectRefused(check(hmacTrigger(), body, h, cache), "unix time");
        h = signedHeaders(body, kNow);
        h["x-switchboard-signature"] = h["x-switchboard-signature"].mid(7); // no sha256=
        expectRefused(check(hmacTrigger(), body, h, cache), "sha256=");
        h = signedHeaders(body, kNow);
        h["x-switchboard-signature"].chop(2);
        expectRefused(check(hmacTrigger(), body, h, cache), "sha256=");
    }

    void staleTimestamp()
    {
        ReplayCache cache;
        const QByteArray body = "{}";
        expectRefused(check(hmacTrigger(), body, signedHeaders(body, kNow - 301), cache),
                      "old");
        // At the edge of the window it is still accepted.
        QVERIFY(check(hmacTrigger(), body, signedHeaders(body, kNow - 300), cache).ok);
        // The window is the trigger's.
        expectRefused(check(hmacTrigger(10), body, signedHeaders(body, kNow - 11), cache),
                      "old");
    }

    void futureTimestamp()
    {
        ReplayCache cache;
        const QByteArray body = "{}";
        expectRefused(check(hmacTrigger(), body, signedHeaders(body, kNow + 301), cache),
                      "future");
        QVERIFY(check(hmacTrigger(), body, signedHeaders(body, kNow + 299), cache).ok);
    }

    void replay()
    {
        ReplayCache cache;
        const QByteArray body = R"({"id":"o-2"})";
        const Headers h = signedHeaders(body, kNow);
        QVERIFY(check(hmacTrigger(), body, h, cache).ok);
        // The same request again, a second later: inside the window, already seen.
        expectRefused(check(hmacTrigger(), body, h, cache, kNow + 1), "already used");
        // Outside the window it is refused as stale.
        expectRefused(check(hmacTrigger(), body, h, cache, kNow + 301), "old");
        // The same body signed at another time is another request; recording it drops the
        // entry that left the window, so the cache holds only the new one.
        QVERIFY(check(hmacTrigger(), body, signedHeaders(body, kNow + 400), cache,
                      kNow + 400).ok);
        QCOMPARE(cache.size(), std::size_t(1));
        // A signature for one workflow is not consumed by another.
        const auto other = checkWebhookAuth(hmacTrigger(), kSecret, QStringLiteral("other"),
                                            body, lookup(h), kNow + 1, cache);
        QVERIFY(other.ok);
    }

    void replayCacheIsBounded()
    {
        ReplayCache cache(3);
        for (int i = 0; i < 3; ++i)
            QVERIFY(cache.insert(QByteArray::number(i), kNow + 10, kNow)
                    == ReplayCache::Insert::Fresh);
        QVERIFY(cache.insert("0", kNow + 10, kNow) == ReplayCache::Insert::Seen);
        // Full of live entries: refused rather than forgetting one that could be replayed.
        QVERIFY(cache.insert("x", kNow + 10, kNow) == ReplayCache::Insert::Full);
        QCOMPARE(cache.size(), std::size_t(3));
        // Once they expire there is room again.
        QVERIFY(cache.insert("x", kNow + 30, kNow + 11) == ReplayCache::Insert::Fresh);
        QCOMPARE(cache.size(), std::size_t(1));

        // Through the check: a full cache answers 503, never accepts.
        ReplayCache tiny(1);
        QVERIFY(check(hmacTrigger(), "{}", signedHeaders("{}", kNow), tiny).ok);
        const auto busy = check(hmacTrigger(), "[]", signedHeaders("[]", kNow), tiny);
        QVERIFY(!busy.ok);
        QCOMPARE(busy.status, 503);
    }

    void bearer()
    {
        ReplayCache cache;
        const auto good = check(bearerTrigger(), "{}", {{"authorization", "Bearer " + kSecret}},
                                cache);
        QVERIFY2(good.ok, qPrintable(good.reason));
        QVERIFY(check(bearerTrigger(), "{}", {{"authorization", "bearer " + kSecret}}, cache).ok);
        expectRefused(check(bearerTrigger(), "{}", {{"authorization", "Bearer nope"}}, cache),
                      "wrong");
        expectRefused(check(bearerTrigger(), "{}",
                            {{"authorization", "Bearer " + kSecret + "x"}}, cache),
                      "wrong");
        expectRefused(check(bearerTrigger(), "{}", {{"authorization", "Basic " + kSecret}},
                            cache),
                      "wrong");
        expectRefused(check(bearerTrigger(), "{}", {}, cache), "Bearer");
        const auto o = check(bearerTrigger(), "{}", {}, cache);
        QVERIFY(o.wwwAuthenticate.startsWith("Bearer"));
    }

    void constantTimeCompareIsUsed()
    {
        QVERIFY(constantTimeEquals("abc", "abc"));
        QVERIFY(!constantTimeEquals("abc", "abd"));
        QVERIFY(!constantTimeEquals("abc", "ab"));
        QVERIFY(!constantTimeEquals("", "a"));
        QVERIFY(constantTimeEquals("", ""));
        // Every secret-dependent decision goes through it: signature and bearer checks.
        ReplayCache cache;
        quint64 before = constantTimeComparisons();
        check(hmacTrigger(), "{}", signedHeaders("{}", kNow, "wrong"), cache);
        QCOMPARE(constantTimeComparisons(), before + 1);
        before = constantTimeComparisons();
        check(bearerTrigger(), "{}", {{"authorization", "Bearer nope"}}, cache);
        QCOMPARE(constantTimeComparisons(), before + 1);
    }

    void noneUnsetAndNonWebhook()
    {
        ReplayCache cache;
        model::Trigger none;
        none.auth.type = model::WebhookAuthType::None;
        QVERIFY(checkWebhookAuth(none, {}, QStringLiteral("wf"), "{}", lookup({}), kNow, cache)
                    .ok);
        const model::Trigger unset;
        const auto o = checkWebhookAuth(unset, {}, QStringLiteral("wf"), "{}", lookup({}),
                                        kNow, cache);
        expectRefused(o, "webhook has no authentication configured");
        // A signing type whose secret is empty never accepts, not even an empty signature.
        const QByteArray t = QByteArray::number(kNow);
        const Headers h{{"x-switchboard-timestamp", t},
                        {"x-switchboard-signature", sign("", t, "{}")}};
        const auto empty = checkWebhookAuth(hmacTrigger(), {}, QStringLiteral("wf"), "{}",
                                            lookup(h), kNow, cache);
        QVERIFY(!empty.ok);
        model::Trigger schedule;
        schedule.type = model::TriggerType::Schedule;
        schedule.auth.type = model::WebhookAuthType::None;
        const auto s = checkWebhookAuth(schedule, {}, QStringLiteral("nightly"), "{}",
                                        lookup({}), kNow, cache);
        QVERIFY(!s.ok);
        QCOMPARE(s.status, 404);
    }

    void guardResolvesSecretsAtStart()
    {
        model::Project p;
        model::Workflow w;
        w.id = QStringLiteral("signed");
        w.trigger = hmacTrigger();
        w.trigger.auth.secretRef = QStringLiteral("env:TST_GUARD_SECRET_X1");
        p.workflows << w;
        qunsetenv("TST_GUARD_SECRET_X1");
        auto missing = WebhookGuard::create(p);
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.contains(QLatin1String("TST_GUARD_SECRET_X1"))
                     && missing.error().message.contains(QLatin1String("'signed'")),
                 qPrintable(missing.error().message));
        qputenv("TST_GUARD_SECRET_X1", kSecret);
        auto guard = WebhookGuard::create(p);
        QVERIFY(guard.ok());
        const QByteArray body = "{}";
        QVERIFY(guard.value().check(w, body, lookup(signedHeaders(body, kNow)), kNow).ok);
        // The guard keeps its own replay cache.
        QVERIFY(!guard.value().check(w, body, lookup(signedHeaders(body, kNow)), kNow).ok);
        qunsetenv("TST_GUARD_SECRET_X1");
    }

    void exportListsTheEnvironment()
    {
        auto loaded = model::loadProject(QStringLiteral(
            SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash/quote-to-cash.switchboard"));
        QVERIFY(loaded.ok());
        const auto vars = bundleEnvironment(loaded.value(), QStringLiteral("production"));
        QStringList names;
        for (const auto &v : vars)
            names << v.name;
        QVERIFY2(names.contains(QStringLiteral("SWITCHBOARD_ADMIN_TOKEN")),
                 qPrintable(names.join(',')));
        QVERIFY2(names.contains(QStringLiteral("Q2C_WEBHOOK_SECRET")),
                 qPrintable(names.join(',')));
        QCOMPARE(names.removeDuplicates(), qsizetype(0));
        // A keyring-held webhook secret reaches the bundle as an environment variable.
        model::Project p = loaded.takeValue();
        for (model::Workflow &w : p.workflows) {
            if (w.trigger.auth.type == model::WebhookAuthType::HmacSha256)
                w.trigger.auth.secretRef = QStringLiteral("keyring:switchboard/q2c-webhook");
        }
        auto bundle = exportBundle(p, ExportOptions());
        QVERIFY(bundle.ok());
        QVERIFY(!bundle.value().contains("keyring:"));
        QVERIFY(bundle.value().contains("env:SB_SECRET_WEBHOOK_CLOSED_WON_TO_CASH"));
        // A literal webhook secret refuses the export.
        for (model::Workflow &w : p.workflows) {
            if (w.trigger.auth.type == model::WebhookAuthType::HmacSha256)
                w.trigger.auth.secretRef = QStringLiteral("hunter2");
        }
        auto refused = exportBundle(p, ExportOptions());
        QVERIFY(!refused.ok());
        QVERIFY(!refused.error().message.contains(QLatin1String("hunter2")));
    }
};

QTEST_GUILESS_MAIN(TestWebhookAuth)
#include "tst_webhookauth.moc"
