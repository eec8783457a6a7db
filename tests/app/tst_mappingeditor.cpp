// The mapping editor: its models against the Quote-to-Cash template (QAbstractItemModelTester),
// the live preview against the runtime's MappingExecutor, JSONata syntax errors with their
// position, marks on the target tree, undo; and the real studio offscreen: dragging a source
// field onto a target field creates a rule (undo removes it); a screenshot that is not blank.

#include "runtime/check/projectcheck.h"
#include "app/mappings/mappingeditor.h"
#include "app/mappings/mappinglinesitem.h"
#include "app/studio.h"
#include "tests/support/gui/guitestsupport.h"
#include "app/shell/studiocontroller.h"
#include "runtime/mapping/mappingexecutor.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

using testsupport::screenshotPath;

using studio::findItem;

using namespace sb::model;
using json = nlohmann::ordered_json;

namespace {

const QString kTemplateDir = testsupport::quoteToCashDir();
const QString kTemplate = testsupport::quoteToCashProject();
const QString kOpportunities = QStringLiteral("opportunity-to-erp-sales-order");

// The first record of a .jsonl file for which `pick` holds, and its index.
std::pair<int, json> firstRecord(const QString &file,
                                 const std::function<bool(const json &)> &pick)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {-1, json()};
    int i = 0;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (line.isEmpty())
            continue;
        json j = json::parse(line.toStdString());
        if (pick(j))
            return {i, j};
        ++i;
    }
    return {-1, json()};
}

int ruleIndex(const Mapping &m, const QString &target)
{
    for (int i = 0; i < m.rules.size(); ++i) {
        if (m.rules[i].target == target)
            return i;
    }
    return -1;
}

const auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

const QString kSyntaxRule = QStringLiteral("mapping.expression-syntax");

// Findings of `ruleId` at exactly `element`.
QVector<Finding> findingsAt(const FindingsModel *findings, const QString &ruleId,
                            const QString &element)
{
    QVector<Finding> out;
    for (const Finding &f : findings->findings()) {
        if (f.ruleId == ruleId && f.location.element == element)
            out << f;
    }
    return out;
}

// The position a syntax finding names ("... at position 15: ..."), -1 if none.
int positionIn(const QString &message)
{
    static const QRegularExpression re(QStringLiteral("at position (\\d+)"));
    const auto m = re.match(message);
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

int countRule(const FindingsModel *findings, const QString &ruleId)
{
    int n = 0;
    for (const Finding &f : findings->findings())
        n += f.ruleId == ruleId ? 1 : 0;
    return n;
}

} // namespace

class TestMappingEditor : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void modelsAreConsistent();
    void treesUseExecutorPaths();
    void previewMatchesExecutorAndFollowsEdits();
    void canonicalSourceSamplesComeThroughUpstreamMapping();
    void sampleInputPastedLoadedOrPicked();
    void syntaxErrorHasPosition();
    void syntaxErrorsReachProblems();
    void syntaxCheckIsCachedByText();
    void typingIsOneUndoStep();
    void targetTreeMarks();
    void addRuleAndValueMaps();
    void addAndRemoveMapping();
    void dragFieldOntoFieldInStudio();
    void dragFromPortDotMaps();
    void problemOpensItsRule();
    void typingInInspectorIsOneUndoStep();
    void typedSyntaxErrorIsAProblem();
    void screenshotIsNotBlank();

private:
    void openFresh();
    StudioController *m_ctl = nullptr;
    QQmlApplicationEngine *m_engine = nullptr;
    QQuickWindow *m_window = nullptr;
    StudioController *m_studio = nullptr;
};

void TestMappingEditor::initTestCase()
{
    testsupport::initTestApplication(QStringLiteral("SwitchboardTest"),
                                     QStringLiteral("tst_mappingeditor"));
    m_ctl = new StudioController(this);
}

void TestMappingEditor::cleanupTestCase()
{
    delete m_engine;
}

void TestMappingEditor::openFresh()
{
    QVERIFY(m_ctl->openProject(kTemplate));
    m_ctl->validateNow();
}

void TestMappingEditor::modelsAreConsistent()
{
    openFresh();
    MappingEditor editor;
    QAbstractItemModelTester t1(editor.mappings(), kFatal);
    QAbstractItemModelTester t2(editor.sourceTree(), kFatal);
    QAbstractItemModelTester t3(editor.targetTree(), kFatal);
    QAbstractItemModelTester t4(editor.rules(), kFatal);
    QAbstractItemModelTester t5(editor.valueMapEntries(), kFatal);
    editor.setDocument(m_ctl->document());
    editor.setFindings(m_ctl->findings());
    const Project &p = m_ctl->document()->project();
    QCOMPARE(editor.mappings()->rowCount(), int(p.mappings.size()));
    // The first mapping opens by itself.
    QCOMPARE(editor.mappingId(), p.mappings.first().id);
    QCOMPARE(editor.rules()->rowCount(), int(p.mappings.first().rules.size()));

    // Switching mappings, selecting rules, editing and undoing keep every model consistent.
    for (const Mapping &m : p.mappings) {
        editor.setMappingId(m.id);
        QCOMPARE(editor.rules()->rowCount(), int(m.rules.size()));
        for (int i = 0; i < m.rules.size(); ++i)
            editor.setSelectedRule(i);
    }
    editor.setMappingId(kOpportunities);
    const int status = ruleIndex(*p.mapping(kOpportunities), QStringLiteral("status"));
    editor.setSelectedRule(status);
    QCOMPARE(editor.ruleValueMap(), QStringLiteral("stage-to-order-status"));
    QCOMPARE(editor.valueMapEntries()->rowCount(), 4);
    QVERIFY(editor.addValueMapEntry(QStringLiteral("won"), QStringLiteral("released")));
    QCOMPARE(editor.valueMapEntries()->rowCount(), 5);
    QVERIFY(editor.removeRule(0));
    m_ctl->undo();
    m_ctl->undo();
    QCOMPARE(editor.valueMapEntries()->rowCount(), 0);  // selection was cleared by the removal
    QVERIFY(!m_ctl->isModified());
    m_ctl->validateNow();
    QCoreApplication::processEvents();
}

