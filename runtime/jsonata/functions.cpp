// Built-in function library: signature validation, the registry of native functions
// (defined by family in functions_*.cpp) and the conversions other files share.
#include "runtime/jsonata/functions_impl.h"

#include <cmath>
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

std::vector<Builtin> &registry()
{
    static std::vector<Builtin> table = [] {
        std::vector<Builtin> t = {
            {"sum", "<a<n>:n>", fnSum, nullptr, 0},
            {"count", "<a:n>", fnCount, nullptr, 0},
            {"max", "<a<n>:n>", fnMax, nullptr, 0},
            {"min", "<a<n>:n>", fnMin, nullptr, 0},
            {"average", "<a<n>:n>", fnAverage, nullptr, 0},
            {"string", "<x-b?:s>", fnString, nullptr, 0},
            {"substring", "<s-nn?:s>", fnSubstring, nullptr, 0},
            {"substringBefore", "<s-s:s>", fnSubstringBefore, nullptr, 0},
            {"substringAfter", "<s-s:s>", fnSubstringAfter, nullptr, 0},
            {"lowercase", "<s-:s>", fnLowercase, nullptr, 0},
            {"uppercase", "<s-:s>", fnUppercase, nullptr, 0},
            {"length", "<s-:n>", fnLength, nullptr, 0},
            {"trim", "<s-:s>", fnTrim, nullptr, 0},
            {"pad", "<s-ns?:s>", fnPad, nullptr, 0},
            {"match", "<s-f<s:o>n?:a<o>>", fnMatch, nullptr, 0},
            {"contains", "<s-(sf):b>", fnContains, nullptr, 0},
            {"replace", "<s-(sf)(sf)n?:s>", fnReplace, nullptr, 0},
            {"split", "<s-(sf)n?:a<s>>", fnSplit, nullptr, 0},
            {"join", "<a<s>s?:s>", fnJoin, nullptr, 0},
            {"formatNumber", "<n-so?:s>", fnFormatNumber, nullptr, 0},
            {"formatBase", "<n-n?:s>", fnFormatBase, nullptr, 0},
            {"formatInteger", "<n-s:s>", fnFormatInteger, nullptr, 0},
            {"parseInteger", "<s-s:n>", fnParseInteger, nullptr, 0},
            {"number", "<(nsb)-:n>", fnNumber, nullptr, 0},
            {"floor", "<n-:n>", fnFloor, nullptr, 0},
            {"ceil", "<n-:n>", fnCeil, nullptr, 0},
            {"round", "<n-n?:n>", fnRound, nullptr, 0},
            {"abs", "<n-:n>", fnAbs, nullptr, 0},
            {"sqrt", "<n-:n>", fnSqrt, nullptr, 0},
            {"power", "<n-n:n>", fnPower, nullptr, 0},
            {"random", "<:n>", fnRandom, nullptr, 0},
            {"boolean", "<x-:b>", fnBoolean, nullptr, 0},
            {"not", "<x-:b>", fnNot, nullptr, 0},
            {"map", "<af>", fnMap, nullptr, 0},
            {"zip", "<a+>", fnZip, nullptr, 0},
            {"filter", "<af>", fnFilter, nullptr, 0},
            {"single", "<af?>", fnSingle, nullptr, 0},
            {"reduce", "<afj?:j>", fnReduce, nullptr, 0},
            {"sift", "<o-f?:o>", fnSift, nullptr, 0},
            {"keys", "<x-:a<s>>", fnKeys, nullptr, 0},
            {"lookup", "<x-s:x>", fnLookup, nullptr, 0},
            {"append", "<xx:a>", fnAppend, nullptr, 0},
            {"exists", "<x:b>", fnExists, nullptr, 0},
            {"spread", "<x-:a<o>>", fnSpread, nullptr, 0},
            {"merge", "<a<o>:o>", fnMerge, nullptr, 0},
            {"reverse", "<a:a>", fnReverse, nullptr, 0},
            {"each", "<o-f:a>", fnEach, nullptr, 0},
            {"error", "<s?:x>", fnError, nullptr, 0},
            {"assert", "<bs?:x>", fnAssert, nullptr, 0},
            {"type", "<x:s>", fnType, nullptr, 0},
            {"sort", "<af?:a>", fnSort, nullptr, 0},
            {"shuffle", "<a:a>", fnShuffle, nullptr, 0},
            {"distinct", "<x:x>", fnDistinct, nullptr, 0},
            {"base64encode", "<s-:s>", fnBase64Encode, nullptr, 0},
            {"base64decode", "<s-:s>", fnBase64Decode, nullptr, 0},
            {"encodeUrlComponent", "<s-:s>", fnEncodeUrlComponent, nullptr, 0},
            {"encodeUrl", "<s-:s>", fnEncodeUrl, nullptr, 0},
            {"decodeUrlComponent", "<s-:s>", fnDecodeUrlComponent, nullptr, 0},
            {"decodeUrl", "<s-:s>", fnDecodeUrl, nullptr, 0},
            {"eval", "<sx?:x>", fnEval, nullptr, 0},
            {"toMillis", "<s-s?:n>", fnToMillis, nullptr, 0},
            {"fromMillis", "<n-s?s?:s>", fnFromMillis, nullptr, 0},
            {"clone", "<(oa)-:o>", fnClone, nullptr, 0},
            {"now", "<s?s?:s>", fnNow, nullptr, 0},
            {"millis", "<:n>", fnMillis, nullptr, 0},
        };
        for (auto &b : t) {
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