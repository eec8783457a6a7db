#pragma once

// Simulated systems of a project: one REST resource store per system entity, validating
// payloads against JSON Schemas built from the entity fields (valijson), honouring
// Idempotency-Key, emitting CloudEvents 1.0 change events and injecting faults (latency,
// error rate, 429 rate limits, outages). handle() is the whole HTTP surface as a function, so
// simulations call it in-process and SandboxServer puts it on a loopback port unchanged.

#include "model/project.h"
#include "model/result.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QRandomGenerator>
#include <QString>
#include <QVector>

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>

namespace sb::runtime {

struct SandboxRequest
{
    QString method;          // GET, POST, PUT, PATCH, DELETE
    QString path;            // /crm/Account/A1, without query
    QString query;           // since=3 (no leading '?')
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
};

struct SandboxResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;         // JSON, or empty for 204
    int delayMs = 0;         // injected latency the transport should wait before answering
    QByteArray header(const QByteArray &name) const;
};

// Faults of one system. Outage windows are [start, end) in ms since the sandbox started.
struct FaultConfig
{
    int latencyMs = 0;
    double errorRate = 0;    // 0..1: share of requests answered with 500/502/503
    double rateLimitPerSecond = 0; // 0: unlimited; above it: 429 with Retry-After
    bool outage = false;     // every request: 503 with Retry-After
    QVector<QPair<qint64, qint64>> outageWindows;
    int retryAfterSeconds = 1;
};

class Sandbox : public QObject
{
    Q_OBJECT
public:
    ~Sandbox() override;

    // Builds schemas for every system entity and seeds them from the project's data sets,
    // whose files are relative to `projectDir`. Errors name the data set file and line.
    static Result<std::unique_ptr<Sandbox>> create(const model::Project &project,
                                                   const QString &projectDir,
                                                   quint64 seed = 1);

    SandboxResponse handle(const SandboxRequest &request);

    Result<bool> setFaults(const QString &system, const FaultConfig &faults);
    // Applies a JSON object {system, latencyMs, errorRate, rateLimitPerSecond, outage,
    // outageWindows: [[startMs, endMs]], retryAfterSeconds}, or an array of them.
    Result<bool> setFaultsJson(const QByteArray &json);
    std::optional<FaultConfig> faults(const QString &system) const;
    QByteArray faultsJson() const;

    // In-process access for simulations and tests.
    std::optional<nlohmann::ordered_json> record(const QString &system, const QString &entity,
                                                 const QString &id) const;
    int recordCount(const QString &system, const QString &entity) const;
    // CloudEvents with sequence > since, oldest first; at most `limit` of them (< 0: all).
    QVector<nlohmann::ordered_json> eventsSince(qint64 since, int limit = -1) const;
    qint64 lastEventSequence() const { return m_nextEvent - 1; }
    // The JSON Schema a payload of the entity is validated against.
    const nlohmann::json *schema(const QString &system, const QString &entity) const;

signals:
    // One CloudEvents 1.0 JSON envelope per change (created, updated, deleted).
    void changed(const QByteArray &cloudEvent);

private:
    struct Collection;
    struct IdempotentCall
    {
        QByteArray fingerprint;
        SandboxResponse response;
    };
    Sandbox() = default;
    Collection *collection(const QString &system, const QString &entity);
    std::optional<SandboxResponse> injectFault(const QString &system);
    SandboxResponse handleResource(const SandboxRequest &request, const QStringList &parts);
    std::optional<SandboxResponse> replayIdempotent(const Collection &c,
                                                    const SandboxRequest &request,
                                                    const QString &method, QString *idemSlot,
                                                    QByteArray *fingerprint) const;
    SandboxResponse deleteRecord(Collection &c, const QString &id);
    SandboxResponse handleAdmin(const SandboxRequest &request, const QStringList &parts);
    void emitEvent(const Collection &c, const QString &action, const QString &id,
                   const nlohmann::ordered_json &data);
    Result<int> seed(const model::Dataset &dataset, const QString &projectDir);

    model::Project m_project;
    std::map<QString, std::unique_ptr<Collection>> m_collections; // "system/entity"
    QHash<QString, FaultConfig> m_faults;
    QHash<QString, QVector<qint64>> m_requestTimes; // per system, for the rate limit
    QHash<QString, IdempotentCall> m_idempotency;   // "system\nkey"
    QVector<nlohmann::ordered_json> m_events;
    qint64 m_nextEvent = 1;
    QRandomGenerator m_random;
    QElapsedTimer m_clock;
};

} // namespace sb::runtime
