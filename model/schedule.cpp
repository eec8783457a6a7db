#include "model/schedule.h"

#include <QRegularExpression>
#include <QStringList>

#include <optional>

namespace sb::model {

namespace {

// One cron field into `bits`; the reason it is wrong otherwise.
template<size_t N>
std::optional<QString> parseField(const QString &text, int low, int high, std::bitset<N> &bits)
{
    for (const QString &part : text.split(QLatin1Char(','))) {
        if (part.isEmpty())
            return QStringLiteral("an empty list item");
        QString range = part;
        int step = 1;
        const qsizetype slash = part.indexOf(QLatin1Char('/'));
        if (slash >= 0) {
            bool ok = false;
            step = part.mid(slash + 1).toInt(&ok);
            if (!ok)
                return QStringLiteral("the step after '/' is not a number");
            if (step < 1)
                return QStringLiteral("a step must be at least 1");
            range = part.left(slash);
        }
        int from = low;
        int to = high;
        if (range != QLatin1String("*")) {
            const qsizetype dash = range.indexOf(QLatin1Char('-'));
            bool okFrom = false;
            bool okTo = true;
            from = range.left(dash < 0 ? range.size() : dash).toInt(&okFrom);
            if (dash >= 0)
                to = range.mid(dash + 1).toInt(&okTo);
            else if (slash < 0)
                to = from; // "5" alone; "5/15" runs from 5 to the end in steps
            if (!okFrom || !okTo)
                return QStringLiteral("'%1' is not a number or range").arg(range);
            if (from < low || to > high)
                return QStringLiteral("%1 is outside %2-%3").arg(range).arg(low).arg(high);
            if (from > to)
                return QStringLiteral("the range %1 runs backwards").arg(range);
        }
        for (int v = from; v <= to; v += step)
            bits.set(size_t(v));
    }
    return std::nullopt;
}

} // namespace

Result<Schedule> Schedule::parse(const QString &text)
{
    const QString s = text.trimmed();
    Schedule out;
    if (s.startsWith(QLatin1String("every"))) {
        static const QRegularExpression every(QStringLiteral("^every\\s+(\\d{1,9})\\s*([smh])$"));
        const QRegularExpressionMatch m = every.match(s);
        if (!m.hasMatch())
            return Error{QStringLiteral("schedule '%1': write every N followed by s, m or h "
                                        "(e.g. every 30s, every 5m)").arg(s)};
        const qint64 n = m.captured(1).toLongLong();
        const QChar unit = m.captured(2).at(0);
        out.m_intervalMs = n * (unit == QLatin1Char('s') ? 1000 : unit == QLatin1Char('m')
                                                                    ? 60000 : 3600000);
        if (out.m_intervalMs <= 0)
            return Error{QStringLiteral("schedule '%1': the interval must be positive").arg(s)};
        return out;
    }
    const QStringList f = s.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (f.size() != 5)
        return Error{QStringLiteral("schedule '%1': a cron expression has five fields (minute "
                                    "hour day-of-month month day-of-week), found %2")
                         .arg(s).arg(f.size())};
    std::bitset<8> weekdays;
    struct Field
    {
        const char *name;
        std::optional<QString> problem;
    };
    const Field fields[] = {
        {"minute", parseField(f[0], 0, 59, out.m_minutes)},
        {"hour", parseField(f[1], 0, 23, out.m_hours)},
        {"day-of-month", parseField(f[2], 1, 31, out.m_days)},
        {"month", parseField(f[3], 1, 12, out.m_months)},
        {"day-of-week", parseField(f[4], 0, 7, weekdays)},
    };
    for (int i = 0; i < 5; ++i) {
        if (fields[i].problem)
            return Error{QStringLiteral("schedule '%1': %2 field '%3': %4")
                             .arg(s, QLatin1String(fields[i].name), f[i], *fields[i].problem)};
    }
    for (int d = 0; d < 7; ++d)
        out.m_weekdays[size_t(d)] = weekdays[size_t(d)] || (d == 0 && weekdays[7]);
    out.m_daysRestricted = f[2] != QLatin1String("*");
    out.m_weekdaysRestricted = f[4] != QLatin1String("*");
    if (!out.nextAfter(QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC)).isValid())
        return Error{QStringLiteral("schedule '%1' never runs (no such day)").arg(s)};
    return out;
}

QDateTime Schedule::nextAfter(const QDateTime &fromAny) const
{
    const QDateTime from = fromAny.toUTC();
    if (m_intervalMs > 0)
        return from.addMSecs(m_intervalMs);
    QDateTime t(from.date(), QTime(from.time().hour(), from.time().minute()), Qt::UTC);
    t = t.addSecs(60);
    const QDateTime limit = from.addYears(5);
    while (t <= limit) {
        const QDate d = t.date();
        if (!m_months[size_t(d.month())]) {
            t = QDateTime(QDate(d.year(), d.month(), 1).addMonths(1), QTime(0, 0), Qt::UTC);
            continue;
        }
        const bool dayOfMonth = m_days[size_t(d.day())];
        const bool dayOfWeek = m_weekdays[size_t(d.dayOfWeek() % 7)];
        const bool dayMatches = m_daysRestricted && m_weekdaysRestricted
                                    ? dayOfMonth || dayOfWeek
                                    : (!m_daysRestricted || dayOfMonth)
                                          && (!m_weekdaysRestricted || dayOfWeek);
        if (!dayMatches) {
            t = QDateTime(d.addDays(1), QTime(0, 0), Qt::UTC);
            continue;
        }
        const QTime time = t.time();
        if (!m_hours[size_t(time.hour())]) {
            t = QDateTime(d, QTime(time.hour(), 0), Qt::UTC).addSecs(3600);
            continue;
        }
        if (!m_minutes[size_t(time.minute())]) {
            t = t.addSecs(60);
            continue;
        }
        return t;
    }
    return {};
}

} // namespace sb::model
