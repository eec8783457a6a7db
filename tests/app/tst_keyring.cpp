// Secrets in the OS keyring, against a real gnome-keyring over D-Bus: ctest runs
// this under scripts/with-keyring.sh. A secret typed for an endpoint profile goes to the
// keyring and the profile keeps keyring:switchboard/<project>/<system>/<profile>; neither
// the saved project nor the exported bundle holds the secret; Test connection and a live
// run send it as the Authorization header to a loopback server.

#include "app/run/exportcontroller.h"
#include "app/shell/keyringsecrets.h"
#include "app/model/profilesmodel.h"
#include "app/run/runcontroller.h"
#include "app/studio.h"
#include "tests/support/gui/guitestsupport.h"
#include "app/shell/studiocontroller.h"
#include "model/document.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using testsupport::distinctColours;

using studio::findItem;

namespace {

const QString kMiniDir = QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/runtime/data/mini");
const QByteArray kSecret = "kr-s3cr3t-5f1e9a";

// A loopback HTTP server that answers every request with 201 and a small JSON body and
// keeps what it was sent.
class RecordingServer : public QObject
{
public:
    struct Request
    {
        QByteArray method, path;
        QHash<QByteArray, QByteArray> headers;
    };
    QList<Request> requests;

    quint16 start()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this]() {
            while (QTcpSocket *s = m_server.nextPendingConnection())
                connect(s, &QTcpSocket::readyRead, this, [this, s]() { read(s); });
        });
        return m_server.listen(QHostAddress::LocalHost, 0) ? m_server.serverPort() : 0;
    }

private:
    void read(QTcpSocket *s)
    {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        const int end = buf.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        Request r;
        const QList<QByteArray> lines = buf.left(end).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        r.method = first.value(0);
        r.path = first.value(1);
        int length = 0;
        for (int i = 1; i < lines.size(); ++i) {
            const int colon = lines[i].indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = lines[i].left(colon).trimmed().toLower();
            r.headers.insert(name, lines[i].mid(colon + 1).trimmed());
            if (name == "content-length")
                length = lines[i].mid(colon + 1).trimmed().toInt();
        }
        if (buf.size() < end + 4 + length)
            return;
        m_buffers.remove(s);
        requests << r;
        const QByteArray body = "{\"customerId\":\"C-1\",\"name\":\"x\"}";
        s->write("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: "
                 + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        s->disconnectFromHost();
        connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
    }
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

int profileRow(ProfilesModel &m, const QString &name)
{
    for (int i = 0; i < m.rowCount(); ++i) {
        if (m.index(i).data(ProfilesModel::NameRole).toString() == name)
            return i;
    }
    return -1;
}

QByteArray readAll(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool runAndWait(RunController &run, int timeoutMs = 60000)
{
    QSignalSpy finished(&run, &RunController::runFinished);
    if (!run.run())
        return false;
    return finished.wait(timeoutMs) && run.waitIdle(timeoutMs);
}

} // namespace

class TestKeyring : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void referencesAreParsed();
    void secretStaysInTheKeyring();
    void inspectorStoresTypedSecret();
    void cleanupTestCase();

private:
    QString m_reference;
};

void TestKeyring::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("Switchboard"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_keyring"));
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
         + QStringLiteral("/runs")).removeRecursively();
    // The keyring must answer: this test is about the real one (scripts/with-keyring.sh).
    QString error;
    const QString probe = QStringLiteral("keyring:switchboard/tst-keyring/probe");
    QVERIFY2(studio::keyring::writeSecret(probe, "probe", &error),
             qPrintable(QStringLiteral("no usable keyring (run under scripts/with-keyring.sh): ")
                        + error));
    QVERIFY(studio::keyring::deleteSecret(probe));
}

