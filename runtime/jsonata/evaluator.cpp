// Tree-walking evaluator. Mirrors the reference semantics (sequences, tuple streams,
// singleton flattening) while sharing data by reference instead of copying it.
#include "runtime/jsonata/internal.h"

#include <QRegularExpression>
#include <QString>
#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace sb::jsonata {

Value createSequence() { return Value::newSequence(); }

Value createSequence(const Value &v)
{
    Value s = Value::newSequence();
    s.arr().items.push_back(v);
    return s;
}

Value appendValues(const Value &a, const Value &b)
{
    if (a.isUndefined())
        return b;
    if (b.isUndefined())
        return a;
    Value out = Value::newArray();
    auto &items = out.arr().items;
    if (a.isArray())
        items = a.arr().items;
    else
        items.push_back(a);
    if (b.isArray())
        items.insert(items.end(), b.arr().items.begin(), b.arr().items.end());
    else
        items.push_back(b);
    return out;
}

static bool isNumeric(const Value &v)
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

bool toBoolean(const Value &arg, bool &defined)
{
    defined = true;
    switch (arg.type()) {
    case Type::Undefined:
        defined = false;
        return false;
    case Type::Array: {
        budgetTick();
        const auto &items = arg.arr().items;
        if (items.size() == 1) {
            bool d;
            return toBoolean(items[0], d);
        }
        for (const auto &i : items) {
            bool d;
            if (toBoolean(i, d))
                return true;
        }
        return false;
    }
    case Type::String:
        return !arg.str().empty();
    case Type::Number:
        return isNumeric(arg) && arg.num() != 0;
    case Type::Object:
        return arg.obj().size() > 0;
    case Type::Bool:
        return arg.boolValue();
    case Type::Function:
        return false;
    case Type::Null:
        return false;
    }
    return false;
}

bool truthy(const Value &v)
{
    bool d;
    return toBoolean(v, d);
}

static bool isArrayOfNumbers(const Value &v)
{
    if (!v.isArray())
        return false;
    for (const auto &i : v.arr().items)
        if (!i.isNumber())
            return false;
    return true;
}

int functionArity(const Value &f)
{
    const FunctionData &fd = f.func();
    switch (fd.kind) {
    case FuncKind::Lambda: return int(fd.params.size());
    case FuncKind::Builtin:
        // $string's second parameter has a default in the reference: not counted
        return std::string(fd.builtin->name) == "string" ? 1 : fd.builtin->arity;
    case FuncKind::Partial: {
        int n = 0;
        for (bool p : fd.placeholder)
            n += p ? 1 : 0;
        return n;
    }
    case FuncKind::Closure: return fd.closureArity;
    default: return 1;
    }
}

// ---------------------------------------------------------------------------------------

struct EvalGuard
{
    Evaluator &ev;
    explicit EvalGuard(Evaluator &e) : ev(e) { ++ev.m_depth; }
    ~EvalGuard() { --ev.m_depth; }
};

Evaluator::Evaluator(const Limits &limits, std::shared_ptr<const void> ka)
    : keepAlive(std::move(ka)), m_limits(limits), m_start(std::chrono::steady_clock::now())
{
    char probe;
    m_stackBase = &probe;
}

static std::string mib(size_t bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return std::to_string(bytes / (1024 * 1024)) + " MiB";
    return std::to_string(bytes) + " bytes";
}

void Evaluator::stringTooLong(size_t bytes) const
{
    JError e("U1002");
    e.message = "String size budget exceeded: a string of " + std::to_string(bytes)
                + " bytes is over the limit of " + mib(m_limits.maxStringLength);
    throw e;
}

void Evaluator::arrayTooLong(size_t items) const
{
    JError e("U1003");
    e.message = "Array size budget exceeded: an array of " + std::to_string(items)
                + " items is over the limit of " + std::to_string(m_limits.maxArrayLength)
                + " items";
    throw e;
}

