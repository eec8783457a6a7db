#pragma once

// The list models behind the mapping editor. MappingEditor fills them from the document;
// each is a flat list synchronised by key (fine-grained signals, no resets on edits).

#include "app/shell/rowlistmodel.h"

#include <QStringList>
#include <QtQml/qqmlregistration.h>

// The project's mappings, one row each.
class MappingListModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by MappingEditor")
public:
    enum Role {
        MappingIdRole = Qt::UserRole + 1, NameRole, SourceRole, TargetRole, RuleCountRole,
        ProblemCountRole
    };
    Q_ENUM(Role)
    struct Row
    {
        QString key;         // mapping id
        QString name;
        QString source;
        QString target;
        int ruleCount = 0;
        int problemCount = 0;
        bool operator==(const Row &o) const;
    };
    explicit MappingListModel(QObject *parent = nullptr);
    void setRows(const QVector<Row> &rows) { syncRows(m_rows, rows); }
    Q_INVOKABLE int indexOf(const QString &id) const;

private:
    QVector<Row> m_rows;
};

// One side of a mapping as a tree flattened to rows (depth-indented): nested objects and the
// items of arrays. Paths are the mapping executor's: "lines[].sku".
class MappingTreeModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by MappingEditor")
public:
    enum Role {
        PathRole = Qt::UserRole + 1, NameRole, ExprPathRole, DepthRole, TypeRole,
        RequiredRole, HasChildrenRole, ArrayItemRole, CanonicalRole, MarkRole, MarkTextRole,
        RuleCountRole, CoveredRole, OwnerHintRole, CollapsedRole
    };
    Q_ENUM(Role)
    struct Row
    {
        QString key;         // executor path, e.g. quote.lines[].qty
        QString name;
        QString exprPath;    // JSONata path reading it from the record root: quote.lines.qty
        int depth = 0;
        QString type;        // "string", "array of object", ...
        bool required = false;
        bool hasChildren = false;
        bool arrayItem = false;  // a field of the items of an array
        QString canonical;
        QString mark;        // required, mismatch, write, unknown, or empty
        QString markText;
        int ruleCount = 0;   // rules reading (source) or writing (target) it
        bool covered = false;    // target: written by a rule on it or on an ancestor
        QString ownerHint;   // target: "owned by erp" when the target system may not write it
        bool collapsed = false;  // its children are hidden
        bool operator==(const Row &o) const;
    };
    explicit MappingTreeModel(QObject *parent = nullptr);
    void setRows(const QVector<Row> &rows) { syncRows(m_rows, rows); }
    const QVector<Row> &rows() const { return m_rows; }
    Q_INVOKABLE int indexOf(const QString &path) const;
    Q_INVOKABLE QString pathAt(int row) const;

private:
    QVector<Row> m_rows;
};

// The rules of the open mapping.
class MappingRulesModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by MappingEditor")
public:
    enum Role {
        RuleIndexRole = Qt::UserRole + 1, TargetRole, ExpressionRole, ConditionRole,
        DefaultRole, ValueMapRole, SourcesRole, ProblemRole, ProblemTextRole
    };
    Q_ENUM(Role)
    struct Row
    {
        QString key;         // rule index as text
        int index = 0;
        QString target;
        QString expression;
        QString condition;
        QString defaultValue;
        QString valueMap;
        QStringList sources; // source paths the expression reads
        QString problem;     // error, warning, or empty
        QString problemText;
        bool operator==(const Row &o) const;
    };
    explicit MappingRulesModel(QObject *parent = nullptr);
    void setRows(const QVector<Row> &rows) { syncRows(m_rows, rows); }
    const QVector<Row> &rows() const { return m_rows; }

private:
    QVector<Row> m_rows;
};

// Entries of one value map (from -> to).
class ValueMapModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by MappingEditor")
public:
    enum Role { FromRole = Qt::UserRole + 1, ToRole };
    Q_ENUM(Role)
    struct Row
    {
        QString key;         // entry index as text
        QString from;
        QString to;
        bool operator==(const Row &o) const { return key == o.key && from == o.from
                                                     && to == o.to; }
    };
    explicit ValueMapModel(QObject *parent = nullptr);
    void setRows(const QVector<Row> &rows) { syncRows(m_rows, rows); }

private:
    QVector<Row> m_rows;
};