void TestKeyring::referencesAreParsed()
{
    QCOMPARE(studio::keyring::referenceFor("Quote-to-Cash EU", "crm", "production"),
             QStringLiteral("keyring:switchboard/quote-to-cash-eu/crm/production"));
    QString service, key;
    QVERIFY(studio::keyring::parseReference("keyring:switchboard/a/b/c", &service, &key));
    QCOMPARE(service, QStringLiteral("switchboard"));
    QCOMPARE(key, QStringLiteral("a/b/c"));
    QVERIFY(!studio::keyring::parseReference("env:X", nullptr, nullptr));
    QVERIFY(!studio::keyring::parseReference("keyring:nokey", nullptr, nullptr));
    QString error;
    QVERIFY(studio::keyring::readSecret("keyring:switchboard/tst-keyring/none", &error)
                .isEmpty());
    QVERIFY2(error.contains("No secret"), qPrintable(error));
}

void TestKeyring::secretStaysInTheKeyring()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir().mkpath(dir.filePath("data")));
    for (const char *f : {"data/accounts.jsonl", "data/customers.csv"})
        QVERIFY(QFile::copy(kMiniDir + "/" + f, dir.filePath(f)));
    sb::model::Document doc;
    QVERIFY(doc.load(kMiniDir + "/mini.switchboard").ok());
    const QString file = dir.filePath("mini.switchboard");
    QVERIFY(doc.saveAs(file).ok());

    // Typed in the inspector: stored in the keyring, referenced from the profile.
    ProfilesModel profiles;
    QAbstractItemModelTester tester(&profiles,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    profiles.setDocument(&doc);
    profiles.setSystemId(QStringLiteral("erp"));
    const int row = profileRow(profiles, QStringLiteral("production"));
    QVERIFY(row >= 0);
    QVERIFY(!profiles.index(row).data(ProfilesModel::SecretInKeyringRole).toBool());
    QVERIFY(!profiles.storeSecret(profileRow(profiles, "sandbox"), "x").isEmpty());
    QVERIFY(!profiles.storeSecret(row, QString()).isEmpty());
    QCOMPARE(profiles.storeSecret(row, QString::fromLatin1(kSecret)), QString());
    m_reference = profiles.index(row).data(ProfilesModel::SecretRefRole).toString();
    QCOMPARE(m_reference, QStringLiteral("keyring:switchboard/mini-order-sync/erp/production"));
    QVERIFY(profiles.index(row).data(ProfilesModel::SecretInKeyringRole).toBool());
    QVERIFY(profiles.index(row).data(ProfilesModel::SecretProblemRole).toString().isEmpty());
    // One undo step, and redo brings the reference back.
    doc.undo();
    QCOMPARE(profiles.index(row).data(ProfilesModel::SecretRefRole).toString(),
             QStringLiteral("env:ERP_TOKEN"));
    doc.redo();
    QCOMPARE(profiles.index(row).data(ProfilesModel::SecretRefRole).toString(), m_reference);

    // It round-trips through the keyring itself, not only the studio's cache.
    studio::keyring::clearCache();
    QString error;
    QCOMPARE(studio::keyring::readSecret(m_reference, &error), kSecret);
    QVERIFY(error.isEmpty());

    // The saved project has the reference and not the secret.
    QVERIFY(doc.save().ok());
    const QByteArray saved = readAll(file);
    QVERIFY(saved.contains(m_reference.toUtf8()));
    QVERIFY(!saved.contains(kSecret));

    // Live endpoints: the ERP on a loopback server that records what it is sent.
    RecordingServer server;
    const quint16 port = server.start();
    QVERIFY(port > 0);
    profiles.setValue(row, QStringLiteral("baseUrl"),
                      QStringLiteral("http://127.0.0.1:%1").arg(port));
    profiles.endEdit();
    QVERIFY(doc.save().ok());
    QVERIFY(!readAll(file).contains(kSecret));

    // The export writes an env: reference and says which variable to set.
    ExportController exporter;
    exporter.setDocument(&doc);
    exporter.setProfile(QStringLiteral("production"));
    const QString bundle = dir.filePath("mini-production.bundle.json");
    exporter.setBundlePath(bundle);
    QVERIFY2(exporter.exportBundle(), qPrintable(exporter.resultText()));
    const QByteArray bundleText = readAll(bundle);
    QVERIFY(!bundleText.isEmpty());
    QVERIFY(!bundleText.contains(kSecret));
    QVERIFY(!bundleText.contains("keyring:"));
    QVERIFY(bundleText.contains("env:SB_SECRET_ERP_PRODUCTION"));
    QCOMPARE(exporter.secretVariables().size(), 1);
    QCOMPARE(exporter.secretVariables()[0].toMap().value("name").toString(),
             QStringLiteral("SB_SECRET_ERP_PRODUCTION"));
    QVERIFY(exporter.command().contains("SB_SECRET_ERP_PRODUCTION"));
    QVERIFY(exporter.command().contains("switchboard-run serve"));
    QVERIFY(!exporter.command().contains(QString::fromLatin1(kSecret)));

    // Test connection sends the secret from the keyring.
    studio::keyring::clearCache();
    RunController run;
    run.setDocument(&doc);
    run.setProjectDir(dir.path());
    run.testConnections(QStringLiteral("production"), 3000);
    QTRY_VERIFY_WITH_TIMEOUT(!run.testingConnection(), 20000);
    QVERIFY(!server.requests.isEmpty());
    QCOMPARE(server.requests.first().method, QByteArray("GET"));
    QCOMPARE(server.requests.first().headers.value("authorization"), "Bearer " + kSecret);
    bool erpOk = false;
    for (const QVariant &v : run.connectionResults()) {
        const QVariantMap m = v.toMap();
        if (m.value("system") == "erp")
            erpOk = m.value("state").toString() == QLatin1String("ok");
    }
    QVERIFY(erpOk);

    // A studio run against the live profile: every ERP call carries it too.
    studio::keyring::clearCache();
    server.requests.clear();
    run.setProfile(QStringLiteral("production"));
    run.setDatasetId(QStringLiteral("accounts"));
    QVERIFY2(runAndWait(run), qPrintable(run.errorText()));
    QVERIFY2(run.errorText().isEmpty(), qPrintable(run.errorText()));
    QCOMPARE(run.summary().value("completed").toInt(), 3);
    QCOMPARE(server.requests.size(), 3);
    for (const auto &r : server.requests) {
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.path, QByteArray("/Customer"));
        QCOMPARE(r.headers.value("authorization"), "Bearer " + kSecret);
    }

    // Gone from the keyring: the run is refused with the reason, nothing is sent.
    QVERIFY(studio::keyring::deleteSecret(m_reference));
    studio::keyring::clearCache();
    server.requests.clear();
    QVERIFY(!run.run());
    QVERIFY2(run.errorText().contains("erp") && run.errorText().contains("keyring"),
             qPrintable(run.errorText()));
    QVERIFY(server.requests.isEmpty());
}

