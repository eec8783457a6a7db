#pragma once

// A schedule trigger's timing: "every 30s" / "every 5m" / "every 2h", or a five-field cron
// expression "minute hour day-of-month month day-of-week" with *, numbers, lists (1,15),
// ranges (1-5) and steps (*/5, 8-18/2); day-of-week 0-7 with 0 and 7 both Sunday. When both
// day fields are restricted a day matching either runs, as in cron. Times are UTC.
// Parsed here so that validate refuses a schedule that would never run and serve runs exactly
// what validate accepted.

#include "model/result.h"

#include <QDateTime>
#include <QString>

#include <bitset>

namespace sb::model {

class Schedule
{
public:
    // An error names the part at fault ("minute field '*/0': a step must be at least 1").
    static Result<Schedule> parse(const QString &text);

    // The first run strictly after `from` (UTC); invalid when none comes within five years
    // (e.g. "0 0 31 2 *").
    QDateTime nextAfter(const QDateTime &from) const;

    bool isInterval() const { return m_intervalMs > 0; }
    qint64 intervalMs() const { return m_intervalMs; }

private:
    qint64 m_intervalMs = 0;
    std::bitset<60> m_minutes;
    std::bitset<24> m_hours;
    std::bitset<32> m_days;     // 1-31
    std::bitset<13> m_months;   // 1-12
    std::bitset<7> m_weekdays;  // 0 = Sunday
    bool m_daysRestricted = false;
    bool m_weekdaysRestricted = false;
};

} // namespace sb::model
