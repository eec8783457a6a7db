#include "app/run/rundb.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>

#include <sqlite3.h>

namespace {

// A prepared statement that finalises itself.
class Query
{
public:
    Query(sqlite3 *db, const char *sql)
    {
        if (db)
            sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr);
    }
    ~Query() { sqlite3_finalize(m_stmt); }
    bool ok() const { return m_stmt != nullptr; }
    void bind(int i, const QString &v)
    {
        const QByteArray b = v.toUtf8();
        sqlite3_bind_text(m_stmt, i, b.constData(), int(b.size()), SQLITE_TRANSIENT);
    }
    void bind(int i, qint64 v) { sqlite3_bind_int64(m_stmt, i, v); }
    bool next() { return m_stmt && sqlite3_step(m_stmt) == SQLITE_ROW; }
    bool exec() { return m_stmt && sqlite3_step(m_stmt) == SQLITE_DONE; }
    QString text(int i) const
    {
        const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, i));
        return p ? QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, i)) : QString();
    }
    QByteArray bytes(int i) const
    {
        const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, i));
        return p ? QByteArray(p, sqlite3_column_bytes(m_stmt, i)) : QByteArray();
    }
    qint64 integer(int i) const { return sqlite3_column_int64(m_stmt, i); }

private:
    sqlite3_stmt *m_stmt = nullptr;
};

} // namespace

RunDb::~RunDb() { close(); }

bool RunDb::open(const QString &fileName, QString *error)
{
    close();
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(fileName.toUtf8().constData(), &db, SQLITE_OPEN_READONLY,
                                   nullptr);
    if (rc != SQLITE_OK) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(fileName, QString::fromUtf8(sqlite3_errmsg(db)));
        sqlite3_close(db);
        return false;
    }
    sqlite3_busy_timeout(db, 2000);
    m_db = db;
    m_fileName = fileName;
    return true;
}

void RunDb::close()
{
    if (m_db)
        sqlite3_close(m_db);
    m_db = nullptr;
    m_fileName.clear();
}

QVector<RunInstanceRow> RunDb::instances(const QString &status) const
{
    QVector<RunInstanceRow> out;
    // Virtual times live in the journal payloads ("at"); ISO text orders like time.
    Query q(m_db,
            "SELECT i.id, i.status, i.correlation_id, i.current_step,"
            " (SELECT json_extract(payload, '$.at') FROM journal j"
            "   WHERE j.instance_id = i.id ORDER BY seq LIMIT 1),"
            " (SELECT json_extract(payload, '$.at') FROM journal j"
            "   WHERE j.instance_id = i.id ORDER BY seq DESC LIMIT 1),"
            " d.error, d.id"
            " FROM instances i LEFT JOIN dead_letters d"
            "   ON d.instance_id = i.id AND d.replayed = 0"
            " WHERE ?1 = '' OR i.status = ?1"
            " ORDER BY i.rowid");
    q.bind(1, status);
    while (q.next()) {
        RunInstanceRow r;
        r.id = q.text(0);
        r.status = q.text(1);
        r.correlationId = q.text(2);
        r.currentStep = q.text(3);
        r.firstAt = q.text(4);
        r.lastAt = q.text(5);
        r.reason = q.text(6);
        r.deadLetterId = q.integer(7);
        out.append(r);
    }
    return out;
}

QVariantMap RunDb::statusCounts() const
{
    QVariantMap out;
    Query q(m_db, "SELECT status, COUNT(*) FROM instances GROUP BY status");
    int all = 0;
    while (q.next()) {
        out.insert(q.text(0), int(q.integer(1)));
        all += int(q.integer(1));
    }
    out.insert(QStringLiteral("all"), all);
    return out;
}

QVector<RunJournalRow> RunDb::journal(const QString &instanceId) const
{
    QVector<RunJournalRow> out;
    Query q(m_db, "SELECT seq, step_id, kind, payload FROM journal WHERE instance_id = ?1"
                  " ORDER BY seq");
    q.bind(1, instanceId);
    while (q.next())
        out.append({q.integer(0), q.text(1), q.text(2), q.bytes(3)});
    return out;
}

QVector<RunTaskRow> RunDb::tasks(const QString &status) const
{
    QVector<RunTaskRow> out;
    Query q(m_db, "SELECT t.id, t.instance_id, t.step_id, t.role, t.status, t.payload,"
                  " i.correlation_id FROM tasks t LEFT JOIN instances i ON i.id = t.instance_id"
                  " WHERE ?1 = '' OR t.status = ?1 ORDER BY t.id");
    q.bind(1, status);
    while (q.next())
        out.append({q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.bytes(5),
                    q.text(6)});
    return out;
}