void TestMappingEditor::treesUseExecutorPaths()
{
    openFresh();
    MappingEditor editor;
    editor.setDocument(m_ctl->document());
    editor.setMappingId(kOpportunities);
    // Nested objects and arrays as trees, with the executor's "lines[].x" paths.
    const MappingTreeModel *src = editor.sourceTree();
    const int qty = src->indexOf(QStringLiteral("quote.lines[].qty"));
    QVERIFY(qty > 0);
    const QModelIndex qi = src->index(qty, 0);
    QCOMPARE(qi.data(MappingTreeModel::DepthRole).toInt(), 2);
    QCOMPARE(qi.data(MappingTreeModel::ExprPathRole).toString(),
             QStringLiteral("quote.lines.qty"));
    QCOMPARE(src->index(src->indexOf(QStringLiteral("quote.lines")), 0)
                 .data(MappingTreeModel::TypeRole).toString(), QStringLiteral("array"));
    QVERIFY(editor.targetTree()->indexOf(QStringLiteral("lines[].sku")) > 0);

    // One line per (rule, source field read): "quote.lines.{...}" reads quote.lines.
    const Mapping &m = *m_ctl->document()->project().mapping(kOpportunities);
    const int lines = ruleIndex(m, QStringLiteral("lines"));
    bool found = false;
    for (const auto &l : editor.lines()) {
        if (l.rule == lines) {
            QCOMPARE(src->pathAt(l.sourceRow), QStringLiteral("quote.lines"));
            QCOMPARE(editor.targetTree()->pathAt(l.targetRow), QStringLiteral("lines"));
            found = true;
        }
    }
    QVERIFY(found);
    QCOMPARE(editor.rules()->index(ruleIndex(m, QStringLiteral("currency")), 0)
                 .data(MappingRulesModel::SourcesRole).toStringList(),
             QStringList{QStringLiteral("quote.currency")});

    // Collapsing "quote" hides its fields; their lines start at "quote" instead.
    QAbstractItemModelTester tester(editor.sourceTree(), kFatal);
    const int rows = src->rowCount();
    const int quote = src->indexOf(QStringLiteral("quote"));
    editor.toggleCollapsed(true, QStringLiteral("quote"));
    QVERIFY(src->index(quote, 0).data(MappingTreeModel::CollapsedRole).toBool());
    QCOMPARE(src->indexOf(QStringLiteral("quote.currency")), -1);
    QVERIFY(src->rowCount() < rows - 10);
    const int currency = ruleIndex(m, QStringLiteral("currency"));
    for (const auto &l : editor.lines()) {
        if (l.rule == currency)
            QCOMPARE(l.sourceRow, quote);
    }
    editor.toggleCollapsed(true, QStringLiteral("quote"));
    QCOMPARE(src->rowCount(), rows);
}

void TestMappingEditor::previewMatchesExecutorAndFollowsEdits()
{
    openFresh();
    MappingEditor editor;
    editor.setDocument(m_ctl->document());
    editor.setMappingId(kOpportunities);
    QVERIFY(editor.sampleCount() > 100);
    QVERIFY(editor.sampleSource().contains(QStringLiteral("CRM opportunities")));
    // It starts on a record the mapping applies to (stage closed-won).
    QVERIFY(editor.previewApplied());
    QVERIFY(editor.sampleIndex() > 0);

    // A closed-won opportunity (the mapping's condition) with several quote lines.
    const auto [index, record] = firstRecord(
        kTemplateDir + QStringLiteral("/data/crm-opportunities.jsonl"), [](const json &j) {
            return j.value("stage", "") == "closed-won" && j["quote"]["lines"].size() >= 2;
        });
    QVERIFY(index >= 0);
    editor.setSampleIndex(index);
    const QString recordId = QString::fromStdString(record["id"].get<std::string>());
    QVERIFY(editor.sampleLabel().contains(recordId));

    const Mapping &m = *m_ctl->document()->project().mapping(kOpportunities);
    const sb::runtime::MappingExecutor exec(m, m_ctl->document()->project());
    const auto expected = exec.execute(record);
    QVERIFY(expected.applied);
    QCOMPARE(editor.previewJson(), QString::fromStdString(expected.output.dump()));
    QVERIFY(editor.previewApplied());
    // The array of quote lines became an array of order lines.
    const json out = json::parse(editor.previewJson().toStdString());
    QCOMPARE(out["lines"].size(), record["quote"]["lines"].size());
    QCOMPARE(out["lines"][1]["sku"], record["quote"]["lines"][1]["productCode"]);
    QCOMPARE(out["status"], json("released"));
    QVERIFY(editor.previewHtml().contains(QStringLiteral("released")));

    // Edit an expression: after the debounce the preview shows the new output.
    const int total = ruleIndex(m, QStringLiteral("totalAmount"));
    QSignalSpy previewed(&editor, &MappingEditor::previewChanged);
    QVERIFY(editor.setExpression(total, QStringLiteral("amount * 2")));
    QTRY_VERIFY(previewed.size() > 0);
    const json edited = json::parse(editor.previewJson().toStdString());
    QCOMPARE(edited["totalAmount"].get<double>(), record["amount"].get<double>() * 2);
    const sb::runtime::MappingExecutor exec2(*m_ctl->document()->project().mapping(kOpportunities),
                                             m_ctl->document()->project());
    QCOMPARE(editor.previewJson(), QString::fromStdString(exec2.execute(record).output.dump()));

    // A record that fails the mapping's condition gives no output, and says so.
    const auto [lost, lostRecord] = firstRecord(
        kTemplateDir + QStringLiteral("/data/crm-opportunities.jsonl"),
        [](const json &j) { return j.value("stage", "") == "closed-lost"; });
    QVERIFY(lost >= 0);
    editor.setSampleIndex(lost);
    QVERIFY(!editor.previewApplied());
    m_ctl->undo();
}

void TestMappingEditor::canonicalSourceSamplesComeThroughUpstreamMapping()
{
    openFresh();
    MappingEditor editor;
    editor.setDocument(m_ctl->document());
    // Source: canonical Customer; its records are CRM accounts run through the CRM mapping.
    editor.setMappingId(QStringLiteral("customer-to-erp-customer"));
    QVERIFY(editor.sampleCount() > 0);
    QVERIFY(editor.sampleSource().contains(QStringLiteral("through")));
    QVERIFY(!editor.previewJson().isEmpty());
    const json out = json::parse(editor.previewJson().toStdString());
    QVERIFY(out.contains("externalRef"));

    // A template opens as an untitled copy: its data sets are found beside the template.
    QVERIFY(m_ctl->openTemplate(kTemplate));
    QVERIFY(m_ctl->document()->fileName().isEmpty());
    editor.setMappingId(kOpportunities);
    QVERIFY(editor.sampleCount() > 0);
    QVERIFY(!editor.previewJson().isEmpty());
}

