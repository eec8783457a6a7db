// The post-parse pass: turns the raw tree into the evaluator's (paths of steps, predicates
// as stages, focus/index bindings, sort steps) and resolves parent (%) references.
#include "runtime/jsonata/parser_impl.h"

namespace sb::jsonata::detail {

NodePtr Parser::tailCallOptimize(const NodePtr &expr)
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

SlotPtr Parser::seekParent(Node *node, SlotPtr slot)
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

const char *Parser::typeString(NodeType t)
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

void Parser::pushAncestry(Node *result, Node *value)
{
    if (value->hasSeekingParent || value->type == NodeType::Parent) {
        std::vector<SlotPtr> slotList = value->seekingParent;
        if (value->type == NodeType::Parent)
            slotList.push_back(value->slot);
        auto &seeking = result->seekingParent;
        seeking.insert(seeking.end(), slotList.begin(), slotList.end());
        result->hasSeekingParent = true;
    }
}

void Parser::resolveAncestry(Node *path)
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

NodePtr Parser::asPath(const NodePtr &n)
{
    auto p = std::make_shared<Node>();
    p->type = NodeType::Path;
    p->position = n->position;
    p->expressions.push_back(n);
    return p;
}

NodePtr Parser::processAST(const NodePtr &expr)
{
    if (++m_depth > kMaxNesting)
        throw tooDeep(expr->position);
    NodePtr result = processInner(expr);
    --m_depth;
    if (expr->keepArray)
        result->keepArray = true;
    return result;
}

NodePtr Parser::processInner(const NodePtr &expr)
{
    switch (expr->type) {
    case NodeType::RawDot: return processDot(expr);
    case NodeType::RawFilter: return processFilter(expr);
    case NodeType::RawGroup: return processGroup(expr);
    case NodeType::RawOrderBy: return processOrderBy(expr);
    case NodeType::RawBind: return processBind(expr);
    case NodeType::RawFocus: return processFocus(expr);
    case NodeType::RawIndex: return processIndex(expr);
    case NodeType::RawApply: return processApply(expr);
    case NodeType::Binary: return processBinary(expr);
    case NodeType::ArrayCons: return processArrayCons(expr);
    case NodeType::ObjectCons: return processObjectCons(expr);
    case NodeType::Negate: return processNegate(expr);
    case NodeType::Function:
    case NodeType::Partial: return processCall(expr);
    case NodeType::Lambda: return processLambda(expr);
    case NodeType::Condition:
    case NodeType::Coalesce:
    case NodeType::Elvis: return processCondition(expr);
    case NodeType::Transform: return processTransform(expr);
    case NodeType::Block: return processBlock(expr);
    case NodeType::Name: return processName(expr);
    case NodeType::Parent: return processParent(expr);
    case NodeType::String:
    case NodeType::Number:
    case NodeType::Literal:
    case NodeType::Wildcard:
    case NodeType::Descendant:
    case NodeType::Variable:
    case NodeType::Regex:
        return expr;
    case NodeType::RawOperator:
        expr->type = NodeType::Name;
        return processAST(expr);
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
}

NodePtr Parser::processDot(const NodePtr &expr)
{
    NodePtr result;
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
    return result;
}

NodePtr Parser::processFilter(const NodePtr &expr)
{
    NodePtr result = processAST(expr->lhs);
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
    return result;
}

NodePtr Parser::processGroup(const NodePtr &expr)
{
    NodePtr result = processAST(expr->lhs);
    if (result->group)
        throw JError("S0210", expr->position);
    auto g = std::make_shared<GroupSpec>();
    g->position = expr->position;
    for (auto &p : expr->pairs)
        g->pairs.emplace_back(processAST(p.first), processAST(p.second));
    result->group = g;
    return result;
}

NodePtr Parser::processOrderBy(const NodePtr &expr)
{
    NodePtr result = processAST(expr->lhs);
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
    return result;
}

NodePtr Parser::processBind(const NodePtr &expr)
{
    NodePtr result = std::make_shared<Node>();
    result->type = NodeType::Bind;
    result->position = expr->position;
    result->lhs = processAST(expr->lhs);
    result->rhs = processAST(expr->rhs);
    pushAncestry(result.get(), result->rhs.get());
    return result;
}

NodePtr Parser::processFocus(const NodePtr &expr)
{
    NodePtr result = processAST(expr->lhs);
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
    return result;
}

NodePtr Parser::processIndex(const NodePtr &expr)
{
    NodePtr result = processAST(expr->lhs);
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
    return result;
}

NodePtr Parser::processApply(const NodePtr &expr)
{
    NodePtr result = std::make_shared<Node>();
    result->type = NodeType::Apply;
    result->position = expr->position;
    result->value = "~>";
    result->lhs = processAST(expr->lhs);
    result->rhs = processAST(expr->rhs);
    return result;
}

NodePtr Parser::processBinary(const NodePtr &expr)
{
    NodePtr result = expr;
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
    return result;
}

NodePtr Parser::processArrayCons(const NodePtr &expr)
{
    NodePtr result = expr;
    for (auto &e : result->expressions) {
        e = processAST(e);
        pushAncestry(result.get(), e.get());
    }
    return result;
}

NodePtr Parser::processObjectCons(const NodePtr &expr)
{
    NodePtr result = expr;
    for (auto &p : result->pairs) {
        p.first = processAST(p.first);
        pushAncestry(result.get(), p.first.get());
        p.second = processAST(p.second);
        pushAncestry(result.get(), p.second.get());
    }
    result->consGroup = std::make_shared<GroupSpec>();
    result->consGroup->pairs = result->pairs;
    result->consGroup->position = result->position;
    return result;
}

NodePtr Parser::processNegate(const NodePtr &expr)
{
    NodePtr result = expr;
    result->expression = processAST(expr->expression);
    if (result->expression->type == NodeType::Number) {
        NodePtr num = result->expression;
        num->literal = Value::number(-num->literal.num());
        result = num;
    } else {
        pushAncestry(result.get(), result->expression.get());
    }
    return result;
}

NodePtr Parser::processCall(const NodePtr &expr)
{
    NodePtr result = expr;
    for (auto &a : result->arguments) {
        if (a->type == NodeType::Placeholder)
            continue;
        a = processAST(a);
        pushAncestry(result.get(), a.get());
    }
    result->procedure = processAST(expr->procedure);
    if (result->procedure->type == NodeType::Variable)
        result->builtin = findBuiltin(result->procedure->value);
    return result;
}

NodePtr Parser::processLambda(const NodePtr &expr)
{
    NodePtr result = expr;
    result->body = tailCallOptimize(processAST(expr->body));
    return result;
}

NodePtr Parser::processCondition(const NodePtr &expr)
{
    NodePtr result = expr;
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
    return result;
}

NodePtr Parser::processTransform(const NodePtr &expr)
{
    NodePtr result = expr;
    result->pattern = processAST(expr->pattern);
    result->update = processAST(expr->update);
    if (expr->del)
        result->del = processAST(expr->del);
    return result;
}

NodePtr Parser::processBlock(const NodePtr &expr)
{
    NodePtr result = expr;
    for (auto &e : result->expressions) {
        e = processAST(e);
        pushAncestry(result.get(), e.get());
        if (e->consarray
            || (e->type == NodeType::Path && e->expressions.front()->consarray))
            result->consarray = true;
    }
    return result;
}

NodePtr Parser::processName(const NodePtr &expr)
{
    NodePtr result = asPath(expr);
    if (expr->keepArray)
        result->keepSingletonArray = true;
    return result;
}

NodePtr Parser::processParent(const NodePtr &expr)
{
    NodePtr result = expr;
    result->slot = std::make_shared<Slot>();
    result->slot->label = "!" + std::to_string(m_ancestorLabel++);
    result->slot->level = 1;
    result->slot->index = m_ancestorIndex++;
    m_ancestry.push_back(result);
    return result;
}

} // namespace sb::jsonata::detail