QVector<RunDeadLetterRow> RunDb::deadLetters(bool includeReplayed) const
{
    QVector<RunDeadLetterRow> out;
    Query q(m_db, "SELECT id, instance_id, step_id, error, context, replayed FROM dead_letters"
                  " WHERE ?1 OR replayed = 0 ORDER BY id");
    q.bind(1, qint64(includeReplayed ? 1 : 0));
    while (q.next())
        out.append({q.integer(0), q.text(1), q.text(2), q.text(3), q.bytes(4),
                    q.integer(5) != 0});
    return out;
}

// ---- RunHistory ---------------------------------------------------------------------------

RunHistory::~RunHistory()
{
    if (m_db)
        sqlite3_close(m_db);
}

QString RunHistory::folderFor(const QString &projectKey)
{
    const QByteArray hash = QCryptographicHash::hash(projectKey.toUtf8(),
                                                     QCryptographicHash::Sha1).toHex().left(16);
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
           + QStringLiteral("/runs/") + QString::fromLatin1(hash);
}

bool RunHistory::open(const QString &folder, QString *error)
{
    if (m_db)
        sqlite3_close(m_db);
    m_db = nullptr;
    m_folder = folder;
    if (!QDir().mkpath(folder)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(folder);
        return false;
    }
    const QString file = folder + QStringLiteral("/runs.sqlite");
    if (sqlite3_open(file.toUtf8().constData(), &m_db) != SQLITE_OK) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(file, QString::fromUtf8(sqlite3_errmsg(m_db)));
        sqlite3_close(m_db);
        m_db = nullptr;
        return false;
    }
    sqlite3_busy_timeout(m_db, 2000);
    const char *schema = "CREATE TABLE IF NOT EXISTS runs ("
                         " id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL,"
                         " workflow TEXT NOT NULL, dataset TEXT NOT NULL, profile TEXT NOT NULL,"
                         " db TEXT NOT NULL, summary TEXT NOT NULL DEFAULT '{}')";
    if (sqlite3_exec(m_db, schema, nullptr, nullptr, nullptr) != SQLITE_OK) {
        if (error)
            *error = QString::fromUtf8(sqlite3_errmsg(m_db));
        return false;
    }
    return true;
}

QString RunHistory::newRunFile() const
{
    const QString stamp = QDateTime::currentDateTimeUtc().toString(
        QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    QString name = m_folder + QStringLiteral("/run-") + stamp + QStringLiteral(".db");
    for (int n = 2; QFileInfo::exists(name); ++n)
        name = m_folder + QStringLiteral("/run-%1-%2.db").arg(stamp).arg(n);
    return name;
}

qint64 RunHistory::add(const RunRecord &run)
{
    Query q(m_db, "INSERT INTO runs (started, workflow, dataset, profile, db, summary)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    q.bind(1, run.started.toString(Qt::ISODate));
    q.bind(2, run.workflow);
    q.bind(3, run.dataset);
    q.bind(4, run.profile);
    q.bind(5, run.dbFile);
    q.bind(6, QString::fromUtf8(QJsonDocument::fromVariant(run.summary).toJson(
        QJsonDocument::Compact)));
    if (!q.exec())
        return 0;
    return sqlite3_last_insert_rowid(m_db);
}

bool RunHistory::updateSummary(qint64 id, const QVariantMap &summary)
{
    Query q(m_db, "UPDATE runs SET summary = ?1 WHERE id = ?2");
    q.bind(1, QString::fromUtf8(QJsonDocument::fromVariant(summary).toJson(
        QJsonDocument::Compact)));
    q.bind(2, id);
    return q.exec();
}

QVector<RunRecord> RunHistory::runs() const
{
    QVector<RunRecord> out;
    Query q(m_db, "SELECT id, started, workflow, dataset, profile, db, summary FROM runs"
                  " ORDER BY id DESC");
    while (q.next()) {
        RunRecord r;
        r.id = q.integer(0);
        r.started = QDateTime::fromString(q.text(1), Qt::ISODate);
        r.workflow = q.text(2);
        r.dataset = q.text(3);
        r.profile = q.text(4);
        r.dbFile = q.text(5);
        r.summary = QJsonDocument::fromJson(q.bytes(6)).toVariant().toMap();
        out.append(r);
    }
    return out;
}

bool RunHistory::remove(qint64 id)
{
    Query q(m_db, "DELETE FROM runs WHERE id = ?1");
    q.bind(1, id);
    return q.exec();
}
