// switchboard-run eval EXPRESSION [--input FILE]: evaluate JSONata, print the result as JSON.
#include "runtime/cli/commands.h"

#include "runtime/jsonata/jsonata.h"

#include <QFile>
#include <cstdio>
#include <string>

namespace sb::cli {

int runEval(const QStringList &args)
{
    QString expression;
    QString inputFile;
    bool haveExpression = false;
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == QLatin1String("--input")) {
            if (i + 1 >= args.size()) {
                std::fprintf(stderr, "switchboard-run eval: --input needs a file name\n");
                return BadInput;
            }
            inputFile = args.at(++i);
        } else if (!haveExpression) {
            expression = a;
            haveExpression = true;
        } else {
            std::fprintf(stderr, "usage: switchboard-run eval EXPRESSION [--input FILE]\n");
            return BadInput;
        }
    }
    if (!haveExpression) {
        std::fprintf(stderr, "usage: switchboard-run eval EXPRESSION [--input FILE]\n");
        return BadInput;
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
    const jsonata::Result result = expr.evaluate(input);
    if (!result.ok) {
        std::fprintf(stderr, "%s\n", result.error.toString().c_str());
        return BadInput;
    }
    if (result.value.isUndefined())
        return Success;
    std::printf("%s\n", jsonata::toJsonString(result.value).c_str());
    return Success;
}

} // namespace sb::cli
