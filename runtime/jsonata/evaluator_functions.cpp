// Function calls: builtins, lambdas and closures, partial application, the apply
// operator (~>), and $eval.
#include "runtime/jsonata/evaluator_impl.h"

#include <QRegularExpression>
#include <QString>
#include <algorithm>

namespace sb::jsonata {

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
        if (fd.signature && !argsMatchAsGiven(*fd.signature, args)) {
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
        if (b->sig && !argsMatchAsGiven(*b->sig, args)) {
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
