// Tokenizer, Pratt parser and post-parse AST processing (paths, predicates, ancestry).
#include "runtime/jsonata/internal.h"

#include <QRegularExpression>
#include <QString>
#include <cmath>
#include <cstdlib>

namespace sb::jsonata {

namespace {

enum class TokKind { Name, Variable, Operator, String, Number, Value, Regex, End };

struct Token
{
    TokKind kind = TokKind::End;
    std::string value; // text (operator symbol, name, string contents)
    Value lit;
    int position = 0;
    std::string regexPattern;
    std::string regexFlags;
};

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

class Lexer
{
public:
    explicit Lexer(const std::string &src) : m_s(toCodePoints(src)), m_len(int(m_s.size())) {}

    int length() const { return m_len; }

    // returns false at end of input
    bool next(bool prefix, Token &t)
    {
        if (m_pos >= m_len)
            return false;
        char32_t c = at(m_pos);
        while (m_pos < m_len && isWs(c))
            c = at(++m_pos);
        if (c == '/' && at(m_pos + 1) == '*') {
            int start = m_pos;
            m_pos += 2;
            c = at(m_pos);
            while (!(c == '*' && at(m_pos + 1) == '/')) {
                c = at(++m_pos);
                if (m_pos >= m_len)
                    throw JError("S0106", start);
            }
            m_pos += 2;
            return next(prefix, t);
        }
        t = Token();
        if (!prefix && c == '/') {
            ++m_pos;
            scanRegex(t);
            return true;
        }
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
        if (c == '"' || c == '\'') {
            char32_t quote = c;
            ++m_pos;
            std::string s;
            while (m_pos < m_len) {
                c = at(m_pos);
                if (c == '\\') {
                    ++m_pos;
                    c = at(m_pos);
                    switch (c) {
                    case '"': s += '"'; break;
                    case '\\': s += '\\'; break;
                    case '/': s += '/'; break;
                    case 'b': s += '\b'; break;
                    case 'f': s += '\f'; break;
                    case 'n': s += '\n'; break;
                    case 'r': s += '\r'; break;
                    case 't': s += '\t'; break;
                    case 'u': {
                        uint32_t cp = 0;
                        bool ok = m_pos + 4 < m_len;
                        for (int i = 1; ok && i <= 4; ++i) {
                            char32_t h = at(m_pos + i);
                            int v = (h >= '0' && h <= '9')   ? int(h - '0')
                                    : (h >= 'a' && h <= 'f') ? int(h - 'a' + 10)
                                    : (h >= 'A' && h <= 'F') ? int(h - 'A' + 10)
                                                             : -1;
                            if (v < 0)
                                ok = false;
                            else
                                cp = cp * 16 + uint32_t(v);
                        }
                        if (!ok)
                            throw JError("S0104", m_pos);
                        m_pos += 4;
                        // combine surrogate pairs written as two escapes
                        if (cp >= 0xD800 && cp <= 0xDBFF && at(m_pos + 1) == '\\'
                            && at(m_pos + 2) == 'u') {
                            uint32_t lo = 0;
                            bool ok2 = true;
                            for (int i = 3; i <= 6; ++i) {
                                char32_t h = at(m_pos + i);
                                int v = (h >= '0' && h <= '9')   ? int(h - '0')
                                        : (h >= 'a' && h <= 'f') ? int(h - 'a' + 10)
                                        : (h >= 'A' && h <= 'F') ? int(h - 'A' + 10)
                                                                 : -1;
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
                        // A lone surrogate has no UTF-8 form: it becomes U+FFFD, so every
                        // string the engine holds can be written out as JSON.
                        if (cp >= 0xD800 && cp <= 0xDFFF)
                            cp = 0xFFFD;
                        appendUtf8(s, cp);
                        break;
                    }
                    default: {
                        JError e("S0103", m_pos);
                        std::string tk;
                        appendUtf8(tk, uint32_t(c));
                        e.tok(tk);
                        throw e;
                    }
                    }
                } else if (c == quote) {
                    ++m_pos;
                    t.kind = TokKind::String;
                    t.value = s;
                    t.lit = Value::string(s);
                    t.position = m_pos;
                    return true;
                } else {
                    appendUtf8(s, uint32_t(c));
                }
                ++m_pos;
            }
            throw JError("S0101", m_pos);
        }
        // numbers
        if (c >= '0' && c <= '9') {
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
            return true;
        }
        if (c == '`') {
            ++m_pos;
            int end = m_pos;
            while (end < m_len && at(end) != '`')
                ++end;
            if (end < m_len) {
                t.kind = TokKind::Name;
                t.value = sub(m_pos, end);
                m_pos = end + 1;
                t.position = m_pos;
                return true;
            }
            m_pos = m_len;
            throw JError("S0105", m_pos);
        }
        int i = m_pos;
        for (;;) {
            char32_t ch = at(i);
            if (i >= m_len || isWs(ch) || isOperatorChar(ch)) {
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
            ++i;
        }
    }

private:
    std::u32string m_s;
    int m_len;
    int m_pos = 0;

    char32_t at(int i) const { return (i >= 0 && i < m_len) ? m_s[size_t(i)] : char32_t(0); }
    std::string sub(int a, int b) const
    {
        std::string out;
        for (int i = a; i < b && i < m_len; ++i)
            appendUtf8(out, uint32_t(m_s[size_t(i)]));
        return out;
    }

    void scanRegex(Token &t)
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
};

int lbpOf(const Token &t)
{
    if (t.kind != TokKind::Operator)
        return 0;
    const std::string &v = t.value;
    if (v == ".")
        return 75;
    if (v == "[" || v == "(" || v == "@" || v == "#")
        return 80;
    if (v == "{")
        return 70;
    if (v == "?")
        return 20;
    if (v == "+" || v == "-" || v == "&")
        return 50;
    if (v == "*" || v == "/" || v == "%")
        return 60;
    if (v == "=" || v == "<" || v == ">" || v == "^" || v == "!=" || v == "<=" || v == ">="
        || v == "~>" || v == "in" || v == "??" || v == "?:")
        return 40;
    if (v == "and")
        return 30;
    if (v == "or")
        return 25;
    if (v == ":=")
        return 10;
    return 0;
}

bool knownOperator(const std::string &v)
{
    static const char *ops[] = {".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":",
                                "?", "+", "-", "*", "/", "%", "|", "=", "<", ">", "^", "**",
                                "..", ":=", "!=", "<=", ">=", "~>", "and", "or", "in", "&",
                                "??", "?:"};
    for (const char *o : ops)
        if (v == o)
            return true;
    return false;
}

class Parser
{
public:
    explicit Parser(const std::string &src) : m_lex(src) {}

    NodePtr parse()
    {
        advance();
        NodePtr expr = expression(0);
        if (m_node.kind != TokKind::End) {
            JError e("S0201", m_node.position);
            e.tok(m_node.value);
            throw e;
        }
        expr = processAST(expr);
        if (expr->type == NodeType::Parent || expr->hasSeekingParent) {
            JError e("S0217", expr->position);
            e.tok(expr->type == NodeType::Parent ? "parent" : "path");
            throw e;
        }
        return expr;
    }

private:
    Lexer m_lex;
    Token m_node;
    int m_ancestorLabel = 0;
    int m_ancestorIndex = 0;
    std::vector<NodePtr> m_ancestry;
    int m_depth = 0;
    static constexpr int kMaxNesting = 1000;

    bool is(const char *op) const { return m_node.kind == TokKind::Operator && m_node.value == op; }
    std::string id() const
    {
        switch (m_node.kind) {
        case TokKind::End: return "(end)";
        case TokKind::Operator: return m_node.value;
        case TokKind::Name:
        case TokKind::Variable: return "(name)";
        case TokKind::Regex: return "(regex)";
        default: return "(literal)";
        }
    }

    const Token &advance(const char *expected = nullptr, bool infix = false)
    {
        if (expected && id() != expected) {
            JError e(m_node.kind == TokKind::End ? "S0203" : "S0202", m_node.position);
            e.tok(m_node.kind == TokKind::End ? "(end)" : m_node.value);
            e.val(Value::string(expected));
            throw e;
        }
        Token t;
        if (!m_lex.next(infix, t)) {
            m_node = Token();
            m_node.kind = TokKind::End;
            m_node.value = "(end)";
            m_node.position = m_lex.length();
            return m_node;
        }
        if (t.kind == TokKind::Operator && !knownOperator(t.value)) {
            JError e("S0204", t.position);
            e.tok(t.value);
            throw e;
        }
        m_node = t;
        return m_node;
    }

    static NodePtr make(NodeType type, const Token &t)
    {
        auto n = std::make_shared<Node>();
        n->type = type;
        n->position = t.position;
        n->value = t.value;
        n->literal = t.lit;
        return n;
    }

    // Deeper nesting would overflow the native stack of the parser, the post-parse stage
    // or the tree's destructor: refused as an error instead.
    static JError tooDeep(int position)
    {
        JError e("U1001", position);
        e.message = "Expression nested too deeply: more than " + std::to_string(kMaxNesting)
                    + " levels";
        return e;
    }

    NodePtr expression(int rbp)
    {
        if (++m_depth > kMaxNesting)
            throw tooDeep(m_node.position);
        Token t = m_node;
        advance(nullptr, true);
        NodePtr left = nud(t);
        int chain = 0; // each operator nests the tree one level deeper on its left
        while (rbp < lbpOf(m_node)) {
            ++chain;
            if (++m_depth > kMaxNesting)
                throw tooDeep(m_node.position);
            t = m_node;
            advance();
            left = led(t, left);
        }
        m_depth -= chain;
        --m_depth;
        return left;
    }

    NodePtr nud(const Token &t)
    {
        switch (t.kind) {
        case TokKind::Name: return make(NodeType::Name, t);
        case TokKind::Variable: return make(NodeType::Variable, t);
        case TokKind::String: return make(NodeType::String, t);
        case TokKind::Number: return make(NodeType::Number, t);
        case TokKind::Value: return make(NodeType::Literal, t);
        case TokKind::End: return make(NodeType::End, t);
        case TokKind::Regex: {
            auto n = make(NodeType::Regex, t);
            QRegularExpression::PatternOptions opts = QRegularExpression::NoPatternOption;
            if (t.regexFlags.find('i') != std::string::npos)
                opts |= QRegularExpression::CaseInsensitiveOption;
            if (t.regexFlags.find('m') != std::string::npos)
                opts |= QRegularExpression::MultilineOption;
            n->regex = std::make_shared<QRegularExpression>(
                QString::fromStdString(t.regexPattern), opts);
            n->regex->optimize();
            return n;
        }
        case TokKind::Operator: break;
        }
        const std::string &v = t.value;
        if (v == "-") {
            auto n = make(NodeType::Negate, t);
            n->expression = expression(70);
            return n;
        }
        if (v == "*")
            return make(NodeType::Wildcard, t);
        if (v == "**")
            return make(NodeType::Descendant, t);
        if (v == "%")
            return make(NodeType::Parent, t);
        if (v == "and" || v == "or" || v == "in")
            return make(NodeType::RawOperator, t);
        if (v == "(") {
            auto n = make(NodeType::Block, t);
            while (!is(")")) {
                n->expressions.push_back(expression(0));
                if (!is(";"))
                    break;
                advance(";");
            }
            advance(")", true);
            return n;
        }
        if (v == "[") {
            auto n = make(NodeType::ArrayCons, t);
            if (!is("]")) {
                for (;;) {
                    NodePtr item = expression(0);
                    if (is("..")) {
                        auto range = make(NodeType::Binary, m_node);
                        range->value = "..";
                        range->lhs = item;
                        advance("..");
                        range->rhs = expression(0);
                        item = range;
                    }
                    n->expressions.push_back(item);
                    if (!is(","))
                        break;
                    advance(",");
                }
            }
            advance("]", true);
            return n;
        }
        if (v == "{") {
            auto n = make(NodeType::ObjectCons, t);
            parseObject(n);
            return n;
        }
        if (v == "|") {
            auto n = make(NodeType::Transform, t);
            n->pattern = expression(0);
            advance("|");
            n->update = expression(0);
            if (is(",")) {
                advance(",");
                n->del = expression(0);
            }
            advance("|");
            return n;
        }
        JError e("S0211", t.position);
        e.tok(v);
        throw e;
    }

    void parseObject(const NodePtr &n)
    {
        if (!is("}")) {
            for (;;) {
                NodePtr k = expression(0);
                advance(":");
                NodePtr v = expression(0);
                n->pairs.emplace_back(k, v);
                if (!is(","))
                    break;
                advance(",");
            }
        }
        advance("}", true);
    }

    NodePtr led(const Token &t, const NodePtr &left)
    {
        const std::string &v = t.value;
        if (v == "(") {
            auto n = make(NodeType::Function, t);
            n->procedure = left;
            if (!is(")")) {
                for (;;) {
                    if (m_node.kind == TokKind::Operator && m_node.value == "?") {
                        n->type = NodeType::Partial;
                        n->arguments.push_back(make(NodeType::Placeholder, m_node));
                        advance("?");
                    } else {
                        n->arguments.push_back(expression(0));
                    }
                    if (!is(","))
                        break;
                    advance(",");
                }
            }
            advance(")", true);
            if (left->type == NodeType::Name
                && (left->value == "function" || left->value == "\xCE\xBB")) {
                for (size_t i = 0; i < n->arguments.size(); ++i) {
                    const auto &arg = n->arguments[i];
                    if (arg->type != NodeType::Variable) {
                        JError e("S0208", arg->position);
                        e.tok(arg->value);
                        e.val(Value::number(double(i + 1)));
                        throw e;
                    }
                    n->params.push_back(arg->value);
                }
                n->type = NodeType::Lambda;
                n->arguments.clear();
                if (is("<")) {
                    int sigPos = m_node.position;
                    int depth = 1;
                    std::string sig = "<";
                    while (depth > 0 && !is("{") && m_node.kind != TokKind::End) {
                        const Token &tok = advance();
                        if (tok.kind == TokKind::Operator && tok.value == ">")
                            --depth;
                        else if (tok.kind == TokKind::Operator && tok.value == "<")
                            ++depth;
                        sig += tok.value;
                    }
                    advance(">");
                    int off = 0;
                    try {
                        n->signature = parseSignature(sig, off);
                    } catch (JError &e) {
                        e.position = sigPos + off;
                        throw;
                    }
                }
                advance("{");
                n->body = expression(0);
                advance("}");
            }
            return n;
        }
        if (v == "[") {
            if (is("]")) {
                Node *step = left.get();
                while (step && step->type == NodeType::RawFilter)
                    step = step->lhs.get();
                if (step)
                    step->keepArray = true;
                advance("]");
                return left;
            }
            auto n = make(NodeType::RawFilter, t);
            n->lhs = left;
            n->rhs = expression(0);
            advance("]", true);
            return n;
        }
        if (v == "^") {
            auto n = make(NodeType::RawOrderBy, t);
            advance("(");
            for (;;) {
                SortTerm term;
                if (is("<")) {
                    advance("<");
                } else if (is(">")) {
                    term.descending = true;
                    advance(">");
                }
                term.expression = expression(0);
                n->terms.push_back(term);
                if (!is(","))
                    break;
                advance(",");
            }
            advance(")");
            n->lhs = left;
            return n;
        }
        if (v == "{") {
            auto n = make(NodeType::RawGroup, t);
            n->lhs = left;
            parseObject(n);
            return n;
        }
        if (v == ":=") {
            if (left->type != NodeType::Variable) {
                JError e("S0212", left->position);
                e.tok(left->value);
                throw e;
            }
            auto n = make(NodeType::RawBind, t);
            n->lhs = left;
            n->rhs = expression(9);
            return n;
        }
        if (v == "@" || v == "#") {
            auto n = make(v == "@" ? NodeType::RawFocus : NodeType::RawIndex, t);
            n->lhs = left;
            n->rhs = expression(80);
            if (n->rhs->type != NodeType::Variable) {
                JError e("S0214", n->rhs->position);
                e.tok(v);
                throw e;
            }
            return n;
        }
        if (v == "?") {
            auto n = make(NodeType::Condition, t);
            n->condition = left;
            n->thenExpr = expression(0);
            if (is(":")) {
                advance(":");
                n->elseExpr = expression(0);
            }
            return n;
        }
        if (v == "??" || v == "?:") {
            auto n = make(v == "??" ? NodeType::Coalesce : NodeType::Elvis, t);
            n->condition = left;
            n->elseExpr = expression(0);
            return n;
        }
        // plain binary operators
        auto n = make(v == "." ? NodeType::RawDot : v == "~>" ? NodeType::RawApply
                                                               : NodeType::Binary,
                      t);
        n->lhs = left;
        n->rhs = expression(lbpOf(t));
        return n;
    }

    // ---- post-parse ----------------------------------------------------------------------
    static NodePtr tailCallOptimize(const NodePtr &expr)
    {
        if (expr->type == NodeType::Function && expr->predicate.empty()) {
            auto thunk = std::make_shared<Node>();
            thunk->type = NodeType::Lambda;
            thunk->thunk = true;
            thunk->position = expr->position;
            thunk->body = expr;
            return thunk;
        }
        if (expr->type == NodeType::Condition) {
            expr->thenExpr = tailCallOptimize(expr->thenExpr);
            if (expr->elseExpr)
                expr->elseExpr = tailCallOptimize(expr->elseExpr);
            return expr;
        }
        if (expr->type == NodeType::Block && !expr->expressions.empty()) {
            expr->expressions.back() = tailCallOptimize(expr->expressions.back());
        }
        return expr;
    }

    SlotPtr seekParent(Node *node, SlotPtr slot)
    {
        switch (node->type) {
        case NodeType::Name:
        case NodeType::Wildcard:
            slot->level--;
            if (slot->level == 0) {
                if (!node->ancestor) {
                    node->ancestor = slot;
                } else {
                    m_ancestry[size_t(slot->index)]->slot->label = node->ancestor->label;
                    node->ancestor = slot;
                }
                node->tuple = true;
            }
            break;
        case NodeType::Parent:
            slot->level++;
            break;
        case NodeType::Block:
            if (!node->expressions.empty()) {
                node->tuple = true;
                slot = seekParent(node->expressions.back().get(), slot);
            }
            break;
        case NodeType::Path: {
            node->tuple = true;
            int index = int(node->expressions.size()) - 1;
            slot = seekParent(node->expressions[size_t(index--)].get(), slot);
            while (slot->level > 0 && index >= 0)
                slot = seekParent(node->expressions[size_t(index--)].get(), slot);
            break;
        }
        default: {
            JError e("S0217", node->position);
            e.tok(typeString(node->type));
            throw e;
        }
        }
        return slot;
    }

    static const char *typeString(NodeType t)
    {
        switch (t) {
        case NodeType::Binary: return "binary";
        case NodeType::Function: return "function";
        case NodeType::Variable: return "variable";
        case NodeType::Condition: return "condition";
        case NodeType::String: return "string";
        case NodeType::Number: return "number";
        case NodeType::Literal: return "value";
        case NodeType::Lambda: return "lambda";
        case NodeType::ArrayCons:
        case NodeType::ObjectCons:
        case NodeType::Negate: return "unary";
        case NodeType::Descendant: return "descendant";
        case NodeType::Sort: return "sort";
        case NodeType::Transform: return "transform";
        case NodeType::Regex: return "regex";
        default: return "expression";
        }
    }

    static void pushAncestry(Node *result, Node *value)
    {
        if (value->hasSeekingParent || value->type == NodeType::Parent) {
            std::vector<SlotPtr> slotList = value->seekingParent;
            if (value->type == NodeType::Parent)
                slotList.push_back(value->slot);
            result->seekingParent.insert(result->seekingParent.end(), slotList.begin(), slotList.end());
            result->hasSeekingParent = true;
        }
    }

    void resolveAncestry(Node *path)
    {
        auto &steps = path->expressions;
        int index = int(steps.size()) - 1;
        Node *laststep = steps[size_t(index)].get();
        std::vector<SlotPtr> slotList = laststep->seekingParent;
        if (laststep->type == NodeType::Parent)
            slotList.push_back(laststep->slot);
        for (auto slot : slotList) {
            index = int(steps.size()) - 2;
            while (slot->level > 0) {
                if (index < 0) {
                    path->seekingParent.push_back(slot);
                    path->hasSeekingParent = true;
                    break;
                }
                Node *step = steps[size_t(index--)].get();
                while (index >= 0 && step->hasFocus && steps[size_t(index)]->hasFocus)
                    step = steps[size_t(index--)].get();
                slot = seekParent(step, slot);
            }
        }
    }

    static NodePtr asPath(const NodePtr &n)
    {
        auto p = std::make_shared<Node>();
        p->type = NodeType::Path;
        p->position = n->position;
        p->expressions.push_back(n);
        return p;
    }

    NodePtr processAST(const NodePtr &expr)
    {
        if (++m_depth > kMaxNesting)
            throw tooDeep(expr->position);
        NodePtr result = processInner(expr);
        --m_depth;
        if (expr->keepArray)
            result->keepArray = true;
        return result;
    }

    NodePtr processInner(const NodePtr &expr)
    {
        NodePtr result;
        switch (expr->type) {
        case NodeType::RawDot: {
            NodePtr lstep = processAST(expr->lhs);
            if (lstep->type == NodeType::Path)
                result = lstep;
            else
                result = asPath(lstep);
            if (lstep->type == NodeType::Parent) {
                result->seekingParent = {lstep->slot};
                result->hasSeekingParent = true;
            }
            NodePtr rest = processAST(expr->rhs);
            if (rest->type == NodeType::Path) {
                for (auto &s : rest->expressions)
                    result->expressions.push_back(s);
            } else {
                if (!rest->predicate.empty()) {
                    rest->stages = rest->predicate;
                    rest->hasStages = true;
                    rest->predicate.clear();
                }
                result->expressions.push_back(rest);
            }
            for (auto &step : result->expressions) {
                if (step->type == NodeType::Number || step->type == NodeType::Literal) {
                    JError e("S0213", step->position);
                    e.val(step->literal);
                    throw e;
                }
                if (step->type == NodeType::String)
                    step->type = NodeType::Name;
            }
            for (auto &step : result->expressions)
                if (step->keepArray)
                    result->keepSingletonArray = true;
            Node *first = result->expressions.front().get();
            if (first->type == NodeType::ArrayCons)
                first->consarray = true;
            Node *last = result->expressions.back().get();
            if (last->type == NodeType::ArrayCons)
                last->consarray = true;
            resolveAncestry(result.get());
            break;
        }
        case NodeType::RawFilter: {
            result = processAST(expr->lhs);
            Node *step = result.get();
            bool stagesMode = false;
            if (result->type == NodeType::Path) {
                step = result->expressions.back().get();
                stagesMode = true;
            }
            if (step->group)
                throw JError("S0209", expr->position);
            NodePtr predicate = processAST(expr->rhs);
            if (predicate->hasSeekingParent) {
                for (auto &slot : predicate->seekingParent) {
                    if (slot->level == 1)
                        seekParent(step, slot);
                    else
                        slot->level--;
                }
                pushAncestry(step, predicate.get());
            }
            Stage st;
            st.expr = predicate;
            st.position = expr->position;
            if (stagesMode) {
                step->stages.push_back(st);
                step->hasStages = true;
            } else {
                step->predicate.push_back(st);
            }
            break;
        }
        case NodeType::RawGroup: {
            result = processAST(expr->lhs);
            if (result->group)
                throw JError("S0210", expr->position);
            auto g = std::make_shared<GroupSpec>();
            g->position = expr->position;
            for (auto &p : expr->pairs)
                g->pairs.emplace_back(processAST(p.first), processAST(p.second));
            result->group = g;
            break;
        }
        case NodeType::RawOrderBy: {
            result = processAST(expr->lhs);
            if (result->type != NodeType::Path)
                result = asPath(result);
            auto sortStep = std::make_shared<Node>();
            sortStep->type = NodeType::Sort;
            sortStep->position = expr->position;
            for (auto &term : expr->terms) {
                SortTerm t;
                t.descending = term.descending;
                t.expression = processAST(term.expression);
                pushAncestry(sortStep.get(), t.expression.get());
                sortStep->terms.push_back(t);
            }
            result->expressions.push_back(sortStep);
            resolveAncestry(result.get());
            break;
        }
        case NodeType::RawBind: {
            result = std::make_shared<Node>();
            result->type = NodeType::Bind;
            result->position = expr->position;
            result->lhs = processAST(expr->lhs);
            result->rhs = processAST(expr->rhs);
            pushAncestry(result.get(), result->rhs.get());
            break;
        }
        case NodeType::RawFocus: {
            result = processAST(expr->lhs);
            Node *step = result.get();
            if (result->type == NodeType::Path)
                step = result->expressions.back().get();
            if (step->hasStages || !step->predicate.empty())
                throw JError("S0215", expr->position);
            if (step->type == NodeType::Sort)
                throw JError("S0216", expr->position);
            if (expr->keepArray)
                step->keepArray = true;
            step->focus = expr->rhs->value;
            step->hasFocus = true;
            step->tuple = true;
            break;
        }
        case NodeType::RawIndex: {
            result = processAST(expr->lhs);
            Node *step = result.get();
            if (result->type == NodeType::Path) {
                step = result->expressions.back().get();
            } else {
                result = asPath(result);
                if (!step->predicate.empty()) {
                    step->stages = step->predicate;
                    step->hasStages = true;
                    step->predicate.clear();
                }
            }
            if (!step->hasStages) {
                step->indexVar = expr->rhs->value;
                step->hasIndex = true;
            } else {
                Stage st;
                st.isIndex = true;
                st.indexVar = expr->rhs->value;
                st.position = expr->position;
                step->stages.push_back(st);
            }
            step->tuple = true;
            break;
        }
        case NodeType::RawApply: {
            result = std::make_shared<Node>();
            result->type = NodeType::Apply;
            result->position = expr->position;
            result->value = "~>";
            result->lhs = processAST(expr->lhs);
            result->rhs = processAST(expr->rhs);
            break;
        }
        case NodeType::Binary: {
            result = expr;
            {
                const std::string &v = expr->value;
                result->opcode = v == "!=" ? '!' : v == "<=" ? 'l' : v == ">=" ? 'g'
                                 : v == "and" ? 'a' : v == "or" ? 'o' : v == ".." ? '.'
                                 : v == "in" ? 'i' : v[0];
            }
            result->lhs = processAST(expr->lhs);
            result->rhs = processAST(expr->rhs);
            pushAncestry(result.get(), result->lhs.get());
            pushAncestry(result.get(), result->rhs.get());
            break;
        }
        case NodeType::ArrayCons: {
            result = expr;
            for (auto &e : result->expressions) {
                e = processAST(e);
                pushAncestry(result.get(), e.get());
            }
            break;
        }
        case NodeType::ObjectCons: {
            result = expr;
            for (auto &p : result->pairs) {
                p.first = processAST(p.first);
                pushAncestry(result.get(), p.first.get());
                p.second = processAST(p.second);
                pushAncestry(result.get(), p.second.get());
            }
            result->consGroup = std::make_shared<GroupSpec>();
            result->consGroup->pairs = result->pairs;
            result->consGroup->position = result->position;
            break;
        }
        case NodeType::Negate: {
            result = expr;
            result->expression = processAST(expr->expression);
            if (result->expression->type == NodeType::Number) {
                NodePtr num = result->expression;
                num->literal = Value::number(-num->literal.num());
                result = num;
            } else {
                pushAncestry(result.get(), result->expression.get());
            }
            break;
        }
        case NodeType::Function:
        case NodeType::Partial: {
            result = expr;
            for (auto &a : result->arguments) {
                if (a->type == NodeType::Placeholder)
                    continue;
                a = processAST(a);
                pushAncestry(result.get(), a.get());
            }
            result->procedure = processAST(expr->procedure);
            if (result->procedure->type == NodeType::Variable)
                result->builtin = findBuiltin(result->procedure->value);
            break;
        }
        case NodeType::Lambda: {
            result = expr;
            result->body = tailCallOptimize(processAST(expr->body));
            break;
        }
        case NodeType::Condition:
        case NodeType::Coalesce:
        case NodeType::Elvis: {
            result = expr;
            result->condition = processAST(expr->condition);
            pushAncestry(result.get(), result->condition.get());
            if (result->thenExpr) {
                result->thenExpr = processAST(expr->thenExpr);
                pushAncestry(result.get(), result->thenExpr.get());
            }
            if (result->elseExpr) {
                result->elseExpr = processAST(expr->elseExpr);
                pushAncestry(result.get(), result->elseExpr.get());
            }
            break;
        }
        case NodeType::Transform: {
            result = expr;
            result->pattern = processAST(expr->pattern);
            result->update = processAST(expr->update);
            if (expr->del)
                result->del = processAST(expr->del);
            break;
        }
        case NodeType::Block: {
            result = expr;
            for (auto &e : result->expressions) {
                e = processAST(e);
                pushAncestry(result.get(), e.get());
                if (e->consarray
                    || (e->type == NodeType::Path && e->expressions.front()->consarray))
                    result->consarray = true;
            }
            break;
        }
        case NodeType::Name: {
            result = asPath(expr);
            if (expr->keepArray)
                result->keepSingletonArray = true;
            break;
        }
        case NodeType::Parent: {
            result = expr;
            result->slot = std::make_shared<Slot>();
            result->slot->label = "!" + std::to_string(m_ancestorLabel++);
            result->slot->level = 1;
            result->slot->index = m_ancestorIndex++;
            m_ancestry.push_back(result);
            break;
        }
        case NodeType::String:
        case NodeType::Number:
        case NodeType::Literal:
        case NodeType::Wildcard:
        case NodeType::Descendant:
        case NodeType::Variable:
        case NodeType::Regex:
            result = expr;
            break;
        case NodeType::RawOperator: {
            expr->type = NodeType::Name;
            result = processAST(expr);
            break;
        }
        case NodeType::End: {
            JError e("S0207", expr->position);
            e.tok("(end)");
            throw e;
        }
        default: {
            JError e("S0206", expr->position);
            e.tok(expr->value);
            throw e;
        }
        }
        return result;
    }
};

} // namespace

NodePtr parseExpression(const std::string &source)
{
    Parser p(source);
    return p.parse();
}

// ---- signatures ---------------------------------------------------------------------------

std::shared_ptr<Signature> parseSignature(const std::string &text, int &errOffset)
{
    auto sig = std::make_shared<Signature>();
    sig->text = text;
    size_t pos = 1; // skip '<'
    SigParam *prev = nullptr;
    while (pos < text.size()) {
        char c = text[pos];
        if (c == ':' || c == '>')
            break;
        SigParam p;
        switch (c) {
        case 's': case 'n': case 'b': case 'l': case 'o':
            p.type = c;
            p.chars = std::string(1, c);
            break;
        case 'a':
            p.type = 'a';
            p.chars = "asnblfo";
            break;
        case 'f':
            p.type = 'f';
            p.chars = "f";
            break;
        case 'j':
            p.type = 'j';
            p.chars = "asnblo";
            break;
        case 'x':
            p.type = 'x';
            p.chars = "asnblfo";
            break;
        case '(': {
            size_t end = text.find(')', pos);
            if (end == std::string::npos) {
                errOffset = int(pos);
                throw JError("S0401", int(pos));
            }
            p.type = '(';
            p.chars = text.substr(pos + 1, end - pos - 1);
            pos = end;
            break;
        }
        case '-':
            if (prev)
                prev->context = true;
            ++pos;
            continue;
        case '?':
        case '+':
            if (prev)
                prev->quant = c;
            ++pos;
            continue;
        case '<': {
            // subtype of the previous param: a<n>, f<n:n>
            int depth = 1;
            size_t start = pos + 1;
            size_t i = start;
            while (i < text.size() && depth > 0) {
                if (text[i] == '<')
                    ++depth;
                else if (text[i] == '>')
                    --depth;
                ++i;
            }
            if (depth > 0 || !prev || (prev->type != 'a' && prev->type != 'f')) {
                errOffset = int(pos);
                JError e("S0401", int(pos));
                throw e;
            }
            prev->subtype = text.substr(start, i - 1 - start);
            pos = i;
            continue;
        }
        default: {
            errOffset = int(pos);
            JError e("S0401", int(pos));
            e.val(Value::string(std::string(1, c)));
            throw e;
        }
        }
        sig->params.push_back(p);
        prev = &sig->params.back();
        ++pos;
    }
    return sig;
}

} // namespace sb::jsonata
