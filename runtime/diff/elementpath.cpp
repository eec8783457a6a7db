#include "runtime/diff/elementpath.h"

#include <QHash>

namespace sb::runtime::diff {

namespace {

const ListSpec kLists[] = {
    {"systems", "system", {QStringLiteral("id")}, false},
    {"entities", "entity", {QStringLiteral("name")}, false},
    {"fields", "field", {QStringLiteral("name")}, false},
    {"profiles", "profile", {QStringLiteral("name")}, false},
    {"canonical", "canonical entity", {QStringLiteral("id")}, false},
    {"ownership", "ownership", {QStringLiteral("entity"), QStringLiteral("field")}, false},
    {"mappings", "mapping", {QStringLiteral("id")}, false},
    {"rules", "rule", {QStringLiteral("target")}, true},
    {"valueMaps", "value map", {QStringLiteral("name")}, false},
    {"workflows", "workflow", {QStringLiteral("id")}, false},
    {"steps", "step", {QStringLiteral("id")}, false},
    {"edges",
     "edge",
     {QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("kind")},
     true},
    {"flows", "flow", {QStringLiteral("id")}, false},
    {"slas", "SLA", {QStringLiteral("id")}, false},
    {"reconciliations", "reconciliation", {QStringLiteral("id")}, false},
    {"datasets", "data set", {QStringLiteral("id")}, false},
    {"tests", "test", {QStringLiteral("id")}, false},
    {"values", "expected value", {QStringLiteral("expression")}, false},
};

QString text(const Json &element, const QString &key)
{
    const auto it = element.find(key.toStdString());
    if (it == element.end())
        return {};
    return it->is_string() ? QString::fromStdString(it->get<std::string>())
                           : QString::fromStdString(it->dump());
}

} // namespace

std::optional<ListSpec> keyedList(const std::string &key, const Json &array)
{
    if (!array.is_array())
        return std::nullopt;
    for (const ListSpec &spec : kLists) {
        if (key != spec.array)
            continue;
        for (const Json &element : array) {
            if (!element.is_object())
                return std::nullopt;
            // Required identity keys (the first one) must be there; the others may default.
            if (!element.contains(spec.identity.first().toStdString()))
                return std::nullopt;
        }
        return spec;
    }
    return std::nullopt;
}

QStringList identities(const ListSpec &spec, const Json &array)
{
    QStringList result;
    QHash<QString, int> seen;
    for (const Json &element : array) {
        QStringList parts;
        for (const QString &key : spec.identity)
            parts << text(element, key);
        QString identity = parts.join(QChar(0x1f));
        const int count = ++seen[identity];
        if (count > 1)
            identity += QStringLiteral("#%1").arg(count);
        result << identity;
    }
    return result;
}

QString elementLabel(const ListSpec &spec, const Json &element)
{
    const QString noun = QString::fromLatin1(spec.noun);
    const QString first = text(element, spec.identity.first());
    if (spec.identity.first() == QLatin1String("id")) {
        const QString name = text(element, QStringLiteral("name"));
        if (!name.isEmpty() && name != first)
            return QStringLiteral("%1 %2 [%3]").arg(noun, name, first);
        return noun + QLatin1Char(' ') + first;
    }
    if (QLatin1String(spec.array) == QLatin1String("edges")) {
        const QString kind = text(element, QStringLiteral("kind"));
        QString label =
            QStringLiteral("edge %1 → %2").arg(first, text(element, QStringLiteral("to")));
        if (!kind.isEmpty() && kind != QLatin1String("next"))
            label += QStringLiteral(" (%1)").arg(kind);
        return label;
    }
    if (QLatin1String(spec.array) == QLatin1String("ownership")) {
        const QString field = text(element, QStringLiteral("field"));
        return noun + QLatin1Char(' ') +
               (field.isEmpty() ? first : first + QLatin1Char('.') + field);
    }
    return noun + QLatin1Char(' ') + first;
}

bool isLayoutKey(const std::string &key)
{
    return key == "position";
}

// 380.0 reads as 380: the writer stores positions as doubles.
static Json tidyNumbers(const Json &value)
{
    if (value.is_number_float()) {
        const double d = value.get<double>();
        if (d == double(qint64(d)) && d > -1e15 && d < 1e15)
            return Json(qint64(d));
        return value;
    }
    if (value.is_array() || value.is_object()) {
        Json copy = value;
        for (auto &item : copy)
            item = tidyNumbers(item);
        return copy;
    }
    return value;
}

QString valueText(const std::optional<Json> &value)
{
    if (!value)
        return QStringLiteral("(none)");
    QString out;
    if (value->is_string()) {
        out = QString::fromStdString(value->get<std::string>());
        if (out.isEmpty())
            return QStringLiteral("\"\"");
        out.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    } else {
        out = QString::fromStdString(tidyNumbers(*value).dump());
    }
    constexpr int kLongest = 160;
    if (out.size() > kLongest)
        out = out.left(kLongest - 1) + QChar(0x2026);
    return out;
}

QString pointerSegment(const QString &segment)
{
    QString escaped = segment;
    escaped.replace(QLatin1Char('~'), QStringLiteral("~0"));
    escaped.replace(QLatin1Char('/'), QStringLiteral("~1"));
    return escaped;
}

bool sameJson(const Json &a, const Json &b)
{
    if (a.type() != b.type())
        return a == b; // integer and float of the same value, as nlohmann compares them
    if (a.is_object()) {
        if (a.size() != b.size())
            return false;
        for (auto it = a.begin(); it != a.end(); ++it) {
            const auto other = b.find(it.key());
            if (other == b.end() || !sameJson(it.value(), *other))
                return false;
        }
        return true;
    }
    if (a.is_array()) {
        if (a.size() != b.size())
            return false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!sameJson(a[i], b[i]))
                return false;
        }
        return true;
    }
    return a == b;
}

bool sameJson(const std::optional<Json> &a, const std::optional<Json> &b)
{
    if (!a || !b)
        return !a && !b;
    return sameJson(*a, *b);
}

} // namespace sb::runtime::diff
