#include "runtime/webhook/webhookauth.h"

#include "runtime/common/secrets.h"

#include <QCryptographicHash>
#include <QFile>
#include <QMessageAuthenticationCode>

#include <algorithm>
#include <atomic>
#include <optional>

namespace sb::runtime {

namespace {

std::atomic<quint64> g_comparisons{0};

constexpr qint64 kMaxSecretFileBytes = 64 * 1024;

const QByteArray kHmacChallenge =
    "Switchboard-HMAC-SHA256 headers=\"X-Switchboard-Timestamp X-Switchboard-Signature\"";
const QByteArray kBearerChallenge = "Bearer realm=\"switchboard-webhooks\"";

WebhookAuthOutcome refused(const QString &reason, const QByteArray &challenge)
{
    WebhookAuthOutcome o;
    o.status = 401;
    o.reason = reason;
    o.wwwAuthenticate = challenge;
    return o;
}

WebhookAuthOutcome accepted()
{
    WebhookAuthOutcome o;
    o.ok = true;
    o.status = 200;
    return o;
}

// Digits only, no sign or spaces: what a sender writes with its clock in seconds.
std::optional<qint64> parseTimestamp(const QByteArray &text)
{
    if (text.isEmpty() || text.size() > 12)
        return std::nullopt;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
    }
    return text.toLongLong();
}

bool isHex(const QByteArray &text)
{
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

WebhookAuthOutcome checkHmac(const model::WebhookAuth &auth, const QByteArray &secret,
                             const QString &workflowId, const QByteArray &body,
                             const std::function<QByteArray(const QByteArray &)> &header,
                             qint64 nowSecs, ReplayCache &cache)
{
    const QByteArray tsText = header(kTimestampHeader).trimmed();
    const QByteArray sigText = header(kSignatureHeader).trimmed();
    if (tsText.isEmpty() || sigText.isEmpty()) {
        return refused(QStringLiteral("webhook '%1' must be signed: send X-Switchboard-"
                                      "Timestamp and X-Switchboard-Signature").arg(workflowId),
                       kHmacChallenge);
    }
    const auto ts = parseTimestamp(tsText);
    if (!ts)
        return refused(QStringLiteral("X-Switchboard-Timestamp must be unix time in seconds"),
                       kHmacChallenge);
    const qint64 tolerance = auth.toleranceSeconds;
    if (*ts < nowSecs - tolerance)
        return refused(QStringLiteral("X-Switchboard-Timestamp is %1 s old, more than the %2 s "
                                      "allowed (stale or replayed request)")
                           .arg(nowSecs - *ts).arg(tolerance),
                       kHmacChallenge);
    if (*ts > nowSecs + tolerance)
        return refused(QStringLiteral("X-Switchboard-Timestamp is %1 s in the future, more "
                                      "than the %2 s allowed (check the sender's clock)")
                           .arg(*ts - nowSecs).arg(tolerance),
                       kHmacChallenge);
    const QByteArray prefix = "sha256=";
    const QByteArray hex = sigText.startsWith(prefix) ? sigText.mid(prefix.size()) : QByteArray();
    if (hex.size() != 64 || !isHex(hex))
        return refused(QStringLiteral("X-Switchboard-Signature must be sha256=<64 hex digits>"),
                       kHmacChallenge);
    const QByteArray given = QByteArray::fromHex(hex);
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, secret);
    mac.addData(tsText);
    mac.addData(".");
    mac.addData(body);
    if (!constantTimeEquals(mac.result(), given))
        return refused(QStringLiteral("X-Switchboard-Signature does not match the body and "
                                      "timestamp (wrong secret or modified request)"),
                       kHmacChallenge);
    // Only signatures that verified are remembered, so strangers cannot fill the cache.
    const QByteArray key = workflowId.toUtf8() + '\n' + given;
    switch (cache.insert(key, *ts + tolerance, nowSecs)) {
    case ReplayCache::Insert::Fresh:
        return accepted();
    case ReplayCache::Insert::Seen:
        return refused(QStringLiteral("this signature was already used (replayed request)"),
                       kHmacChallenge);
    case ReplayCache::Insert::Full:
        break;
    }
    WebhookAuthOutcome busy;
    busy.status = 503;
    busy.reason = QStringLiteral("too many signed webhooks within the replay window; retry "
                                 "later");
    return busy;
}

WebhookAuthOutcome checkBearer(const QByteArray &secret, const QString &workflowId,
                               const std::function<QByteArray(const QByteArray &)> &header)
{
    const QByteArray value = header("authorization").trimmed();
    if (value.isEmpty())
        return refused(QStringLiteral("webhook '%1' needs Authorization: Bearer <token>")
                           .arg(workflowId),
                       kBearerChallenge);
    const QByteArray scheme = "bearer ";
    const QByteArray token = value.left(scheme.size()).toLower() == scheme
                                 ? value.mid(scheme.size()).trimmed()
                                 : QByteArray();
    // Digests of equal length, so not even the token's length shows in the timing.
    const QByteArray a = QCryptographicHash::hash(token, QCryptographicHash::Sha256);
    const QByteArray b = QCryptographicHash::hash(secret, QCryptographicHash::Sha256);
    if (token.isEmpty() || !constantTimeEquals(a, b))
        return refused(QStringLiteral("the bearer token is wrong"), kBearerChallenge);
    return accepted();
}

} // namespace

