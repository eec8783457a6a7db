// Date/time (XPath F&O 9.8 as the reference implements them): the proleptic Gregorian
// calendar on JavaScript's millisecond range, components of a date, and $fromMillis
// formatting. Pictures are read in datetime_picture.cpp, parsed text in datetime_parse.cpp.
#include "runtime/jsonata/datetime_impl.h"

#include <cmath>
#include <cstdlib>
#include <unordered_map>

namespace sb::jsonata {

namespace dt {

namespace {

long long daysFromCivil(long long y, long long m, long long d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct Civil
{
    long long y, m, d; // m 1..12
};

Civil civilFromDays(long long z)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    long long d = doy - (153 * mp + 2) / 5 + 1;
    long long m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
}

} // namespace

[[noreturn]] void dateOutOfRange(double v)
{
    JError e("D3150");
    e.val(Value::number(v));
    throw e;
}

double dateUTC(double y, double mon, double d, double h, double mi, double s, double ms)
{
    if (!std::isfinite(y) || std::fabs(y) > maxYear)
        dateOutOfRange(y);
    if (!std::isfinite(mon) || std::fabs(mon) > 12 * maxYear)
        dateOutOfRange(mon);
    double ym = y + std::floor(mon / 12);
    double mn = std::fmod(mon, 12);
    if (mn < 0)
        mn += 12;
    double days = double(daysFromCivil((long long)ym, (long long)mn + 1, 1)) + d - 1;
    return days * dayMs + h * 3600000.0 + mi * 60000.0 + s * 1000.0 + ms;
}

DateParts split(double ms)
{
    // offsets and week arithmetic may step a little past the JavaScript range
    if (!std::isfinite(ms) || std::fabs(ms) > maxDateMs + 400 * dayMs)
        dateOutOfRange(ms);
    DateParts p;
    p.ms = ms;
    long long t = (long long)std::floor(ms);
    long long days = t >= 0 ? t / 86400000 : -((-t + 86399999) / 86400000);
    long long rem = t - days * 86400000;
    Civil c = civilFromDays(days);
    p.y = c.y;
    p.mon = c.m - 1;
    p.d = c.d;
    p.h = rem / 3600000;
    p.mi = (rem / 60000) % 60;
    p.s = (rem / 1000) % 60;
    p.f = rem % 1000;
    long long dow = (days + 4) % 7;
    p.dow = dow < 0 ? dow + 7 : dow;
    return p;
}

double startOfFirstWeek(long long year, long long month)
{
    double jan1 = dateUTC(double(year), double(month));
    long long dow = split(jan1).dow;
    if (dow == 0)
        dow = 7;
    return dow > 4 ? jan1 + double(8 - dow) * dayMs : jan1 - double(dow - 1) * dayMs;
}

double deltaWeeks(double start, double end) { return (end - start) / (dayMs * 7) + 1; }

Value fragment(double ms, char component)
{
    DateParts p = split(ms);
    switch (component) {
    case 'Y': return Value::number(double(p.y));
    case 'M': return Value::number(double(p.mon + 1));
    case 'D': return Value::number(double(p.d));
    case 'd': {
        double today = dateUTC(double(p.y), double(p.mon), double(p.d));
        double firstJan = dateUTC(double(p.y), 0);
        return Value::number((today - firstJan) / dayMs + 1);
    }
    case 'F': return Value::number(double(p.dow == 0 ? 7 : p.dow));
    case 'W': {
        double start = startOfFirstWeek(p.y, 0);
        double today = dateUTC(double(p.y), double(p.mon), double(p.d));
        double week = deltaWeeks(start, today);
        if (week > 52) {
            if (today >= startOfFirstWeek(p.y + 1, 0))
                week = 1;
        } else if (week < 1) {
            week = deltaWeeks(startOfFirstWeek(p.y - 1, 0), today);
        }
        return Value::number(std::floor(week));
    }
    case 'w': {
        double start = startOfFirstWeek(p.y, p.mon);
        double today = dateUTC(double(p.y), double(p.mon), double(p.d));
        double week = deltaWeeks(start, today);
        if (week > 4) {
            long long ny = p.mon == 11 ? p.y + 1 : p.y, nm = p.mon == 11 ? 0 : p.mon + 1;
            if (today >= startOfFirstWeek(ny, nm))
                week = 1;
        } else if (week < 1) {
            long long py = p.mon == 0 ? p.y - 1 : p.y, pm = p.mon == 0 ? 11 : p.mon - 1;
            week = deltaWeeks(startOfFirstWeek(py, pm), today);
        }
        return Value::number(std::floor(week));
    }
    case 'X': {
        double s = startOfFirstWeek(p.y, 0), e = startOfFirstWeek(p.y + 1, 0);
        return Value::number(double(ms < s ? p.y - 1 : ms >= e ? p.y + 1 : p.y));
    }
    case 'x': {
        double s = startOfFirstWeek(p.y, p.mon);
        long long ny = p.mon == 11 ? p.y + 1 : p.y, nm = p.mon == 11 ? 0 : p.mon + 1;
        double e = startOfFirstWeek(ny, nm);
        long long prev = p.mon == 0 ? 11 : p.mon - 1;
        return Value::number(double(ms < s ? prev + 1 : ms >= e ? nm + 1 : p.mon + 1));
    }
    case 'H': return Value::number(double(p.h));
    case 'h': {
        long long h = p.h % 12;
        return Value::number(double(h == 0 ? 12 : h));
    }
    case 'P': return Value::string(p.h >= 12 ? "pm" : "am");
    case 'm': return Value::number(double(p.mi));
    case 's': return Value::number(double(p.s));
    case 'f': return Value::number(double(p.f));
    case 'C':
    case 'E': return Value::string("ISO");
    default: return Value();
    }
}

const char *dayNames[8] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                           "Saturday", "Sunday"};
const char *monthNames[12] = {"January", "February", "March", "April", "May", "June",
                              "July", "August", "September", "October", "November",
                              "December"};

} // namespace dt

