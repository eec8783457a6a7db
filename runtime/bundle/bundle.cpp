#include "runtime/bundle/bundle.h"

#include "model/jsonlimits.h"
#include "model/projectjson.h"
#include "model/secrets.h"
#include "runtime/runtime.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <cstdint>

namespace sb::runtime {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

QString sha256Of(const json &doc)
{
    json copy = doc;
    copy.erase("contentHash");
    const std::string canonical = copy.dump();
    const QByteArray digest = QCryptographicHash::hash(
        QByteArray::fromRawData(canonical.data(), qsizetype(canonical.size())),
        QCryptographicHash::Sha256);
    return QStringLiteral("sha256:") + QString::fromLatin1(digest.toHex());
}

Error located(const QByteArray &text, const QString &fileName, const QString &pointer,
              const QString &message)
{
    Error e;
    e.file = fileName;
    e.message = message;
    e.path = pointer;
    const qsizetype offset = model::locateJsonPointer(text, pointer);
    if (offset >= 0) {
        const auto lc = model::lineColumnAt(text, offset);
        e.line = lc.first;
        e.column = lc.second;
    }
    return e;
}

} // namespace

Result<bool> checkSecretReferences(const model::Project &project)
{
    for (const model::System &s : project.systems) {
        for (const model::EndpointProfile &pr : s.profiles) {
            const QStringList leaks = model::secretLeaks(pr);
            if (!leaks.isEmpty()) {
                return Error{QStringLiteral("system '%1', profile '%2' %3; a bundle may only "
                                            "carry secret references")
                                 .arg(s.id, pr.name, leaks.first())};
            }
        }
    }
    for (const model::Workflow &w : project.workflows) {
        if (w.trigger.type != model::TriggerType::Webhook)
            continue;
        const QString problem = model::webhookSecretProblem(w.trigger.auth);
        if (!problem.isEmpty()) {
            Error e;
            e.message = QStringLiteral("workflow '%1' webhook auth %2; a bundle may only "
                                       "carry secret references").arg(w.id, problem);
            return e;
        }
    }
    return true;
}

QString secretEnvName(const QString &system, const QString &profile)
{
    QString name = QStringLiteral("SB_SECRET_") + system + QLatin1Char('_') + profile;
    for (QChar &c : name) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128))
            c = QLatin1Char('_');
    }
    return name.toUpper();
}

QString webhookSecretEnvName(const QString &workflow)
{
    return secretEnvName(QStringLiteral("WEBHOOK"), workflow);
}

QVector<EnvironmentVariable> bundleEnvironment(const model::Project &project,
                                               const QString &profile)
{
    QVector<EnvironmentVariable> out;
    QSet<QString> seen;
    auto addRef = [&](const QString &ref, const QString &purpose) {
        QString name;
        if (ref.startsWith(QLatin1String("keyring:")))
            return; // callers pass the reference the bundle carries, never a keyring one
        if (ref.startsWith(QLatin1String("env:")))
            name = ref.mid(4);
        else
            name = ref; // file:, vault: - not a variable, but the operator must provide it
        if (seen.contains(name))
            return;
        seen.insert(name);
        out.append({name, purpose});
    };
    out.append({QStringLiteral("SWITCHBOARD_ADMIN_TOKEN"),
                QStringLiteral("bearer token of the admin API (/api)")});
    seen.insert(out.last().name);
    for (const model::Workflow &w : project.workflows) {
        const model::WebhookAuth &a = w.trigger.auth;
        if (w.trigger.type != model::TriggerType::Webhook || a.secretRef.isEmpty())
            continue;
        if (a.type != model::WebhookAuthType::HmacSha256
            && a.type != model::WebhookAuthType::Bearer)
            continue;
        const QString ref = a.secretRef.startsWith(QLatin1String("keyring:"))
                                ? QStringLiteral("env:") + webhookSecretEnvName(w.id)
                                : a.secretRef;
        addRef(ref, QStringLiteral("%1 secret of webhook '%2'")
                        .arg(toString(a.type), w.id));
    }
    for (const model::System &s : project.systems) {
        for (const model::EndpointProfile &pr : s.profiles) {
            if (pr.name != profile || pr.sandbox || pr.secretRef.isEmpty()
                || pr.auth == model::AuthType::None)
                continue;
            const QString ref = pr.secretRef.startsWith(QLatin1String("keyring:"))
                                    ? QStringLiteral("env:") + secretEnvName(s.id, pr.name)
                                    : pr.secretRef;
            addRef(ref, QStringLiteral("%1 credential of system '%2', profile '%3'")
                            .arg(toString(pr.auth), s.id, pr.name));
        }
    }
    return out;
}

