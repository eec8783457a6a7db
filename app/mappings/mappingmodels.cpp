#include "app/mappings/mappingmodels.h"

// ---- MappingListModel

bool MappingListModel::Row::operator==(const Row &o) const
{
    return key == o.key && name == o.name && source == o.source && target == o.target
           && ruleCount == o.ruleCount && problemCount == o.problemCount;
}

MappingListModel::MappingListModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows, {{Qt::DisplayRole, nullptr, &Row::name},
                       {NameRole, "name", &Row::name},
                       {MappingIdRole, "mappingId", &Row::key},
                       {SourceRole, "source", &Row::source},
                       {TargetRole, "target", &Row::target},
                       {RuleCountRole, "ruleCount", &Row::ruleCount},
                       {ProblemCountRole, "problemCount", &Row::problemCount}});
}

int MappingListModel::indexOf(const QString &id) const
{
    return indexOfKey(m_rows, id);
}

// ---- MappingTreeModel

bool MappingTreeModel::Row::operator==(const Row &o) const
{
    return key == o.key && name == o.name && exprPath == o.exprPath && depth == o.depth
           && type == o.type && required == o.required && hasChildren == o.hasChildren
           && arrayItem == o.arrayItem && canonical == o.canonical && mark == o.mark
           && markText == o.markText && ruleCount == o.ruleCount && covered == o.covered
           && ownerHint == o.ownerHint && collapsed == o.collapsed;
}

MappingTreeModel::MappingTreeModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows, {{Qt::DisplayRole, nullptr, &Row::name},
                       {NameRole, "name", &Row::name},
                       {PathRole, "path", &Row::key},
                       {ExprPathRole, "exprPath", &Row::exprPath},
                       {DepthRole, "depth", &Row::depth},
                       {TypeRole, "fieldType", &Row::type},
                       {RequiredRole, "required", &Row::required},
                       {HasChildrenRole, "hasChildren", &Row::hasChildren},
                       {ArrayItemRole, "arrayItem", &Row::arrayItem},
                       {CanonicalRole, "canonical", &Row::canonical},
                       {MarkRole, "mark", &Row::mark},
                       {MarkTextRole, "markText", &Row::markText},
                       {RuleCountRole, "ruleCount", &Row::ruleCount},
                       {CoveredRole, "covered", &Row::covered},
                       {OwnerHintRole, "ownerHint", &Row::ownerHint},
                       {CollapsedRole, "collapsed", &Row::collapsed}});
}

int MappingTreeModel::indexOf(const QString &path) const
{
    return indexOfKey(m_rows, path);
}

QString MappingTreeModel::pathAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].key : QString();
}

// ---- MappingRulesModel

bool MappingRulesModel::Row::operator==(const Row &o) const
{
    return key == o.key && index == o.index && target == o.target
           && expression == o.expression && condition == o.condition
           && defaultValue == o.defaultValue && valueMap == o.valueMap && sources == o.sources
           && problem == o.problem && problemText == o.problemText;
}

MappingRulesModel::MappingRulesModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows, {{Qt::DisplayRole, nullptr, &Row::target},
                       {TargetRole, "target", &Row::target},
                       {RuleIndexRole, "ruleIndex", &Row::index},
                       {ExpressionRole, "expression", &Row::expression},
                       {ConditionRole, "condition", &Row::condition},
                       {DefaultRole, "defaultValue", &Row::defaultValue},
                       {ValueMapRole, "valueMap", &Row::valueMap},
                       {SourcesRole, "sources", &Row::sources},
                       {ProblemRole, "problem", &Row::problem},
                       {ProblemTextRole, "problemText", &Row::problemText}});
}

// ---- ValueMapModel

ValueMapModel::ValueMapModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows, {{Qt::DisplayRole, nullptr, &Row::from},
                       {FromRole, "from", &Row::from},
                       {ToRole, "to", &Row::to}});
}