void Evaluator::allocExceeded() const
{
    JError e("U1004");
    e.message = "Memory budget exceeded: the evaluation allocated more than "
                + mib(m_limits.maxAllocBytes);
    throw e;
}

void Evaluator::checkClock()
{
    if (m_limits.timeLimitMs <= 0)
        return;
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - m_start)
                       .count();
    if (elapsed > m_limits.timeLimitMs) {
        JError e("U1001");
        e.message = "Expression evaluation timeout: time limit of "
                    + std::to_string(m_limits.timeLimitMs)
                    + " ms exceeded. Check for infinite loop";
        throw e;
    }
}

void Evaluator::chargeResult(const Value &v)
{
    switch (v.type()) {
    case Type::String: chargeString(v.str().size()); break;
    case Type::Array: chargeArray(v.size()); break;
    case Type::Object: chargeBytes(v.obj().size() * 64 + sizeof(ObjectData)); break;
    default: break;
    }
}

void Evaluator::trackClosure(const std::shared_ptr<FunctionData> &fd)
{
    chargeBytes(sizeof(FunctionData));
    if (m_closures.size() >= m_pruneAt) {
        m_closures.erase(std::remove_if(m_closures.begin(), m_closures.end(),
                                        [](const auto &w) { return w.expired(); }),
                         m_closures.end());
        m_pruneAt = std::max<size_t>(64, m_closures.size() * 2);
    }
    m_closures.push_back(fd);
}

// True when `v` holds a function. Arrays and objects are shared by reference, so each
// container is visited once: a value built by doubling one part stays cheap to walk.
static bool holdsFunction(const Value &v)
{
    std::vector<const Value *> todo{&v};
    std::unordered_set<const void *> seen;
    constexpr size_t kLimit = 1000000;
    for (size_t i = 0; i < todo.size(); ++i) {
        if (i >= kLimit)
            return true; // too big to tell: keep the frames
        const Value &x = *todo[i];
        if (x.isFunction())
            return true;
        if (!x.isArray() && !x.isObject())
            continue;
        if (!seen.insert(x.isArray() ? static_cast<const void *>(&x.arr())
                                     : static_cast<const void *>(&x.obj()))
                 .second)
            continue;
        if (x.isArray())
            for (const auto &item : x.arr().items)
                todo.push_back(&item);
        else
            for (const auto &e : x.obj().entries)
                todo.push_back(&e.second);
    }
    return false;
}

void Evaluator::releaseClosures(const Value &result)
{
    if (m_closures.empty() || holdsFunction(result))
        return;
    for (auto &w : m_closures) {
        if (auto fd = w.lock()) {
            fd->env.reset();
            fd->input = Value();
        }
    }
    m_closures.clear();
}

static thread_local Evaluator *tlEvaluator = nullptr;

EvaluatorScope::EvaluatorScope(Evaluator *ev) : m_saved(tlEvaluator) { tlEvaluator = ev; }
EvaluatorScope::~EvaluatorScope() { tlEvaluator = m_saved; }

void budgetTick()
{
    if (tlEvaluator)
        tlEvaluator->checkTime();
}

void budgetCharge(size_t bytes)
{
    if (tlEvaluator)
        tlEvaluator->chargeBytes(bytes);
}

void Evaluator::checkLimits()
{
    if (m_depth > m_limits.maxDepth) {
        JError e("U1001");
        e.message = "Stack overflow error: Check for non-terminating recursive function. "
                    "Consider rewriting as tail-recursive.";
        throw e;
    }
    char probe;
    size_t used = size_t(m_stackBase > &probe ? m_stackBase - &probe : &probe - m_stackBase);
    if (used > m_limits.maxStackBytes) {
        JError e("U1001");
        e.message = "Stack overflow error: Check for non-terminating recursive function. "
                    "Consider rewriting as tail-recursive.";
        throw e;
    }
    if ((++m_tick & 63) == 0)
        checkClock();
}

