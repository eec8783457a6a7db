#include "runtime/jsonata/value.h"

#include "runtime/jsonata/escape.h"
#include "runtime/jsonata/internal.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace sb::jsonata {

Value Value::string(std::string s)
{
    Value v;
    v.m_type = Type::String;
    v.m_ptr = std::make_shared<StringData>(std::move(s));
    return v;
}

Value Value::array(std::shared_ptr<ArrayData> a)
{
    Value v;
    v.m_type = Type::Array;
    v.m_ptr = std::move(a);
    return v;
}

Value Value::object(std::shared_ptr<ObjectData> o)
{
    Value v;
    v.m_type = Type::Object;
    v.m_ptr = std::move(o);
    return v;
}

Value Value::function(std::shared_ptr<FunctionData> f)
{
    Value v;
    v.m_type = Type::Function;
    v.m_ptr = std::shared_ptr<HeapData>(std::move(f));
    return v;
}

Value Value::newArray() { return array(std::make_shared<ArrayData>()); }

Value Value::newSequence()
{
    auto a = std::make_shared<ArrayData>();
    a->sequence = true;
    return array(std::move(a));
}

Value Value::newObject() { return object(std::make_shared<ObjectData>()); }

const std::string &Value::str() const
{
    static const std::string empty;
    if (m_type != Type::String)
        return empty;
    return static_cast<StringData *>(m_ptr.get())->value;
}

// ---- ObjectData ---------------------------------------------------------------------

void ObjectData::reindex() const
{
    m_index.clear();
    for (size_t i = 0; i < entries.size(); ++i)
        m_index[std::string_view(entries[i].first)] = i;
    m_indexed = entries.size();
}

const Value *ObjectData::find(std::string_view key) const
{
    if (entries.size() < 12) {
        for (const auto &e : entries)
            if (e.first == key)
                return &e.second;
        return nullptr;
    }
    if (m_indexed != entries.size())
        reindex();
    auto it = m_index.find(key);
    return it == m_index.end() ? nullptr : &entries[it->second].second;
}

void ObjectData::set(const std::string &key, Value v)
{
    if (const Value *p = find(key)) {
        const_cast<Value &>(*p) = std::move(v);
        return;
    }
    entries.emplace_back(key, std::move(v));
    m_indexed = 0; // views into entries may move on reallocation
    m_index.clear();
}

bool ObjectData::erase(const std::string &key)
{
    for (auto it = entries.begin(); it != entries.end(); ++it) {
        if (it->first == key) {
            entries.erase(it);
            m_index.clear();
            m_indexed = 0;
            return true;
        }
    }
    return false;
}

// ---- numbers ------------------------------------------------------------------------

std::string formatJsNumber(double d)
{
    if (std::isnan(d))
        return "NaN";
    if (std::isinf(d))
        return d > 0 ? "Infinity" : "-Infinity";
    if (d == 0)
        return "0";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string s(buf, res.ptr);
    std::string out;
    if (s[0] == '-') {
        out = "-";
        s.erase(0, 1);
    }
    size_t epos = s.find('e');
    std::string mant = s.substr(0, epos);
    int exp = std::atoi(s.c_str() + epos + 1);
    std::string digits;
    for (char c : mant)
        if (c != '.')
            digits += c;
    int k = int(digits.size());
    int n = exp + 1;
    if (k <= n && n <= 21) {
        out += digits + std::string(size_t(n - k), '0');
    } else if (0 < n && n <= 21) {
        out += digits.substr(0, size_t(n)) + "." + digits.substr(size_t(n));
    } else if (-6 < n && n <= 0) {
        out += "0." + std::string(size_t(-n), '0') + digits;
    } else {
        out += digits.substr(0, 1);
        if (k > 1)
            out += "." + digits.substr(1);
        out += "e";
        out += (n - 1 >= 0) ? "+" : "-";
        out += std::to_string(std::abs(n - 1));
    }
    return out;
}

double roundToPrecision15(double d)
{
    if (!std::isfinite(d))
        return d;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.14e", d);
    return std::strtod(buf, nullptr);
}

// ---- UTF helpers --------------------------------------------------------------------

int escapedChar(uint32_t c)
{
    switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return -1;
    }
}

int hexDigit(uint32_t c)
{
    return (c >= '0' && c <= '9')   ? int(c - '0')
           : (c >= 'a' && c <= 'f') ? int(c - 'a' + 10)
           : (c >= 'A' && c <= 'F') ? int(c - 'A' + 10)
                                    : -1;
}

