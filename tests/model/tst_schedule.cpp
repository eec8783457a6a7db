// Schedule: the timings validate accepts are the ones serve runs, at the times cron would;
// what would never run (or run at a surprising rate) is refused with the field at fault.

#include "model/schedule.h"

#include <QtTest>

using sb::model::Schedule;

namespace {

QDateTime utc(const char *iso)
{
    QDateTime t = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
    t.setTimeSpec(Qt::UTC);
    return t;
}

} // namespace

class TstSchedule : public QObject
{
    Q_OBJECT

private slots:
    void nextRun_data()
    {
        QTest::addColumn<QString>("schedule");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("next");
        const auto row = [](const char *name, const char *s, const char *from, const char *next) {
            QTest::newRow(name) << QString::fromLatin1(s) << QString::fromLatin1(from)
                                << QString::fromLatin1(next);
        };
        row("every 30s", "every 30s", "2026-12-07T10:00:00", "2026-12-07T10:00:30");
        row("every 5m", "every 5m", "2026-12-07T10:00:00", "2026-12-07T10:05:00");
        row("every 2 h", "every 2 h", "2026-12-07T10:00:00", "2026-12-07T12:00:00");
        row("daily at 02:00, later today", "0 2 * * *", "2026-12-07T01:59:59",
            "2026-12-07T02:00:00");
        row("daily at 02:00, tomorrow", "0 2 * * *", "2026-12-07T02:00:00",
            "2026-12-08T02:00:00");
        row("every five minutes", "*/5 * * * *", "2026-12-07T10:02:10", "2026-12-07T10:05:00");
        row("steps from an offset", "7/20 * * * *", "2026-12-07T10:28:00",
            "2026-12-07T10:47:00");
        row("every hour on the half hour", "30 * * * *", "2026-12-07T10:31:00",
            "2026-12-07T11:30:00");
        row("office hours", "0 8-18/2 * * 1-5", "2026-12-11T18:00:00", // a Friday
            "2026-12-14T08:00:00");
        row("list of minutes", "15,45 9 * * *", "2026-12-07T09:20:00", "2026-12-07T09:45:00");
        row("sunday as 7", "0 0 * * 7", "2026-12-07T00:00:00", "2026-12-13T00:00:00");
        row("sunday as 0", "0 0 * * 0", "2026-12-07T00:00:00", "2026-12-13T00:00:00");
        // Both day fields restricted: either one matches, as in cron.
        row("the 15th or a monday", "0 0 15 * 1", "2026-12-08T00:00:00",
            "2026-12-14T00:00:00");
        row("first of a quarter", "0 6 1 1,4,7,10 *", "2026-12-07T00:00:00",
            "2027-01-01T06:00:00");
        row("leap day", "0 0 29 2 *", "2026-12-07T00:00:00", "2028-02-29T00:00:00");
        row("year end", "59 23 31 12 *", "2026-12-31T23:59:00", "2027-12-31T23:59:00");
    }

    void nextRun()
    {
        QFETCH(QString, schedule);
        QFETCH(QString, from);
        QFETCH(QString, next);
        const auto parsed = Schedule::parse(schedule);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error().message));
        const QDateTime got = parsed.value().nextAfter(utc(from.toLatin1().constData()));
        QCOMPARE(got.toString(Qt::ISODate), utc(next.toLatin1().constData())
                                                  .toString(Qt::ISODate));
    }

    void refused_data()
    {
        QTest::addColumn<QString>("schedule");
        QTest::addColumn<QString>("words");
        const auto row = [](const char *s, const char *words) {
            QTest::newRow(s) << QString::fromLatin1(s) << QString::fromLatin1(words);
        };
        row("", "five fields");
        row("daily", "five fields");
        row("every 30", "every N followed by s, m or h");
        row("every 0s", "positive");
        row("every five minutes", "every N followed by s, m or h");
        row("*/0 * * * *", "minute field '*/0': a step must be at least 1");
        row("60 * * * *", "minute field '60': 60 is outside 0-59");
        row("0 24 * * *", "hour field");
        row("0 0 0 * *", "day-of-month field");
        row("0 0 * 13 *", "month field");
        row("0 0 * * 8", "day-of-week field");
        row("0 5-1 * * *", "runs backwards");
        row("0 0 1,,2 * *", "empty list item");
        row("a * * * *", "not a number");
        row("0 0 31 2 *", "never runs");
        row("0 0 * * * *", "found 6");
    }

    void refused()
    {
        QFETCH(QString, schedule);
        QFETCH(QString, words);
        const auto parsed = Schedule::parse(schedule);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(words), qPrintable(parsed.error().message));
    }

    void runsEveryFiveMinutesThroughADay()
    {
        const auto parsed = Schedule::parse(QStringLiteral("*/5 * * * *"));
        QVERIFY(parsed.ok());
        QDateTime t = utc("2026-12-07T00:00:00");
        int runs = 0;
        for (QDateTime n = parsed.value().nextAfter(t); n < utc("2026-12-08T00:00:00");
             n = parsed.value().nextAfter(n))
            ++runs;
        QCOMPARE(runs, 24 * 12 - 1); // every five minutes after midnight, midnight excluded
    }
};

QTEST_GUILESS_MAIN(TstSchedule)
#include "tst_schedule.moc"