static FramePtr frameFromTuple(const FramePtr &env, const Value &tuple)
{
    auto f = std::make_shared<Frame>(env);
    if (!tuple.isObject())
        return f;
    for (const auto &e : tuple.obj().entries)
        f->vars.emplace_back(e.first, e.second);
    return f;
}

static const Value &tupleAt(const Value &tuple)
{
    static const Value undef;
    if (!tuple.isObject())
        return undef;
    const Value *v = tuple.obj().find("@");
    return v ? *v : undef;
}

static Value lookupField(Evaluator &ev, const Value &input, const std::string &key)
{
    if (input.isArray()) {
        Value result = createSequence();
        auto &out = result.arr().items;
        for (const auto &item : input.arr().items) {
            ev.checkTime();
            Value res = lookupField(ev, item, key);
            if (res.isDefined()) {
                if (res.isArray()) {
                    ev.checkArray(out.size() + res.size());
                    out.insert(out.end(), res.arr().items.begin(), res.arr().items.end());
                } else {
                    out.push_back(res);
                }
            }
        }
        ev.chargeArray(out.size());
        return result;
    }
    if (input.isObject()) {
        const Value *v = input.obj().find(key);
        return v ? *v : Value();
    }
    return Value();
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

static const Value &builtinValue(const Builtin *b) { return b->value; }

Value Evaluator::lookupVariable(const Node *expr, const FramePtr &env)
{
    if (const Value *v = env->lookup(expr->value))
        return *v;
    if (const Builtin *b = expr->builtin ? expr->builtin : findBuiltin(expr->value))
        return builtinValue(b);
    return Value();
}

Value Evaluator::evaluate(const Node *expr, const Value &input, const FramePtr &env)
{
    EvalGuard guard(*this);
    checkLimits();
    Value result;
    switch (expr->type) {
    case NodeType::Path:
        result = evaluatePath(expr, input, env);
        break;
    case NodeType::Binary:
        result = evaluateBinary(expr, input, env);
        break;
    case NodeType::Negate: {
        result = evaluate(expr->expression.get(), input, env);
        if (result.isUndefined())
            break;
        if (isNumeric(result)) {
            result = Value::number(-result.num());
        } else {
            JError e("D1002", expr->position);
            e.tok("-").val(result);
            throw e;
        }
        break;
    }
    case NodeType::ArrayCons: {
        result = Value::newArray();
        auto &items = result.arr().items;
        for (const auto &item : expr->expressions) {
            Value v = evaluate(item.get(), input, env);
            if (v.isUndefined())
                continue;
            checkArray(items.size() + (v.isArray() ? v.size() : 1));
            if (item->type == NodeType::ArrayCons)
                items.push_back(v);
            else if (v.isArray() && items.empty() && v.ptr().use_count() == 1)
                items = std::move(v.arr().items); // sole owner: steal instead of copying
            else if (v.isArray())
                items.insert(items.end(), v.arr().items.begin(), v.arr().items.end());
            else
                items.push_back(v);
        }
        chargeArray(items.size());
        if (expr->consarray)
            result.arr().cons = true;
        break;
    }
    case NodeType::ObjectCons:
        result = evaluateGroup(*expr->consGroup, input, env);
        break;
    case NodeType::Name:
        result = lookupField(*this, input, expr->value);
        break;
    case NodeType::String:
    case NodeType::Number:
    case NodeType::Literal:
        result = expr->literal;
        break;
    case NodeType::Wildcard: {
        Value in = input;
        if (in.isArray() && in.arr().outerWrapper && in.size() > 0)
            in = in[0];
        result = createSequence();
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
        break;
    }
    case NodeType::Descendant: {
        if (input.isUndefined())
            break;
        std::vector<Value> out;
        recurseDescendants(*this, input, out);
        chargeArray(out.size());
        if (out.size() == 1) {
            result = out[0];
        } else {
            result = createSequence();
            result.arr().items = std::move(out);
        }
        break;
    }
    case NodeType::Parent: {
        if (const Value *v = env->lookup(expr->slot->label))
            result = *v;
        break;
    }
    case NodeType::Condition: {
        Value cond = evaluate(expr->condition.get(), input, env);
        if (truthy(cond))
            result = evaluate(expr->thenExpr.get(), input, env);
        else if (expr->elseExpr)
            result = evaluate(expr->elseExpr.get(), input, env);
        break;
    }
    case NodeType::Coalesce: {
        Value cond = evaluate(expr->condition.get(), input, env);
        result = cond.isUndefined() ? evaluate(expr->elseExpr.get(), input, env) : cond;
        break;
    }
    case NodeType::Elvis: {
        Value cond = evaluate(expr->condition.get(), input, env);
        result = truthy(cond) ? cond : evaluate(expr->elseExpr.get(), input, env);
        break;
    }
    case NodeType::Block: {
        auto frame = std::make_shared<Frame>(env);
        for (const auto &e : expr->expressions)
            result = evaluate(e.get(), input, frame);
        break;
    }
    case NodeType::Bind: {
        result = evaluate(expr->rhs.get(), input, env);
        env->bind(expr->lhs->value, result);
        break;
    }
    case NodeType::Regex: {
        auto fd = std::make_shared<FunctionData>();
        fd->kind = FuncKind::Regex;
        fd->regex = expr->regex;
        fd->regexSource = expr->value;
        result = Value::function(fd);
        break;
    }
    case NodeType::Function:
        result = evaluateFunction(expr, input, env, nullptr);
        break;
    case NodeType::Variable:
        if (expr->value.empty()) {
            result = (input.isArray() && input.arr().outerWrapper) ? input[0] : input;
        } else {
            result = lookupVariable(expr, env);
        }
        break;
    case NodeType::Lambda: {
        auto fd = std::make_shared<FunctionData>();
        fd->kind = FuncKind::Lambda;
        fd->node = expr;
        fd->keepAlive = keepAlive;
        fd->env = env;
        fd->input = input;
        fd->params = expr->params;
        fd->signature = expr->signature;
        fd->thunk = expr->thunk;
        trackClosure(fd);
        result = Value::function(fd);
        break;
    }
    case NodeType::Partial:
        result = evaluatePartial(expr, input, env);
        break;
    case NodeType::Apply:
        result = evaluateApplyExpr(expr, input, env);
        break;
    case NodeType::Transform: {
        auto fd = std::make_shared<FunctionData>();
        fd->kind = FuncKind::Transform;
        fd->node = expr;
        fd->keepAlive = keepAlive;
        fd->env = env;
        trackClosure(fd);
        result = Value::function(fd);
        break;
    }
    case NodeType::Sort:
        result = evaluateSort(expr, input, env);
        break;
    default:
        throw JError("S0206", expr->position);
    }

    for (const auto &p : expr->predicate)
        result = evaluateFilter(p.expr.get(), result, env);
    if (expr->type != NodeType::Path && expr->group)
        result = evaluateGroup(*expr->group, result, env);

    if (result.isArray() && result.arr().sequence && !result.arr().tupleStream) {
        ArrayData &a = result.arr();
        if (expr->keepArray)
            a.keepSingleton = true;
        if (a.items.empty())
            return Value();
        if (a.items.size() == 1 && !a.keepSingleton)
            return Value(a.items[0]);
    }
    return result;
}

Value Evaluator::evaluatePath(const Node *expr, const Value &input, const FramePtr &env)
{
    const auto &steps = expr->expressions;
    Value inputSeq;
    if (input.isArray() && steps[0]->type != NodeType::Variable)
        inputSeq = input;
    else
        inputSeq = createSequence(input);

    Value resultSeq;
    bool isTuple = false;
    Value tuples;
    bool haveTuples = false;
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
            resultSeq = evaluateStep(step, inputSeq, env, ii == steps.size() - 1);
        }
        if (!isTuple
            && (resultSeq.isUndefined() || (resultSeq.isArray() && resultSeq.size() == 0)))
            break;
        if (!step->hasFocus)
            inputSeq = resultSeq;
    }

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
        Value r = evaluateSort(step, input, env);
        if (step->hasStages)
            r = evaluateStages(step->stages, r, env);
        return r;
    }
    Value in = input.isArray() ? input : createSequence(input);
    std::vector<Value> results;
    results.reserve(in.size());
    for (const auto &item : in.arr().items) {
        Value res = evaluate(step, item, env);
        if (step->hasStages)
            for (const auto &st : step->stages)
                if (!st.isIndex)
                    res = evaluateFilter(st.expr.get(), res, env);
        if (res.isDefined())
            results.push_back(std::move(res));
    }
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

