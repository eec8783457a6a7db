// Built-in function library and signature validation.
#include "runtime/jsonata/internal.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QString>
#include <QUrl>
#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <random>

namespace sb::jsonata {

std::vector<Value> sortValues(const std::vector<Value> &arr,
                              const std::function<bool(const Value &, const Value &)> &swap);

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

using Args = std::vector<Value>;

const Value &arg(const Args &a, size_t i)
{
    static const Value undef;
    return i < a.size() ? a[i] : undef;
}

Value str(std::string s) { return Value::string(std::move(s)); }
Value num(double d) { return Value::number(d); }

bool isNum(const Value &v) { return v.isNumber() && !std::isnan(v.num()); }

JError argError(const char *code, const Value &v, int index)
{
    JError e(code);
    e.value = v;
    e.index = index;
    return e;
}

std::string cpSlice(const std::u32string &cps, long start, long end)
{
    long len = long(cps.size());
    if (start < 0)
        start = std::max(0L, len + start);
    if (end < 0)
        end = std::max(0L, len + end);
    start = std::min(start, len);
    end = std::min(end, len);
    if (end <= start)
        return "";
    return fromCodePoints(cps.substr(size_t(start), size_t(end - start)));
}

long toInt(double d)
{
    if (std::isnan(d))
        return 0;
    if (d > 1e15)
        return long(1e15);
    if (d < -1e15)
        return long(-1e15);
    return long(std::trunc(d));
}

// ---- aggregation
Value fnSum(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    double total = 0;
    for (const auto &i : v.arr().items)
        total += i.num();
    return num(total);
}

Value fnCount(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return num(0);
    return num(double(v.size()));
}

Value fnMax(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined() || v.size() == 0)
        return Value();
    double m = -INFINITY;
    for (const auto &i : v.arr().items)
        m = std::max(m, i.num());
    return num(m);
}

Value fnMin(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined() || v.size() == 0)
        return Value();
    double m = INFINITY;
    for (const auto &i : v.arr().items)
        m = std::min(m, i.num());
    return num(m);
}

Value fnAverage(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined() || v.size() == 0)
        return Value();
    double total = 0;
    for (const auto &i : v.arr().items)
        total += i.num();
    return num(total / double(v.size()));
}

// ---- strings
Value fnString(Evaluator &ev, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    bool pretty = arg(a, 1).isBool() && arg(a, 1).boolValue();
    if (pretty && !v.isString() && !v.isFunction()) {
        if (v.isNumber() && !std::isfinite(v.num()))
            throw JError("D3001").val(v);
        std::string out;
        JsonWriteOptions o;
        o.precision15 = true;
        o.indent = 2;
        o.maxLength = ev.limits().maxStringLength;
        bool ok = writeJson(v, out, o);
        ev.checkString(out.size());
        if (!ok)
            throw JError("D1001");
        return str(out);
    }
    return str(stringify(v, &ev));
}

Value fnSubstring(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &s = arg(a, 0);
    if (s.isUndefined())
        return Value();
    std::u32string cps = toCodePoints(s.str());
    long len = long(cps.size());
    double startD = arg(a, 1).num();
    long start = toInt(startD);
    if (len + start < 0)
        start = 0;
    if (arg(a, 2).isDefined()) {
        double length = arg(a, 2).num();
        if (length <= 0)
            return str("");
        long end = start >= 0 ? start + toInt(length) : len + start + toInt(length);
        return str(cpSlice(cps, start, end));
    }
    return str(cpSlice(cps, start, len));
}

Value fnSubstringBefore(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &s = arg(a, 0);
    if (s.isUndefined())
        return Value();
    size_t p = s.str().find(arg(a, 1).str());
    return p == std::string::npos ? s : str(s.str().substr(0, p));
}

Value fnSubstringAfter(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &s = arg(a, 0);
    if (s.isUndefined())
        return Value();
    const std::string &chars = arg(a, 1).str();
    size_t p = s.str().find(chars);
    return p == std::string::npos ? s : str(s.str().substr(p + chars.size()));
}

Value fnLowercase(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &s = arg(a, 0);
    if (s.isUndefined())
        return Value();
    return str(QString::fromStdString(s.str()).toLower().toStdString());
}

