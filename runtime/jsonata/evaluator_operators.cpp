// Operators: unary minus and the binary ones (arithmetic, comparison, boolean, string
// concatenation, ranges, "in"). Each family checks its operand types as the reference does.
#include "runtime/jsonata/evaluator_impl.h"

#include <cmath>

namespace sb::jsonata {

namespace {

bool strictEqual(const Value &a, const Value &b)
{
    if (a.isObject() || a.isArray() || a.isFunction())
        return a.sameRef(b);
    return deepEqual(a, b);
}

bool isArithmetic(char c) { return c == '+' || c == '-' || c == '*' || c == '/' || c == '%'; }
bool isComparison(char c) { return c == '<' || c == 'l' || c == '>' || c == 'g'; }

Value arithmetic(char c, const Value &lhs, const Value &rhs)
{
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

// <, <= ('l'), >, >= ('g'): numbers with numbers, strings with strings.
Value compare(char oc, const Value &lhs, const Value &rhs)
{
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

Value concatenate(Evaluator &ev, const Value &lhs, const Value &rhs)
{
    std::string s;
    if (lhs.isDefined())
        s = stringify(lhs, &ev);
    if (rhs.isDefined()) {
        std::string r = stringify(rhs, &ev);
        ev.chargeString(s.size() + r.size());
        s += r;
    } else {
        ev.chargeString(s.size());
    }
    return Value::string(std::move(s));
}

// a..b: a sequence of the integers from a to b.
Value range(Evaluator &ev, const Value &lhs, const Value &rhs)
{
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
    ev.chargeArray(size_t(size));
    Value r = createSequence();
    auto &items = r.arr().items;
    items.reserve(size_t(size));
    for (double x = a; x <= b; x += 1)
        items.push_back(Value::number(x));
    return r;
}

Value inclusion(const Value &lhs, const Value &rhs)
{
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

} // namespace

Value Evaluator::evaluateNegate(const Node *expr, const Value &input, const FramePtr &env)
{
    Value result = evaluate(expr->expression.get(), input, env);
    if (result.isUndefined())
        return result;
    if (!isNumeric(result)) {
        JError e("D1002", expr->position);
        e.tok("-").val(result);
        throw e;
    }
    return Value::number(-result.num());
}

// "and" / "or": the right side is evaluated only when the left does not decide.
Value Evaluator::evaluateBoolean(const Node *expr, const Value &input, const FramePtr &env)
{
    Value lhs = evaluate(expr->lhs.get(), input, env);
    try {
        bool l = truthy(lhs);
        if (expr->opcode == 'a') {
            if (!l)
                return Value::boolean(false);
            return Value::boolean(truthy(evaluate(expr->rhs.get(), input, env)));
        }
        if (l)
            return Value::boolean(true);
        return Value::boolean(truthy(evaluate(expr->rhs.get(), input, env)));
    } catch (JError &e) {
        e.position = expr->position;
        if (!e.hasToken)
            e.tok(expr->value);
        throw;
    }
}

Value Evaluator::evaluateBinary(const Node *expr, const Value &input, const FramePtr &env)
{
    const char oc = expr->opcode;
    if (oc == 'a' || oc == 'o')
        return evaluateBoolean(expr, input, env);
    Value lhs = evaluate(expr->lhs.get(), input, env);
    Value rhs = evaluate(expr->rhs.get(), input, env);
    try {
        if (isArithmetic(oc))
            return arithmetic(oc, lhs, rhs);
        if (oc == '=' || oc == '!') {
            if (lhs.isUndefined() || rhs.isUndefined())
                return Value::boolean(false);
            bool eq = deepEqual(lhs, rhs);
            return Value::boolean(oc == '=' ? eq : !eq);
        }
        if (isComparison(oc))
            return compare(oc, lhs, rhs);
        if (oc == '&')
            return concatenate(*this, lhs, rhs);
        if (oc == '.')
            return range(*this, lhs, rhs);
        if (oc == 'i')
            return inclusion(lhs, rhs);
    } catch (JError &e) {
        e.position = expr->position;
        e.tok(expr->value);
        throw;
    }
    throw JError("S0206", expr->position);
}

} // namespace sb::jsonata
