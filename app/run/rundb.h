#pragma once

// The studio's read side of run results. RunDb opens one run's store file read-only on the
// GUI thread (its own SQLite connection, WAL: the worker keeps writing meanwhile) and answers
// the queries the result views need in bulk. RunHistory is the per-project index of past
// runs (one SQLite file next to the runs' store files).

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QVariantMap>
#include <QVector>

struct sqlite3;

struct RunInstanceRow
{
    QString id;
    QString status;
    QString correlationId;
    QString currentStep;
    QString firstAt;         // virtual time of the first journal entry (ISO)
    QString lastAt;
    QString reason;          // dead letter error, if any
    qint64 deadLetterId = 0;
};

struct RunJournalRow
{
    qint64 seq = 0;
    QString stepId;
    QString kind;
    QByteArray payload;
};

struct RunTaskRow
{
    qint64 id = 0;
    QString instanceId;
    QString stepId;
    QString role;
    QString status;
    QByteArray payload;
    QString correlationId;
};

struct RunDeadLetterRow
{
    qint64 id = 0;
    QString instanceId;
    QString stepId;
    QString error;
    QByteArray context;
    bool replayed = false;
};

class RunDb
{
public:
    RunDb() = default;
    ~RunDb();
    RunDb(const RunDb &) = delete;
    RunDb &operator=(const RunDb &) = delete;

    bool open(const QString &fileName, QString *error = nullptr);
    void close();
    bool isOpen() const { return m_db != nullptr; }
    QString fileName() const { return m_fileName; }

    // Instances in start order; `status` empty: all.
    QVector<RunInstanceRow> instances(const QString &status = QString()) const;
    QVariantMap statusCounts() const;
    QVector<RunJournalRow> journal(const QString &instanceId) const;
    QVector<RunTaskRow> tasks(const QString &status = QStringLiteral("open")) const;
    QVector<RunDeadLetterRow> deadLetters(bool includeReplayed = false) const;

private:
    sqlite3 *m_db = nullptr;
    QString m_fileName;
};

struct RunRecord
{
    qint64 id = 0;
    QDateTime started;
    QString workflow;
    QString dataset;
    QString profile;
    QString dbFile;
    QVariantMap summary;     // what the run panel shows (counts, SLA, throughput)
};

class RunHistory
{
public:
    RunHistory() = default;
    ~RunHistory();
    RunHistory(const RunHistory &) = delete;
    RunHistory &operator=(const RunHistory &) = delete;

    // The folder holding a project's runs: <app data>/runs/<hash of the project's path>.
    static QString folderFor(const QString &projectKey);
    bool open(const QString &folder, QString *error = nullptr);
    QString folder() const { return m_folder; }
    bool isOpen() const { return m_db != nullptr; }
    // A fresh store file name for a new run in this folder.
    QString newRunFile() const;
    qint64 add(const RunRecord &run);
    bool updateSummary(qint64 id, const QVariantMap &summary);
    QVector<RunRecord> runs() const;   // newest first
    bool remove(qint64 id);

private:
    sqlite3 *m_db = nullptr;
    QString m_folder;
};
