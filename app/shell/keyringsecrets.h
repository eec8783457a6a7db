#pragma once

// Secrets typed in the studio live in the operating system's keyring (qtkeychain: the
// Secret Service on Linux, Keychain on macOS, Credential Manager on Windows); the project
// only holds the reference keyring:<service>/<key>, e.g.
// keyring:switchboard/quote-to-cash/crm/production. installResolver() teaches the runtime's
// resolveSecret to read them, so "Test connection" and live runs send the real secret.
// The runtime itself stays free of keyring and GUI libraries.

#include "model/project.h"

#include <QByteArray>
#include <QString>

namespace studio::keyring {

inline constexpr const char *kService = "switchboard";

// keyring:switchboard/<project>/<system>/<profile>, the project's name as a slug.
QString referenceFor(const QString &projectName, const QString &system, const QString &profile);
// Splits keyring:<service>/<key>; false when `reference` is not one.
bool parseReference(const QString &reference, QString *service, QString *key);

// Blocking keyring calls (a local event loop, at most `timeoutMs`); on failure false / empty
// with a sentence in *error. Call from the GUI thread.
bool writeSecret(const QString &reference, const QByteArray &secret, QString *error = nullptr);
QByteArray readSecret(const QString &reference, QString *error = nullptr,
                      int timeoutMs = 10000);
bool deleteSecret(const QString &reference, QString *error = nullptr);

// Reads every keyring secret of `profile` into the resolver's cache, so a run on a worker
// thread finds them there (keyring jobs run on the GUI thread). Returns the references that
// could not be read, with why.
QStringList prefetch(const sb::model::Project &project, const QString &profile);

// Installs the keyring-backed resolver into sb::runtime (once; later calls do nothing).
void installResolver();
// Forgets cached secrets (tests; a project closed).
void clearCache();

} // namespace studio::keyring