static bool strictEqual(const Value &a, const Value &b)
{
    if (a.isObject() || a.isArray() || a.isFunction())
        return a.sameRef(b);
    return deepEqual(a, b);
}

Value Evaluator::evaluateBinary(const Node *expr, const Value &input, const FramePtr &env)
{
    const std::string &op = expr->value;
    const char oc = expr->opcode;
    Value lhs = evaluate(expr->lhs.get(), input, env);
    try {
        if (oc == 'a' || oc == 'o') {
            bool l = truthy(lhs);
            if (oc == 'a') {
                if (!l)
                    return Value::boolean(false);
                return Value::boolean(truthy(evaluate(expr->rhs.get(), input, env)));
            }
            if (l)
                return Value::boolean(true);
            return Value::boolean(truthy(evaluate(expr->rhs.get(), input, env)));
        }
    } catch (JError &e) {
        e.position = expr->position;
        if (!e.hasToken)
            e.tok(op);
        throw;
    }
    Value rhs = evaluate(expr->rhs.get(), input, env);
    try {
        char c = oc;
        if (c == '+' || c == '-' || c == '*' || c == '/' || c == '%') {
            if (lhs.isDefined() && !isNumeric(lhs))
                throw JError("T2001").val(lhs);
            if (rhs.isDefined() && !isNumeric(rhs))
                throw JError("T2002").val(rhs);
            if (lhs.isUndefined() || rhs.isUndefined())
                return Value();
            double a = lhs.num(), b = rhs.num();
            switch (c) {
            case '+': return Value::number(a + b);
            case '-': return Value::number(a - b);
            case '*': return Value::number(a * b);
            case '/': return Value::number(a / b);
            default: return Value::number(std::fmod(a, b));
            }
        }
        if (oc == '=' || oc == '!') {
            if (lhs.isUndefined() || rhs.isUndefined())
                return Value::boolean(false);
            bool eq = deepEqual(lhs, rhs);
            return Value::boolean(oc == '=' ? eq : !eq);
        }
        if (oc == '<' || oc == 'l' || oc == '>' || oc == 'g') {
            bool lc = lhs.isUndefined() || lhs.isString() || lhs.isNumber();
            bool rc = rhs.isUndefined() || rhs.isString() || rhs.isNumber();
            if (!lc || !rc) {
                bool lok = lhs.isString() || lhs.isNumber();
                throw JError("T2010").val(!lok ? lhs : rhs);
            }
            if (lhs.isUndefined() || rhs.isUndefined())
                return Value();
            if (lhs.type() != rhs.type()) {
                JError e("T2009");
                e.value = lhs;
                e.value2 = rhs;
                throw e;
            }
            int cmp;
            if (lhs.isNumber())
                cmp = lhs.num() < rhs.num() ? -1 : lhs.num() > rhs.num() ? 1 : 0;
            else
                cmp = lhs.str() < rhs.str() ? -1 : lhs.str() > rhs.str() ? 1 : 0;
            if (lhs.isNumber() && (std::isnan(lhs.num()) || std::isnan(rhs.num())))
                return Value::boolean(false);
            if (oc == '<')
                return Value::boolean(cmp < 0);
            if (oc == 'l')
                return Value::boolean(cmp <= 0);
            if (oc == '>')
                return Value::boolean(cmp > 0);
            return Value::boolean(cmp >= 0);
        }
        if (oc == '&') {
            std::string s;
            if (lhs.isDefined())
                s = stringify(lhs, this);
            if (rhs.isDefined()) {
                std::string r = stringify(rhs, this);
                chargeString(s.size() + r.size());
                s += r;
            } else {
                chargeString(s.size());
            }
            return Value::string(std::move(s));
        }
        if (oc == '.') {
            auto isInt = [](const Value &v) {
                return v.isNumber() && std::isfinite(v.num()) && std::floor(v.num()) == v.num();
            };
            if (lhs.isDefined() && !isInt(lhs))
                throw JError("T2003").val(lhs);
            if (rhs.isDefined() && !isInt(rhs))
                throw JError("T2004").val(rhs);
            if (lhs.isUndefined() || rhs.isUndefined())
                return Value();
            double a = lhs.num(), b = rhs.num();
            if (a > b)
                return Value();
            double size = b - a + 1;
            if (size > 1e7)
                throw JError("D2014").val(Value::number(size));
            chargeArray(size_t(size));
            Value r = createSequence();
            auto &items = r.arr().items;
            items.reserve(size_t(size));
            for (double x = a; x <= b; x += 1)
                items.push_back(Value::number(x));
            return r;
        }
        if (oc == 'i') {
            if (lhs.isUndefined() || rhs.isUndefined())
                return Value::boolean(false);
            if (rhs.isArray()) {
                for (const auto &i : rhs.arr().items)
                    if (strictEqual(i, lhs))
                        return Value::boolean(true);
                return Value::boolean(false);
            }
            return Value::boolean(strictEqual(rhs, lhs));
        }
    } catch (JError &e) {
        e.position = expr->position;
        e.tok(op);
        throw;
    }
    throw JError("S0206", expr->position);
}

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

