#pragma once

// Schema import: turns an external schema description into model::Entity values.
// Sources: OpenAPI 3 (JSON or YAML), JSON Schema (draft 7 / 2020-12), a sample JSON record
// and a CSV header row (optionally with data rows). The kind is detected from the content.
// Never throws and never crashes on bad input: every problem comes back as an sb::Error
// naming the file, the line and column where known, and the JSON pointer of the schema.

#include "model/project.h"
#include "model/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

namespace sb::runtime {

enum class SchemaSourceKind { OpenApi, JsonSchema, SampleJson, Csv };

QString schemaSourceKindName(SchemaSourceKind kind);

// One importable schema, as shown to a user picking what to import.
struct SchemaSummary
{
    QString name;
    QString description;
    int propertyCount = 0;   // top-level properties (allOf parts merged)
    bool isObject = true;    // false for enum / primitive schemas: not imported as entities
};

struct SchemaSourceData;

// A parsed schema source. Cheap to copy (shares the parsed document).
class SchemaSource
{
public:
    static Result<SchemaSource> load(const QString &fileName);
    // `fileName` labels errors and names the entity of a sample record or CSV file.
    static Result<SchemaSource> parse(const QByteArray &text, const QString &fileName);

    SchemaSourceKind kind() const;
    QString fileName() const;
    QVector<SchemaSummary> list() const;
    bool contains(const QString &name) const;

    // Imports one schema by name (as listed).
    Result<model::Entity> importSchema(const QString &name) const;
    // Imports the named schemas in the given order; an empty list imports every schema.
    Result<QVector<model::Entity>> importSchemas(const QStringList &names = {}) const;

private:
    std::shared_ptr<const SchemaSourceData> m_data;
};

// Adds imported entities to a system, replacing an entity of the same name (keeping the
// canonical links of fields that survive, and the old key if the import found none).
// Returns, per entity in order, whether it replaced one ("updated") or was added. The studio
// applies the changed system with Document::updateSystem so the import is one undo step.
QVector<bool> mergeEntities(model::System &system, const QVector<model::Entity> &entities);

// The key rule shared by every importer: `id` if present, else the first required string
// field whose name ends in Id or Key, else (nothing required) the first such field.
QString chooseKeyField(const QVector<model::Field> &fields);

// Number of fields including nested ones.
int countFields(const QVector<model::Field> &fields);

} // namespace sb::runtime
