// Date/time and integer pictures (XPath F&O 9.8 / 4.6.1 as the reference implements them):
// $fromMillis, $toMillis, $formatInteger, $parseInteger.
#include "runtime/jsonata/internal.h"

#include <QRegularExpression>
#include <QString>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>

namespace sb::jsonata {

namespace {

using U = std::u32string;

const char *few[] = {"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight",
                     "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen",
                     "Sixteen", "Seventeen", "Eighteen", "Nineteen"};
const char *ordinals[] = {"Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth",
                          "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth",
                          "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth",
                          "Eighteenth", "Nineteenth"};
const char *decades[] = {"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty",
                         "Ninety", "Hundred"};
const char *magnitudes[] = {"Thousand", "Million", "Billion", "Trillion"};

std::string lookupWords(double num, bool prev, bool ord)
{
    std::string words;
    if (num <= 19) {
        words = std::string(prev ? " and " : "") + (ord ? ordinals[int(num)] : few[int(num)]);
    } else if (num < 100) {
        int tens = int(num / 10);
        int rem = int(std::fmod(num, 10));
        words = std::string(prev ? " and " : "") + decades[tens - 2];
        if (rem > 0)
            words += "-" + lookupWords(rem, false, ord);
        else if (ord)
            words = words.substr(0, words.size() - 1) + "ieth";
    } else if (num < 1000) {
        int hundreds = int(num / 100);
        double rem = std::fmod(num, 100);
        words = std::string(prev ? ", " : "") + few[hundreds] + " Hundred";
        if (rem > 0)
            words += lookupWords(rem, true, ord);
        else if (ord)
            words += "th";
    } else {
        int mag = int(std::floor(std::log10(num) / 3));
        if (mag > 4)
            mag = 4;
        double factor = std::pow(10, mag * 3);
        double mant = std::floor(num / factor);
        double rem = num - mant * factor;
        words = std::string(prev ? ", " : "") + lookupWords(mant, false, false) + " "
                + magnitudes[mag - 1];
        if (rem > 0)
            words += lookupWords(rem, true, ord);
        else if (ord)
            words += "th";
    }
    return words;
}

const std::vector<std::pair<std::string, double>> &wordValues()
{
    static std::vector<std::pair<std::string, double>> v = [] {
        std::vector<std::pair<std::string, double>> out;
        auto add = [&](std::string k, double val) {
            for (auto &e : out)
                if (e.first == k) {
                    e.second = val;
                    return;
                }
            out.emplace_back(std::move(k), val);
        };
        auto lower = [](std::string s) {
            for (auto &c : s)
                c = char(tolower(c));
            return s;
        };
        for (int i = 0; i < 20; ++i)
            add(lower(few[i]), i);
        for (int i = 0; i < 20; ++i)
            add(lower(ordinals[i]), i);
        for (int i = 0; i < 9; ++i) {
            std::string w = lower(decades[i]);
            add(w, (i + 2) * 10);
            add(w.substr(0, w.size() - 1) + "ieth", (i + 2) * 10);
        }
        add("hundredth", 100);
        for (int i = 0; i < 4; ++i) {
            std::string w = lower(magnitudes[i]);
            double val = std::pow(10, (i + 1) * 3);
            add(w, val);
            add(w + "th", val);
        }
        return out;
    }();
    return v;
}

double wordsToNumber(const std::string &text)
{
    static const QRegularExpression splitter(QStringLiteral(",\\s|\\sand\\s|[\\s\\\\-]"));
    const QStringList parts = QString::fromStdString(text).split(splitter);
    std::vector<double> segs{0};
    for (const auto &p : parts) {
        double value = NAN;
        std::string key = p.toStdString();
        for (const auto &e : wordValues())
            if (e.first == key)
                value = e.second;
        if (value < 100) {
            double top = segs.back();
            segs.pop_back();
            if (top >= 1000) {
                segs.push_back(top);
                top = 0;
            }
            segs.push_back(top + value);
        } else {
            double top = segs.back();
            segs.pop_back();
            segs.push_back(top * value);
        }
    }
    return std::accumulate(segs.begin(), segs.end(), 0.0);
}

std::string decimalToRoman(double value)
{
    static const std::pair<int, const char *> numerals[] = {
        {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
        {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
    std::string out;
    while (value >= 1) {
        for (const auto &n : numerals) {
            if (value >= n.first) {
                out += n.second;
                value -= n.first;
                break;
            }
        }
    }
    return out;
}

double romanToDecimal(const std::string &roman)
{
    auto val = [](char c) {
        switch (c) {
        case 'M': return 1000;
        case 'D': return 500;
        case 'C': return 100;
        case 'L': return 50;
        case 'X': return 10;
        case 'V': return 5;
        case 'I': return 1;
        default: return 0;
        }
    };
    double decimal = 0;
    int max = 1;
    for (long i = long(roman.size()) - 1; i >= 0; --i) {
        int v = val(roman[size_t(i)]);
        if (v < max) {
            decimal -= v;
        } else {
            max = v;
            decimal += v;
        }
    }
    return decimal;
}

std::string decimalToLetters(double value, char a)
{
    std::string letters;
    while (value > 0) {
        letters.insert(letters.begin(), char(std::fmod(value - 1, 26) + a));
        value = std::floor((value - 1) / 26);
    }
    return letters;
}

double lettersToDecimal(const std::string &letters, char a)
{
    double d = 0;
    for (size_t i = 0; i < letters.size(); ++i)
        d += (letters[letters.size() - i - 1] - a + 1) * std::pow(26, double(i));
    return d;
}

enum class Primary { Decimal, Letters, Roman, Words, Sequence };
enum class Case { Upper, Lower, Title };

struct Separator
{
    int position;
    U character;
};

struct IntFormat
{
    Primary primary = Primary::Decimal;
    Case tcase = Case::Lower;
    bool ordinal = false;
    char32_t zeroCode = '0';
    int mandatoryDigits = 0;
    int optionalDigits = 0;
    bool regular = false;
    int regularPosition = 0;
    U regularChar;
    std::vector<Separator> separators;
    std::string token;
    int n = 0;
};

const char32_t decimalGroups[] = {0x30,   0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66,
                                  0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6,
                                  0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810,
                                  0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
                                  0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50,
                                  0xABF0, 0xFF10};

IntFormat analyseIntegerPicture(const std::string &picture)
{
    IntFormat f;
    std::string primary = picture;
    size_t semi = picture.rfind(';');
    if (semi != std::string::npos) {
        primary = picture.substr(0, semi);
        std::string mod = picture.substr(semi + 1);
        if (!mod.empty() && mod[0] == 'o')
            f.ordinal = true;
    }
    if (primary == "A" || primary == "a") {
        f.tcase = primary == "A" ? Case::Upper : Case::Lower;
        f.primary = Primary::Letters;
    } else if (primary == "I" || primary == "i") {
        f.tcase = primary == "I" ? Case::Upper : Case::Lower;
        f.primary = Primary::Roman;
    } else if (primary == "W") {
        f.tcase = Case::Upper;
        f.primary = Primary::Words;
    } else if (primary == "Ww") {
        f.tcase = Case::Title;
        f.primary = Primary::Words;
    } else if (primary == "w") {
        f.primary = Primary::Words;
    } else {
        bool haveZero = false;
        int mandatory = 0, optional = 0, sepPos = 0;
        std::vector<Separator> seps;
        U cps = toCodePoints(primary);
        for (auto it = cps.rbegin(); it != cps.rend(); ++it) {
            char32_t cp = *it;
            bool digit = false;
            for (char32_t g : decimalGroups) {
                if (cp >= g && cp <= g + 9) {
                    digit = true;
                    ++mandatory;
                    ++sepPos;
                    if (!haveZero) {
                        f.zeroCode = g;
                        haveZero = true;
                    } else if (g != f.zeroCode) {
                        throw JError("D3131");
                    }
                    break;
                }
            }
            if (!digit) {
                if (cp == '#') {
                    ++sepPos;
                    ++optional;
                } else {
                    seps.push_back({sepPos, U(1, cp)});
                }
            }
        }
        if (mandatory > 0) {
            f.primary = Primary::Decimal;
            f.mandatoryDigits = mandatory;
            f.optionalDigits = optional;
            int regular = 0;
            if (!seps.empty()) {
                bool same = true;
                for (const auto &s : seps)
                    same = same && s.character == seps[0].character;
                if (same) {
                    int factor = seps[0].position;
                    for (const auto &s : seps)
                        factor = std::gcd(factor, s.position);
                    regular = factor;
                    for (size_t i = 1; i <= seps.size(); ++i) {
                        bool found = false;
                        for (const auto &s : seps)
                            found = found || s.position == int(i) * factor;
                        if (!found)
                            regular = 0;
                    }
                }
            }
            if (regular > 0) {
                f.regular = true;
                f.regularPosition = regular;
                f.regularChar = seps[0].character;
            } else {
                f.separators = seps;
            }
        } else {
            f.primary = Primary::Sequence;
            f.token = primary;
        }
    }
    return f;
}

std::string upper(const std::string &s) { return QString::fromStdString(s).toUpper().toStdString(); }
std::string lower(const std::string &s) { return QString::fromStdString(s).toLower().toStdString(); }

std::string formatIntegerImpl(double value, const IntFormat &f)
{
    bool negative = value < 0;
    value = std::fabs(value);
    std::string out;
    switch (f.primary) {
    case Primary::Letters:
        out = decimalToLetters(value, f.tcase == Case::Upper ? 'A' : 'a');
        break;
    case Primary::Roman:
        out = decimalToRoman(value);
        if (f.tcase == Case::Upper)
            out = upper(out);
        break;
    case Primary::Words:
        out = lookupWords(value, false, f.ordinal);
        if (f.tcase == Case::Upper)
            out = upper(out);
        else if (f.tcase == Case::Lower)
            out = lower(out);
        break;
    case Primary::Decimal: {
        U s = toCodePoints(formatJsNumber(value));
        int pad = f.mandatoryDigits - int(s.size());
        if (pad > 0)
            s = U(size_t(pad), '0') + s;
        if (f.zeroCode != '0')
            for (auto &c : s)
                c = c - '0' + f.zeroCode;
        if (f.regular) {
            long n = (long(s.size()) - 1) / f.regularPosition;
            for (long ii = n; ii > 0; --ii) {
                long pos = long(s.size()) - ii * f.regularPosition;
                s.insert(size_t(pos), f.regularChar);
            }
        } else {
            for (auto it = f.separators.rbegin(); it != f.separators.rend(); ++it) {
                long pos = long(s.size()) - it->position;
                if (pos >= 0)
                    s.insert(size_t(pos), it->character);
            }
        }
        if (f.ordinal) {
            char32_t last = s.empty() ? 0 : s.back();
            const char *suffix = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd"
                                                                                    : nullptr;
            if (!suffix || (s.size() > 1 && s[s.size() - 2] == '1'))
                suffix = "th";
            s += toCodePoints(suffix);
        }
        out = fromCodePoints(s);
        break;
    }
    case Primary::Sequence:
        throw JError("D3130").val(Value::string(f.token));
    }
    if (negative)
        out = "-" + out;
    return out;
}

// ---- calendar helpers --------------------------------------------------------------------

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

const double dayMs = 86400000.0;
// JavaScript dates cover +-1e8 days around 1970; beyond that a date is out of range (D3150)
// rather than converted through integers it does not fit.
const double maxDateMs = 8.64e15;
const double maxYear = 300000;

[[noreturn]] void dateOutOfRange(double v)
{
    JError e("D3150");
    e.val(Value::number(v));
    throw e;
}

// Date.UTC with month overflow normalisation (month is 0-based)
double dateUTC(double y, double mon, double d = 1, double h = 0, double mi = 0, double s = 0,
               double ms = 0)
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

struct DateParts
{
    double ms;
    long long y, mon, d, h, mi, s, f, dow; // mon 0-based, dow 0=Sunday
};

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

const char *dayNames[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                          "Saturday", "Sunday"};
const char *monthNames[] = {"January", "February", "March", "April", "May", "June", "July",
                            "August", "September", "October", "November", "December"};

struct Marker
{
    bool literal = false;
    std::string value; // literal text
    char component = 0;
    std::string presentation1, presentation2;
    bool hasWidth = false;
    int widthMin = -1, widthMax = -1;
    int names = 0; // 0 none, 1 lower, 2 upper, 3 title
    bool hasIntFormat = false;
    IntFormat intFormat;
    int n = -1;
};

std::vector<Marker> analyseDateTimePicture(const std::string &pictureStr)
{
    std::vector<Marker> spec;
    U picture = toCodePoints(pictureStr);
    auto addLiteral = [&](size_t start, size_t end) {
        if (end > start) {
            std::string lit = fromCodePoints(picture.substr(start, end - start));
            std::string out;
            for (size_t i = 0; i < lit.size(); ++i) {
                out += lit[i];
                if (lit[i] == ']' && i + 1 < lit.size() && lit[i + 1] == ']')
                    ++i;
            }
            Marker m;
            m.literal = true;
            m.value = out;
            spec.push_back(m);
        }
    };
    size_t start = 0, pos = 0;
    static const std::map<char, std::string> defaults = {
        {'Y', "1"}, {'M', "1"}, {'D', "1"}, {'d', "1"},  {'F', "n"}, {'W', "1"}, {'w', "1"},
        {'X', "1"}, {'x', "1"}, {'H', "1"}, {'h', "1"},  {'P', "n"}, {'m', "01"}, {'s', "01"},
        {'f', "1"}, {'Z', "01:01"}, {'z', "01:01"}, {'C', "n"}, {'E', "n"}};
    while (pos < picture.size()) {
        if (picture[pos] == '[') {
            if (pos + 1 < picture.size() && picture[pos + 1] == '[') {
                addLiteral(start, pos);
                Marker m;
                m.literal = true;
                m.value = "[";
                spec.push_back(m);
                pos += 2;
                start = pos;
                continue;
            }
            addLiteral(start, pos);
            start = pos;
            size_t close = picture.find(']', start);
            if (close == U::npos)
                throw JError("D3135");
            pos = close;
            std::string marker;
            for (size_t i = start + 1; i < pos; ++i)
                if (!(picture[i] == ' ' || picture[i] == '\t' || picture[i] == '\n'
                      || picture[i] == '\r'))
                    appendUtf8(marker, uint32_t(picture[i]));
            Marker def;
            def.component = marker.empty() ? 0 : marker[0];
            size_t comma = marker.rfind(',');
            std::string presMod;
            if (comma != std::string::npos) {
                std::string widthMod = marker.substr(comma + 1);
                size_t dash = widthMod.find('-');
                std::string mn = dash == std::string::npos ? widthMod : widthMod.substr(0, dash);
                std::string mx = dash == std::string::npos ? "" : widthMod.substr(dash + 1);
                auto parseWidth = [](const std::string &w, bool present) {
                    if (!present || w == "*" || w.empty())
                        return -1;
                    return std::atoi(w.c_str());
                };
                def.hasWidth = true;
                def.widthMin = parseWidth(mn, true);
                def.widthMax = parseWidth(mx, dash != std::string::npos);
                presMod = marker.substr(1, comma - 1);
            } else {
                presMod = marker.size() > 1 ? marker.substr(1) : "";
            }
            if (presMod.size() == 1) {
                def.presentation1 = presMod;
            } else if (presMod.size() > 1) {
                char last = presMod.back();
                if (std::string("atco").find(last) != std::string::npos) {
                    def.presentation2 = std::string(1, last);
                    def.presentation1 = presMod.substr(0, presMod.size() - 1);
                } else {
                    def.presentation1 = presMod;
                }
            } else {
                auto it = defaults.find(def.component);
                if (it == defaults.end())
                    throw JError("D3132").val(Value::string(std::string(1, def.component)));
                def.presentation1 = it->second;
            }
            if (def.presentation1[0] == 'n') {
                def.names = 1;
            } else if (def.presentation1[0] == 'N') {
                def.names = def.presentation1.size() > 1 && def.presentation1[1] == 'n' ? 3 : 2;
            } else if (std::string("YMDdFWwXxHhmsf").find(def.component) != std::string::npos) {
                std::string pattern = def.presentation1;
                if (!def.presentation2.empty())
                    pattern += ";" + def.presentation2;
                def.intFormat = analyseIntegerPicture(pattern);
                def.hasIntFormat = true;
                if (def.hasWidth && def.widthMin >= 0
                    && def.intFormat.mandatoryDigits < def.widthMin)
                    def.intFormat.mandatoryDigits = def.widthMin;
                if (def.component != 'Y') {
                    // fixed-width numeric fields so adjacent components can be parsed
                    const IntFormat &f = def.intFormat;
                    if (f.primary == Primary::Decimal && f.optionalDigits == 0
                        && f.mandatoryDigits >= 2)
                        def.n = f.mandatoryDigits;
                }
                if (def.component == 'Y') {
                    def.n = -1;
                    if (def.hasWidth && def.widthMax >= 0) {
                        def.n = def.widthMax;
                        def.intFormat.mandatoryDigits = def.n;
                    } else {
                        int w = def.intFormat.mandatoryDigits + def.intFormat.optionalDigits;
                        if (w >= 2)
                            def.n = w;
                    }
                }
            }
            if (def.component == 'Z' || def.component == 'z') {
                def.intFormat = analyseIntegerPicture(def.presentation1);
                def.hasIntFormat = true;
            }
            if (std::string("YMDdFWwXxHhPmsfZzCE").find(def.component) == std::string::npos)
                throw JError("D3132").val(Value::string(std::string(1, def.component)));
            spec.push_back(def);
            start = pos + 1;
        }
        ++pos;
    }
    addLiteral(start, pos);
    return spec;
}

std::string formatInt(double v, const std::string &picture)
{
    return formatIntegerImpl(v, analyseIntegerPicture(picture));
}

} // namespace

std::string formatIntegerPicture(double value, const std::string &picture)
{
    return formatIntegerImpl(std::floor(value), analyseIntegerPicture(picture));
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
    std::vector<Marker> spec = picture.isString() ? analyseDateTimePicture(picture.str()) : iso;
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

namespace {

struct PartMatcher
{
    std::string regex;
    char component = 0;
    std::function<double(const std::string &)> parse;
};

std::string escapeRegex(const std::string &s)
{
    std::string out;
    for (char c : s) {
        if (std::string(".*+?^${}()|[]\\").find(c) != std::string::npos)
            out += '\\';
        out += c;
    }
    return out;
}

PartMatcher integerMatcher(const IntFormat &f)
{
    PartMatcher m;
    bool isUpper = f.tcase == Case::Upper;
    std::string occurrences = f.n > 0 ? "{" + std::to_string(f.n) + "}" : "+";
    switch (f.primary) {
    case Primary::Letters:
        m.regex = isUpper ? "[A-Z]+" : "[a-z]+";
        m.parse = [isUpper](const std::string &v) {
            return lettersToDecimal(v, isUpper ? 'A' : 'a');
        };
        break;
    case Primary::Roman:
        m.regex = isUpper ? "[MDCLXVI]+" : "[mdclxvi]+";
        m.parse = [isUpper](const std::string &v) {
            return romanToDecimal(isUpper ? v : upper(v));
        };
        break;
    case Primary::Words: {
        std::string alt;
        for (const auto &e : wordValues())
            alt += e.first + "|";
        m.regex = "(?:" + alt + "and|[\\-, ])+";
        m.parse = [](const std::string &v) { return wordsToNumber(lower(v)); };
        break;
    }
    case Primary::Decimal: {
        m.regex = "[0-9]" + occurrences;
        if (f.ordinal)
            m.regex += "(?:th|st|nd|rd)";
        IntFormat fc = f;
        m.parse = [fc](const std::string &v) {
            U digits = toCodePoints(v);
            if (fc.ordinal && digits.size() >= 2)
                digits = digits.substr(0, digits.size() - 2);
            U clean;
            for (char32_t c : digits) {
                bool sep = false;
                if (fc.regular)
                    sep = c == ',';
                else
                    for (const auto &s : fc.separators)
                        sep = sep || (s.character.size() == 1 && s.character[0] == c);
                if (!sep)
                    clean += fc.zeroCode != '0' ? c - fc.zeroCode + '0' : c;
            }
            std::string s = fromCodePoints(clean);
            size_t i = 0;
            while (i < s.size() && isdigit(static_cast<unsigned char>(s[i])))
                ++i;
            if (i == 0)
                return double(NAN);
            return std::strtod(s.substr(0, i).c_str(), nullptr);
        };
        break;
    }
    case Primary::Sequence:
        throw JError("D3130").val(Value::string(f.token));
    }
    return m;
}

} // namespace

Value parseIntegerPicture(const std::string &value, const std::string &picture)
{
    IntFormat f = analyseIntegerPicture(picture);
    PartMatcher m = integerMatcher(f);
    double d = m.parse(value);
    if (std::isnan(d))
        return Value();
    return Value::number(d);
}

static bool parseIso(const std::string &ts, double &out)
{
    static const QRegularExpression re(QStringLiteral(
        "^(\\d{4})(?:-([01]\\d))?(?:-([0-3]\\d))?(?:T([0-2]\\d):([0-5]\\d):([0-5]\\d))?"
        "(\\.\\d+)?([+-][0-2]\\d:?[0-5]\\d|Z)?$"));
    static const QRegularExpression check(QStringLiteral(
        "^\\d{4}(-[01]\\d)*(-[0-3]\\d)*(T[0-2]\\d:[0-5]\\d:[0-5]\\d)*(\\.\\d+)?"
        "([+-][0-2]\\d:?[0-5]\\d|Z)?$"));
    QString s = QString::fromStdString(ts);
    if (!check.match(s).hasMatch())
        return false;
    QRegularExpressionMatch m = re.match(s);
    if (!m.hasMatch()) {
        out = NAN;
        return true;
    }
    double y = m.captured(1).toDouble();
    double mon = m.captured(2).isEmpty() ? 1 : m.captured(2).toDouble();
    double d = m.captured(3).isEmpty() ? 1 : m.captured(3).toDouble();
    double h = m.captured(4).toDouble(), mi = m.captured(5).toDouble(),
           sec = m.captured(6).toDouble();
    double ms = 0;
    if (!m.captured(7).isEmpty()) {
        QString frac = m.captured(7).mid(1) + QStringLiteral("000");
        ms = frac.left(3).toDouble();
    }
    double t = dateUTC(y, mon - 1, d, h, mi, sec, ms);
    QString tz = m.captured(8);
    if (!tz.isEmpty() && tz != QLatin1String("Z")) {
        QString digits = tz.mid(1).remove(':');
        double offset = digits.left(2).toDouble() * 60 + digits.mid(2).toDouble();
        t -= (tz[0] == '-' ? -offset : offset) * 60000.0;
    }
    out = t;
    return true;
}

Value dateTimeToMillis(const std::string &ts, const Value &picture, double nowMs)
{
    if (!picture.isString()) {
        double out;
        if (!parseIso(ts, out))
            throw JError("D3110").val(Value::string(ts));
        return std::isnan(out) ? Value() : Value::number(out);
    }
    std::vector<Marker> spec = analyseDateTimePicture(picture.str());
    std::vector<PartMatcher> parts;
    std::string full = "^";
    for (Marker &mk : spec) {
        PartMatcher pm;
        if (mk.literal) {
            pm.regex = escapeRegex(mk.value);
        } else if (mk.component == 'Z' || mk.component == 'z') {
            bool hasSep = mk.intFormat.regular;
            std::string sep = hasSep ? fromCodePoints(mk.intFormat.regularChar) : "";
            pm.regex = mk.component == 'z' ? "GMT" : "";
            pm.regex += "[-+][0-9]+";
            if (hasSep)
                pm.regex += escapeRegex(sep) + "[0-9]+";
            char comp = mk.component;
            pm.parse = [comp, hasSep, sep](const std::string &vIn) {
                std::string v = comp == 'z' ? vIn.substr(3) : vIn;
                double oh = 0, om = 0;
                if (hasSep) {
                    size_t p = v.find(sep);
                    oh = std::atof(v.substr(0, p).c_str());
                    om = std::atof(v.substr(p + sep.size()).c_str());
                } else if (v.size() - 1 <= 2) {
                    oh = std::atof(v.c_str());
                } else {
                    oh = std::atof(v.substr(0, 3).c_str());
                    om = std::atof(v.substr(3).c_str());
                }
                return oh * 60 + om;
            };
        } else if (mk.component == 'f' && mk.intFormat.primary == Primary::Decimal) {
            // fractional seconds: the digits are a fraction of a second
            pm.regex = "[0-9]+";
            pm.parse = [](const std::string &v) {
                std::string d = (v + "000").substr(0, 3);
                return std::strtod(d.c_str(), nullptr);
            };
        } else if (mk.hasIntFormat) {
            mk.intFormat.n = mk.n;
            pm = integerMatcher(mk.intFormat);
        } else {
            pm.regex = "[a-zA-Z]+";
            std::map<std::string, double> lookup;
            if (mk.component == 'M' || mk.component == 'x') {
                for (int i = 0; i < 12; ++i) {
                    std::string n = monthNames[i];
                    if (mk.hasWidth && mk.widthMax > 0)
                        n = n.substr(0, size_t(mk.widthMax));
                    lookup[n] = i + 1;
                }
            } else if (mk.component == 'F') {
                for (int i = 1; i < 8; ++i) {
                    std::string n = dayNames[i];
                    if (mk.hasWidth && mk.widthMax > 0)
                        n = n.substr(0, size_t(mk.widthMax));
                    lookup[n] = i;
                }
            } else if (mk.component == 'P') {
                lookup = {{"am", 0}, {"AM", 0}, {"pm", 1}, {"PM", 1}};
            } else {
                throw JError("D3133").val(Value::string(std::string(1, mk.component)));
            }
            pm.parse = [lookup](const std::string &v) {
                auto it = lookup.find(v);
                return it == lookup.end() ? double(NAN) : it->second;
            };
        }
        pm.component = mk.literal ? 0 : mk.component;
        full += "(" + pm.regex + ")";
        parts.push_back(pm);
    }
    full += "$";
    QRegularExpression re(QString::fromStdString(full),
                          QRegularExpression::CaseInsensitiveOption);
    QRegularExpressionMatch m = re.match(QString::fromStdString(ts));
    if (!m.hasMatch())
        return Value();
    std::map<char, double> comps;
    for (size_t i = 0; i < parts.size(); ++i)
        if (parts[i].parse)
            comps[parts[i].component] = parts[i].parse(m.captured(int(i + 1)).toStdString());
    if (comps.empty())
        return Value();
    auto has = [&](char c) {
        auto it = comps.find(c);
        return it != comps.end() && !std::isnan(it->second) && it->second != 0;
    };
    int mask = 0;
    auto shift = [&](bool bit) { mask = (mask << 1) + (bit ? 1 : 0); };
    auto isType = [&](int type) { return !(~type & mask) && (type & mask); };
    for (char c : std::string("YXMxWwdD"))
        shift(has(c));
    bool dateA = isType(161);
    bool dateB = !dateA && isType(130);
    bool dateC = isType(84);
    bool dateD = !dateC && isType(72);
    mask = 0;
    for (char c : std::string("PHhmsf"))
        shift(has(c));
    bool timeA = isType(23);
    bool timeB = !timeA && isType(47);
    std::string dateComps = dateB ? "YD" : dateC ? "XxwF" : dateD ? "XWF" : "YMD";
    std::string timeComps = timeB ? "Phmsf" : "Hmsf";
    bool startSpecified = false, endSpecified = false;
    for (char part : dateComps + timeComps) {
        if (comps.find(part) == comps.end()) {
            if (startSpecified) {
                comps[part] = std::string("MDd").find(part) != std::string::npos ? 1 : 0;
                endSpecified = true;
            } else {
                Value f = fragment(nowMs, part);
                comps[part] = f.isNumber() ? f.num() : (f.str() == "pm" ? 1 : 0);
            }
        } else {
            startSpecified = true;
            if (endSpecified)
                throw JError("D3136");
        }
    }
    if (comps['M'] > 0)
        comps['M'] -= 1;
    else
        comps['M'] = 0;
    if (dateB) {
        double firstJan = dateUTC(comps['Y'], 0);
        DateParts dp = split(firstJan + (comps['d'] - 1) * dayMs);
        comps['M'] = double(dp.mon);
        comps['D'] = double(dp.d);
    }
    if (dateC || dateD)
        throw JError("D3136");
    if (timeB) {
        comps['H'] = comps['h'] == 12 ? 0 : comps['h'];
        if (comps['P'] == 1)
            comps['H'] += 12;
    }
    for (auto &e : comps)
        if (std::isnan(e.second))
            return Value();
    double millis = dateUTC(comps['Y'], comps['M'], comps['D'], comps['H'], comps['m'],
                            comps['s'], comps['f']);
    double tz = comps.count('Z') ? comps['Z'] : comps.count('z') ? comps['z'] : 0;
    millis -= tz * 60000.0;
    if (!std::isfinite(millis) || std::fabs(millis) > maxDateMs)
        dateOutOfRange(millis);
    return Value::number(millis);
}

} // namespace sb::jsonata
