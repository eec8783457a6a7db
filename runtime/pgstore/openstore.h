#pragma once

// Opening the store a runner is given: a postgresql:// (or postgres://) URI opens a
// PostgresStore, anything else is an SQLite file (Store::open).

#include "runtime/store/store.h"

namespace sb::runtime {

bool isPostgresUri(const QString &uri);
// Whether a postgresql:// URI carries a password (user:secret@host), which must never be
// given on a command line.
bool uriHasPassword(const QString &uri);
Result<std::unique_ptr<Store>> openStore(const QString &uri, const StoreOptions &options = {});

// The store address a runner was given: `given` (a command-line value), else the
// SWITCHBOARD_STORE environment variable; an `env:NAME` value is read from variable NAME.
// A password is refused in a value from the command line (it would show in `ps`): use
// PGPASSWORD, ~/.pgpass, or an env: reference. Empty when nothing names a store.
Result<QString> resolveStoreAddress(const QString &given);

} // namespace sb::runtime
