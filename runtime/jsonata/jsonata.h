#pragma once
// Public API of the native JSONata engine: compile once, evaluate many times (thread-safe).
#include "runtime/jsonata/value.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sb::jsonata {

struct Error
{
    std::string code;     // e.g. S0202, T2001, D3137, U1001
    std::string message;
    int position = -1;    // character position in the expression (-1: unknown)
    std::string token;
    std::string value;    // offending value as JSON, when known

    std::string toString() const; // "error S0202 at position 5: Expected ..."
};

// Either a value (possibly undefined) or an error.
struct Result
{
    Value value;
    bool ok = true;
    Error error;
    // Keeps the frames a function in `value` needs. A function taken out of the result is
    // callable while a copy of this Result lives; after that it sees no outer variables.
    std::shared_ptr<void> frames;

    bool isUndefined() const { return ok && value.isUndefined(); }
};

// Budget of one evaluation. Size limits are checked before a string or array is built and
// the clock inside loops, so a runaway expression fails early with little memory used.
// 0 disables a size limit. The defaults are generous (the JSONata suite builds ranges of
// 1e7 items); runners use runnerBudget().
struct EvalOptions
{
    int maxDepth = 500;               // nested evaluation depth (U1001 beyond)
    long long timeLimitMs = 5000;     // wall-clock budget per evaluation (U1001 beyond)
    size_t maxStackBytes = 2u << 20;  // native stack budget, guards deep recursion
    size_t maxStringLength = size_t(256) << 20; // bytes of one created string (U1002)
    size_t maxArrayLength = 10000000;           // items of one created array (U1003)
    size_t maxAllocBytes = size_t(1) << 30;     // ~bytes created per evaluation (U1004)
};

// The budget the engine and `switchboard-run eval` give each evaluation unless told
// otherwise: 1 s, 500 levels, strings up to 16 MiB, arrays up to 1,000,000 items, 64 MiB.
EvalOptions runnerBudget();

using Bindings = std::vector<std::pair<std::string, Value>>;

class Expression
{
public:
    // Parses the expression; check ok()/error() before evaluating.
    static Expression compile(const std::string &source);

    bool ok() const { return m_ast != nullptr; }
    const Error &error() const { return m_error; }
    const std::string &source() const { return m_source; }

    Result evaluate(const Value &input, const Bindings &bindings = {},
                    const EvalOptions &options = {}) const;
    Result evaluate(const nlohmann::ordered_json &input, const Bindings &bindings = {},
                    const EvalOptions &options = {}) const;

private:
    std::shared_ptr<const void> m_ast; // internal tree, shared with closures
    std::string m_source;
    Error m_error;
};

// Conversions between engine values and nlohmann::ordered_json (undefined -> discarded).
// Containers nested deeper than kMaxValueDepth become null here: use the checked forms
// below for anything from outside.
Value fromJson(const nlohmann::ordered_json &j);
nlohmann::ordered_json toJson(const Value &v);

// fromJson that refuses a document nested deeper than kMaxValueDepth (error U1005).
Result fromJsonChecked(const nlohmann::ordered_json &j);
// toJson that refuses a value nested deeper than kMaxValueDepth (U1005) or whose JSON would
// take more than budget.maxAllocBytes (U1004: shared sub-values can expand a lot).
bool toJsonChecked(const Value &v, nlohmann::ordered_json &out, Error &error,
                   const EvalOptions &budget = runnerBudget());

} // namespace sb::jsonata
