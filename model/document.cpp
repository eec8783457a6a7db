#include "model/document.h"

#include "model/projectjson.h"

namespace sb::model {

namespace {

// Where each kind of element lives in the project and how it is identified.
template <typename T> struct Traits;
template <> struct Traits<System>
{
    static constexpr Collection collection = Collection::Systems;
    static QVector<System> &list(Project &p) { return p.systems; }
    static QString id(const System &s) { return s.id; }
};
template <> struct Traits<CanonicalEntity>
{
    static constexpr Collection collection = Collection::Canonical;
    static QVector<CanonicalEntity> &list(Project &p) { return p.canonical; }
    static QString id(const CanonicalEntity &c) { return c.id; }
};
template <> struct Traits<OwnershipRule>
{
    static constexpr Collection collection = Collection::Ownership;
    static QVector<OwnershipRule> &list(Project &p) { return p.ownership; }
    static QString id(const OwnershipRule &r) { return r.id(); }
};
template <> struct Traits<Mapping>
{
    static constexpr Collection collection = Collection::Mappings;
    static QVector<Mapping> &list(Project &p) { return p.mappings; }
    static QString id(const Mapping &m) { return m.id; }
};
template <> struct Traits<Workflow>
{
    static constexpr Collection collection = Collection::Workflows;
    static QVector<Workflow> &list(Project &p) { return p.workflows; }
    static QString id(const Workflow &w) { return w.id; }
};
template <> struct Traits<DataFlow>
{
    static constexpr Collection collection = Collection::Flows;
    static QVector<DataFlow> &list(Project &p) { return p.flows; }
    static QString id(const DataFlow &f) { return f.id; }
};
template <> struct Traits<Sla>
{
    static constexpr Collection collection = Collection::Slas;
    static QVector<Sla> &list(Project &p) { return p.slas; }
    static QString id(const Sla &s) { return s.id; }
};
template <> struct Traits<Reconciliation>
{
    static constexpr Collection collection = Collection::Reconciliations;
    static QVector<Reconciliation> &list(Project &p) { return p.reconciliations; }
    static QString id(const Reconciliation &r) { return r.id; }
};
template <> struct Traits<Dataset>
{
    static constexpr Collection collection = Collection::Datasets;
    static QVector<Dataset> &list(Project &p) { return p.datasets; }
    static QString id(const Dataset &d) { return d.id; }
};

// True when `a` and `b` differ only in canvas positions.
template <typename T>
bool differsInLayoutOnly(const T &, const T &)
{
    return false;
}
template <>
bool differsInLayoutOnly(const System &a, const System &b)
{
    if (a.position == b.position)
        return false;
    System moved = a;
    moved.position = b.position;
    return moved == b;
}
template <>
bool differsInLayoutOnly(const Workflow &a, const Workflow &b)
{
    if (a.steps.size() != b.steps.size())
        return false;
    Workflow moved = a;
    bool anyMoved = false;
    for (qsizetype i = 0; i < moved.steps.size(); ++i) {
        if (moved.steps[i].id != b.steps[i].id)
            return false;
        if (moved.steps[i].position != b.steps[i].position) {
            moved.steps[i].position = b.steps[i].position;
            anyMoved = true;
        }
    }
    return anyMoved && moved == b;
}

template <typename T>
int indexOf(const QVector<T> &list, const QString &id)
{
    for (int i = 0; i < list.size(); ++i) {
        if (Traits<T>::id(list[i]) == id)
            return i;
    }
    return -1;
}

// Inserts, removes or replaces one element. `before` empty: insert; `after` empty: remove.
// Replacing keeps the element's position, so undo restores the document exactly.
template <typename T>
class ElementCommand : public Command
{
public:
    ElementCommand(QString text, std::optional<T> before, std::optional<T> after, int index,
                   QString mergeKey)
        : m_text(std::move(text)), m_before(std::move(before)), m_after(std::move(after)),
          m_index(index), m_mergeKey(std::move(mergeKey))
    {
    }

    QString text() const override { return m_text; }
    QString mergeKey() const override { return m_mergeKey; }

    Change apply(Project &project) override { return transition(project, m_before, m_after); }
    Change revert(Project &project) override { return transition(project, m_after, m_before); }