Value Evaluator::evaluateFunction(const Node *expr, const Value &input, const FramePtr &env,
                                  const Value *applyTo)
{
    const Node *procNode = expr->procedure.get();
    Value proc;
    if (expr->builtin && !env->lookup(procNode->value))
        proc = builtinValue(expr->builtin);
    else
        proc = evaluate(procNode, input, env);

    std::string procName = procNode->type == NodeType::Path
                               ? procNode->expressions[0]->value
                               : procNode->value;
    if (proc.isUndefined() && procNode->type == NodeType::Path
        && (env->lookup(procNode->expressions[0]->value)
            || findBuiltin(procNode->expressions[0]->value))) {
        JError e("T1005", expr->position);
        e.tok(procName);
        throw e;
    }
    std::vector<Value> args;
    args.reserve(expr->arguments.size() + 1);
    if (applyTo)
        args.push_back(*applyTo);
    for (const auto &a : expr->arguments)
        args.push_back(evaluate(a.get(), input, env));
    try {
        return apply(proc, args, input, env);
    } catch (JError &e) {
        e.position = expr->position;
        if (!e.hasToken)
            e.tok(procName);
        throw;
    }
}

Value Evaluator::apply(const Value &proc, std::vector<Value> &args, const Value &input,
                       const FramePtr &env)
{
    Value result = applyInner(proc, args, input, env);
    while (result.isFunction() && result.func().kind == FuncKind::Lambda && result.func().thunk) {
        FunctionData &th = result.func();
        const Node *call = th.node->body.get();
        Value next = evaluate(call->procedure.get(), th.input, th.env);
        std::vector<Value> nargs;
        for (const auto &a : call->arguments)
            nargs.push_back(evaluate(a.get(), th.input, th.env));
        std::string name = call->procedure->type == NodeType::Variable
                               ? call->procedure->value
                               : std::string();
        try {
            result = applyInner(next, nargs, input, env);
        } catch (JError &e) {
            if (!e.hasToken && !name.empty())
                e.tok(name);
            throw;
        }
    }
    return result;
}

