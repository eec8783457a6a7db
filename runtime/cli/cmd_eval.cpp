// switchboard-run eval EXPRESSION [--input FILE] [budget flags]: evaluate JSONata within the
// runner's per-evaluation budget, print the result as JSON.
#include "runtime/cli/commands.h"
#include "runtime/cli/commandline.h"

#include "runtime/jsonata/jsonata.h"

#include <QFile>
#include <algorithm>
#include <cstdio>
#include <string>

namespace sb::cli {

namespace {

const char *const kUsage =
    "usage: switchboard-run eval EXPRESSION [--input FILE] [--time-limit MS]\n"
    "           [--memory-limit MB] [--max-string BYTES] [--max-array ITEMS] [--max-depth N]\n";

} // namespace

int runEval(const QStringList &args)
{
    CommandLine cl("eval", kUsage);
    cl.addOption({QStringLiteral("input")}, QStringLiteral("FILE"));
    const char *const budgetFlags[] = {"time-limit", "memory-limit", "max-string", "max-array",
                                       "max-depth"};
    for (const char *name : budgetFlags)
        cl.addOption({QString::fromLatin1(name)}, QStringLiteral("N"));
    if (const auto stop = cl.parse(args, 1, 1))
        return *stop;
    const QString expression = cl.positional().first();
    const QString inputFile = cl.value(QStringLiteral("input"));
    // the same budget the engine gives each evaluation
    jsonata::EvalOptions budget = jsonata::runnerBudget();
    for (const char *name : budgetFlags) {
        const QString flag = QString::fromLatin1(name);
        if (!cl.isSet(flag))
            continue;
        bool ok = false;
        const qlonglong n = cl.value(flag).toLongLong(&ok);
        if (!ok || n < 0 || n > (qlonglong(1) << 40)) {
            std::fprintf(stderr, "switchboard-run eval: --%s needs a non-negative number\n",
                         name);
            return BadInput;
        }
        if (flag == QLatin1String("time-limit"))
            budget.timeLimitMs = n;
        else if (flag == QLatin1String("memory-limit"))
            budget.maxAllocBytes = size_t(n) << 20;
        else if (flag == QLatin1String("max-string"))
            budget.maxStringLength = size_t(n);
        else if (flag == QLatin1String("max-array"))
            budget.maxArrayLength = size_t(n);
        else
            budget.maxDepth = int(std::min<qlonglong>(n, 100000));
    }

    jsonata::Value input;
    if (!inputFile.isEmpty()) {
        QFile f(inputFile);
        if (!f.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "%s: cannot read: %s\n", qPrintable(inputFile),
                         qPrintable(f.errorString()));
            return BadInput;
        }
        const QByteArray bytes = f.readAll();
        jsonata::JsonParseError err;
        if (!jsonata::parseJson(std::string_view(bytes.constData(), size_t(bytes.size())), input,
                                &err)) {
            std::fprintf(stderr, "%s:%d:%d: invalid JSON: %s\n", qPrintable(inputFile), err.line,
                         err.column, err.message.c_str());
            return BadInput;
        }
    }

    const jsonata::Expression expr = jsonata::Expression::compile(expression.toStdString());
    if (!expr.ok()) {
        std::fprintf(stderr, "%s\n", expr.error().toString().c_str());
        return BadInput;
    }
    const jsonata::Result result = expr.evaluate(input, {}, budget);
    if (!result.ok) {
        std::fprintf(stderr, "%s\n", result.error.toString().c_str());
        return BadInput;
    }
    if (result.value.isUndefined())
        return Success;
    // shared sub-values can make the printed text far larger than the value: same budget
    std::string text;
    jsonata::JsonWriteOptions wo;
    wo.maxLength = budget.maxAllocBytes;
    jsonata::writeJson(result.value, text, wo);
    if (wo.maxLength && text.size() > wo.maxLength) {
        std::fprintf(stderr, "error U1004: Memory budget exceeded: the result as JSON is "
                             "larger than %zu MiB\n", budget.maxAllocBytes >> 20);
        return BadInput;
    }
    std::printf("%s\n", text.c_str());
    return Success;
}

} // namespace sb::cli
