// The mapping executor: rules, conditions, defaults, value maps, nested and array targets,
// errors that point at their rule, and the Quote-to-Cash mappings over their sample data.
#include "model/projectjson.h"
#include "runtime/mapping/mappingexecutor.h"

#include <QFile>
#include <QtTest>

using namespace sb;
using json = nlohmann::ordered_json;

namespace {

// A required field.
model::Field field(const QString &name, model::FieldType type)
{
    model::Field f;
    f.name = name;
    f.type = type;
    f.required = true;
    return f;
}

model::MappingRule rule(const QString &target, const QString &expression,
                        const QString &condition = {}, const QString &defaultValue = {},
                        const QString &valueMap = {})
{
    model::MappingRule r;
    r.target = target;
    r.expression = expression;
    r.condition = condition;
    r.defaultValue = defaultValue;
    r.valueMap = valueMap;
    return r;
}

QVector<json> readJsonLines(const QString &path)
{
    QVector<json> records;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return records;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (!line.isEmpty())
            records.push_back(json::parse(line.constData()));
    }
    return records;
}

const QString kTemplateDir = QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash");

} // namespace

class TestMapping : public QObject
{
    Q_OBJECT
private slots:
    void rulesDefaultsConditionsAndNestedTargets()
    {
        model::Mapping m;
        m.id = QStringLiteral("m");
        m.rules = {rule("id", "accountId"),
                   rule("address.country", "addr.country"),
                   rule("total", "$sum(lines.(qty * price))"),
                   rule("vip", "true", "total > 1000"),
                   rule("currency", "currency", {}, "\"EUR\""),
                   rule("constant", "", {}, "{\"a\": [1, 2]}")};
        runtime::MappingExecutor ex(m);
        QVERIFY(ex.compileErrors().isEmpty());
        const auto out = ex.execute(json::parse(R"({"accountId": "A1", "addr": {"country": "DE"},
            "lines": [{"qty": 2, "price": 10.5}, {"qty": 1, "price": 4}]})"));
        QVERIFY(out.ok());
        QCOMPARE(out.output.dump(),
                 std::string(R"({"id":"A1","address":{"country":"DE"},"total":25,)"
                             R"("currency":"EUR","constant":{"a":[1,2]}})"));
        QCOMPARE(out.rulesApplied, 5);
    }

    void valueMapsWithAndWithoutFallback()
    {
        model::Mapping m;
        m.valueMaps = {model::ValueMap{QStringLiteral("stage"),
                                       {{QStringLiteral("closed-won"), QStringLiteral("released")}},
                                       QStringLiteral("draft"), true},
                       model::ValueMap{QStringLiteral("strict"),
                                       {{QStringLiteral("1"), QStringLiteral("one")}}, {}, false}};
        m.rules = {rule("status", "stage", {}, {}, "stage"),
                   rule("count", "n", {}, {}, "strict")};
        runtime::MappingExecutor ex(m);
        auto won = ex.execute(json::parse(R"({"stage": "closed-won", "n": 1})"));
        QCOMPARE(won.output["status"], json("released"));
        QCOMPARE(won.output["count"], json("one")); // numbers match their JSON text
        auto other = ex.execute(json::parse(R"({"stage": "lost", "n": 2})"));
        QCOMPARE(other.output["status"], json("draft"));
        QVERIFY(!other.output.contains("count"));
        QCOMPARE(other.errors.size(), 1);
        QCOMPARE(other.errors[0].rule, 1);
        QCOMPARE(other.errors[0].code, QStringLiteral("M0002"));
        QVERIFY(other.errors[0].message.contains(QLatin1String("strict")));
    }

