// Built-in function library: signature validation, the registry of native functions
// (defined by family in functions_*.cpp) and the conversions other files share.
#include "runtime/jsonata/functions_impl.h"

#include <cmath>
#include <iterator>
#include <map>

namespace sb::jsonata {

// ---- signature validation --------------------------------------------------------------

namespace {

char symbolOf(const Value &v)
{
    switch (v.type()) {
    case Type::Undefined: return 'm';
    case Type::Null: return 'l';
    case Type::Bool: return 'b';
    case Type::Number: return 'n';
    case Type::String: return 's';
    case Type::Array: return 'a';
    case Type::Object: return 'o';
    case Type::Function: return 'f';
    }
    return 'm';
}

bool accepts(const SigParam &p, char c)
{
    if (c == 'm')
        return p.type != 'f';
    return p.chars.find(c) != std::string::npos;
}

// Backtracking matcher equivalent to the reference's generated regular expression.
bool matchParams(const std::vector<SigParam> &ps, size_t limit, const std::string &s, size_t pi,
                 size_t pos, bool anchored, std::vector<std::pair<size_t, size_t>> &caps,
                 size_t &endPos)
{
    if (pi == limit) {
        if (anchored && pos != s.size())
            return false;
        endPos = pos;
        return true;
    }
    const SigParam &p = ps[pi];
    char quant = p.quant;
    if (p.context && quant == 0)
        quant = '?';
    auto tryLen = [&](size_t len) {
        caps[pi] = {pos, len};
        return matchParams(ps, limit, s, pi + 1, pos + len, anchored, caps, endPos);
    };
    bool first = pos < s.size() && accepts(p, s[pos]);
    if (quant == 0)
        return first && tryLen(1);
    if (quant == '?') {
        if (first && tryLen(1))
            return true;
        return tryLen(0);
    }
    // '+'
    size_t k = 0;
    while (pos + k < s.size() && accepts(p, s[pos + k]))
        ++k;
    for (size_t len = k; len >= 1; --len)
        if (tryLen(len))
            return true;
    return false;
}

} // namespace

bool argsMatchAsGiven(const Signature &sig, const std::vector<Value> &args)
{
    const auto &ps = sig.params;
    if (args.size() > ps.size())
        return false;
    // parameters left out must be optional and not taken from the context: validateArgs
    // would pass undefined for them, which is what a missing argument reads as
    for (size_t i = args.size(); i < ps.size(); ++i)
        if (ps[i].quant != '?' || ps[i].context)
            return false;
    for (size_t i = 0; i < args.size(); ++i) {
        const SigParam &p = ps[i];
        const char c = symbolOf(args[i]);
        // '+' may take several arguments; an array parameter may wrap or check its items
        if (p.quant == '+' || !accepts(p, c))
            return false;
        if (p.type == 'a' && (!p.subtype.empty() || (c != 'a' && c != 'm')))
            return false;
    }
    return true;
}

std::vector<Value> validateArgs(const Signature &sig, std::vector<Value> &args,
                                const Value &context)
{
    std::string supplied;
    for (const auto &a : args)
        supplied += symbolOf(a);
    const auto &ps = sig.params;
    std::vector<std::pair<size_t, size_t>> caps(ps.size());
    size_t endPos = 0;
    if (!matchParams(ps, ps.size(), supplied, 0, 0, true, caps, endPos)) {
        size_t goodTo = 0;
        for (size_t i = 0; i < ps.size(); ++i) {
            std::vector<std::pair<size_t, size_t>> c2(ps.size());
            size_t e = 0;
            if (!matchParams(ps, i + 1, supplied, 0, 0, false, c2, e))
                break;
            goodTo = e;
        }
        JError err("T0410");
        err.value = goodTo < args.size() ? args[goodTo] : Value();
        err.index = int(goodTo + 1);
        throw err;
    }
    std::vector<Value> out;
    out.reserve(ps.size());
    size_t argIndex = 0;
    for (size_t i = 0; i < ps.size(); ++i) {
        const SigParam &p = ps[i];
        size_t len = caps[i].second;
        if (len == 0) {
            if (p.context) {
                char ct = symbolOf(context);
                if (accepts(p, ct) || ct == 'm') {
                    out.push_back(context);
                } else {
                    JError err("T0411");
                    err.value = context;
                    err.index = int(argIndex + 1);
                    throw err;
                }
            } else {
                out.push_back(argIndex < args.size() ? args[argIndex] : Value());
                ++argIndex;
            }
            continue;
        }
        for (size_t k = 0; k < len; ++k) {
            char single = supplied[caps[i].first + k];
            Value arg = argIndex < args.size() ? args[argIndex] : Value();
            if (p.type == 'a') {
                if (single == 'm') {
                    arg = Value();
                } else {
                    bool ok = true;
                    if (!p.subtype.empty()) {
                        std::string match = supplied.substr(caps[i].first, len);
                        if (single != 'a' && match != p.subtype) {
                            ok = false;
                        } else if (single == 'a' && arg.size() > 0) {
                            char itemType = symbolOf(arg[0]);
                            if (itemType != p.subtype[0]) {
                                ok = false;
                            } else {
                                for (const auto &it : arg.arr().items)
                                    if (symbolOf(it) != itemType)
                                        ok = false;
                            }
                        }
                    }
                    if (!ok) {
                        JError err("T0412");
                        err.value = arg;
                        err.index = int(argIndex + 1);
                        err.value2 = Value::string(p.subtype);
                        throw err;
                    }
                    if (single != 'a') {
                        Value wrapped = Value::newArray();
                        wrapped.arr().items.push_back(arg);
                        arg = wrapped;
                    }
                }
            }
            out.push_back(arg);
            ++argIndex;
        }
    }
    return out;
}

// ---- helpers ------------------------------------------------------------------------------

std::string stringify(const Value &arg, Evaluator *ev)
{
    if (arg.isString())
        return arg.str();
    if (arg.isFunction())
        return "";
    if (arg.isNumber() && !std::isfinite(arg.num()))
        throw JError("D3001").val(arg);
    Value v = arg;
    if (v.isArray() && v.arr().outerWrapper && v.size() > 0)
        v = v[0];
    std::string out;
    JsonWriteOptions o;
    o.precision15 = true;
    if (ev)
        o.maxLength = ev->limits().maxStringLength;
    bool ok = writeJson(v, out, o);
    if (ev)
        ev->checkString(out.size());
    if (!ok)
        throw JError("D1001");
    return out;
}

const char *typeName(const Value &v)
{
    switch (v.type()) {
    case Type::Null: return "null";
    case Type::Bool: return "boolean";
    case Type::Number: return "number";
    case Type::String: return "string";
    case Type::Array: return "array";
    case Type::Object: return "object";
    case Type::Function: return "function";
    default: return "undefined";
    }
}

namespace {

using namespace fn;

struct Spec
{
    const char *name;
    const char *signature;
    NativeFn fn;
};

const Spec kSpecs[] = {
    {"sum", "<a<n>:n>", fnSum},
    {"count", "<a:n>", fnCount},
    {"max", "<a<n>:n>", fnMax},
    {"min", "<a<n>:n>", fnMin},
    {"average", "<a<n>:n>", fnAverage},
    {"string", "<x-b?:s>", fnString},
    {"substring", "<s-nn?:s>", fnSubstring},
    {"substringBefore", "<s-s:s>", fnSubstringBefore},
    {"substringAfter", "<s-s:s>", fnSubstringAfter},
    {"lowercase", "<s-:s>", fnLowercase},
    {"uppercase", "<s-:s>", fnUppercase},
    {"length", "<s-:n>", fnLength},
    {"trim", "<s-:s>", fnTrim},
    {"pad", "<s-ns?:s>", fnPad},
    {"match", "<s-f<s:o>n?:a<o>>", fnMatch},
    {"contains", "<s-(sf):b>", fnContains},
    {"replace", "<s-(sf)(sf)n?:s>", fnReplace},
    {"split", "<s-(sf)n?:a<s>>", fnSplit},
    {"join", "<a<s>s?:s>", fnJoin},
    {"formatNumber", "<n-so?:s>", fnFormatNumber},
    {"formatBase", "<n-n?:s>", fnFormatBase},
    {"formatInteger", "<n-s:s>", fnFormatInteger},
    {"parseInteger", "<s-s:n>", fnParseInteger},
    {"number", "<(nsb)-:n>", fnNumber},
    {"floor", "<n-:n>", fnFloor},
    {"ceil", "<n-:n>", fnCeil},
    {"round", "<n-n?:n>", fnRound},
    {"abs", "<n-:n>", fnAbs},
    {"sqrt", "<n-:n>", fnSqrt},
    {"power", "<n-n:n>", fnPower},
    {"random", "<:n>", fnRandom},
    {"boolean", "<x-:b>", fnBoolean},
    {"not", "<x-:b>", fnNot},
    {"map", "<af>", fnMap},
    {"zip", "<a+>", fnZip},
    {"filter", "<af>", fnFilter},
    {"single", "<af?>", fnSingle},
    {"reduce", "<afj?:j>", fnReduce},
    {"sift", "<o-f?:o>", fnSift},
    {"keys", "<x-:a<s>>", fnKeys},
    {"lookup", "<x-s:x>", fnLookup},
    {"append", "<xx:a>", fnAppend},
    {"exists", "<x:b>", fnExists},
    {"spread", "<x-:a<o>>", fnSpread},
    {"merge", "<a<o>:o>", fnMerge},
    {"reverse", "<a:a>", fnReverse},
    {"each", "<o-f:a>", fnEach},
    {"error", "<s?:x>", fnError},
    {"assert", "<bs?:x>", fnAssert},
    {"type", "<x:s>", fnType},
    {"sort", "<af?:a>", fnSort},
    {"shuffle", "<a:a>", fnShuffle},
    {"distinct", "<x:x>", fnDistinct},
    {"base64encode", "<s-:s>", fnBase64Encode},
    {"base64decode", "<s-:s>", fnBase64Decode},
    {"encodeUrlComponent", "<s-:s>", fnEncodeUrlComponent},
    {"encodeUrl", "<s-:s>", fnEncodeUrl},
    {"decodeUrlComponent", "<s-:s>", fnDecodeUrlComponent},
    {"decodeUrl", "<s-:s>", fnDecodeUrl},
    {"eval", "<sx?:x>", fnEval},
    {"toMillis", "<s-s?:n>", fnToMillis},
    {"fromMillis", "<n-s?s?:s>", fnFromMillis},
    {"clone", "<(oa)-:o>", fnClone},
    {"now", "<s?s?:s>", fnNow},
    {"millis", "<:n>", fnMillis},
};

std::vector<Builtin> &registry()
{
    static std::vector<Builtin> table = [] {
        std::vector<Builtin> t(std::size(kSpecs));
        for (size_t i = 0; i < t.size(); ++i) {
            Builtin &b = t[i];
            b.name = kSpecs[i].name;
            b.signature = kSpecs[i].signature;
            b.fn = kSpecs[i].fn;
            int off = 0;
            b.sig = parseSignature(b.signature, off);
            b.arity = int(b.sig->params.size());
            auto fd = std::make_shared<FunctionData>();
            fd->kind = FuncKind::Builtin;
            fd->builtin = &b;
            b.value = Value::function(fd);
        }
        return t;
    }();
    return table;
}

} // namespace

const Builtin *findBuiltin(const std::string &name)
{
    static const std::map<std::string, const Builtin *> index = [] {
        std::map<std::string, const Builtin *> m;
        for (const auto &b : registry())
            m[b.name] = &b;
        return m;
    }();
    auto it = index.find(name);
    return it == index.end() ? nullptr : it->second;
}

} // namespace sb::jsonata