void appendUtf8(std::string &out, uint32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

std::u32string toCodePoints(std::string_view s)
{
    std::u32string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        uint32_t cp;
        int len;
        if (c < 0x80) {
            cp = c;
            len = 1;
        } else if ((c >> 5) == 6) {
            cp = c & 0x1F;
            len = 2;
        } else if ((c >> 4) == 14) {
            cp = c & 0x0F;
            len = 3;
        } else if ((c >> 3) == 30) {
            cp = c & 0x07;
            len = 4;
        } else {
            out += char32_t(0xFFFD);
            ++i;
            continue;
        }
        if (i + size_t(len) > s.size()) {
            out += char32_t(0xFFFD);
            break;
        }
        for (int k = 1; k < len; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + size_t(k)]) & 0x3F);
        out += char32_t(cp);
        i += size_t(len);
    }
    return out;
}

std::string fromCodePoints(const std::u32string &cps)
{
    std::string out;
    out.reserve(cps.size());
    for (char32_t c : cps)
        appendUtf8(out, uint32_t(c));
    return out;
}

size_t utf16Length(std::string_view s)
{
    size_t n = 0;
    for (char32_t c : toCodePoints(s))
        n += c >= 0x10000 ? 2 : 1;
    return n;
}

// ---- JSON parser --------------------------------------------------------------------

namespace {

class JsonParser
{
public:
    explicit JsonParser(std::string_view t) : m_t(t) {}

    bool run(Value &out, JsonParseError *err)
    {
        skipWs();
        bool ok = parseValue(out, 0);
        if (ok) {
            skipWs();
            if (m_p != m_t.size())
                ok = fail("Unexpected trailing characters");
        }
        if (!ok && err) {
            err->message = m_error;
            err->offset = m_p;
            int line = 1, col = 1;
            for (size_t i = 0; i < m_p && i < m_t.size(); ++i) {
                if (m_t[i] == '\n') {
                    ++line;
                    col = 1;
                } else {
                    ++col;
                }
            }
            err->line = line;
            err->column = col;
        }
        return ok;
    }

private:
    std::string_view m_t;
    size_t m_p = 0;
    std::string m_error;