Value Evaluator::callHof(const Value &fn, const Value &v, const Value *index, const Value *arr,
                         const FramePtr &env)
{
    int arity = functionArity(fn);
    std::vector<Value> args;
    args.push_back(v);
    if (arity >= 2 && index)
        args.push_back(*index);
    if (arity >= 3 && arr)
        args.push_back(*arr);
    return apply(fn, args, Value(), env);
}

static const Signature &transformSignature()
{
    static std::shared_ptr<Signature> sig = [] {
        int off = 0;
        return parseSignature("<(oa):o>", off);
    }();
    return *sig;
}

Value Evaluator::applyInner(const Value &proc, std::vector<Value> &args, const Value &input,
                            const FramePtr &env)
{
    if (!proc.isFunction())
        throw JError("T1006");
    FunctionData &fd = proc.func();
    switch (fd.kind) {
    case FuncKind::Lambda: {
        std::vector<Value> validated;
        const std::vector<Value> *use = &args;
        if (fd.signature) {
            validated = validateArgs(*fd.signature, args, input);
            use = &validated;
        }
        chargeBytes(sizeof(Frame) + 64 * fd.params.size());
        auto frame = std::make_shared<Frame>(fd.env);
        for (size_t i = 0; i < fd.params.size(); ++i)
            frame->vars.emplace_back(fd.params[i], i < use->size() ? (*use)[i] : Value());
        auto saved = keepAlive;
        keepAlive = fd.keepAlive;
        try {
            Value r = evaluate(fd.node->body.get(), fd.input, frame);
            keepAlive = saved;
            return r;
        } catch (...) {
            keepAlive = saved;
            throw;
        }
    }
    case FuncKind::Builtin: {
        const Builtin *b = fd.builtin;
        Value r;
        if (b->sig) {
            std::vector<Value> validated = validateArgs(*b->sig, args, input);
            r = b->fn(*this, validated, input, env);
        } else {
            r = b->fn(*this, args, input, env);
        }
        bool fresh = true;
        for (const auto &a : args)
            fresh = fresh && !r.sameRef(a);
        if (fresh)
            chargeResult(r);
        return r;
    }
    case FuncKind::Partial: {
        std::vector<Value> full;
        size_t ai = 0;
        for (size_t i = 0; i < fd.boundArgs.size(); ++i) {
            if (fd.placeholder[i])
                full.push_back(ai < args.size() ? args[ai++] : Value());
            else
                full.push_back(fd.boundArgs[i]);
        }
        return apply(fd.target, full, input, env);
    }
    case FuncKind::Regex: {
        if (args.empty() || !args[0].isString())
            return Value();
        QString s = QString::fromStdString(args[0].str());
        QRegularExpressionMatch m = fd.regex->match(s);
        if (!m.hasMatch())
            return Value();
        Value r = Value::newObject();
        ObjectData &o = r.obj();
        o.set("match", Value::string(m.captured(0).toStdString()));
        o.set("start", Value::number(m.capturedStart(0)));
        o.set("end", Value::number(m.capturedEnd(0)));
        Value groups = Value::newArray();
        for (int i = 1; i <= fd.regex->captureCount(); ++i)
            groups.arr().items.push_back(Value::string(m.captured(i).toStdString()));
        o.set("groups", groups);
        return r;
    }
    case FuncKind::Transform: {
        std::vector<Value> validated = validateArgs(transformSignature(), args, input);
        return applyTransform(fd, validated);
    }
    case FuncKind::Chain: {
        std::vector<Value> a1 = args;
        Value mid = apply(fd.f, a1, Value(), env);
        std::vector<Value> a2{mid};
        return apply(fd.g, a2, Value(), env);
    }
    case FuncKind::Closure:
        return fd.closure(*this, args);
    }
    throw JError("T1006");
}

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