// A source without data sets gets samples the author brings: pasted JSON (an object, an
// array, JSON Lines; a mistake named by line and column), a file, or a record of any data
// set (through the mapping that feeds the source). The preview runs them as it runs data sets.
void TestMappingEditor::sampleInputPastedLoadedOrPicked()
{
    openFresh();
    MappingEditor editor;
    editor.setDocument(m_ctl->document());
    const QString subscriptions = QStringLiteral("erp-sales-order-to-billing-subscription");
    editor.setMappingId(subscriptions);
    QCOMPARE(editor.sampleCount(), 0);
    QVERIFY(!editor.hasCustomSamples());

    QVERIFY(!editor.pasteSamples(
        QStringLiteral("{\n  \"orderNumber\": \"SO-1\",\n  \"lines\": ")));
    QVERIFY2(editor.sampleError().contains(QStringLiteral("line 3")), qPrintable(
                 editor.sampleError()));
    QVERIFY(!editor.pasteSamples(QStringLiteral("[1, 2]")));
    QVERIFY(!editor.sampleError().isEmpty());
    QCOMPARE(editor.sampleCount(), 0);

    const QString order = QStringLiteral(
        R"({"orderNumber": "SO-7", "customerRef": "C-9", "currency": "EUR",
            "lines": [{"sku": "PLAN-X", "quantity": 3, "billingType": "recurring"}]})");
    QVERIFY(editor.pasteSamples(QStringLiteral("[%1, {\"orderNumber\": \"SO-8\"}]").arg(order)));
    QVERIFY(editor.sampleError().isEmpty());
    QVERIFY(editor.hasCustomSamples());
    QCOMPARE(editor.sampleCount(), 2);
    QCOMPARE(editor.sampleIndex(), 0);
    QVERIFY(editor.sampleSource().contains(QStringLiteral("2 pasted records")));
    const Project &p = m_ctl->document()->project();
    const sb::runtime::MappingExecutor exec(*p.mapping(subscriptions), p);
    const json pasted = json::parse(order.toStdString());
    QCOMPARE(editor.previewJson(), QString::fromStdString(exec.execute(pasted).output.dump()));
    const json out = json::parse(editor.previewJson().toStdString());
    QCOMPARE(out["planCode"], json("PLAN-X"));
    QCOMPARE(out["quantity"], json(3));
    editor.setSampleIndex(1);
    QVERIFY(!editor.previewApplied());  // no recurring line: the condition skips it

    // JSON Lines, and the samples stay with the source when another mapping was open.
    const QString orderLine = QString::fromStdString(json::parse(order.toStdString()).dump());
    QVERIFY(editor.pasteSamples(orderLine + QStringLiteral("\n{\"orderNumber\": \"SO-9\"}\n")));
    QCOMPARE(editor.sampleCount(), 2);
    editor.setMappingId(kOpportunities);
    QVERIFY(editor.sampleCount() > 100);
    QVERIFY(!editor.hasCustomSamples());
    editor.setMappingId(subscriptions);
    QCOMPARE(editor.sampleCount(), 2);

    // A file, by path and by file: URL; a CSV file's rows; a missing file is named.
    QTemporaryDir dir;
    {
        QFile f(dir.filePath(QStringLiteral("orders.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(order.toUtf8());
        QFile c(dir.filePath(QStringLiteral("orders.csv")));
        QVERIFY(c.open(QIODevice::WriteOnly));
        c.write("orderNumber,currency\nSO-20,USD\nSO-21,\"E,UR\"\nSO-22,GBP\n");
    }
    QVERIFY(editor.loadSampleFile(
        QUrl::fromLocalFile(dir.filePath(QStringLiteral("orders.json"))).toString()));
    QCOMPARE(editor.sampleCount(), 1);
    QCOMPARE(editor.sampleSource(), QStringLiteral("orders.json"));
    QCOMPARE(json::parse(editor.previewJson().toStdString())["planCode"], json("PLAN-X"));
    QVERIFY(editor.loadSampleFile(dir.filePath(QStringLiteral("orders.csv"))));
    QCOMPARE(editor.sampleCount(), 3);
    QVERIFY(editor.sampleHtml().contains(QStringLiteral("SO-20")));
    editor.setSampleIndex(1);
    QVERIFY(editor.sampleHtml().contains(QStringLiteral("E,UR")));
    QVERIFY(!editor.loadSampleFile(dir.filePath(QStringLiteral("missing.json"))));
    QVERIFY(editor.sampleError().contains(QStringLiteral("missing.json")));
    QCOMPARE(editor.sampleCount(), 3);  // what was there stays

    // Any data set: CRM opportunities reach the ERP order through the mapping that feeds it.
    const QVariantList choices = editor.datasetChoices();
    QCOMPARE(choices.size(), p.datasets.size());
    QVERIFY(choices.first().toMap().value("label").toString().contains(QStringLiteral("(")));
    const QStringList labels = editor.datasetRecordLabels(QStringLiteral("crm-opportunities"));
    QVERIFY(labels.size() > 100);
    const auto [won, wonRecord] = firstRecord(
        kTemplateDir + QStringLiteral("/data/crm-opportunities.jsonl"),
        [](const json &j) { return j.value("stage", "") == "closed-won"; });
    QVERIFY(won >= 0);
    QVERIFY(editor.useDatasetRecord(QStringLiteral("crm-opportunities"), won));
    QCOMPARE(editor.sampleIndex(), won);
    QVERIFY(editor.sampleSource().contains(QStringLiteral("through")));
    const sb::runtime::MappingExecutor upstream(*p.mapping(kOpportunities), p);
    const json salesOrder = upstream.execute(wonRecord).output;
    QCOMPARE(editor.sampleHtml(), [&] {
        MappingEditor other;
        other.setDocument(m_ctl->document());
        other.setMappingId(subscriptions);
        other.pasteSamples(QString::fromStdString(salesOrder.dump()));
        return other.sampleHtml();
    }());
    QCOMPARE(editor.previewJson(), QString::fromStdString(exec.execute(salesOrder).output.dump()));
    QVERIFY(!editor.useDatasetRecord(QStringLiteral("crm-opportunities"), 100000));
    QVERIFY(!editor.useDatasetRecord(QStringLiteral("no-such-set"), 0));

    editor.clearCustomSamples();
    QCOMPARE(editor.sampleCount(), 0);
    QVERIFY(!editor.hasCustomSamples());
    QVERIFY(!m_ctl->isModified());  // samples are not part of the project
}

void TestMappingEditor::syntaxErrorHasPosition()
{
    openFresh();
    MappingEditor editor;
    editor.setDocument(m_ctl->document());
    editor.setMappingId(kOpportunities);
    const QVariantMap ok = editor.checkSyntax(QStringLiteral("$uppercase(name)"));
    QVERIFY(ok.value("ok").toBool());
    const QVariantMap bad = editor.checkSyntax(QStringLiteral("amount * (quote.discountPercent"));
    QVERIFY(!bad.value("ok").toBool());
    QVERIFY(!bad.value("code").toString().isEmpty());
    QVERIFY(!bad.value("message").toString().isEmpty());
    QVERIFY(bad.value("position").toInt() >= 9);

    // On the selected rule: the error and its position are properties the page shows inline.
    const Mapping &m = *m_ctl->document()->project().mapping(kOpportunities);
    const int currency = ruleIndex(m, QStringLiteral("currency"));
    editor.setSelectedRule(currency);
    QVERIFY(editor.expressionError().isEmpty());
    QCOMPARE(editor.expressionErrorPosition(), -1);
    QVERIFY(editor.setExpression(currency, QStringLiteral("quote.currency &")));
    QVERIFY(!editor.expressionError().isEmpty());
    QVERIFY2(editor.expressionErrorPosition() >= 15,
             qPrintable(QString::number(editor.expressionErrorPosition())));
    // The preview still runs and reports the broken rule.
    editor.updatePreview();
    QVERIFY(!editor.previewErrors().isEmpty());
    QVERIFY(editor.previewErrors().join(QLatin1Char('\n')).contains(QStringLiteral("currency")));
    // Its line turns red.
    QCOMPARE(editor.rules()->index(currency, 0).data(MappingRulesModel::ProblemRole).toString(),
             QStringLiteral("error"));
    bool red = false;
    for (const auto &l : editor.lines())
        red = red || (l.rule == currency && l.problem == QLatin1String("error"));
    QVERIFY(red);
    QVERIFY(editor.setExpression(currency, QStringLiteral("quote.currency")));
    QVERIFY(editor.expressionError().isEmpty());
    QCOMPARE(editor.rules()->index(currency, 0).data(MappingRulesModel::ProblemRole).toString(),
             QString());
    // Condition errors too.
    QVERIFY(editor.setCondition(currency, QStringLiteral("stage = ")));
    QVERIFY(!editor.conditionError().isEmpty());
    QVERIFY(editor.conditionErrorPosition() >= 0);
}

void TestMappingEditor::syntaxErrorsReachProblems()
{
    openFresh();
    FindingsModel *findings = m_ctl->findings();
    QAbstractItemModelTester tester(findings, kFatal);
    QCOMPARE(countRule(findings, kSyntaxRule), 0);   // the template parses
    MappingEditor editor;
    editor.setDocument(m_ctl->document());
    editor.setFindings(findings);
    editor.setMappingId(kOpportunities);
    const Mapping &m = *m_ctl->document()->project().mapping(kOpportunities);
    const int currency = ruleIndex(m, QStringLiteral("currency"));
    const QString element = QStringLiteral("mapping:%1/rule:%2").arg(kOpportunities)
                                .arg(currency);
    const int errorsBefore = m_ctl->errorCount();

    // A broken expression: an error on the rule, with its position.
    QVERIFY(editor.setExpression(currency, QStringLiteral("quote.currency &")));
    m_ctl->validateNow();
    QVector<Finding> at = findingsAt(findings, kSyntaxRule, element);
    QCOMPARE(at.size(), 1);
    QVERIFY(at[0].severity == Severity::Error);
    QVERIFY2(positionIn(at[0].message) >= 15, qPrintable(at[0].message));
    QVERIFY(at[0].message.contains(QStringLiteral("currency")));
    QVERIFY(at[0].location.display.contains(QStringLiteral("rule %1").arg(currency + 1)));
    QCOMPARE(m_ctl->errorCount(), errorsBefore + 1);
    // The editor's own inline check already shows it; the finding is not repeated there.
    const QString text = editor.rules()->index(currency, 0)
                             .data(MappingRulesModel::ProblemTextRole).toString();
    QCOMPARE(text.count(QStringLiteral("position")), 0);
    QVERIFY(!text.isEmpty());

    // Fixed: it goes.
    QVERIFY(editor.setExpression(currency, QStringLiteral("quote.currency")));
    m_ctl->validateNow();
    QVERIFY(findingsAt(findings, kSyntaxRule, element).isEmpty());
    QCOMPARE(m_ctl->errorCount(), errorsBefore);

    // Rule conditions and the mapping's condition; a default that looks like JSON but is not.
    QVERIFY(editor.setCondition(currency, QStringLiteral("stage = ")));
    QVERIFY(editor.setMappingCondition(QStringLiteral("stage in [\"won\"")));
    QVERIFY(editor.setDefault(currency, QStringLiteral("{\"code\": }")));
    m_ctl->validateNow();
    at = findingsAt(findings, kSyntaxRule, element);
    QCOMPARE(at.size(), 1);
    QVERIFY2(at[0].message.startsWith(QStringLiteral("currency condition: JSONata syntax")),
             qPrintable(at[0].message));
    at = findingsAt(findings, kSyntaxRule, QStringLiteral("mapping:") + kOpportunities);
    QCOMPARE(at.size(), 1);
    QVERIFY(at[0].message.contains(QStringLiteral("position")));
    at = findingsAt(findings, QStringLiteral("mapping.default-json"), element);
    QCOMPARE(at.size(), 1);
    QVERIFY(at[0].severity == Severity::Warning);
    // A default that is plain text is fine (the runtime uses it as a string).
    QVERIFY(editor.setDefault(currency, QStringLiteral("EUR")));
    m_ctl->undo();
    m_ctl->undo();
    m_ctl->undo();
    m_ctl->undo();
    m_ctl->validateNow();
    QCOMPARE(countRule(findings, kSyntaxRule), 0);
    QCOMPARE(countRule(findings, QStringLiteral("mapping.default-json")), 0);
    QVERIFY(!m_ctl->isModified());
}

void TestMappingEditor::syntaxCheckIsCachedByText()
{
    // 10,000 rules with distinct expressions: the first check parses each once; after one
    // edit only the edited text is parsed again.
    Project p;
    Mapping m;
    m.id = QStringLiteral("big");
    m.source = EntityRef{QStringLiteral("crm"), QStringLiteral("Account")};
    m.target = EntityRef{QString(), QStringLiteral("Customer")};
    for (int i = 0; i < 10000; ++i) {
        MappingRule r;
        r.target = QStringLiteral("f%1").arg(i);
        r.expression = QStringLiteral("$sum(lines.(qty * price)) + %1").arg(i);
        r.condition = i % 2 ? QStringLiteral("status = 'open'") : QString();
        m.rules << r;
    }
    p.mappings << m;
    sb::runtime::ExpressionCheck check;
    QElapsedTimer t;
    t.start();
    QVERIFY(check.check(p).isEmpty());
    const qint64 first = t.elapsed();
    QCOMPARE(check.parseCount(), 10001);   // 10,000 expressions and one shared condition

    p.mappings[0].rules[42].expression = QStringLiteral("$sum(lines.(qty * price) + ");
    t.restart();
    const QVector<Finding> out = check.check(p);
    const qint64 second = t.elapsed();
    QCOMPARE(check.parseCount(), 10002);
    QCOMPARE(out.size(), 1);
    QCOMPARE(out[0].location.element, QStringLiteral("mapping:big/rule:42"));
    QCOMPARE(check.cacheSize(), 10002);   // the replaced text stays until pruned
    qInfo("syntax check of 10,000 rules: %lld ms cold, %lld ms after one edit", first, second);

    // Texts no longer in the project leave the cache once they outnumber those in use.
    p.mappings[0].rules.resize(10);
    QVERIFY(check.check(p).isEmpty());
    QCOMPARE(check.cacheSize(), 11);
    QCOMPARE(check.parseCount(), 10002);
}

void TestMappingEditor::typingIsOneUndoStep()
{
    openFresh();
    MappingEditor editor;
    editor.setDocument(m_ctl->document());
    editor.setMappingId(kOpportunities);
    const Mapping &m = *m_ctl->document()->project().mapping(kOpportunities);
    const int rule = ruleIndex(m, QStringLiteral("customerRef"));
    const QString before = m.rules[rule].expression;
    const int history = m_ctl->document()->historySize();
    const QString typed = QStringLiteral("$uppercase(accountId)");
    for (int i = 1; i <= typed.size(); ++i)
        QVERIFY(editor.setExpression(rule, typed.left(i)));
    editor.endEdit();
    QCOMPARE(m_ctl->document()->historySize(), history + 1);
    QCOMPARE(m_ctl->document()->project().mapping(kOpportunities)->rules[rule].expression,
             typed);
    m_ctl->undo();
    QCOMPARE(m_ctl->document()->project().mapping(kOpportunities)->rules[rule].expression,
             before);
}

void TestMappingEditor::targetTreeMarks()
{
    openFresh();
    MappingEditor editor;
    editor.setDocument(m_ctl->document());
    editor.setFindings(m_ctl->findings());
    editor.setMappingId(kOpportunities);
    const MappingTreeModel *tgt = editor.targetTree();
    auto markOf = [tgt](const QString &path) {
        return tgt->index(tgt->indexOf(path), 0).data(MappingTreeModel::MarkRole).toString();
    };
    QCOMPARE(editor.unmappedRequired(), 0);
    QCOMPARE(markOf(QStringLiteral("customerRef")), QString());

    // Remove the rule of a required field: it is marked unmapped.
    const Mapping &m = *m_ctl->document()->project().mapping(kOpportunities);
    QVERIFY(editor.removeRule(ruleIndex(m, QStringLiteral("customerRef"))));
    QCOMPARE(markOf(QStringLiteral("customerRef")), QStringLiteral("required"));
    QCOMPARE(editor.unmappedRequired(), 1);
    m_ctl->undo();
    QCOMPARE(markOf(QStringLiteral("customerRef")), QString());

    // Copy a date into a decimal: a type mismatch (validator finding) marks the target.
    QVERIFY(editor.setExpression(ruleIndex(m, QStringLiteral("totalAmount")),
                                 QStringLiteral("closeDate")));
    editor.endEdit();
    m_ctl->validateNow();
    QTRY_COMPARE(markOf(QStringLiteral("totalAmount")), QStringLiteral("mismatch"));
    m_ctl->undo();

    // Writes into a field the target system does not own.
    editor.setMappingId(QStringLiteral("erp-customer-to-crm-account"));
    OwnershipRule rule = *m_ctl->document()->project().ownershipFor(QStringLiteral("Customer"),
                                                                     QStringLiteral("taxId"));
    rule.consumers.removeAll(QStringLiteral("crm"));
    m_ctl->document()->setOwnership(rule);
    m_ctl->validateNow();
    QTRY_COMPARE(markOf(QStringLiteral("taxId")), QStringLiteral("write"));
    QVERIFY(tgt->index(tgt->indexOf(QStringLiteral("taxId")), 0)
                .data(MappingTreeModel::OwnerHintRole).toString().contains(QStringLiteral("erp")));
    m_ctl->undo();
}

void TestMappingEditor::addRuleAndValueMaps()
{
    openFresh();
    MappingEditor editor;
    editor.setDocument(m_ctl->document());
    editor.setMappingId(kOpportunities);
    // Unknown paths are refused.
    QCOMPARE(editor.addRule(QStringLiteral("nope"), QStringLiteral("orderNumber")), -1);
    QCOMPARE(editor.addRule(QStringLiteral("quote.number"), QStringLiteral("nope")), -1);
    // A field inside an array maps item by item.
    const int r = editor.addRule(QStringLiteral("quote.number"), QStringLiteral("orderNumber"));
    QVERIFY(r >= 0);
    QCOMPARE(editor.selectedRule(), r);
    QCOMPARE(editor.expression(), QStringLiteral("quote.number"));
    // Mapping onto a target that has a rule replaces its expression (no duplicate rule).
    const int count = editor.rules()->rowCount();
    QCOMPARE(editor.addRule(QStringLiteral("quote.id"), QStringLiteral("orderNumber")), r);
    QCOMPARE(editor.rules()->rowCount(), count);
    QCOMPARE(editor.expression(), QStringLiteral("quote.id"));

    // A new value map attached to the selected rule, with entries and a fallback.
    const QString name = editor.createValueMap(QStringLiteral("numbers"));
    QCOMPARE(name, QStringLiteral("numbers"));
    QCOMPARE(editor.ruleValueMap(), name);
    QVERIFY(editor.addValueMapEntry(QStringLiteral("a"), QStringLiteral("b")));
    QVERIFY(editor.setValueMapEntry(0, QStringLiteral("a"), QStringLiteral("c")));
    QVERIFY(editor.setValueMapFallback(true, QStringLiteral("other")));
    const ValueMap *v = m_ctl->document()->project().mapping(kOpportunities)->valueMap(name);
    QVERIFY(v);
    QCOMPARE(v->entries.size(), 1);
    QCOMPARE(v->entries[0].second, QStringLiteral("c"));
    QVERIFY(v->hasFallback);
    QVERIFY(editor.setRuleValueMap(r, QString()));
    QCOMPARE(editor.valueMapEntries()->rowCount(), 0);
    QVERIFY(!editor.removeValueMapEntry(0));  // no value map on the rule any more

    // A rule without a source field (a constant): empty at first, then typed.
    QCOMPARE(editor.addTargetRule(QStringLiteral("nope")), -1);
    const int c = editor.addTargetRule(QStringLiteral("lines[].description"));
    QVERIFY(c >= 0);
    QCOMPARE(editor.selectedRule(), c);
    QCOMPARE(editor.expression(), QString());
    QVERIFY(editor.setExpression(c, QStringLiteral("\"Quote line\"")));
    QCOMPARE(editor.addTargetRule(QStringLiteral("lines[].description")), c);  // no duplicate
    QCOMPARE(editor.sampleLabels().size(), editor.sampleCount());
}

void TestMappingEditor::addAndRemoveMapping()
{
    openFresh();
    MappingEditor editor;
    QAbstractItemModelTester tester(editor.mappings(), kFatal);
    editor.setDocument(m_ctl->document());
    const int before = editor.mappings()->rowCount();
    QCOMPARE(editor.addMapping(QStringLiteral("crm"), QStringLiteral("Contact"),
                               QStringLiteral("nowhere"), QStringLiteral("X")), QString());
    const QString id = editor.addMapping(QStringLiteral("crm"), QStringLiteral("Contact"),
                                         QString(), QStringLiteral("Contact"));
    QVERIFY(!id.isEmpty());
    QCOMPARE(editor.mappingId(), id);
    QCOMPARE(editor.mappings()->rowCount(), before + 1);
    QVERIFY(editor.sourceTree()->rowCount() > 0);
    QVERIFY(editor.targetTree()->rowCount() > 0);
    QCOMPARE(editor.rules()->rowCount(), 0);
    QVERIFY(editor.removeMapping(id));
    QCOMPARE(editor.mappings()->rowCount(), before);
    QVERIFY(editor.mappingId() != id);
    m_ctl->undo();
    QCOMPARE(editor.mappings()->rowCount(), before + 1);
    QVERIFY(!editor.entityChoices().isEmpty());
}

void TestMappingEditor::dragFieldOntoFieldInStudio()
{
    const auto opened = testsupport::openStudio(kTemplate, StudioController::Mappings);
    m_engine = opened.engine;
    m_window = opened.window;
    m_studio = opened.controller;
    QVERIFY(m_window);
    QVERIFY(QTest::qWaitForWindowExposed(m_window));

    QQuickItem *page = findItem(m_window->contentItem(), QStringLiteral("mappingsPage"));
    QVERIFY(page);
    auto *editor = page->findChild<MappingEditor *>(QStringLiteral("mappingEditor"));
    QVERIFY(editor);
    editor->setMappingId(kOpportunities);

    QQuickItem *source = nullptr;
    QQuickItem *target = nullptr;
    QTRY_VERIFY((source = findItem(page, QStringLiteral("sourceField_quote.number"))));
    QTRY_VERIFY((target = findItem(page, QStringLiteral("targetField_orderNumber"))));
    QTRY_VERIFY(source->isVisible() && target->isVisible());
    auto *lines = qobject_cast<MappingLinesItem *>(findItem(page, QStringLiteral("mappingLines")));
    QVERIFY(lines);
    const int linesBefore = lines->count();
    QVERIFY(linesBefore > 0);

    auto ruleFor = [this](const QString &t) {
        return ruleIndex(*m_studio->document()->project().mapping(kOpportunities), t);
    };
    QCOMPARE(ruleFor(QStringLiteral("orderNumber")), -1);
    const int history = m_studio->document()->historySize();

    const QPoint from = source->mapToScene(QPointF(source->width() / 2, source->height() / 2))
                            .toPoint();
    const QPoint to = target->mapToScene(QPointF(target->width() / 2, target->height() / 2))
                          .toPoint();
    QTest::mousePress(m_window, Qt::LeftButton, Qt::NoModifier, from);
    const int steps = 12;
    for (int i = 1; i <= steps; ++i)
        QTest::mouseMove(m_window, from + (to - from) * i / steps, 10);
    QTest::mouseRelease(m_window, Qt::LeftButton, Qt::NoModifier, to, 10);

    const int rule = ruleFor(QStringLiteral("orderNumber"));
    QVERIFY2(rule >= 0, "the drag did not create a rule");
    QCOMPARE(m_studio->document()->project().mapping(kOpportunities)->rules[rule].expression,
             QStringLiteral("quote.number"));
    QCOMPARE(m_studio->document()->historySize(), history + 1);  // one undo step
    QCOMPARE(editor->selectedRule(), rule);
    QTRY_COMPARE(lines->count(), linesBefore + 1);
    // The inspector shows the new rule's expression.
    QQuickItem *exprField = findItem(page, QStringLiteral("expressionEditor"));
    QVERIFY(exprField);
    QTRY_COMPARE(exprField->property("text").toString(), QStringLiteral("quote.number"));

    m_studio->undo();
    QCOMPARE(ruleFor(QStringLiteral("orderNumber")), -1);
    QTRY_COMPARE(lines->count(), linesBefore);
    QVERIFY(!m_studio->isModified());

    // A click on a chevron folds the tree; another unfolds it.
    QQuickItem *chevron = findItem(page, QStringLiteral("chevron_quote"));
    QVERIFY(chevron);
    const int rows = editor->sourceTree()->rowCount();
    const QPoint at = chevron->mapToScene(QPointF(chevron->width() / 2, chevron->height() / 2))
                          .toPoint();
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, at);
    QTRY_VERIFY(editor->sourceTree()->rowCount() < rows);
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, at);
    QTRY_COMPARE(editor->sourceTree()->rowCount(), rows);
    QVERIFY(!m_studio->isModified());
}