    bool fail(const char *msg)
    {
        if (m_error.empty())
            m_error = msg;
        return false;
    }
    void skipWs()
    {
        while (m_p < m_t.size()
               && (m_t[m_p] == ' ' || m_t[m_p] == '\n' || m_t[m_p] == '\r' || m_t[m_p] == '\t'))
            ++m_p;
    }
    bool parseValue(Value &out, int depth)
    {
        if (depth >= kMaxValueDepth)
            return fail("Nesting too deep");
        if (m_p >= m_t.size())
            return fail("Unexpected end of input");
        char c = m_t[m_p];
        if (c == '{')
            return parseObject(out, depth);
        if (c == '[')
            return parseArray(out, depth);
        if (c == '"') {
            std::string s;
            if (!parseString(s))
                return false;
            out = Value::string(std::move(s));
            return true;
        }
        if (m_t.compare(m_p, 4, "true") == 0) {
            m_p += 4;
            out = Value::boolean(true);
            return true;
        }
        if (m_t.compare(m_p, 5, "false") == 0) {
            m_p += 5;
            out = Value::boolean(false);
            return true;
        }
        if (m_t.compare(m_p, 4, "null") == 0) {
            m_p += 4;
            out = Value::null();
            return true;
        }
        if (c == '-' || (c >= '0' && c <= '9'))
            return parseNumber(out);
        return fail("Unexpected character");
    }
    bool parseObject(Value &out, int depth)
    {
        ++m_p;
        auto obj = std::make_shared<ObjectData>();
        skipWs();
        if (m_p < m_t.size() && m_t[m_p] == '}') {
            ++m_p;
            out = Value::object(obj);
            return true;
        }
        for (;;) {
            skipWs();
            if (m_p >= m_t.size() || m_t[m_p] != '"')
                return fail("Expected a string key");
            std::string key;
            if (!parseString(key))
                return false;
            skipWs();
            if (m_p >= m_t.size() || m_t[m_p] != ':')
                return fail("Expected ':'");
            ++m_p;
            skipWs();
            Value v;
            if (!parseValue(v, depth + 1))
                return false;
            obj->set(key, std::move(v));
            skipWs();
            if (m_p < m_t.size() && m_t[m_p] == ',') {
                ++m_p;
                continue;
            }
            if (m_p < m_t.size() && m_t[m_p] == '}') {
                ++m_p;
                break;
            }
            return fail("Expected ',' or '}'");
        }
        out = Value::object(obj);
        return true;
    }
    bool parseArray(Value &out, int depth)
    {
        ++m_p;
        auto arr = std::make_shared<ArrayData>();
        skipWs();
        if (m_p < m_t.size() && m_t[m_p] == ']') {
            ++m_p;
            out = Value::array(arr);
            return true;
        }
        for (;;) {
            skipWs();
            Value v;
            if (!parseValue(v, depth + 1))
                return false;
            arr->items.push_back(std::move(v));
            skipWs();
            if (m_p < m_t.size() && m_t[m_p] == ',') {
                ++m_p;
                continue;
            }
            if (m_p < m_t.size() && m_t[m_p] == ']') {
                ++m_p;
                break;
            }
            return fail("Expected ',' or ']'");
        }
        out = Value::array(arr);
        return true;
    }
    bool parseNumber(Value &out)
    {
        size_t start = m_p;
        if (m_t[m_p] == '-')
            ++m_p;
        if (m_p >= m_t.size() || !isdigit(static_cast<unsigned char>(m_t[m_p])))
            return fail("Invalid number");
        while (m_p < m_t.size() && isdigit(static_cast<unsigned char>(m_t[m_p])))
            ++m_p;
        if (m_p < m_t.size() && m_t[m_p] == '.') {
            ++m_p;
            if (m_p >= m_t.size() || !isdigit(static_cast<unsigned char>(m_t[m_p])))
                return fail("Invalid number");
            while (m_p < m_t.size() && isdigit(static_cast<unsigned char>(m_t[m_p])))
                ++m_p;
        }
        if (m_p < m_t.size() && (m_t[m_p] == 'e' || m_t[m_p] == 'E')) {
            ++m_p;
            if (m_p < m_t.size() && (m_t[m_p] == '+' || m_t[m_p] == '-'))
                ++m_p;
            if (m_p >= m_t.size() || !isdigit(static_cast<unsigned char>(m_t[m_p])))
                return fail("Invalid number");
            while (m_p < m_t.size() && isdigit(static_cast<unsigned char>(m_t[m_p])))
                ++m_p;
        }
        std::string num(m_t.substr(start, m_p - start));
        out = Value::number(std::strtod(num.c_str(), nullptr));
        return true;
    }
    bool read4(uint32_t &cp)
    {
        if (m_p + 4 > m_t.size())
            return fail("Invalid \\u escape");
        cp = 0;
        for (int i = 0; i < 4; ++i) {
            int h = hexDigit(static_cast<unsigned char>(m_t[m_p + size_t(i)]));
            if (h < 0)
                return fail("Invalid \\u escape");
            cp = cp * 16 + uint32_t(h);
        }
        m_p += 4;
        return true;
    }
    bool parseString(std::string &s)
    {
        ++m_p; // opening quote
        for (;;) {
            if (m_p >= m_t.size())
                return fail("Unterminated string");
            char c = m_t[m_p];
            if (c == '"') {
                ++m_p;
                return true;
            }
            if (static_cast<unsigned char>(c) < 0x20)
                return fail("Control character in string");
            if (c != '\\') {
                size_t start = m_p;
                while (m_p < m_t.size() && m_t[m_p] != '"' && m_t[m_p] != '\\'
                       && static_cast<unsigned char>(m_t[m_p]) >= 0x20)
                    ++m_p;
                s.append(m_t.data() + start, m_p - start);
                continue;
            }
            ++m_p;
            if (m_p >= m_t.size())
                return fail("Unterminated string");
            const char e = m_t[m_p++];
            if (const int ch = escapedChar(static_cast<unsigned char>(e)); ch >= 0) {
                s += char(ch);
                continue;
            }
            switch (e) {
            case 'u': {
                uint32_t cp;
                if (!read4(cp))
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF && m_p + 6 <= m_t.size() && m_t[m_p] == '\\'
                    && m_t[m_p + 1] == 'u') {
                    size_t save = m_p;
                    m_p += 2;
                    uint32_t lo;
                    if (read4(lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else {
                        m_error.clear();
                        m_p = save;
                    }
                }
                appendUtf8(s, cp); // lone surrogates kept as WTF-8
                break;
            }
            default:
                return fail("Invalid escape");
            }
        }
    }
};

void writeString(const std::string &s, std::string &out)
{
    out += '"';
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else if (c == 0xED && i + 2 < s.size()
                       && (static_cast<unsigned char>(s[i + 1]) & 0xE0) == 0xA0) {
                // WTF-8 lone surrogate: escape like JSON.stringify
                uint32_t cp = ((c & 0x0F) << 12)
                              | ((static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6)
                              | (static_cast<unsigned char>(s[i + 2]) & 0x3F);
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", cp);
                out += buf;
                i += 3;
                continue;
            } else {
                out += char(c);
            }
        }
        ++i;
    }
    out += '"';
}

bool writeImpl(const Value &v, std::string &out, const JsonWriteOptions &o, int level)
{
    if (o.maxLength && out.size() > o.maxLength)
        return false; // the caller sees the length and reports it
    auto newline = [&](int lvl) {
        if (o.indent > 0) {
            out += '\n';
            out.append(size_t(lvl * o.indent), ' ');
        }
    };
    switch (v.type()) {
    case Type::Undefined:
    case Type::Null:
        out += "null";
        return true;
    case Type::Bool:
        out += v.boolValue() ? "true" : "false";
        return true;
    case Type::Number: {
        double d = v.num();
        if (!std::isfinite(d)) {
            out += "null";
            return false;
        }
        // integers are printed exactly; other numbers to 15 significant digits
        bool round = o.precision15 && d != std::floor(d);
        out += formatJsNumber(round ? roundToPrecision15(d) : d);
        return true;
    }
    case Type::String:
        writeString(v.str(), out);
        return true;
    case Type::Function:
        out += o.functionsAsEmpty ? "\"\"" : "null";
        return true;
    case Type::Array: {
        const auto &items = v.arr().items;
        out += '[';
        bool ok = true;
        bool first = true;
        for (const auto &item : items) {
            if (o.maxLength && out.size() > o.maxLength)
                return false;
            if (!first)
                out += ',';
            first = false;
            newline(level + 1);
            if (item.isUndefined())
                out += "null";
            else
                ok = writeImpl(item, out, o, level + 1) && ok;
        }
        if (!items.empty())
            newline(level);
        out += ']';
        return ok;
    }
    case Type::Object: {
        out += '{';
        bool ok = true;
        bool first = true;
        for (const auto &e : v.obj().entries) {
            if (o.maxLength && out.size() > o.maxLength)
                return false;
            if (e.second.isUndefined())
                continue;
            if (!first)
                out += ',';
            first = false;
            newline(level + 1);
            writeString(e.first, out);
            out += o.indent > 0 ? ": " : ":";
            ok = writeImpl(e.second, out, o, level + 1) && ok;
        }
        if (!first)
            newline(level);
        out += '}';
        return ok;
    }
    }
    return true;
}

} // namespace