Value Evaluator::evaluatePartial(const Node *expr, const Value &input, const FramePtr &env)
{
    auto fd = std::make_shared<FunctionData>();
    fd->kind = FuncKind::Partial;
    for (const auto &a : expr->arguments) {
        if (a->type == NodeType::Placeholder) {
            fd->boundArgs.emplace_back();
            fd->placeholder.push_back(true);
        } else {
            fd->boundArgs.push_back(evaluate(a.get(), input, env));
            fd->placeholder.push_back(false);
        }
    }
    const Node *procNode = expr->procedure.get();
    Value proc = evaluate(procNode, input, env);
    std::string procName = procNode->type == NodeType::Path ? procNode->expressions[0]->value
                                                             : procNode->value;
    if (proc.isUndefined() && procNode->type == NodeType::Path
        && (env->lookup(procNode->expressions[0]->value)
            || findBuiltin(procNode->expressions[0]->value))) {
        JError e("T1007", expr->position);
        e.tok(procName);
        throw e;
    }
    if (!proc.isFunction()) {
        JError e("T1008", expr->position);
        e.tok(procName);
        throw e;
    }
    if (proc.func().kind == FuncKind::Lambda) {
        // bind the supplied parameters into a new closure, like the reference does
        FunctionData &src = proc.func();
        auto lam = std::make_shared<FunctionData>(src);
        lam->env = std::make_shared<Frame>(src.env);
        lam->params.clear();
        lam->signature.reset();
        lam->thunk = false;
        trackClosure(lam);
        for (size_t i = 0; i < src.params.size(); ++i) {
            bool ph = i < fd->placeholder.size() ? bool(fd->placeholder[i]) : false;
            if (ph)
                lam->params.push_back(src.params[i]);
            else
                lam->env->bind(src.params[i],
                               i < fd->boundArgs.size() ? fd->boundArgs[i] : Value());
        }
        return Value::function(lam);
    }
    fd->target = proc;
    return Value::function(fd);
}

