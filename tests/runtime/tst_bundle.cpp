// Bundle export and loading: content, hash verification, tampering, secrets, profiles.
#include "model/projectjson.h"
#include "runtime/bundle/bundle.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace sb;
using namespace sb::runtime;

namespace {

const QString kMini = QStringLiteral(SWITCHBOARD_TEST_DATA "/mini/mini.switchboard");
const QString kTemplate =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash/quote-to-cash.switchboard");

model::Project mini()
{
    auto p = model::loadProject(kMini);
    if (!p.ok())
        qFatal("%s", qPrintable(p.error().toString()));
    return p.takeValue();
}

QByteArray exportOrFail(const model::Project &p, const QString &profile = "sandbox")
{
    ExportOptions o;
    o.profile = profile;
    o.exportedAt = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
    auto r = exportBundle(p, o);
    if (!r.ok())
        qWarning("%s", qPrintable(r.error().toString()));
    return r.ok() ? r.value() : QByteArray();
}

} // namespace

class TestBundle : public QObject
{
    Q_OBJECT
private slots:
    void exportAndLoadRoundTrip()
    {
        const model::Project p = mini();
        const QByteArray text = exportOrFail(p);
        QVERIFY(!text.isEmpty());
        const auto doc = nlohmann::json::parse(text.constData());
        QCOMPARE(QString::fromStdString(doc["format"]), QStringLiteral("switchboard-bundle"));
        QCOMPARE(int(doc["version"]), 1);
        QVERIFY(QString::fromStdString(doc["contentHash"]).startsWith("sha256:"));
        QVERIFY(!doc["project"].contains("datasets"));

        QTemporaryDir dir;
        const QString path = dir.filePath("mini.bundle.json");
        QVERIFY(model::writeFileAtomically(path, text).ok());
        auto b = loadBundle(path);
        QVERIFY2(b.ok(), qPrintable(b.error().toString()));
        QCOMPARE(b.value().name, p.name);
        QCOMPARE(b.value().profile, QStringLiteral("sandbox"));
        QCOMPARE(b.value().exportedAt, QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC));
        QVERIFY(!b.value().runtimeVersion.isEmpty());
        const model::Project &bp = b.value().project;
        QCOMPARE(bp.workflows, p.workflows);
        QCOMPARE(bp.mappings.size(), 1);
        QCOMPARE(bp.ownership, p.ownership);
        QCOMPARE(bp.systems.size(), p.systems.size());
        for (const model::System &s : bp.systems) {
            QCOMPARE(s.profiles.size(), 1);
            QCOMPARE(s.profiles[0].name, QStringLiteral("sandbox"));
            QCOMPARE(s.entities, p.system(s.id)->entities);
        }
        // Deterministic: the same project and time give the same bytes and hash.
        QCOMPARE(exportOrFail(p), text);
    }

    void liveProfileKeepsReferences()
    {
        const QByteArray text = exportOrFail(mini(), "production");
        QVERIFY(!text.isEmpty());
        auto b = parseBundle(text, "x.json");
        QVERIFY2(b.ok(), qPrintable(b.error().toString()));
        const auto *erp = b.value().project.system("erp");
        QVERIFY(erp);
        QCOMPARE(erp->profiles.size(), 1);
        QCOMPARE(erp->profiles[0].secretRef, QStringLiteral("env:ERP_TOKEN"));
        QCOMPARE(erp->profiles[0].baseUrl, QStringLiteral("https://erp.example.com/odata"));
    }

    // A studio secret in the keyring is exported as an environment variable reference.
    void keyringReferenceExportedAsEnv()
    {
        model::Project p = mini();
        model::EndpointProfile &pr = p.systems[1].profiles[1];
        QCOMPARE(pr.name, QStringLiteral("production"));
        pr.secretRef = QStringLiteral("keyring:switchboard/mini/erp/production");
        QVERIFY(checkSecretReferences(p).ok());
        QCOMPARE(secretEnvName("erp", "production"), QStringLiteral("SB_SECRET_ERP_PRODUCTION"));
        QCOMPARE(secretEnvName("my-crm", "eu.prod"), QStringLiteral("SB_SECRET_MY_CRM_EU_PROD"));
        const auto refs = keyringSecrets(p, "production");
        QCOMPARE(refs.size(), 1);
        QCOMPARE(refs[0].first, QStringLiteral("SB_SECRET_ERP_PRODUCTION"));
        QCOMPARE(refs[0].second, pr.secretRef);
        QVERIFY(keyringSecrets(p, "sandbox").isEmpty());
        const QByteArray text = exportOrFail(p, "production");
        QVERIFY(!text.contains("keyring:"));
        auto b = parseBundle(text, "x.json");
        QVERIFY2(b.ok(), qPrintable(b.error().toString()));
        QCOMPARE(b.value().project.system("erp")->profiles[0].secretRef,
                 QStringLiteral("env:SB_SECRET_ERP_PRODUCTION"));
        // Malformed keyring references are literal secrets.
        pr.secretRef = QStringLiteral("keyring:nokey");
        QVERIFY(!checkSecretReferences(p).ok());
    }

    // Systems without the profile stay on the sandbox (one behaviour with the studio's live
    // run and simulate --profile), and sandboxFallbacks lists them for the messages.
    void unknownProfileKeepsSystemsOnTheSandbox()
    {
        QCOMPARE(sandboxFallbacks(mini(), "staging"), QStringList({"crm", "erp"}));
        QCOMPARE(sandboxFallbacks(mini(), "production"), QStringList());
        QCOMPARE(sandboxFallbacks(mini(), "sandbox"), QStringList());
        const QByteArray text = exportOrFail(mini(), "staging");
        auto b = parseBundle(text);
        QVERIFY(b.ok());
        for (const model::System &s : b.value().project.systems) {
            QCOMPARE(s.profiles.size(), 1);
            QCOMPARE(s.profiles[0].name, QStringLiteral("staging"));
            QVERIFY(s.profiles[0].sandbox);
        }
    }

    void literalSecretRefused_data()
    {
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("baseUrl");
        QTest::addColumn<QString>("expect");
        QTest::newRow("literal") << "s3cr3t-t0ken" << "" << "literal secret";
        QTest::newRow("userinfo") << "" << "https://bob:pw@erp.example.com" << "credentials";
        QTest::newRow("query") << "" << "https://erp.example.com/?api_key=123" << "api_key";
        // The usual names for credentials in a query string, in any case.
        for (const char *name : {"pass", "passwd", "password", "credentials", "jwt", "token",
                                 "access_token", "api_key", "apikey", "key", "secret",
                                 "signature", "sig", "auth", "JWT", "Pass", "Access_Token"}) {
            QTest::newRow(qPrintable(QStringLiteral("query %1").arg(QLatin1String(name))))
                << "" << QStringLiteral("https://erp.example.com/api?region=eu&%1=x9")
                             .arg(QLatin1String(name))
                << QStringLiteral("'%1'").arg(QLatin1String(name));
        }
    }

    void literalSecretRefused()
    {
        QFETCH(QString, secret);
        QFETCH(QString, baseUrl);
        QFETCH(QString, expect);
        model::Project p = mini();
        model::EndpointProfile &pr = p.systems[1].profiles[1];
        if (!secret.isEmpty())
            pr.secretRef = secret;
        if (!baseUrl.isEmpty())
            pr.baseUrl = baseUrl;
        // Even when exporting another profile: the project is not fit to ship.
        auto r = exportBundle(p, ExportOptions{});
        QVERIFY(!r.ok());
        const QString msg = r.error().message;
        QVERIFY2(msg.contains("system 'erp'") && msg.contains("profile 'production'"),
                 qPrintable(msg));
        QVERIFY2(msg.contains(expect), qPrintable(msg));
        if (!secret.isEmpty())
            QVERIFY(!msg.contains(secret)); // never echo the secret
        QVERIFY(!checkSecretReferences(p).ok());
        QVERIFY(checkSecretReferences(mini()).ok());
    }

    void tamperingIsDetected()
    {
        const QByteArray text = exportOrFail(mini());
        QByteArray tampered = text;
        tampered.replace("\"maxLength\": 40", "\"maxLength\": 400");
        QVERIFY(tampered != text);
        auto r = parseBundle(tampered, "t.json");
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains("hash mismatch"), qPrintable(r.error().message));
        QCOMPARE(r.error().file, QStringLiteral("t.json"));
        QVERIFY(r.error().line > 0);
        // Reformatting alone is not tampering: the hash is over canonical content.
        const auto doc = nlohmann::ordered_json::parse(text.constData());
        const std::string compact = doc.dump();
        QVERIFY(parseBundle(QByteArray::fromStdString(compact)).ok());
    }

    void malformedBundlesAreLocated_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        QTest::newRow("truncated") << QByteArray("{\n  \"format\": \"switchboard-bundle\",\n  \"v")
                                   << 3 << "invalid JSON";
        QTest::newRow("not an object") << QByteArray("[1, 2]") << 1 << "JSON object";
        QTest::newRow("wrong format")
            << QByteArray("{\n  \"format\": \"switchboard-project\",\n  \"version\": 1\n}")
            << 2 << "not a Switchboard bundle";
        QTest::newRow("future version")
            << QByteArray("{\n  \"format\": \"switchboard-bundle\",\n  \"version\": 7\n}") << 3
            << "version 7 is not supported";
        QTest::newRow("no project")
            << QByteArray("{\"format\": \"switchboard-bundle\", \"version\": 1,\n"
                          "\"name\": \"x\", \"profile\": \"sandbox\", \"exportedAt\": \"\",\n"
                          "\"runtimeVersion\": \"0\", \"contentHash\": \"sha256:0\"}")
            << 1 << "\"project\" is missing";
    }

    void malformedBundlesAreLocated()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(QString, message);
        auto r = parseBundle(text, "b.json");
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(message), qPrintable(r.error().toString()));
        QCOMPARE(r.error().line, line);
        QVERIFY(r.error().toString().startsWith("b.json"));
    }

    void invalidProjectInsideBundleIsLocated()
    {
        // Re-sign a bundle whose project is broken: the error points into the bundle.
        auto doc = nlohmann::ordered_json::parse(exportOrFail(mini()).constData());
        doc["project"]["systems"][0]["kind"] = "spaceship";
        doc.erase("contentHash");
        std::string unsigned_ = doc.dump(2);
        auto canonical = nlohmann::json::parse(unsigned_).dump();
        const QByteArray hash = QCryptographicHash::hash(QByteArray::fromStdString(canonical),
                                                         QCryptographicHash::Sha256).toHex();
        doc["contentHash"] = "sha256:" + hash.toStdString();
        const QByteArray text = QByteArray::fromStdString(doc.dump(2));
        auto r = parseBundle(text, "b.json");
        QVERIFY(!r.ok());
        QVERIFY2(r.error().path == "/project/systems/0/kind", qPrintable(r.error().toString()));
        QVERIFY(r.error().line > 1);
    }

    void missingFileIsAnError()
    {
        auto r = loadBundle("/nonexistent/b.json");
        QVERIFY(!r.ok());
        QVERIFY(r.error().toString().startsWith("/nonexistent/b.json"));
    }

    void quoteToCashTemplateExports()
    {
        if (!QFile::exists(kTemplate))
            QSKIP("the Quote-to-Cash template is not there yet");
        auto p = model::loadProject(kTemplate);
        QVERIFY2(p.ok(), qPrintable(p.error().toString()));
        const QByteArray text = exportOrFail(p.value());
        QVERIFY(!text.isEmpty());
        auto b = parseBundle(text, "q2c.json");
        QVERIFY2(b.ok(), qPrintable(b.error().toString()));
        QCOMPARE(b.value().project.workflows.size(), p.value().workflows.size());
        for (const model::Workflow &w : b.value().project.workflows) {
            for (const model::Step &s : w.steps) {
                if (!s.mapping.isEmpty())
                    QVERIFY2(b.value().project.mapping(s.mapping), qPrintable(s.mapping));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestBundle)
#include "tst_bundle.moc"
