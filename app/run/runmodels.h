#pragma once

// List models of the run panel, filled by RunController from a run's store (RunDb):
// the instance table, the trace of one instance, the exception queue (open approval tasks),
// the dead letters and the past runs of the project.

#include "app/run/rundb.h"
#include "model/project.h"

#include "app/shell/rowlistmodel.h"

#include <QAbstractListModel>
#include <QHash>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

class InstancesModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by RunController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    // "" (all), completed, waiting, running, dead-lettered, compensated, failed.
    Q_PROPERTY(QString statusFilter READ statusFilter WRITE setStatusFilter
                   NOTIFY statusFilterChanged)
    Q_PROPERTY(QVariantMap statusCounts READ statusCounts NOTIFY countChanged)
public:
    enum Role {
        InstanceIdRole = Qt::UserRole + 1, StatusRole, CorrelationIdRole, DurationMsRole,
        DurationTextRole, StartedTextRole, FailingStepRole, FailingStepNameRole, ReasonRole,
        DeadLetterIdRole
    };
    Q_ENUM(Role)
    explicit InstancesModel(QObject *parent = nullptr);

    // Re-reads from `db` (kept for filter changes); null clears.
    void reload(const RunDb *db, const sb::model::Workflow *workflow);
    // Only the per-status counts (cheap; used while a large run is going on).
    void refreshCounts(const RunDb *db);
    QString statusFilter() const { return m_filter; }
    void setStatusFilter(const QString &filter);
    QVariantMap statusCounts() const { return m_counts; }
    Q_INVOKABLE int indexOf(const QString &instanceId) const;
    Q_INVOKABLE QString instanceAt(int row) const;

    static QString formatDuration(qint64 ms);

signals:
    void countChanged();
    void statusFilterChanged();

private:
    struct Row
    {
        RunInstanceRow base;
        qint64 durationMs = -1;
    };
    void refill();
    const RunDb *m_db = nullptr;
    QHash<QString, QString> m_stepNames;
    QVector<Row> m_rows;
    QString m_filter;
    QVariantMap m_counts;
};

// The journal of one instance as a timeline: one row per step outcome (result, error,
// retry, wait, resume, compensation) with its request, response, mapping output and timing.
class TraceModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by RunController")
    Q_PROPERTY(int count READ rowCount NOTIFY loaded)
    Q_PROPERTY(QString instanceId READ instanceId NOTIFY loaded)
    Q_PROPERTY(qint64 totalMs READ totalMs NOTIFY loaded)
    // The steps the instance went through, in order, once each: for highlighting its path on
    // the workflow canvas.
    Q_PROPERTY(QStringList path READ path NOTIFY loaded)
    // The steps in the order they ran, repeats kept (a retried step once per run of
    // attempts): the transitions the instance took, for the edges on its path.
    Q_PROPERTY(QStringList sequence READ sequence NOTIFY loaded)
public:
    enum Role {
        SeqRole = Qt::UserRole + 1, StepIdRole, StepNameRole, StepTypeRole, KindRole,
        AtTextRole, OffsetMsRole, DurationMsRole, HttpStatusRole, RequestLineRole,
        RequestBodyRole, ResponseBodyRole, OutputRole, ErrorRole, CategoryRole, AttemptRole,
        NextRole, DetailRole
    };
    Q_ENUM(Role)
    explicit TraceModel(QObject *parent = nullptr);

    void load(const RunDb *db, const QString &instanceId, const sb::model::Workflow *workflow);
    QString instanceId() const { return m_instance; }
    qint64 totalMs() const { return m_totalMs; }
    QStringList path() const;
    QStringList sequence() const;

signals:
    void loaded();

private:
    struct Row
    {
        qint64 seq = 0;
        QString stepId, stepName, stepType, kind, atText, requestLine, requestBody,
            responseBody, output, error, category, next, detail;
        qint64 offsetMs = 0;
        qint64 durationMs = -1;
        int httpStatus = 0;
        int attempt = 0;
    };
    QVector<Row> m_rows;
    QString m_instance;
    qint64 m_totalMs = 0;
};

// Open approval tasks: the exception queue.
class TasksModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by RunController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    enum Role {
        TaskIdRole = Qt::UserRole + 1, InstanceIdRole, CorrelationIdRole, StepIdRole,
        StepNameRole, RoleNameRole, PayloadRole, SummaryRole
    };
    Q_ENUM(Role)
    explicit TasksModel(QObject *parent = nullptr);
    void reload(const RunDb *db, const sb::model::Workflow *workflow);

signals:
    void countChanged();

private:
    struct Row
    {
        RunTaskRow base;
        QString stepName, payload, summary;
    };
    QVector<Row> m_rows;
};

// Dead letters not yet replayed.
class DeadLettersModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by RunController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    enum Role {
        LetterIdRole = Qt::UserRole + 1, InstanceIdRole, CorrelationIdRole, StepIdRole,
        StepNameRole, ErrorRole, CategoryRole, PayloadRole
    };
    Q_ENUM(Role)
    explicit DeadLettersModel(QObject *parent = nullptr);
    void reload(const RunDb *db, const sb::model::Workflow *workflow);

signals:
    void countChanged();

private:
    struct Row
    {
        RunDeadLetterRow base;
        QString correlationId, stepName, category, payload;
    };
    QVector<Row> m_rows;
};

// Past runs of the project, newest first.
class RunHistoryModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by RunController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    enum Role {
        RunIdRole = Qt::UserRole + 1, StartedTextRole, WorkflowRole, DatasetRole, ProfileRole,
        RecordsRole, CompletedRole, ExceptionsRole, DeadLettersRole, SlaTextRole,
        ThroughputRole, CurrentRole
    };
    Q_ENUM(Role)
    explicit RunHistoryModel(QObject *parent = nullptr);
    void setRuns(const QVector<RunRecord> &runs, qint64 current);
    const RunRecord *run(qint64 id) const;

signals:
    void countChanged();

private:
    using Row = RunRecord;
    QVector<Row> m_rows;
    qint64 m_current = 0;
};