Value Evaluator::evaluateApplyExpr(const Node *expr, const Value &input, const FramePtr &env)
{
    Value lhs = evaluate(expr->lhs.get(), input, env);
    if (expr->rhs->type == NodeType::Function) {
        Value r = evaluateFunction(expr->rhs.get(), input, env, &lhs);
        if (expr->rhs->keepArray && r.isSequence())
            r.arr().keepSingleton = true;
        return r;
    }
    Value func = evaluate(expr->rhs.get(), input, env);
    if (!func.isFunction()) {
        JError e("T2006", expr->position);
        e.val(func);
        throw e;
    }
    if (lhs.isFunction()) {
        auto fd = std::make_shared<FunctionData>();
        fd->kind = FuncKind::Chain;
        fd->f = lhs;
        fd->g = func;
        return Value::function(fd);
    }
    std::vector<Value> args{lhs};
    return apply(func, args, Value(), env);
}

Value Evaluator::evalString(const std::string &src, const Value &input, const FramePtr &env)
{
    NodePtr ast;
    try {
        ast = parseExpression(src);
    } catch (JError &err) {
        JError e("D3120");
        e.message = errorMessage(err);
        throw e;
    }
    auto saved = keepAlive;
    keepAlive = ast;
    try {
        Value r = evaluate(ast.get(), input, env);
        keepAlive = saved;
        return r;
    } catch (JError &err) {
        keepAlive = saved;
        if (err.code == "U1001")
            throw;
        JError e("D3121");
        e.message = errorMessage(err);
        throw e;
    }
}

} // namespace sb::jsonata
