#pragma once
// Engine internals shared by the parser, evaluator and function library.
#include "runtime/jsonata/value.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

class QRegularExpression;

namespace sb::jsonata {

// Internal error, thrown inside the engine and converted to an Error at the API boundary.
struct JError
{
    std::string code;
    int position = -1;
    std::string token;
    bool hasToken = false;
    Value value;
    Value value2;
    std::string message; // explicit message ($error, D3137 ...)
    int index = 0;       // argument index for T04xx

    JError() = default;
    explicit JError(std::string c, int pos = -1) : code(std::move(c)), position(pos) {}
    JError &tok(std::string t)
    {
        token = std::move(t);
        hasToken = true;
        return *this;
    }
    JError &val(Value v)
    {
        value = std::move(v);
        return *this;
    }
};

std::string errorMessage(const JError &e);

enum class NodeType : uint8_t {
    Path, Binary, Negate, ArrayCons, ObjectCons, Name, String, Number, Literal, Wildcard,
    Descendant, Parent, Condition, Block, Bind, Regex, Function, Partial, Variable, Lambda,
    Apply, Sort, Transform, Placeholder, Coalesce, Elvis,
    // parse-only kinds, removed by the post-parse stage
    RawDot, RawFilter, RawGroup, RawOrderBy, RawFocus, RawIndex, RawBind, RawApply, RawOperator,
    RawUnaryObject, End
};

struct Node;
using NodePtr = std::shared_ptr<Node>;

struct Slot
{
    std::string label;
    int level = 1;
    int index = 0;
};
using SlotPtr = std::shared_ptr<Slot>;

struct Stage
{
    bool isIndex = false;
    std::string indexVar;
    NodePtr expr;
    int position = 0;
};

struct SortTerm
{
    bool descending = false;
    NodePtr expression;
};

struct GroupSpec
{
    std::vector<std::pair<NodePtr, NodePtr>> pairs;
    int position = 0;
};

struct Signature;
struct Builtin;

struct Node
{
    NodeType type = NodeType::Literal;
    int position = 0;
    std::string value; // name, operator, variable name, string literal
    Value literal;     // literal value (string/number/true/false/null)

    NodePtr lhs, rhs, expression;
    std::vector<NodePtr> expressions; // array cons, block, path steps
    std::vector<std::pair<NodePtr, NodePtr>> pairs; // object constructor
    std::vector<Stage> predicate; // filters on a non-path node
    std::vector<Stage> stages;    // filters / index stages on a path step
    bool hasStages = false;
    std::shared_ptr<GroupSpec> group;
    NodePtr condition, thenExpr, elseExpr;
    NodePtr procedure;
    std::vector<NodePtr> arguments;
    std::vector<std::string> params;
    std::shared_ptr<Signature> signature;
    NodePtr body;
    bool thunk = false;
    std::vector<SortTerm> terms;
    NodePtr pattern, update, del;

    char opcode = 0; // binary operators, decoded once: + - * / % = ! < l > g & a o . i
    bool keepArray = false;
    bool consarray = false;
    bool keepSingletonArray = false;
    bool tuple = false;
    bool hasFocus = false;
    std::string focus;
    bool hasIndex = false;
    std::string indexVar;
    SlotPtr ancestor;
    SlotPtr slot;
    std::vector<SlotPtr> seekingParent;
    bool hasSeekingParent = false;
    const Builtin *builtin = nullptr; // resolved at compile time for $name(...) calls
    std::shared_ptr<QRegularExpression> regex;
    std::shared_ptr<GroupSpec> consGroup; // object constructor pairs, built once
};

// ---- function signatures ---------------------------------------------------------------
struct SigParam
{
    std::string chars; // accepted type symbols (without 'm')
    char type = 0;     // main type symbol: a, f, x, ...
    char quant = 0;    // 0, '?', '+'
    bool context = false;
    std::string subtype;
};

struct Signature
{
    std::vector<SigParam> params;
    std::string text;
};
std::shared_ptr<Signature> parseSignature(const std::string &text, int &errOffset);

// ---- runtime structures ------------------------------------------------------------------
struct Frame;
using FramePtr = std::shared_ptr<Frame>;

struct Frame
{
    FramePtr parent;
    std::vector<std::pair<std::string, Value>> vars;

