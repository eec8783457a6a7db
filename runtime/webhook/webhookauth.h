#pragma once

// Authentication of inbound webhooks (/hooks/{id}), per trigger (model::WebhookAuth):
//   hmac-sha256: X-Switchboard-Timestamp: <unix seconds>
//                X-Switchboard-Signature: sha256=<hex HMAC-SHA256(secret, ts + "." + body)>
//                the timestamp within +-toleranceSeconds, each signature accepted once;
//   bearer:      Authorization: Bearer <secret>;
//   none:        accepted unauthenticated (the project said so; validate warns);
//   unset:       refused.
// Every comparison of a secret-derived value is constant time.

#include "model/project.h"
#include "model/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QSet>
#include <QString>

#include <cstddef>
#include <functional>
#include <map>

namespace sb::runtime {

inline constexpr const char *kTimestampHeader = "x-switchboard-timestamp";
inline constexpr const char *kSignatureHeader = "x-switchboard-signature";

struct WebhookAuthOutcome
{
    bool ok = false;
    int status = 401;        // 200 when ok; 401 refused; 404 not a webhook; 503 cache full
    QString reason;          // for the problem body and logs; never contains a secret
    QByteArray wwwAuthenticate; // the WWW-Authenticate value that goes with a 401
    QString title() const;   // the problem+json title for `status`
};

// Signatures seen recently, so a captured request cannot be sent again. An entry lives only
// until its timestamp leaves the window (after that the timestamp check refuses it anyway),
// and the cache never holds more than `capacity` entries: when full of live entries it
// refuses new ones rather than forget one that could then be replayed.
class ReplayCache
{
public:
    explicit ReplayCache(std::size_t capacity = 100000) : m_capacity(capacity) {}
    enum class Insert { Fresh, Seen, Full };
    // Records `key` until `expiresAt` (unix seconds); first drops what expired by `nowSecs`.
    Insert insert(const QByteArray &key, qint64 expiresAt, qint64 nowSecs);
    std::size_t size() const { return std::size_t(m_keys.size()); }

private:
    void prune(qint64 nowSecs);
    std::size_t m_capacity;
    QSet<QByteArray> m_keys;
    std::multimap<qint64, QByteArray> m_byExpiry;
};

// Equal contents, in time that depends only on the lengths (never on where they differ).
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);
// How many times constantTimeEquals ran in this process: lets tests prove the checks use it.
quint64 constantTimeComparisons();

// sha256=<hex> for `body` sent at `timestamp`: what a sender puts in X-Switchboard-Signature.
QByteArray webhookSignature(const QByteArray &secret, qint64 timestamp, const QByteArray &body);

// Checks one request against `trigger`'s auth. `secret` is the resolved secret (unused for
// none); `header` returns a request header by its lower-case name (empty when absent).
WebhookAuthOutcome checkWebhookAuth(
    const model::Trigger &trigger, const QByteArray &secret, const QString &workflowId,
    const QByteArray &body, const std::function<QByteArray(const QByteArray &)> &header,
    qint64 nowSecs, ReplayCache &cache);

// The resolved secrets of every webhook trigger, and the replay cache, for serve.
class WebhookGuard
{
public:
    // Resolves every hmac-sha256 / bearer secret now (env:NAME, file:/path, or what the
    // installed SecretResolver knows). Error names the workflow and the variable when one
    // is missing or empty: serve must refuse to start rather than refuse every webhook.
    static Result<WebhookGuard> create(const model::Project &project);

    // The check for POST /hooks/{workflowId}; 404 when the workflow's trigger is not a
    // webhook (schedules and events are not started from outside).
    WebhookAuthOutcome check(const model::Workflow &workflow, const QByteArray &body,
                             const std::function<QByteArray(const QByteArray &)> &header,
                             qint64 nowSecs);

private:
    QHash<QString, QByteArray> m_secrets; // workflow id -> secret
    ReplayCache m_cache;
};

} // namespace sb::runtime
