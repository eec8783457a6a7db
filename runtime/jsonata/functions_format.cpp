// Formatting and date/time built-ins: pictures for numbers, integers and bases, and
// the clock ($now, $millis, $fromMillis, $toMillis).
#include "runtime/jsonata/functions_impl.h"

#include <cmath>

namespace sb::jsonata::fn {

Value fnNow(Evaluator &ev, Args &a, const Value &, const FramePtr &)
{
    return str(dateTimeFromMillis(ev.timestampMs(), arg(a, 0), arg(a, 1)));
}

Value fnMillis(Evaluator &ev, Args &, const Value &, const FramePtr &)
{
    return num(ev.timestampMs());
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
    return dateTimeToMillis(v.str(), arg(a, 1), ev.timestampMs());
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

} // namespace sb::jsonata::fn