Value fnUppercase(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &s = arg(a, 0);
    if (s.isUndefined())
        return Value();
    return str(QString::fromStdString(s.str()).toUpper().toStdString());
}

Value fnLength(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &s = arg(a, 0);
    if (s.isUndefined())
        return Value();
    return num(double(toCodePoints(s.str()).size()));
}

Value fnTrim(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &s = arg(a, 0);
    if (s.isUndefined())
        return Value();
    std::string out;
    bool inWs = false;
    for (char c : s.str()) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            inWs = true;
        } else {
            if (inWs)
                out += ' ';
            inWs = false;
            out += c;
        }
    }
    if (inWs)
        out += ' ';
    if (!out.empty() && out[0] == ' ')
        out.erase(0, 1);
    if (!out.empty() && out.back() == ' ')
        out.pop_back();
    return str(out);
}

Value fnPad(Evaluator &ev, Args &a, const Value &, const FramePtr &)
{
    const Value &s = arg(a, 0);
    if (s.isUndefined())
        return Value();
    std::string ch = arg(a, 2).isString() && !arg(a, 2).str().empty() ? arg(a, 2).str() : " ";
    double width = arg(a, 1).num();
    std::u32string cps = toCodePoints(s.str());
    long size = toInt(std::fabs(width));
    long padChars = size - long(cps.size());
    if (padChars <= 0)
        return s;
    // each padding character takes at least one byte
    ev.checkString(s.str().size() + size_t(padChars));
    ev.chargeBytes(size_t(padChars) * 4);
    std::u32string chCps = toCodePoints(ch);
    std::u32string padding;
    while (long(padding.size()) < padChars)
        padding += chCps;
    padding.resize(size_t(padChars));
    std::string p = fromCodePoints(padding);
    return str(width < 0 ? p + s.str() : s.str() + p);
}

// JS-style regex iteration over a UTF-16 string.
struct RegexMatchInfo
{
    int start = 0;
    int end = 0;
    QString match;
    std::vector<QString> groups;
    std::vector<bool> groupMatched;
};

std::vector<RegexMatchInfo> allMatches(const FunctionData &re, const QString &s, long limit)
{
    std::vector<RegexMatchInfo> out;
    int pos = 0;
    bool first = true;
    while (limit < 0 || long(out.size()) < limit) {
        if (!first && pos >= s.size())
            break;
        budgetTick();
        budgetCharge(sizeof(RegexMatchInfo));
        QRegularExpressionMatch m = re.regex->match(s, pos);
        if (!m.hasMatch())
            break;
        RegexMatchInfo info;
        info.start = int(m.capturedStart(0));
        info.end = int(m.capturedEnd(0));
        info.match = m.captured(0);
        if (!first && info.match.isEmpty()) {
            JError e("D1004");
            e.val(Value::string(re.regexSource));
            throw e;
        }
        for (int i = 1; i <= re.regex->captureCount(); ++i) {
            info.groups.push_back(m.captured(i));
            info.groupMatched.push_back(m.capturedStart(i) >= 0);
        }
        out.push_back(info);
        pos = info.end > pos ? info.end : pos + (info.match.isEmpty() ? 0 : 0);
        if (info.match.isEmpty() && first) {
            // lastIndex does not advance on an empty match: the next attempt fails
            first = false;
            if (pos >= s.size())
                break;
            JError e("D1004");
            e.val(Value::string(re.regexSource));
            throw e;
        }
        first = false;
    }
    return out;
}

Value matchObject(const RegexMatchInfo &m, bool withIndexKey)
{
    Value r = Value::newObject();
    ObjectData &o = r.obj();
    o.set("match", str(m.match.toStdString()));
    if (withIndexKey) {
        o.set("index", num(m.start));
    } else {
        o.set("start", num(m.start));
        o.set("end", num(m.end));
    }
    Value g = Value::newArray();
    for (size_t i = 0; i < m.groups.size(); ++i)
        g.arr().items.push_back(m.groupMatched[i] ? str(m.groups[i].toStdString()) : Value());
    o.set("groups", g);
    return r;
}