QVector<QPair<QString, QString>> keyringSecrets(const model::Project &project,
                                               const QString &profile)
{
    QVector<QPair<QString, QString>> out;
    for (const model::System &s : project.systems) {
        for (const model::EndpointProfile &pr : s.profiles) {
            if (pr.name == profile && pr.secretRef.startsWith(QLatin1String("keyring:")))
                out.append({secretEnvName(s.id, pr.name), pr.secretRef});
        }
    }
    for (const model::Workflow &w : project.workflows) {
        if (w.trigger.type == model::TriggerType::Webhook
            && w.trigger.auth.secretRef.startsWith(QLatin1String("keyring:")))
            out.append({webhookSecretEnvName(w.id), w.trigger.auth.secretRef});
    }
    return out;
}

namespace {

// Systems named by a workflow's trigger or steps.
QSet<QString> usedSystems(const model::Project &project)
{
    QSet<QString> used;
    for (const model::Workflow &w : project.workflows) {
        if (!w.trigger.system.isEmpty())
            used.insert(w.trigger.system);
        for (const model::Step &st : w.steps) {
            if (!st.system.isEmpty())
                used.insert(st.system);
        }
    }
    return used;
}

} // namespace

QStringList sandboxFallbacks(const model::Project &project, const QString &profile)
{
    QStringList out;
    if (profile.isEmpty() || profile == QLatin1String("sandbox"))
        return out;
    const QSet<QString> used = usedSystems(project);
    for (const model::System &s : project.systems) {
        const bool has = std::any_of(s.profiles.cbegin(), s.profiles.cend(),
                                     [&](const model::EndpointProfile &p) {
                                         return p.name == profile;
                                     });
        if (!has && used.contains(s.id))
            out << s.id;
    }
    return out;
}

Result<QByteArray> exportBundle(const model::Project &project, const ExportOptions &options)
{
    auto secrets = checkSecretReferences(project);
    if (!secrets.ok())
        return secrets.error();
    const QString profile = options.profile.isEmpty() ? QStringLiteral("sandbox")
                                                      : options.profile;

    // Systems the workflows talk to without the chosen profile stay on the sandbox; others
    // keep the profile if they have it.
    const QSet<QString> used = usedSystems(project);
    QSet<QString> usedMappings;
    for (const model::Workflow &w : project.workflows) {
        for (const model::Step &st : w.steps) {
            if (!st.mapping.isEmpty())
                usedMappings.insert(st.mapping);
        }
    }

    model::Project reduced;
    reduced.name = project.name;
    reduced.description = project.description;
    reduced.canonical = project.canonical;
    reduced.ownership = project.ownership;
    reduced.workflows = project.workflows;
    for (model::Workflow &w : reduced.workflows) {
        // Like profile secrets, a webhook secret in the keyring reaches the runner by env.
        if (w.trigger.auth.secretRef.startsWith(QLatin1String("keyring:")))
            w.trigger.auth.secretRef = QStringLiteral("env:") + webhookSecretEnvName(w.id);
    }
    reduced.slas = project.slas;
    reduced.reconciliations = project.reconciliations;
    for (const model::Mapping &m : project.mappings) {
        if (usedMappings.contains(m.id))
            reduced.mappings.append(m);
    }
    for (const model::System &s : project.systems) {
        model::System copy = s;
        copy.profiles.clear();
        for (const model::EndpointProfile &pr : s.profiles) {
            if (pr.name != profile)
                continue;
            copy.profiles.append(pr);
            // The secret stays in the studio's keyring: the runner reads it from its env.
            if (pr.secretRef.startsWith(QLatin1String("keyring:")))
                copy.profiles.last().secretRef =
                    QStringLiteral("env:") + secretEnvName(s.id, pr.name);
        }
        if (copy.profiles.isEmpty()
            && (profile == QLatin1String("sandbox") || used.contains(s.id))) {
            model::EndpointProfile sandbox;
            sandbox.name = profile;
            sandbox.sandbox = true;
            copy.profiles.append(sandbox);
        }
        reduced.systems.append(copy);
    }

    const QByteArray projectText = model::serializeProject(reduced);
    ordered_json projectJson = ordered_json::parse(projectText.constData(), nullptr, false);
    if (projectJson.is_discarded())
        return Error{QStringLiteral("internal error: the project did not serialise to JSON")};

    const QDateTime at = options.exportedAt.isValid() ? options.exportedAt.toUTC()
                                                      : QDateTime::currentDateTimeUtc();
    ordered_json doc;
    doc["format"] = kBundleFormat;
    doc["version"] = kBundleVersion;
    doc["name"] = project.name.toStdString();
    doc["profile"] = profile.toStdString();
    doc["exportedAt"] = at.toString(Qt::ISODateWithMs).toStdString();
    doc["runtimeVersion"] = version().toStdString();
    doc["project"] = std::move(projectJson);
    const QString hash = sha256Of(json::parse(doc.dump()));
    doc["contentHash"] = hash.toStdString();
    const std::string out = doc.dump(2) + "\n";
    return QByteArray(out.data(), qsizetype(out.size()));
}

