// Date/time and integer pictures: $fromMillis, $toMillis, $formatInteger, $parseInteger.
#include "runtime/jsonata/internal.h"

#include <cmath>
#include <cstdio>

namespace sb::jsonata {

std::string dateTimeFromMillis(double millis, const Value &, const Value &)
{
    long long ms = (long long)std::floor(millis);
    long long days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    long long rem = ms - days * 86400000;
    // civil from days (Howard Hinnant)
    long long z = days + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    long long d = doy - (153 * mp + 2) / 5 + 1;
    long long m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2)
        ++y;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", y, m, d,
                  rem / 3600000, (rem / 60000) % 60, (rem / 1000) % 60, rem % 1000);
    return buf;
}

Value dateTimeToMillis(const std::string &ts, const Value &)
{
    throw JError("D3110").val(Value::string(ts));
}

std::string formatIntegerPicture(double value, const std::string &)
{
    return formatJsNumber(std::floor(value));
}

Value parseIntegerPicture(const std::string &value, const std::string &)
{
    return Value::number(std::strtod(value.c_str(), nullptr));
}

} // namespace sb::jsonata
