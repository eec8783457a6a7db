// The limit options of `serve`: names, units and defaults in one table.
#include "runtime/http/httpserver.h"

#include <cmath>
#include <limits>
#include <optional>

namespace sb::runtime::http {

namespace {

enum class Unit { Bytes, Count, Seconds };

struct Option
{
    const char *name;
    Unit unit;
    const char *help;
    qint64 Limits::*wide = nullptr;
    int Limits::*narrow = nullptr;
};

const Option kOptions[] = {
    {"--max-request-line", Unit::Bytes, "request target (URL) size, else 414", nullptr,
     &Limits::maxRequestLine},
    {"--max-header-bytes", Unit::Bytes, "all header names and values, else 431", nullptr,
     &Limits::maxHeaderBytes},
    {"--max-headers", Unit::Count, "header lines, else 431", nullptr, &Limits::maxHeaders},
    {"--max-body", Unit::Bytes, "request body, else 413", &Limits::maxBody, nullptr},
    {"--max-json-depth", Unit::Count, "nesting of a JSON body, else 400", nullptr,
     &Limits::maxJsonDepth},
    {"--idle-timeout", Unit::Seconds, "kept-alive connection without a request closed",
     nullptr, &Limits::idleTimeoutMs},
    {"--read-timeout", Unit::Seconds, "for a request's head and body, else 408",
     nullptr, &Limits::readTimeoutMs},
    {"--max-connections", Unit::Count, "open connections; more are answered 503", nullptr,
     &Limits::maxConnections},
};

// "65536", "64K", "10M", "1G" (powers of 1024).
std::optional<qint64> parseBytes(QString v)
{
    qint64 scale = 1;
    const QChar last = v.isEmpty() ? QChar() : v.back().toUpper();
    if (last == QLatin1Char('K') || last == QLatin1Char('M') || last == QLatin1Char('G')) {
        scale = last == QLatin1Char('K') ? 1024 : last == QLatin1Char('M') ? 1 << 20 : 1 << 30;
        v.chop(1);
    }
    bool ok = false;
    const qint64 n = v.toLongLong(&ok);
    if (!ok || n <= 0 || n > std::numeric_limits<qint64>::max() / scale)
        return std::nullopt;
    return n * scale;
}

std::optional<qint64> parseCount(const QString &v)
{
    bool ok = false;
    const qint64 n = v.toLongLong(&ok);
    return ok && n > 0 ? std::optional<qint64>(n) : std::nullopt;
}

// Seconds, fractions allowed ("30", "0.5"), or milliseconds with "ms". Returns ms.
std::optional<qint64> parseMillis(QString v)
{
    double scale = 1000;
    if (v.endsWith(QLatin1String("ms"))) {
        scale = 1;
        v.chop(2);
    } else if (v.endsWith(QLatin1Char('s'))) {
        v.chop(1);
    }
    bool ok = false;
    const double d = v.toDouble(&ok) * scale;
    if (!ok || !std::isfinite(d) || d < 1 || d > 24.0 * 3600 * 1000)
        return std::nullopt;
    return qint64(std::llround(d));
}

QByteArray shown(const Limits &l, const Option &o)
{
    const qint64 v = o.wide ? l.*o.wide : qint64(l.*o.narrow);
    if (o.unit == Unit::Seconds)
        return QByteArray::number(double(v) / 1000.0) + " s";
    if (o.unit == Unit::Bytes && v % (1 << 20) == 0)
        return QByteArray::number(v >> 20) + "M";
    if (o.unit == Unit::Bytes && v % 1024 == 0)
        return QByteArray::number(v >> 10) + "K";
    return QByteArray::number(v);
}

} // namespace

QStringList limitOptionNames()
{
    QStringList names;
    for (const Option &o : kOptions)
        names << QString::fromLatin1(o.name + 2);
    return names;
}

bool setLimitOption(const QString &name, const QString &v, Limits &limits, QString *error)
{
    for (const Option &o : kOptions) {
        if (name != QLatin1String(o.name + 2))
            continue;
        const std::optional<qint64> n = o.unit == Unit::Seconds ? parseMillis(v)
                                        : o.unit == Unit::Bytes ? parseBytes(v)
                                                                : parseCount(v);
        const qint64 cap = o.wide ? std::numeric_limits<qint64>::max()
                                  : std::numeric_limits<int>::max();
        if (!n || *n > cap) {
            *error = QStringLiteral("%1 needs a positive %2, found '%3'")
                         .arg(QLatin1String(o.name),
                              o.unit == Unit::Seconds ? QStringLiteral("number of seconds")
                              : o.unit == Unit::Bytes ? QStringLiteral("size (e.g. 64K, 10M)")
                                                      : QStringLiteral("whole number"),
                              v);
            return false;
        }
        if (o.wide)
            limits.*o.wide = *n;
        else
            limits.*o.narrow = int(*n);
        return true;
    }
    *error = QStringLiteral("unknown limit --%1").arg(name);
    return false;
}

QByteArray limitsUsage()
{
    const Limits defaults;
    QByteArray out;
    for (const Option &o : kOptions) {
        const QByteArray value = o.unit == Unit::Seconds ? "SECONDS"
                                 : o.unit == Unit::Bytes ? "BYTES"
                                                         : "N";
        QByteArray line = "  " + QByteArray(o.name) + ' ' + value;
        line = line.leftJustified(32, ' ');
        out += line + ' ' + o.help + " (default " + shown(defaults, o) + ")\n";
    }
    return out;
}

} // namespace sb::runtime::http
