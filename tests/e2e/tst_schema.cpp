// The JSON Schemas of the project and bundle formats (docs/schema/): both templates and
// bundles that switchboard-run exports fit them, broken documents do not, and every key
// that docs/format.md lists for an object is a property of its schema and the reverse.
#include "tests/support/process.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <memory>

using namespace sb::testsupport;
using nlohmann::json;

namespace {

const QString kSource = QStringLiteral(SWITCHBOARD_SOURCE_DIR);

json readJson(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return json(json::value_t::discarded);
    const QByteArray text = f.readAll();
    return json::parse(text.constData(), text.constData() + text.size(), nullptr, false);
}

json schemaFile(const std::string &uri)
{
    // References name a sibling schema file ("project.schema.json"), whatever the base.
    const QString name = QString::fromStdString(uri).section(QLatin1Char('/'), -1);
    return readJson(kSource + QStringLiteral("/docs/schema/") + name);
}

class Checker
{
public:
    explicit Checker(const char *file)
    {
        m_document = schemaFile(file);
        valijson::SchemaParser parser;
        valijson::adapters::NlohmannJsonAdapter adapter(m_document);
        parser.populateSchema(
            adapter, m_schema,
            [](const std::string &uri) -> const json * {
                json *doc = new json(schemaFile(uri));
                if (doc->is_discarded()) {
                    delete doc;
                    return nullptr;
                }
                return doc;
            },
            [](const json *doc) { delete doc; });
    }
    const json &document() const { return m_document; }
    // Empty when `doc` fits; else the first errors, with where they are.
    QString check(const json &doc) const
    {
        valijson::Validator validator;
        valijson::ValidationResults results;
        valijson::adapters::NlohmannJsonAdapter adapter(doc);
        if (validator.validate(m_schema, adapter, &results))
            return QString();
        QStringList lines;
        valijson::ValidationResults::Error error;
        while (lines.size() < 8 && results.popError(error)) {
            QString where;
            for (const std::string &c : error.context)
                where += QString::fromStdString(c);
            lines << where + QStringLiteral(": ") + QString::fromStdString(error.description);
        }
        return lines.join(QLatin1Char('\n'));
    }

private:
    json m_document;
    valijson::Schema m_schema;
};

QStringList templates()
{
    const QString dir = kSource + QStringLiteral("/templates/");
    return {dir + QStringLiteral("quote-to-cash/quote-to-cash.switchboard"),
            dir + QStringLiteral("employee-onboarding/employee-onboarding.switchboard")};
}

// Keys of the tables whose header begins "| key |", per section of docs/format.md.
QHash<QString, QSet<QString>> documentedKeys()
{
    QHash<QString, QSet<QString>> out;
    QFile f(kSource + QStringLiteral("/docs/format.md"));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return out;
    static const QRegularExpression heading(QStringLiteral("^#{2,3} (\\d+(?:\\.\\d+)?)[. ]"));
    static const QRegularExpression row(QStringLiteral("^\\| `([A-Za-z$]+)` \\|"));
    QString section;
    bool inKeyTable = false;
    for (const QString &line : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'))) {
        const auto h = heading.match(line);
        if (h.hasMatch()) {
            section = h.captured(1);
            continue;
        }
        if (!line.startsWith(QLatin1Char('|'))) {
            inKeyTable = false;
            continue;
        }
        if (line.startsWith(QLatin1String("| key |"))) {
            inKeyTable = true;
            continue;
        }
        const auto r = row.match(line);
        if (inKeyTable && r.hasMatch())
            out[section].insert(r.captured(1));
    }
    return out;
}

QSet<QString> properties(const json &schema)
{
    QSet<QString> keys;
    if (schema.contains("allOf")) {
        for (const json &part : schema["allOf"])
            keys += properties(part);
    }
    if (schema.contains("properties")) {
        for (const auto &item : schema["properties"].items())
            keys.insert(QString::fromStdString(item.key()));
    }
    return keys;
}

} // namespace

class TestSchema : public QObject
{
    Q_OBJECT
private slots:
    void templatesFitTheProjectSchema_data()
    {
        QTest::addColumn<QString>("file");
        for (const QString &t : templates())
            QTest::newRow(qPrintable(QFileInfo(t).completeBaseName())) << t;
    }
    void templatesFitTheProjectSchema()
    {
        QFETCH(QString, file);
        const Checker project("project.schema.json");
        const json doc = readJson(file);
        QVERIFY(!doc.is_discarded());
        const QString problems = project.check(doc);
        QVERIFY2(problems.isEmpty(), qPrintable(problems));
    }

