#pragma once

// The run panel's state: which workflow, data set and endpoint profile to run; the run itself
// on a worker thread (progress, throughput, cancel, fault drills); its results (instances,
// trace, exception queue, dead letters, SLA, reconciliation) read from the run's store; the
// exception and replay actions; the project's past runs; "Test connection" for live profiles.

#include "app/run/rundb.h"
#include "app/run/runmodels.h"
#include "app/run/runworker.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QNetworkAccessManager;
namespace sb::model { class Document; }

class RunController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    // The studio's model::Document (StudioController.document).
    Q_PROPERTY(QObject *document READ document WRITE setDocument NOTIFY documentChanged)
    // Where the project's data set files live (StudioController.projectDir).
    Q_PROPERTY(QString projectDir READ projectDir WRITE setProjectDir NOTIFY projectDirChanged)
    Q_PROPERTY(QVariantList workflowOptions READ workflowOptions NOTIFY optionsChanged)
    Q_PROPERTY(QVariantList datasetOptions READ datasetOptions NOTIFY optionsChanged)
    Q_PROPERTY(QVariantList profileOptions READ profileOptions NOTIFY optionsChanged)
    Q_PROPERTY(QVariantList systemOptions READ systemOptions NOTIFY optionsChanged)
    Q_PROPERTY(QString workflowId READ workflowId WRITE setWorkflowId NOTIFY selectionChanged)
    Q_PROPERTY(QString datasetId READ datasetId WRITE setDatasetId NOTIFY selectionChanged)
    Q_PROPERTY(QString profile READ profile WRITE setProfile NOTIFY selectionChanged)
    Q_PROPERTY(bool profileIsLive READ profileIsLive NOTIFY selectionChanged)
    Q_PROPERTY(int recordLimit READ recordLimit WRITE setRecordLimit NOTIFY selectionChanged)

    Q_PROPERTY(bool running READ running NOTIFY runningChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY runningChanged)
    Q_PROPERTY(int progressDone READ progressDone NOTIFY progressChanged)
    Q_PROPERTY(int progressTotal READ progressTotal NOTIFY progressChanged)
    Q_PROPERTY(double throughput READ throughput NOTIFY progressChanged)
    Q_PROPERTY(qint64 liveRetries READ liveRetries NOTIFY progressChanged)
    Q_PROPERTY(qint64 liveDeadLetters READ liveDeadLetters NOTIFY progressChanged)
    Q_PROPERTY(QString statusText READ statusText NOTIFY statusChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY statusChanged)
    Q_PROPERTY(bool hasResults READ hasResults NOTIFY resultsChanged)
    Q_PROPERTY(QVariantMap summary READ summary NOTIFY resultsChanged)
    Q_PROPERTY(QString runTitle READ runTitle NOTIFY resultsChanged)

    Q_PROPERTY(InstancesModel *instances READ instances CONSTANT)
    Q_PROPERTY(TraceModel *trace READ trace CONSTANT)
    Q_PROPERTY(TasksModel *tasks READ tasks CONSTANT)
    Q_PROPERTY(DeadLettersModel *deadLetters READ deadLetters CONSTANT)
    Q_PROPERTY(RunHistoryModel *history READ history CONSTANT)
    Q_PROPERTY(QString selectedInstance READ selectedInstance WRITE setSelectedInstance
                   NOTIFY selectedInstanceChanged)
    Q_PROPERTY(QVariantMap selectedInfo READ selectedInfo NOTIFY selectedInstanceChanged)
    // The path of the selected instance, for the workflow canvas (WorkflowEditor's
    // highlightedPath): {workflowId, instanceId, label, steps, sequence, failedStep}; empty
    // when no instance is selected.
    Q_PROPERTY(QVariantMap selectedPath READ selectedPath NOTIFY selectedInstanceChanged)

    Q_PROPERTY(bool faultsActive READ faultsActive NOTIFY faultsChanged)
    Q_PROPERTY(QString faultsText READ faultsText NOTIFY faultsChanged)
    Q_PROPERTY(QVariantList connectionResults READ connectionResults
                   NOTIFY connectionResultsChanged)
    Q_PROPERTY(bool testingConnection READ testingConnection NOTIFY connectionResultsChanged)

