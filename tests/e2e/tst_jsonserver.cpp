// switchboard-run against a real third-party REST server: json-server 0.17.4 (node), which
// ignores Idempotency-Key, addresses records by "id" and answers 404 with "{}". Natural-key
// upserts, a duplicate record that must not create twice, a readable 404 reason,
// `simulate --profile`, and an export for a profile one system lacks.
#include "tests/support/http.h"
#include "tests/support/process.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <memory>

using namespace sb::testsupport;

namespace {

const QString kData = QStringLiteral(SWITCHBOARD_TEST_DATA "/jsonserver");
const QString kVersion = QStringLiteral("0.17.4");

QString installDir()
{
    const QByteArray env = qgetenv("SWITCHBOARD_JSON_SERVER_DIR");
    return env.isEmpty() ? QStringLiteral(SWITCHBOARD_JSON_SERVER_DIR) : QString::fromUtf8(env);
}

QString cliPath()
{
    return installDir() + QStringLiteral("/node_modules/json-server/lib/cli/bin.js");
}

quint16 freePort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0))
        return 0;
    return s.serverPort();
}

bool copyTree(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    for (const QFileInfo &fi : QDir(from).entryInfoList(QDir::Files | QDir::Dirs
                                                        | QDir::NoDotAndDotDot)) {
        const QString dest = QDir(to).filePath(fi.fileName());
        if (fi.isDir() ? !copyTree(fi.absoluteFilePath(), dest)
                       : !QFile::copy(fi.absoluteFilePath(), dest))
            return false;
    }
    return true;
}

void pause(int ms)
{
    QEventLoop l;
    QTimer::singleShot(ms, &l, &QEventLoop::quit);
    l.exec();
}

QJsonArray getArray(const QString &url)
{
    return request("GET", url).json().array();
}

// The records of `list` whose `field` equals `value`.
QJsonArray where(const QJsonArray &list, const QString &field, const QString &value)
{
    QJsonArray out;
    for (const auto &v : list) {
        if (v.toObject()[field].toString() == value)
            out.append(v);
    }
    return out;
}

} // namespace

class TestJsonServer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void simulateProfileUpsertsByNaturalKey();
    void exportForProfileOneSystemLacks();

private:
    QString startServer();
    QString m_node;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_server;
    QString m_base;
    QString m_project;
};

// json-server is installed into a scratch folder (install-deps does it too); without node,
// npm or a registry the tests skip, saying why.
void TestJsonServer::initTestCase()
{
    m_node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (m_node.isEmpty())
        QSKIP("node is not installed (scripts/install-deps.sh installs nodejs and npm)");
    if (QFile::exists(cliPath()))
        return;
    const QString npm = QStandardPaths::findExecutable(QStringLiteral("npm"));
    if (npm.isEmpty())
        QSKIP("npm is not installed (scripts/install-deps.sh installs it)");
    QDir().mkpath(installDir());
    const Run r = runProgram(npm, {QStringLiteral("install"), QStringLiteral("--prefix"),
                                   installDir(), QStringLiteral("--no-audit"),
                                   QStringLiteral("--no-fund"),
                                   QStringLiteral("json-server@") + kVersion},
                             300000);
    if (r.exitCode != 0 || !QFile::exists(cliPath()))
        QSKIP(qPrintable(QStringLiteral("npm could not install json-server %1 (registry "
                                        "unreachable?): %2")
                             .arg(kVersion, r.err.right(400))));
}

// A fresh copy of the project and database, the live profile pointed at a new server.
void TestJsonServer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(copyTree(kData, m_dir->path()));
    m_base = startServer();
    QVERIFY2(!m_base.isEmpty(), "json-server did not start");
    m_project = m_dir->filePath(QStringLiteral("payables.switchboard"));
    QFile f(m_project);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray text = f.readAll();
    f.close();
    text.replace("http://127.0.0.1:1", m_base.toUtf8());
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

void TestJsonServer::cleanup()
{
    if (m_server) {
        m_server->kill();
        m_server->waitForFinished(5000);
        m_server.reset();
    }
}

QString TestJsonServer::startServer()
{
    const quint16 port = freePort();
    m_server = std::make_unique<QProcess>();
    m_server->setWorkingDirectory(m_dir->path());
    m_server->setProcessChannelMode(QProcess::MergedChannels);
    m_server->start(m_node, {cliPath(), QStringLiteral("db.json"), QStringLiteral("--host"),
                             QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                             QString::number(port)});
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);
    for (int i = 0; i < 150; ++i) {
        if (request("GET", base + QStringLiteral("/suppliers"), {}, {}, {}, 1000).status == 200)
            return base;
        if (m_server->state() == QProcess::NotRunning)
            break;
        pause(100);
    }
    qWarning("json-server: %s", m_server->readAll().constData());
    return {};
}

