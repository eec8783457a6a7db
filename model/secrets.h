#pragma once

// What counts as a secret reference, shared by the validator (profile.literal-secret) and
// the bundle export (which refuses to ship a literal secret).

#include "model/project.h"

#include <QStringList>

namespace sb::model {

// env:NAME, file:/path, vault:path or keyring:service/key.
bool isSecretReference(const QString &text);

// Why `profile` would leak a secret, one sentence each ("holds a literal secret; ...");
// empty when it carries only references. Never repeats the secret itself.
QStringList secretLeaks(const EndpointProfile &profile);

// Why a webhook trigger's auth secret is unusable ("holds a literal secret; ..." or "has no
// secret reference; ..."); empty when it is a reference or the type needs no secret.
QString webhookSecretProblem(const WebhookAuth &auth);

} // namespace sb::model