QString WebhookAuthOutcome::title() const
{
    switch (status) {
    case 200: return QStringLiteral("OK");
    case 404: return QStringLiteral("Not Found");
    case 503: return QStringLiteral("Service Unavailable");
    default: return QStringLiteral("Unauthorized");
    }
}

ReplayCache::Insert ReplayCache::insert(const QByteArray &key, qint64 expiresAt,
                                        qint64 nowSecs)
{
    prune(nowSecs);
    if (m_keys.contains(key))
        return Insert::Seen;
    if (std::size_t(m_keys.size()) >= m_capacity)
        return Insert::Full;
    m_keys.insert(key);
    m_byExpiry.emplace(expiresAt, key);
    return Insert::Fresh;
}

void ReplayCache::prune(qint64 nowSecs)
{
    // An entry is needed while its timestamp is still inside the window (expiresAt >= now).
    auto end = m_byExpiry.lower_bound(nowSecs);
    for (auto it = m_byExpiry.begin(); it != end; ++it)
        m_keys.remove(it->second);
    m_byExpiry.erase(m_byExpiry.begin(), end);
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    g_comparisons.fetch_add(1, std::memory_order_relaxed);
    const qsizetype n = std::max(a.size(), b.size());
    volatile unsigned diff = a.size() == b.size() ? 0u : 1u;
    for (qsizetype i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff = diff | unsigned(x ^ y);
    }
    return diff == 0;
}

quint64 constantTimeComparisons() { return g_comparisons.load(std::memory_order_relaxed); }

QByteArray webhookSignature(const QByteArray &secret, qint64 timestamp, const QByteArray &body)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, secret);
    mac.addData(QByteArray::number(timestamp));
    mac.addData(".");
    mac.addData(body);
    return "sha256=" + mac.result().toHex();
}

WebhookAuthOutcome checkWebhookAuth(
    const model::Trigger &trigger, const QByteArray &secret, const QString &workflowId,
    const QByteArray &body, const std::function<QByteArray(const QByteArray &)> &header,
    qint64 nowSecs, ReplayCache &cache)
{
    if (trigger.type != model::TriggerType::Webhook) {
        WebhookAuthOutcome o;
        o.status = 404;
        o.reason = QStringLiteral("workflow '%1' is started by its %2 trigger, not by a "
                                  "webhook").arg(workflowId, toString(trigger.type));
        return o;
    }
    switch (trigger.auth.type) {
    case model::WebhookAuthType::None:
        return accepted();
    case model::WebhookAuthType::HmacSha256:
        if (secret.isEmpty())
            break;
        return checkHmac(trigger.auth, secret, workflowId, body, header, nowSecs, cache);
    case model::WebhookAuthType::Bearer:
        if (secret.isEmpty())
            break;
        return checkBearer(secret, workflowId, header);
    case model::WebhookAuthType::Unset:
        return refused(QStringLiteral("webhook has no authentication configured (workflow "
                                      "'%1'; set its trigger's auth in the project)")
                           .arg(workflowId),
                       kHmacChallenge);
    }
    // A signing type without a secret: never accept (serve resolves secrets at start).
    return refused(QStringLiteral("webhook '%1' has no secret to check against")
                       .arg(workflowId),
                   kHmacChallenge);
}

Result<WebhookGuard> WebhookGuard::create(const model::Project &project)
{
    WebhookGuard guard;
    for (const model::Workflow &w : project.workflows) {
        const model::WebhookAuth &a = w.trigger.auth;
        if (w.trigger.type != model::TriggerType::Webhook
            || (a.type != model::WebhookAuthType::HmacSha256
                && a.type != model::WebhookAuthType::Bearer))
            continue;
        const QString ref = a.secretRef.trimmed();
        QByteArray secret;
        QString missing;
        if (ref.startsWith(QLatin1String("env:"))) {
            secret = qgetenv(ref.mid(4).toLocal8Bit().constData());
            missing = QStringLiteral("environment variable %1 is not set or empty")
                          .arg(ref.mid(4));
        } else if (ref.startsWith(QLatin1String("file:/"))) {
            QFile f(ref.mid(5));
            if (f.open(QIODevice::ReadOnly))
                secret = f.read(kMaxSecretFileBytes).trimmed();
            missing = QStringLiteral("file %1 is unreadable or empty").arg(ref.mid(5));
        } else if (!ref.isEmpty()) {
            secret = resolveSecret(ref);
            missing = QStringLiteral("reference %1 cannot be resolved here").arg(ref);
        } else {
            missing = QStringLiteral("no secret reference is set");
        }
        if (secret.isEmpty()) {
            Error e;
            e.message = QStringLiteral("workflow '%1': the %2 webhook secret is missing: %3")
                            .arg(w.id, toString(a.type), missing);
            return e;
        }
        guard.m_secrets.insert(w.id, secret);
    }
    return guard;
}

WebhookAuthOutcome WebhookGuard::check(const model::Workflow &workflow, const QByteArray &body,
                                       const std::function<QByteArray(const QByteArray &)> &header,
                                       qint64 nowSecs)
{
    return checkWebhookAuth(workflow.trigger, m_secrets.value(workflow.id), workflow.id, body,
                            header, nowSecs, m_cache);
}

} // namespace sb::runtime
