#pragma once

// Internals shared by pgstore.cpp (connection, schema, transactions) and
// pgstore_records.cpp (the tables). Not part of the runtime's API.

#include "runtime/pgstore/pgstore.h"

#include <QDateTime>

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <vector>

namespace sb::runtime {

namespace pgdetail {
inline qint64 toMs(const QDateTime &t) { return t.isValid() ? t.toMSecsSinceEpoch() : 0; }
inline QDateTime fromMs(qint64 ms)
{
    return ms == 0 ? QDateTime() : QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}
inline qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }
} // namespace pgdetail

// Parameters travel as text; a missing value is SQL NULL.
class PostgresStore::Params
{
public:
    Params &operator<<(const QString &v) { return add(v.toUtf8()); }
    Params &operator<<(const QByteArray &v) { return add(v); }
    Params &operator<<(const char *v) { return add(QByteArray(v)); }
    Params &operator<<(qint64 v) { return add(QByteArray::number(v)); }
    Params &operator<<(int v) { return add(QByteArray::number(v)); }
    Params &null()
    {
        m_values.emplace_back(std::nullopt);
        return *this;
    }
    int size() const { return int(m_values.size()); }
    // Whether a value holds a NUL byte, which PostgreSQL text cannot store.
    bool hasNul() const
    {
        for (const auto &v : m_values) {
            if (v && v->contains('\0'))
                return true;
        }
        return false;
    }
    std::vector<const char *> pointers() const
    {
        std::vector<const char *> out;
        for (const auto &v : m_values)
            out.push_back(v ? v->constData() : nullptr);
        return out;
    }

private:
    Params &add(QByteArray v)
    {
        m_values.emplace_back(std::move(v));
        return *this;
    }
    std::vector<std::optional<QByteArray>> m_values;
};

// A command's result: rows of text values, and how many rows a write touched.
class PostgresStore::Rows
{
public:
    explicit Rows(pg_result *res) : m_res(res, &PQclear) {}
    int count() const { return PQntuples(m_res.get()); }
    QByteArray tag() const { return PQcmdStatus(m_res.get()); }
    qint64 affected() const { return QByteArray(PQcmdTuples(m_res.get())).toLongLong(); }
    bool isNull(int row, int col) const { return PQgetisnull(m_res.get(), row, col); }
    QByteArray bytes(int row, int col) const
    {
        return QByteArray(PQgetvalue(m_res.get(), row, col),
                          PQgetlength(m_res.get(), row, col));
    }
    QString text(int row, int col) const { return QString::fromUtf8(bytes(row, col)); }
    qint64 integer(int row, int col) const { return bytes(row, col).toLongLong(); }

private:
    std::shared_ptr<pg_result> m_res;
};

} // namespace sb::runtime
