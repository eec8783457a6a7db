// Built-ins that take a pattern (a string or a regular expression): $match,
// $contains, $replace, $split.
#include "runtime/jsonata/functions_impl.h"

#include <QRegularExpression>
#include <QString>
#include <algorithm>
#include <cmath>

namespace sb::jsonata::fn {

namespace {

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
        out.push_back(std::move(info));
        const RegexMatchInfo &last = out.back();
        pos = last.end > pos ? last.end : pos;
        if (last.match.isEmpty() && first) {
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
    auto &entries = r.obj().entries; // distinct keys: appended without a lookup
    entries.reserve(4);
    entries.emplace_back("match", str(m.match.toStdString()));
    if (withIndexKey) {
        entries.emplace_back("index", num(m.start));
    } else {
        entries.emplace_back("start", num(m.start));
        entries.emplace_back("end", num(m.end));
    }
    Value g = Value::newArray();
    g.arr().items.reserve(m.groups.size());
    for (size_t i = 0; i < m.groups.size(); ++i)
        g.arr().items.push_back(m.groupMatched[i] ? str(m.groups[i].toStdString()) : Value());
    entries.emplace_back("groups", g);
    return r;
}

const FunctionData &requireRegex(const Value &v)
{
    if (!v.isFunction() || v.func().kind != FuncKind::Regex)
        throw JError("T0410").val(v);
    return v.func();
}

bool isCustomMatcher(const Value &v)
{
    return v.isFunction() && v.func().kind != FuncKind::Regex;
}

// Calls a custom matcher (a function given where a pattern goes): it returns undefined or
// an object {match, start, end, groups, next}; anything else is T1010, as in the reference.
Value callMatcher(Evaluator &ev, const Value &matcher, const Value &s, const FramePtr &env)
{
    if (!matcher.isFunction())
        return Value();
    std::vector<Value> args{s};
    Value r = ev.apply(matcher, args, Value(), env);
    bool truthy = r.isObject() || r.isArray() || r.isFunction()
                  || (r.isString() && !r.str().empty()) || (r.isBool() && r.boolValue())
                  || (r.isNumber() && r.num() != 0 && !std::isnan(r.num()));
    if (!truthy)
        return Value();
    const ObjectData *o = r.isObject() ? &r.obj() : nullptr;
    auto field = [o](const char *key) {
        const Value *v = o ? o->find(key) : nullptr;
        return v ? *v : Value();
    };
    if (!(field("start").isNumber() || field("groups").isArray()
          || field("next").isFunction()))
        throw JError("T1010");
    return r;
}

// All matches of a custom matcher: each one's next() gives the following.
std::vector<Value> customMatches(Evaluator &ev, const Value &matcher, const Value &s,
                                 long limit, const FramePtr &env)
{
    std::vector<Value> out;
    Value m = callMatcher(ev, matcher, s, env);
    while (m.isObject() && (limit < 0 || long(out.size()) < limit)) {
        ev.checkTime();
        out.push_back(m);
        const Value *next = m.obj().find("next");
        m = next ? callMatcher(ev, *next, Value(), env) : Value();
    }
    return out;
}

Value fieldOf(const Value &o, const char *key)
{
    const Value *v = o.isObject() ? o.obj().find(key) : nullptr;
    return v ? *v : Value();
}

} // namespace

Value fnMatch(Evaluator &ev, Args &a, const Value &, const FramePtr &env)
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
    if (isCustomMatcher(arg(a, 1))) {
        for (const Value &m : customMatches(ev, arg(a, 1), s,
                                            lim.isDefined() ? long(lim.num()) : -1, env)) {
            Value r = Value::newObject();
            r.obj().set("match", fieldOf(m, "match"));
            r.obj().set("index", fieldOf(m, "start"));
            r.obj().set("groups", fieldOf(m, "groups"));
            result.arr().items.push_back(r);
        }
        return result;
    }
    const FunctionData &re = requireRegex(arg(a, 1));
    auto ms = allMatches(re, QString::fromStdString(s.str()),
                         lim.isDefined() ? long(lim.num()) : -1);
    for (const auto &m : ms)
        result.arr().items.push_back(matchObject(m, true));
    return result;
}

Value fnContains(Evaluator &ev, Args &a, const Value &, const FramePtr &env)
{
    const Value &s = arg(a, 0);
    if (s.isUndefined())
        return Value();
    const Value &t = arg(a, 1);
    if (t.isUndefined())
        return Value();
    if (t.isString())
        return Value::boolean(s.str().find(t.str()) != std::string::npos);
    if (isCustomMatcher(t))
        return Value::boolean(callMatcher(ev, t, s, env).isDefined());
    const FunctionData &re = requireRegex(t);
    return Value::boolean(re.regex->match(QString::fromStdString(s.str())).hasMatch());
}

namespace {

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

} // namespace

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

// $split on a plain separator, on the UTF-8 bytes: the same parts as on UTF-16 when
// neither string holds a surrogate (WTF-8 0xED lead bytes), else false (QString path).
static bool splitUtf8(Evaluator &ev, const std::string &s, const std::string &sep, long limit,
                      std::vector<Value> &out)
{
    if (sep.empty() || s.find('\xED') != std::string::npos
        || sep.find('\xED') != std::string::npos)
        return false;
    size_t matches = 0; // overlapping, as QString::count counts them
    for (size_t p = s.find(sep); p != std::string::npos; p = s.find(sep, p + 1))
        ++matches;
    ev.checkArray(matches + 1); // refused before the parts are built: one value per part
    size_t start = 0;
    while (limit < 0 || long(out.size()) < limit) {
        const size_t p = s.find(sep, start);
        if (p == std::string::npos) {
            out.push_back(str(s.substr(start)));
            break;
        }
        out.push_back(str(s.substr(start, p - start)));
        start = p + sep.size();
    }
    return true;
}

Value fnSplit(Evaluator &ev, Args &a, const Value &, const FramePtr &env)
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
    if (sep.isString() && splitUtf8(ev, s.str(), sep.str(), limit, out))
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
    if (isCustomMatcher(sep)) {
        const auto ms = customMatches(ev, sep, s, limit, env);
        if (ms.empty()) {
            out.push_back(s);
            return result;
        }
        int start = 0; // start and end count UTF-16 units, as the reference's do
        for (const Value &m : ms) {
            const Value b = fieldOf(m, "start");
            const int to = b.isNumber() ? int(b.num()) : start;
            out.push_back(str(qs.mid(start, std::max(0, to - start)).toStdString()));
            const Value e = fieldOf(m, "end");
            start = e.isNumber() ? int(e.num()) : start;
        }
        if (limit < 0 || long(ms.size()) < limit)
            out.push_back(str(qs.mid(start).toStdString()));
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

} // namespace sb::jsonata::fn