// The port dot on the source tree's edge is where a mapping line starts: a drag from it maps
// the field (it used to grab the list's scroll bar lying under it and scroll instead).
void TestMappingEditor::dragFromPortDotMaps()
{
    QVERIFY(m_window);
    QQuickItem *page = findItem(m_window->contentItem(), QStringLiteral("mappingsPage"));
    QVERIFY(page);
    auto *editor = page->findChild<MappingEditor *>(QStringLiteral("mappingEditor"));
    QVERIFY(editor);
    editor->setMappingId(kOpportunities);
    QQuickItem *port = nullptr;
    QQuickItem *target = nullptr;
    QTRY_VERIFY((port = findItem(page, QStringLiteral("sourcePort_quote.number"))));
    QTRY_VERIFY((target = findItem(page, QStringLiteral("targetField_orderNumber"))));
    QTRY_VERIFY(port->isVisible() && target->isVisible());
    QQuickItem *list = findItem(page, QStringLiteral("sourceTree"));
    QVERIFY(list);
    // The tree is longer than its card: a scroll bar is there to be grabbed by mistake.
    QVERIFY(list->property("contentHeight").toReal() > list->height());
    const qreal contentY = list->property("contentY").toReal();
    auto ruleFor = [this](const QString &t) {
        return ruleIndex(*m_studio->document()->project().mapping(kOpportunities), t);
    };
    QCOMPARE(ruleFor(QStringLiteral("orderNumber")), -1);

    // The visible part of the dot, inside the list.
    const QRectF dot = port->mapRectToScene(QRectF(0, 0, port->width(), port->height()))
                           .intersected(list->mapRectToScene(QRectF(0, 0, list->width(),
                                                                    list->height())));
    QVERIFY(!dot.isEmpty());
    const QPoint from = dot.center().toPoint();
    const QPoint to = target->mapToScene(QPointF(target->width() / 2, target->height() / 2))
                          .toPoint();
    QTest::mousePress(m_window, Qt::LeftButton, Qt::NoModifier, from);
    for (int i = 1; i <= 12; ++i)
        QTest::mouseMove(m_window, from + (to - from) * i / 12, 10);
    QTest::mouseRelease(m_window, Qt::LeftButton, Qt::NoModifier, to, 10);
    QVERIFY2(ruleFor(QStringLiteral("orderNumber")) >= 0, "the drag from the port mapped nothing");
    QCOMPARE(list->property("contentY").toReal(), contentY);
    m_studio->undo();
    QCOMPARE(ruleFor(QStringLiteral("orderNumber")), -1);
}

