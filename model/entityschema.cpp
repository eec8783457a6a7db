#include "model/entityschema.h"

namespace sb::model {

namespace {

using nlohmann::json;

json fieldSchema(const FieldType type, const Field &f, bool nullable);

json objectSchema(const QVector<Field> &fields)
{
    json props = json::object();
    json required = json::array();
    for (const Field &f : fields) {
        props[f.name.toStdString()] = fieldSchema(f.type, f, !f.required);
        if (f.required)
            required.push_back(f.name.toStdString());
    }
    json s = {{"type", "object"}, {"properties", props}};
    if (!required.empty())
        s["required"] = required;
    return s;
}

void addFormat(json &s, const QString &format)
{
    const std::string f = format.toLower().toStdString();
    if (f == "email")
        s["pattern"] = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";
    else if (f == "iso-country")
        s["pattern"] = "^[A-Z]{2}$";
    else if (f == "iso-currency")
        s["pattern"] = "^[A-Z]{3}$";
    else if (f == "uri" || f == "url")
        s["pattern"] = "^[A-Za-z][A-Za-z0-9+.-]*:";
    else if (f == "date" || f == "date-time" || f == "time")
        s["format"] = f;
    else if (f == "uuid")
        s["pattern"] = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                       "[0-9a-fA-F]{12}$";
}

json fieldSchema(const FieldType type, const Field &f, bool nullable)
{
    json s;
    switch (type) {
    case FieldType::String:
        s = {{"type", "string"}};
        if (f.maxLength > 0)
            s["maxLength"] = f.maxLength;
        addFormat(s, f.format);
        break;
    case FieldType::Integer:
        s = {{"type", "integer"}};
        break;
    case FieldType::Number:
        s = {{"type", "number"}};
        break;
    case FieldType::Decimal:
        // Money travels as a number or as a decimal string, never as a float in text.
        s = {{"type", json::array({"number", "string"})},
             {"pattern", "^-?[0-9]+(\\.[0-9]+)?$"}};
        break;
    case FieldType::Boolean:
        s = {{"type", "boolean"}};
        break;
    case FieldType::Date:
        s = {{"type", "string"}, {"format", "date"}};
        break;
    case FieldType::DateTime:
        s = {{"type", "string"}, {"format", "date-time"}};
        break;
    case FieldType::Enum: {
        json values = json::array();
        for (const QString &v : f.enumValues)
            values.push_back(v.toStdString());
        s = {{"enum", values}};
        if (nullable)
            s["enum"].push_back(nullptr);
        return s;
    }
    case FieldType::Object:
        s = objectSchema(f.fields);
        break;
    case FieldType::Array: {
        json items = f.itemType == FieldType::Object ? objectSchema(f.fields)
                                                     : fieldSchema(f.itemType, f, false);
        if (f.itemType != FieldType::String)
            items.erase("maxLength");
        s = {{"type", "array"}, {"items", items}};
        break;
    }
    }
    if (nullable) {
        json t = s["type"];
        if (t.is_string())
            s["type"] = json::array({t, "null"});
        else if (t.is_array())
            s["type"].push_back("null");
    }
    if (!f.description.isEmpty())
        s["description"] = f.description.toStdString();
    return s;
}

} // namespace

json entityJsonSchema(const Entity &entity)
{
    json s = objectSchema(entity.fields);
    s["$schema"] = "http://json-schema.org/draft-07/schema#";
    s["title"] = entity.name.toStdString();
    return s;
}

} // namespace sb::model
