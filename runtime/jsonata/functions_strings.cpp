// Built-ins on strings: conversion, slicing, case, padding, joining.
#include "runtime/jsonata/functions_impl.h"

#include <QString>
#include <algorithm>
#include <cmath>

namespace sb::jsonata::fn {

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

} // namespace sb::jsonata::fn
