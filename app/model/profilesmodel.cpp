#include "app/model/profilesmodel.h"

#include "app/shell/keyringsecrets.h"

#include "model/secrets.h"

using namespace sb::model;

ProfilesModel::ProfilesModel(QObject *parent) : RowListModel(parent)
{
    setRoles(
        &m_rows,
        {{Qt::DisplayRole, nullptr, [](const Row &r) -> QVariant { return r.profile.name; }},
         {NameRole, "name", [](const Row &r) -> QVariant { return r.profile.name; }},
         {SandboxRole, "sandbox", [](const Row &r) -> QVariant { return r.profile.sandbox; }},
         {BaseUrlRole, "baseUrl", [](const Row &r) -> QVariant { return r.profile.baseUrl; }},
         {AuthRole, "auth", [](const Row &r) -> QVariant { return toString(r.profile.auth); }},
         {SecretRefRole, "secretRef",
          [](const Row &r) -> QVariant { return r.profile.secretRef; }},
         {RateLimitRole, "rateLimit",
          [](const Row &r) -> QVariant { return r.profile.rateLimitPerSecond; }},
         {TimeoutRole, "timeoutMs", [](const Row &r) -> QVariant { return r.profile.timeoutMs; }},
         {SecretProblemRole, "secretProblem", &Row::secretProblem},
         {SecretInKeyringRole, "secretInKeyring", [](const Row &r) -> QVariant {
              return r.profile.secretRef.startsWith(QLatin1String("keyring:"));
          }}});
}

void ProfilesModel::setDocument(QObject *document)
{
    if (m_document == document)
        return;
    if (m_doc)
        disconnect(m_doc, nullptr, this, nullptr);
    m_document = document;
    m_doc = qobject_cast<Document *>(document);
    if (m_doc) {
        connect(m_doc, &Document::changed, this, [this](const Change &c) {
            if (c.collection == Collection::Systems || c.collection == Collection::Project)
                syncRows(m_rows, buildRows());
        });
        connect(m_doc, &Document::projectReset, this,
                [this] { resetRows(m_rows, buildRows()); });
    }
    resetRows(m_rows, buildRows());
    emit documentChanged();
}

void ProfilesModel::setSystemId(const QString &id)
{
    if (m_systemId == id)
        return;
    m_systemId = id;
    resetRows(m_rows, buildRows());
    emit systemIdChanged();
}

QStringList ProfilesModel::authTypes() const
{
    return {toString(AuthType::None), toString(AuthType::Bearer), toString(AuthType::Basic),
            toString(AuthType::ApiKey), toString(AuthType::OAuth2)};
}

QVector<ProfilesModel::Row> ProfilesModel::buildRows() const
{
    QVector<Row> rows;
    const System *s = m_doc ? m_doc->project().system(m_systemId) : nullptr;
    if (!s)
        return rows;
    for (int i = 0; i < s->profiles.size(); ++i) {
        Row r;
        r.key = QStringLiteral("p:") + QString::number(i);
        r.profile = s->profiles[i];
        r.secretProblem = secretLeaks(r.profile).join(QLatin1Char(' '));
        rows << r;
    }
    return rows;
}

bool ProfilesModel::commit(const QVector<EndpointProfile> &profiles, const QString &text,
                           const QString &mergeKey)
{
    const System *current = m_doc ? m_doc->project().system(m_systemId) : nullptr;
    if (!current || current->profiles == profiles)
        return false;
    System s = *current;
    s.profiles = profiles;
    m_doc->updateSystem(s, text, mergeKey);
    return true;
}

int ProfilesModel::addProfile(bool sandbox)
{
    const System *s = m_doc ? m_doc->project().system(m_systemId) : nullptr;
    if (!s)
        return -1;
    QVector<EndpointProfile> list = s->profiles;
    QStringList taken;
    for (const EndpointProfile &p : list)
        taken << p.name;
    EndpointProfile p;
    p.sandbox = sandbox;
    const QString base = sandbox ? QStringLiteral("sandbox") : QStringLiteral("production");
    p.name = base;
    for (int n = 2; taken.contains(p.name); ++n)
        p.name = base + QLatin1Char('-') + QString::number(n);
    if (!sandbox) {
        p.baseUrl = QStringLiteral("https://");
        p.auth = AuthType::Bearer;
        p.secretRef = QStringLiteral("env:%1_TOKEN").arg(m_systemId.toUpper().replace(
            QLatin1Char('-'), QLatin1Char('_')));
        p.timeoutMs = 10000;
    }
    list << p;
    m_doc->endMergeGroup();
    commit(list, QStringLiteral("Add profile '%1'").arg(p.name));
    m_doc->endMergeGroup();
    return int(list.size()) - 1;
}

