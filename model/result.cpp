#include "model/result.h"

namespace sb {

QString Error::toString() const
{
    QString out;
    if (!file.isEmpty()) {
        out += file;
        if (line > 0) {
            out += QLatin1Char(':') + QString::number(line);
            if (column > 0)
                out += QLatin1Char(':') + QString::number(column);
        }
        out += QLatin1String(": ");
    }
    out += message;
    if (!path.isEmpty())
        out += QStringLiteral(" (at %1)").arg(path);
    return out;
}

} // namespace sb

namespace sb::detail {

void valueOfError(const Error &error)
{
    qFatal("sb::Result::value() read on an error: %s", qPrintable(error.toString()));
}

} // namespace sb::detail
