// $formatNumber: XPath F&O 3.1 decimal-format pictures, as the reference implements them.
#include "runtime/jsonata/internal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace sb::jsonata {

namespace {

using U = std::u32string;

U u32(const std::string &s) { return toCodePoints(s); }

long indexOf(const U &s, const U &needle, size_t from = 0)
{
    if (needle.empty())
        return long(from);
    size_t p = s.find(needle, from);
    return p == U::npos ? -1 : long(p);
}

long lastIndexOf(const U &s, const U &needle)
{
    size_t p = s.rfind(needle);
    return p == U::npos ? -1 : long(p);
}

struct Parts
{
    U prefix, suffix, activePart, mantissaPart, exponentPart, integerPart, fractionalPart,
        subpicture;
    bool hasExponent = false;
};

struct Vars
{
    std::vector<long> integerGroupingPositions;
    long regularGrouping = 0;
    long minimumIntegerPartSize = 0;
    long scalingFactor = 0;
    U prefix, suffix, picture;
    std::vector<long> fractionalGroupingPositions;
    long minimumFractionalPartSize = 0;
    long maximumFractionalPartSize = 0;
    long minimumExponentSize = 0;
};

double bankersRound(double arg, int precision)
{
    auto shift = [](double v, int s) {
        std::string str = formatJsNumber(v);
        size_t e = str.find('e');
        std::string mant = e == std::string::npos ? str : str.substr(0, e);
        int exp = e == std::string::npos ? 0 : std::atoi(str.c_str() + e + 1);
        std::string t = mant + "e" + std::to_string(exp + s);
        return std::strtod(t.c_str(), nullptr);
    };
    if (precision)
        arg = shift(arg, precision);
    double result = std::floor(arg + 0.5);
    double diff = result - arg;
    if (std::fabs(diff) == 0.5 && std::fabs(std::fmod(result, 2)) == 1)
        result -= 1;
    if (precision)
        result = shift(result, -precision);
    return result == 0 ? 0 : result;
}

// The decimal format: the characters a picture uses, defaults overridden by options.
struct Format
{
    U decimal = U(1, '.'), grouping = U(1, ','), exponent = U(1, 'e'), minus = U(1, '-'),
      percent = U(1, '%'), permille = U(1, char32_t(0x2030)), zero = U(1, '0'),
      digit = U(1, '#'), pattern = U(1, ';');

