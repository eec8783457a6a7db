// OpenAPI 3 / JSON Schema objects to fields. One converter serves both: an OpenAPI schema
// object is a JSON Schema dialect (nullable, readOnly, discriminator on top).
#include "runtime/import/importdetail.h"

#include "model/projectjson.h"

#include <QUrl>

namespace sb::runtime::importdetail {

using model::Field;
using model::FieldType;

namespace {

QString str(const Json &j, const char *key)
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

bool flag(const Json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

QString scalarText(const Json &v)
{
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_null())
        return QStringLiteral("null");
    return QString::fromStdString(v.dump());
}

int countOf(const QVector<Field> &fields)
{
    int n = fields.size();
    for (const Field &f : fields)
        n += countOf(f.fields);
    return n;
}

} // namespace

QString escapePointerToken(const QString &token)
{
    QString t = token;
    t.replace(QLatin1Char('~'), QLatin1String("~0"));
    t.replace(QLatin1Char('/'), QLatin1String("~1"));
    return t;
}

QString pointerName(const QString &pointer)
{
    QString last = pointer.section(QLatin1Char('/'), -1);
    last.replace(QLatin1String("~1"), QLatin1String("/"));
    last.replace(QLatin1String("~0"), QLatin1String("~"));
    return last;
}

QString describe(const Shape &shape)
{
    QStringList parts;
    if (!shape.description.isEmpty())
        parts << shape.description.trimmed();
    for (const QString &note : shape.notes)
        if (!parts.contains(note))
            parts << note;
    return parts.join(QLatin1Char(' '));
}

Field fieldFromShape(const QString &name, const Shape &shape)
{
    Field f;
    f.name = name;
    f.type = shape.type;
    f.format = shape.format;
    f.enumValues = shape.enumValues;
    f.maxLength = shape.maxLength;
    Shape described = shape;
    if (shape.readOnly)
        described.notes << QStringLiteral("Read-only.");
    if (shape.nullable)
        described.notes << QStringLiteral("Nullable.");
    f.description = describe(described);
    if (shape.type == FieldType::Array) {
        f.itemType = shape.itemType;
        f.fields = shape.fields;
    } else if (shape.type == FieldType::Object) {
        f.fields = shape.fields;
    }
    return f;
}

SchemaConverter::SchemaConverter(const Json &root, const QString &fileName,
                                 const QByteArray &text, bool yaml)
    : m_root(root), m_fileName(fileName), m_text(text), m_yaml(yaml)
{
}

bool SchemaConverter::fail(const QString &ptr, const QString &message)
{
    m_error = Error();
    m_error.file = m_fileName;
    m_error.message = message;
    m_error.path = ptr;
    const QString plain = ptr.startsWith(QLatin1Char('#')) ? ptr.mid(1) : ptr;
    if (!m_locate) {
        // position not wanted
    } else if (m_yaml) {
        const auto [line, column] = yamlPosition(m_text, plain);
        m_error.line = line;
        m_error.column = column;
    } else if (!m_text.isEmpty()) {
        const qsizetype offset = model::locateJsonPointer(m_text, plain);
        if (offset >= 0) {
            const auto [line, column] = model::lineColumnAt(m_text, offset);
            m_error.line = line;
            m_error.column = column;
        }
    }
    return false;
}

bool SchemaConverter::convert(const QString &pointer, Shape &out)
{
    m_stack.clear();
    m_created = 0;
    const QString plain = pointer.startsWith(QLatin1Char('#')) ? pointer.mid(1) : pointer;
    const Json *schema = nullptr;
    try {
        schema = &m_root.at(Json::json_pointer(plain.toStdString()));
    } catch (const std::exception &) {
        return fail(pointer, QStringLiteral("no schema at %1").arg(pointer));
    }
    if (const auto it = m_cache.constFind(pointer); it != m_cache.constEnd()) {
        out = *it;
        return true;
    }
    m_stack.push_back(pointer);
    const bool ok = shapeOf(*schema, pointer, 0, out);
    m_stack.pop_back();
    if (ok && !out.truncated) {
        out.minCut = INT_MAX; // cuts at index 0 point at this schema itself
        m_cache.insert(pointer, out);
    }
    return ok;
}

// Merges an object-like part (an allOf member, a oneOf branch) into `into`.
void SchemaConverter::mergeObject(Shape &into, const Shape &part, bool optional)
{
    for (const Field &pf : part.fields) {
        Field f = pf;
        if (optional)
            f.required = false;
        bool merged = false;
        for (Field &existing : into.fields) {
            if (existing.name == f.name) {
                f.required = f.required || existing.required;
                existing = f;
                merged = true;
                break;
            }
        }
        if (!merged)
            into.fields.push_back(f);
    }
    if (!optional) {
        for (const QString &r : part.requiredNames)
            if (!into.requiredNames.contains(r))
                into.requiredNames << r;
    }
    into.optionalNames.unite(part.optionalNames);
    into.minCut = qMin(into.minCut, part.minCut);
    into.truncated = into.truncated || part.truncated;
    for (const QString &n : part.notes)
        if (!into.notes.contains(n) && !n.startsWith(QLatin1String("One of")))
            into.notes << n;
}

bool SchemaConverter::followRef(const Json &schema, const QString &ptr, int depth, Shape &out)
{
    const auto refIt = schema.find("$ref");
    if (!refIt->is_string())
        return fail(ptr, QStringLiteral("$ref must be a string"));
    const QString ref = QString::fromStdString(refIt->get<std::string>());
    if (!ref.startsWith(QLatin1Char('#'))) {
        // Another file or URL: not fetched; the field stays an opaque object.
        out.type = FieldType::Object;
        out.typed = true;
        out.notes << QStringLiteral("External reference '%1' not resolved.").arg(ref);
        out.description = str(schema, "description");
        return true;
    }
    const QString target = QUrl::fromPercentEncoding(ref.toUtf8());
    const QString plain = target.mid(1);
    const Json *resolved = nullptr;
    try {
        resolved = &m_root.at(Json::json_pointer(plain.toStdString()));
    } catch (const std::exception &) {
        resolved = nullptr;
    }
    if (!resolved) {
        static const QStringList schemaHomes = {QStringLiteral("#/components/schemas/"),
                                                QStringLiteral("#/$defs/"),
                                                QStringLiteral("#/definitions/")};
        for (const QString &home : schemaHomes) {
            if (target.startsWith(home) && target.count(QLatin1Char('/')) == home.count('/'))
                return fail(ptr, QStringLiteral("$ref to unknown schema '%1'")
                                     .arg(pointerName(target)));
        }
        return fail(ptr, QStringLiteral("$ref to unknown location '%1'").arg(ref));
    }

    const int onStack = m_stack.indexOf(target);
    if (onStack >= 0) {
        // A cycle: stop here; the field is an object whose shape is the referenced schema.
        out.type = FieldType::Object;
        out.typed = true;
        out.minCut = onStack;
        out.notes << QStringLiteral("Recursive reference to %1 (not expanded).")
                         .arg(pointerName(target));
    } else if (const auto it = m_cache.constFind(target);
               it != m_cache.constEnd() && m_created + it->total <= kMaxFields) {
        out = *it;
        m_created += it->total;
    } else if (depth >= kMaxDepth || m_created >= kMaxFields
               || (it != m_cache.constEnd() && m_created + it->total > kMaxFields)) {
        out.type = FieldType::Object;
        out.typed = true;
        out.truncated = true;
        out.notes << QStringLiteral("%1 not expanded (import size bound reached).")
                         .arg(pointerName(target));
    } else {
        const int index = m_stack.size();
        m_stack.push_back(target);
        const bool ok = shapeOf(*resolved, target, depth + 1, out);
        m_stack.pop_back();
        if (!ok)
            return false;
        // Cacheable when every cycle cut inside points at this schema or deeper.
        if (!out.truncated && out.minCut >= index) {
            out.minCut = INT_MAX;
            m_cache.insert(target, out);
        }
    }
    // Siblings of $ref (description, nullable, readOnly) refine the referenced schema.
    const QString description = str(schema, "description");
    if (!description.isEmpty())
        out.description = description;
    if (flag(schema, "nullable"))
        out.nullable = true;
    if (flag(schema, "readOnly"))
        out.readOnly = true;
    return true;
}

// The declared type; 3.1 / JSON Schema allow ["string", "null"]. "null" only makes the
// shape nullable.
bool SchemaConverter::declaredType(const Json &schema, const QString &ptr, Shape &out,
                                   QString &type)
{
    if (const auto t = schema.find("type"); t != schema.end()) {
        if (t->is_string()) {
            type = QString::fromStdString(t->get<std::string>());
        } else if (t->is_array()) {
            for (const Json &v : *t) {
                if (!v.is_string())
                    continue;
                const QString s = QString::fromStdString(v.get<std::string>());
                if (s == QLatin1String("null"))
                    out.nullable = true;
                else if (type.isEmpty())
                    type = s;
            }
        } else {
            return fail(ptr + QStringLiteral("/type"), QStringLiteral("type must be a string"));
        }
        if (type == QLatin1String("null")) {
            out.nullable = true;
            type.clear();
        }
    }

    return true;
}

// allOf: every part applies, so properties and required lists merge.
bool SchemaConverter::applyAllOf(const Json &schema, const QString &ptr, int depth, Shape &out,
                                 QString &type, bool &objectLike)
{
    if (const auto all = schema.find("allOf"); all != schema.end()) {
        if (!all->is_array())
            return fail(ptr + QStringLiteral("/allOf"), QStringLiteral("allOf must be a list"));
        int i = 0;
        for (const Json &part : *all) {
            Shape s;
            if (!shapeOf(part, ptr + QStringLiteral("/allOf/%1").arg(i++), depth + 1, s))
                return false;
            if (s.type == FieldType::Object || !s.fields.isEmpty()) {
                objectLike = true;
                mergeObject(out, s, false);
                if (out.description.isEmpty())
                    out.description = s.description;
            } else if (type.isEmpty() && s.typed) {
                // allOf of a single primitive (a common way to add a description to a $ref)
                const QString keep = out.description;
                const bool nullable = out.nullable;
                out = s;
                if (!keep.isEmpty())
                    out.description = keep;
                out.nullable = out.nullable || nullable;
                type = QStringLiteral("primitive");
            }
        }
    }
    return true;
}

// oneOf / anyOf: any branch may apply, so the union of properties, all optional.
bool SchemaConverter::applyAnyOf(const Json &schema, const QString &ptr, int depth, Shape &out,
                                 QString &type, bool &objectLike)
{
    for (const char *key : {"oneOf", "anyOf"}) {
        const auto any = schema.find(key);
        if (any == schema.end())
            continue;
        if (!any->is_array())
            return fail(ptr + QLatin1Char('/') + QLatin1String(key),
                        QStringLiteral("%1 must be a list").arg(QLatin1String(key)));
        QStringList names;
        int i = 0;
        bool primitiveTaken = false;
        for (const Json &branch : *any) {
            const QString bptr = ptr + QStringLiteral("/%1/%2").arg(QLatin1String(key)).arg(i);
            Shape s;
            if (!shapeOf(branch, bptr, depth + 1, s))
                return false;
            if (!s.typed && s.nullable && s.fields.isEmpty()) {
                out.nullable = true;
                ++i;
                continue;
            }
            const QString ref = branch.is_object() ? str(branch, "$ref") : QString();
            names << (ref.isEmpty() ? (s.typed ? QStringLiteral("option %1").arg(i + 1)
                                              : QStringLiteral("any"))
                                    : pointerName(ref));
            if (s.type == FieldType::Object || !s.fields.isEmpty()) {
                objectLike = true;
                mergeObject(out, s, true);
            } else if (type.isEmpty() && !objectLike && !primitiveTaken && s.typed) {
                const QString keep = out.description;
                const bool nullable = out.nullable;
                out.type = s.type;
                out.typed = true;
                out.format = s.format;
                out.enumValues = s.enumValues;
                out.maxLength = s.maxLength;
                out.itemType = s.itemType;
                out.fields = s.fields;
                out.description = keep;
                out.nullable = nullable;
                out.minCut = qMin(out.minCut, s.minCut);
                primitiveTaken = true;
            }
            ++i;
        }
        if (names.size() > 1) {
            out.notes << QStringLiteral("One of: %1 (fields of every option are optional).")
                             .arg(names.join(QLatin1String(", ")));
        }
        if (primitiveTaken && !objectLike)
            type = QStringLiteral("primitive");
    }

    return true;
}

// The field type from the declared (or implied) type; an unknown type is an error.
bool SchemaConverter::settleType(const Json &schema, const QString &ptr, Shape &out,
                                 QString &type, bool objectLike)
{
    if (type.isEmpty()) {
        if (objectLike || schema.contains("additionalProperties"))
            type = QStringLiteral("object");
        else if (schema.contains("items"))
            type = QStringLiteral("array");
        else if (schema.contains("enum") || schema.contains("const"))
            type = QStringLiteral("string");
    }

    if (type == QLatin1String("primitive"))
        ; // taken from an allOf / oneOf member above
    else if (type == QLatin1String("object") || objectLike) {
        out.type = FieldType::Object;
        out.typed = true;
    } else if (type == QLatin1String("array")) {
        out.type = FieldType::Array;
        out.typed = true;
    } else if (type == QLatin1String("integer")) {
        out.type = FieldType::Integer;
        out.typed = true;
    } else if (type == QLatin1String("number")) {
        out.type = FieldType::Number;
        out.typed = true;
    } else if (type == QLatin1String("boolean")) {
        out.type = FieldType::Boolean;
        out.typed = true;
    } else if (type == QLatin1String("string")) {
        out.type = FieldType::String;
        out.typed = true;
    } else if (!type.isEmpty()) {
        return fail(ptr + QStringLiteral("/type"),
                    QStringLiteral("unknown type '%1'").arg(type));
    }

    return true;
}

// Formats (date and date-time become types; int32/int64 and double say nothing more),
// maxLength, enum and const.
void SchemaConverter::applyFormatAndValues(const Json &schema, Shape &out, const QString &type)
{
    const QString format = str(schema, "format");
    if (!format.isEmpty() && type != QLatin1String("primitive")) {
        if (out.type == FieldType::String && format == QLatin1String("date"))
            out.type = FieldType::Date;
        else if (out.type == FieldType::String && format == QLatin1String("date-time"))
            out.type = FieldType::DateTime;
        else if (out.type == FieldType::Number && format == QLatin1String("decimal"))
            out.type = FieldType::Decimal;
        else if (format == QLatin1String("int32") || format == QLatin1String("int64")) {
            if (out.type == FieldType::Number)
                out.type = FieldType::Integer;
        } else if (format != QLatin1String("double") && format != QLatin1String("float"))
            out.format = format;
    }
    if (const auto ml = schema.find("maxLength"); ml != schema.end() && ml->is_number())
        out.maxLength = int(qBound<double>(0, ml->get<double>(), INT_MAX));

    QStringList enumValues;
    if (const auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
        for (const Json &v : *e) {
            if (v.is_null())
                out.nullable = true;
            else
                enumValues << scalarText(v);
        }
    } else if (const auto c = schema.find("const"); c != schema.end()) {
        enumValues << scalarText(*c);
    }
    if (!enumValues.isEmpty()) {
        out.enumValues = enumValues;
        if (out.type == FieldType::String)
            out.type = FieldType::Enum;
    }
}

// An array's item type, and the fields of its items when they are objects.
bool SchemaConverter::shapeItems(const Json &schema, const QString &ptr, int depth, Shape &out)
{
    const auto items = schema.find("items");
    if (items != schema.end()) {
        Shape item;
        const Json &itemSchema = items->is_array() && !items->empty() ? (*items)[0] : *items;
        if (!shapeOf(itemSchema, ptr + QStringLiteral("/items"), depth + 1, item))
            return false;
        out.itemType = item.typed ? item.type : FieldType::String;
        out.fields = item.type == FieldType::Object ? item.fields : QVector<Field>();
        if (!item.enumValues.isEmpty())
            out.enumValues = item.enumValues;
        if (out.format.isEmpty())
            out.format = item.format;
        if (out.maxLength == 0)
            out.maxLength = item.maxLength;
        out.minCut = qMin(out.minCut, item.minCut);
        out.truncated = out.truncated || item.truncated;
        for (const QString &n : item.notes)
            out.notes << n;
    } else {
        out.itemType = FieldType::String;
    }
    return true;
}

// An object's properties as fields (nested ones up to the size bound), and which of them
// are required.
bool SchemaConverter::shapeProperties(const Json &schema, const QString &ptr, int depth,
                                      Shape &out)
{
    if (const auto props = schema.find("properties"); props != schema.end()) {
        if (!props->is_object())
            return fail(ptr + QStringLiteral("/properties"),
                        QStringLiteral("properties must be an object"));
        Shape own;
        for (auto it = props->begin(); it != props->end(); ++it) {
            const QString name = QString::fromStdString(it.key());
            const QString pptr = ptr + QStringLiteral("/properties/")
                                 + escapePointerToken(name);
            Shape s;
            if (depth >= kMaxDepth || m_created > kMaxFields) {
                s.type = FieldType::Object;
                s.truncated = true;
                s.notes << QStringLiteral("Not expanded (import size bound reached).");
            } else if (!shapeOf(it.value(), pptr, depth + 1, s)) {
                return false;
            }
            own.fields.push_back(fieldFromShape(name, s));
            if (s.nullable || s.readOnly)
                own.optionalNames.insert(name);
            own.minCut = qMin(own.minCut, s.minCut);
            own.truncated = own.truncated || s.truncated;
            ++m_created;
        }
        mergeObject(out, own, false);
    }
    if (const auto req = schema.find("required"); req != schema.end() && req->is_array()) {
        for (const Json &r : *req)
            if (r.is_string() && !out.requiredNames.contains(
                                     QString::fromStdString(r.get<std::string>())))
                out.requiredNames << QString::fromStdString(r.get<std::string>());
    }
    for (Field &f : out.fields) {
        f.required = out.requiredNames.contains(f.name) && !out.optionalNames.contains(f.name);
    }
    return true;
}

bool SchemaConverter::shapeOf(const Json &schema, const QString &ptr, int depth, Shape &out)
{
    out = Shape();
    if (depth > kMaxHardDepth)
        return fail(ptr, QStringLiteral("schema nested more than %1 levels").arg(kMaxHardDepth));
    if (schema.is_boolean())
        return true; // JSON Schema `true`: anything
    if (!schema.is_object())
        return fail(ptr, QStringLiteral("a schema must be an object"));
    if (schema.contains("$ref"))
        return followRef(schema, ptr, depth, out);

    out.description = str(schema, "description");
    if (out.description.isEmpty())
        out.description = str(schema, "title");
    out.nullable = flag(schema, "nullable");
    out.readOnly = flag(schema, "readOnly");

    QString type;
    if (!declaredType(schema, ptr, out, type))
        return false;
    bool objectLike = type == QLatin1String("object") || schema.contains("properties");
    if (!applyAllOf(schema, ptr, depth, out, type, objectLike)
        || !applyAnyOf(schema, ptr, depth, out, type, objectLike)
        || !settleType(schema, ptr, out, type, objectLike))
        return false;
    applyFormatAndValues(schema, out, type);
    if (out.type == FieldType::Array && type != QLatin1String("primitive")
        && !shapeItems(schema, ptr, depth, out))
        return false;
    if (out.type == FieldType::Object && !shapeProperties(schema, ptr, depth, out))
        return false;
    out.total = countOf(out.fields);
    return true;
}

} // namespace sb::runtime::importdetail