const FunctionData &requireRegex(const Value &v)
{
    if (!v.isFunction() || v.func().kind != FuncKind::Regex)
        throw JError("T0410").val(v);
    return v.func();
}

Value fnMatch(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &s = arg(a, 0);
    if (s.isUndefined())
        return Value();
    const Value &lim = arg(a, 2);
    if (lim.isDefined() && lim.num() < 0)
        throw argError("D3040", lim, 3);
    Value result = createSequence();
    if (lim.isDefined() && lim.num() == 0)
        return result;
    const FunctionData &re = requireRegex(arg(a, 1));
    auto ms = allMatches(re, QString::fromStdString(s.str()),
                         lim.isDefined() ? long(lim.num()) : -1);
    for (const auto &m : ms)
        result.arr().items.push_back(matchObject(m, true));
    return result;
}

Value fnContains(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &s = arg(a, 0);
    if (s.isUndefined())
        return Value();
    const Value &t = arg(a, 1);
    if (t.isUndefined())
        return Value();
    if (t.isString())
        return Value::boolean(s.str().find(t.str()) != std::string::npos);
    const FunctionData &re = requireRegex(t);
    return Value::boolean(re.regex->match(QString::fromStdString(s.str())).hasMatch());
}

QString expandReplacement(const QString &rep, const RegexMatchInfo &m)
{
    QString sub;
    int position = 0;
    int index = rep.indexOf('$', position);
    while (index != -1 && position < rep.size()) {
        sub += rep.mid(position, index - position);
        position = index + 1;
        QChar d = position < rep.size() ? rep[position] : QChar();
        if (d == '$') {
            sub += '$';
            ++position;
        } else if (d == '0') {
            sub += m.match;
            ++position;
        } else {
            int ngroups = int(m.groups.size());
            int maxDigits = ngroups == 0 ? 1 : int(std::floor(std::log10(double(ngroups)))) + 1;
            auto parseDigits = [&](int n, int &consumed) {
                int v = 0;
                consumed = 0;
                for (int i = 0; i < n && position + i < rep.size() && rep[position + i].isDigit();
                     ++i) {
                    v = v * 10 + rep[position + i].digitValue();
                    ++consumed;
                }
                return consumed ? v : -1;
            };
            int consumed;
            int gi = parseDigits(maxDigits, consumed);
            if (maxDigits > 1 && gi > ngroups)
                gi = parseDigits(maxDigits - 1, consumed);
            if (gi >= 0) {
                if (ngroups > 0 && gi >= 1 && gi <= ngroups && m.groupMatched[size_t(gi - 1)])
                    sub += m.groups[size_t(gi - 1)];
                position += int(QString::number(gi).size());
            } else {
                sub += '$';
            }
        }
        index = rep.indexOf('$', position);
    }
    sub += rep.mid(position);
    return sub;
}

Value fnReplace(Evaluator &ev, Args &a, const Value &, const FramePtr &env)
{
    const Value &s = arg(a, 0);
    if (s.isUndefined())
        return Value();
    const Value &pattern = arg(a, 1);
    const Value &rep = arg(a, 2);
    const Value &lim = arg(a, 3);
    if (pattern.isString() && pattern.str().empty())
        throw argError("D3010", pattern, 2);
    if (lim.isDefined() && lim.num() < 0)
        throw argError("D3011", lim, 4);
    long limit = lim.isDefined() ? long(lim.num()) : -1;
    if (limit == 0)
        return s;
    if (pattern.isString()) {
        const std::string &src = s.str();
        const std::string &pat = pattern.str();
        std::string repl = rep.isString() ? rep.str() : std::string();
        std::string out;
        size_t pos = 0;
        long count = 0;
        size_t idx = src.find(pat, pos);
        while (idx != std::string::npos && (limit < 0 || count < limit)) {
            ev.checkString(out.size() + (idx - pos) + repl.size());
            ev.checkTime();
            out += src.substr(pos, idx - pos);
            out += repl;
            pos = idx + pat.size();
            ++count;
            idx = src.find(pat, pos);
        }
        out += src.substr(pos);
        return str(out);
    }
    const FunctionData &re = requireRegex(pattern);
    QString qs = QString::fromStdString(s.str());
    auto ms = allMatches(re, qs, limit);
    if (ms.empty())
        return s;
    QString out;
    int position = 0;
    QString repStr = rep.isString() ? QString::fromStdString(rep.str()) : QString();
    for (const auto &m : ms) {
        ev.checkString(size_t(out.size()) * 2);
        ev.checkTime();
        out += qs.mid(position, m.start - position);
        if (rep.isString()) {
            out += expandReplacement(repStr, m);
        } else {
            Value mo = matchObject(m, false);
            std::vector<Value> args{mo};
            Value r = ev.apply(rep, args, Value(), env);
            if (!r.isString())
                throw JError("D3012").val(r);
            out += QString::fromStdString(r.str());
        }
        position = m.start + int(m.match.size());
    }
    out += qs.mid(position);
    return str(out.toStdString());
}

