// Higher-order built-ins (they call a function argument) and $eval.
#include "runtime/jsonata/functions_impl.h"

#include <algorithm>
#include <cmath>

namespace sb::jsonata::fn {

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

} // namespace sb::jsonata::fn
