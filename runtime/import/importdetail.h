#pragma once

// Internals shared by the importers; not part of the runtime's API.

#include "model/project.h"
#include "model/result.h"
#include "runtime/import/csv.h"

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QVector>

#include <nlohmann/json.hpp>

#include <climits>
#include <utility>

namespace sb::runtime::importdetail {

using Json = nlohmann::ordered_json;

// ---- YAML (yamljson.cpp) -------------------------------------------------------------

// Parses YAML into JSON, keeping key order. Plain scalars resolve by the YAML 1.2 core
// schema (null, bool, int, float, else string); quoted scalars stay strings.
Result<Json> yamlToJson(const QByteArray &text, const QString &fileName);
// 1-based line and column of the value at a JSON pointer ("/a/b") in YAML text; {0, 0}
// when unknown.
std::pair<int, int> yamlPosition(const QByteArray &text, const QString &pointer);

// ---- OpenAPI / JSON Schema (schemaconverter.cpp) ---------------------------------------

// What a schema object turns into: the attributes of one field, or an entity's fields.
struct Shape
{
    model::FieldType type = model::FieldType::String;
    bool typed = false;          // a type was given or inferred (not "any")
    QString format;
    QStringList enumValues;
    int maxLength = 0;
    QString description;
    model::FieldType itemType = model::FieldType::Object;
    QVector<model::Field> fields;
    QStringList requiredNames;   // from `required`, possibly naming fields of allOf parts
    QSet<QString> optionalNames; // nullable or read-only fields: never required
    bool nullable = false;
    bool readOnly = false;
    QStringList notes;           // appended to the description
    int minCut = INT_MAX;        // lowest expansion-stack index a cycle was cut at
    bool truncated = false;      // cut by the depth or size bound: not cacheable
    int total = 0;               // fields including nested ones
};

class SchemaConverter
{
public:
    SchemaConverter(const Json &root, const QString &fileName, const QByteArray &text,
                    bool yaml);

    // Converts the schema at a JSON pointer ("#/components/schemas/Order").
    bool convert(const QString &pointer, Shape &out);
    const Error &error() const { return m_error; }
    // Finding the line of an error re-reads YAML text: skipped where only the message counts.
    void setLocateErrors(bool locate) { m_locate = locate; }

    static constexpr int kMaxDepth = 64;      // deeper nesting is left unexpanded
    static constexpr int kMaxHardDepth = 256; // deeper is refused (hostile input)
    static constexpr int kMaxFields = 5000;    // nested fields per entity

private:
    bool shapeOf(const Json &schema, const QString &ptr, int depth, Shape &out);
    // The steps of shapeOf, in order; each false after fail().
    bool declaredType(const Json &schema, const QString &ptr, Shape &out, QString &type);
    bool applyAllOf(const Json &schema, const QString &ptr, int depth, Shape &out,
                    QString &type, bool &objectLike);
    bool applyAnyOf(const Json &schema, const QString &ptr, int depth, Shape &out,
                    QString &type, bool &objectLike);
    bool settleType(const Json &schema, const QString &ptr, Shape &out, QString &type,
                    bool objectLike);
    void applyFormatAndValues(const Json &schema, Shape &out, const QString &type);
    bool shapeItems(const Json &schema, const QString &ptr, int depth, Shape &out);
    bool shapeProperties(const Json &schema, const QString &ptr, int depth, Shape &out);
    bool followRef(const Json &schema, const QString &ptr, int depth, Shape &out);
    bool fail(const QString &ptr, const QString &message);
    void mergeObject(Shape &into, const Shape &part, bool optional);

    const Json &m_root;
    QString m_fileName;
    QByteArray m_text;
    bool m_yaml = false;
    bool m_locate = true;
    Error m_error;
    QVector<QString> m_stack;
    QHash<QString, Shape> m_cache;
    qint64 m_created = 0;
};

QString escapePointerToken(const QString &token);
// The last token of a pointer, unescaped ("#/components/schemas/A~1B" -> "A/B").
QString pointerName(const QString &pointer);
model::Field fieldFromShape(const QString &name, const Shape &shape);
// The description with the notes appended as sentences.
QString describe(const Shape &shape);

// ---- Sample JSON and CSV (sampleinfer.cpp) ---------------------------------------------

// Fields inferred from one or more sample records (a JSON object or an array of them).
QVector<model::Field> sampleFields(const Json &sample);

using sb::runtime::CsvTable;
using sb::runtime::parseCsv;
QVector<model::Field> csvFields(const CsvTable &table);

// "quote-lines.csv" -> "QuoteLines".
QString entityNameFromFile(const QString &fileName);

} // namespace sb::runtime::importdetail
