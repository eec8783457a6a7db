// Tokenizer: turns expression text into tokens (names, variables, operators, strings,
// numbers, literals, regular expressions), skipping whitespace and comments.
#include "runtime/jsonata/escape.h"
#include "runtime/jsonata/parser_impl.h"

#include <cmath>
#include <cstdlib>

namespace sb::jsonata::detail {

namespace {

bool isOperatorChar(char32_t c)
{
    switch (c) {
    case '.': case '[': case ']': case '{': case '}': case '(': case ')': case ',': case '@':
    case '#': case ';': case ':': case '?': case '+': case '-': case '*': case '/': case '%':
    case '|': case '=': case '<': case '>': case '^': case '&': case '!': case '~':
        return true;
    default:
        return false;
    }
}

bool isWs(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'; }

} // namespace

bool Lexer::next(bool prefix, Token &t)
{
    if (m_pos >= m_len)
        return false;
    char32_t c = at(m_pos);
    while (m_pos < m_len && isWs(c))
        c = at(++m_pos);
    if (c == '/' && at(m_pos + 1) == '*') {
        skipComment();
        return next(prefix, t);
    }
    t = Token();
    if (!prefix && c == '/') {
        ++m_pos;
        scanRegex(t);
        return true;
    }
    if (scanOperator(c, t))
        return true;
    if (c == '"' || c == '\'') {
        scanString(c, t);
        return true;
    }
    if (c >= '0' && c <= '9') {
        scanNumber(t);
        return true;
    }
    if (c == '`') {
        scanQuotedName(t);
        return true;
    }
    return scanName(t);
}

void Lexer::skipComment()
{
    int start = m_pos;
    m_pos += 2;
    char32_t c = at(m_pos);
    while (!(c == '*' && at(m_pos + 1) == '/')) {
        c = at(++m_pos);
        if (m_pos >= m_len)
            throw JError("S0106", start);
    }
    m_pos += 2;
}

// Two-character operators first, then single characters.
bool Lexer::scanOperator(char32_t c, Token &t)
{
    auto two = [&](char a, char b, const char *op) {
        if (c == char32_t(a) && at(m_pos + 1) == char32_t(b)) {
            m_pos += 2;
            t.kind = TokKind::Operator;
            t.value = op;
            t.position = m_pos;
            return true;
        }
        return false;
    };
    if (two('.', '.', "..") || two(':', '=', ":=") || two('!', '=', "!=")
        || two('>', '=', ">=") || two('<', '=', "<=") || two('*', '*', "**")
        || two('~', '>', "~>") || two('?', ':', "?:") || two('?', '?', "??"))
        return true;
    if (isOperatorChar(c)) {
        ++m_pos;
        t.kind = TokKind::Operator;
        t.value = std::string(1, char(c));
        t.position = m_pos;
        return true;
    }
    return false;
}

void Lexer::scanString(char32_t quote, Token &t)
{
    ++m_pos;
    std::string s;
    while (m_pos < m_len) {
        char32_t c = at(m_pos);
        if (c == '\\') {
            ++m_pos;
            scanEscape(s);
        } else if (c == quote) {
            ++m_pos;
            t.kind = TokKind::String;
            t.value = s;
            t.lit = Value::string(s);
            t.position = m_pos;
            return;
        } else {
            appendUtf8(s, uint32_t(c));
        }
        ++m_pos;
    }
    throw JError("S0101", m_pos);
}

// The character after a backslash (at m_pos), appended to `s`.
void Lexer::scanEscape(std::string &s)
{
    const char32_t c = at(m_pos);
    if (const int ch = escapedChar(uint32_t(c)); ch >= 0) {
        s += char(ch);
        return;
    }
    if (c == 'u') {
        appendUtf8(s, scanUnicodeEscape());
        return;
    }
    JError e("S0103", m_pos);
    std::string tk;
    appendUtf8(tk, uint32_t(c));
    e.tok(tk);
    throw e;
}

// \uXXXX at m_pos (the 'u'); a surrogate pair written as two escapes is combined.
uint32_t Lexer::scanUnicodeEscape()
{
    uint32_t cp = 0;
    bool ok = m_pos + 4 < m_len;
    for (int i = 1; ok && i <= 4; ++i) {
        int v = hexDigit(at(m_pos + i));
        if (v < 0)
            ok = false;
        else
            cp = cp * 16 + uint32_t(v);
    }
    if (!ok)
        throw JError("S0104", m_pos);
    m_pos += 4;
    if (cp >= 0xD800 && cp <= 0xDBFF && at(m_pos + 1) == '\\' && at(m_pos + 2) == 'u') {
        uint32_t lo = 0;
        bool ok2 = true;
        for (int i = 3; i <= 6; ++i) {
            int v = hexDigit(at(m_pos + i));
            if (v < 0)
                ok2 = false;
            else
                lo = lo * 16 + uint32_t(v);
        }
        if (ok2 && lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            m_pos += 6;
        }
    }
    // A lone surrogate has no UTF-8 form: it becomes U+FFFD, so every string the engine
    // holds can be written out as JSON.
    if (cp >= 0xD800 && cp <= 0xDFFF)
        cp = 0xFFFD;
    return cp;
}

void Lexer::scanNumber(Token &t)
{
    int p = m_pos;
    if (at(p) == '0') {
        ++p;
    } else {
        while (at(p) >= '0' && at(p) <= '9')
            ++p;
    }
    if (at(p) == '.' && at(p + 1) >= '0' && at(p + 1) <= '9') {
        ++p;
        while (at(p) >= '0' && at(p) <= '9')
            ++p;
    }
    if (at(p) == 'e' || at(p) == 'E') {
        int q = p + 1;
        if (at(q) == '+' || at(q) == '-')
            ++q;
        if (at(q) >= '0' && at(q) <= '9') {
            while (at(q) >= '0' && at(q) <= '9')
                ++q;
            p = q;
        }
    }
    std::string text;
    for (int i = m_pos; i < p; ++i)
        text += char(at(i));
    double d = std::strtod(text.c_str(), nullptr);
    if (!std::isfinite(d)) {
        JError e("S0102", m_pos);
        e.tok(text);
        throw e;
    }
    m_pos = p;
    t.kind = TokKind::Number;
    t.lit = Value::number(d);
    t.value = text;
    t.position = m_pos;
}

// `a name with any characters`
void Lexer::scanQuotedName(Token &t)
{
    ++m_pos;
    int end = m_pos;
    while (end < m_len && at(end) != '`')
        ++end;
    if (end < m_len) {
        t.kind = TokKind::Name;
        t.value = sub(m_pos, end);
        m_pos = end + 1;
        t.position = m_pos;
        return;
    }
    m_pos = m_len;
    throw JError("S0105", m_pos);
}

// A name, a $variable, or a word that is an operator (and, or, in) or a literal.
bool Lexer::scanName(Token &t)
{
    int i = m_pos;
    for (;;) {
        char32_t ch = at(i);
        if (i >= m_len || isWs(ch) || isOperatorChar(ch))
            break;
        ++i;
    }
    if (at(m_pos) == '$') {
        t.kind = TokKind::Variable;
        t.value = sub(m_pos + 1, i);
        m_pos = i;
        t.position = m_pos;
        return true;
    }
    std::string name = sub(m_pos, i);
    m_pos = i;
    t.position = m_pos;
    if (name == "or" || name == "in" || name == "and") {
        t.kind = TokKind::Operator;
        t.value = name;
    } else if (name == "true" || name == "false") {
        t.kind = TokKind::Value;
        t.value = name;
        t.lit = Value::boolean(name == "true");
    } else if (name == "null") {
        t.kind = TokKind::Value;
        t.value = name;
        t.lit = Value::null();
    } else {
        if (m_pos == m_len && name.empty())
            return false;
        t.kind = TokKind::Name;
        t.value = name;
    }
    return true;
}

std::string Lexer::sub(int a, int b) const
{
    std::string out;
    for (int i = a; i < b && i < m_len; ++i)
        appendUtf8(out, uint32_t(m_s[size_t(i)]));
    return out;
}

void Lexer::scanRegex(Token &t)
{
    int start = m_pos;
    int depth = 0;
    auto isClosingSlash = [&](int p) {
        if (at(p) == '/' && depth == 0) {
            int bs = 0;
            while (at(p - (bs + 1)) == '\\')
                ++bs;
            return bs % 2 == 0;
        }
        return false;
    };
    while (m_pos < m_len) {
        char32_t c = at(m_pos);
        if (isClosingSlash(m_pos)) {
            std::string pattern = sub(start, m_pos);
            if (pattern.empty())
                throw JError("S0301", m_pos);
            ++m_pos;
            int fs = m_pos;
            while (at(m_pos) == 'i' || at(m_pos) == 'm')
                ++m_pos;
            t.kind = TokKind::Regex;
            t.regexPattern = pattern;
            t.regexFlags = sub(fs, m_pos);
            t.value = pattern;
            t.position = m_pos;
            return;
        }
        if ((c == '(' || c == '[' || c == '{') && at(m_pos - 1) != '\\')
            ++depth;
        if ((c == ')' || c == ']' || c == '}') && at(m_pos - 1) != '\\')
            --depth;
        ++m_pos;
    }
    throw JError("S0302", m_pos);
}

} // namespace sb::jsonata::detail
