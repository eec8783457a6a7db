#pragma once

// A throw-away PostgreSQL server for one test: initdb in a temporary directory, started
// with pg_ctl on a free loopback port (its unix socket in that directory too), stopped at
// destruction. Run as root, initdb and pg_ctl run as the `postgres` user (initdb refuses
// root). Connections use trust authentication as the superuser `switchboard`.

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace sb::testsupport {

class PgServer
{
public:
    PgServer();
    ~PgServer();
    PgServer(const PgServer &) = delete;
    PgServer &operator=(const PgServer &) = delete;

    // The folder of initdb/pg_ctl, empty when PostgreSQL is not installed (then skip).
    static QString binDir();
    // Starts the server; an empty string on success, else what failed.
    QString start();
    // Stops the server (immediate shutdown, like a crash of the database) keeping its data;
    // restart() starts it again on the same port and data.
    void stop();
    QString restart();
    bool running() const { return m_running; }
    quint16 port() const { return m_port; }
    // postgresql://switchboard@127.0.0.1:PORT/DATABASE
    QString uri(const QString &database) const;
    // Creates a database (nothing if it exists); an empty string on success.
    QString createDatabase(const QString &database) const;
    // Runs one SQL command through psql on `database`: its output (unaligned, tuples
    // only); what went wrong in `error` (empty on success).
    QString psql(const QString &database, const QString &sql, QString *error = nullptr) const;

private:
    QString runAsOwner(const QString &program, const QStringList &args, int timeoutMs) const;
    QString startServer();
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_bin;
    quint16 m_port = 0;
    bool m_running = false;
};

} // namespace sb::testsupport