using namespace dt;

// A mapping formats with the same few pictures over and over: analyse each once per
// thread (a picture that fails to analyse throws and is not kept).
static const std::vector<Marker> &cachedPicture(const std::string &picture)
{
    thread_local std::unordered_map<std::string, std::vector<Marker>> cache;
    auto it = cache.find(picture);
    if (it != cache.end())
        return it->second;
    std::vector<Marker> spec = analyseDateTimePicture(picture);
    if (cache.size() >= 64 || picture.size() > 256) {
        thread_local std::vector<Marker> last;
        last = std::move(spec);
        return last;
    }
    return cache.emplace(picture, std::move(spec)).first->second;
}

std::string dateTimeFromMillis(double millis, const Value &picture, const Value &tz)
{
    int offsetHours = 0, offsetMinutes = 0;
    if (tz.isString()) {
        // strtol saturates where atoi is undefined; offsets are at most four digits
        long offset = std::strtol(tz.str().c_str(), nullptr, 10);
        if (offset > 9999 || offset < -9999)
            dateOutOfRange(double(offset));
        offsetHours = int(std::floor(offset / 100.0));
        offsetMinutes = offset % 100;
    }
    static const std::vector<Marker> iso =
        analyseDateTimePicture("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]");
    const std::vector<Marker> &spec = picture.isString() ? cachedPicture(picture.str()) : iso;
    if (!std::isfinite(millis) || std::fabs(millis) > maxDateMs)
        dateOutOfRange(millis);
    double offsetMillis = (60.0 * offsetHours + offsetMinutes) * 60000.0;
    double dt = millis + offsetMillis;
    std::string result;
    for (const Marker &m : spec) {
        if (m.literal) {
            result += m.value;
            continue;
        }
        Value cv = fragment(dt, m.component);
        std::string out;
        if (std::string("YMDdFWwXxHhms").find(m.component) != std::string::npos) {
            double v = cv.num();
            if (m.component == 'Y' && m.n != -1)
                v = std::fmod(v, std::pow(10, m.n));
            if (m.names) {
                std::string name;
                if (m.component == 'M' || m.component == 'x')
                    name = monthNames[int(v) - 1];
                else if (m.component == 'F')
                    name = dayNames[int(v)];
                else
                    throw JError("D3133").val(Value::string(std::string(1, m.component)));
                if (m.names == 2)
                    name = upper(name);
                else if (m.names == 1)
                    name = lower(name);
                if (m.hasWidth && m.widthMax >= 0 && int(name.size()) > m.widthMax)
                    name = name.substr(0, size_t(m.widthMax));
                out = name;
            } else {
                out = formatIntegerImpl(v, m.intFormat);
            }
        } else if (m.component == 'f') {
            out = formatIntegerImpl(cv.num(), m.intFormat);
        } else if (m.component == 'Z' || m.component == 'z') {
            int offset = offsetHours * 100 + offsetMinutes;
            if (m.intFormat.regular) {
                out = formatIntegerImpl(offset, m.intFormat);
            } else {
                int digits = m.intFormat.mandatoryDigits;
                if (digits == 1 || digits == 2) {
                    out = formatIntegerImpl(offsetHours, m.intFormat);
                    if (offsetMinutes != 0)
                        out += ":" + formatInt(offsetMinutes, "00");
                } else if (digits == 3 || digits == 4) {
                    out = formatIntegerImpl(offset, m.intFormat);
                } else {
                    throw JError("D3134").val(Value::number(digits));
                }
            }
            if (offset >= 0)
                out = "+" + out;
            if (m.component == 'z')
                out = "GMT" + out;
            if (offset == 0 && m.presentation2 == "t")
                out = "Z";
        } else if (cv.isString()) {
            out = cv.str();
            if (m.component == 'P' && m.names == 2)
                out = upper(out);
        }
        result += out;
    }
    return result;
}

} // namespace sb::jsonata
