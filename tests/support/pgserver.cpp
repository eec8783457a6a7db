#include "tests/support/pgserver.h"

#include "tests/support/ports.h"

#include <QCollator>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <algorithm>

#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

namespace sb::testsupport {

namespace {
constexpr const char *kSuperuser = "switchboard";
}

PgServer::PgServer() = default;

PgServer::~PgServer() { stop(); }

QString PgServer::binDir()
{
    // Debian keeps the server programs out of PATH, one folder per major version.
    QDir versions(QStringLiteral("/usr/lib/postgresql"));
    QStringList names = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCollator numeric;
    numeric.setNumericMode(true);
    std::sort(names.begin(), names.end(),
              [&](const QString &a, const QString &b) { return numeric.compare(a, b) > 0; });
    for (const QString &v : names) {
        const QString bin = versions.filePath(v + QStringLiteral("/bin"));
        if (QFileInfo(bin + QStringLiteral("/initdb")).isExecutable()
            && QFileInfo(bin + QStringLiteral("/pg_ctl")).isExecutable())
            return bin;
    }
    const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb"));
    if (!initdb.isEmpty()
        && !QStandardPaths::findExecutable(QStringLiteral("pg_ctl")).isEmpty())
        return QFileInfo(initdb).absolutePath();
    return QString();
}

QString PgServer::runAsOwner(const QString &program, const QStringList &args,
                             int timeoutMs) const
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setWorkingDirectory(m_dir->path());
    if (::geteuid() == 0) // initdb and postgres refuse to run as root
        p.start(QStringLiteral("runuser"),
                QStringList{QStringLiteral("-u"), QStringLiteral("postgres"),
                            QStringLiteral("--"), program} + args);
    else
        p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return QStringLiteral("%1 did not finish in %2 ms").arg(program).arg(timeoutMs);
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return QStringLiteral("%1 failed: %2").arg(program,
                                                    QString::fromLocal8Bit(p.readAll()));
    return QString();
}

QString PgServer::start()
{
    m_bin = binDir();
    if (m_bin.isEmpty())
        return QStringLiteral("PostgreSQL server programs (initdb, pg_ctl) are not installed");
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/sbpg-XXXXXX"));
    if (!m_dir->isValid())
        return QStringLiteral("cannot create a temporary directory");
    if (::geteuid() == 0) {
        const passwd *pw = ::getpwnam("postgres");
        if (!pw)
            return QStringLiteral("running as root but there is no `postgres` user");
        if (::chown(QFile::encodeName(m_dir->path()).constData(), pw->pw_uid, pw->pw_gid) != 0)
            return QStringLiteral("cannot give %1 to the postgres user").arg(m_dir->path());
    }
    const QString data = m_dir->filePath(QStringLiteral("data"));
    QString failed = runAsOwner(m_bin + QStringLiteral("/initdb"),
                                {QStringLiteral("-D"), data, QStringLiteral("-U"),
                                 QLatin1String(kSuperuser), QStringLiteral("--auth=trust"),
                                 QStringLiteral("--no-sync"), QStringLiteral("-E"),
                                 QStringLiteral("UTF8"), QStringLiteral("--locale=C")},
                                120000);
    if (!failed.isEmpty())
        return failed;
    m_port = freePort();
    if (m_port == 0)
        return QStringLiteral("no free port");
    return startServer();
}

QString PgServer::restart()
{
    if (m_running || !m_dir)
        return QStringLiteral("the server is running or was never started");
    return startServer();
}

QString PgServer::startServer()
{
    const QString data = m_dir->filePath(QStringLiteral("data"));
    // fsync off: a throw-away test database need not survive power loss.
    const QString options = QStringLiteral("-c listen_addresses=127.0.0.1 -p %1 -k %2 "
                                           "-c fsync=off -c max_connections=100")
                                .arg(m_port)
                                .arg(m_dir->path());
    const QString failed =
        runAsOwner(m_bin + QStringLiteral("/pg_ctl"),
                   {QStringLiteral("-D"), data, QStringLiteral("-l"),
                    m_dir->filePath(QStringLiteral("server.log")), QStringLiteral("-o"), options,
                    QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"),
                    QStringLiteral("start")},
                   90000);
    if (!failed.isEmpty())
        return failed;
    m_running = true;
    return QString();
}

void PgServer::stop()
{
    if (!m_running)
        return;
    m_running = false;
    (void)runAsOwner(m_bin + QStringLiteral("/pg_ctl"),
                     {QStringLiteral("-D"), m_dir->filePath(QStringLiteral("data")),
                      QStringLiteral("-m"), QStringLiteral("immediate"), QStringLiteral("-w"),
                      QStringLiteral("stop")},
                     60000);
}

QString PgServer::uri(const QString &database) const
{
    return QStringLiteral("postgresql://%1@127.0.0.1:%2/%3")
        .arg(QLatin1String(kSuperuser))
        .arg(m_port)
        .arg(database);
}

QString PgServer::psql(const QString &database, const QString &sql, QString *error) const
{
    QProcess p;
    p.start(m_bin + QStringLiteral("/psql"),
            {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"),
             QStringLiteral("-t"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
             QStringLiteral("-d"), uri(database), QStringLiteral("-c"), sql});
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished(5000);
        if (error)
            *error = QStringLiteral("psql did not finish");
        return QString();
    }
    const QString err = QString::fromLocal8Bit(p.readAllStandardError());
    if (error)
        *error = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0
                     ? QString()
                     : (err.isEmpty() ? QStringLiteral("psql failed") : err);
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

QString PgServer::createDatabase(const QString &database) const
{
    QString error;
    const QString exists = psql(QStringLiteral("postgres"),
                                QStringLiteral("SELECT 1 FROM pg_database WHERE datname = '%1'")
                                    .arg(database),
                                &error);
    if (!error.isEmpty())
        return error;
    if (exists == QLatin1String("1"))
        return QString();
    psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE \"%1\"").arg(database),
         &error);
    // Two processes may race to create it: that it exists now is what counts.
    if (!error.isEmpty() && error.contains(QLatin1String("already exists")))
        return QString();
    return error;
}

} // namespace sb::testsupport
