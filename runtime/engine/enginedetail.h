#pragma once

// Internals shared by the engine's source files (engine.cpp: instance lifecycle;
// engine_steps.cpp: step execution; engine_calls.cpp: outbound calls; engine_events.cpp:
// waits, events and timers; engine_admin.cpp: compensation, approvals and replay).
// Not part of the runtime's API.

#include "runtime/engine/engine.h"
#include "runtime/jsonata/jsonata.h"

#include <QByteArray>
#include <QRandomGenerator>
#include <QString>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace sb::runtime {

namespace enginedetail {

using ojson = nlohmann::ordered_json;

inline std::string s(const QString &q) { return q.toStdString(); }
inline QString q(const std::string &t) { return QString::fromStdString(t); }
QByteArray bytes(const ojson &j);
// null for an empty body, a discarded (null) value for one that is not JSON.
ojson parseJson(const QByteArray &b);
// null for an empty body, the text itself for one that is not JSON.
ojson parseOrString(const QByteArray &b);

bool truthy(const jsonata::Result &r, const jsonata::EvalOptions &budget);
// The engine's budget with a step's own limits, when it sets any.
jsonata::EvalOptions stepBudget(jsonata::EvalOptions budget, const model::Step &step);
// An evaluation input converted to a JSONata value once, for every expression over it.
// `value.ok` is false (with the error) when the document is nested too deeply.
struct EvalInput
{
    explicit EvalInput(const ojson &j) : value(jsonata::fromJsonChecked(j)) {}
    jsonata::Result value;
};
// Evaluates a compiled expression within `budget`; error text in `error` when it fails
// (to compile, to convert its input, or to evaluate).
std::optional<ojson> eval(const jsonata::Expression &e, const EvalInput &input, QString *error,
                          const jsonata::EvalOptions &budget,
                          const jsonata::Bindings &bindings = {});
bool evalTruthy(const jsonata::Expression &e, const EvalInput &input,
                const jsonata::EvalOptions &budget);

// Expressions compiled once by source text: conditions, rules, path templates and keys
// come from the project, so the set is bounded by it; cleared when the project changes.
class ExpressionCache
{
public:
    const jsonata::Expression &get(const QString &src)
    {
        auto it = m_compiled.find(src);
        if (it == m_compiled.end())
            it = m_compiled.emplace(src, jsonata::Expression::compile(src.toStdString())).first;
        return it->second;
    }
    void clear() { m_compiled.clear(); }

private:
    std::unordered_map<QString, jsonata::Expression> m_compiled; // stable references
};
// True when `j` nests arrays/objects deeper than `limit`; iterative, so it is safe on any
// document (everything after it walks payloads recursively).
bool nestedDeeperThan(const ojson &j, int limit);
QString scalarText(const ojson &j);
QString randomHex(QRandomGenerator &g, int bytesCount);
// A stand-in for a step known only by its id (the trigger, a step gone from the workflow).
model::Step stepWithId(const QString &id);

} // namespace enginedetail

// What the engine compiles once per project: expressions by source text and entity JSON
// schemas by "system.Entity" (null when the entity is unknown).
struct Engine::Caches
{
    enginedetail::ExpressionCache expressions;
    std::unordered_map<QString, std::shared_ptr<const SchemaCheck>> schemas;
    void clear()
    {
        expressions.clear();
        schemas.clear();
    }
};

// Everything an instance needs to continue, kept as JSON in InstanceRecord::variables.
struct Engine::State
{
    using ojson = enginedetail::ojson;
    ojson vars = ojson::object();    // trigger payload at the root plus step outputs
    ojson docs = ojson::object();    // "system.Entity" or "Canonical" -> variable ("" = root)
    std::string last;                // variable produced last ("" = root)
    ojson outputs = ojson::array();  // variable names written by steps
    ojson done = ojson::array();     // [{step, output}] completed steps with compensation
    int attempt = 1;
    ojson wait;                      // {step, key, topic} while waiting for an event
    qint64 task = 0;                 // open approval task
    ojson rekey;                     // {step, suffix}: fresh idempotency key after replay
    ojson error;                     // last error, visible to on-error steps as $error
    bool compensating = false;
    // Event stamp of when the step completed last began, if it was a call (which may cause
    // the event a following wait awaits); 0 otherwise.
    qint64 callStamp = 0;

