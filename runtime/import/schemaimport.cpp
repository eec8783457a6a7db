// Detecting the kind of a schema source and importing entities from it.
#include "runtime/import/schemaimport.h"

#include "runtime/import/importdetail.h"

#include "model/projectjson.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <optional>

namespace sb::runtime {

using namespace importdetail;
using model::Entity;
using model::Field;
using model::FieldType;

struct SchemaSourceData
{
    SchemaSourceKind kind = SchemaSourceKind::OpenApi;
    QString fileName;
    QByteArray text;         // the document text, to locate errors
    bool yaml = false;
    Json doc;
    CsvTable csv;
    QString entityName;      // sample, CSV, JSON Schema root
    QVector<std::pair<QString, QString>> schemas; // name -> JSON pointer (OpenAPI, JSON Schema)
};

namespace {

Error fileError(const QString &fileName, const QString &message)
{
    Error e;
    e.file = fileName;
    e.message = message;
    return e;
}

// A first line such as `id,name,email` or `"Id";"Name"`, not `key: value` or a comment.
bool looksLikeCsv(const QString &line)
{
    static const QRegularExpression yamlKey(QStringLiteral("^[^,;\\t\"]*:(\\s|$)"));
    if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line.startsWith(QLatin1Char('-'))
        || line.startsWith(QLatin1Char('%')))
        return false;
    if (yamlKey.match(line).hasMatch())
        return false;
    return line.contains(QLatin1Char(',')) || line.contains(QLatin1Char(';'))
           || line.contains(QLatin1Char('\t'));
}

bool isSchemaObject(const Json &j)
{
    if (!j.is_object())
        return false;
    const auto type = j.find("type");
    const bool objectType = type != j.end() && type->is_string() && *type == "object";
    return j.contains("$schema") || j.contains("$defs") || j.contains("definitions")
           || (objectType && (j.contains("properties") || j.contains("allOf")));
}

bool objectLike(const Json &j)
{
    if (!j.is_object())
        return false;
    const auto type = j.find("type");
    if (type != j.end() && type->is_string())
        return *type == "object";
    return j.contains("properties") || j.contains("allOf") || j.contains("oneOf")
           || j.contains("anyOf") || j.contains("$ref");
}

Result<Json> parseJson(const QByteArray &text, const QString &fileName)
{
    try {
        return Json::parse(text.constData(), text.constData() + text.size());
    } catch (const nlohmann::json::parse_error &e) {
        Error err = fileError(fileName, QString());
        const auto [line, column] =
            model::lineColumnAt(text, qsizetype(e.byte > 0 ? e.byte - 1 : 0));
        err.line = line;
        err.column = column;
        QString what = QString::fromUtf8(e.what());
        // nlohmann's text: "[json.exception.parse_error.101] parse error at line 3, ..."
        const int colon = what.lastIndexOf(QLatin1String(": "));
        if (colon > 0)
            what = what.mid(colon + 2);
        err.message = QStringLiteral("JSON syntax error: %1").arg(what);
        return err;
    } catch (const std::exception &e) {
        return fileError(fileName, QStringLiteral("JSON error: %1").arg(e.what()));
    }
}

// Fills `d` from a parsed JSON/YAML document, deciding what kind of source it is.
std::optional<Error> classify(SchemaSourceData &d)
{
    const Json &doc = d.doc;
    const QString notSchema = QStringLiteral(
        "not a schema source: expected an OpenAPI 3 document, a JSON Schema, a sample JSON "
        "record or a CSV header row");
    if (!doc.is_object()) {
        if (!d.yaml && doc.is_array() && !doc.empty() && doc[0].is_object()) {
            d.kind = SchemaSourceKind::SampleJson;
            d.entityName = entityNameFromFile(d.fileName);
            return std::nullopt;
        }
        return fileError(d.fileName, notSchema);
    }
    if (doc.contains("swagger")) {
        return fileError(d.fileName, QStringLiteral("Swagger 2.0 documents are not supported;"
                                                    " convert it to OpenAPI 3 first"));
    }
    if (const auto v = doc.find("openapi"); v != doc.end()) {
        const QString version = v->is_string()
                                    ? QString::fromStdString(v->get<std::string>())
                                    : QString::fromStdString(v->dump());
        if (!version.startsWith(QLatin1Char('3'))) {
            Error e = fileError(d.fileName,
                                QStringLiteral("unsupported OpenAPI version '%1' (3.x expected)")
                                    .arg(version));
            e.path = QStringLiteral("#/openapi");
            return e;
        }
        d.kind = SchemaSourceKind::OpenApi;
        const auto comps = doc.find("components");
        if (comps != doc.end() && comps->is_object()) {
            const auto schemas = comps->find("schemas");
            if (schemas != comps->end() && !schemas->is_object()) {
                Error e = fileError(d.fileName, QStringLiteral("schemas must be an object"));
                e.path = QStringLiteral("#/components/schemas");
                return e;
            }
            if (schemas != comps->end()) {
                for (auto it = schemas->begin(); it != schemas->end(); ++it) {
                    const QString name = QString::fromStdString(it.key());
                    d.schemas.push_back({name, QStringLiteral("#/components/schemas/")
                                                   + escapePointerToken(name)});
                }
            }
        }
        return std::nullopt;
    }
    if (isSchemaObject(doc)) {
        d.kind = SchemaSourceKind::JsonSchema;
        QString title = doc.contains("title") && doc["title"].is_string()
                            ? QString::fromStdString(doc["title"].get<std::string>())
                            : QString();
        static const QRegularExpression ident(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        d.entityName = ident.match(title).hasMatch() ? title : entityNameFromFile(d.fileName);
        if (objectLike(doc)) {
            d.schemas.push_back({d.entityName, QStringLiteral("#")});
        } else {
            // A bundle of definitions without a root object: each definition is a schema.
            for (const char *home : {"$defs", "definitions"}) {
                const auto defs = doc.find(home);
                if (defs == doc.end() || !defs->is_object())
                    continue;
                for (auto it = defs->begin(); it != defs->end(); ++it) {
                    const QString name = QString::fromStdString(it.key());
                    const QString pointer = QStringLiteral("#/%1/%2").arg(
                        QLatin1String(home), escapePointerToken(name));
                    d.schemas.push_back({name, pointer});
                }
            }
        }
        return std::nullopt;
    }
    if (d.yaml) {
        return fileError(d.fileName, QStringLiteral("not an OpenAPI 3 document or JSON Schema"
                                                    " (no 'openapi' or '$schema' key)"));
    }
    d.kind = SchemaSourceKind::SampleJson;
    d.entityName = entityNameFromFile(d.fileName);
    return std::nullopt;
}

Entity entityFromShape(const QString &name, const Shape &shape)
{
    Entity e;
    e.name = name;
    e.description = describe(shape);
    e.fields = shape.fields;
    e.key = chooseKeyField(e.fields);
    return e;
}

} // namespace

QString schemaSourceKindName(SchemaSourceKind kind)
{
    switch (kind) {
    case SchemaSourceKind::OpenApi: return QStringLiteral("OpenAPI 3");
    case SchemaSourceKind::JsonSchema: return QStringLiteral("JSON Schema");
    case SchemaSourceKind::SampleJson: return QStringLiteral("sample JSON record");
    case SchemaSourceKind::Csv: return QStringLiteral("CSV header");
    }
    return {};
}

Result<SchemaSource> SchemaSource::load(const QString &fileName)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly))
        return fileError(fileName, QStringLiteral("cannot read: %1").arg(file.errorString()));
    return parse(file.readAll(), fileName);
}