Value fnSplit(Evaluator &ev, Args &a, const Value &, const FramePtr &)
{
    const Value &s = arg(a, 0);
    if (s.isUndefined())
        return Value();
    const Value &sep = arg(a, 1);
    const Value &lim = arg(a, 2);
    if (lim.isDefined() && lim.num() < 0)
        throw argError("D3020", lim, 3);
    long limit = lim.isDefined() ? long(lim.num()) : -1;
    Value result = Value::newArray();
    auto &out = result.arr().items;
    if (limit == 0)
        return result;
    QString qs = QString::fromStdString(s.str());
    if (sep.isString()) {
        QString qsep = QString::fromStdString(sep.str());
        // refused before the parts are built: one value per part
        ev.checkArray(size_t(qsep.isEmpty() ? qs.size() : qs.count(qsep) + 1));
        if (qsep.isEmpty()) {
            for (int i = 0; i < qs.size() && (limit < 0 || long(out.size()) < limit); ++i)
                out.push_back(str(QString(qs[i]).toStdString()));
        } else {
            const QStringList parts = qs.split(qsep);
            for (const auto &p : parts) {
                if (limit >= 0 && long(out.size()) >= limit)
                    break;
                out.push_back(str(p.toStdString()));
            }
        }
        return result;
    }
    const FunctionData &re = requireRegex(sep);
    auto ms = allMatches(re, qs, limit);
    if (ms.empty()) {
        out.push_back(s);
        return result;
    }
    int start = 0;
    for (const auto &m : ms) {
        out.push_back(str(qs.mid(start, m.start - start).toStdString()));
        start = m.end;
    }
    if (limit < 0 || long(ms.size()) < limit)
        out.push_back(str(qs.mid(start).toStdString()));
    return result;
}

Value fnJoin(Evaluator &ev, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    std::string sep = arg(a, 1).isString() ? arg(a, 1).str() : "";
    size_t total = 0;
    for (const auto &i : v.arr().items)
        total += i.str().size() + sep.size();
    ev.checkString(total);
    std::string out;
    bool first = true;
    for (const auto &i : v.arr().items) {
        if (!first)
            out += sep;
        first = false;
        out += i.str();
    }
    return str(out);
}

// ---- numbers
Value fnNumber(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    if (v.isNumber())
        return v;
    if (v.isBool())
        return num(v.boolValue() ? 1 : 0);
    if (v.isString()) {
        static const QRegularExpression dec(
            QStringLiteral("^-?[0-9]+(\\.[0-9]+)?([Ee][-+]?[0-9]+)?$"));
        static const QRegularExpression based(
            QStringLiteral("^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$"));
        QString s = QString::fromStdString(v.str());
        if (dec.match(s).hasMatch()) {
            double d = std::strtod(v.str().c_str(), nullptr);
            if (std::isfinite(d))
                return num(d);
        } else if (based.match(s).hasMatch()) {
            int base = 10;
            QChar p = s[1].toLower();
            base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
            bool ok = false;
            qulonglong n = s.mid(2).toULongLong(&ok, base);
            if (ok)
                return num(double(n));
        }
    }
    throw argError("D3030", v, 1);
}

Value fnFloor(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    return v.isUndefined() ? Value() : num(std::floor(v.num()));
}

Value fnCeil(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    return v.isUndefined() ? Value() : num(std::ceil(v.num()));
}