    static State fromJson(const QByteArray &b)
    {
        State st;
        ojson j = ojson::parse(b.constData(), b.constData() + b.size(), nullptr, false);
        if (!j.is_object())
            return st;
        if (!j.contains("vars")) { // plain variables (e.g. written by another tool)
            st.vars = j;
            return st;
        }
        st.vars = j.value("vars", ojson::object());
        st.docs = j.value("docs", ojson::object());
        st.last = j.value("last", std::string());
        st.outputs = j.value("outputs", ojson::array());
        st.done = j.value("done", ojson::array());
        st.attempt = j.value("attempt", 1);
        st.wait = j.value("wait", ojson());
        st.task = j.value("task", qint64(0));
        st.rekey = j.value("rekey", ojson());
        st.error = j.value("error", ojson());
        st.compensating = j.value("compensating", false);
        st.callStamp = j.value("callStamp", qint64(0));
        return st;
    }
    QByteArray toJson() const
    {
        ojson j;
        j["vars"] = vars;
        j["docs"] = docs;
        j["last"] = last;
        j["outputs"] = outputs;
        j["done"] = done;
        j["attempt"] = attempt;
        if (!wait.is_null())
            j["wait"] = wait;
        if (task)
            j["task"] = task;
        if (!rekey.is_null())
            j["rekey"] = rekey;
        if (!error.is_null())
            j["error"] = error;
        if (compensating)
            j["compensating"] = true;
        if (callStamp)
            j["callStamp"] = callStamp;
        return enginedetail::bytes(j);
    }
    ojson doc(const std::string &var) const
    {
        if (var.empty())
            return vars;
        return vars.contains(var) ? vars[var] : ojson();
    }
    // The document a step works on: the variable holding `entity`, else the last one.
    std::string varFor(const QString &entity) const
    {
        const std::string k = enginedetail::s(entity);
        if (!k.empty() && docs.contains(k) && docs[k].is_string())
            return docs[k].get<std::string>();
        return last;
    }
    // Variables with the step's document laid over them: paths and keys see both.
    ojson context(const std::string &var) const
    {
        ojson c = vars;
        const ojson d = doc(var);
        if (!var.empty() && d.is_object() && c.is_object()) {
            for (auto it = d.begin(); it != d.end(); ++it)
                c[it.key()] = it.value();
        }
        if (!error.is_null() && c.is_object() && !c.contains("error"))
            c["error"] = error;
        return c;
    }
    void setOutput(const QString &name, const QString &entity, const ojson &value)
    {
        if (name.isEmpty())
            return;
        const std::string n = enginedetail::s(name);
        if (vars.is_object())
            vars[n] = value;
        if (std::find(outputs.begin(), outputs.end(), ojson(n)) == outputs.end())
            outputs.push_back(n);
        if (!entity.isEmpty())
            docs[enginedetail::s(entity)] = n;
        last = n;
    }
};

struct Engine::Outcome
{
    using ojson = enginedetail::ojson;
    // StorageFault: a write failed (recorded in storageFault()); the step stops there.
    // Pending: an asynchronous call was sent; the step runs again once it is answered.
    enum Kind { Done, Retry, Wait, BusinessError, Exhausted, TimedOut, StorageFault, Pending };
    Kind kind = Done;
    QString error;
    QString category;        // validation, business, transient, mapping, rejected, timeout
    qint64 delayMs = 0;
    int status = 0;
    ojson span = ojson::object();
    QString next;            // branch: chosen step
    bool chosen = false;

    static Outcome businessError(const QString &category, const QString &error)
    {
        Outcome o;
        o.kind = BusinessError;
        o.category = category;
        o.error = error;
        return o;
    }
    // A rejected approval task: the step fails as a business error.
    static Outcome rejected(qint64 task, const QString &note)
    {
        return businessError(QStringLiteral("rejected"),
                             QStringLiteral("task %1 rejected%2").arg(task).arg(
                                 note.isEmpty() ? QString() : QStringLiteral(": ") + note));
    }
};

} // namespace sb::runtime