    void arraysWholeAndPerItem()
    {
        model::Mapping m;
        m.rules = {rule("lines", "[quote.lines.{ 'sku': code, 'quantity': qty }]"),
                   rule("items[].sku", "quote.lines.code"),
                   rule("items[].total", "quote.lines.(qty * price)")};
        runtime::MappingExecutor ex(m);
        const auto out = ex.execute(json::parse(R"({"quote": {"lines": [
            {"code": "A", "qty": 2, "price": 3}, {"code": "B", "qty": 1, "price": 5}]}})"));
        QVERIFY(out.ok());
        QCOMPARE(out.output["lines"].dump(),
                 std::string(R"([{"sku":"A","quantity":2},{"sku":"B","quantity":1}])"));
        QCOMPARE(out.output["items"].dump(),
                 std::string(R"([{"sku":"A","total":6},{"sku":"B","total":5}])"));
        // One line: JSONata gives a single value, still one array item.
        const auto single = ex.execute(json::parse(
            R"({"quote": {"lines": [{"code": "A", "qty": 2, "price": 3}]}})"));
        QCOMPARE(single.output["lines"].size(), size_t(1));
        QCOMPARE(single.output["items"].dump(), std::string(R"([{"sku":"A","total":6}])"));
    }

    void errorsPointAtTheirRuleAndOthersStillRun()
    {
        model::Mapping m;
        m.rules = {rule("a", "x"), rule("b", "x +"), rule("c", "$number(x) + 'text'"),
                   rule("d", "y", "$undefinedFn()")};
        runtime::MappingExecutor ex(m);
        QCOMPARE(ex.compileErrors().size(), 1);
        QCOMPARE(ex.compileErrors()[0].rule, 1);
        QCOMPARE(ex.compileErrors()[0].target, QStringLiteral("b"));
        QVERIFY(ex.compileErrors()[0].code.startsWith(QLatin1Char('S')));
        const auto out = ex.execute(json::parse(R"({"x": "5", "y": 1})"));
        QCOMPARE(out.output.dump(), std::string(R"({"a":"5"})"));
        QCOMPARE(out.errors.size(), 3);
        QCOMPARE(out.errors[1].rule, 2);
        QCOMPARE(out.errors[1].code, QStringLiteral("T2002")); // right operand not a number
        QCOMPARE(out.errors[2].rule, 3);
        QCOMPARE(out.errors[2].part, runtime::RuleIssue::Part::Condition);
        QVERIFY(out.errors[1].toString().startsWith(QLatin1String("rule 3 (c) expression: T2002")));
    }

    void runawayExpressionIsStopped()
    {
        model::Mapping m;
        m.rules = {rule("x", "($f := function($n) { $f($n + 1) }; $f(0))")};
        runtime::MappingExecutor ex(m);
        jsonata::EvalOptions options;
        options.timeLimitMs = 500;
        const auto out = ex.execute(json::object(), {}, options);
        QCOMPARE(out.errors.size(), 1);
        // A tail call does not deepen the stack: the loop ends at the deadline (U1001) or,
        // on a fast machine, at the allocation budget first (U1004). Either stops it.
        QVERIFY2(out.errors[0].code == QLatin1String("U1001")
                     || out.errors[0].code == QLatin1String("U1004"),
                 qPrintable(out.errors[0].code));
    }

    void sizeBudgetStopsOneRuleOthersStillRun()
    {
        model::Mapping m;
        m.rules = {rule("id", "id"), rule("name", "$substring($pad(name, 400000000), 0, 10)"),
                   rule("shared", "($f := function($o, $n){ $n = 0 ? $o : "
                                  "$f([[$o], [$o]], $n - 1)}; $f([name], 40))")};
        runtime::MappingExecutor ex(m);
        // the default budget is the runner's
        const auto out = ex.execute(json::parse(R"({"id": "1", "name": "Ada"})"));
        QCOMPARE(out.output.dump(), std::string(R"({"id":"1"})"));
        QCOMPARE(out.errors.size(), 2);
        QCOMPARE(out.errors[0].code, QStringLiteral("U1002"));
        QVERIFY(out.errors[0].toString().startsWith(QLatin1String("rule 2 (name) expression")));
        // a value sharing its parts would expand to 2^40 leaves as JSON: refused
        QCOMPARE(out.errors[1].code, QStringLiteral("U1004"));
    }

    void deeplyNestedRecordIsRefused()
    {
        model::Mapping m;
        m.rules = {rule("id", "id")};
        runtime::MappingExecutor ex(m);
        const std::string text = R"({"id":"d","x":)" + std::string(50000, '[')
                                 + std::string(50000, ']') + "}";
        const auto out = ex.execute(json::parse(text));
        QVERIFY(!out.applied);
        QCOMPARE(out.errors.size(), 1);
        QCOMPARE(out.errors[0].code, QStringLiteral("U1005"));
        QCOMPARE(out.errors[0].part, runtime::RuleIssue::Part::Input);
    }

    void mappingConditionAndCoverage()
    {
        model::Mapping m;
        m.condition = QStringLiteral("stage = 'closed-won'");
        m.rules = {rule("id", "id"), rule("lines", "[lines.{'sku': sku}]")};
        model::Field sku = field(QStringLiteral("sku"), model::FieldType::String);
        model::Field qty = field(QStringLiteral("quantity"), model::FieldType::Integer);
        model::Field lines = field(QStringLiteral("lines"), model::FieldType::Array);
        lines.fields = {sku, qty};
        model::Field name = field(QStringLiteral("name"), model::FieldType::String);
        model::Field id = field(QStringLiteral("id"), model::FieldType::String);
        runtime::MappingExecutor ex(m, {id, name, lines});
        QVERIFY(!ex.execute(json::parse(R"({"stage": "open", "id": "1"})")).applied);
        const auto out = ex.execute(json::parse(
            R"({"stage": "closed-won", "id": "1", "lines": [{"sku": "A"}, {"sku": "B"}]})"));
        QVERIFY(out.applied);
        QCOMPARE(out.unmappedRequired,
                 QStringList({"name", "lines[0].quantity", "lines[1].quantity"}));
    }

    // A partial mapping (a PATCH body) produces what it maps and misses nothing else.
    void partialMappingRequiresOnlyWhatItMaps()
    {
        model::Mapping m;
        m.rules = {rule("status", "'onboarded'")};
        const model::Field id = field(QStringLiteral("id"), model::FieldType::String);
        const model::Field status = field(QStringLiteral("status"), model::FieldType::String);
        const json input = json::parse(R"({"id": "E1"})");
        QCOMPARE(runtime::MappingExecutor(m, {id, status}).execute(input).unmappedRequired,
                 QStringList({"id"}));
        m.partial = true;
        const auto out = runtime::MappingExecutor(m, {id, status}).execute(input);
        QVERIFY(out.applied);
        QVERIFY(out.unmappedRequired.isEmpty());
        QCOMPARE(QString::fromStdString(out.output.dump()),
                 QStringLiteral(R"({"status":"onboarded"})"));
    }

    void quoteToCashMappingsOverSampleData()
    {
        auto loaded = model::loadProject(kTemplateDir + QStringLiteral("/quote-to-cash.switchboard"));
        QVERIFY2(loaded.ok(), qPrintable(loaded.error().toString()));
        const model::Project &project = loaded.value();

        // CRM accounts -> canonical Customer: every account maps; the record whose country
        // is not a known name is the one the value map reports.
        const model::Mapping *accounts = project.mapping(QStringLiteral("crm-account-to-customer"));
        QVERIFY(accounts);
        runtime::MappingExecutor accountEx(*accounts, project);
        QVERIFY(accountEx.compileErrors().isEmpty());
        const QVector<json> accountRecords =
            readJsonLines(kTemplateDir + QStringLiteral("/data/crm-accounts.jsonl"));
        QVERIFY(accountRecords.size() >= 200);
        int countryErrors = 0;
        int withoutTaxId = 0;
        for (const json &record : accountRecords) {
            const auto out = accountEx.execute(record);
            QVERIFY(out.applied);
            QCOMPARE(out.output["customerId"], record["id"]);
            const bool knownCountry = record["billingAddress"]["country"] != "XX";
            if (!knownCountry) {
                ++countryErrors;
                QCOMPARE(out.errors.size(), 1);
                QCOMPARE(out.errors[0].code, QStringLiteral("M0002"));
                QVERIFY(out.errors[0].target == QStringLiteral("country"));
            } else {
                QVERIFY2(out.ok(), qPrintable(out.errors.value(0).toString()));
                QCOMPARE(out.output["country"].get<std::string>().size(), size_t(2));
            }
            if (!record.contains("taxId") || record["taxId"].is_null()) {
                ++withoutTaxId;
                QVERIFY(!out.output.contains("taxId"));
            } else {
                // Normalised: upper case, no spaces.
                const std::string tax = out.output["taxId"].get<std::string>();
                QVERIFY(tax.find(' ') == std::string::npos);
            }
        }
        QCOMPARE(countryErrors, 1);
        QVERIFY(withoutTaxId >= 1);

        // Closed-won opportunities -> ERP sales orders, quote lines become order lines.
        const model::Mapping *orders =
            project.mapping(QStringLiteral("opportunity-to-erp-sales-order"));
        QVERIFY(orders);
        runtime::MappingExecutor orderEx(*orders, project);
        QVERIFY(orderEx.compileErrors().isEmpty());
        const QVector<json> opportunities =
            readJsonLines(kTemplateDir + QStringLiteral("/data/crm-opportunities.jsonl"));
        QVERIFY(opportunities.size() >= 300);
        int applied = 0;
        for (const json &opp : opportunities) {
            const auto out = orderEx.execute(opp);
            QCOMPARE(out.applied, opp["stage"] == "closed-won");
            if (!out.applied)
                continue;
            ++applied;
            QVERIFY2(out.ok(), qPrintable(out.errors.value(0).toString()));
            QCOMPARE(out.output["status"], json("released"));
            QCOMPARE(out.output["lines"].size(), opp["quote"]["lines"].size());
            QCOMPARE(out.output["lines"][0]["sku"], opp["quote"]["lines"][0]["productCode"]);
        }
        QVERIFY(applied > 0);

        // Every mapping of the example compiles.
        for (const model::Mapping &m : project.mappings) {
            runtime::MappingExecutor ex(m, project);
            QVERIFY2(ex.compileErrors().isEmpty(),
                     qPrintable(m.id + QLatin1String(": ")
                                + ex.compileErrors().value(0).toString()));
        }
    }
};

QTEST_GUILESS_MAIN(TestMapping)
#include "tst_mapping.moc"
