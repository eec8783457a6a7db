// Built-ins on arrays and objects, and the ones about values themselves
// ($error, $assert, $type, $clone).
#include "runtime/jsonata/functions_impl.h"

#include <algorithm>
#include <mutex>
#include <random>

namespace sb::jsonata::fn {

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

namespace {

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

} // namespace

Value fnKeys(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    std::vector<std::string> keys;
    collectKeys(arg(a, 0), keys);
    Value result = createSequence();
    for (auto &k : keys)
        result.arr().items.push_back(str(k));
    return result;
}

namespace {

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

} // namespace

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

namespace {

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

} // namespace

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

} // namespace sb::jsonata::fn
