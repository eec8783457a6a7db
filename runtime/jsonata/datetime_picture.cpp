// Date/time pictures: "[Y0001]-[M01]-[D01]" into literals and component markers, each
// with its presentation, width and (for numeric components) integer picture.
#include "runtime/jsonata/datetime_impl.h"

#include <cstdlib>
#include <map>

namespace sb::jsonata::dt {

namespace {

Marker literalMarker(std::string text)
{
    Marker m;
    m.literal = true;
    m.value = std::move(text);
    return m;
}

// Literal text between markers; "]]" stands for "]".
void addLiteral(std::vector<Marker> &spec, const U &picture, size_t start, size_t end)
{
    if (end <= start)
        return;
    std::string lit = fromCodePoints(picture.substr(start, end - start));
    std::string out;
    for (size_t i = 0; i < lit.size(); ++i) {
        out += lit[i];
        if (lit[i] == ']' && i + 1 < lit.size() && lit[i + 1] == ']')
            ++i;
    }
    spec.push_back(literalMarker(out));
}

// The width modifier after the last comma ("min-max", "*" for no limit); returns the
// presentation modifier before it.
std::string readWidth(Marker &def, const std::string &marker)
{
    size_t comma = marker.rfind(',');
    if (comma == std::string::npos)
        return marker.size() > 1 ? marker.substr(1) : "";
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
    return marker.substr(1, comma - 1);
}

// The presentation modifiers: the first, and a trailing a/t/c/o as the second.
void readPresentation(Marker &def, const std::string &presMod)
{
    static const std::map<char, std::string> defaults = {
        {'Y', "1"}, {'M', "1"}, {'D', "1"}, {'d', "1"},  {'F', "n"}, {'W', "1"}, {'w', "1"},
        {'X', "1"}, {'x', "1"}, {'H', "1"}, {'h', "1"},  {'P', "n"}, {'m', "01"}, {'s', "01"},
        {'f', "1"}, {'Z', "01:01"}, {'z', "01:01"}, {'C', "n"}, {'E', "n"}};
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
}

// A numeric component's integer picture, and the fixed width that lets adjacent numeric
// components be parsed.
void readIntegerFormat(Marker &def)
{
    std::string pattern = def.presentation1;
    if (!def.presentation2.empty())
        pattern += ";" + def.presentation2;
    def.intFormat = analyseIntegerPicture(pattern);
    def.hasIntFormat = true;
    if (def.hasWidth && def.widthMin >= 0 && def.intFormat.mandatoryDigits < def.widthMin)
        def.intFormat.mandatoryDigits = def.widthMin;
    if (def.component != 'Y') {
        const IntFormat &f = def.intFormat;
        if (f.primary == Primary::Decimal && f.optionalDigits == 0 && f.mandatoryDigits >= 2)
            def.n = f.mandatoryDigits;
        return;
    }
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

// One marker's text (between '[' and ']', whitespace removed).
Marker parseMarker(const std::string &marker)
{
    Marker def;
    def.component = marker.empty() ? 0 : marker[0];
    readPresentation(def, readWidth(def, marker));
    if (def.presentation1[0] == 'n') {
        def.names = 1;
    } else if (def.presentation1[0] == 'N') {
        def.names = def.presentation1.size() > 1 && def.presentation1[1] == 'n' ? 3 : 2;
    } else if (std::string("YMDdFWwXxHhmsf").find(def.component) != std::string::npos) {
        readIntegerFormat(def);
    }
    if (def.component == 'Z' || def.component == 'z') {
        def.intFormat = analyseIntegerPicture(def.presentation1);
        def.hasIntFormat = true;
    }
    if (std::string("YMDdFWwXxHhPmsfZzCE").find(def.component) == std::string::npos)
        throw JError("D3132").val(Value::string(std::string(1, def.component)));
    return def;
}

} // namespace

std::vector<Marker> analyseDateTimePicture(const std::string &pictureStr)
{
    std::vector<Marker> spec;
    U picture = toCodePoints(pictureStr);
    size_t start = 0, pos = 0;
    while (pos < picture.size()) {
        if (picture[pos] == '[') {
            if (pos + 1 < picture.size() && picture[pos + 1] == '[') {
                addLiteral(spec, picture, start, pos);
                spec.push_back(literalMarker("["));
                pos += 2;
                start = pos;
                continue;
            }
            addLiteral(spec, picture, start, pos);
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
            spec.push_back(parseMarker(marker));
            start = pos + 1;
        }
        ++pos;
    }
    addLiteral(spec, picture, start, pos);
    return spec;
}

} // namespace sb::jsonata::dt
