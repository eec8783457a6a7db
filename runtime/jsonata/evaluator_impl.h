#pragma once

// Shared by the evaluator's files (evaluator*.cpp): small helpers on values and tuples.

#include "runtime/jsonata/internal.h"

#include <cmath>

namespace sb::jsonata {

// A number the arithmetic operators accept: NaN is not one, infinity is an error (D1001).
inline bool isNumeric(const Value &v)
{
    if (!v.isNumber())
        return false;
    double d = v.num();
    if (std::isnan(d))
        return false;
    if (!std::isfinite(d))
        throw JError("D1001").val(v);
    return true;
}

// A frame holding the variables a tuple-stream entry binds.
inline FramePtr frameFromTuple(const FramePtr &env, const Value &tuple)
{
    auto f = std::make_shared<Frame>(env);
    if (!tuple.isObject())
        return f;
    for (const auto &e : tuple.obj().entries)
        f->vars.emplace_back(e.first, e.second);
    return f;
}

// The focus ("@") of a tuple-stream entry.
inline const Value &tupleAt(const Value &tuple)
{
    static const Value undef;
    if (!tuple.isObject())
        return undef;
    const Value *v = tuple.obj().find("@");
    return v ? *v : undef;
}

inline const Value &builtinValue(const Builtin *b) { return b->value; }

} // namespace sb::jsonata
