#include "app/mappings/mappingmodels.h"

// ---- MappingListModel

bool MappingListModel::Row::operator==(const Row &o) const
{
    return key == o.key && name == o.name && source == o.source && target == o.target
           && ruleCount == o.ruleCount && problemCount == o.problemCount;
}

int MappingListModel::indexOf(const QString &id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].key == id)
            return i;
    }
    return -1;
}

int MappingListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MappingListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Row &r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return r.name;
    case MappingIdRole: return r.key;
    case SourceRole: return r.source;
    case TargetRole: return r.target;
    case RuleCountRole: return r.ruleCount;
    case ProblemCountRole: return r.problemCount;
    default: return QVariant();
    }
}

QHash<int, QByteArray> MappingListModel::roleNames() const
{
    return {{MappingIdRole, "mappingId"}, {NameRole, "name"}, {SourceRole, "source"},
            {TargetRole, "target"}, {RuleCountRole, "ruleCount"},
            {ProblemCountRole, "problemCount"}};
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

int MappingTreeModel::indexOf(const QString &path) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].key == path)
            return i;
    }
    return -1;
}

QString MappingTreeModel::pathAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].key : QString();
}

int MappingTreeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MappingTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Row &r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return r.name;
    case PathRole: return r.key;
    case ExprPathRole: return r.exprPath;
    case DepthRole: return r.depth;
    case TypeRole: return r.type;
    case RequiredRole: return r.required;
    case HasChildrenRole: return r.hasChildren;
    case ArrayItemRole: return r.arrayItem;
    case CanonicalRole: return r.canonical;
    case MarkRole: return r.mark;
    case MarkTextRole: return r.markText;
    case RuleCountRole: return r.ruleCount;
    case CoveredRole: return r.covered;
    case OwnerHintRole: return r.ownerHint;
    case CollapsedRole: return r.collapsed;
    default: return QVariant();
    }
}

QHash<int, QByteArray> MappingTreeModel::roleNames() const
{
    return {{PathRole, "path"}, {NameRole, "name"}, {ExprPathRole, "exprPath"},
            {DepthRole, "depth"}, {TypeRole, "fieldType"}, {RequiredRole, "required"},
            {HasChildrenRole, "hasChildren"}, {ArrayItemRole, "arrayItem"},
            {CanonicalRole, "canonical"}, {MarkRole, "mark"}, {MarkTextRole, "markText"},
            {RuleCountRole, "ruleCount"}, {CoveredRole, "covered"},
            {OwnerHintRole, "ownerHint"}, {CollapsedRole, "collapsed"}};
}

// ---- MappingRulesModel

bool MappingRulesModel::Row::operator==(const Row &o) const
{
    return key == o.key && index == o.index && target == o.target
           && expression == o.expression && condition == o.condition
           && defaultValue == o.defaultValue && valueMap == o.valueMap && sources == o.sources
           && problem == o.problem && problemText == o.problemText;
}

int MappingRulesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MappingRulesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Row &r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case TargetRole: return r.target;
    case RuleIndexRole: return r.index;
    case ExpressionRole: return r.expression;
    case ConditionRole: return r.condition;
    case DefaultRole: return r.defaultValue;
    case ValueMapRole: return r.valueMap;
    case SourcesRole: return r.sources;
    case ProblemRole: return r.problem;
    case ProblemTextRole: return r.problemText;
    default: return QVariant();
    }
}

QHash<int, QByteArray> MappingRulesModel::roleNames() const
{
    return {{RuleIndexRole, "ruleIndex"}, {TargetRole, "target"},
            {ExpressionRole, "expression"}, {ConditionRole, "condition"},
            {DefaultRole, "defaultValue"}, {ValueMapRole, "valueMap"},
            {SourcesRole, "sources"}, {ProblemRole, "problem"},
            {ProblemTextRole, "problemText"}};
}

// ---- ValueMapModel

int ValueMapModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ValueMapModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Row &r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case FromRole: return r.from;
    case ToRole: return r.to;
    default: return QVariant();
    }
}

QHash<int, QByteArray> ValueMapModel::roleNames() const
{
    return {{FromRole, "from"}, {ToRole, "to"}};
}
