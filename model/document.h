#pragma once

// The open project and its edit history. Every change goes through an undoable Command;
// views observe `changed` and never modify the project themselves. Consecutive commands with
// the same merge key (a drag, typing in one field) collapse into one undo step until
// endMergeGroup() is called (mouse release, focus leaving the field) or the document is saved.

#include "model/project.h"
#include "model/result.h"

#include <QObject>

#include <memory>
#include <optional>
#include <vector>

namespace sb::model {

enum class Collection {
    Project, Systems, Canonical, Ownership, Mappings, Workflows, Flows, Slas,
    Reconciliations, Datasets
};

struct Change
{
    enum Kind { Inserted, Removed, Updated };
    Kind kind = Updated;
    Collection collection = Collection::Project;
    QString id;              // element id (empty for Project)
    int index = -1;          // position in its collection (after insert, before remove)
    // Only canvas positions changed (a card or a step moved): nothing a rule checks, so
    // findings stay as they are.
    bool layoutOnly = false;
};

class Command
{
public:
    virtual ~Command() = default;
    virtual QString text() const = 0;
    virtual Change apply(Project &project) = 0;
    virtual Change revert(Project &project) = 0;
    // Non-empty: a following command with the same key may be merged into this one.
    virtual QString mergeKey() const { return QString(); }
    // Absorbs `next` (same merge key); returns false if it cannot.
    virtual bool mergeWith(const Command &next) { Q_UNUSED(next); return false; }
};

class Document : public QObject
{
    Q_OBJECT
public:
    explicit Document(QObject *parent = nullptr);
    ~Document() override;

    const Project &project() const { return m_project; }
    QString fileName() const { return m_fileName; }
    bool isModified() const { return m_cleanIndex != m_index; }

    // Replaces the whole project (load, new); clears history.
    void reset(Project project, const QString &fileName = QString());
    Result<bool> load(const QString &fileName);
    Result<bool> save();
    Result<bool> saveAs(const QString &fileName);

    // History.
    void push(std::unique_ptr<Command> command);
    bool canUndo() const { return m_index > 0; }
    bool canRedo() const { return m_index < int(m_history.size()); }
    QString undoText() const;
    QString redoText() const;
    void undo();
    void redo();
    void endMergeGroup() { m_mergeOpen = false; }
    int historySize() const { return int(m_history.size()); }

    // Element edits. `mergeKey` groups repeated edits (e.g. "move:system:crm").
    void setProjectInfo(const QString &name, const QString &description);
    void insertSystem(const System &system, int index = -1);
    void removeSystem(const QString &id);
    void updateSystem(const System &system, const QString &text,
                      const QString &mergeKey = QString());
    void moveSystem(const QString &id, const QPointF &position);
    void renameSystem(const QString &id, const QString &name);

    void insertCanonical(const CanonicalEntity &entity, int index = -1);
    void removeCanonical(const QString &id);
    void updateCanonical(const CanonicalEntity &entity, const QString &text,
                         const QString &mergeKey = QString());

    void setOwnership(const OwnershipRule &rule, const QString &mergeKey = QString());
    void removeOwnership(const QString &ruleId);

    void insertMapping(const Mapping &mapping, int index = -1);
    void removeMapping(const QString &id);
    void updateMapping(const Mapping &mapping, const QString &text,
                       const QString &mergeKey = QString());

    void insertWorkflow(const Workflow &workflow, int index = -1);
    void removeWorkflow(const QString &id);
    void updateWorkflow(const Workflow &workflow, const QString &text,
                        const QString &mergeKey = QString());
    void moveStep(const QString &workflowId, const QString &stepId, const QPointF &position);

    void insertFlow(const DataFlow &flow, int index = -1);
    void removeFlow(const QString &id);
    void updateFlow(const DataFlow &flow, const QString &text,
                    const QString &mergeKey = QString());

    void insertSla(const Sla &sla, int index = -1);
    void removeSla(const QString &id);
    void insertReconciliation(const Reconciliation &r, int index = -1);
    void removeReconciliation(const QString &id);
    void insertDataset(const Dataset &d, int index = -1);
    void removeDataset(const QString &id);

    // An id not yet used in `collection`, built from `base` ("crm", "crm-2", ...).
    QString uniqueId(Collection collection, const QString &base) const;

signals:
    void changed(const sb::model::Change &change);
    void projectReset();
    void modifiedChanged(bool modified);
    void historyChanged();
    void fileNameChanged(const QString &fileName);

private:
    void applyChange(const Change &change, bool wasModified);

    Project m_project;
    QString m_fileName;
    std::vector<std::unique_ptr<Command>> m_history;
    int m_index = 0;         // commands [0, m_index) are applied
    int m_cleanIndex = 0;    // m_index at the last save; -1 when unreachable
    bool m_mergeOpen = false;
};

} // namespace sb::model
