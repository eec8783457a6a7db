#pragma once

// View models of the workflow editor. They are fed by WorkflowEditor (which watches the
// Document and the findings) and only describe what to draw: the workflow list, the nodes
// of the open workflow (the trigger first), its edges with ready-made curve paths, and the
// palette of trigger and step types.

#include "app/shell/rowlistmodel.h"
#include "model/project.h"

#include <QHash>
#include <QPointF>
#include <QSet>
#include <QtQml/qqmlregistration.h>

// Errors and warnings found on an element (a workflow, a step, the trigger).
struct FindingCount
{
    int errors = 0;
    int warnings = 0;
    bool operator==(const FindingCount &o) const
    {
        return errors == o.errors && warnings == o.warnings;
    }
};

class WorkflowListModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by WorkflowEditor")
public:
    enum Role {
        WorkflowIdRole = Qt::UserRole + 1, NameRole, PatternRole, TriggerRole, StepCountRole,
        ErrorCountRole, WarningCountRole
    };
    Q_ENUM(Role)
    explicit WorkflowListModel(QObject *parent = nullptr);

    // `counts` by element, e.g. "workflow:closed-won" (all findings inside it).
    void update(const QVector<sb::model::Workflow> &workflows,
                const QHash<QString, FindingCount> &counts);
    Q_INVOKABLE int indexOf(const QString &workflowId) const;

private:
    struct Row
    {
        QString key;
        QString name;
        QString pattern;
        QString trigger;
        int steps = 0;
        FindingCount count;
        bool operator==(const Row &o) const;
    };
    QVector<Row> m_rows;
};

class WorkflowStepsModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by WorkflowEditor")
public:
    enum Role {
        StepIdRole = Qt::UserRole + 1, ElementRole, NameRole, TypeRole, TypeLabelRole,
        IconRole, ColorRole, SubtitleRole, NodeXRole, NodeYRole, IsTriggerRole,
        ErrorCountRole, WarningCountRole, CanConnectRole, SlaRole,
        OnPathRole, PathFailedRole
    };
    Q_ENUM(Role)
    explicit WorkflowStepsModel(QObject *parent = nullptr);

    // The path of a run instance to highlight: the steps it went through ("trigger"
    // included) and the step it failed at; empty steps: no path on show.
    void setPath(const QSet<QString> &steps, const QString &failed);

    // `w` null: no workflow open (no rows). `slas`: the project's, for milestone marks.
    void update(const sb::model::Workflow *w, const QHash<QString, FindingCount> &counts,
                const QVector<sb::model::Sla> &slas = {});
    Q_INVOKABLE int indexOf(const QString &stepId) const;

private:
    struct Row
    {
        QString key;         // step id, or "trigger"
        QString element;
        QString name;
        QString type;
        QString typeLabel;
        QString icon;
        QString color;
        QString subtitle;
        QPointF position;
        bool trigger = false;
        FindingCount count;
        QString sla;         // "SLA start" / "SLA 15 min": a milestone of an SLA
        bool operator==(const Row &o) const;
    };
    QVector<Row> m_rows;
    QSet<QString> m_pathSteps;
    QString m_pathFailed;
};

class WorkflowEdgesModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by WorkflowEditor")
public:
    enum Role {
        EdgeIndexRole = Qt::UserRole + 1, ElementRole, KindRole, FromRole, ToRole, LabelRole,
        ConditionRole, PathRole, LabelXRole, LabelYRole, ConditionErrorRole, OnPathRole
    };
    Q_ENUM(Role)
    explicit WorkflowEdgesModel(QObject *parent = nullptr);

    // Transitions a run instance took, as "from>to" step ids: their lines are highlighted.
    void setPath(const QSet<QString> &transitions);

    void update(const sb::model::Workflow *w);
    // The edge (its index in Workflow::edges) whose line passes within `tolerance` of the
    // canvas point; -1 if none. Compensation links are not edges and are never hit.
    int edgeAt(const QPointF &p, qreal tolerance) const;

private:
    struct Row
    {
        QString key;
        int edge = -1;       // index in Workflow::edges; -1 for a compensation link
        QString element;
        QString kind;        // next, on-error, on-timeout, compensation
        QString from;
        QString to;
        QString label;
        QString condition;
        bool conditionError = false;  // not valid JSONata
        QString path;
        QPointF labelPos;
        QPointF p0, c1, c2, p3;
        bool operator==(const Row &o) const;
    };
    QVector<Row> m_rows;
    QSet<QString> m_pathTransitions;
};

// Trigger types, then step types: what the palette offers.
class WorkflowPaletteModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by WorkflowEditor")
public:
    enum Role {
        CategoryRole = Qt::UserRole + 1, TypeRole, LabelRole, DescriptionRole, IconRole,
        ColorRole
    };
    Q_ENUM(Role)
    explicit WorkflowPaletteModel(QObject *parent = nullptr);

private:
    struct Row
    {
        QString category;    // trigger or step
        QString type;
        QString label;
        QString description;
        QString icon;
        QString color;
    };
    QVector<Row> m_rows;
};
