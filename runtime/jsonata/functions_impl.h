#pragma once

// Shared by the built-in function files (functions_*.cpp): argument helpers and the
// native functions each family defines, which functions.cpp puts in its registry.

#include "runtime/jsonata/internal.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace sb::jsonata {

std::vector<Value> sortValues(const std::vector<Value> &arr,
                              const std::function<bool(const Value &, const Value &)> &swap);

namespace fn {

using Args = std::vector<Value>;

inline const Value &arg(const Args &a, size_t i)
{
    static const Value undef;
    return i < a.size() ? a[i] : undef;
}

inline Value str(std::string s) { return Value::string(std::move(s)); }
inline Value num(double d) { return Value::number(d); }

inline bool isNum(const Value &v) { return v.isNumber() && !std::isnan(v.num()); }

inline JError argError(const char *code, const Value &v, int index)
{
    JError e(code);
    e.value = v;
    e.index = index;
    return e;
}

inline std::string cpSlice(const std::u32string &cps, long start, long end)
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

inline long toInt(double d)
{
    if (std::isnan(d))
        return 0;
    if (d > 1e15)
        return long(1e15);
    if (d < -1e15)
        return long(-1e15);
    return long(std::trunc(d));
}

inline double jsRound(double x) { return std::floor(x + 0.5); }

// The native functions, by family (each file's name says where).
// functions_arrays.cpp
Value fnZip(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnShuffle(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnDistinct(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnKeys(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnLookup(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnAppend(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnSpread(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnMerge(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnReverse(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnError(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnAssert(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnType(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnClone(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
// functions_encoding.cpp
Value fnBase64Encode(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnBase64Decode(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnEncodeUrlComponent(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnEncodeUrl(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnDecodeUrlComponent(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnDecodeUrl(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
// functions_format.cpp
Value fnNow(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnMillis(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnFromMillis(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnToMillis(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnFormatNumber(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnFormatBase(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnFormatInteger(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnParseInteger(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
// functions_higher.cpp
Value fnMap(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnFilter(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnSingle(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnReduce(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnSift(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnEach(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnSort(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnEval(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
// functions_numbers.cpp
Value fnSum(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnCount(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnMax(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnMin(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnAverage(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnNumber(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnFloor(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnCeil(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnAbs(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnSqrt(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnPower(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnRound(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnRandom(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnBoolean(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnNot(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnExists(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
// functions_regex.cpp
Value fnMatch(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnContains(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnReplace(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnSplit(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
// functions_strings.cpp
Value fnString(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnSubstring(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnSubstringBefore(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnSubstringAfter(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnLowercase(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnUppercase(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnLength(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnTrim(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnPad(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);
Value fnJoin(Evaluator &ev, Args &a, const Value &input, const FramePtr &env);

} // namespace fn
} // namespace sb::jsonata