Result<SchemaSource> SchemaSource::parse(const QByteArray &input, const QString &fileName)
{
    auto d = std::make_shared<SchemaSourceData>();
    d->fileName = fileName;
    QByteArray text = input;
    if (text.startsWith("\xEF\xBB\xBF"))
        text.remove(0, 3);
    d->text = text;
    if (text.trimmed().isEmpty())
        return fileError(fileName, QStringLiteral("the file is empty"));
    if (text.contains('\0'))
        return fileError(fileName, QStringLiteral("binary file: not a schema source"));

    const QString ext = QFileInfo(fileName).suffix().toLower();
    const QByteArray trimmed = text.trimmed();
    const char first = trimmed.at(0);
    QString firstLine;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.trimmed().isEmpty()) {
            firstLine = QString::fromUtf8(line.trimmed());
            break;
        }
    }
    const bool yamlExt = ext == QLatin1String("yaml") || ext == QLatin1String("yml");

    if (ext == QLatin1String("csv") || ext == QLatin1String("tsv")
        || (!yamlExt && first != '{' && first != '[' && looksLikeCsv(firstLine))) {
        auto table = parseCsv(text, fileName);
        if (!table.ok())
            return table.error();
        d->kind = SchemaSourceKind::Csv;
        d->csv = table.takeValue();
        d->entityName = entityNameFromFile(fileName);
    } else {
        if (first == '{' || first == '[' || ext == QLatin1String("json")) {
            auto json = parseJson(text, fileName);
            if (!json.ok())
                return json.error();
            d->doc = json.takeValue();
        } else {
            d->yaml = true;
            auto yaml = yamlToJson(text, fileName);
            if (!yaml.ok())
                return yaml.error();
            d->doc = yaml.takeValue();
        }
        if (auto problem = classify(*d))
            return *problem;
    }
    SchemaSource source;
    source.m_data = std::move(d);
    return source;
}

