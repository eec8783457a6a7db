// switchboard-run store migrate|check --store URI: a store's schema, before runners start
// on it (migrate) or as a health check of the database (check).
#include "runtime/cli/commands.h"

#include "runtime/cli/commandline.h"
#include "runtime/pgstore/openstore.h"
#include "runtime/pgstore/pgstore.h"
#include "runtime/store/store.h"

#include <cstdio>

namespace sb::cli {

using namespace sb::runtime;

namespace {

int report(const char *verb, const Error &error, int code)
{
    std::fprintf(stderr, "switchboard-run store %s: %s\n", verb, qPrintable(error.toString()));
    return code;
}

} // namespace

int runStore(const QStringList &args)
{
    CommandLine cl("store", "usage: switchboard-run store migrate|check --store URI\n"
                            "  migrate  create the schema, or upgrade it to this version's\n"
                            "  check    verify that the store holds the current schema (exit "
                            "1 if not)\n"
                            "  --store URI  postgresql://USER@HOST:PORT/DB, env:NAME or an "
                            "SQLite file\n    (default: $SWITCHBOARD_STORE); the password "
                            "from PGPASSWORD or ~/.pgpass\n");
    cl.addOption({QStringLiteral("store")}, QStringLiteral("URI"));
    if (const auto stop = cl.parse(args, 1, 1))
        return *stop;
    const QString action = cl.positional().first();
    if (action != QLatin1String("migrate") && action != QLatin1String("check"))
        return cl.usageError(QStringLiteral("unknown action '%1' (migrate or check)").arg(action));
    const QByteArray verb = action.toUtf8();
    auto address = resolveStoreAddress(cl.value(QStringLiteral("store")));
    if (!address.ok())
        return cl.usageError(address.error().message);
    if (address.value().isEmpty())
        return cl.usageError(QStringLiteral("--store names no store (nor does "
                                            "SWITCHBOARD_STORE)"));
    const bool migrate = action == QLatin1String("migrate");
    if (!isPostgresUri(address.value())) {
        StoreOptions options;
        options.create = migrate;
        options.verify = !migrate;
        auto store = Store::open(address.value(), options);
        if (!store.ok())
            return report(verb.constData(), store.error(), migrate ? BadInput : WorkFailed);
        std::printf("%s: SQLite journal, %s\n", qPrintable(address.value()),
                    migrate ? "schema up to date" : "ok");
        return Success;
    }
    StoreOptions options;
    options.create = false;
    auto store = PostgresStore::connect(address.value(), options);
    int before = -1;
    if (store.ok()) {
        before = PostgresStore::kSchemaVersion;
    } else {
        // Connected, but the schema is missing or outdated: the check's finding, and what
        // migrate is for. Anything else (no server, refused login) is an error for both.
        const QString message = store.error().message;
        if (!message.contains(QLatin1String("schema")))
            return report(verb.constData(), store.error(), BadInput);
        if (!migrate)
            return report(verb.constData(), store.error(), WorkFailed);
    }
    if (!migrate) {
        auto count = store.value()->countInstances();
        if (!count.ok())
            return report(verb.constData(), count.error(), WorkFailed);
        std::printf("%s: schema version %d, %lld instance(s): ok\n",
                    qPrintable(store.value()->fileName()), PostgresStore::kSchemaVersion,
                    static_cast<long long>(count.value()));
        return Success;
    }
    options.create = true;
    auto migrated = PostgresStore::connect(address.value(), options);
    if (!migrated.ok())
        return report(verb.constData(), migrated.error(), WorkFailed);
    std::printf("%s: schema version %d%s\n", qPrintable(migrated.value()->fileName()),
                PostgresStore::kSchemaVersion,
                before == PostgresStore::kSchemaVersion ? " (already current)" : " (migrated)");
    return Success;
}

} // namespace sb::cli
