#include "app/run/exportcontroller.h"

#include "model/document.h"
#include "model/projectjson.h"
#include "model/validator.h"
#include "runtime/bundle/bundle.h"
#include "runtime/check/projectcheck.h"

#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QRegularExpression>
#include <QUrl>

using namespace sb;

namespace {

QString shellQuote(const QString &s)
{
    static const QString safe = QStringLiteral(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:=@");
    bool plain = !s.isEmpty();
    for (const QChar c : s)
        plain = plain && safe.contains(c);
    if (plain)
        return s;
    QString q = s;
    q.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

} // namespace

ExportController::ExportController(QObject *parent) : QObject(parent) {}

QObject *ExportController::document() const { return m_document.data(); }

void ExportController::setDocument(QObject *document)
{
    auto *doc = qobject_cast<model::Document *>(document);
    if (doc == m_document)
        return;
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = doc;
    // The profile list follows the project (opened, profiles added or renamed).
    if (doc) {
        connect(doc, &model::Document::projectReset, this, &ExportController::documentChanged);
        connect(doc, &model::Document::changed, this, &ExportController::documentChanged);
    }
    emit documentChanged();
}

QStringList ExportController::profiles() const
{
    QStringList out{QStringLiteral("sandbox")};
    if (!m_document)
        return out;
    for (const model::System &s : m_document->project().systems) {
        for (const model::EndpointProfile &p : s.profiles) {
            if (!p.sandbox && !out.contains(p.name))
                out << p.name;
        }
    }
    return out;
}

void ExportController::setProfile(const QString &profile)
{
    if (profile == m_profile)
        return;
    m_profile = profile;
    emit profileChanged();
    validate();
}

void ExportController::setBundlePath(const QString &pathOrUrl)
{
    const QUrl url(pathOrUrl);
    const QString path = url.isLocalFile() ? url.toLocalFile() : pathOrUrl;
    if (path == m_path)
        return;
    m_path = path;
    emit bundlePathChanged();
}

QString ExportController::suggestedPath() const
{
    if (!m_document)
        return QString();
    const QString file = m_document->fileName();
    QString base = m_document->project().name.toLower();
    base.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    if (base.isEmpty())
        base = QStringLiteral("project");
    const QString dir = file.isEmpty() ? QDir::homePath() : QFileInfo(file).absolutePath();
    return dir + QLatin1Char('/') + base + QLatin1Char('-') + m_profile
           + QStringLiteral(".bundle.json");
}

void ExportController::validate()
{
    m_findings.clear();
    m_errors = 0;
    m_warnings = 0;
    m_environment.clear();
    if (!m_document) {
        emit validated();
        return;
    }
    const model::Project &project = m_document->project();
    for (const runtime::EnvironmentVariable &v : runtime::bundleEnvironment(project, m_profile))
        m_environment.append(QVariantMap{{QStringLiteral("name"), v.name},
                                         {QStringLiteral("purpose"), v.purpose}});
    auto add = [this](const QString &severity, const QString &rule, const QString &message,
                      const QString &location, const QString &element) {
        m_findings.append(QVariantMap{{QStringLiteral("severity"), severity},
                                      {QStringLiteral("ruleId"), rule},
                                      {QStringLiteral("message"), message},
                                      {QStringLiteral("location"), location},
                                      {QStringLiteral("element"), element}});
        if (severity == QLatin1String("error"))
            ++m_errors;
        else if (severity == QLatin1String("warning"))
            ++m_warnings;
    };
    // What the bundle writer refuses comes first: it is specific to the profile.
    auto secrets = runtime::checkSecretReferences(project);
    if (!secrets.ok())
        add(QStringLiteral("error"), QStringLiteral("export.literal-secret"),
            secrets.error().message, QString(), QString());
    runtime::ExportOptions options;
    options.profile = m_profile;
    auto dry = runtime::exportBundle(project, options);
    if (!dry.ok() && secrets.ok())
        add(QStringLiteral("error"), QStringLiteral("export.profile"), dry.error().message,
            QString(), QString());
    // The same checks as export on the command line, JSONata syntax included.
    for (const model::Finding &f : runtime::checkProject(project)) {
        if (f.severity == model::Severity::Info)
            continue;
        add(model::toString(f.severity), f.ruleId, f.message,
            f.location.display.isEmpty() ? f.location.element : f.location.display,
            f.location.element);
    }
    emit validated();
}

bool ExportController::exportBundle()
{
    validate();
    m_command.clear();
    m_secretVariables.clear();
    if (!m_document) {
        m_result = tr("No project is open");
        emit exported();
        return false;
    }
    if (m_errors > 0) {
        m_result = m_errors == 1
                       ? tr("Export blocked: 1 error must be fixed first")
                       : tr("Export blocked: %1 errors must be fixed first").arg(m_errors);
        emit exported();
        return false;
    }
    if (m_path.isEmpty()) {
        m_result = tr("Choose where to write the bundle");
        emit exported();
        return false;
    }
    runtime::ExportOptions options;
    options.profile = m_profile;
    auto bundle = runtime::exportBundle(m_document->project(), options);
    if (!bundle.ok()) {
        m_result = bundle.error().message;
        emit exported();
        return false;
    }
    auto written = model::writeFileAtomically(m_path, bundle.value());
    if (!written.ok()) {
        m_result = written.error().toString();
        emit exported();
        return false;
    }
    // Read it back: what we report is what the runner will verify.
    auto check = runtime::loadBundle(m_path);
    if (!check.ok()) {
        m_result = check.error().toString();
        emit exported();
        return false;
    }
    const auto count = [](qsizetype n, const QString &one, const QString &many) {
        return QString::number(n) + QLatin1Char(' ') + (n == 1 ? one : many);
    };
    m_result = tr("Wrote %1: %2, %3, profile %4, %5")
                   .arg(QFileInfo(m_path).fileName(),
                        count(check.value().project.workflows.size(), tr("workflow"),
                              tr("workflows")),
                        count(check.value().project.mappings.size(), tr("mapping"),
                              tr("mappings")),
                        m_profile,
                        check.value().contentHash.left(19) + QStringLiteral("\u2026"));
    // Keyring secrets were written as env: references: say which variables to set.
    m_secretVariables.clear();
    QStringList names;
    for (const auto &v : runtime::keyringSecrets(m_document->project(), m_profile)) {
        names << v.first;
        m_secretVariables.append(QVariantMap{{QStringLiteral("name"), v.first},
                                             {QStringLiteral("reference"), v.second}});
    }
    m_command = serveCommand(m_path, names);
    emit exported();
    return true;
}

QString ExportController::serveCommand(const QString &bundlePath)
{
    const QFileInfo info(bundlePath);
    QString base = info.fileName();
    for (const char *suffix : {".json", ".bundle"}) {
        if (base.endsWith(QLatin1String(suffix)))
            base.chop(int(qstrlen(suffix)));
    }
    const QString db = info.absolutePath() + QLatin1Char('/') + base + QStringLiteral(".db");
    // --init: the first run creates the journal; later runs reopen it (never replaced).
    return QStringLiteral("switchboard-run serve %1 --db %2 --init --listen 127.0.0.1:8080")
        .arg(shellQuote(info.absoluteFilePath()), shellQuote(db));
}

QString ExportController::serveCommand(const QString &bundlePath,
                                      const QStringList &secretVariables)
{
    // Prompted for, so the secret is neither in the command nor in the shell history.
    QString out;
    for (const QString &name : secretVariables)
        out += QStringLiteral("read -rs %1 && export %1\n").arg(name);
    return out + serveCommand(bundlePath);
}

void ExportController::copyCommand() const
{
    if (QClipboard *c = QGuiApplication::clipboard())
        c->setText(m_command);
}