Result<Bundle> parseBundle(const QByteArray &text, const QString &fileName)
{
    if (auto deep = jsonNestingError(text.constData(), size_t(text.size()))) {
        deep->file = fileName;
        return *deep;
    }
    QJsonParseError perr;
    QJsonDocument::fromJson(text, &perr);
    if (perr.error != QJsonParseError::NoError) {
        Error e;
        e.file = fileName;
        e.message = QStringLiteral("invalid JSON: %1").arg(perr.errorString());
        const auto lc = model::lineColumnAt(text, perr.offset);
        e.line = lc.first;
        e.column = lc.second;
        return e;
    }
    const json doc = json::parse(text.constData(), text.constData() + text.size(), nullptr,
                                 false);
    if (doc.is_discarded() || !doc.is_object()) {
        Error e{QStringLiteral("a bundle must be a JSON object"), fileName, 1, 1};
        return e;
    }
    auto str = [&](const char *key) -> std::optional<QString> {
        auto it = doc.find(key);
        if (it == doc.end() || !it->is_string())
            return std::nullopt;
        return QString::fromStdString(it->get<std::string>());
    };
    const auto format = str("format");
    if (!format || *format != QLatin1String(kBundleFormat)) {
        return located(text, fileName, QStringLiteral("/format"),
                       QStringLiteral("not a Switchboard bundle: \"format\" must be \"%1\"")
                           .arg(QLatin1String(kBundleFormat)));
    }
    auto vit = doc.find("version");
    if (vit == doc.end() || !vit->is_number_integer()) {
        return located(text, fileName, QStringLiteral("/version"),
                       QStringLiteral("\"version\" must be an integer"));
    }
    // Clamped: a version beyond int must read as unsupported, not wrap around to 1.
    const int ver = vit->is_number_unsigned()
        ? int(std::min<std::uint64_t>(vit->get<std::uint64_t>(), INT_MAX))
        : int(std::clamp<std::int64_t>(vit->get<std::int64_t>(), INT_MIN, INT_MAX));
    if (ver < 1 || ver > kBundleVersion) {
        return located(text, fileName, QStringLiteral("/version"),
                       QStringLiteral("bundle version %1 is not supported (this runtime reads "
                                      "version %2)").arg(ver).arg(kBundleVersion));
    }
    for (const char *key : {"name", "profile", "exportedAt", "runtimeVersion", "contentHash"}) {
        if (!str(key)) {
            return located(text, fileName, QStringLiteral("/") + QLatin1String(key),
                           QStringLiteral("\"%1\" is missing or not a string")
                               .arg(QLatin1String(key)));
        }
    }
    auto pit = doc.find("project");
    if (pit == doc.end() || !pit->is_object()) {
        return located(text, fileName, QStringLiteral("/project"),
                       QStringLiteral("\"project\" is missing or not an object"));
    }
    const QString stored = *str("contentHash");
    const QString actual = sha256Of(doc);
    if (stored != actual) {
        return located(text, fileName, QStringLiteral("/contentHash"),
                       QStringLiteral("content hash mismatch: the bundle was modified after "
                                      "export (stored %1, computed %2)").arg(stored, actual));
    }

    const std::string projectText = pit->dump();
    auto project = model::parseProject(
        QByteArray(projectText.data(), qsizetype(projectText.size())), fileName);
    if (!project.ok()) {
        const QString pointer = QStringLiteral("/project") + project.error().path;
        return located(text, fileName, pointer,
                       QStringLiteral("invalid project in bundle: %1")
                           .arg(project.error().message));
    }
    Bundle b;
    b.version = ver;
    b.name = *str("name");
    b.profile = *str("profile");
    b.exportedAt = QDateTime::fromString(*str("exportedAt"), Qt::ISODateWithMs);
    b.runtimeVersion = *str("runtimeVersion");
    b.contentHash = stored;
    b.project = project.takeValue();
    return b;
}

Result<Bundle> loadBundle(const QString &fileName)
{
    auto bytes = model::readInputFile(fileName);
    if (!bytes.ok())
        return bytes.error();
    return parseBundle(bytes.value(), fileName);
}

} // namespace sb::runtime