    bool isFamily(char32_t c) const { return c >= zero[0] && c < zero[0] + 10; }
    bool isActive(char32_t c) const
    {
        return isFamily(c) || c == decimal[0] || c == exponent[0] || c == grouping[0]
               || c == digit[0] || c == pattern[0];
    }
};

Format readFormat(const Value &options)
{
    Format p;
    if (!options.isObject())
        return p;
    for (const auto &e : options.obj().entries) {
        if (!e.second.isString())
            continue;
        U v = u32(e.second.str());
        const std::string &k = e.first;
        if (k == "decimal-separator") p.decimal = v;
        else if (k == "grouping-separator") p.grouping = v;
        else if (k == "exponent-separator") p.exponent = v;
        else if (k == "minus-sign") p.minus = v;
        else if (k == "percent") p.percent = v;
        else if (k == "per-mille") p.permille = v;
        else if (k == "zero-digit") p.zero = v;
        else if (k == "digit") p.digit = v;
        else if (k == "pattern-separator") p.pattern = v;
    }
    return p;
}

// The positive and (optional) negative sub-pictures.
std::vector<U> splitSubPictures(const U &picture, const Format &p)
{
    std::vector<U> subPictures;
    size_t start = 0;
    for (;;) {
        size_t pos = picture.find(p.pattern, start);
        if (pos == U::npos) {
            subPictures.push_back(picture.substr(start));
            break;
        }
        subPictures.push_back(picture.substr(start, pos - start));
        start = pos + p.pattern.size();
    }
    if (subPictures.size() > 2)
        throw JError("D3080");
    return subPictures;
}

// Prefix, suffix, mantissa/exponent and integer/fractional parts of a sub-picture.
Parts splitParts(const U &sub, const Format &p)
{
    Parts r;
    r.subpicture = sub;
    size_t pre = sub.size();
    for (size_t i = 0; i < sub.size(); ++i)
        if (p.isActive(sub[i]) && sub[i] != p.exponent[0]) {
            pre = i;
            break;
        }
    r.prefix = sub.substr(0, pre);
    long suf = -1;
    for (long i = long(sub.size()) - 1; i >= 0; --i)
        if (p.isActive(sub[size_t(i)]) && sub[size_t(i)] != p.exponent[0]) {
            suf = i;
            break;
        }
    r.suffix = suf < 0 ? U() : sub.substr(size_t(suf + 1));
    if (pre == sub.size()) {
        r.prefix = U();
        r.suffix = U();
    }
    long activeLen = long(sub.size()) - long(r.prefix.size()) - long(r.suffix.size());
    r.activePart = activeLen > 0 ? sub.substr(r.prefix.size(), size_t(activeLen)) : U();
    long expPos = indexOf(sub, p.exponent, r.prefix.size());
    if (expPos == -1 || expPos > long(sub.size() - r.suffix.size())) {
        r.mantissaPart = r.activePart;
        r.hasExponent = false;
    } else {
        r.mantissaPart = r.activePart.substr(0, size_t(std::max(0L, expPos)));
        r.exponentPart = size_t(expPos + 1) <= r.activePart.size()
                             ? r.activePart.substr(size_t(expPos + 1))
                             : U();
        r.hasExponent = true;
    }
    long dp = indexOf(r.mantissaPart, p.decimal);
    if (dp == -1) {
        r.integerPart = r.mantissaPart;
        r.fractionalPart = r.suffix;
    } else {
        r.integerPart = r.mantissaPart.substr(0, size_t(dp));
        r.fractionalPart = r.mantissaPart.substr(size_t(dp + 1));
    }
    return r;
}

// Errors of the separators and signs (D3081-D3084, D3087-D3089).
const char *separatorError(const Parts &parts, const Format &p)
{
    const char *error = nullptr;
    const U &sub = parts.subpicture;
    long decimalPos = indexOf(sub, p.decimal);
    if (decimalPos != lastIndexOf(sub, p.decimal))
        error = "D3081";
    if (indexOf(sub, p.percent) != lastIndexOf(sub, p.percent))
        error = "D3082";
    if (indexOf(sub, p.permille) != lastIndexOf(sub, p.permille))
        error = "D3083";
    if (indexOf(sub, p.percent) != -1 && indexOf(sub, p.permille) != -1)
        error = "D3084";
    return error;
}

// Checks a sub-picture; the last rule broken wins, as in the reference.
void validateParts(const Parts &parts, const Format &p)
{
    const char *error = separatorError(parts, p);
    const U &sub = parts.subpicture;
    long decimalPos = indexOf(sub, p.decimal);
    bool valid = false;
    for (char32_t c : parts.mantissaPart)
        if (p.isFamily(c) || c == p.digit[0]) {
            valid = true;
            break;
        }
    if (!valid)
        error = "D3085";
    for (char32_t c : parts.activePart)
        if (!p.isActive(c))
            error = "D3086";
    if (decimalPos != -1) {
        char32_t before = decimalPos > 0 ? sub[size_t(decimalPos - 1)] : 0;
        char32_t after = size_t(decimalPos + 1) < sub.size() ? sub[size_t(decimalPos + 1)] : 0;
        if (before == p.grouping[0] || after == p.grouping[0])
            error = "D3087";
    } else if (!parts.integerPart.empty() && parts.integerPart.back() == p.grouping[0]) {
        error = "D3088";
    }
    if (indexOf(sub, p.grouping + p.grouping) != -1)
        error = "D3089";
    long optPos = indexOf(parts.integerPart, p.digit);
    if (optPos != -1) {
        for (long i = 0; i < optPos; ++i)
            if (p.isFamily(parts.integerPart[size_t(i)]))
                error = "D3090";
    }
    optPos = lastIndexOf(parts.fractionalPart, p.digit);
    if (optPos != -1) {
        for (size_t i = size_t(optPos); i < parts.fractionalPart.size(); ++i)
            if (p.isFamily(parts.fractionalPart[i]))
                error = "D3091";
    }
    if (parts.hasExponent && !parts.exponentPart.empty()
        && (indexOf(sub, p.percent) != -1 || indexOf(sub, p.permille) != -1))
        error = "D3092";
    if (parts.hasExponent) {
        bool bad = parts.exponentPart.empty();
        for (char32_t c : parts.exponentPart)
            if (!p.isFamily(c))
                bad = true;
        if (bad)
            error = "D3093";
    }
    if (error)
        throw JError(error);
}

// Digits between `part`'s grouping separators. The search continues in the integer part
// even for the fractional one: the reference does so, and its results are the contract.
std::vector<long> groupingPositions(const U &part, const U &integerPart, bool toLeft,
                                    const Format &p)
{
    std::vector<long> positions;
    long gp = indexOf(part, p.grouping);
    while (gp != -1) {
        U seg = toLeft ? part.substr(0, size_t(gp)) : part.substr(size_t(gp));
        long n = 0;
        for (char32_t c : seg)
            if (p.isFamily(c) || c == p.digit[0])
                ++n;
        positions.push_back(n);
        gp = indexOf(integerPart, p.grouping, size_t(gp + 1));
    }
    return positions;
}

// The interval of evenly spaced grouping positions, or 0.
long regularGrouping(const std::vector<long> &idx)
{
    if (idx.empty())
        return 0;
    long factor = idx[0];
    for (size_t i = 1; i < idx.size(); ++i)
        factor = std::gcd(factor, idx[i]);
    for (size_t i = 1; i <= idx.size(); ++i)
        if (std::find(idx.begin(), idx.end(), long(i) * factor) == idx.end())
            return 0;
    return factor;
}

// Sizes and grouping a sub-picture asks for.
Vars analyse(const Parts &parts, const Format &p)
{
    Vars v;
    v.integerGroupingPositions =
        groupingPositions(parts.integerPart, parts.integerPart, false, p);
    v.regularGrouping = regularGrouping(v.integerGroupingPositions);
    v.fractionalGroupingPositions =
        groupingPositions(parts.fractionalPart, parts.integerPart, true, p);
    for (char32_t c : parts.integerPart)
        if (p.isFamily(c))
            ++v.minimumIntegerPartSize;
    v.scalingFactor = v.minimumIntegerPartSize;
    for (char32_t c : parts.fractionalPart) {
        if (p.isFamily(c))
            ++v.minimumFractionalPartSize;
        if (p.isFamily(c) || c == p.digit[0])
            ++v.maximumFractionalPartSize;
    }
    if (v.minimumIntegerPartSize == 0 && v.maximumFractionalPartSize == 0) {
        if (parts.hasExponent) {
            v.minimumFractionalPartSize = 1;
            v.maximumFractionalPartSize = 1;
        } else {
            v.minimumIntegerPartSize = 1;
        }
    }
    if (parts.hasExponent && v.minimumIntegerPartSize == 0
        && indexOf(parts.integerPart, p.digit) != -1)
        v.minimumIntegerPartSize = 1;
    if (v.minimumIntegerPartSize == 0 && v.minimumFractionalPartSize == 0)
        v.minimumFractionalPartSize = 1;
    if (parts.hasExponent)
        for (char32_t c : parts.exponentPart)
            if (p.isFamily(c))
                ++v.minimumExponentSize;
    v.prefix = parts.prefix;
    v.suffix = parts.suffix;
    v.picture = parts.subpicture;
    return v;
}

// |v| with `dp` decimals, in the format's digit family.
U digitsOf(double v, long dp, const Format &p)
{
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*f", int(dp), std::fabs(v));
    U s;
    for (char *c = buf; *c; ++c) {
        if (*c >= '0' && *c <= '9')
            s += char32_t(p.zero[0] + char32_t(*c - '0'));
        else
            s += char32_t(*c);
    }
    return s;
}

// Scales the mantissa into the picture's integer digits; returns the exponent.
long scaleToExponent(double &mantissa, const Vars &pic)
{
    long exponent = 0;
    double maxM = std::pow(10, double(pic.scalingFactor));
    double minM = std::pow(10, double(pic.scalingFactor - 1));
    if (mantissa == 0 || !std::isfinite(mantissa))
        minM = maxM = mantissa; // nothing to scale
    while (std::fabs(mantissa) < minM) {
        mantissa *= 10;
        exponent -= 1;
    }
    while (std::fabs(mantissa) > maxM) {
        mantissa /= 10;
        exponent += 1;
    }
    return exponent;
}

// The rounded mantissa's digits, padded to the minimum sizes, with the decimal separator.
U padDigits(double rounded, const Vars &pic, const Format &p)
{
    U s = digitsOf(rounded, pic.maximumFractionalPartSize, p);
    size_t dot = s.find(U(1, '.'));
    if (dot == U::npos)
        s += p.decimal;
    else
        s.replace(dot, 1, p.decimal);
    while (!s.empty() && s[0] == p.zero[0])
        s.erase(0, 1);
    while (!s.empty() && s.back() == p.zero[0])
        s.pop_back();
    long decimalPos = indexOf(s, p.decimal);
    long padLeft = pic.minimumIntegerPartSize - decimalPos;
    long padRight = pic.minimumFractionalPartSize - (long(s.size()) - decimalPos - 1);
    if (padLeft > 0)
        s = U(size_t(padLeft), p.zero[0]) + s;
    if (padRight > 0)
        s += U(size_t(padRight), p.zero[0]);
    return s;
}

// Inserts the grouping separators of the integer and fractional parts.
void insertGrouping(U &s, const Vars &pic, const Format &p)
{
    long decimalPos = indexOf(s, p.decimal);
    if (pic.regularGrouping > 0) {
        long groupCount = (decimalPos - 1) / pic.regularGrouping;
        for (long g = 1; g <= groupCount; ++g) {
            long at = decimalPos - g * pic.regularGrouping;
            if (at >= 0)
                s.insert(size_t(at), p.grouping);
        }
    } else {
        for (long pos : pic.integerGroupingPositions) {
            long at = decimalPos - pos;
            if (at >= 0 && at <= long(s.size()))
                s.insert(size_t(at), p.grouping);
            ++decimalPos;
        }
    }
    decimalPos = indexOf(s, p.decimal);
    for (long pos : pic.fractionalGroupingPositions) {
        long at = pos + decimalPos + 1;
        if (at >= 0 && at <= long(s.size()))
            s.insert(size_t(at), p.grouping);
    }
}

} // namespace

