#include "runtime/common/secrets.h"

#include <mutex>

namespace sb::runtime {

namespace {
std::mutex g_resolverMutex;
SecretResolver g_resolver;
} // namespace

void setSecretResolver(SecretResolver resolver)
{
    std::lock_guard<std::mutex> lock(g_resolverMutex);
    g_resolver = std::move(resolver);
}

QByteArray resolveSecret(const QString &reference)
{
    if (reference.startsWith(QLatin1String("env:")))
        return qgetenv(reference.mid(4).toLocal8Bit().constData());
    SecretResolver resolver;
    {
        std::lock_guard<std::mutex> lock(g_resolverMutex);
        resolver = g_resolver;
    }
    return resolver ? resolver(reference) : QByteArray();
}

} // namespace sb::runtime
