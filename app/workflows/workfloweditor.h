#pragma once

// State and edits of the workflow editor page. QML creates one per page:
//   WorkflowEditor { document: StudioController.document; findings: StudioController.findings
//                    selectedElement: StudioController.selectedElement }
// It follows the open workflow and the selection (element ids as the validator writes them:
// workflow:W, workflow:W/step:S, workflow:W/trigger, and workflow:W/edge:N for edge N),
// feeds the list, node, edge and palette models, and turns every intent into one undoable
// Document edit. Typing and dragging merge into one undo step until endEdit().

#include "app/shell/findingsmodel.h"
#include "app/workflows/workflowmodels.h"
#include "model/document.h"

#include <QPointer>
#include <QRectF>
#include <QSet>
#include <QTimer>
#include <QVariantMap>

#include <functional>
#include <QtQml/qqmlregistration.h>

class WorkflowEditor : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *document READ document WRITE setDocument NOTIFY documentChanged)
    Q_PROPERTY(FindingsModel *findings READ findings WRITE setFindings NOTIFY findingsChanged)
    Q_PROPERTY(QString workflowId READ workflowId WRITE setWorkflowId NOTIFY workflowChanged)
    Q_PROPERTY(QString selectedElement READ selectedElement WRITE setSelectedElement
                   NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedStep READ selectedStep NOTIFY selectionChanged)
    Q_PROPERTY(int selectedEdge READ selectedEdge NOTIFY selectionChanged)
    Q_PROPERTY(bool triggerSelected READ triggerSelected NOTIFY selectionChanged)
    Q_PROPERTY(WorkflowListModel *workflows READ workflows CONSTANT)
    Q_PROPERTY(WorkflowStepsModel *steps READ steps CONSTANT)
    Q_PROPERTY(WorkflowEdgesModel *edges READ edges CONSTANT)
    Q_PROPERTY(WorkflowPaletteModel *palette READ palette CONSTANT)
    // Inspector contents, rebuilt after every change (keys as accepted by the setters).
    Q_PROPERTY(QVariantMap workflow READ workflowDetails NOTIFY detailsChanged)
    Q_PROPERTY(QVariantMap step READ stepDetails NOTIFY detailsChanged)
    Q_PROPERTY(QVariantMap edge READ edgeDetails NOTIFY detailsChanged)
    // Choices for the inspector's pickers; told only when the ids themselves change (a
    // moved or edited system must not rebuild a picker of a thousand entries).
    Q_PROPERTY(QStringList systemIds READ systemIds NOTIFY choicesChanged)
    Q_PROPERTY(QStringList mappingIds READ mappingIds NOTIFY choicesChanged)
    // For combo boxes: [{value: id, text: name}].
    Q_PROPERTY(QVariantList systemChoices READ systemChoices NOTIFY choicesChanged)
    Q_PROPERTY(QVariantList mappingChoices READ mappingChoices NOTIFY choicesChanged)
    // Steps share a position (a file written without positions): offer Arrange.
    Q_PROPERTY(bool needsArrange READ needsArrange NOTIFY detailsChanged)
    // A run instance's path to show (RunController.selectedPath: workflowId, steps,
    // sequence, failedStep, label). Drawn only while its workflow is the open one.
    Q_PROPERTY(QVariantMap highlightedPath READ highlightedPath WRITE setHighlightedPath
                   NOTIFY highlightChanged)
    Q_PROPERTY(bool pathShown READ pathShown NOTIFY highlightChanged)
    // The steps of the open workflow on the path (the trigger not included), the edges
    // taken (indices in Workflow::edges) and the step it failed at.
    Q_PROPERTY(QStringList highlightedSteps READ highlightedSteps NOTIFY highlightChanged)
    Q_PROPERTY(QVariantList highlightedEdges READ highlightedEdges NOTIFY highlightChanged)
    Q_PROPERTY(QString pathFailedStep READ pathFailedStep NOTIFY highlightChanged)

