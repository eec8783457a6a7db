#include "app/shell/keyringsecrets.h"

#include "runtime/engine/connector.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QHash>
#include <QThread>
#include <QTimer>
#include <qt6keychain/keychain.h>

#include <mutex>

namespace studio::keyring {

namespace {

std::mutex g_mutex;
QHash<QString, QByteArray> g_cache;   // reference -> secret; never logged
bool g_installed = false;

QString slug(const QString &text)
{
    QString out;
    for (const QChar c : text.toLower()) {
        if (c.isLetterOrNumber() && c.unicode() < 128)
            out += c;
        else if (!out.isEmpty() && !out.endsWith(QLatin1Char('-')))
            out += QLatin1Char('-');
    }
    while (out.endsWith(QLatin1Char('-')))
        out.chop(1);
    return out.isEmpty() ? QStringLiteral("project") : out;
}

// Runs a started job to its end in a local event loop; false on timeout.
bool waitFor(QKeychain::Job *job, int timeoutMs)
{
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    bool finished = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&]() {
        finished = true;
        loop.quit();
    });
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    job->start();
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    return finished;
}

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

QByteArray resolve(const QString &reference)
{
    if (!reference.startsWith(QLatin1String("keyring:")))
        return {};
    {
        std::lock_guard<std::mutex> lock(g_mutex);
        const auto it = g_cache.constFind(reference);
        if (it != g_cache.constEnd())
            return *it;
    }
    // Keyring jobs belong to the GUI thread; a worker relies on prefetch().
    if (!QCoreApplication::instance()
        || QThread::currentThread() != QCoreApplication::instance()->thread())
        return {};
    return readSecret(reference);
}

} // namespace

QString referenceFor(const QString &projectName, const QString &system, const QString &profile)
{
    return QStringLiteral("keyring:%1/%2/%3/%4")
        .arg(QLatin1String(kService), slug(projectName), system, profile);
}

bool parseReference(const QString &reference, QString *service, QString *key)
{
    if (!reference.startsWith(QLatin1String("keyring:")))
        return false;
    const QString rest = reference.mid(8);
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    if (slash <= 0 || slash == rest.size() - 1)
        return false;
    if (service)
        *service = rest.left(slash);
    if (key)
        *key = rest.mid(slash + 1);
    return true;
}

bool writeSecret(const QString &reference, const QByteArray &secret, QString *error)
{
    QString service, key;
    if (!parseReference(reference, &service, &key)) {
        setError(error, QStringLiteral("'%1' is not a keyring reference").arg(reference));
        return false;
    }
    if (secret.isEmpty()) {
        setError(error, QStringLiteral("The secret is empty"));
        return false;
    }
    QKeychain::WritePasswordJob job(service);
    job.setAutoDelete(false);
    job.setKey(key);
    job.setBinaryData(secret);
    if (!waitFor(&job, 15000)) {
        setError(error, QStringLiteral("The keyring did not answer"));
        return false;
    }
    if (job.error() != QKeychain::NoError) {
        setError(error, QStringLiteral("The keyring refused the secret: %1")
                            .arg(job.errorString()));
        return false;
    }
    std::lock_guard<std::mutex> lock(g_mutex);
    g_cache.insert(reference, secret);
    return true;
}

QByteArray readSecret(const QString &reference, QString *error, int timeoutMs)
{
    QString service, key;
    if (!parseReference(reference, &service, &key)) {
        setError(error, QStringLiteral("'%1' is not a keyring reference").arg(reference));
        return {};
    }
    QKeychain::ReadPasswordJob job(service);
    job.setAutoDelete(false);
    job.setKey(key);
    if (!waitFor(&job, timeoutMs)) {
        setError(error, QStringLiteral("The keyring did not answer"));
        return {};
    }
    if (job.error() != QKeychain::NoError) {
        setError(error, job.error() == QKeychain::EntryNotFound
                            ? QStringLiteral("No secret in the keyring for %1").arg(reference)
                            : QStringLiteral("The keyring could not be read: %1")
                                  .arg(job.errorString()));
        return {};
    }
    const QByteArray secret = job.binaryData();
    std::lock_guard<std::mutex> lock(g_mutex);
    g_cache.insert(reference, secret);
    return secret;
}

bool deleteSecret(const QString &reference, QString *error)
{
    QString service, key;
    if (!parseReference(reference, &service, &key)) {
        setError(error, QStringLiteral("'%1' is not a keyring reference").arg(reference));
        return false;
    }
    {
        std::lock_guard<std::mutex> lock(g_mutex);
        g_cache.remove(reference);
    }
    QKeychain::DeletePasswordJob job(service);
    job.setAutoDelete(false);
    job.setKey(key);
    if (!waitFor(&job, 15000)) {
        setError(error, QStringLiteral("The keyring did not answer"));
        return false;
    }
    if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound) {
        setError(error, job.errorString());
        return false;
    }
    return true;
}

QStringList prefetch(const sb::model::Project &project, const QString &profile)
{
    QStringList failed;
    for (const sb::model::System &s : project.systems) {
        for (const sb::model::EndpointProfile &p : s.profiles) {
            if (p.name != profile || !p.secretRef.startsWith(QLatin1String("keyring:")))
                continue;
            {
                std::lock_guard<std::mutex> lock(g_mutex);
                if (g_cache.contains(p.secretRef))
                    continue;
            }
            QString error;
            if (readSecret(p.secretRef, &error).isEmpty())
                failed << QStringLiteral("%1: %2").arg(s.id, error);
        }
    }
    return failed;
}

void installResolver()
{
    {
        std::lock_guard<std::mutex> lock(g_mutex);
        if (g_installed)
            return;
        g_installed = true;
    }
    sb::runtime::setSecretResolver(&resolve);
}

void clearCache()
{
    std::lock_guard<std::mutex> lock(g_mutex);
    g_cache.clear();
}

} // namespace studio::keyring
