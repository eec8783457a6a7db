#include "model/secrets.h"

#include <QUrl>
#include <QUrlQuery>

namespace sb::model {

namespace {

bool isIdentifier(const QString &s)
{
    if (s.isEmpty() || !(s.front().isLetter() || s.front() == QLatin1Char('_')))
        return false;
    for (const QChar c : s) {
        if (!(c.isLetterOrNumber() || c == QLatin1Char('_')))
            return false;
    }
    return true;
}

bool isSecretParameter(const QString &name)
{
    const QString n = name.toLower();
    static const char *const exact[] = {
        "token", "access_token", "key", "api_key", "apikey", "secret", "password", "passwd",
        "pass", "pwd", "credentials", "credential", "jwt", "signature", "sig", "auth"};
    for (const char *e : exact) {
        if (n == QLatin1String(e))
            return true;
    }
    static const char *const suffixes[] = {"_token", "-token", "_key", "-key", "_secret",
                                           "-secret", "_password", "-password"};
    for (const char *sfx : suffixes) {
        if (n.endsWith(QLatin1String(sfx)))
            return true;
    }
    return false;
}

} // namespace

bool isSecretReference(const QString &text)
{
    if (text.startsWith(QLatin1String("env:")))
        return isIdentifier(text.mid(4));
    if (text.startsWith(QLatin1String("file:/")))
        return text.size() > 6;
    if (text.startsWith(QLatin1String("vault:")))
        return !text.mid(6).trimmed().isEmpty();
    // keyring:service/key, held by the operating system's keyring (the studio writes it).
    if (text.startsWith(QLatin1String("keyring:"))) {
        const QString rest = text.mid(8);
        const qsizetype slash = rest.indexOf(QLatin1Char('/'));
        return slash > 0 && slash < rest.size() - 1;
    }
    return false;
}

QStringList secretLeaks(const EndpointProfile &profile)
{
    QStringList leaks;
    if (!profile.secretRef.isEmpty() && !isSecretReference(profile.secretRef.trimmed())) {
        leaks << QStringLiteral("holds a literal secret; use a reference such as env:NAME, "
                                "file:/path or vault:path");
    }
    if (profile.baseUrl.isEmpty())
        return leaks;
    const QUrl url(profile.baseUrl);
    if (!url.userInfo().isEmpty()) {
        leaks << QStringLiteral("embeds credentials in its base URL (user:password@host); use "
                                "the profile's secret reference");
    }
    const auto items = QUrlQuery(url).queryItems();
    for (const auto &item : items) {
        if (isSecretParameter(item.first)) {
            leaks << QStringLiteral("embeds a secret in its base URL (query parameter '%1'); "
                                    "use the profile's secret reference")
                         .arg(item.first);
            break;
        }
    }
    return leaks;
}

QString webhookSecretProblem(const WebhookAuth &auth)
{
    if (auth.type != WebhookAuthType::HmacSha256 && auth.type != WebhookAuthType::Bearer)
        return QString();
    const QString ref = auth.secretRef.trimmed();
    if (ref.isEmpty())
        return QStringLiteral("has no secret reference; set one such as env:NAME");
    if (!isSecretReference(ref))
        return QStringLiteral("holds a literal secret; use a reference such as env:NAME, "
                              "file:/path or vault:path");
    return QString();
}

} // namespace sb::model