    void exportedBundlesFitTheBundleSchema_data() { templatesFitTheProjectSchema_data(); }
    void exportedBundlesFitTheBundleSchema()
    {
        QFETCH(QString, file);
        QTemporaryDir dir;
        const QString bundle = dir.filePath(QStringLiteral("b.json"));
        const Run exported = run({QStringLiteral("export"), file, QStringLiteral("-o"), bundle});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err + exported.out));
        const Checker schema("bundle.schema.json");
        const json doc = readJson(bundle);
        QVERIFY(!doc.is_discarded());
        const QString problems = schema.check(doc);
        QVERIFY2(problems.isEmpty(), qPrintable(problems));
        // The schema looks inside the project: a bad key there fails the bundle.
        json broken = doc;
        broken["project"]["workflows"][0]["steps"][0]["retries"] = 3;
        QVERIFY(!schema.check(broken).isEmpty());
    }

    void brokenProjectsDoNotFit_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("json");
        QTest::newRow("unknown key") << "/workflows/0/trigger/filterr" << "\"x\"";
        QTest::newRow("wrong type") << "/systems/0/entities/0/fields/0/maxLength" << "\"18\"";
        QTest::newRow("negative integer") << "/workflows/0/steps/1/timeoutMs" << "-1";
        QTest::newRow("unknown enum value") << "/systems/0/kind" << "\"hr\"";
        QTest::newRow("bad outcome") << "/tests/0/expect/outcome" << "\"done\"";
        QTest::newRow("wrong format") << "/format" << "\"switchboard-bundle\"";
        QTest::newRow("position of three") << "/systems/0/position" << "[1, 2, 3]";
        QTest::newRow("test with input and record") << "/tests/0/input" << "{}";
    }
    void brokenProjectsDoNotFit()
    {
        QFETCH(QString, pointer);
        QFETCH(QString, json);
        const Checker project("project.schema.json");
        nlohmann::json doc = readJson(templates().at(1));
        doc[nlohmann::json::json_pointer(pointer.toStdString())] =
            nlohmann::json::parse(json.toStdString());
        QVERIFY2(!project.check(doc).isEmpty(), qPrintable(pointer));
        // Removing a required key fails too.
        nlohmann::json missing = readJson(templates().at(1));
        missing["mappings"][0].erase("target");
        QVERIFY(!project.check(missing).isEmpty());
    }

    // docs/format.md and the schema list the same keys for every object.
    void schemaMatchesTheFormatReference()
    {
        const QHash<QString, QSet<QString>> documented = documentedKeys();
        const Checker project("project.schema.json");
        const json &schema = project.document();
        const json &defs = schema["definitions"];
        const QVector<std::pair<QString, QStringList>> sections = {
            {QStringLiteral("1"), {}},
            {QStringLiteral("2.1"), {QStringLiteral("system")}},
            {QStringLiteral("2.2"), {QStringLiteral("entity")}},
            {QStringLiteral("2.3"), {QStringLiteral("field")}},
            {QStringLiteral("2.4"), {QStringLiteral("profile")}},
            {QStringLiteral("2.5"), {QStringLiteral("canonicalEntity")}},
            {QStringLiteral("2.6"), {QStringLiteral("ownershipRule")}},
            {QStringLiteral("2.7"), {QStringLiteral("mapping")}},
            {QStringLiteral("2.8"), {QStringLiteral("mappingRule")}},
            {QStringLiteral("2.9"), {QStringLiteral("valueMap")}},
            {QStringLiteral("2.10"), {QStringLiteral("workflow")}},
            {QStringLiteral("2.11"), {QStringLiteral("trigger")}},
            {QStringLiteral("2.12"), {QStringLiteral("step"), QStringLiteral("retry")}},
            {QStringLiteral("2.13"), {QStringLiteral("edge")}},
            {QStringLiteral("2.14"), {QStringLiteral("flow")}},
            {QStringLiteral("2.15"), {QStringLiteral("sla")}},
            {QStringLiteral("2.16"), {QStringLiteral("reconciliation")}},
            {QStringLiteral("2.17"), {QStringLiteral("dataset")}},
            {QStringLiteral("2.18"), {QStringLiteral("test"), QStringLiteral("expect")}},
            {QStringLiteral("6"), {QStringLiteral("webhookAuth")}},
        };
        for (const auto &[section, names] : sections) {
            QSet<QString> inSchema;
            if (names.isEmpty())
                inSchema = properties(schema);
            for (const QString &name : names) {
                if (name == QLatin1String("expect"))
                    inSchema += properties(defs["test"]["allOf"][0]["properties"]["expect"]);
                else
                    inSchema += properties(defs[name.toStdString()]);
            }
            QVERIFY2(!inSchema.isEmpty(), qPrintable(section));
            const QSet<QString> inDoc = documented.value(section);
            QStringList onlyDoc = QSet<QString>(inDoc).subtract(inSchema).values();
            QStringList onlySchema = QSet<QString>(inSchema).subtract(inDoc).values();
            onlyDoc.sort();
            onlySchema.sort();
            QVERIFY2(onlyDoc.isEmpty() && onlySchema.isEmpty(),
                     qPrintable(QStringLiteral("section %1: only in format.md: %2; only in the "
                                               "schema: %3")
                                    .arg(section, onlyDoc.join(QLatin1Char(' ')),
                                         onlySchema.join(QLatin1Char(' ')))));
        }
    }
};

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
