// Tree-walking evaluator. Mirrors the reference semantics (sequences, tuple streams,
// singleton flattening) while sharing data by reference instead of copying it.
// This file: sequences, truthiness, the evaluation budget, closures and the dispatch over
// node kinds; the evaluator_*.cpp files hold the larger node kinds.
#include "runtime/jsonata/evaluator_impl.h"

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

int functionArity(const Value &f)
{
    if (!f.isFunction()) // e.g. $sift(obj) without its function: applying it fails (T1006)
        return 0;
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
    // Where the stack stood when the evaluation began: deeper frames measure against it.
    m_stackBase = static_cast<const char *>(__builtin_frame_address(0));
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

std::shared_ptr<void> Evaluator::releaseClosures(const Value &result)
{
    if (m_closures.empty())
        return {};
    using Closures = std::vector<std::weak_ptr<FunctionData>>;
    // Closure and frame refer to each other: cutting the closure's side frees both.
    const auto cut = [](Closures *list) {
        for (auto &w : *list) {
            if (auto fd = w.lock()) {
                fd->env = std::make_shared<Frame>(); // never null: it may still be called
                fd->input = Value();
            }
        }
        delete list;
    };
    auto *list = new Closures(std::move(m_closures));
    m_closures.clear();
    if (!holdsFunction(result)) {
        cut(list);
        return {};
    }
    return std::shared_ptr<Closures>(list, cut);
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
    case NodeType::Negate:
        result = evaluateNegate(expr, input, env);
        break;
    case NodeType::ArrayCons:
        result = evaluateArrayCons(expr, input, env);
        break;
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
    case NodeType::Wildcard:
        result = evaluateWildcard(input);
        break;
    case NodeType::Descendant:
        result = evaluateDescendants(input);
        break;
    case NodeType::Parent: {
        if (const Value *v = env->lookup(expr->slot->label))
            result = *v;
        break;
    }
    case NodeType::Condition:
    case NodeType::Coalesce:
    case NodeType::Elvis:
        result = evaluateCondition(expr, input, env);
        break;
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
    case NodeType::Regex:
    case NodeType::Lambda:
    case NodeType::Transform:
        result = makeFunction(expr, input, env);
        break;
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
    case NodeType::Partial:
        result = evaluatePartial(expr, input, env);
        break;
    case NodeType::Apply:
        result = evaluateApplyExpr(expr, input, env);
        break;
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

Value Evaluator::evaluateArrayCons(const Node *expr, const Value &input, const FramePtr &env)
{
    Value result = Value::newArray();
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
    return result;
}

Value Evaluator::evaluateCondition(const Node *expr, const Value &input, const FramePtr &env)
{
    Value cond = evaluate(expr->condition.get(), input, env);
    switch (expr->type) {
    case NodeType::Coalesce:
        return cond.isUndefined() ? evaluate(expr->elseExpr.get(), input, env) : cond;
    case NodeType::Elvis:
        return truthy(cond) ? cond : evaluate(expr->elseExpr.get(), input, env);
    default:
        if (truthy(cond))
            return evaluate(expr->thenExpr.get(), input, env);
        if (expr->elseExpr)
            return evaluate(expr->elseExpr.get(), input, env);
        return Value();
    }
}

// The nodes whose value is a function: a regular expression, a lambda, a transform.
Value Evaluator::makeFunction(const Node *expr, const Value &input, const FramePtr &env)
{
    if (expr->type == NodeType::Regex && expr->literal.isFunction())
        return expr->literal; // built by the parser, shared by every evaluation
    auto fd = std::make_shared<FunctionData>();
    switch (expr->type) {
    case NodeType::Regex:
        fd->kind = FuncKind::Regex;
        fd->regex = expr->regex;
        fd->regexSource = expr->value;
        return Value::function(fd);
    case NodeType::Lambda:
        fd->kind = FuncKind::Lambda;
        fd->node = expr;
        fd->keepAlive = keepAlive;
        fd->env = env;
        fd->input = input;
        fd->params = expr->params;
        fd->signature = expr->signature;
        fd->thunk = expr->thunk;
        break;
    default: // Transform
        fd->kind = FuncKind::Transform;
        fd->node = expr;
        fd->keepAlive = keepAlive;
        fd->env = env;
        break;
    }
    trackClosure(fd);
    return Value::function(fd);
}

} // namespace sb::jsonata
