// Path evaluation: steps, tuple streams (focus/index/parent bindings), field lookup,
// wildcards, descendants and predicates.
#include "runtime/jsonata/evaluator_impl.h"

#include <algorithm>
#include <cmath>

namespace sb::jsonata {

static bool isArrayOfNumbers(const Value &v)
{
    if (!v.isArray())
        return false;
    for (const auto &i : v.arr().items)
        if (!i.isNumber())
            return false;
    return true;
}

static void flattenInto(Evaluator &ev, const Value &v, std::vector<Value> &out)
{
    if (v.isArray()) {
        ev.checkTime();
        for (const auto &i : v.arr().items)
            flattenInto(ev, i, out);
    } else {
        ev.checkArray(out.size() + 1);
        out.push_back(v);
    }
}

static void recurseDescendants(Evaluator &ev, const Value &input, std::vector<Value> &out)
{
    if (!input.isArray()) {
        ev.checkArray(out.size() + 1);
        ev.checkTime();
        out.push_back(input);
    }
    if (input.isArray()) {
        for (const auto &m : input.arr().items)
            recurseDescendants(ev, m, out);
    } else if (input.isObject()) {
        for (const auto &e : input.obj().entries)
            recurseDescendants(ev, e.second, out);
    }
}


Value Evaluator::evaluatePath(const Node *expr, const Value &input, const FramePtr &env)
{
    const auto &steps = expr->expressions;
    Value inputSeq;
    const Node *first = steps[0].get();
    if (input.isArray() && first->type != NodeType::Variable)
        inputSeq = input;
    else if (!input.isArray() && !first->consarray && !first->tuple
             && first->type != NodeType::Sort)
        inputSeq = input; // evaluateStep treats one item as a sequence of one
    else
        inputSeq = createSequence(input);

    Value resultSeq;
    bool isTuple = false;
    Value tuples;
    bool haveTuples = false;
    bool bare = false; // resultSeq is one value (or undefined) standing for a sequence
    for (size_t ii = 0; ii < steps.size(); ++ii) {
        const Node *step = steps[ii].get();
        if (step->tuple)
            isTuple = true;
        if (ii == 0 && step->consarray) {
            resultSeq = evaluate(step, inputSeq, env);
        } else if (isTuple) {
            tuples = evaluateTupleStep(step, inputSeq, tuples, haveTuples, env);
            haveTuples = true;
        } else {
            bare = !inputSeq.isArray() && step->type != NodeType::Sort;
            resultSeq = evaluateStep(step, inputSeq, env, ii == steps.size() - 1);
            bare = bare && !resultSeq.isArray();
        }
        if (!isTuple
            && (resultSeq.isUndefined() || (resultSeq.isArray() && resultSeq.size() == 0)))
            break;
        if (!step->hasFocus)
            inputSeq = resultSeq;
    }

    // A step over one item leaves one result bare (see evaluateSingleStep): the sequence
    // of one is built only where it is not simply unwrapped by evaluate().
    if (!isTuple && bare
        && (expr->keepSingletonArray || expr->group || expr->keepArray
            || !expr->predicate.empty()))
        resultSeq = resultSeq.isUndefined() ? createSequence() : createSequence(resultSeq);

    if (isTuple) {
        if (expr->tuple) {
            resultSeq = tuples;
        } else {
            resultSeq = createSequence();
            auto &out = resultSeq.arr().items;
            if (tuples.isArray())
                for (const auto &t : tuples.arr().items)
                    out.push_back(tupleAt(t));
        }
    }

    if (expr->keepSingletonArray) {
        if (resultSeq.isArray() && resultSeq.arr().cons && !resultSeq.arr().sequence)
            resultSeq = createSequence(resultSeq);
        if (resultSeq.isArray())
            resultSeq.arr().keepSingleton = true;
    }

    if (expr->group)
        resultSeq = evaluateGroup(*expr->group, isTuple ? tuples : resultSeq, env);
    return resultSeq;
}

Value Evaluator::evaluateStep(const Node *step, const Value &input, const FramePtr &env,
                              bool last)
{
    if (step->type == NodeType::Sort) {
        Value r = evaluateSort(step, input.isArray() ? input : createSequence(input), env);
        if (step->hasStages)
            r = evaluateStages(step->stages, r, env);
        return r;
    }
    if (!input.isArray())
        return evaluateSingleStep(step, input, env, last);
    // The results go straight into the sequence; only when one of them is an array do they
    // need flattening, done below exactly as before.
    Value flatSeq = createSequence();
    std::vector<Value> &collected = flatSeq.arr().items;
    collected.reserve(input.size());
    bool flat = true;
    for (const auto &item : input.arr().items) {
        Value res = evaluate(step, item, env);
        if (step->hasStages)
            for (const auto &st : step->stages)
                if (!st.isIndex)
                    res = evaluateFilter(st.expr.get(), res, env);
        if (res.isDefined()) {
            flat = flat && !res.isArray();
            collected.push_back(std::move(res));
        }
    }
    if (flat) {
        chargeArray(collected.size());
        return flatSeq;
    }
    std::vector<Value> results = std::move(collected);
    if (last && results.size() == 1 && results[0].isArray() && !results[0].arr().sequence)
        return results[0];
    Value seq = createSequence();
    auto &out = seq.arr().items;
    out.reserve(results.size());
    for (auto &res : results) {
        if (!res.isArray() || res.arr().cons) {
            out.push_back(std::move(res));
        } else {
            checkArray(out.size() + res.size());
            out.insert(out.end(), res.arr().items.begin(), res.arr().items.end());
        }
    }
    chargeArray(out.size());
    return seq;
}

// evaluateStep over one item: the same result without building a sequence of one.
Value Evaluator::evaluateSingleStep(const Node *step, const Value &input, const FramePtr &env,
                                    bool last)
{
    Value res = evaluate(step, input, env);
    if (step->hasStages)
        for (const auto &st : step->stages)
            if (!st.isIndex)
                res = evaluateFilter(st.expr.get(), res, env);
    // Undefined or one value: left bare, evaluatePath wraps it where a sequence of one
    // behaves differently from its item.
    if (!res.isArray() || (last && !res.arr().sequence))
        return res;
    Value seq = createSequence();
    auto &out = seq.arr().items;
    if (!res.isArray() || res.arr().cons) {
        out.push_back(std::move(res));
    } else {
        checkArray(res.size());
        if (res.ptr().use_count() == 1)
            out = std::move(res.arr().items); // sole owner: steal instead of copying
        else
            out = res.arr().items;
    }
    chargeArray(out.size());
    return seq;
}

Value Evaluator::evaluateStages(const std::vector<Stage> &stages, Value input,
                                const FramePtr &env)
{
    Value result = input;
    for (const auto &st : stages) {
        if (!st.isIndex) {
            result = evaluateFilter(st.expr.get(), result, env);
        } else if (result.isArray()) {
            auto &items = result.arr().items;
            for (size_t i = 0; i < items.size(); ++i)
                if (items[i].isObject())
                    items[i].obj().set(st.indexVar, Value::number(double(i)));
        }
    }
    return result;
}

Value Evaluator::evaluateTupleStep(const Node *step, const Value &input, const Value &tuples,
                                   bool haveTuples, const FramePtr &env)
{
    if (step->type == NodeType::Sort) {
        Value result;
        if (haveTuples) {
            result = evaluateSort(step, tuples, env);
        } else {
            Value sorted = evaluateSort(step, input, env);
            result = createSequence();
            result.arr().tupleStream = true;
            if (sorted.isArray()) {
                const auto &items = sorted.arr().items;
                for (size_t i = 0; i < items.size(); ++i) {
                    Value t = Value::newObject();
                    t.obj().set("@", items[i]);
                    if (step->hasIndex)
                        t.obj().set(step->indexVar, Value::number(double(i)));
                    result.arr().items.push_back(t);
                }
            }
        }
        if (step->hasStages)
            result = evaluateStages(step->stages, result, env);
        return result;
    }

    Value result = createSequence();
    result.arr().tupleStream = true;
    std::vector<Value> bindings;
    if (!haveTuples) {
        Value in = input.isArray() ? input : createSequence(input);
        for (const auto &item : in.arr().items) {
            Value t = Value::newObject();
            t.obj().entries.emplace_back("@", item);
            bindings.push_back(t);
        }
    } else if (tuples.isArray()) {
        bindings = tuples.arr().items;
    }
    auto &out = result.arr().items;
    for (const auto &tuple : bindings) {
        FramePtr stepEnv = frameFromTuple(env, tuple);
        const Value &ctx = tupleAt(tuple);
        Value res = evaluate(step, ctx, stepEnv);
        if (res.isUndefined())
            continue;
        std::vector<Value> single;
        const std::vector<Value> *items;
        if (res.isArray()) {
            items = &res.arr().items;
        } else {
            single.push_back(res);
            items = &single;
        }
        bool resTuple = res.isArray() && res.arr().tupleStream;
        checkArray(out.size() + items->size());
        chargeBytes(items->size() * (sizeof(ObjectData) + 64 * tuple.obj().size()));
        for (size_t bb = 0; bb < items->size(); ++bb) {
            auto nt = std::make_shared<ObjectData>();
            nt->entries = tuple.obj().entries;
            if (resTuple) {
                for (const auto &e : (*items)[bb].obj().entries)
                    nt->set(e.first, e.second);
            } else {
                if (step->hasFocus) {
                    nt->set(step->focus, (*items)[bb]);
                    nt->set("@", ctx);
                } else {
                    nt->set("@", (*items)[bb]);
                }
                if (step->hasIndex)
                    nt->set(step->indexVar, Value::number(double(bb)));
                if (step->ancestor)
                    nt->set(step->ancestor->label, ctx);
            }
            out.push_back(Value::object(nt));
        }
    }
    if (step->hasStages)
        result = evaluateStages(step->stages, result, env);
    return result;
}

Value Evaluator::evaluateFilter(const Node *pred, const Value &input, const FramePtr &env)
{
    Value results = createSequence();
    bool tupleStream = input.isArray() && input.arr().tupleStream;
    if (tupleStream)
        results.arr().tupleStream = true;
    Value in = input.isArray() ? input : createSequence(input);
    const auto &items = in.arr().items;
    auto &out = results.arr().items;
    if (pred->type == NodeType::Number) {
        double idx = std::floor(pred->literal.num());
        if (idx < 0)
            idx += double(items.size());
        if (idx >= 0 && idx < double(items.size())) {
            const Value &item = items[size_t(idx)];
            if (item.isDefined()) {
                if (item.isArray())
                    return item;
                out.push_back(item);
            }
        }
        return results;
    }
    for (size_t index = 0; index < items.size(); ++index) {
        const Value &item = items[index];
        Value res;
        if (tupleStream) {
            FramePtr e2 = frameFromTuple(env, item);
            res = evaluate(pred, tupleAt(item), e2);
        } else {
            res = evaluate(pred, item, env);
        }
        if (isNumeric(res)) {
            double ii = std::floor(res.num());
            if (ii < 0)
                ii += double(items.size());
            if (ii == double(index))
                out.push_back(item);
        } else if (isArrayOfNumbers(res)) {
            for (const auto &r : res.arr().items) {
                double ii = std::floor(r.num());
                if (ii < 0)
                    ii += double(items.size());
                if (ii == double(index))
                    out.push_back(item);
            }
        } else if (truthy(res)) {
            out.push_back(item);
        }
    }
    return results;
}

Value Evaluator::evaluateWildcard(const Value &input)
{
    Value in = input;
    if (in.isArray() && in.arr().outerWrapper && in.size() > 0)
        in = in[0];
    Value result = createSequence();
    bool plain = false;
    std::vector<Value> out;
    auto take = [&](const Value &v) {
        if (v.isArray()) {
            flattenInto(*this, v, out);
            plain = true;
        } else {
            out.push_back(v);
        }
    };
    if (in.isObject()) {
        for (const auto &e : in.obj().entries)
            take(e.second);
    } else if (in.isArray()) {
        for (const auto &e : in.arr().items)
            take(e);
    }
    chargeArray(out.size());
    result.arr().items = std::move(out);
    if (plain)
        result.arr().sequence = false;
    return result;
}

Value Evaluator::evaluateDescendants(const Value &input)
{
    if (input.isUndefined())
        return Value();
    std::vector<Value> out;
    recurseDescendants(*this, input, out);
    chargeArray(out.size());
    if (out.size() == 1)
        return out[0];
    Value result = createSequence();
    result.arr().items = std::move(out);
    return result;
}

} // namespace sb::jsonata
