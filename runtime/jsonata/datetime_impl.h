#pragma once

// Shared by the date/time and integer picture files: integer pictures
// (integer_picture.cpp), the calendar and formatting (datetime.cpp), date/time pictures
// (datetime_picture.cpp) and parsing (datetime_parse.cpp).

#include "runtime/jsonata/internal.h"

#include <functional>
#include <string>
#include <vector>

namespace sb::jsonata::dt {

using U = std::u32string;

// ---- integer pictures ($formatInteger, $parseInteger, numeric date/time components)

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

IntFormat analyseIntegerPicture(const std::string &picture);
std::string formatIntegerImpl(double value, const IntFormat &f);
std::string formatInt(double v, const std::string &picture);
std::string upper(const std::string &s);
std::string lower(const std::string &s);

// A regular expression for one picture part and how to read the text it matched.
struct PartMatcher
{
    std::string regex;
    char component = 0;
    std::function<double(const std::string &)> parse;
};

std::string escapeRegex(const std::string &s);
PartMatcher integerMatcher(const IntFormat &f);

// ---- calendar

inline constexpr double dayMs = 86400000.0;
// JavaScript dates cover +-1e8 days around 1970; beyond that a date is out of range (D3150)
// rather than converted through integers it does not fit.
inline constexpr double maxDateMs = 8.64e15;
inline constexpr double maxYear = 300000;

[[noreturn]] void dateOutOfRange(double v);
// Date.UTC with month overflow normalisation (month is 0-based)
double dateUTC(double y, double mon, double d = 1, double h = 0, double mi = 0, double s = 0,
               double ms = 0);

struct DateParts
{
    double ms;
    long long y, mon, d, h, mi, s, f, dow; // mon 0-based, dow 0=Sunday
};

DateParts split(double ms);
// One component (a picture letter) of the date-time at `ms`, a number or a name.
Value fragment(double ms, char component);

extern const char *dayNames[8];
extern const char *monthNames[12];

// ---- date/time pictures

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

std::vector<Marker> analyseDateTimePicture(const std::string &pictureStr);

} // namespace sb::jsonata::dt