bool ProfilesModel::removeProfile(int row)
{
    const System *s = m_doc ? m_doc->project().system(m_systemId) : nullptr;
    if (!s || row < 0 || row >= s->profiles.size())
        return false;
    QVector<EndpointProfile> list = s->profiles;
    const QString name = list[row].name;
    list.removeAt(row);
    m_doc->endMergeGroup();
    return commit(list, QStringLiteral("Delete profile '%1'").arg(name));
}

bool ProfilesModel::setValue(int row, const QString &property, const QVariant &value)
{
    const System *s = m_doc ? m_doc->project().system(m_systemId) : nullptr;
    if (!s || row < 0 || row >= s->profiles.size())
        return false;
    QVector<EndpointProfile> list = s->profiles;
    EndpointProfile &p = list[row];
    bool discrete = false;   // toggles and choices are single steps, typing merges
    if (property == QLatin1String("name")) {
        if (value.toString().trimmed().isEmpty())
            return false;
        p.name = value.toString().trimmed();
    } else if (property == QLatin1String("sandbox")) {
        p.sandbox = value.toBool();
        discrete = true;
    } else if (property == QLatin1String("baseUrl")) {
        p.baseUrl = value.toString().trimmed();
    } else if (property == QLatin1String("auth")) {
        const auto a = authTypeFromString(value.toString());
        if (!a)
            return false;
        p.auth = *a;
        discrete = true;
    } else if (property == QLatin1String("secretRef")) {
        p.secretRef = value.toString().trimmed();
    } else if (property == QLatin1String("rateLimit")) {
        bool ok = false;
        const double v = value.toString().isEmpty() ? 0 : value.toDouble(&ok);
        if ((!ok && !value.toString().isEmpty()) || v < 0)
            return false;
        p.rateLimitPerSecond = v;
    } else if (property == QLatin1String("timeoutMs")) {
        bool ok = false;
        const int v = value.toString().isEmpty() ? 0 : value.toInt(&ok);
        if ((!ok && !value.toString().isEmpty()) || v < 0)
            return false;
        p.timeoutMs = v;
    } else {
        return false;
    }
    if (discrete)
        m_doc->endMergeGroup();
    const bool done = commit(list, QStringLiteral("Edit %1 of profile '%2'").arg(property, p.name),
                             discrete ? QString()
                                      : QStringLiteral("profile:%1:%2:%3")
                                            .arg(m_systemId).arg(row).arg(property));
    if (discrete)
        m_doc->endMergeGroup();
    return done;
}

void ProfilesModel::endEdit()
{
    if (m_doc)
        m_doc->endMergeGroup();
}

QString ProfilesModel::storeSecret(int row, const QString &secret)
{
    const System *s = m_doc ? m_doc->project().system(m_systemId) : nullptr;
    if (!s || row < 0 || row >= s->profiles.size())
        return tr("No such profile");
    if (s->profiles[row].sandbox)
        return tr("A sandbox profile needs no secret");
    if (secret.isEmpty())
        return tr("Type the secret first");
    const QString ref = studio::keyring::referenceFor(m_doc->project().name, m_systemId,
                                                      s->profiles[row].name);
    QString error;
    if (!studio::keyring::writeSecret(ref, secret.toUtf8(), &error))
        return error;
    m_doc->endMergeGroup();
    if (s->profiles[row].secretRef != ref) {
        QVector<EndpointProfile> list = s->profiles;
        list[row].secretRef = ref;
        commit(list, QStringLiteral("Store secret of '%1' in the keyring").arg(list[row].name));
        m_doc->endMergeGroup();
    }
    return QString();
}