    bool mergeWith(const Command &next) override
    {
        auto *other = dynamic_cast<const ElementCommand<T> *>(&next);
        if (!other || !m_before || !m_after || !other->m_before || !other->m_after)
            return false;
        if (Traits<T>::id(*m_after) != Traits<T>::id(*other->m_before))
            return false;
        m_after = other->m_after;
        return true;
    }

private:
    Change transition(Project &project, const std::optional<T> &from,
                      const std::optional<T> &to)
    {
        QVector<T> &list = Traits<T>::list(project);
        Change change;
        change.collection = Traits<T>::collection;
        if (from && to) {
            const int at = indexOf(list, Traits<T>::id(*from));
            Q_ASSERT(at >= 0);
            list[at] = *to;
            change.kind = Change::Updated;
            change.id = Traits<T>::id(*to);
            change.index = at;
            change.layoutOnly = differsInLayoutOnly(*from, *to);
            return change;
        }
        if (to) {
            const int at = (m_index < 0 || m_index > list.size()) ? int(list.size()) : m_index;
            list.insert(at, *to);
            change.kind = Change::Inserted;
            change.id = Traits<T>::id(*to);
            change.index = at;
            return change;
        }
        const int at = indexOf(list, Traits<T>::id(*from));
        Q_ASSERT(at >= 0);
        m_index = at; // re-insert at the same place on undo
        list.removeAt(at);
        change.kind = Change::Removed;
        change.id = Traits<T>::id(*from);
        change.index = at;
        return change;
    }