Value fnAbs(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    return v.isUndefined() ? Value() : num(std::fabs(v.num()));
}

Value fnSqrt(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    if (v.num() < 0)
        throw argError("D3060", v, 1);
    return num(std::sqrt(v.num()));
}

Value fnPower(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &b = arg(a, 0);
    if (b.isUndefined())
        return Value();
    double r = std::pow(b.num(), arg(a, 1).num());
    if (!std::isfinite(r)) {
        JError e("D3061");
        e.value = b;
        e.value2 = arg(a, 1);
        throw e;
    }
    return num(r);
}

double jsRound(double x) { return std::floor(x + 0.5); }

double shiftExp(double v, int shift)
{
    // emulate +(mantissa + 'e' + (exp + shift)) on the JS string form
    std::string s = formatJsNumber(v);
    size_t e = s.find('e');
    std::string mant = e == std::string::npos ? s : s.substr(0, e);
    int exp = e == std::string::npos ? 0 : std::atoi(s.c_str() + e + 1);
    std::string t = mant + "e" + std::to_string(exp + shift);
    return std::strtod(t.c_str(), nullptr);
}

Value fnRound(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    double x = v.num();
    int precision = arg(a, 1).isDefined() ? int(arg(a, 1).num()) : 0;
    if (precision)
        x = shiftExp(x, precision);
    double result = jsRound(x);
    double diff = result - x;
    if (std::fabs(diff) == 0.5 && std::fabs(std::fmod(result, 2)) == 1)
        result -= 1;
    if (precision)
        result = shiftExp(result, -precision);
    if (result == 0)
        result = 0;
    return num(result);
}

Value fnRandom(Evaluator &, Args &, const Value &, const FramePtr &)
{
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return num(std::uniform_real_distribution<double>(0, 1)(rng));
}

// ---- boolean
Value fnBoolean(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    bool defined;
    bool b = toBoolean(arg(a, 0), defined);
    return defined ? Value::boolean(b) : Value();
}

Value fnNot(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    bool defined;
    bool b = toBoolean(arg(a, 0), defined);
    return defined ? Value::boolean(!b) : Value();
}

Value fnExists(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    return Value::boolean(arg(a, 0).isDefined());
}

// ---- higher order
Value fnMap(Evaluator &ev, Args &a, const Value &, const FramePtr &env)
{
    const Value &arr = arg(a, 0);
    if (arr.isUndefined())
        return Value();
    Value result = createSequence();
    const auto items = arr.arr().items;
    for (size_t i = 0; i < items.size(); ++i) {
        Value idx = num(double(i));
        Value r = ev.callHof(arg(a, 1), items[i], &idx, &arr, env);
        if (r.isDefined())
            result.arr().items.push_back(r);
    }
    return result;
}

Value fnFilter(Evaluator &ev, Args &a, const Value &, const FramePtr &env)
{
    const Value &arr = arg(a, 0);
    if (arr.isUndefined())
        return Value();
    Value result = createSequence();
    const auto items = arr.arr().items;
    for (size_t i = 0; i < items.size(); ++i) {
        Value idx = num(double(i));
        if (truthy(ev.callHof(arg(a, 1), items[i], &idx, &arr, env)))
            result.arr().items.push_back(items[i]);
    }
    return result;
}

Value fnSingle(Evaluator &ev, Args &a, const Value &, const FramePtr &env)
{
    const Value &arr = arg(a, 0);
    if (arr.isUndefined())
        return Value();
    bool found = false;
    Value result;
    const auto items = arr.arr().items;
    for (size_t i = 0; i < items.size(); ++i) {
        bool pos = true;
        if (arg(a, 1).isDefined()) {
            Value idx = num(double(i));
            pos = truthy(ev.callHof(arg(a, 1), items[i], &idx, &arr, env));
        }
        if (pos) {
            if (found)
                throw JError("D3138");
            found = true;
            result = items[i];
        }
    }
    if (!found)
        throw JError("D3139");
    return result;
}

