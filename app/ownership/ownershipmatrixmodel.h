#pragma once

// The ownership matrix: one row per canonical entity, expandable to its fields, and fields
// that are objects or arrays of objects expandable to their sub-fields (rule field
// "lines.sku", as the validator addresses them); one cell per system holding that system's
// role (owner, contributor, consumer, none). Rows carry the rule in force (own, else the top
// field's for a nested field, else the entity's), its survivorship and source-priority order,
// steward and freshness, and the governance findings that concern them (gaps, conflicts,
// non-owner writes), taken from the validator's findings by element id. Every change is one
// undoable Document edit.

#include "app/shell/findingsmodel.h"
#include "app/shell/rowlistmodel.h"
#include "model/document.h"

#include <QPointer>
#include <QSet>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

class OwnershipMatrixModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *document READ documentObject WRITE setDocument NOTIFY documentChanged)
    Q_PROPERTY(FindingsModel *findings READ findings WRITE setFindings NOTIFY findingsChanged)
    // [{id, name, color}] of the systems, one per matrix column.
    Q_PROPERTY(QVariantList systems READ systems NOTIFY systemsChanged)
    Q_PROPERTY(int gapCount READ gapCount NOTIFY problemsChanged)
    Q_PROPERTY(int conflictCount READ conflictCount NOTIFY problemsChanged)
    Q_PROPERTY(int writeCount READ writeCount NOTIFY problemsChanged)
public:
    enum Role {
        KindRole = Qt::UserRole + 1, EntityRole, FieldRole, NameRole, TypeRole, ElementRole,
        ExpandedRole, HasChildrenRole, OwnRuleRole, CellsRole, SurvivorshipRole, StewardRole,
        FreshnessRole, FreshnessMinutesRole, FreshnessLabelRole, ProblemRole, ProblemTextRole,
        FieldCountRole, RuleIdRole, PriorityRole, DepthRole, PathRole
    };
    Q_ENUM(Role)

    explicit OwnershipMatrixModel(QObject *parent = nullptr);

    QObject *documentObject() const { return m_document; }
    sb::model::Document *document() const { return m_document; }
    void setDocument(QObject *document);
    FindingsModel *findings() const { return m_findings; }
    void setFindings(FindingsModel *findings);
    QVariantList systems() const { return m_systemColumns; }
    int gapCount() const { return m_gaps; }
    int conflictCount() const { return m_conflicts; }
    int writeCount() const { return m_writes; }

    // Roles in the order a click cycles through them.
    Q_INVOKABLE static QStringList cellRoles();
    Q_INVOKABLE static QStringList survivorshipNames();
    Q_INVOKABLE static QStringList freshnessNames();

    Q_INVOKABLE void toggleExpanded(int row);
    // `key` is an entity ("Order") or a field path of it ("Order.lines").
    Q_INVOKABLE void setExpanded(const QString &key, bool expanded);
    Q_INVOKABLE void expandAll();
    Q_INVOKABLE void collapseAll();
    Q_INVOKABLE int rowOf(const QString &entity, const QString &field = QString()) const;
    // The role `system` has in the rule in force for the row ("none" when it has none).
    Q_INVOKABLE QString roleAt(int row, const QString &system) const;
    // One undoable edit each. False when nothing changed or the row/system is unknown.
    Q_INVOKABLE bool setRole(int row, const QString &system, const QString &role);
    Q_INVOKABLE bool cycleRole(int row, const QString &system);
    // A contributor that also receives the surviving value (it is written back to): listed
    // as a consumer too. Only for a contributor cell; false otherwise.
    Q_INVOKABLE bool setConsumes(int row, const QString &system, bool consumes);
    Q_INVOKABLE bool consumesAt(int row, const QString &system) const;
    Q_INVOKABLE bool setSurvivorship(int row, const QString &name);
    Q_INVOKABLE bool setSteward(int row, const QString &steward);
    Q_INVOKABLE bool setFreshness(int row, const QString &name, int minutes);
    // The source-priority order of the row's rule, highest first: systems of the project,
    // each once. One undoable edit; false when unchanged or invalid.
    Q_INVOKABLE bool setPriority(int row, const QStringList &systems);
    // Moves `system` one place up (delta -1) or down (+1) in the row's priority order; a
    // system not yet in the order is appended first. Moves merge into one undo step until
    // endEdit() (the popup closing).
    Q_INVOKABLE bool movePriority(int row, const QString &system, int delta);
    // Takes `system` out of the order (merges like movePriority).
    Q_INVOKABLE bool unrankPriority(int row, const QString &system);
    // Drops a field's own rule so it inherits again (its top field's rule or its entity's).
    Q_INVOKABLE bool resetToEntity(int row);
    // Ends a merge group (steward field losing focus, priority popup closing).
    Q_INVOKABLE void endEdit();

signals:
    void documentChanged();
    void findingsChanged();
    void systemsChanged();
    void problemsChanged();

private:
    struct Cell
    {
        QString role;        // owner, contributor, consumer, none
        QString problem;     // conflict, gap, write, or empty
        QString note;        // finding messages for the tooltip
        bool consumes = false; // a contributor that is a consumer too
        bool operator==(const Cell &o) const
        {
            return role == o.role && problem == o.problem && note == o.note
                   && consumes == o.consumes;
        }
    };
    struct Row
    {
        QString key;         // "Entity" or "Entity.field" or "Entity.field.sub"
        bool isField = false;
        QString entity;
        QString field;       // dotted path below the entity, empty for the entity row
        int depth = 0;       // 0 entity, 1 field, 2+ nested field
        QString name;
        QString type;
        bool expanded = false;
        bool hasChildren = false;
        bool ownRule = false;
        QString ruleId;      // id of the rule in force, empty if none
        QVector<Cell> cells;
        QString survivorship;
        QStringList priority;   // source-priority order, highest first
        QString steward;
        QString freshness;
        int freshnessMinutes = 0;
        QString problem;
        QString problemText;
        int fieldCount = 0;
        bool operator==(const Row &o) const;
    };
    struct Problems
    {
        QHash<QString, QString> gaps;                     // "E.f" -> message
        QHash<QString, QString> conflicts;                // rule id -> message
        QHash<QString, QHash<QString, QString>> writes;   // "E.f.g" -> system -> message
        // Writes into a field or any field below it, by every ancestor path ("E.f").
        QHash<QString, QHash<QString, QString>> subtreeWrites;
    };

    QVector<Row> buildRows(const Problems &problems) const;
    // A row's rule columns and cells from the rule in force (null: none), with its conflict.
    void fillRule(Row &row, const sb::model::OwnershipRule *rule, const Problems &pr) const;
    // Marks the cells of the systems that write into the row without owning it.
    void markWrites(Row &row, const QHash<QString, QString> &bySystem) const;
    Problems collectProblems() const;
    void refresh();
    void rebuildColumns();
    // The rule to edit for a row: its own, else a copy of the inherited one (or a new one).
    sb::model::OwnershipRule editableRule(const Row &row) const;
    bool commit(const sb::model::OwnershipRule &rule, const QString &mergeKey = QString());
    bool applyPriority(int row, const QStringList &systems, const QString &mergeKey);
    const Row *rowAt(int row) const;

    QPointer<sb::model::Document> m_document;
    QPointer<FindingsModel> m_findings;
    QVector<Row> m_rows;
    QSet<QString> m_expanded;
    QStringList m_systemIds;
    QVariantList m_systemColumns;
    int m_gaps = 0;
    int m_conflicts = 0;
    int m_writes = 0;
};