bool parseJson(std::string_view text, Value &out, JsonParseError *err)
{
    JsonParser p(text);
    return p.run(out, err);
}

bool writeJson(const Value &v, std::string &out, const JsonWriteOptions &opts)
{
    return writeImpl(v, out, opts, 0);
}

std::string toJsonString(const Value &v, int indent)
{
    std::string s;
    JsonWriteOptions o;
    o.indent = indent;
    writeJson(v, s, o);
    return s;
}

bool deepEqual(const Value &a, const Value &b)
{
    if (a.type() != b.type())
        return false;
    if (a.sameRef(b))
        return true;
    budgetTick();
    switch (a.type()) {
    case Type::Undefined:
    case Type::Null:
        return true;
    case Type::Bool:
    case Type::Number:
        return a.num() == b.num();
    case Type::String:
        return a.str() == b.str();
    case Type::Array: {
        if (a.size() != b.size())
            return false;
        for (size_t i = 0; i < a.size(); ++i)
            if (!deepEqual(a[i], b[i]))
                return false;
        return true;
    }
    case Type::Object: {
        const auto &ea = a.obj().entries;
        const auto &ob = b.obj();
        if (ea.size() != ob.size())
            return false;
        for (const auto &e : ea) {
            const Value *o = ob.find(e.first);
            if (!o || !deepEqual(e.second, *o))
                return false;
        }
        return true;
    }
    case Type::Function:
        return a.sameRef(b);
    }
    return false;
}

Value deepClone(const Value &v)
{
    if (v.isArray() || v.isObject()) {
        budgetTick();
        budgetCharge(sizeof(ArrayData) + 64);
    }
    if (v.isArray()) {
        auto a = std::make_shared<ArrayData>();
        const ArrayData &src = v.arr();
        a->sequence = src.sequence;
        a->keepSingleton = src.keepSingleton;
        a->cons = src.cons;
        budgetCharge(src.items.size() * sizeof(Value));
        a->items.reserve(src.items.size());
        for (const auto &i : src.items)
            a->items.push_back(deepClone(i));
        return Value::array(a);
    }
    if (v.isObject()) {
        auto o = std::make_shared<ObjectData>();
        o->entries.reserve(v.obj().entries.size());
        for (const auto &e : v.obj().entries)
            o->entries.emplace_back(e.first, deepClone(e.second));
        return Value::object(o);
    }
    return v;
}

} // namespace sb::jsonata
