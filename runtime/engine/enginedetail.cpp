#include "runtime/engine/enginedetail.h"

#include "model/jsonlimits.h"

#include <vector>

namespace sb::runtime::enginedetail {

using model::Step;

QByteArray bytes(const ojson &j)
{
    const std::string t = sb::jsonText(j);
    return QByteArray(t.data(), qsizetype(t.size()));
}
ojson parseJson(const QByteArray &b)
{
    if (b.trimmed().isEmpty())
        return nullptr;
    ojson j = ojson::parse(b.constData(), b.constData() + b.size(), nullptr, false);
    return j.is_discarded() ? ojson() : j;
}
ojson parseOrString(const QByteArray &b)
{
    if (b.trimmed().isEmpty())
        return nullptr;
    ojson j = ojson::parse(b.constData(), b.constData() + b.size(), nullptr, false);
    if (j.is_discarded())
        return std::string(b.constData(), size_t(b.size()));
    return j;
}

bool truthy(const jsonata::Result &r, const jsonata::EvalOptions &budget)
{
    if (!r.ok || r.isUndefined())
        return false;
    ojson j;
    jsonata::Error err;
    if (!jsonata::toJsonChecked(r.value, j, err, budget))
        return false;
    if (j.is_boolean())
        return j.get<bool>();
    if (j.is_null())
        return false;
    if (j.is_number())
        return j.get<double>() != 0;
    if (j.is_string())
        return !j.get<std::string>().empty();
    if (j.is_array())
        return !j.empty();
    return true;
}

jsonata::EvalOptions stepBudget(jsonata::EvalOptions budget, const Step &step)
{
    if (step.evalTimeLimitMs > 0)
        budget.timeLimitMs = step.evalTimeLimitMs;
    if (step.evalMemoryLimitMb > 0)
        budget.maxAllocBytes = size_t(step.evalMemoryLimitMb) << 20;
    return budget;
}

std::optional<ojson> eval(const jsonata::Expression &e, const EvalInput &input, QString *error,
                          const jsonata::EvalOptions &budget,
                          const jsonata::Bindings &bindings)
{
    if (!e.ok()) {
        if (error)
            *error = q(e.error().toString());
        return std::nullopt;
    }
    if (!input.value.ok) {
        if (error)
            *error = q(input.value.error.toString());
        return std::nullopt;
    }
    const jsonata::Result r = e.evaluate(input.value.value, bindings, budget);
    if (!r.ok) {
        if (error)
            *error = q(r.error.toString());
        return std::nullopt;
    }
    if (r.isUndefined())
        return ojson();
    ojson out;
    jsonata::Error err;
    if (!jsonata::toJsonChecked(r.value, out, err, budget)) {
        if (error)
            *error = q(err.toString());
        return std::nullopt;
    }
    return out;
}

bool nestedDeeperThan(const ojson &j, int limit)
{
    std::vector<std::pair<const ojson *, int>> todo{{&j, 0}};
    while (!todo.empty()) {
        const auto [v, depth] = todo.back();
        todo.pop_back();
        if (!v->is_structured())
            continue;
        if (depth >= limit)
            return true;
        for (const auto &child : *v)
            todo.emplace_back(&child, depth + 1);
    }
    return false;
}

bool evalTruthy(const jsonata::Expression &e, const EvalInput &input,
                const jsonata::EvalOptions &budget)
{
    return e.ok() && input.value.ok && truthy(e.evaluate(input.value.value, {}, budget), budget);
}

QString scalarText(const ojson &j)
{
    if (j.is_string())
        return q(j.get<std::string>());
    if (j.is_null())
        return QString();
    return q(sb::jsonText(j));
}

QString randomHex(QRandomGenerator &g, int bytesCount)
{
    QByteArray b(bytesCount, Qt::Uninitialized);
    for (int i = 0; i < bytesCount; ++i)
        b[i] = char(g.bounded(256));
    return QString::fromLatin1(b.toHex());
}

Step stepWithId(const QString &id)
{
    Step step;
    step.id = id;
    return step;
}

} // namespace sb::runtime::enginedetail
