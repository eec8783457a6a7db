// The transform operator (| location | update [, delete] |): copies its input and
// applies the update to every location matched in the copy.
#include "runtime/jsonata/evaluator_impl.h"

#include <algorithm>

namespace sb::jsonata {


Value Evaluator::applyTransform(FunctionData &fd, std::vector<Value> &args)
{
    const Node *expr = fd.node;
    Value obj = args.empty() ? Value() : args[0];
    if (obj.isUndefined())
        return Value();
    Value result = deepClone(obj);
    Value matches = evaluate(expr->pattern.get(), result, fd.env);
    if (matches.isUndefined())
        return result;
    std::vector<Value> list;
    if (matches.isArray())
        list = matches.arr().items;
    else
        list.push_back(matches);
    for (auto &match : list) {
        Value update = evaluate(expr->update.get(), match, fd.env);
        if (update.isDefined()) {
            if (!update.isObject()) {
                JError e("T2011", expr->update->position);
                e.val(update);
                throw e;
            }
            if (match.isObject())
                for (const auto &p : update.obj().entries)
                    match.obj().set(p.first, p.second);
        }
        if (expr->del) {
            Value dels = evaluate(expr->del.get(), match, fd.env);
            if (dels.isDefined()) {
                std::vector<Value> names;
                if (dels.isArray())
                    names = dels.arr().items;
                else
                    names.push_back(dels);
                for (const auto &n : names) {
                    if (!n.isString()) {
                        JError e("T2012", expr->del->position);
                        e.val(dels);
                        throw e;
                    }
                }
                if (match.isObject())
                    for (const auto &n : names)
                        match.obj().erase(n.str());
            }
        }
    }
    return result;
}

} // namespace sb::jsonata
