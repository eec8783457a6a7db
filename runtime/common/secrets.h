#pragma once

// Secret references resolved at run time, shared by the HTTP connector (auth headers) and
// the webhook guard (signing secrets).

#include <QByteArray>
#include <QString>

#include <functional>

namespace sb::runtime {

// The secret behind a reference: env:NAME -> $NAME; other schemes (keyring: in the studio)
// through the installed resolver. Empty when unresolvable.
QByteArray resolveSecret(const QString &reference);
// Resolves the references resolveSecret does not know itself; the studio installs one
// backed by the OS keyring, so the runtime needs no keyring or GUI library. Called from
// whichever thread makes the request; an empty function uninstalls. Thread-safe.
using SecretResolver = std::function<QByteArray(const QString &reference)>;
void setSecretResolver(SecretResolver resolver);

} // namespace sb::runtime
