// Integer pictures (XPath F&O 4.6.1 as the reference implements them): decimal digits in
// any Unicode digit family, letters, Roman numerals and words, with grouping and ordinals;
// $formatInteger and $parseInteger.
#include "runtime/jsonata/datetime_impl.h"

#include <QRegularExpression>
#include <QString>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>

namespace sb::jsonata {

namespace dt {

namespace {

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

const char32_t decimalGroups[] = {0x30,   0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66,
                                  0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6,
                                  0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810,
                                  0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
                                  0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50,
                                  0xABF0, 0xFF10};

} // namespace

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

std::string upper(const std::string &s)
{
    return QString::fromStdString(s).toUpper().toStdString();
}

std::string lower(const std::string &s)
{
    return QString::fromStdString(s).toLower().toStdString();
}

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

std::string formatInt(double v, const std::string &picture)
{
    return formatIntegerImpl(v, analyseIntegerPicture(picture));
}

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

} // namespace dt

std::string formatIntegerPicture(double value, const std::string &picture)
{
    return dt::formatIntegerImpl(std::floor(value), dt::analyseIntegerPicture(picture));
}

Value parseIntegerPicture(const std::string &value, const std::string &picture)
{
    dt::IntFormat f = dt::analyseIntegerPicture(picture);
    dt::PartMatcher m = dt::integerMatcher(f);
    double d = m.parse(value);
    if (std::isnan(d))
        return Value();
    return Value::number(d);
}

} // namespace sb::jsonata
