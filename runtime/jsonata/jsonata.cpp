#include "runtime/jsonata/jsonata.h"

#include "runtime/jsonata/internal.h"

#include <chrono>
#include <cmath>
#include <iterator>
#include <map>

namespace sb::jsonata {

namespace {

std::string tokenOrValue(const JError &e, const char *what)
{
    if (std::string(what) == "token")
        return e.token;
    if (e.value.isString())
        return e.value.str();
    if (e.value.isUndefined())
        return "undefined";
    return toJsonString(e.value);
}

std::string jsonQuoted(const std::string &s)
{
    return toJsonString(Value::string(s));
}

// The reference's message templates: {{key}} is replaced by the JSON form of the error's
// field, {{{key}}} by its plain text.
const std::pair<const char *, const char *> kTemplates[] = {
    {"S0101", "String literal must be terminated by a matching quote"},
    {"S0102", "Number out of range: {{token}}"},
    {"S0103", "Unsupported escape sequence: \\{{token}}"},
    {"S0104", "The escape sequence \\u must be followed by 4 hex digits"},
    {"S0105", "Quoted property name must be terminated with a backquote (`)"},
    {"S0106", "Comment has no closing tag"},
    {"S0201", "Syntax error: {{token}}"},
    {"S0202", "Expected {{value}}, got {{token}}"},
    {"S0203", "Expected {{value}} before end of expression"},
    {"S0204", "Unknown operator: {{token}}"},
    {"S0205", "Unexpected token: {{token}}"},
    {"S0206", "Unknown expression type: {{token}}"},
    {"S0207", "Unexpected end of expression"},
    {"S0208", "Parameter {{value}} of function definition must be a variable name "
              "(start with $)"},
    {"S0209", "A predicate cannot follow a grouping expression in a step"},
    {"S0210", "Each step can only have one grouping expression"},
    {"S0211", "The symbol {{token}} cannot be used as a unary operator"},
    {"S0212", "The left side of := must be a variable name (start with $)"},
    {"S0213", "The literal value {{value}} cannot be used as a step within a path "
              "expression"},
    {"S0214", "The right side of {{token}} must be a variable name (start with $)"},
    {"S0215", "A context variable binding must precede any predicates on a step"},
    {"S0216", "A context variable binding must precede the 'order-by' clause on a step"},
    {"S0217", "The object representing the 'parent' cannot be derived from this "
              "expression"},
    {"S0301", "Empty regular expressions are not allowed"},
    {"S0302", "No terminating / in regular expression"},
    {"S0401", "Type parameters can only be applied to functions and arrays"},
    {"S0402", "Choice groups containing parameterized types are not supported"},
    {"T0410", "Argument {{index}} of function {{token}} does not match function "
              "signature"},
    {"T0411", "Context value is not a compatible type with argument {{index}} of "
              "function {{token}}"},
    {"T0412", "Argument {{index}} of function {{token}} must be an array of "
              "{{type}}"},
    {"D1001", "Number out of range: {{value}}"},
    {"D1002", "Cannot negate a non-numeric value: {{value}}"},
    {"T1003", "Key in object structure must evaluate to a string; got: {{value}}"},
    {"D1004", "Regular expression matches zero length string"},
    {"T1005", "Attempted to invoke a non-function. Did you mean ${{{token}}}?"},
    {"T1006", "Attempted to invoke a non-function"},
    {"T1007", "Attempted to partially apply a non-function. Did you mean ${{{token}}}?"},
    {"T1008", "Attempted to partially apply a non-function"},
    {"D1009", "Multiple key definitions evaluate to same key: {{value}}"},
    {"T2001", "The left side of the {{token}} operator must evaluate to a number"},
    {"T2002", "The right side of the {{token}} operator must evaluate to a number"},
    {"T2003", "The left side of the range operator (..) must evaluate to an integer"},
    {"T2004", "The right side of the range operator (..) must evaluate to an integer"},
    {"T2006", "The right side of the function application operator ~> must be a "
              "function"},
    {"T2007", "Type mismatch when comparing values {{value}} and {{value2}} in order-by "
              "clause"},
    {"T2008", "The expressions within an order-by clause must evaluate to numeric or "
              "string values"},
    {"T2009", "The values {{value}} and {{value2}} either side of operator {{token}} "
              "must be of the same data type"},
    {"T2010", "The expressions either side of operator {{token}} must evaluate to "
              "numeric or string values"},
    {"T2011", "The insert/update clause of the transform expression must evaluate to an "
              "object: {{value}}"},
    {"T2012", "The delete clause of the transform expression must evaluate to a string "
              "or array of strings: {{value}}"},
    {"T2013", "The transform expression clones the input object using the $clone() "
              "function.  This has been overridden in the current scope by a "
              "non-function."},
    {"D2014", "The size of the sequence allocated by the range operator (..) must not "
              "exceed 1e6.  Attempted to allocate {{value}}."},
    {"D3001", "Attempting to invoke string function on Infinity or NaN"},
    {"D3010", "Second argument of replace function cannot be an empty string"},
    {"D3011", "Fourth argument of replace function must evaluate to a positive number"},
    {"D3012", "Attempted to replace a matched string with a non-string value"},
    {"D3020", "Third argument of split function must evaluate to a positive number"},
    {"D3030", "Unable to cast value to a number: {{value}}"},
    {"D3040", "Third argument of match function must evaluate to a positive number"},
    {"D3050", "The second argument of reduce function must be a function with at least "
              "two arguments"},
    {"D3060", "The sqrt function cannot be applied to a negative number: {{value}}"},
    {"D3061", "The power function has resulted in a value that cannot be represented as "
              "a JSON number: base={{value}}, exponent={{value2}}"},
    {"D3070", "The single argument form of the sort function can only be applied to an "
              "array of strings or an array of numbers.  Use the second argument to "
              "specify a comparison function"},
    {"D3080", "The picture string must only contain a maximum of two sub-pictures"},
    {"D3081", "The sub-picture must not contain more than one instance of the "
              "'decimal-separator' character"},
    {"D3082", "The sub-picture must not contain more than one instance of the "
              "'percent' character"},
    {"D3083", "The sub-picture must not contain more than one instance of the "
              "'per-mille' character"},
    {"D3084", "The sub-picture must not contain both a 'percent' and a 'per-mille' "
              "character"},
    {"D3085", "The mantissa part of a sub-picture must contain at least one character "
              "that is either an 'optional digit character' or a member of the "
              "'decimal digit family'"},
    {"D3086", "The sub-picture must not contain a passive character that is preceded "
              "by an active character and that is followed by another active character"},
    {"D3087", "The sub-picture must not contain a 'grouping-separator' character that "
              "appears adjacent to a 'decimal-separator' character"},
    {"D3088", "The sub-picture must not contain a 'grouping-separator' at the end of the "
              "integer part"},
    {"D3089", "The sub-picture must not contain two adjacent instances of the "
              "'grouping-separator' character"},
    {"D3090", "The integer part of the sub-picture must not contain a member of the "
              "'decimal digit family' that is followed by an instance of the 'optional "
              "digit character'"},
    {"D3091", "The fractional part of the sub-picture must not contain an instance of "
              "the 'optional digit character' that is followed by a member of the "
              "'decimal digit family'"},
    {"D3092", "A sub-picture that contains a 'percent' or 'per-mille' character must not "
              "contain a character treated as an 'exponent-separator'"},
    {"D3093", "The exponent part of the sub-picture must comprise only of one or more "
              "characters that are members of the 'decimal digit family'"},
    {"D3100", "The radix of the formatBase function must be between 2 and 36.  It was "
              "given {{value}}"},
    {"D3110", "The argument of the toMillis function must be an ISO 8601 formatted "
              "timestamp. Given {{value}}"},
    {"D3120", "Syntax error in expression passed to function eval: {{value}}"},
    {"D3121", "Dynamic error evaluating the expression passed to function eval: "
              "{{value}}"},
    {"D3130", "Formatting or parsing an integer as a sequence starting with {{value}} "
              "is not supported by this implementation"},
    {"D3131", "In a decimal digit pattern, all digits must be from the same decimal "
              "group"},
    {"D3132", "Unknown component specifier {{value}} in date/time picture string"},
    {"D3133", "The 'name' modifier can only be applied to months and days in the "
              "date/time picture string, not {{value}}"},
    {"D3134", "The timezone integer format specifier cannot have more than four "
              "digits"},
    {"D3135", "No matching closing bracket ']' in date/time picture string"},
    {"D3136", "The date/time picture string is missing specifiers required to parse "
              "the timestamp"},
    {"D3137", "{{{message}}}"},
    {"D3138", "The $single() function expected exactly 1 matching result.  Instead it "
              "matched more."},
    {"D3139", "The $single() function expected exactly 1 matching result.  Instead it "
              "matched 0."},
    {"D3140", "Malformed URL passed to ${{{functionName}}}(): {{value}}"},
    {"D3141", "{{{message}}}"},
    {"D3150", "Date/time value out of range: {{value}}"},
    {"U1001", "Stack overflow error: Check for non-terminating recursive function.  "
              "Consider rewriting as tail-recursive."},
    {"U1005", "Value nested deeper than {{value}} levels"},
};

std::string fillTemplate(const std::string &t, const JError &e)
{
    std::string out;
    size_t i = 0;
    while (i < t.size()) {
        bool triple = t.compare(i, 3, "{{{") == 0;
        if (t.compare(i, 2, "{{") == 0) {
            size_t open = triple ? 3 : 2;
            size_t end = t.find(triple ? "}}}" : "}}", i + open);
            std::string key = t.substr(i + open, end - i - open);
            std::string rep;
            if (key == "token")
                rep = triple ? e.token : jsonQuoted(e.token);
            else if (key == "index")
                rep = std::to_string(e.index);
            else if (key == "value2")
                rep = e.value2.isString() && triple ? e.value2.str()
                                                    : toJsonString(e.value2);
            else if (key == "type")
                rep = e.value2.isString() ? e.value2.str() : "";
            else if (key == "functionName")
                rep = e.token;
            else if (key == "message")
                rep = e.message;
            else
                rep = triple ? tokenOrValue(e, "value")
                             : (e.value.isUndefined() ? "undefined" : toJsonString(e.value));
            out += rep;
            i = end + (triple ? 3 : 2);
        } else {
            out += t[i++];
        }
    }
    return out;
}

} // namespace

std::string errorMessage(const JError &e)
{
    if (!e.message.empty())
        return e.message;
    static const std::map<std::string, std::string> templates(std::begin(kTemplates),
                                                               std::end(kTemplates));
    auto it = templates.find(e.code);
    if (it == templates.end())
        return "Error " + e.code;
    return fillTemplate(it->second, e);
}

std::string Error::toString() const
{
    std::string s = "error " + code;
    if (position >= 0)
        s += " at position " + std::to_string(position);
    s += ": " + message;
    return s;
}

static Error toError(const JError &e)
{
    Error out;
    out.code = e.code;
    out.message = errorMessage(e);
    out.position = e.position;
    out.token = e.token;
    if (e.value.isDefined())
        out.value = e.value.isString() ? e.value.str() : toJsonString(e.value);
    return out;
}

Expression Expression::compile(const std::string &source)
{
    Expression ex;
    ex.m_source = source;
    try {
        NodePtr ast = parseExpression(source);
        ex.m_ast = ast;
    } catch (const JError &e) {
        ex.m_error = toError(e);
    } catch (const std::exception &e) {
        ex.m_error.code = "S0500";
        ex.m_error.message = e.what();
    }
    return ex;
}

// The root frame of the last evaluation on this thread, kept for the next one when nothing
// else holds it (no closure in the result captured it): saves two allocations per call.
static thread_local FramePtr tlRootFrame;

static FramePtr takeRootFrame()
{
    FramePtr f = std::move(tlRootFrame); // a nested evaluation finds none and allocates
    if (!f)
        f = std::make_shared<Frame>();
    return f;
}

static void giveBackRootFrame(FramePtr f)
{
    if (!f || f.use_count() != 1 || f->parent)
        return;
    f->vars.clear(); // keeps no input or binding alive between evaluations
    if (f->vars.capacity() <= 64)
        tlRootFrame = std::move(f);
}

Result Expression::evaluate(const Value &inputIn, const Bindings &bindings,
                            const EvalOptions &options) const
{
    Result r;
    if (!m_ast) {
        r.ok = false;
        r.error = m_error;
        return r;
    }
    Limits limits;
    limits.maxDepth = options.maxDepth;
    limits.timeLimitMs = options.timeLimitMs;
    limits.maxStackBytes = options.maxStackBytes;
    limits.maxStringLength = options.maxStringLength;
    limits.maxArrayLength = options.maxArrayLength;
    limits.maxAllocBytes = options.maxAllocBytes;
    Evaluator ev(limits, m_ast);
    EvaluatorScope scope(&ev);
    FramePtr env;
    try {
        env = takeRootFrame();
        env->vars.reserve(bindings.size() + 1);
        for (const auto &b : bindings)
            env->bind(b.first, b.second);
        env->bind("$", inputIn);
        Value input = inputIn;
        if (input.isArray() && !input.isSequence()) {
            Value w = createSequence(input);
            w.arr().outerWrapper = true;
            input = w;
        }
        const Node *root = static_cast<const Node *>(m_ast.get());
        Value v = ev.evaluate(root, input, env);
        // strip internal sequence wrappers so callers only see plain values
        if (v.isArray() && v.arr().sequence && v.size() == 1 && !v.arr().keepSingleton)
            v = v[0];
        r.value = v;
    } catch (const JError &e) {
        r.ok = false;
        r.error = toError(e);
    } catch (const std::bad_alloc &) {
        r.ok = false;
        r.error.code = "U1004";
        r.error.message = "Out of memory";
    } catch (const std::exception &e) {
        r.ok = false;
        r.error.code = "U1000";
        r.error.message = e.what();
    }
    // closures and the frames they captured refer to each other: cut that at the end, or
    // with the last copy of the result when it holds a function
    r.frames = ev.releaseClosures(r.value);
    giveBackRootFrame(std::move(env));
    return r;
}

Result Expression::evaluate(const nlohmann::ordered_json &input, const Bindings &bindings,
                            const EvalOptions &options) const
{
    Result in = fromJsonChecked(input);
    if (!in.ok)
        return in;
    return evaluate(in.value, bindings, options);
}

EvalOptions runnerBudget()
{
    EvalOptions o;
    o.timeLimitMs = 1000;
    o.maxStringLength = size_t(16) << 20;
    o.maxArrayLength = 1000000;
    o.maxAllocBytes = size_t(64) << 20;
    return o;
}

static Error nestingError()
{
    Error e;
    e.code = "U1005";
    e.value = std::to_string(kMaxValueDepth);
    e.message = "Value nested deeper than " + e.value + " levels";
    return e;
}

// Recursion is bounded by kMaxValueDepth; `deep` reports a subtree cut at that depth.
static Value fromJsonAt(const nlohmann::ordered_json &j, int depth, bool &deep)
{
    if (j.is_structured() && depth >= kMaxValueDepth) {
        deep = true;
        return Value::null();
    }
    switch (j.type()) {
    case nlohmann::ordered_json::value_t::null: return Value::null();
    case nlohmann::ordered_json::value_t::boolean: return Value::boolean(j.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer:
    case nlohmann::ordered_json::value_t::number_unsigned:
    case nlohmann::ordered_json::value_t::number_float: return Value::number(j.get<double>());
    case nlohmann::ordered_json::value_t::string: return Value::string(j.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
        Value a = Value::newArray();
        a.arr().items.reserve(j.size());
        for (const auto &e : j)
            a.arr().items.push_back(fromJsonAt(e, depth + 1, deep));
        return a;
    }
    case nlohmann::ordered_json::value_t::object: {
        Value o = Value::newObject();
        for (auto it = j.begin(); it != j.end(); ++it)
            o.obj().set(it.key(), fromJsonAt(it.value(), depth + 1, deep));
        return o;
    }
    default: return Value();
    }
}

Value fromJson(const nlohmann::ordered_json &j)
{
    bool deep = false;
    return fromJsonAt(j, 0, deep);
}

Result fromJsonChecked(const nlohmann::ordered_json &j)
{
    Result r;
    bool deep = false;
    r.value = fromJsonAt(j, 0, deep);
    if (deep) {
        r = Result{};
        r.ok = false;
        r.error = nestingError();
    }
    return r;
}

namespace {

struct ToJsonWalk
{
    size_t budget = 0; // 0: unlimited
    size_t used = 0;
    bool deep = false;
    bool big = false;

    nlohmann::ordered_json walk(const Value &v, int depth)
    {
        used += 32; // about one JSON node with its slot in the parent
        if (v.isString())
            used += v.str().size();
        if (budget && used > budget)
            big = true;
        if ((v.isArray() || v.isObject()) && depth >= kMaxValueDepth)
            deep = true;
        if (big || deep)
            return nullptr;
        switch (v.type()) {
        case Type::Undefined:
        case Type::Null: return nullptr;
        case Type::Bool: return v.boolValue();
        case Type::Number: {
            double d = v.num();
            if (!std::isfinite(d))
                return nullptr;
            if (d == std::floor(d) && std::fabs(d) < 9007199254740992.0)
                return static_cast<long long>(d);
            return d;
        }
        case Type::String: return v.str();
        case Type::Function: return "";
        case Type::Array: {
            auto a = nlohmann::ordered_json::array();
            for (const auto &i : v.arr().items) {
                a.push_back(walk(i, depth + 1));
                if (big || deep)
                    break;
            }
            return a;
        }
        case Type::Object: {
            auto o = nlohmann::ordered_json::object();
            for (const auto &e : v.obj().entries) {
                if (e.second.isDefined()) {
                    used += e.first.size();
                    o[e.first] = walk(e.second, depth + 1);
                }
                if (big || deep)
                    break;
            }
            return o;
        }
        }
        return nullptr;
    }
};

} // namespace

nlohmann::ordered_json toJson(const Value &v)
{
    ToJsonWalk w;
    return w.walk(v, 0);
}

bool toJsonChecked(const Value &v, nlohmann::ordered_json &out, Error &error,
                   const EvalOptions &budget)
{
    ToJsonWalk w;
    w.budget = budget.maxAllocBytes;
    out = w.walk(v, 0);
    if (w.deep) {
        error = nestingError();
    } else if (w.big) {
        error = Error{};
        error.code = "U1004";
        error.message = "Memory budget exceeded: the result as JSON is larger than "
                        + std::to_string(budget.maxAllocBytes >> 20) + " MiB";
    } else {
        return true;
    }
    out = nullptr;
    return false;
}

} // namespace sb::jsonata