Value fnReduce(Evaluator &ev, Args &a, const Value &, const FramePtr &env)
{
    const Value &seq = arg(a, 0);
    if (seq.isUndefined())
        return Value();
    const Value &fn = arg(a, 1);
    int arity = functionArity(fn);
    if (arity < 2)
        throw argError("D3050", fn, 1);
    const auto items = seq.arr().items;
    Value result;
    size_t index;
    if (arg(a, 2).isUndefined() && !items.empty()) {
        result = items[0];
        index = 1;
    } else {
        result = arg(a, 2);
        index = 0;
    }
    for (; index < items.size(); ++index) {
        std::vector<Value> args{result, items[index]};
        if (arity >= 3)
            args.push_back(num(double(index)));
        if (arity >= 4)
            args.push_back(seq);
        result = ev.apply(fn, args, Value(), env);
    }
    return result;
}

Value fnSift(Evaluator &ev, Args &a, const Value &, const FramePtr &env)
{
    const Value &obj = arg(a, 0);
    if (obj.isUndefined())
        return Value();
    Value result = Value::newObject();
    for (const auto &e : obj.obj().entries) {
        Value key = str(e.first);
        if (truthy(ev.callHof(arg(a, 1), e.second, &key, &obj, env)))
            result.obj().entries.emplace_back(e.first, e.second);
    }
    if (result.obj().size() == 0)
        return Value();
    return result;
}

Value fnEach(Evaluator &ev, Args &a, const Value &, const FramePtr &env)
{
    const Value &obj = arg(a, 0);
    if (obj.isUndefined())
        return Value();
    Value result = createSequence();
    for (const auto &e : obj.obj().entries) {
        Value key = str(e.first);
        Value r = ev.callHof(arg(a, 1), e.second, &key, &obj, env);
        if (r.isDefined())
            result.arr().items.push_back(r);
    }
    return result;
}

Value fnZip(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    Value result = Value::newArray();
    if (a.empty())
        return result;
    size_t len = SIZE_MAX;
    for (const auto &x : a)
        len = std::min(len, x.isArray() ? x.size() : size_t(0));
    for (size_t i = 0; i < len; ++i) {
        Value t = Value::newArray();
        for (const auto &x : a)
            t.arr().items.push_back(x[i]);
        result.arr().items.push_back(t);
    }
    return result;
}

Value fnSort(Evaluator &ev, Args &a, const Value &, const FramePtr &env)
{
    const Value &arr = arg(a, 0);
    if (arr.isUndefined())
        return Value();
    if (arr.size() <= 1)
        return arr;
    const Value &cmp = arg(a, 1);
    std::function<bool(const Value &, const Value &)> swap;
    if (cmp.isUndefined()) {
        bool allNum = true, allStr = true;
        for (const auto &i : arr.arr().items) {
            allNum = allNum && i.isNumber();
            allStr = allStr && i.isString();
        }
        if (!allNum && !allStr)
            throw argError("D3070", arr, 1);
        swap = [allNum](const Value &x, const Value &y) {
            return allNum ? x.num() > y.num() : x.str() > y.str();
        };
    } else {
        swap = [&](const Value &x, const Value &y) {
            std::vector<Value> args{x, y};
            return truthy(ev.apply(cmp, args, Value(), env));
        };
    }
    Value out = Value::newArray();
    out.arr().items = sortValues(arr.arr().items, swap);
    return out;
}

Value fnShuffle(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &arr = arg(a, 0);
    if (arr.isUndefined())
        return Value();
    if (arr.size() <= 1)
        return arr;
    thread_local std::mt19937_64 rng{std::random_device{}()};
    Value out = Value::newArray();
    out.arr().items = arr.arr().items;
    std::shuffle(out.arr().items.begin(), out.arr().items.end(), rng);
    return out;
}

Value fnDistinct(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &arr = arg(a, 0);
    if (arr.isUndefined())
        return Value();
    if (!arr.isArray() || arr.size() <= 1)
        return arr;
    Value out = arr.isSequence() ? createSequence() : Value::newArray();
    auto &items = out.arr().items;
    for (const auto &v : arr.arr().items) {
        bool dup = false;
        for (const auto &w : items)
            if (deepEqual(v, w)) {
                dup = true;
                break;
            }
        if (!dup)
            items.push_back(v);
    }
    return out;
}

