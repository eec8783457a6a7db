// Grouping (object constructors) and sorting (the order-by operator, $sort).
#include "runtime/jsonata/evaluator_impl.h"

#include <algorithm>
#include <functional>

namespace sb::jsonata {

Value Evaluator::evaluateGroup(const GroupSpec &g, const Value &inputIn, const FramePtr &env)
{
    bool reduce = inputIn.isArray() && inputIn.arr().tupleStream;
    std::vector<Value> input;
    if (inputIn.isArray())
        input = inputIn.arr().items;
    else
        input.push_back(inputIn);
    if (input.empty())
        input.emplace_back();

    struct Entry
    {
        std::string key;
        Value data;
        size_t exprIndex;
    };
    std::vector<Entry> groups;
    std::unordered_map<std::string, size_t> index;
    for (const auto &item : input) {
        FramePtr e2 = reduce ? frameFromTuple(env, item) : env;
        for (size_t pi = 0; pi < g.pairs.size(); ++pi) {
            Value key = evaluate(g.pairs[pi].first.get(), reduce ? tupleAt(item) : item, e2);
            if (key.isUndefined())
                continue;
            if (!key.isString()) {
                JError e("T1003", g.position);
                e.val(key);
                throw e;
            }
            auto it = index.find(key.str());
            if (it != index.end()) {
                Entry &en = groups[it->second];
                if (en.exprIndex != pi) {
                    JError e("D1009", g.position);
                    e.val(key);
                    throw e;
                }
                en.data = appendValues(en.data, item);
            } else {
                chargeBytes(2 * key.str().size() + 96);
                index.emplace(key.str(), groups.size());
                groups.push_back({key.str(), item, pi});
            }
        }
    }
    Value result = Value::newObject();
    ObjectData &obj = result.obj();
    obj.entries.reserve(groups.size());
    for (auto &en : groups) {
        Value context = en.data;
        FramePtr e2 = env;
        if (reduce) {
            // merge the tuples of the group: each binding becomes the sequence of its values
            auto merged = std::make_shared<ObjectData>();
            // An empty tuple stream groups one undefined item: it carries no bindings.
            if (en.data.isArray()) {
                bool first = true;
                for (const Value &t : en.data.arr().items) {
                    if (!t.isObject())
                        continue;
                    if (first) {
                        merged->entries = t.obj().entries;
                        first = false;
                        continue;
                    }
                    for (const auto &p : t.obj().entries) {
                        const Value *cur = merged->find(p.first);
                        merged->set(p.first, appendValues(cur ? *cur : Value(), p.second));
                    }
                }
            } else if (en.data.isObject()) {
                merged->entries = en.data.obj().entries;
            }
            const Value *at = merged->find("@");
            context = at ? *at : Value();
            merged->erase("@");
            e2 = frameFromTuple(env, Value::object(merged));
        }
        Value v = evaluate(g.pairs[en.exprIndex].second.get(), context, e2);
        if (v.isDefined())
            obj.entries.emplace_back(en.key, std::move(v));
    }
    return result;
}

// Stable merge sort matching the reference: `swap(a, b)` true means b goes first.
template <typename Swap>
static std::vector<Value> mergeSort(const std::vector<Value> &arr, Swap &swap)
{
    if (arr.size() <= 1)
        return arr;
    size_t mid = arr.size() / 2;
    std::vector<Value> left(arr.begin(), arr.begin() + long(mid));
    std::vector<Value> right(arr.begin() + long(mid), arr.end());
    left = mergeSort(left, swap);
    right = mergeSort(right, swap);
    std::vector<Value> out;
    out.reserve(arr.size());
    size_t l = 0, r = 0;
    while (l < left.size() && r < right.size()) {
        if (swap(left[l], right[r]))
            out.push_back(right[r++]);
        else
            out.push_back(left[l++]);
    }
    while (l < left.size())
        out.push_back(left[l++]);
    while (r < right.size())
        out.push_back(right[r++]);
    return out;
}

std::vector<Value> sortValues(const std::vector<Value> &arr,
                              const std::function<bool(const Value &, const Value &)> &swap)
{
    return mergeSort(arr, swap);
}

Value Evaluator::evaluateSort(const Node *expr, const Value &input, const FramePtr &env)
{
    if (!input.isArray())
        return input;
    bool isTupleSort = input.arr().tupleStream;
    if (input.size() <= 1)
        return input;
    auto swap = [&](const Value &a, const Value &b) {
        int comp = 0;
        for (size_t i = 0; comp == 0 && i < expr->terms.size(); ++i) {
            const SortTerm &term = expr->terms[i];
            Value aa, bb;
            if (isTupleSort) {
                aa = evaluate(term.expression.get(), tupleAt(a), frameFromTuple(env, a));
                bb = evaluate(term.expression.get(), tupleAt(b), frameFromTuple(env, b));
            } else {
                aa = evaluate(term.expression.get(), a, env);
                bb = evaluate(term.expression.get(), b, env);
            }
            if (aa.isUndefined()) {
                comp = bb.isUndefined() ? 0 : 1;
                continue;
            }
            if (bb.isUndefined()) {
                comp = -1;
                continue;
            }
            bool aok = aa.isString() || aa.isNumber();
            bool bok = bb.isString() || bb.isNumber();
            if (!aok || !bok) {
                JError e("T2008", expr->position);
                e.val(!aok ? aa : bb);
                throw e;
            }
            if (aa.type() != bb.type()) {
                JError e("T2007", expr->position);
                e.value = aa;
                e.value2 = bb;
                throw e;
            }
            if (deepEqual(aa, bb))
                continue;
            bool less = aa.isNumber() ? aa.num() < bb.num() : aa.str() < bb.str();
            comp = less ? -1 : 1;
            if (term.descending)
                comp = -comp;
        }
        return comp == 1;
    };
    chargeArray(input.size());
    Value out = Value::newArray();
    out.arr().items = mergeSort(input.arr().items, swap);
    return out;
}

} // namespace sb::jsonata