void TestMappingEditor::problemOpensItsRule()
{
    QVERIFY(m_window);
    QQuickItem *page = findItem(m_window->contentItem(), QStringLiteral("mappingsPage"));
    auto *editor = page->findChild<MappingEditor *>(QStringLiteral("mappingEditor"));
    QVERIFY(editor);
    // A type mismatch in another mapping than the open one.
    const QString id = QStringLiteral("billing-payment-to-erp-payment");
    Mapping m = *m_studio->document()->project().mapping(id);
    const int rule = ruleIndex(m, QStringLiteral("amount"));
    m.rules[rule].expression = QStringLiteral("createdAt");
    m_studio->document()->updateMapping(m, QStringLiteral("test"));
    m_studio->validateNow();
    m_studio->setCurrentView(StudioController::Landscape);
    int finding = -1;
    const auto &all = m_studio->findings()->findings();
    for (int i = 0; i < all.size(); ++i) {
        if (all[i].location.element == QStringLiteral("mapping:%1/rule:%2").arg(id).arg(rule))
            finding = i;
    }
    QVERIFY(finding >= 0);
    m_studio->activateFinding(finding);
    QCOMPARE(m_studio->currentView(), StudioController::Mappings);
    QTRY_COMPARE(editor->mappingId(), id);
    QTRY_COMPARE(editor->selectedRule(), rule);
    QTRY_VERIFY(findItem(page, QStringLiteral("targetField_amount")));
    QTRY_COMPARE(findItem(page, QStringLiteral("targetField_amount"))->property("mark")
                     .toString(), QStringLiteral("mismatch"));
    QTest::mouseMove(m_window, QPoint(700, 5));
    QVERIFY(studio::grabToFile(m_window,
                               screenshotPath(QStringLiteral("tst_mappingeditor-mismatch.png"))));
    m_studio->undo();
}