SchemaSourceKind SchemaSource::kind() const { return m_data->kind; }

QString SchemaSource::fileName() const { return m_data->fileName; }

QVector<SchemaSummary> SchemaSource::list() const
{
    const SchemaSourceData &d = *m_data;
    QVector<SchemaSummary> out;
    switch (d.kind) {
    case SchemaSourceKind::SampleJson:
        out.push_back({d.entityName, QStringLiteral("Inferred from a sample record."),
                       int(sampleFields(d.doc).size()), true});
        break;
    case SchemaSourceKind::Csv:
        out.push_back({d.entityName,
                       d.csv.rows.isEmpty()
                           ? QStringLiteral("CSV header row.")
                           : QStringLiteral("CSV header, types from %1 data rows.")
                                 .arg(d.csv.rows.size()),
                       int(d.csv.header.size()), true});
        break;
    case SchemaSourceKind::OpenApi:
    case SchemaSourceKind::JsonSchema: {
        SchemaConverter converter(d.doc, d.fileName, d.text, d.yaml);
        converter.setLocateErrors(false);
        for (const auto &[name, pointer] : d.schemas) {
            SchemaSummary s;
            s.name = name;
            Shape shape;
            if (converter.convert(pointer, shape)) {
                s.description = describe(shape);
                s.propertyCount = shape.fields.size();
                s.isObject = shape.type == FieldType::Object;
            } else {
                // Listing still works for a schema that fails to import; importing says why.
                const Json &j = d.doc.at(Json::json_pointer(pointer.mid(1).toStdString()));
                s.description = j.is_object() && j.contains("description")
                                        && j["description"].is_string()
                                    ? QString::fromStdString(j["description"].get<std::string>())
                                    : QString();
                s.propertyCount = j.is_object() && j.contains("properties")
                                          && j["properties"].is_object()
                                      ? int(j["properties"].size())
                                      : 0;
                s.isObject = objectLike(j);
            }
            out.push_back(s);
        }
        break;
    }
    }
    return out;
}

bool SchemaSource::contains(const QString &name) const
{
    for (const SchemaSummary &s : list())
        if (s.name == name)
            return true;
    return false;
}

Result<Entity> SchemaSource::importSchema(const QString &name) const
{
    auto all = importSchemas({name});
    if (!all.ok())
        return all.error();
    return all.value().first();
}