    explicit Frame(FramePtr p = nullptr) : parent(std::move(p)) {}
    void bind(const std::string &name, Value v)
    {
        for (auto &e : vars)
            if (e.first == name) {
                e.second = std::move(v);
                return;
            }
        vars.emplace_back(name, std::move(v));
    }
    const Value *lookup(const std::string &name) const
    {
        for (const Frame *f = this; f; f = f->parent.get())
            for (const auto &e : f->vars)
                if (e.first == name)
                    return &e.second;
        return nullptr;
    }
};

class Evaluator;
using NativeFn = Value (*)(Evaluator &ev, std::vector<Value> &args, const Value &input,
                           const FramePtr &env);

struct Builtin
{
    const char *name;
    const char *signature;
    NativeFn fn;
    std::shared_ptr<Signature> sig;
    int arity = 0;
    Value value; // shared function value, so calls never allocate one
};
const Builtin *findBuiltin(const std::string &name);

enum class FuncKind : uint8_t { Lambda, Builtin, Partial, Regex, Transform, Chain, Closure };

struct AstHolder; // keeps parsed trees alive while closures reference them

struct FunctionData : HeapData
{
    FuncKind kind = FuncKind::Lambda;
    // lambda
    const Node *node = nullptr;
    std::shared_ptr<const void> keepAlive;
    FramePtr env;
    Value input;
    std::vector<std::string> params;
    std::shared_ptr<Signature> signature;
    bool thunk = false;
    // builtin
    const Builtin *builtin = nullptr;
    // partial: target with bound args (placeholders flagged)
    Value target;
    std::vector<Value> boundArgs;
    std::vector<bool> placeholder;
    // regex
    std::shared_ptr<QRegularExpression> regex;
    std::string regexSource;
    // chain
    Value f, g;
    // closure
    std::function<Value(Evaluator &, std::vector<Value> &)> closure;
    int closureArity = 0;
};

inline FunctionData &Value::func() const
{
    return *static_cast<FunctionData *>(m_ptr.get());
}

int functionArity(const Value &f);

// ---- parser --------------------------------------------------------------------------------
NodePtr parseExpression(const std::string &source); // throws JError

// ---- evaluator -------------------------------------------------------------------------------
struct Limits
{
    int maxDepth = 500;
    long long timeLimitMs = 5000;
    size_t maxStackBytes = size_t(2) * 1024 * 1024;
    size_t maxStringLength = 0; // bytes of one created string; 0: unlimited
    size_t maxArrayLength = 0;  // items of one created array; 0: unlimited
    size_t maxAllocBytes = 0;   // approximate bytes created per evaluation; 0: unlimited
};

class Evaluator
{
public:
    Evaluator(const Limits &limits, std::shared_ptr<const void> keepAlive);

    Value evaluate(const Node *expr, const Value &input, const FramePtr &env);
    Value apply(const Value &proc, std::vector<Value> &args, const Value &input,
                const FramePtr &env);
    // call a function argument of a HOF with (value, index, array) trimmed to its arity
    Value callHof(const Value &fn, const Value &v, const Value *index, const Value *arr,
                  const FramePtr &env);
    Value evalString(const std::string &expr, const Value &input, const FramePtr &env);

