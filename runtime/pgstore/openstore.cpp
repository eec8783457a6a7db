#include "runtime/pgstore/openstore.h"

#include "runtime/pgstore/pgstore.h"

#include <QRegularExpression>

namespace sb::runtime {

bool isPostgresUri(const QString &uri)
{
    return uri.startsWith(QLatin1String("postgresql://"))
           || uri.startsWith(QLatin1String("postgres://"));
}

bool uriHasPassword(const QString &uri)
{
    static const QRegularExpression userInfo(
        QStringLiteral("^postgres(?:ql)?://[^:@/]*:[^@/]*@"));
    static const QRegularExpression param(QStringLiteral("[?&]password="));
    return isPostgresUri(uri) && (userInfo.match(uri).hasMatch() || param.match(uri).hasMatch());
}

Result<std::unique_ptr<Store>> openStore(const QString &uri, const StoreOptions &options)
{
    if (!isPostgresUri(uri))
        return Store::open(uri, options);
    auto pg = PostgresStore::connect(uri, options);
    if (!pg.ok())
        return pg.error();
    return std::unique_ptr<Store>(pg.takeValue());
}

Result<QString> resolveStoreAddress(const QString &given)
{
    QString value = given;
    const bool fromCommandLine = !given.isEmpty();
    if (value.isEmpty())
        value = qEnvironmentVariable("SWITCHBOARD_STORE");
    if (value.startsWith(QLatin1String("env:"))) {
        const QString name = value.mid(4);
        if (name.isEmpty() || !qEnvironmentVariableIsSet(name.toLocal8Bit().constData()))
            return Error{QStringLiteral("the store address names environment variable '%1', "
                                        "which is not set").arg(name)};
        return qEnvironmentVariable(name.toLocal8Bit().constData());
    }
    if (fromCommandLine && uriHasPassword(value))
        return Error{QStringLiteral("refusing a password in the store address on the command "
                                    "line (visible to every user): use PGPASSWORD, ~/.pgpass "
                                    "or --store env:NAME")};
    return value;
}

} // namespace sb::runtime
