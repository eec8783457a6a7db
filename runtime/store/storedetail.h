#pragma once

// Internals shared by the store's source files (store.cpp: schema, opening, transactions,
// enum names; store_records.cpp: instances, journal, ledger; store_work.cpp: dead letters,
// approval tasks, timers). Not part of the runtime's API.

#include "runtime/store/sqlitestore.h"

#include <QDateTime>

#include <sqlite3.h>

#include <mutex>
#include <string>

namespace sb::runtime {

namespace storedetail {

inline qint64 toMs(const QDateTime &t) { return t.isValid() ? t.toMSecsSinceEpoch() : 0; }
inline QDateTime fromMs(qint64 ms)
{
    return ms == 0 ? QDateTime() : QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}
inline qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

} // namespace storedetail

// A prepared statement with positional binding. Built on a Store, it is taken from the
// store's cache (one sqlite3_stmt per SQL text, prepared once) and given back reset on
// destruction; built on a bare connection (pragmas at open), it is finalised.
class SqliteStore::Statement
{
public:
    Statement(sqlite3 *db, const char *sql) : m_db(db)
    {
        m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr);
    }
    Statement(const SqliteStore *store, const char *sql)
        : m_db(store->m_db), m_store(store), m_sql(sql)
    {
        m_stmt = store->takeStatement(m_sql);
        if (!m_stmt)
            m_rc = sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt,
                                      nullptr);
    }
    ~Statement()
    {
        if (m_store && m_stmt)
            m_store->giveBackStatement(std::move(m_sql), m_stmt);
        else
            sqlite3_finalize(m_stmt);
    }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool prepared() const { return m_rc == SQLITE_OK; }
    Statement &bind(const QString &v)
    {
        const QByteArray u = v.toUtf8();
        sqlite3_bind_text(m_stmt, ++m_index, u.constData(), int(u.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement &bind(const QByteArray &v)
    {
        sqlite3_bind_text(m_stmt, ++m_index, v.constData(), int(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement &bind(qint64 v)
    {
        sqlite3_bind_int64(m_stmt, ++m_index, v);
        return *this;
    }
    Statement &bind(int v) { return bind(qint64(v)); }
    Statement &bindNull()
    {
        sqlite3_bind_null(m_stmt, ++m_index);
        return *this;
    }
    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return m_rc = sqlite3_step(m_stmt); }
    bool row() const { return m_rc == SQLITE_ROW; }
    bool done() const { return m_rc == SQLITE_DONE; }

    QString text(int col) const
    {
        const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
        return QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, col));
    }
    QByteArray bytes(int col) const
    {
        const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
        return QByteArray(p, sqlite3_column_bytes(m_stmt, col));
    }
    qint64 integer(int col) const { return sqlite3_column_int64(m_stmt, col); }

private:
    sqlite3 *m_db;
    const SqliteStore *m_store = nullptr;
    std::string m_sql;
    sqlite3_stmt *m_stmt = nullptr;
    int m_rc = SQLITE_OK;
    int m_index = 0;
};

#define SB_PREPARE_UNLOCKED(st, sql)                                                       \
    Statement st(this, sql);                                                               \
    if (!st.prepared())                                                                    \
        return dbError(QStringLiteral("cannot prepare a statement"));
#define SB_PREPARE(st, sql)                                                                \
    std::lock_guard<std::recursive_mutex> lock(m_mutex);                                   \
    SB_PREPARE_UNLOCKED(st, sql)

} // namespace sb::runtime
