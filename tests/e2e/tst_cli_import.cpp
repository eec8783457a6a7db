// switchboard-run import as a separate process: the project file it writes, --list, errors.
#include "model/projectjson.h"
#include "tests/support/process.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace sb::testsupport;

namespace {

const QString kTemplate =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash/quote-to-cash.switchboard");
const QString kData = QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/runtime/data/import/");

QString copyTemplate(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(QStringLiteral("q2c.switchboard"));
    QFile::copy(kTemplate, path);
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return path;
}

const sb::model::Entity *findEntity(const sb::model::Project &p, const QString &system,
                                    const QString &name)
{
    for (const sb::model::System &s : p.systems)
        if (s.id == system)
            return s.entity(name);
    return nullptr;
}

} // namespace

class TestCliImport : public QObject
{
    Q_OBJECT
private slots:
    void importsOpenApiIntoSystem()
    {
        QTemporaryDir dir;
        const QString project = copyTemplate(dir);
        const Run r = run({"import", project, "--system", "crm", "--from", kData + "shop.yaml",
                           "--schemas", "Order,Category"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("added   crm.Order"), qPrintable(r.out));
        QVERIFY(r.out.contains("crm.Category"));
        QVERIFY(r.out.contains("fields"));

        auto loaded = sb::model::loadProject(project);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error().toString()));
        const sb::model::Entity *order = findEntity(loaded.value(), "crm", "Order");
        QVERIFY(order);
        QCOMPARE(order->key, QStringLiteral("id"));
        QVERIFY(order->field("lines"));
        QCOMPARE(order->field("lines")->fields.size(), 3);
        QVERIFY(findEntity(loaded.value(), "crm", "Category"));
        QVERIFY(!findEntity(loaded.value(), "crm", "Card")); // not chosen

        // Importing again replaces the entity and says so.
        const Run again = run({"import", project, "--system", "crm", "--from",
                               kData + "shop.yaml", "--schemas", "Order"});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY2(again.out.contains("updated crm.Order"), qPrintable(again.out));
        auto reloaded = sb::model::loadProject(project);
        QVERIFY(reloaded.ok());
        int orders = 0;
        for (const sb::model::System &s : reloaded.value().systems)
            if (s.id == QLatin1String("crm"))
                for (const sb::model::Entity &e : s.entities)
                    orders += e.name == QLatin1String("Order");
        QCOMPARE(orders, 1);
    }

    void importsCsvAndSample()
    {
        QTemporaryDir dir;
        const QString project = copyTemplate(dir);
        const Run csv = run({"import", project, "--system", "crm", "--from",
                             kData + "products.csv"});
        QVERIFY2(csv.exitCode == 0, qPrintable(csv.err));
        const Run sample = run({"import", project, "--system", "crm", "--from",
                                kData + "deal-record.json"});
        QVERIFY2(sample.exitCode == 0, qPrintable(sample.err));
        auto loaded = sb::model::loadProject(project);
        QVERIFY(loaded.ok());
        QVERIFY(findEntity(loaded.value(), "crm", "Products"));
        QVERIFY(findEntity(loaded.value(), "crm", "DealRecord"));
    }

    void listOnly()
    {
        QTemporaryDir dir;
        const QString project = copyTemplate(dir);
        QFile f(project);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();
        const Run r = run({"import", project, "--system", "crm", "--from",
                           kData + "shop.yaml", "--list"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("OpenAPI 3"));
        QVERIFY(r.out.contains("Order"));
        QVERIFY(r.out.contains("OrderLine"));
        QVERIFY(r.out.contains("14 properties"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before); // --list never writes
    }

    void errorsExitTwo()
    {
        QTemporaryDir dir;
        const QString project = copyTemplate(dir);
        const Run system = run({"import", project, "--system", "nosuch", "--from",
                                kData + "shop.yaml"});
        QCOMPARE(system.exitCode, 2);
        QVERIFY2(system.err.contains("nosuch"), qPrintable(system.err));

        const Run missing = run({"import", project, "--system", "crm", "--from",
                                 dir.filePath("missing.yaml")});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains("missing.yaml"));

        const Run schema = run({"import", project, "--system", "crm", "--from",
                                kData + "shop.yaml", "--schemas", "Nope"});
        QCOMPARE(schema.exitCode, 2);
        QVERIFY(schema.err.contains("Nope"));

        const Run broken = run({"import", project, "--system", "crm", "--from",
                                kData + "broken.yaml"});
        QCOMPARE(broken.exitCode, 2);
        QVERIFY2(broken.err.contains("broken.yaml:8:"), qPrintable(broken.err));

        const Run usage = run({"import", project});
        QCOMPARE(usage.exitCode, 2);
        QVERIFY(usage.err.contains("usage"));
    }
};

QTEST_GUILESS_MAIN(TestCliImport)
#include "tst_cli_import.moc"
