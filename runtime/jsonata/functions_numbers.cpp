// Built-ins on numbers: aggregation, arithmetic, rounding, booleans.
#include "runtime/jsonata/functions_impl.h"

#include <QRegularExpression>
#include <QString>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>

namespace sb::jsonata::fn {

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


namespace {

double shiftExp(double v, int shift)
{
    // emulate +(mantissa + 'e' + (exp + shift)) on the JS string form: the shortest
    // round-trip digits are the same, so write them in a buffer and move the exponent
    if (v == 0 || !std::isfinite(v))
        return v == 0 ? 0.0 : v;
    char buf[64];
    auto res = std::to_chars(buf, buf + 32, v, std::chars_format::scientific);
    char *e = std::find(buf, res.ptr, 'e');
    *res.ptr = '\0';
    const int exp = e == res.ptr ? 0 : std::atoi(e + 1);
    std::snprintf(e, size_t(buf + sizeof buf - e), "e%d", exp + shift);
    return std::strtod(buf, nullptr);
}

} // namespace

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

} // namespace sb::jsonata::fn
