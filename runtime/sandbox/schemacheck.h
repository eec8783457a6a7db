#pragma once

// An entity's JSON Schema ready to validate many documents: parsed once by valijson, its
// patterns compiled once (one validator per check keeps valijson's regex cache), and the
// date, time and date-time formats checked natively with valijson's own messages, because
// valijson compiles a std::regex for every formatted value it sees. Not thread-safe.

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace valijson {
class Schema;
class Validator;
} // namespace valijson

namespace sb::runtime {

struct SchemaIssue
{
    std::vector<std::string> context; // valijson's: "<root>", "[field]", "[0]"
    std::string description;
};

class SchemaCheck
{
public:
    // Throws what valijson throws for a schema it cannot parse.
    explicit SchemaCheck(const nlohmann::json &schema);
    ~SchemaCheck();
    SchemaCheck(const SchemaCheck &) = delete;
    SchemaCheck &operator=(const SchemaCheck &) = delete;

    // True when `doc` fits; otherwise the issues (valijson's wrapper errors included).
    bool validate(const nlohmann::json &doc, std::vector<SchemaIssue> *issues) const;
    bool validate(const nlohmann::ordered_json &doc, std::vector<SchemaIssue> *issues) const;

private:
    nlohmann::json m_formats;     // the schema's subtrees that hold a native format
    std::unique_ptr<valijson::Schema> m_schema;
    std::unique_ptr<valijson::Validator> m_validator;
};

// valijson's checks of the date, time and date-time formats, without a regex: the message
// it gives, or empty when `value` fits (other formats always fit).
std::string formatIssue(const std::string &format, const std::string &value);

} // namespace sb::runtime