    // The time $now() and $millis() report: read once, at the first call, so every call in
    // one evaluation sees the same instant and an evaluation that never asks reads no clock.
    double timestampMs()
    {
        if (!m_haveTimestamp) {
            m_timestampMs = double(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
            m_haveTimestamp = true;
        }
        return m_timestampMs;
    }
    std::shared_ptr<const void> keepAlive;

    // Size budget: each throws U1002/U1003/U1004 before the value is built, so a runaway
    // expression fails while memory is still small.
    void checkString(size_t bytes) const
    {
        if (m_limits.maxStringLength && bytes > m_limits.maxStringLength)
            stringTooLong(bytes);
    }
    void checkArray(size_t items) const
    {
        if (m_limits.maxArrayLength && items > m_limits.maxArrayLength)
            arrayTooLong(items);
    }
    void chargeBytes(size_t bytes)
    {
        m_allocated += bytes;
        if (m_limits.maxAllocBytes && m_allocated > m_limits.maxAllocBytes)
            allocExceeded();
        if (bytes >= kBigAlloc) // building it takes time of its own: look at the clock
            checkClock();
    }
    void chargeString(size_t bytes)
    {
        checkString(bytes);
        chargeBytes(bytes + sizeof(StringData));
    }
    void chargeArray(size_t items)
    {
        checkArray(items);
        chargeBytes(items * sizeof(Value) + sizeof(ArrayData));
    }
    // Charges a value a builtin returned (strings and containers it created).
    void chargeResult(const Value &v);
    // Time budget, for loops that do not go through evaluate().
    void checkTime()
    {
        if ((++m_tick & 63) == 0)
            checkClock();
    }
    const Limits &limits() const { return m_limits; }
    // Lambdas capture their frame and a frame can hold the lambda: remember each lambda so
    // the evaluation can cut that cycle when it ends.
    void trackClosure(const std::shared_ptr<FunctionData> &fd);
    // Drops the frames of the closures this evaluation created. When `result` still holds a
    // function that may need them, that happens when the returned keeper is destroyed.
    std::shared_ptr<void> releaseClosures(const Value &result);

private:
    static constexpr size_t kBigAlloc = size_t(1) << 16;
    double m_timestampMs = 0;
    bool m_haveTimestamp = false;
    [[noreturn]] void stringTooLong(size_t bytes) const;
    [[noreturn]] void arrayTooLong(size_t items) const;
    [[noreturn]] void allocExceeded() const;
    void checkClock();
    size_t m_allocated = 0;
    std::vector<std::weak_ptr<FunctionData>> m_closures;
    size_t m_pruneAt = 64;

    friend struct EvalGuard;
    Limits m_limits;
    int m_depth = 0;
    unsigned m_tick = 0;
    std::chrono::steady_clock::time_point m_start;
    const char *m_stackBase = nullptr;

    void checkLimits();
    Value evaluatePath(const Node *expr, const Value &input, const FramePtr &env);
    Value evaluateStep(const Node *step, const Value &input, const FramePtr &env, bool last);
    Value evaluateSingleStep(const Node *step, const Value &input, const FramePtr &env,
                             bool last);
    Value evaluateTupleStep(const Node *step, const Value &input, const Value &tuples,
                            bool haveTuples, const FramePtr &env);
    Value evaluateStages(const std::vector<Stage> &stages, Value input, const FramePtr &env);
    Value evaluateFilter(const Node *pred, const Value &input, const FramePtr &env);
    Value evaluateBinary(const Node *expr, const Value &input, const FramePtr &env);
    Value evaluateBoolean(const Node *expr, const Value &input, const FramePtr &env);
    Value evaluateNegate(const Node *expr, const Value &input, const FramePtr &env);
    Value evaluateCondition(const Node *expr, const Value &input, const FramePtr &env);
    Value evaluateArrayCons(const Node *expr, const Value &input, const FramePtr &env);
    Value evaluateWildcard(const Value &input);
    Value evaluateDescendants(const Value &input);
    Value makeFunction(const Node *expr, const Value &input, const FramePtr &env);
    Value evaluateGroup(const GroupSpec &g, const Value &input, const FramePtr &env);
    Value evaluateSort(const Node *expr, const Value &input, const FramePtr &env);
    Value evaluateFunction(const Node *expr, const Value &input, const FramePtr &env,
                           const Value *applyTo);
    Value evaluatePartial(const Node *expr, const Value &input, const FramePtr &env);
    Value evaluateApplyExpr(const Node *expr, const Value &input, const FramePtr &env);
    Value applyInner(const Value &proc, std::vector<Value> &args, const Value &input,
                     const FramePtr &env);
    Value applyTransform(FunctionData &fd, std::vector<Value> &args);
    Value lookupVariable(const Node *expr, const FramePtr &env);
};

std::vector<Value> validateArgs(const Signature &sig, std::vector<Value> &args,
                                const Value &context);
// True when validateArgs would return `args` as they are, but for undefined in place of
// trailing optional arguments left out (each given argument accepted by its parameter,
// nothing to wrap or take from the context): callers can skip matching and the copy.
bool argsMatchAsGiven(const Signature &sig, const std::vector<Value> &args);

// The evaluation running on this thread, for walks over values that do not go through
// evaluate() (equality, cloning, truthiness): values can share sub-values, so such a walk
// can visit exponentially many nodes and must see the clock and the memory budget too.
class EvaluatorScope
{
public:
    explicit EvaluatorScope(Evaluator *ev);
    ~EvaluatorScope();
    EvaluatorScope(const EvaluatorScope &) = delete;
    EvaluatorScope &operator=(const EvaluatorScope &) = delete;

private:
    Evaluator *m_saved;
};
void budgetTick();              // one node visited
void budgetCharge(size_t bytes); // bytes created outside the evaluator

// helpers used across files
Value createSequence();
Value createSequence(const Value &v);
Value appendValues(const Value &a, const Value &b); // fn.append
bool toBoolean(const Value &v, bool &defined);        // fn.boolean
bool truthy(const Value &v);
// fn.string (throws D3001); with an evaluator, U1002 beyond its string budget
std::string stringify(const Value &v, Evaluator *ev = nullptr);
const char *typeName(const Value &v);
std::string dateTimeFromMillis(double millis, const Value &picture, const Value &tz);
Value dateTimeToMillis(const std::string &ts, const Value &picture, double nowMs);
std::string formatNumberPicture(double value, const std::string &picture,
                                const Value &options);
std::string formatIntegerPicture(double value, const std::string &picture);
Value parseIntegerPicture(const std::string &value, const std::string &picture);

} // namespace sb::jsonata
