#pragma once

// The run panel's worker: owns one sb::runtime::Simulation (sandbox, store, engine) on a
// thread of its own, so a 10,000-record run never blocks the studio. RunController calls its
// slots through queued invocations; cancel and fault changes travel through RunShared,
// which the record loop reads between records.

#include "model/project.h"
#include "runtime/engine/simulation.h"

#include <QObject>
#include <QVariantMap>

#include <atomic>
#include <memory>
#include <mutex>

struct RunShared
{
    std::atomic_bool cancel{false};   // stop feeding records; finish what started
    std::atomic_bool abort{false};    // the studio is closing: stop everything
    std::atomic_int faultVersion{0};
    std::mutex mutex;
    // System id ("" = every system) -> faults; guarded by mutex.
    QVector<QPair<QString, sb::runtime::FaultConfig>> faults;
};

struct RunRequest
{
    sb::model::Project project;
    QString projectDir;
    QString workflowId;
    QString datasetFile;
    QString dbFile;
    int limit = -1;
    bool overHttp = false;   // the sandbox served on loopback, called over HTTP
    QString liveProfile;     // a live endpoint profile: its systems are called over HTTP
};

class RunWorker : public QObject
{
    Q_OBJECT
public:
    explicit RunWorker(std::shared_ptr<RunShared> shared);
    ~RunWorker() override;

    // Slots run on the worker thread (QMetaObject::invokeMethod with a functor).
    void run(const RunRequest &request);
    void open(const sb::model::Project &project, const QString &projectDir,
              const QString &workflowId, const QString &dbFile);
    void decide(qint64 taskId, bool approve, const QString &note, const QByteArray &payload);
    void replay(qint64 letterId, const sb::model::Project &project, const QByteArray &payload);
    void close();

signals:
    void started(const QString &dbFile, int total);
    void progress(int done, int total, double throughput, qint64 retries, qint64 deadLetters);
    void finished(const QVariantMap &summary, const QString &error);
    void actionDone(bool ok, const QString &message, const QVariantMap &summary);

private:
    void applyFaults();
    QVariantMap summary(qint64 elapsedMs) const;

    std::shared_ptr<RunShared> m_shared;
    std::unique_ptr<sb::runtime::Simulation> m_sim;
    sb::model::Project m_project;
    QString m_workflowId;
    QVector<sb::runtime::StartedRecord> m_started;
    int m_faultVersion = -1;
    double m_throughput = 0;
    qint64 m_elapsedMs = 0;
};
