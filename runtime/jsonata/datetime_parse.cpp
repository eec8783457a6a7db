// Parsing date/time text: ISO 8601 without a picture, otherwise one regular expression
// built from the picture's markers; missing components are taken from "now" or defaulted.
#include "runtime/jsonata/datetime_impl.h"

#include <QRegularExpression>
#include <QString>
#include <cmath>
#include <cstdlib>
#include <map>

namespace sb::jsonata {

namespace dt {

namespace {

bool parseIso(const std::string &ts, double &out)
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

// A time-zone offset: [Z] as +hh:mm / +hhmm, [z] the same after "GMT"; in minutes.
PartMatcher zoneMatcher(const Marker &mk)
{
    PartMatcher pm;
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
    return pm;
}

// Month and day names (cut to the marker's maximum width), am/pm.
PartMatcher nameMatcher(const Marker &mk)
{
    PartMatcher pm;
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
    return pm;
}

PartMatcher markerMatcher(Marker &mk)
{
    PartMatcher pm;
    if (mk.literal) {
        pm.regex = escapeRegex(mk.value);
    } else if (mk.component == 'Z' || mk.component == 'z') {
        pm = zoneMatcher(mk);
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
        pm = nameMatcher(mk);
    }
    pm.component = mk.literal ? 0 : mk.component;
    return pm;
}

using Components = std::map<char, double>;

// Which date and time forms the parsed components make, as bit patterns over the
// component letters (the reference's rules).
struct Forms
{
    bool dateB = false, dateC = false, dateD = false, timeB = false;
};

Forms formsOf(const Components &comps)
{
    auto has = [&](char c) {
        auto it = comps.find(c);
        return it != comps.end() && !std::isnan(it->second) && it->second != 0;
    };
    int mask = 0;
    auto shift = [&](bool bit) { mask = (mask << 1) + (bit ? 1 : 0); };
    auto isType = [&](int type) { return !(~type & mask) && (type & mask); };
    for (char c : std::string("YXMxWwdD"))
        shift(has(c));
    Forms f;
    bool dateA = isType(161);
    f.dateB = !dateA && isType(130);
    f.dateC = isType(84);
    f.dateD = !f.dateC && isType(72);
    mask = 0;
    for (char c : std::string("PHhmsf"))
        shift(has(c));
    bool timeA = isType(23);
    f.timeB = !timeA && isType(47);
    return f;
}

// Components more significant than the first given come from now, less significant ones
// default to their minimum; a gap between given components is an error (D3136).
void fillMissing(Components &comps, const Forms &f, double nowMs)
{
    std::string dateComps = f.dateB ? "YD" : f.dateC ? "XxwF" : f.dateD ? "XWF" : "YMD";
    std::string timeComps = f.timeB ? "Phmsf" : "Hmsf";
    bool startSpecified = false, endSpecified = false;
    for (char part : dateComps + timeComps) {
        if (comps.find(part) == comps.end()) {
            if (startSpecified) {
                comps[part] = std::string("MDd").find(part) != std::string::npos ? 1 : 0;
                endSpecified = true;
            } else {
                Value v = fragment(nowMs, part);
                comps[part] = v.isNumber() ? v.num() : (v.str() == "pm" ? 1 : 0);
            }
        } else {
            startSpecified = true;
            if (endSpecified)
                throw JError("D3136");
        }
    }
}

// The components as milliseconds since the epoch, or undefined when one is not a number.
Value toMillis(Components &comps, const Forms &f)
{
    if (comps['M'] > 0)
        comps['M'] -= 1;
    else
        comps['M'] = 0;
    if (f.dateB) {
        double firstJan = dateUTC(comps['Y'], 0);
        DateParts dp = split(firstJan + (comps['d'] - 1) * dayMs);
        comps['M'] = double(dp.mon);
        comps['D'] = double(dp.d);
    }
    if (f.dateC || f.dateD)
        throw JError("D3136");
    if (f.timeB) {
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

} // namespace

} // namespace dt

using namespace dt;

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
        PartMatcher pm = markerMatcher(mk);
        full += "(" + pm.regex + ")";
        parts.push_back(pm);
    }
    full += "$";
    QRegularExpression re(QString::fromStdString(full),
                          QRegularExpression::CaseInsensitiveOption);
    QRegularExpressionMatch m = re.match(QString::fromStdString(ts));
    if (!m.hasMatch())
        return Value();
    Components comps;
    for (size_t i = 0; i < parts.size(); ++i)
        if (parts[i].parse)
            comps[parts[i].component] = parts[i].parse(m.captured(int(i + 1)).toStdString());
    if (comps.empty())
        return Value();
    const Forms forms = formsOf(comps);
    fillMissing(comps, forms, nowMs);
    return toMillis(comps, forms);
}

} // namespace sb::jsonata
