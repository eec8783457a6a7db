#pragma once

// Deployable bundle: one self-contained, versioned JSON file the headless runner executes.
// {"format": "switchboard-bundle", "version": 1, "name", "profile", "exportedAt",
//  "runtimeVersion", "project": {a switchboard-project document reduced to what runs},
//  "contentHash": "sha256:<hex>"}. The hash covers every other key, serialised canonically
// (sorted keys, no whitespace), and is verified on load, so tampering is detected.

#include "model/project.h"
#include "model/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QPair>
#include <QString>
#include <QVector>

namespace sb::runtime {

inline constexpr const char *kBundleFormat = "switchboard-bundle";
inline constexpr int kBundleVersion = 1;

struct Bundle
{
    int version = kBundleVersion;
    QString name;            // the project's name
    QString profile;         // endpoint profile chosen at export
    QDateTime exportedAt;
    QString runtimeVersion;
    QString contentHash;     // "sha256:<hex>"
    // Workflows, the mappings they use, every system with its entity schemas and only the
    // chosen endpoint profile, the canonical model, ownership rules, SLAs, reconciliations.
    model::Project project;
};

struct ExportOptions
{
    QString profile = QStringLiteral("sandbox");
    QDateTime exportedAt;    // invalid: now
};

// Checks every endpoint profile: a secret must be a reference (env:NAME, file:/path,
// vault:path), and base URLs carry no credentials. The error names system and profile.
// Webhook auth secrets must be references too (the error names the workflow).
Result<bool> checkSecretReferences(const model::Project &project);

// The environment variable a bundle reads a keyring-held secret from: a studio secret
// (keyring:service/key) never leaves the keyring; the export writes env:SB_SECRET_<SYSTEM>_
// <PROFILE> in its place, e.g. SB_SECRET_CRM_PRODUCTION.
QString secretEnvName(const QString &system, const QString &profile);
// Where a webhook secret held in the keyring goes: SB_SECRET_WEBHOOK_<WORKFLOW>.
QString webhookSecretEnvName(const QString &workflow);

// What the runner's environment must provide for a bundle: the admin token, every webhook
// secret and every secret of the chosen profile. `name` is the variable (or the file:/vault:
// reference for those), `purpose` says what it is for.
struct EnvironmentVariable
{
    QString name;
    QString purpose;
};
QVector<EnvironmentVariable> bundleEnvironment(const model::Project &project,
                                               const QString &profile);

// The keyring references the export of `profile` replaces: {variable, reference} pairs,
// webhook secrets included.
QVector<QPair<QString, QString>> keyringSecrets(const model::Project &project,
                                               const QString &profile);

// The systems the workflows use that have no profile named `profile`: a run or a bundle
// for that profile keeps them on the sandbox (export, simulate --profile and the studio's
// live run say so). Empty for "sandbox".
QStringList sandboxFallbacks(const model::Project &project, const QString &profile);

// Builds the bundle text. keyring: references become env: ones (secretEnvName). A used
// system without the profile gets a sandbox profile of that name (sandboxFallbacks).
// Error: a literal secret.
Result<QByteArray> exportBundle(const model::Project &project, const ExportOptions &options);

// Parses and verifies a bundle; `fileName` labels errors (file:line:column where known).
Result<Bundle> parseBundle(const QByteArray &text, const QString &fileName = QString());
Result<Bundle> loadBundle(const QString &fileName);

} // namespace sb::runtime
