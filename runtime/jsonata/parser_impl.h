#pragma once

// Shared by the parser's files: tokens and the lexer (lexer.cpp), the Pratt parser
// (parser.cpp) and its post-parse pass that builds paths, stages and ancestry
// (parser_process.cpp).

#include "runtime/jsonata/internal.h"

namespace sb::jsonata::detail {

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

class Lexer
{
public:
    explicit Lexer(const std::string &src) : m_s(toCodePoints(src)), m_len(int(m_s.size())) {}

    int length() const { return m_len; }

    // returns false at end of input
    bool next(bool prefix, Token &t);

private:
    std::u32string m_s;
    int m_len;
    int m_pos = 0;

    char32_t at(int i) const { return (i >= 0 && i < m_len) ? m_s[size_t(i)] : char32_t(0); }
    std::string sub(int a, int b) const;

    void skipComment();
    bool scanOperator(char32_t c, Token &t);
    void scanString(char32_t quote, Token &t);
    void scanEscape(std::string &s);
    uint32_t scanUnicodeEscape();
    void scanNumber(Token &t);
    void scanQuotedName(Token &t);
    bool scanName(Token &t);
    void scanRegex(Token &t);
};

int lbpOf(const Token &t);          // left binding power of an operator token
bool knownOperator(const std::string &v);

class Parser
{
public:
    explicit Parser(const std::string &src) : m_lex(src) {}

    NodePtr parse();

private:
    Lexer m_lex;
    Token m_node;
    int m_ancestorLabel = 0;
    int m_ancestorIndex = 0;
    std::vector<NodePtr> m_ancestry;
    int m_depth = 0;
    static constexpr int kMaxNesting = 1000;

    bool is(const char *op) const
    {
        return m_node.kind == TokKind::Operator && m_node.value == op;
    }
    std::string id() const;

    const Token &advance(const char *expected = nullptr, bool infix = false);

    static NodePtr make(NodeType type, const Token &t);

    // Deeper nesting would overflow the native stack of the parser, the post-parse stage
    // or the tree's destructor: refused as an error instead.
    static JError tooDeep(int position);

    NodePtr expression(int rbp);

    NodePtr nud(const Token &t);

    void parseObject(const NodePtr &n);

    NodePtr led(const Token &t, const NodePtr &left);
    NodePtr ledCall(const Token &t, const NodePtr &left);
    void lambdaDefinition(Node &n);
    NodePtr ledFilter(const Token &t, const NodePtr &left);
    NodePtr ledOrderBy(const Token &t, const NodePtr &left);

    // ---- post-parse ----------------------------------------------------------------------
    static NodePtr tailCallOptimize(const NodePtr &expr);

    SlotPtr seekParent(Node *node, SlotPtr slot);

    static const char *typeString(NodeType t);

    static void pushAncestry(Node *result, Node *value);

    void resolveAncestry(Node *path);

    static NodePtr asPath(const NodePtr &n);

    NodePtr processAST(const NodePtr &expr);

    NodePtr processInner(const NodePtr &expr);
    // One per node kind; each returns the processed node.
    NodePtr processDot(const NodePtr &expr);
    NodePtr processFilter(const NodePtr &expr);
    NodePtr processGroup(const NodePtr &expr);
    NodePtr processOrderBy(const NodePtr &expr);
    NodePtr processBind(const NodePtr &expr);
    NodePtr processFocus(const NodePtr &expr);
    NodePtr processIndex(const NodePtr &expr);
    NodePtr processApply(const NodePtr &expr);
    NodePtr processBinary(const NodePtr &expr);
    NodePtr processArrayCons(const NodePtr &expr);
    NodePtr processObjectCons(const NodePtr &expr);
    NodePtr processNegate(const NodePtr &expr);
    NodePtr processCall(const NodePtr &expr);
    NodePtr processLambda(const NodePtr &expr);
    NodePtr processCondition(const NodePtr &expr);
    NodePtr processTransform(const NodePtr &expr);
    NodePtr processBlock(const NodePtr &expr);
    NodePtr processName(const NodePtr &expr);
    NodePtr processParent(const NodePtr &expr);
};

} // namespace sb::jsonata::detail