    QString m_text;
    std::optional<T> m_before;
    std::optional<T> m_after;
    int m_index;
    QString m_mergeKey;
};

class ProjectInfoCommand : public Command
{
public:
    ProjectInfoCommand(QStringList before, QStringList after)
        : m_before(std::move(before)), m_after(std::move(after))
    {
    }
    QString text() const override { return QStringLiteral("Edit project details"); }
    QString mergeKey() const override { return QStringLiteral("project-info"); }
    Change apply(Project &p) override { return set(p, m_after); }
    Change revert(Project &p) override { return set(p, m_before); }
    bool mergeWith(const Command &next) override
    {
        auto *other = dynamic_cast<const ProjectInfoCommand *>(&next);
        if (!other)
            return false;
        m_after = other->m_after;
        return true;
    }

private:
    static Change set(Project &p, const QStringList &v)
    {
        p.name = v.value(0);
        p.description = v.value(1);
        return Change{Change::Updated, Collection::Project, QString(), -1};
    }
    QStringList m_before;
    QStringList m_after;
};

template <typename T>
std::unique_ptr<Command> makeInsert(const Project &p, const T &value, int index,
                                    const QString &what)
{
    Q_UNUSED(p);
    return std::make_unique<ElementCommand<T>>(QStringLiteral("Add %1").arg(what),
                                               std::nullopt, value, index, QString());
}

template <typename T>
std::unique_ptr<Command> makeRemove(Project &p, const QString &id, const QString &what)
{
    const QVector<T> &list = Traits<T>::list(p);
    const int at = indexOf(list, id);
    if (at < 0)
        return nullptr;
    return std::make_unique<ElementCommand<T>>(QStringLiteral("Delete %1").arg(what), list[at],
                                               std::nullopt, at, QString());
}

template <typename T>
std::unique_ptr<Command> makeUpdate(Project &p, const T &value, const QString &text,
                                    const QString &mergeKey)
{
    const QVector<T> &list = Traits<T>::list(p);
    const int at = indexOf(list, Traits<T>::id(value));
    if (at < 0 || list[at] == value)
        return nullptr;
    return std::make_unique<ElementCommand<T>>(text, list[at], value, at, mergeKey);
}

} // namespace

Document::Document(QObject *parent) : QObject(parent) {}
Document::~Document() = default;

void Document::reset(Project project, const QString &fileName)
{
    const bool wasModified = isModified();
    m_project = std::move(project);
    m_history.clear();
    m_index = 0;
    m_cleanIndex = 0;
    m_mergeOpen = false;
    if (fileName != m_fileName) {
        m_fileName = fileName;
        emit fileNameChanged(m_fileName);
    }
    emit projectReset();
    emit historyChanged();
    if (wasModified)
        emit modifiedChanged(false);
}

Result<bool> Document::load(const QString &fileName)
{
    // Parse fully before touching the open document: a bad file changes nothing.
    auto loaded = loadProject(fileName);
    if (!loaded.ok())
        return loaded.error();
    reset(loaded.takeValue(), fileName);
    return true;
}

Result<bool> Document::save()
{
    if (m_fileName.isEmpty())
        return Error{QStringLiteral("the project has no file name yet: use Save As")};
    return saveAs(m_fileName);
}

Result<bool> Document::saveAs(const QString &fileName)
{
    auto saved = saveProject(m_project, fileName);
    if (!saved.ok())
        return saved;
    const bool wasModified = isModified();
    m_cleanIndex = m_index;
    m_mergeOpen = false; // an edit after saving must not merge into one before it
    if (fileName != m_fileName) {
        m_fileName = fileName;
        emit fileNameChanged(m_fileName);
    }
    if (wasModified)
        emit modifiedChanged(false);
    return true;
}

void Document::push(std::unique_ptr<Command> command)
{
    if (!command)
        return;
    const bool wasModified = isModified();
    const Change change = command->apply(m_project);

    // Merge into the command on top when it has the same key and is still open.
    if (m_mergeOpen && m_index > 0 && m_index == int(m_history.size())
        && m_cleanIndex != m_index && !command->mergeKey().isEmpty()
        && m_history.back()->mergeKey() == command->mergeKey()
        && m_history.back()->mergeWith(*command)) {
        applyChange(change, wasModified);
        return;
    }

    m_history.erase(m_history.begin() + m_index, m_history.end());
    if (m_cleanIndex > m_index)
        m_cleanIndex = -1; // the saved state was in the discarded redo branch
    m_mergeOpen = !command->mergeKey().isEmpty();
    m_history.push_back(std::move(command));
    ++m_index;
    applyChange(change, wasModified);
}

void Document::applyChange(const Change &change, bool wasModified)
{
    emit changed(change);
    emit historyChanged();
    if (wasModified != isModified())
        emit modifiedChanged(isModified());
}

QString Document::undoText() const
{
    return canUndo() ? m_history[size_t(m_index - 1)]->text() : QString();
}

QString Document::redoText() const
{
    return canRedo() ? m_history[size_t(m_index)]->text() : QString();
}

void Document::undo()
{
    if (!canUndo())
        return;
    const bool wasModified = isModified();
    m_mergeOpen = false;
    --m_index;
    applyChange(m_history[size_t(m_index)]->revert(m_project), wasModified);
}

void Document::redo()
{
    if (!canRedo())
        return;
    const bool wasModified = isModified();
    m_mergeOpen = false;
    const Change change = m_history[size_t(m_index)]->apply(m_project);
    ++m_index;
    applyChange(change, wasModified);
}

void Document::setProjectInfo(const QString &name, const QString &description)
{
    if (name == m_project.name && description == m_project.description)
        return;
    push(std::make_unique<ProjectInfoCommand>(QStringList{m_project.name, m_project.description},
                                              QStringList{name, description}));
}

void Document::insertSystem(const System &s, int index)
{
    push(makeInsert(m_project, s, index, QStringLiteral("system '%1'").arg(s.name)));
}

void Document::removeSystem(const QString &id)
{
    push(makeRemove<System>(m_project, id, QStringLiteral("system '%1'").arg(id)));
}

void Document::updateSystem(const System &s, const QString &text, const QString &mergeKey)
{
    push(makeUpdate(m_project, s, text, mergeKey));
}

void Document::moveSystem(const QString &id, const QPointF &position)
{
    const System *s = m_project.system(id);
    if (!s)
        return;
    System moved = *s;
    moved.position = position;
    updateSystem(moved, QStringLiteral("Move system '%1'").arg(s->name),
                 QStringLiteral("move:system:") + id);
}

void Document::renameSystem(const QString &id, const QString &name)
{
    const System *s = m_project.system(id);
    if (!s)
        return;
    System renamed = *s;
    renamed.name = name;
    updateSystem(renamed, QStringLiteral("Rename system '%1'").arg(id),
                 QStringLiteral("rename:system:") + id);
}

void Document::insertCanonical(const CanonicalEntity &c, int index)
{
    push(makeInsert(m_project, c, index, QStringLiteral("canonical entity '%1'").arg(c.id)));
}

void Document::removeCanonical(const QString &id)
{
    push(makeRemove<CanonicalEntity>(m_project, id,
                                     QStringLiteral("canonical entity '%1'").arg(id)));
}

void Document::updateCanonical(const CanonicalEntity &c, const QString &text,
                               const QString &mergeKey)
{
    push(makeUpdate(m_project, c, text, mergeKey));
}

void Document::setOwnership(const OwnershipRule &rule, const QString &mergeKey)
{
    if (indexOf(m_project.ownership, rule.id()) < 0) {
        push(makeInsert(m_project, rule, -1, QStringLiteral("ownership of %1").arg(rule.id())));
        return;
    }
    push(makeUpdate(m_project, rule, QStringLiteral("Change ownership of %1").arg(rule.id()),
                    mergeKey));
}

void Document::removeOwnership(const QString &ruleId)
{
    push(makeRemove<OwnershipRule>(m_project, ruleId,
                                   QStringLiteral("ownership of %1").arg(ruleId)));
}

void Document::insertMapping(const Mapping &m, int index)
{
    push(makeInsert(m_project, m, index, QStringLiteral("mapping '%1'").arg(m.id)));
}

void Document::removeMapping(const QString &id)
{
    push(makeRemove<Mapping>(m_project, id, QStringLiteral("mapping '%1'").arg(id)));
}

void Document::updateMapping(const Mapping &m, const QString &text, const QString &mergeKey)
{
    push(makeUpdate(m_project, m, text, mergeKey));
}

void Document::insertWorkflow(const Workflow &w, int index)
{
    push(makeInsert(m_project, w, index, QStringLiteral("workflow '%1'").arg(w.id)));
}

void Document::removeWorkflow(const QString &id)
{
    push(makeRemove<Workflow>(m_project, id, QStringLiteral("workflow '%1'").arg(id)));
}

void Document::updateWorkflow(const Workflow &w, const QString &text, const QString &mergeKey)
{
    push(makeUpdate(m_project, w, text, mergeKey));
}

void Document::moveStep(const QString &workflowId, const QString &stepId,
                        const QPointF &position)
{
    const Workflow *w = m_project.workflow(workflowId);
    if (!w || !w->step(stepId))
        return;
    Workflow moved = *w;
    for (Step &s : moved.steps) {
        if (s.id == stepId)
            s.position = position;
    }
    updateWorkflow(moved, QStringLiteral("Move step '%1'").arg(stepId),
                   QStringLiteral("move:step:%1/%2").arg(workflowId, stepId));
}

void Document::insertFlow(const DataFlow &f, int index)
{
    push(makeInsert(m_project, f, index, QStringLiteral("data flow '%1'").arg(f.id)));
}

void Document::removeFlow(const QString &id)
{
    push(makeRemove<DataFlow>(m_project, id, QStringLiteral("data flow '%1'").arg(id)));
}

void Document::updateFlow(const DataFlow &f, const QString &text, const QString &mergeKey)
{
    push(makeUpdate(m_project, f, text, mergeKey));
}

void Document::insertSla(const Sla &s, int index)
{
    push(makeInsert(m_project, s, index, QStringLiteral("SLA '%1'").arg(s.id)));
}

void Document::removeSla(const QString &id)
{
    push(makeRemove<Sla>(m_project, id, QStringLiteral("SLA '%1'").arg(id)));
}

void Document::insertReconciliation(const Reconciliation &r, int index)
{
    push(makeInsert(m_project, r, index, QStringLiteral("reconciliation '%1'").arg(r.id)));
}

void Document::removeReconciliation(const QString &id)
{
    push(makeRemove<Reconciliation>(m_project, id,
                                    QStringLiteral("reconciliation '%1'").arg(id)));
}

void Document::insertDataset(const Dataset &d, int index)
{
    push(makeInsert(m_project, d, index, QStringLiteral("data set '%1'").arg(d.id)));
}

void Document::removeDataset(const QString &id)
{
    push(makeRemove<Dataset>(m_project, id, QStringLiteral("data set '%1'").arg(id)));
}

QString Document::uniqueId(Collection collection, const QString &base) const
{
    auto taken = [&](const QString &id) {
        Project &p = const_cast<Project &>(m_project);
        switch (collection) {
        case Collection::Systems: return indexOf(p.systems, id) >= 0;
        case Collection::Canonical: return indexOf(p.canonical, id) >= 0;
        case Collection::Ownership: return indexOf(p.ownership, id) >= 0;
        case Collection::Mappings: return indexOf(p.mappings, id) >= 0;
        case Collection::Workflows: return indexOf(p.workflows, id) >= 0;
        case Collection::Flows: return indexOf(p.flows, id) >= 0;
        case Collection::Slas: return indexOf(p.slas, id) >= 0;
        case Collection::Reconciliations: return indexOf(p.reconciliations, id) >= 0;
        case Collection::Datasets: return indexOf(p.datasets, id) >= 0;
        case Collection::Project: return false;
        }
        return false;
    };
    const QString stem = base.isEmpty() ? QStringLiteral("item") : base;
    if (!taken(stem))
        return stem;
    for (int n = 2;; ++n) {
        const QString candidate = stem + QLatin1Char('-') + QString::number(n);
        if (!taken(candidate))
            return candidate;
    }
}

} // namespace sb::model