std::string formatNumberPicture(double value, const std::string &pictureStr,
                                const Value &options)
{
    const Format p = readFormat(options);
    std::vector<Parts> parts;
    for (const auto &s : splitSubPictures(u32(pictureStr), p))
        parts.push_back(splitParts(s, p));
    for (const auto &pp : parts)
        validateParts(pp, p);
    std::vector<Vars> vars;
    for (const auto &pp : parts)
        vars.push_back(analyse(pp, p));
    if (vars.size() == 1) {
        vars.push_back(vars[0]);
        vars[1].prefix = p.minus + vars[1].prefix;
    }
    const Vars &pic = value >= 0 ? vars[0] : vars[1];
    double mantissa = value;
    if (indexOf(pic.picture, p.percent) != -1)
        mantissa = value * 100;
    else if (indexOf(pic.picture, p.permille) != -1)
        mantissa = value * 1000;

    const bool hasExp = pic.minimumExponentSize != 0;
    const long exponent = hasExp ? scaleToExponent(mantissa, pic) : 0;
    double rounded = bankersRound(mantissa, int(pic.maximumFractionalPartSize));
    U s = padDigits(rounded, pic, p);
    insertGrouping(s, pic, p);
    long decimalPos = indexOf(s, p.decimal);
    if (pic.minimumFractionalPartSize == 0 && decimalPos == long(s.size()) - 1)
        s.pop_back();
    if (hasExp) {
        U se = digitsOf(double(exponent), 0, p);
        long pl = pic.minimumExponentSize - long(se.size());
        if (pl > 0)
            se = U(size_t(pl), p.zero[0]) + se;
        s += p.exponent + (exponent < 0 ? p.minus : U()) + se;
    }
    s = pic.prefix + s + pic.suffix;
    return fromCodePoints(s);
}

} // namespace sb::jsonata
