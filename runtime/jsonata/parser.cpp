// Pratt parser: tokens to a raw tree (binding powers, nud/led per operator), then the
// post-parse pass (parser_process.cpp); and the parser of function signatures.
#include "runtime/jsonata/parser_impl.h"

#include <QRegularExpression>
#include <QString>

namespace sb::jsonata {

namespace detail {

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

NodePtr Parser::parse()
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

std::string Parser::id() const
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

const Token &Parser::advance(const char *expected, bool infix)
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

NodePtr Parser::make(NodeType type, const Token &t)
{
    auto n = std::make_shared<Node>();
    n->type = type;
    n->position = t.position;
    n->value = t.value;
    n->literal = t.lit;
    return n;
}

JError Parser::tooDeep(int position)
{
    JError e("U1001", position);
    e.message = "Expression nested too deeply: more than " + std::to_string(kMaxNesting)
                + " levels";
    return e;
}

NodePtr Parser::expression(int rbp)
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

NodePtr Parser::nud(const Token &t)
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
        // one function value for the literal: evaluating it allocates nothing
        auto fd = std::make_shared<FunctionData>();
        fd->kind = FuncKind::Regex;
        fd->regex = n->regex;
        fd->regexSource = n->value;
        n->literal = Value::function(fd);
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

void Parser::parseObject(const NodePtr &n)
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

NodePtr Parser::led(const Token &t, const NodePtr &left)
{
    const std::string &v = t.value;
    if (v == "(")
        return ledCall(t, left);
    if (v == "[")
        return ledFilter(t, left);
    if (v == "^")
        return ledOrderBy(t, left);
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

// A call f(a, b), a partial application f(?, b), or a lambda definition function($x){...}.
NodePtr Parser::ledCall(const Token &t, const NodePtr &left)
{
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
        && (left->value == "function" || left->value == "\xCE\xBB"))
        lambdaDefinition(*n);
    return n;
}

// Turns the call node just read into a lambda: parameters, optional signature, body.
void Parser::lambdaDefinition(Node &n)
{
    for (size_t i = 0; i < n.arguments.size(); ++i) {
        const auto &arg = n.arguments[i];
        if (arg->type != NodeType::Variable) {
            JError e("S0208", arg->position);
            e.tok(arg->value);
            e.val(Value::number(double(i + 1)));
            throw e;
        }
        n.params.push_back(arg->value);
    }
    n.type = NodeType::Lambda;
    n.arguments.clear();
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
            n.signature = parseSignature(sig, off);
        } catch (JError &e) {
            e.position = sigPos + off;
            throw;
        }
    }
    advance("{");
    n.body = expression(0);
    advance("}");
}

// left[predicate], or left[] (keep the result an array).
NodePtr Parser::ledFilter(const Token &t, const NodePtr &left)
{
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

// left^(<a, >b): sort terms, ascending unless marked '>'.
NodePtr Parser::ledOrderBy(const Token &t, const NodePtr &left)
{
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

} // namespace detail

NodePtr parseExpression(const std::string &source)
{
    detail::Parser p(source);
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
            if (p.chars.find('<') != std::string::npos) {
                // a choice of parameterised types, e.g. (sa<n>): refused by the reference
                errOffset = int(pos);
                JError e("S0402", int(pos));
                e.val(Value::string(p.chars));
                throw e;
            }
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