public:
    explicit WorkflowEditor(QObject *parent = nullptr);

    QObject *document() const { return m_document; }
    void setDocument(QObject *document);
    FindingsModel *findings() const { return m_findings; }
    void setFindings(FindingsModel *findings);
    QString workflowId() const { return m_workflowId; }
    void setWorkflowId(const QString &id);
    QString selectedElement() const { return m_selected; }
    void setSelectedElement(const QString &element);
    QString selectedStep() const { return m_step; }
    int selectedEdge() const { return m_edge; }
    bool triggerSelected() const { return m_trigger; }
    WorkflowListModel *workflows() { return m_workflows; }
    WorkflowStepsModel *steps() { return m_steps; }
    WorkflowEdgesModel *edges() { return m_edges; }
    WorkflowPaletteModel *palette() { return m_palette; }
    QVariantMap workflowDetails() const;
    QVariantMap stepDetails() const;
    QVariantMap edgeDetails() const;
    QStringList systemIds() const { return m_systemIds; }
    QStringList mappingIds() const { return m_mappingIds; }
    QVariantList systemChoices() const { return m_systemChoices; }
    QVariantList mappingChoices() const { return m_mappingChoices; }
    bool needsArrange() const;
    QVariantMap highlightedPath() const { return m_path; }
    void setHighlightedPath(const QVariantMap &path);
    bool pathShown() const { return !m_pathSteps.isEmpty(); }
    QStringList highlightedSteps() const { return m_pathSteps; }
    QVariantList highlightedEdges() const;
    QString pathFailedStep() const { return m_pathFailed; }
    Q_INVOKABLE void clearHighlight() { setHighlightedPath({}); }

    // Element ids.
    Q_INVOKABLE QString stepElement(const QString &stepId) const;
    Q_INVOKABLE QString edgeElement(int edge) const;

    // Workflows. Return the new id (empty when nothing was done).
    Q_INVOKABLE QString addWorkflow(const QString &name);
    Q_INVOKABLE void renameWorkflow(const QString &id, const QString &name);
    Q_INVOKABLE void removeWorkflow(const QString &id);

    // Steps and edges of the open workflow. addStep places a step of `type` (call, lookup,
    // ...) at canvas (x, y), optionally linked from `connectFrom` in the same undo step.
    Q_INVOKABLE QString addStep(const QString &type, qreal x, qreal y,
                                const QString &connectFrom = QString());
    // Where a click on the palette puts a new step: right of `after` (a step or "trigger"),
    // else right of everything.
    Q_INVOKABLE QPointF suggestedPosition(const QString &after) const;
    Q_INVOKABLE void setTriggerType(const QString &type);
    // Adds edge from -> to; returns its index, or -1 (self loop, duplicate, unknown step).
    Q_INVOKABLE int connectSteps(const QString &from, const QString &to);
    Q_INVOKABLE bool canConnect(const QString &from, const QString &to) const;
    Q_INVOKABLE void removeStep(const QString &stepId);
    Q_INVOKABLE void removeEdge(int edge);
    // Deletes the selected step or edge.
    Q_INVOKABLE bool removeSelected();
    Q_INVOKABLE void moveStep(const QString &stepId, qreal x, qreal y);
    // Closes the current merge group (mouse release, field left).
    Q_INVOKABLE void endEdit();
    Q_INVOKABLE void autoArrange();

    // Inspector edits. Keys: see stepDetails() etc. Return false for a value that cannot be
    // stored (unknown key, a status list that is not numbers, ...).
    Q_INVOKABLE bool setWorkflowValue(const QString &key, const QVariant &value);
    Q_INVOKABLE bool setTriggerValue(const QString &key, const QVariant &value);
    Q_INVOKABLE bool setStepValue(const QString &stepId, const QString &key,
                                  const QVariant &value);
    Q_INVOKABLE bool setEdgeValue(int edge, const QString &key, const QVariant &value);

    // Canvas helpers (canvas coordinates).
    Q_INVOKABLE QString nodeAt(qreal x, qreal y) const;
    Q_INVOKABLE int edgeAt(qreal x, qreal y, qreal tolerance) const;
    Q_INVOKABLE QRectF contentBounds() const;
    Q_INVOKABLE QRectF nodeRect(const QString &stepId) const;
    Q_INVOKABLE QStringList entitiesOf(const QString &systemId) const;
    // The step types (not the triggers) as {type, label, icon, color}, for menus.
    Q_INVOKABLE QVariantList stepTypes() const;
    // Empty when `expression` is valid JSONata (or empty), else the syntax error with its
    // position; `multiline`: one expression per line (validate rules).
    Q_INVOKABLE static QString checkExpression(const QString &expression,
                                               bool multiline = false);
    // Empty when `reference` suits a webhook auth of `type` (hmac-sha256, bearer), else why
    // not ("holds a literal secret; ..."); never repeats the text.
    Q_INVOKABLE static QString webhookSecretError(const QString &type,
                                                  const QString &reference);
    Q_INVOKABLE static QString formatDuration(qint64 ms);
    Q_INVOKABLE static qint64 parseDuration(const QString &text);

signals:
    void documentChanged();
    void findingsChanged();
    void workflowChanged();
    void selectionChanged();
    void detailsChanged();
    void choicesChanged();
    // Ask the canvas to bring this rectangle into view (a step chosen from the problems).
    void revealRequested(const QRectF &rect);
    void highlightChanged();

private:
    sb::model::Document *doc() const { return m_doc; }
    void updateChoices();
    const sb::model::Workflow *current() const;
    void refresh();
    void recount();
    void ensureWorkflow();
    bool applyStep(const QString &stepId, const QString &key,
                   const std::function<bool(sb::model::Step &)> &edit);
    void commit(const sb::model::Workflow &w, const QString &text,
                const QString &mergeKey = QString());
    void setSelection(const QString &step, int edge, bool trigger);
    QString uniqueStepId(const sb::model::Workflow &w, const QString &base) const;
    bool applyPath();

    QPointer<QObject> m_document;
    sb::model::Document *m_doc = nullptr;
    QStringList m_systemIds;
    QStringList m_mappingIds;
    QVariantList m_systemChoices;
    QVariantList m_mappingChoices;
    QPointer<FindingsModel> m_findings;
    QString m_workflowId;
    QString m_selected;
    QString m_step;
    int m_edge = -1;
    bool m_trigger = false;
    QHash<QString, FindingCount> m_counts;
    QTimer m_recountTimer;
    WorkflowListModel *m_workflows;
    WorkflowStepsModel *m_steps;
    WorkflowEdgesModel *m_edges;
    WorkflowPaletteModel *m_palette;
    QVariantMap m_path;
    QStringList m_pathSteps;
    QSet<QString> m_pathTransitions;
    QString m_pathFailed;
};
