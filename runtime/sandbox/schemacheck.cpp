#include "runtime/sandbox/schemacheck.h"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace sb::runtime {

using nlohmann::json;

namespace {

bool isNativeFormat(const json &f)
{
    return f.is_string()
           && (f == "date" || f == "time" || f == "date-time");
}

// Moves every native "format" out of `schema` (valijson will not see it) into a tree of
// the same shape that holds only what leads to one; null when nothing does.
json takeFormats(json &schema)
{
    if (!schema.is_object())
        return nullptr;
    json out = json::object();
    auto f = schema.find("format");
    if (f != schema.end() && isNativeFormat(*f)) {
        out["format"] = *f;
        schema.erase(f);
    }
    auto props = schema.find("properties");
    if (props != schema.end() && props->is_object()) {
        json sub = json::object();
        for (auto it = props->begin(); it != props->end(); ++it) {
            json t = takeFormats(it.value());
            if (!t.is_null())
                sub[it.key()] = std::move(t);
        }
        if (!sub.empty())
            out["properties"] = std::move(sub);
    }
    auto items = schema.find("items");
    if (items != schema.end() && items->is_object()) {
        json t = takeFormats(*items);
        if (!t.is_null())
            out["items"] = std::move(t);
    }
    return out.empty() ? json() : out;
}

template <typename J>
void checkFormats(const json &formats, const J &value, std::vector<std::string> &context,
                  std::vector<SchemaIssue> *issues, bool &ok)
{
    auto f = formats.find("format");
    if (f != formats.end() && value.is_string()) {
        std::string why = formatIssue(f->template get<std::string>(),
                                      value.template get_ref<const std::string &>());
        if (!why.empty()) {
            ok = false;
            if (issues)
                issues->push_back({context, std::move(why)});
        }
    }
    auto props = formats.find("properties");
    if (props != formats.end() && value.is_object()) {
        for (auto it = props->begin(); it != props->end(); ++it) {
            auto v = value.find(it.key());
            if (v == value.end())
                continue;
            context.push_back("[" + it.key() + "]");
            checkFormats(it.value(), *v, context, issues, ok);
            context.pop_back();
        }
    }
    auto items = formats.find("items");
    if (items != formats.end() && value.is_array()) {
        for (size_t i = 0; i < value.size(); ++i) {
            context.push_back("[" + std::to_string(i) + "]");
            checkFormats(*items, value[i], context, issues, ok);
            context.pop_back();
        }
    }
}

bool digits(const std::string &s, size_t from, size_t to)
{
    if (from >= to || to > s.size())
        return false;
    for (size_t i = from; i < to; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return true;
}

int two(const std::string &s, size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

// ^([0-9]+)-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01]) from `at`; sets month, day, end.
bool datePart(const std::string &s, size_t at, int &month, int &day, size_t &end)
{
    size_t i = at;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
        ++i;
    if (i == at || i + 6 > s.size() || s[i] != '-' || s[i + 3] != '-')
        return false;
    if (!digits(s, i + 1, i + 3) || !digits(s, i + 4, i + 6))
        return false;
    month = two(s, i + 1);
    day = two(s, i + 4);
    end = i + 6;
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// ([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)(\.[0-9]+)?(([Zz])|([\+|\-]HH:MM))$
bool timePart(const std::string &s, size_t at)
{
    if (at + 8 > s.size() || s[at + 2] != ':' || s[at + 5] != ':')
        return false;
    if (!digits(s, at, at + 2) || !digits(s, at + 3, at + 5) || !digits(s, at + 6, at + 8))
        return false;
    const int sec = two(s, at + 6);
    if (two(s, at) > 23 || two(s, at + 3) > 59 || (sec > 59 && sec != 60))
        return false;
    size_t i = at + 8;
    if (i < s.size() && s[i] == '.') {
        const size_t from = ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        if (i == from)
            return false;
    }
    if (i + 1 == s.size() && (s[i] == 'Z' || s[i] == 'z'))
        return true;
    if (i + 6 != s.size() || (s[i] != '+' && s[i] != '-' && s[i] != '|') || s[i + 3] != ':')
        return false;
    return digits(s, i + 1, i + 3) && digits(s, i + 4, i + 6) && two(s, i + 1) <= 23
           && two(s, i + 4) <= 59;
}

// valijson's validate_date_range (February allows 29 days in any year).
bool dayInMonth(int month, int day)
{
    if (month == 2)
        return day <= 29;
    const int limit = month <= 7 ? (month % 2 == 0 ? 30 : 31) : (month % 2 != 0 ? 30 : 31);
    return day <= limit;
}

} // namespace

std::string formatIssue(const std::string &format, const std::string &s)
{
    int month = 0;
    int day = 0;
    size_t end = 0;
    if (format == "date") {
        if (!datePart(s, 0, month, day, end) || end != s.size())
            return "String should be a valid date";
        return dayInMonth(month, day) ? std::string() : "String should be a valid date-time";
    }
    if (format == "time")
        return timePart(s, 0) ? std::string() : "String should be a valid time";
    if (format == "date-time") {
        if (!datePart(s, 0, month, day, end) || end >= s.size()
            || (s[end] != 'T' && s[end] != 't') || !timePart(s, end + 1))
            return "String should be a valid date-time";
        return dayInMonth(month, day) ? std::string() : "String should be a valid date-time";
    }
    return std::string();
}

SchemaCheck::SchemaCheck(const json &schema)
    : m_schema(std::make_unique<valijson::Schema>()),
      m_validator(std::make_unique<valijson::Validator>())
{
    json stripped = schema;
    m_formats = takeFormats(stripped);
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter adapter(stripped);
    parser.populateSchema(adapter, *m_schema);
}

SchemaCheck::~SchemaCheck() = default;

bool SchemaCheck::validate(const json &doc, std::vector<SchemaIssue> *issues) const
{
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(doc);
    bool ok = m_validator->validate(*m_schema, target, issues ? &results : nullptr);
    valijson::ValidationResults::Error err;
    while (issues && results.popError(err))
        issues->push_back({std::move(err.context), std::move(err.description)});
    if (m_formats.is_object()) {
        std::vector<std::string> context{"<root>"};
        checkFormats(m_formats, doc, context, issues, ok);
    }
    return ok;
}

bool SchemaCheck::validate(const nlohmann::ordered_json &doc,
                           std::vector<SchemaIssue> *issues) const
{
    return validate(json(doc), issues);
}

} // namespace sb::runtime