void TestMappingEditor::typingInInspectorIsOneUndoStep()
{
    QVERIFY(m_window);
    QQuickItem *page = findItem(m_window->contentItem(), QStringLiteral("mappingsPage"));
    auto *editor = page->findChild<MappingEditor *>(QStringLiteral("mappingEditor"));
    editor->setMappingId(kOpportunities);
    auto expressionOf = [this](int rule) {
        return m_studio->document()->project().mapping(kOpportunities)->rules[rule].expression;
    };
    const int rule = ruleIndex(*m_studio->document()->project().mapping(kOpportunities),
                               QStringLiteral("customerRef"));
    editor->setSelectedRule(rule);
    QQuickItem *area = findItem(page, QStringLiteral("expressionEditor"));
    QVERIFY(area);
    QTRY_COMPARE(area->property("text").toString(), QStringLiteral("accountId"));
    area->forceActiveFocus();
    QTRY_VERIFY(area->hasActiveFocus());
    area->setProperty("cursorPosition", 9);

    for (const char c : std::string(" & \"-X\""))   // QTest::keyClicks takes no QWindow
        QTest::keyClick(m_window, c);
    QTRY_COMPARE(expressionOf(rule), QStringLiteral("accountId & \"-X\""));
    QTRY_VERIFY(editor->previewJson().contains(QStringLiteral("-X")));

    // Ctrl+Z in the field undoes the document edit: all the typing in one step.
    QTest::keyClick(m_window, Qt::Key_Z, Qt::ControlModifier);
    QTRY_COMPARE(expressionOf(rule), QStringLiteral("accountId"));
    QTRY_COMPARE(area->property("text").toString(), QStringLiteral("accountId"));
    QVERIFY(!m_studio->isModified());
    area->setFocus(false);
}

