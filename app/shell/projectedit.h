#pragma once

// An undoable edit that touches several elements at once (move a selection, delete systems
// with their flows, automatic layout, rename a canonical entity): it keeps the project before
// and after. Project collections are implicitly shared, so the snapshot costs only the
// collections that changed.

#include "model/document.h"

namespace studio {

class ProjectEditCommand : public sb::model::Command
{
public:
    ProjectEditCommand(QString text, sb::model::Project before, sb::model::Project after,
                       QString mergeKey);
    QString text() const override { return m_text; }
    QString mergeKey() const override { return m_mergeKey; }
    sb::model::Change apply(sb::model::Project &project) override;
    sb::model::Change revert(sb::model::Project &project) override;
    bool mergeWith(const sb::model::Command &next) override;

private:
    QString m_text;
    sb::model::Project m_before;
    sb::model::Project m_after;
    QString m_mergeKey;
    sb::model::Change m_change;
};

// Pushes `after` as one undo step (nothing when it equals the current project).
void pushProjectEdit(sb::model::Document *document, const QString &text,
                     const sb::model::Project &after, const QString &mergeKey = QString());

} // namespace studio