// The real studio: a secret typed in the endpoint inspector lands in the keyring; the
// export dialog names the variable to set. Screenshots of both.
void TestKeyring::inspectorStoresTypedSecret()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QFile::copy(kMiniDir + "/mini.switchboard", dir.filePath("mini.switchboard")));
    QQmlApplicationEngine engine;
    studio::prepareApplication();
    QCoreApplication::setApplicationName(QStringLiteral("tst_keyring"));
    QVERIFY(studio::loadStudio(engine));
    StudioController *ctl = studio::controller(engine);
    QVERIFY(ctl->openProject(dir.filePath("mini.switchboard")));
    QQuickWindow *window = studio::mainWindow(engine);
    QVERIFY(window);
    window->resize(1440, 900);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    ctl->setCurrentView(StudioController::Landscape);
    ctl->select(QStringLiteral("system:erp"));
    QQuickItem *inspector = findItem(window->contentItem(), QStringLiteral("systemInspector"));
    QVERIFY(inspector);
    QQuickItem *tabs = findItem(inspector, QStringLiteral("inspectorTabs"));
    QVERIFY(tabs);
    tabs->setProperty("currentIndex", 1);
    auto *profiles = qvariant_cast<ProfilesModel *>(inspector->property("profilesModel"));
    QVERIFY(profiles);
    const int row = profileRow(*profiles, QStringLiteral("production"));
    QVERIFY(row >= 0);

    // The live profile's card: type the secret, press Store.
    QQuickItem *field = nullptr;
    QQuickItem *store = nullptr;
    QTRY_VERIFY((field = findItem(inspector, QStringLiteral("profileSecretField"))) != nullptr);
    // The sandbox card comes first and hides its field: take the visible one.
    QList<QQuickItem *> stack{inspector};
    while (!stack.isEmpty()) {
        QQuickItem *it = stack.takeLast();
        if (it->objectName() == QLatin1String("profileSecretField") && it->isVisible())
            field = it;
        if (it->objectName() == QLatin1String("storeSecretButton") && it->isVisible())
            store = it;
        stack << it->childItems();
    }
    QVERIFY(field && field->isVisible());
    QVERIFY(store);
    QCOMPARE(field->property("echoMode").toInt(), 2); // TextInput.Password
    field->setProperty("text", QString::fromLatin1(kSecret));
    QVERIFY(store->property("enabled").toBool());
    const QString typed = QDir(QCoreApplication::applicationDirPath())
                              .filePath(QStringLiteral("keyring-inspector-typed.png"));
    QVERIFY(studio::grabToFile(window, typed));
    QVERIFY(!QImage(typed).isNull());
    QVERIFY(QMetaObject::invokeMethod(store, "clicked"));
    const QString ref = QStringLiteral("keyring:switchboard/mini-order-sync/erp/production");
    QTRY_COMPARE(profiles->index(row).data(ProfilesModel::SecretRefRole).toString(), ref);
    m_reference = ref;
    QCOMPARE(field->property("text").toString(), QString());
    studio::keyring::clearCache();
    QCOMPARE(studio::keyring::readSecret(ref), kSecret);
    const QString stored = QDir(QCoreApplication::applicationDirPath())
                               .filePath(QStringLiteral("keyring-inspector-stored.png"));
    QVERIFY(studio::grabToFile(window, stored));
    QVERIFY(distinctColours(stored) >= 16);
    QVERIFY(ctl->save());
    QVERIFY(!readAll(dir.filePath("mini.switchboard")).contains(kSecret));

    // The export dialog for the live profile.
    QObject *dialog = window->findChild<QObject *>(QStringLiteral("exportDialog"));
    QVERIFY(dialog);
    QMetaObject::invokeMethod(dialog, "open");
    QTRY_VERIFY(dialog->property("opened").toBool());
    auto *exporter = dialog->findChild<ExportController *>(QStringLiteral("exportController"));
    QVERIFY(exporter);
    exporter->setProfile(QStringLiteral("production"));
    exporter->setBundlePath(dir.filePath(QStringLiteral("mini.bundle.json")));
    QVERIFY2(exporter->exportBundle(), qPrintable(exporter->resultText()));
    QVERIFY(!readAll(dir.filePath("mini.bundle.json")).contains(kSecret));
    QQuickItem *vars = nullptr;
    QTRY_VERIFY((vars = qobject_cast<QQuickItem *>(
                     dialog->findChild<QObject *>(QStringLiteral("exportSecretVariables"))))
                && vars->isVisible());
    auto *box = dialog->findChild<QObject *>(QStringLiteral("exportProfileBox"));
    QVERIFY(box);
    QCOMPARE(box->property("displayText").toString(), QStringLiteral("production"));
    const QString exportShot = QDir(QCoreApplication::applicationDirPath())
                                   .filePath(QStringLiteral("keyring-export.png"));
    QVERIFY(studio::grabToFile(window, exportShot));
    QVERIFY(distinctColours(exportShot) >= 16);
    QMetaObject::invokeMethod(dialog, "close");
}

void TestKeyring::cleanupTestCase()
{
    if (!m_reference.isEmpty())
        studio::keyring::deleteSecret(m_reference);
}

QTEST_MAIN(TestKeyring)
#include "tst_keyring.moc"