void TestMappingEditor::typedSyntaxErrorIsAProblem()
{
    QVERIFY(m_window);
    QQuickItem *page = findItem(m_window->contentItem(), QStringLiteral("mappingsPage"));
    auto *editor = page->findChild<MappingEditor *>(QStringLiteral("mappingEditor"));
    editor->setMappingId(kOpportunities);
    const int rule = ruleIndex(*m_studio->document()->project().mapping(kOpportunities),
                               QStringLiteral("customerRef"));
    const QString element = QStringLiteral("mapping:%1/rule:%2").arg(kOpportunities).arg(rule);
    editor->setSelectedRule(rule);
    QQuickItem *area = findItem(page, QStringLiteral("expressionEditor"));
    QVERIFY(area);
    QTRY_COMPARE(area->property("text").toString(), QStringLiteral("accountId"));
    area->forceActiveFocus();
    QTRY_VERIFY(area->hasActiveFocus());
    area->setProperty("cursorPosition", 9);

    // Typing a broken expression: the problems panel shows it (debounced validation).
    for (const char c : std::string(" & ("))
        QTest::keyClick(m_window, c);
    QTRY_COMPARE(findingsAt(m_studio->findings(), kSyntaxRule, element).size(), 1);
    const Finding f = findingsAt(m_studio->findings(), kSyntaxRule, element).first();
    QVERIFY2(positionIn(f.message) >= 12, qPrintable(f.message));
    area->setFocus(false);

    // Clicking it in the panel selects the mapping and the rule.
    QQuickItem *problems = findItem(m_window->contentItem(), QStringLiteral("problemsList"));
    QVERIFY(problems);
    int row = -1;
    const auto &all = m_studio->findings()->findings();
    for (int i = 0; i < all.size(); ++i) {
        if (all[i].ruleId == kSyntaxRule && all[i].location.element == element)
            row = i;
    }
    QVERIFY(row >= 0);
    editor->setMappingId(QStringLiteral("billing-payment-to-erp-payment"));
    editor->setSelectedRule(-1);
    QMetaObject::invokeMethod(problems, "positionViewAtIndex", Q_ARG(int, row),
                              Q_ARG(int, 0 /* ListView.Beginning */));
    QQuickItem *item = nullptr;
    QTRY_VERIFY(QMetaObject::invokeMethod(problems, "itemAtIndex",
                                          Q_RETURN_ARG(QQuickItem *, item), Q_ARG(int, row))
                && item && item->isVisible());
    QTest::mouseMove(m_window, QPoint(700, 5));
    QVERIFY(studio::grabToFile(m_window,
                               screenshotPath(QStringLiteral("tst_mappingeditor-syntax.png"))));
    const QPoint centre =
        item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint();
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centre);
    QTRY_COMPARE(m_studio->selectedElement(), element);
    QTRY_COMPARE(editor->mappingId(), kOpportunities);
    QTRY_COMPARE(editor->selectedRule(), rule);

    // Fixed (undo of the typing): the problem goes.
    m_studio->undo();
    QTRY_VERIFY(findingsAt(m_studio->findings(), kSyntaxRule, element).isEmpty());
    QVERIFY(!m_studio->isModified());
}