// ---- objects / arrays
void collectKeys(const Value &v, std::vector<std::string> &keys)
{
    if (v.isArray()) {
        for (const auto &i : v.arr().items)
            collectKeys(i, keys);
    } else if (v.isObject()) {
        for (const auto &e : v.obj().entries) {
            budgetTick();
            if (std::find(keys.begin(), keys.end(), e.first) == keys.end())
                keys.push_back(e.first);
        }
    }
}

Value fnKeys(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    std::vector<std::string> keys;
    collectKeys(arg(a, 0), keys);
    Value result = createSequence();
    for (auto &k : keys)
        result.arr().items.push_back(str(k));
    return result;
}

Value lookupImpl(const Value &input, const std::string &key)
{
    if (input.isArray()) {
        Value result = createSequence();
        for (const auto &i : input.arr().items) {
            Value r = lookupImpl(i, key);
            if (r.isArray())
                for (const auto &x : r.arr().items)
                    result.arr().items.push_back(x);
            else if (r.isDefined())
                result.arr().items.push_back(r);
        }
        return result;
    }
    if (input.isObject()) {
        const Value *v = input.obj().find(key);
        return v ? *v : Value();
    }
    return Value();
}

Value fnLookup(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    return lookupImpl(arg(a, 0), arg(a, 1).str());
}

Value fnAppend(Evaluator &ev, Args &a, const Value &, const FramePtr &)
{
    auto len = [](const Value &v) { return v.isArray() ? v.size() : 1; };
    ev.checkArray(len(arg(a, 0)) + len(arg(a, 1)));
    return appendValues(arg(a, 0), arg(a, 1));
}

Value spreadImpl(const Value &v)
{
    if (v.isArray()) {
        // one pass (appending one by one copied the array each time)
        std::vector<Value> items;
        bool appended = false;
        for (const auto &i : v.arr().items) {
            budgetTick();
            Value s = spreadImpl(i);
            if (s.isUndefined())
                continue;
            appended = true;
            if (s.isArray())
                items.insert(items.end(), s.arr().items.begin(), s.arr().items.end());
            else
                items.push_back(s);
        }
        Value result = appended ? Value::newArray() : createSequence();
        result.arr().items = std::move(items);
        return result;
    }
    if (v.isObject()) {
        Value result = createSequence();
        for (const auto &e : v.obj().entries) {
            Value o = Value::newObject();
            o.obj().entries.emplace_back(e.first, e.second);
            result.arr().items.push_back(o);
        }
        return result;
    }
    return v;
}

Value fnSpread(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    return spreadImpl(arg(a, 0));
}

Value fnMerge(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &arr = arg(a, 0);
    if (arr.isUndefined())
        return Value();
    Value result = Value::newObject();
    for (const auto &o : arr.arr().items)
        if (o.isObject())
            for (const auto &e : o.obj().entries)
                result.obj().set(e.first, e.second);
    return result;
}

Value fnReverse(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &arr = arg(a, 0);
    if (arr.isUndefined())
        return Value();
    if (arr.size() <= 1)
        return arr;
    Value out = Value::newArray();
    out.arr().items.assign(arr.arr().items.rbegin(), arr.arr().items.rend());
    return out;
}

Value fnError(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    JError e("D3137");
    e.message = arg(a, 0).isString() ? arg(a, 0).str() : "$error() function evaluated";
    throw e;
}

Value fnAssert(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    if (!arg(a, 0).boolValue()) {
        JError e("D3141");
        e.message = arg(a, 1).isString() ? arg(a, 1).str() : "$assert() statement failed";
        throw e;
    }
    return Value();
}

Value fnType(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    return str(typeName(v));
}

Value fnClone(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    return deepClone(arg(a, 0));
}

// ---- encoding
Value fnBase64Encode(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    QByteArray bytes;
    for (char32_t c : toCodePoints(v.str()))
        bytes.append(char(c & 0xFF));
    return str(bytes.toBase64().toStdString());
}

Value fnBase64Decode(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    QByteArray bytes = QByteArray::fromBase64(QByteArray::fromStdString(v.str()));
    std::string out;
    for (char c : bytes)
        appendUtf8(out, uint32_t(static_cast<unsigned char>(c)));
    return str(out);
}

