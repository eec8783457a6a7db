// Schemas inferred from data: a sample JSON record, or a CSV header with optional rows.
// A sample shows what a record may hold, never what it must hold: no field is required.
#include "runtime/import/importdetail.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace sb::runtime::importdetail {

using model::Field;
using model::FieldType;

namespace {

constexpr int kMaxSampleDepth = 64;

const QRegularExpression &dateRe()
{
    static const QRegularExpression re(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    return re;
}

const QRegularExpression &dateTimeRe()
{
    static const QRegularExpression re(QStringLiteral(
        "^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?$"));
    return re;
}

const QRegularExpression &emailRe()
{
    static const QRegularExpression re(
        QStringLiteral("^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$"));
    return re;
}

const QRegularExpression &uriRe()
{
    static const QRegularExpression re(QStringLiteral("^https?://\\S+$"));
    return re;
}

// String values: dates, date-times, emails and URLs say more than "string".
Field stringField(const QString &name, const QString &value)
{
    Field f;
    f.name = name;
    if (dateRe().match(value).hasMatch())
        f.type = FieldType::Date;
    else if (dateTimeRe().match(value).hasMatch())
        f.type = FieldType::DateTime;
    else if (emailRe().match(value).hasMatch())
        f.format = QStringLiteral("email");
    else if (uriRe().match(value).hasMatch())
        f.format = QStringLiteral("uri");
    return f;
}

bool isNumeric(FieldType t)
{
    return t == FieldType::Integer || t == FieldType::Number || t == FieldType::Decimal;
}

// Combines what two samples say about the same field.
void mergeField(Field &into, const Field &other, bool intoUnknown, bool otherUnknown);

void mergeFields(QVector<Field> &into, const QVector<Field> &other)
{
    for (const Field &o : other) {
        bool found = false;
        for (Field &f : into) {
            if (f.name == o.name) {
                mergeField(f, o, f.description.startsWith(QLatin1String("Only null")),
                           o.description.startsWith(QLatin1String("Only null")));
                found = true;
                break;
            }
        }
        if (!found)
            into.push_back(o);
    }
}

void mergeField(Field &into, const Field &other, bool intoUnknown, bool otherUnknown)
{
    if (otherUnknown)
        return;
    if (intoUnknown) {
        into = other;
        return;
    }
    if (into.type == other.type) {
        if (into.format != other.format)
            into.format.clear();
        if (into.type == FieldType::Object)
            mergeFields(into.fields, other.fields);
        if (into.type == FieldType::Array) {
            const bool otherEmpty = other.description.contains(QLatin1String("empty"));
            if (into.itemType != other.itemType && !otherEmpty) {
                if (into.description.contains(QLatin1String("empty"))) {
                    into.itemType = other.itemType;
                    into.description = other.description;
                } else if (isNumeric(into.itemType) && isNumeric(other.itemType)) {
                    into.itemType = FieldType::Number;
                } else {
                    into.itemType = FieldType::String;
                }
            }
            mergeFields(into.fields, other.fields);
        }
        return;
    }
    if (isNumeric(into.type) && isNumeric(other.type)) {
        into.type = FieldType::Number;
        return;
    }
    const auto dateish = [](FieldType t) {
        return t == FieldType::Date || t == FieldType::DateTime;
    };
    if (dateish(into.type) && dateish(other.type)) {
        into.type = FieldType::DateTime;
        return;
    }
    // Disagreeing samples: text is the only type that holds both.
    into.type = FieldType::String;
    into.format.clear();
    into.fields.clear();
}

QVector<Field> recordFields(const Json &sample, int depth);

Field inferField(const QString &name, const Json &value, int depth)
{
    Field f;
    f.name = name;
    if (value.is_null()) {
        f.description = QStringLiteral("Only null in the sample; type unknown.");
    } else if (value.is_boolean()) {
        f.type = FieldType::Boolean;
    } else if (value.is_number_integer()) {
        f.type = FieldType::Integer;
    } else if (value.is_number()) {
        f.type = FieldType::Number;
    } else if (value.is_string()) {
        f = stringField(name, QString::fromStdString(value.get<std::string>()));
    } else if (value.is_object()) {
        f.type = FieldType::Object;
        if (depth < kMaxSampleDepth)
            f.fields = recordFields(value, depth + 1);
        else
            f.description = QStringLiteral("Nested too deeply; not expanded.");
    } else if (value.is_array()) {
        f.type = FieldType::Array;
        bool first = true;
        Field item;
        for (const Json &v : value) {
            if (v.is_null())
                continue;
            const Field one = depth < kMaxSampleDepth ? inferField(QString(), v, depth + 1)
                                                      : Field();
            if (first)
                item = one;
            else
                mergeField(item, one, false, false);
            first = false;
        }
        if (first) {
            f.itemType = FieldType::String;
            f.description = QStringLiteral("The sample array is empty; item type unknown.");
        } else {
            f.itemType = item.type;
            f.format = item.format;
            f.fields = item.type == FieldType::Object ? item.fields : QVector<Field>();
        }
    }
    return f;
}

FieldType cellType(const QString &v, QChar delimiter, QString *format)
{
    static const QRegularExpression intRe(QStringLiteral("^[-+]?\\d+$"));
    static const QRegularExpression numRe(
        QStringLiteral("^[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?$"));
    static const QRegularExpression commaNumRe(QStringLiteral("^[-+]?\\d+,\\d+$"));
    const QString t = v.trimmed();
    if (intRe.match(t).hasMatch())
        return FieldType::Integer;
    // With ';' as delimiter, "12,50" is a decimal comma (the European CSV convention).
    if (numRe.match(t).hasMatch()
        || (delimiter == QLatin1Char(';') && commaNumRe.match(t).hasMatch()))
        return FieldType::Number;
    const QString lower = t.toLower();
    if (lower == QLatin1String("true") || lower == QLatin1String("false"))
        return FieldType::Boolean;
    const Field s = stringField(QString(), t);
    *format = s.format;
    return s.type;
}

QVector<Field> recordFields(const Json &sample, int depth)
{
    QVector<Field> fields;
    if (sample.is_object()) {
        for (auto it = sample.begin(); it != sample.end(); ++it)
            fields.push_back(inferField(QString::fromStdString(it.key()), it.value(), depth));
    } else if (sample.is_array()) {
        for (const Json &record : sample)
            if (record.is_object())
                mergeFields(fields, recordFields(record, depth));
    }
    return fields;
}

} // namespace

QVector<Field> sampleFields(const Json &sample)
{
    return recordFields(sample, 0);
}

QVector<Field> csvFields(const CsvTable &table)
{
    QVector<Field> fields;
    for (int c = 0; c < table.header.size(); ++c) {
        Field f;
        f.name = table.header[c];
        bool seenValue = false;
        FieldType type = FieldType::String;
        QString format;
        for (const QStringList &row : table.rows) {
            if (c >= row.size() || row[c].trimmed().isEmpty())
                continue;
            QString cellFormat;
            const FieldType t = cellType(row[c], table.delimiter, &cellFormat);
            if (!seenValue) {
                type = t;
                format = cellFormat;
                seenValue = true;
                continue;
            }
            if (t == type) {
                if (format != cellFormat)
                    format.clear();
            } else if (isNumeric(t) && isNumeric(type)) {
                type = FieldType::Number;
            } else if ((t == FieldType::Date || t == FieldType::DateTime)
                       && (type == FieldType::Date || type == FieldType::DateTime)) {
                type = FieldType::DateTime;
            } else {
                type = FieldType::String;
                format.clear();
            }
        }
        f.type = type;
        f.format = type == FieldType::String ? format : QString();
        if (!seenValue && !table.rows.isEmpty())
            f.description = QStringLiteral("Empty in every data row; type unknown.");
        fields.push_back(f);
    }
    return fields;
}

QString entityNameFromFile(const QString &fileName)
{
    const QString base = QFileInfo(fileName).baseName();
    QString name;
    bool upper = true;
    for (const QChar c : base) {
        if (!c.isLetterOrNumber()) {
            upper = true;
            continue;
        }
        name += upper ? c.toUpper() : c;
        upper = false;
    }
    if (name.isEmpty() || name[0].isDigit())
        name.prepend(QStringLiteral("Imported"));
    return name;
}

} // namespace sb::runtime::importdetail