public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    QObject *document() const;
    void setDocument(QObject *document);
    QString projectDir() const { return m_projectDir; }
    void setProjectDir(const QString &dir);
    QVariantList workflowOptions() const;
    QVariantList datasetOptions() const;
    QVariantList profileOptions() const;
    QVariantList systemOptions() const;
    QString workflowId() const { return m_workflowId; }
    void setWorkflowId(const QString &id);
    QString datasetId() const { return m_datasetId; }
    void setDatasetId(const QString &id);
    QString profile() const { return m_profile; }
    void setProfile(const QString &profile);
    bool profileIsLive() const;
    int recordLimit() const { return m_limit; }
    void setRecordLimit(int limit);

    bool running() const { return m_running; }
    bool busy() const { return m_running || m_acting; }
    int progressDone() const { return m_done; }
    int progressTotal() const { return m_total; }
    double throughput() const { return m_throughput; }
    qint64 liveRetries() const { return m_retries; }
    qint64 liveDeadLetters() const { return m_liveDead; }
    QString statusText() const { return m_status; }
    QString errorText() const { return m_error; }
    bool hasResults() const { return m_db.isOpen(); }
    QVariantMap summary() const { return m_summary; }
    QString runTitle() const { return m_runTitle; }

    InstancesModel *instances() { return m_instances; }
    TraceModel *trace() { return m_trace; }
    TasksModel *tasks() { return m_tasks; }
    DeadLettersModel *deadLetters() { return m_letters; }
    RunHistoryModel *history() { return m_history; }
    QString selectedInstance() const { return m_selected; }
    void setSelectedInstance(const QString &id);
    QVariantMap selectedInfo() const { return m_selectedInfo; }
    QVariantMap selectedPath() const;

    bool faultsActive() const;
    QString faultsText() const;
    QVariantList connectionResults() const { return m_connections; }
    bool testingConnection() const { return m_pendingTests > 0; }

    // Starts a run of the chosen workflow over the chosen data set. False (with errorText)
    // when something is missing or a run is going on.
    Q_INVOKABLE bool run();
    Q_INVOKABLE void cancel();
    // A CSV / JSONL / JSON file (path or file: URL) becomes the chosen data set.
    Q_INVOKABLE bool importDataset(const QString &pathOrUrl);
    // Sandbox faults for one system ("" = all); applied at once, also during a run.
    Q_INVOKABLE void setFaults(const QString &system, double errorRate, double rateLimit,
                               int latencyMs, bool outage);
    Q_INVOKABLE void clearFaults();
    Q_INVOKABLE QVariantMap faultsFor(const QString &system) const;

    // Exception queue and dead letters. `payload`: edited JSON object text, or empty.
    Q_INVOKABLE bool approveTask(qint64 taskId, const QString &note = QString(),
                                 const QString &payload = QString());
    Q_INVOKABLE bool rejectTask(qint64 taskId, const QString &note = QString());
    Q_INVOKABLE bool replayDeadLetter(qint64 letterId, const QString &payload = QString());

    // Past runs.
    Q_INVOKABLE bool openRun(qint64 runId);
    Q_INVOKABLE bool deleteRun(qint64 runId);
    // The figures of a past run beside the run on show: [{name, shown, other, delta}].
    Q_INVOKABLE QVariantList compareWith(qint64 runId) const;

    // GET on each system's base URL of a live profile, with a timeout; results arrive in
    // connectionResults.
    Q_INVOKABLE void testConnections(const QString &profile, int timeoutMs = 5000);

    // Blocks until the worker is idle (tests).
    bool waitIdle(int timeoutMs);

signals:
    void documentChanged();
    void projectDirChanged();
    void optionsChanged();
    void selectionChanged();
    void runningChanged();
    void progressChanged();
    void statusChanged();
    void resultsChanged();
    void selectedInstanceChanged();
    void faultsChanged();
    void connectionResultsChanged();
    void runFinished();
    void actionFinished(bool ok, const QString &message);

private:
    const sb::model::Project *project() const;
    const sb::model::Workflow *currentWorkflow() const;
    QString projectKey() const;
    void projectChanged();
    void openHistory();
    void refreshHistory();
    void reloadResults();
    void setStatus(const QString &status, const QString &error = QString());
    void onStarted(const QString &dbFile, int total);
    void onProgress(int done, int total, double throughput, qint64 retries, qint64 dead);
    void onFinished(const QVariantMap &summary, const QString &error);
    void onActionDone(bool ok, const QString &message, const QVariantMap &summary);
    void updateSelectedInfo();

    QPointer<sb::model::Document> m_document;
    QString m_projectDir;
    QString m_workflowId;
    QString m_datasetId;
    QString m_importedFile;
    QString m_profile = QStringLiteral("sandbox");
    int m_limit = -1;

    std::shared_ptr<RunShared> m_shared;
    QThread m_thread;
    RunWorker *m_worker = nullptr;
    bool m_running = false;
    bool m_acting = false;
    int m_done = 0;
    int m_total = 0;
    double m_throughput = 0;
    qint64 m_retries = 0;
    qint64 m_liveDead = 0;
    QString m_status;
    QString m_error;

    RunDb m_db;
    RunHistory m_runs;
    qint64 m_runId = 0;
    QString m_runWorkflow;   // the workflow of the run on show
    QVariantMap m_summary;
    QString m_runTitle;

    InstancesModel *m_instances;
    TraceModel *m_trace;
    TasksModel *m_tasks;
    DeadLettersModel *m_letters;
    RunHistoryModel *m_history;
    QString m_selected;
    QVariantMap m_selectedInfo;

    QVector<QPair<QString, sb::runtime::FaultConfig>> m_faults;
    QNetworkAccessManager *m_nam = nullptr;
    QVariantList m_connections;
    int m_pendingTests = 0;
    QElapsedTimer m_liveRefresh;   // throttles result refreshes during a run
};