bool hasLoneSurrogate(const std::string &s)
{
    for (char32_t c : toCodePoints(s))
        if (c >= 0xD800 && c <= 0xDFFF)
            return true;
    return false;
}

std::string percentEncode(const std::string &s, const char *keep)
{
    static const char *hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (isalnum(c) || std::strchr("-_.!~*'()", c) || (c && std::strchr(keep, c))) {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

Value encodeWith(Args &a, const char *keep)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    if (hasLoneSurrogate(v.str()))
        throw JError("D3140").val(v);
    return str(percentEncode(v.str(), keep));
}

Value fnEncodeUrlComponent(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    return encodeWith(a, "");
}

Value fnEncodeUrl(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    return encodeWith(a, ";,/?:@&=+$#");
}

Value decodeWith(Args &a, const char *reserved)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    const std::string &s = v.str();
    std::string bytes;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            bytes += s[i];
            continue;
        }
        if (i + 2 >= s.size() || !isxdigit(static_cast<unsigned char>(s[i + 1]))
            || !isxdigit(static_cast<unsigned char>(s[i + 2])))
            throw JError("D3140").val(v);
        int c = std::stoi(s.substr(i + 1, 2), nullptr, 16);
        if (c < 0x80 && std::strchr(reserved, c) && c != 0) {
            bytes += s.substr(i, 3);
        } else {
            bytes += char(c);
        }
        i += 2;
    }
    // validate UTF-8
    QString q = QString::fromUtf8(bytes.data(), int(bytes.size()));
    if (q.toUtf8() != QByteArray::fromStdString(bytes))
        throw JError("D3140").val(v);
    return str(bytes);
}

Value fnDecodeUrlComponent(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    return decodeWith(a, "");
}

Value fnDecodeUrl(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    return decodeWith(a, ";,/?:@&=+$#");
}

// ---- eval / time / formatting
Value fnEval(Evaluator &ev, Args &a, const Value &input, const FramePtr &env)
{
    const Value &expr = arg(a, 0);
    if (expr.isUndefined())
        return Value();
    Value focus = input;
    if (arg(a, 1).isDefined()) {
        focus = arg(a, 1);
        if (focus.isArray() && !focus.isSequence()) {
            Value w = createSequence(focus);
            w.arr().outerWrapper = true;
            focus = w;
        }
    }
    return ev.evalString(expr.str(), focus, env);
}

Value fnNow(Evaluator &ev, Args &a, const Value &, const FramePtr &)
{
    return str(dateTimeFromMillis(ev.timestampMs, arg(a, 0), arg(a, 1)));
}

Value fnMillis(Evaluator &ev, Args &, const Value &, const FramePtr &)
{
    return num(ev.timestampMs);
}

Value fnFromMillis(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    return str(dateTimeFromMillis(v.num(), arg(a, 1), arg(a, 2)));
}

Value fnToMillis(Evaluator &ev, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    return dateTimeToMillis(v.str(), arg(a, 1), ev.timestampMs);
}

Value fnFormatNumber(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    return str(formatNumberPicture(v.num(), arg(a, 1).str(), arg(a, 2)));
}

Value fnFormatBase(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    double value = v.num();
    double r = jsRound(value);
    if (std::fabs(r - value) == 0.5 && std::fabs(std::fmod(r, 2)) == 1)
        r -= 1;
    int radix = arg(a, 1).isDefined() ? int(arg(a, 1).num()) : 10;
    if (radix < 2 || radix > 36)
        throw argError("D3100", arg(a, 1), 2);
    bool neg = r < 0;
    unsigned long long n = (unsigned long long)std::fabs(r);
    std::string out;
    do {
        int d = int(n % unsigned(radix));
        out += char(d < 10 ? '0' + d : 'a' + d - 10);
        n /= unsigned(radix);
    } while (n);
    if (neg)
        out += '-';
    std::reverse(out.begin(), out.end());
    return str(out);
}

Value fnFormatInteger(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    return str(formatIntegerPicture(v.num(), arg(a, 1).str()));
}

Value fnParseInteger(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    return parseIntegerPicture(v.str(), arg(a, 1).str());
}

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
