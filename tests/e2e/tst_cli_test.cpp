// `switchboard-run test` runs the tests a project holds through the in-process sandbox: the
// template's own tests pass, a change to a mapping that breaks an expected value fails with
// the value it got, a test that names what does not exist is refused with its line, and the
// JUnit file CI reads says the same.
#include "tests/support/process.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace sb::testsupport;

namespace {

const QString kTemplateDir = QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash");

QJsonObject loadTemplate()
{
    QFile f(kTemplateDir + QStringLiteral("/quote-to-cash.switchboard"));
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                       : QJsonObject();
}

} // namespace

class TestCliTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Data set files are found beside the project.
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("data"))));
        const QDir data(kTemplateDir + QStringLiteral("/data"));
        for (const QString &name : data.entryList(QDir::Files))
            QVERIFY(QFile::copy(data.filePath(name), m_dir.filePath("data/" + name)));
        m_project = loadTemplate();
        QCOMPARE(m_project.value("tests").toArray().size(), 13);
    }

    void templateTestsPass()
    {
        const QString junit = m_dir.filePath(QStringLiteral("pass.xml"));
        const Run r = run({"test", kTemplateDir + QStringLiteral("/quote-to-cash.switchboard"),
                           "--junit", junit});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(QStringLiteral("13 passed, 0 failed")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("PASS A discount above 20 % waits for approval")));
        QVERIFY(r.out.contains(QStringLiteral("PASS An account without a tax id is not sent")));
        QFile xml(junit);
        QVERIFY(xml.open(QIODevice::ReadOnly));
        const QByteArray text = xml.readAll();
        QVERIFY2(text.contains("tests=\"13\" failures=\"0\""), text.constData());
    }

    void brokenMappingFailsWithWhatItGot()
    {
        // The ERP customer's name now comes out in capitals: the expected value catches it.
        QJsonObject project = m_project;
        QJsonArray mappings = project.value("mappings").toArray();
        bool changed = false;
        for (int i = 0; i < mappings.size(); ++i) {
            QJsonObject m = mappings[i].toObject();
            if (m.value("id").toString() != QLatin1String("customer-to-erp-customer"))
                continue;
            QJsonArray rules = m.value("rules").toArray();
            for (int r = 0; r < rules.size(); ++r) {
                QJsonObject rule = rules[r].toObject();
                if (rule.value("target").toString() == QLatin1String("name")) {
                    rule["expression"] = QStringLiteral("$uppercase(name)");
                    rules[r] = rule;
                    changed = true;
                }
            }
            m["rules"] = rules;
            mappings[i] = m;
        }
        QVERIFY(changed);
        project["mappings"] = mappings;
        const QString file = write("broken.switchboard", project);
        const QString junit = m_dir.filePath(QStringLiteral("fail.xml"));
        const Run r = run({"test", file, "--junit", junit});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("FAIL A won deal is booked in the ERP and billed")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("erpCustomer.name is \"VANTAGE HEALTH B.V.\", "
                                               "expected \"Vantage Health B.V.\"")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("12 passed, 1 failed")), qPrintable(r.out));
        QFile xml(junit);
        QVERIFY(xml.open(QIODevice::ReadOnly));
        const QByteArray text = xml.readAll();
        QVERIFY2(text.contains("failures=\"1\"") && text.contains("<failure message="),
                 text.constData());

        // One test alone, by id.
        const Run one = run({"test", file, "--test", "open-deal-is-filtered"});
        QCOMPARE(one.exitCode, 0);
        QVERIFY(one.out.contains(QStringLiteral("1 passed, 0 failed")));
    }

    void brokenOrderMappingFailsTheOrderTest()
    {
        // The sales order's currency no longer follows the quote: only the test that looks
        // at the order's values fails, naming the path and both values.
        QJsonObject project = m_project;
        QJsonArray mappings = project.value("mappings").toArray();
        bool changed = false;
        for (int i = 0; i < mappings.size(); ++i) {
            QJsonObject m = mappings[i].toObject();
            if (m.value("id").toString() != QLatin1String("opportunity-to-erp-sales-order"))
                continue;
            QJsonArray rules = m.value("rules").toArray();
            for (int r = 0; r < rules.size(); ++r) {
                QJsonObject rule = rules[r].toObject();
                if (rule.value("target").toString() == QLatin1String("currency")) {
                    rule["expression"] = QStringLiteral("\"USD\"");
                    rules[r] = rule;
                    changed = true;
                }
            }
            m["rules"] = rules;
            mappings[i] = m;
        }
        QVERIFY(changed);
        project["mappings"] = mappings;
        const Run r = run({"test", write("order.switchboard", project)});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("FAIL A won deal's sales order and subscription "
                                               "carry the quote")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(
                     QStringLiteral("salesOrder.currency is \"USD\", expected \"EUR\"")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("12 passed, 1 failed")), qPrintable(r.out));
    }

    void wrongOutcomeSaysWhatHappened()
    {
        QJsonObject project = m_project;
        QJsonArray tests = project.value("tests").toArray();
        QJsonObject test = tests[0].toObject();
        QJsonObject expect = test.value("expect").toObject();
        expect["outcome"] = QStringLiteral("dead-lettered");
        test["expect"] = expect;
        tests[0] = test;
        project["tests"] = tests;
        const Run r = run({"test", write("outcome.switchboard", project), "--test",
                           test.value("id").toString()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("expected dead-lettered, got completed")),
                 qPrintable(r.out));
    }

    void unknownReferencesAreRefusedWithTheirLine()
    {
        QJsonObject project = m_project;
        QJsonArray tests = project.value("tests").toArray();
        QJsonObject test = tests[1].toObject();
        test["workflow"] = QStringLiteral("no-such-workflow");
        tests[1] = test;
        project["tests"] = tests;
        const Run r = run({"test", write("unknown.switchboard", project)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("[test.unknown-reference]")) &&
                     r.err.contains(QStringLiteral("unknown workflow 'no-such-workflow'")) &&
                     r.err.contains(QStringLiteral("/tests/1/workflow")),
                 qPrintable(r.err));
        // validate reports the same finding.
        const Run v = run({"validate", m_dir.filePath(QStringLiteral("unknown.switchboard"))});
        QCOMPARE(v.exitCode, 1);
        QVERIFY(v.out.contains(QStringLiteral("test.unknown-reference")));
    }

    void malformedTestIsALoadError()
    {
        QJsonObject project = m_project;
        QJsonArray tests = project.value("tests").toArray();
        QJsonObject test = tests[0].toObject();
        test["expect"] = QJsonObject{{"outcome", "exploded"}};
        tests[0] = test;
        project["tests"] = tests;
        const Run r = run({"test", write("malformed.switchboard", project)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("unknown outcome 'exploded'")) &&
                     r.err.contains(QStringLiteral("/tests/0/expect/outcome")),
                 qPrintable(r.err));
    }

private:
    QString write(const char *name, const QJsonObject &project)
    {
        const QString file = m_dir.filePath(QLatin1String(name));
        QFile f(file);
        if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            f.write(QJsonDocument(project).toJson());
        return file;
    }

    QTemporaryDir m_dir;
    QJsonObject m_project;
};

QTEST_GUILESS_MAIN(TestCliTest)
#include "tst_cli_test.moc"