Result<QVector<Entity>> SchemaSource::importSchemas(const QStringList &names) const
{
    const SchemaSourceData &d = *m_data;
    QVector<Entity> out;
    if (d.kind == SchemaSourceKind::SampleJson || d.kind == SchemaSourceKind::Csv) {
        for (const QString &n : names) {
            if (n != d.entityName) {
                return fileError(d.fileName, QStringLiteral("no schema '%1' (this %2 gives one"
                                                            " entity, '%3')")
                                                 .arg(n, schemaSourceKindName(d.kind),
                                                      d.entityName));
            }
        }
        Entity e;
        e.name = d.entityName;
        if (d.kind == SchemaSourceKind::SampleJson) {
            e.fields = sampleFields(d.doc);
            e.description = QStringLiteral("Inferred from a sample record (%1).")
                                .arg(QFileInfo(d.fileName).fileName());
        } else {
            e.fields = csvFields(d.csv);
            e.description = QStringLiteral("Imported from CSV (%1).")
                                .arg(QFileInfo(d.fileName).fileName());
        }
        e.key = chooseKeyField(e.fields);
        out.push_back(e);
        return out;
    }

    SchemaConverter converter(d.doc, d.fileName, d.text, d.yaml);
    QVector<std::pair<QString, QString>> chosen;
    if (names.isEmpty()) {
        chosen = d.schemas;
    } else {
        for (const QString &n : names) {
            auto it = std::find_if(d.schemas.begin(), d.schemas.end(),
                                   [&](const auto &p) { return p.first == n; });
            if (it == d.schemas.end()) {
                Error e = fileError(d.fileName, QStringLiteral("no schema '%1' in this %2")
                                                    .arg(n, schemaSourceKindName(d.kind)));
                if (d.kind == SchemaSourceKind::OpenApi)
                    e.path = QStringLiteral("#/components/schemas");
                return e;
            }
            chosen.push_back(*it);
        }
    }
    if (chosen.isEmpty()) {
        return fileError(d.fileName, d.kind == SchemaSourceKind::OpenApi
                                         ? QStringLiteral("no schemas under components/schemas")
                                         : QStringLiteral("no object schema to import"));
    }
    for (const auto &[name, pointer] : chosen) {
        Shape shape;
        if (!converter.convert(pointer, shape))
            return converter.error();
        if (shape.type != FieldType::Object) {
            if (names.isEmpty())
                continue; // enums and aliases become fields where they are referenced
            Error e = fileError(d.fileName,
                                QStringLiteral("'%1' is not an object schema; it is imported as"
                                               " a field where it is referenced")
                                    .arg(name));
            e.path = pointer;
            return e;
        }
        out.push_back(entityFromShape(name, shape));
    }
    return out;
}

namespace {

void keepCanonical(QVector<Field> &fields, const QVector<Field> &old)
{
    for (Field &f : fields) {
        for (const Field &o : old) {
            if (o.name == f.name) {
                if (f.canonical.isEmpty())
                    f.canonical = o.canonical;
                keepCanonical(f.fields, o.fields);
                break;
            }
        }
    }
}

} // namespace

QVector<bool> mergeEntities(model::System &system, const QVector<Entity> &entities)
{
    QVector<bool> updated;
    for (Entity entity : entities) {
        bool replaced = false;
        for (Entity &existing : system.entities) {
            if (existing.name != entity.name)
                continue;
            keepCanonical(entity.fields, existing.fields);
            if (entity.key.isEmpty() && entity.field(existing.key))
                entity.key = existing.key;
            existing = entity;
            replaced = true;
            break;
        }
        if (!replaced)
            system.entities.push_back(entity);
        updated.push_back(replaced);
    }
    return updated;
}

QString chooseKeyField(const QVector<Field> &fields)
{
    static const QRegularExpression keyName(QStringLiteral("(Id|ID|Key|_id|_key)$"));
    for (const Field &f : fields)
        if (f.name == QLatin1String("id"))
            return f.name;
    bool anyRequired = false;
    for (const Field &f : fields) {
        anyRequired = anyRequired || f.required;
        if (f.required && f.type == FieldType::String && keyName.match(f.name).hasMatch())
            return f.name;
    }
    if (!anyRequired) {
        for (const Field &f : fields)
            if ((f.type == FieldType::String || f.type == FieldType::Integer)
                && keyName.match(f.name).hasMatch())
                return f.name;
    }
    return {};
}

int countFields(const QVector<Field> &fields)
{
    int n = fields.size();
    for (const Field &f : fields)
        n += countFields(f.fields);
    return n;
}

} // namespace sb::runtime