void TestMappingEditor::screenshotIsNotBlank()
{
    QVERIFY(m_window);
    QQuickItem *page = findItem(m_window->contentItem(), QStringLiteral("mappingsPage"));
    auto *editor = page->findChild<MappingEditor *>(QStringLiteral("mappingEditor"));
    QVERIFY(editor);
    editor->setMappingId(kOpportunities);
    const Mapping &m = *m_studio->document()->project().mapping(kOpportunities);
    editor->setSelectedRule(ruleIndex(m, QStringLiteral("status")));
    const auto [index, record] = firstRecord(
        kTemplateDir + QStringLiteral("/data/crm-opportunities.jsonl"),
        [](const json &j) { return j.value("stage", "") == "closed-won"; });
    editor->setSampleIndex(index);
    QTest::mouseMove(m_window, QPoint(700, 5));  // no tooltip in the picture

    const QString file = QDir(QCoreApplication::applicationDirPath())
                             .filePath(QStringLiteral("tst_mappingeditor.png"));
    QVERIFY(studio::grabToFile(m_window, file));
    QImage image(file);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(1440, 900));
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY2(colours.size() >= 32, qPrintable(QString::number(colours.size())));

    // A syntax error shown inline: the error label is visible with the position.
    QVERIFY(editor->setExpression(editor->selectedRule(), QStringLiteral("stage &")));
    QQuickItem *errorLabel = findItem(page, QStringLiteral("expressionErrorLabel"));
    QVERIFY(errorLabel);
    QTRY_VERIFY(errorLabel->isVisible());
    QVERIFY(errorLabel->property("text").toString()
                .contains(QString::number(editor->expressionErrorPosition())));
    QVERIFY(studio::grabToFile(m_window,
                               screenshotPath(QStringLiteral("tst_mappingeditor-error.png"))));
    m_studio->undo();

    // The new-mapping dialog opens over the page and lists every entity.
    QObject *dialog = page->findChild<QObject *>(QStringLiteral("addMappingDialog"));
    QVERIFY(dialog);
    QMetaObject::invokeMethod(dialog, "open");
    QTRY_VERIFY(dialog->property("opened").toBool());
    QVERIFY(dialog->property("choices").toList().size() > 10);
    QVERIFY(studio::grabToFile(m_window,
                               screenshotPath(QStringLiteral("tst_mappingeditor-new.png"))));
    QMetaObject::invokeMethod(dialog, "reject");
    QTRY_VERIFY(!dialog->property("visible").toBool());
    QCOMPARE(m_studio->document()->project().mappings.size(), 11);
}

QTEST_MAIN(TestMappingEditor)
#include "tst_mappingeditor.moc"
