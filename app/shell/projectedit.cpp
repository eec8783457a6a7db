#include "app/shell/projectedit.h"

using namespace sb::model;

namespace studio {

namespace {

// The collection that changed, or Project when several did (views then refresh fully).
Change describe(const Project &a, const Project &b)
{
    QVector<Collection> changed;
    if (a.name != b.name || a.description != b.description)
        changed << Collection::Project;
    if (a.systems != b.systems)
        changed << Collection::Systems;
    if (a.canonical != b.canonical)
        changed << Collection::Canonical;
    if (a.ownership != b.ownership)
        changed << Collection::Ownership;
    if (a.mappings != b.mappings)
        changed << Collection::Mappings;
    if (a.workflows != b.workflows)
        changed << Collection::Workflows;
    if (a.flows != b.flows)
        changed << Collection::Flows;
    if (a.slas != b.slas)
        changed << Collection::Slas;
    if (a.reconciliations != b.reconciliations)
        changed << Collection::Reconciliations;
    if (a.datasets != b.datasets)
        changed << Collection::Datasets;
    Change c;
    c.kind = Change::Updated;
    c.collection = changed.size() == 1 ? changed.first() : Collection::Project;
    return c;
}

} // namespace

ProjectEditCommand::ProjectEditCommand(QString text, Project before, Project after,
                                       QString mergeKey)
    : m_text(std::move(text)), m_before(std::move(before)), m_after(std::move(after)),
      m_mergeKey(std::move(mergeKey))
{
    m_change = describe(m_before, m_after);
}

Change ProjectEditCommand::apply(Project &project)
{
    project = m_after;
    return m_change;
}

Change ProjectEditCommand::revert(Project &project)
{
    project = m_before;
    return m_change;
}

bool ProjectEditCommand::mergeWith(const Command &next)
{
    auto *other = dynamic_cast<const ProjectEditCommand *>(&next);
    if (!other)
        return false;
    m_after = other->m_after;
    m_change = describe(m_before, m_after);
    return true;
}

void pushProjectEdit(Document *document, const QString &text, const Project &after,
                     const QString &mergeKey)
{
    if (!document || document->project() == after)
        return;
    document->push(std::make_unique<ProjectEditCommand>(text, document->project(), after,
                                                        mergeKey));
}

} // namespace studio