// INV-1 arrives twice (json-server would store it twice: it ignores Idempotency-Key), INV-2
// already exists as record 500, INV-3 names an unknown supplier (404 with body "{}").
void TestJsonServer::simulateProfileUpsertsByNaturalKey()
{
    const QString report = m_dir->filePath(QStringLiteral("r.json"));
    const Run sim = run({QStringLiteral("simulate"), m_project, QStringLiteral("--profile"),
                         QStringLiteral("live"), QStringLiteral("--report"), report,
                         QStringLiteral("--db"), m_dir->filePath(QStringLiteral("s.db"))},
                        120000);
    QCOMPARE(sim.exitCode, 1); // one dead letter
    QVERIFY2(sim.out.contains(QLatin1String("profile live (on the sandbox, no such profile: "
                                            "inbox)")),
             qPrintable(sim.out));
    QFile f(report);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject r = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(r[QStringLiteral("records")].toInt(), 4);
    QCOMPARE(r[QStringLiteral("completed")].toInt(), 3);
    QCOMPARE(r[QStringLiteral("deadLettered")].toInt(), 1);
    QString reason;
    for (const auto &v : r[QStringLiteral("results")].toArray()) {
        if (v.toObject()[QStringLiteral("record")].toString() == QLatin1String("INV-3"))
            reason = v.toObject()[QStringLiteral("reason")].toString();
    }
    QCOMPARE(reason, QStringLiteral("GET /suppliers/S9: HTTP 404 Not Found; body: {}"));

    // What the server holds: one record per invoice number, INV-2 updated in place.
    const QJsonArray invoices = getArray(m_base + QStringLiteral("/vendorInvoices"));
    QCOMPARE(invoices.size(), 2);
    QCOMPARE(where(invoices, QStringLiteral("invoiceNumber"), QStringLiteral("INV-1")).size(), 1);
    const QJsonArray inv2 = where(invoices, QStringLiteral("invoiceNumber"),
                                  QStringLiteral("INV-2"));
    QCOMPARE(inv2.size(), 1);
    QCOMPARE(inv2[0].toObject()[QStringLiteral("id")].toInt(), 500);
    QCOMPARE(inv2[0].toObject()[QStringLiteral("amount")].toDouble(), 250.0);
    QCOMPARE(inv2[0].toObject()[QStringLiteral("supplierName")].toString(),
             QStringLiteral("Blue Fox Supplies"));
    const QJsonArray orders = getArray(m_base + QStringLiteral("/paymentOrders"));
    QCOMPARE(orders.size(), 2); // no double payment
    QCOMPARE(where(orders, QStringLiteral("invoiceNumber"), QStringLiteral("INV-1")).size(), 1);

    // The same data again (a new journal): everything is found and updated, nothing created.
    const Run again = run({QStringLiteral("simulate"), m_project, QStringLiteral("--profile"),
                           QStringLiteral("live"), QStringLiteral("--db"),
                           m_dir->filePath(QStringLiteral("s2.db"))},
                          120000);
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.out.contains(QLatin1String("completed      3")), qPrintable(again.out));
    QCOMPARE(getArray(m_base + QStringLiteral("/vendorInvoices")).size(), 2);
    QCOMPARE(getArray(m_base + QStringLiteral("/paymentOrders")).size(), 2);

    // Without --profile the same project runs on the sandbox: the server is not called.
    const Run sandbox = run({QStringLiteral("simulate"), m_project, QStringLiteral("--db"),
                             m_dir->filePath(QStringLiteral("s3.db"))},
                            120000);
    QCOMPARE(sandbox.exitCode, 1);
    QVERIFY2(sandbox.out.contains(QLatin1String("completed      3")), qPrintable(sandbox.out));
    QVERIFY2(sandbox.out.contains(QLatin1String("dead letters   1")), qPrintable(sandbox.out));
    QCOMPARE(getArray(m_base + QStringLiteral("/vendorInvoices")).size(), 2);
}

// The inbox has no "live" profile: export keeps it on the sandbox and says so; simulate on
// the bundle needs --profile live and then runs the ERP calls against json-server.
void TestJsonServer::exportForProfileOneSystemLacks()
{
    const QString bundle = m_dir->filePath(QStringLiteral("live.bundle.json"));
    const Run exported = run({QStringLiteral("export"), m_project, QStringLiteral("-o"), bundle,
                              QStringLiteral("--profile"), QStringLiteral("live")});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.err + exported.out));
    QVERIFY2(exported.out.contains(QLatin1String("on the sandbox (no profile 'live'): inbox")),
             qPrintable(exported.out));

    const Run refused = run({QStringLiteral("simulate"), bundle, QStringLiteral("--db"),
                             m_dir->filePath(QStringLiteral("b0.db"))});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(QLatin1String("--profile live")), qPrintable(refused.err));

    const Run sim = run({QStringLiteral("simulate"), bundle, QStringLiteral("--profile"),
                         QStringLiteral("live"), QStringLiteral("--dataset"),
                         kData + QStringLiteral("/data/invoices.jsonl"), QStringLiteral("--db"),
                         m_dir->filePath(QStringLiteral("b.db"))},
                        120000);
    QCOMPARE(sim.exitCode, 1);
    QVERIFY2(sim.out.contains(QLatin1String("completed      3")), qPrintable(sim.out));
    QCOMPARE(getArray(m_base + QStringLiteral("/vendorInvoices")).size(), 2);
    QCOMPARE(getArray(m_base + QStringLiteral("/paymentOrders")).size(), 2);
}

QTEST_GUILESS_MAIN(TestJsonServer)
#include "tst_jsonserver.moc"
