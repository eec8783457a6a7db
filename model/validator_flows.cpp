// Validation rules for data flows and sync loops, SLAs, reconciliations, data sets.
#include "model/validatordetail.h"

namespace sb::model::validatordetail {

namespace {

struct Arc
{
    int to;
    int flow;
};

// The strongly connected component of each node (iterative Tarjan: deep landscapes must not
// exhaust the stack); *count is the number of components.
QVector<int> stronglyConnected(const QVector<QVector<Arc>> &adj, int *count)
{
    const int n = int(adj.size());
    QVector<int> index(n, -1), low(n, 0), comp(n, -1);
    QVector<bool> onStack(n, false);
    QVector<int> stack;
    int counter = 0;
    int comps = 0;
    struct Frame
    {
        int v;
        int next;
    };
    for (int root = 0; root < n; ++root) {
        if (index[root] >= 0)
            continue;
        QVector<Frame> call{{root, 0}};
        index[root] = low[root] = counter++;
        stack << root;
        onStack[root] = true;
        while (!call.isEmpty()) {
            Frame &fr = call.last();
            const int v = fr.v;
            if (fr.next < adj[v].size()) {
                const int w = adj[v][fr.next++].to;
                if (index[w] < 0) {
                    index[w] = low[w] = counter++;
                    stack << w;
                    onStack[w] = true;
                    call.push_back({w, 0});
                } else if (onStack[w]) {
                    low[v] = std::min(low[v], index[w]);
                }
                continue;
            }
            if (low[v] == index[v]) {
                int w;
                do {
                    w = stack.takeLast();
                    onStack[w] = false;
                    comp[w] = comps;
                } while (w != v);
                ++comps;
            }
            call.removeLast();
            if (!call.isEmpty()) {
                const int parent = call.last().v;
                low[parent] = std::min(low[parent], low[v]);
            }
        }
    }
    *count = comps;
    return comp;
}

} // namespace

template <typename Loops>
void Validator::findLoops(const QString &entity, const QVector<int> &flowIdx, Loops &loops)
{
    // Nodes: systems touched by these flows, numbered locally.
    QHash<QString, int> node;
    QStringList names;
    auto nodeOf = [&](const QString &id) {
        auto it = node.find(id);
        if (it != node.end())
            return *it;
        names << id;
        return *node.insert(id, int(names.size()) - 1);
    };
    QVector<QVector<Arc>> adj;
    for (int fi : flowIdx) {
        const DataFlow &f = m_p.flows[fi];
        const int a = nodeOf(f.from);
        const int b = nodeOf(f.to);
        adj.resize(names.size());
        adj[a].push_back({b, fi});
    }
    const int n = int(names.size());
    adj.resize(n);

    int comps = 0;
    const QVector<int> comp = stronglyConnected(adj, &comps);

    // One finding per cyclic component, shown as its shortest cycle through the
    // component's first flow in document order.
    QVector<bool> done(comps, false);
    for (int fi : flowIdx) {
        const DataFlow &f = m_p.flows[fi];
        const int a = node.value(f.from);
        const int b = node.value(f.to);
        if (comp[a] != comp[b] || done[comp[a]])
            continue;
        done[comp[a]] = true;
        const int c = comp[a];
        // BFS from b back to a inside the component.
        QVector<int> prevFlow(n, -1), prevNode(n, -1);
        QVector<bool> seen(n, false);
        QVector<int> queue{b};
        seen[b] = true;
        for (int head = 0; head < queue.size() && !(a != b && seen[a]); ++head) {
            const int v = queue[head];
            for (const Arc &arc : adj[v]) {
                if (comp[arc.to] != c || seen[arc.to])
                    continue;
                seen[arc.to] = true;
                prevFlow[arc.to] = arc.flow;
                prevNode[arc.to] = v;
                queue << arc.to;
            }
        }
        QStringList path{names[a]};
        QStringList flowIds{f.id};
        if (a != b) {
            QStringList back;
            QStringList backFlows;
            for (int v = a; v != b; v = prevNode[v]) {
                back.prepend(names[v]);
                backFlows.prepend(m_p.flows[prevFlow[v]].id);
            }
            path << names[b] << back;
            flowIds << backFlows;
        } else {
            path << names[a];
        }
        for (QString &system : path)
            system = entityLabel(system, QString()); // the system's name
        Finding finding;
        finding.ruleId = QString::fromLatin1(kRules[SyncLoop].id);
        finding.severity = kRules[SyncLoop].severity;
        finding.location.element = QStringLiteral("flow:") + f.id;
        finding.location.display = QStringLiteral("Data flow ") + flowNamed(f);
        finding.message =
            QStringLiteral("%1 syncs in a loop %2 (flows %3) and none of these flows has "
                           "a loop guard")
                .arg(entity, path.join(QStringLiteral(" -> ")),
                     flowIds.join(QStringLiteral(", ")));
        loops.push_back({fi, std::move(finding)});
    }
}

QString Validator::flowNamed(const DataFlow &f) const
{
    const auto nameOf = [this](const QString &system) {
        const System *s = m_systems.value(system);
        return s && !s->name.isEmpty() ? s->name : system;
    };
    const QString name = !f.label.isEmpty() ? f.label
                                            : nameOf(f.from) % QStringLiteral(" \u2192 ")
                                                  % nameOf(f.to);
    return named(name, f.id);
}

void Validator::checkFlows()
{
    for (const DataFlow &f : m_p.flows) {
        const QString element = QStringLiteral("flow:") + f.id;
        const QString display = QStringLiteral("Data flow ") + flowNamed(f);
        const QString what = display;
        checkSystemRef(f.from, element, display, what + QStringLiteral(" (from)"));
        checkSystemRef(f.to, element, display, what + QStringLiteral(" (to)"));
        if (!f.entity.isEmpty() && !m_canonical.contains(f.entity))
            add(UnknownEntity, element, display,
                QStringLiteral("%1 carries canonical entity %2, which does not exist")
                    .arg(what, quoted(f.entity)));
        if (!f.mapping.isEmpty() && !m_mappings.contains(f.mapping))
            add(UnknownMapping, element, display,
                QStringLiteral("%1 uses mapping %2, which does not exist")
                    .arg(what, quoted(f.mapping)));
        if (!f.workflow.isEmpty() && !m_workflows.contains(f.workflow))
            add(UnknownWorkflow, element, display,
                QStringLiteral("%1 uses workflow %2, which does not exist")
                    .arg(what, quoted(f.workflow)));
    }
    checkSyncLoops();
}

void Validator::checkSyncLoops()
{
    QHash<QString, QVector<int>> byEntity; // entity -> unguarded flow indexes
    QStringList entities;                  // in order of first appearance
    for (int i = 0; i < m_p.flows.size(); ++i) {
        const DataFlow &f = m_p.flows[i];
        if (f.loopGuard || f.entity.isEmpty() || f.from.isEmpty() || f.to.isEmpty())
            continue;
        auto it = byEntity.find(f.entity);
        if (it == byEntity.end()) {
            entities << f.entity;
            it = byEntity.insert(f.entity, {});
        }
        it->push_back(i);
    }
    struct Loop
    {
        int firstFlow;
        Finding finding;
    };
    QVector<Loop> loops;
    for (const QString &entity : entities)
        findLoops(entity, byEntity.value(entity), loops);
    std::sort(loops.begin(), loops.end(),
              [](const Loop &a, const Loop &b) { return a.firstFlow < b.firstFlow; });
    for (Loop &l : loops)
        m_buckets[SyncLoop].push_back(std::move(l.finding));
}

void Validator::checkSlas()
{
    for (const Sla &s : m_p.slas) {
        const QString element = QStringLiteral("sla:") + s.id;
        const QString display =
            QStringLiteral("SLA %1").arg(quoted(s.name.isEmpty() ? s.id : s.name));
        const QString what = QStringLiteral("SLA ") + named(s.name, s.id);
        const Workflow *w = m_workflows.value(s.workflow);
        if (!w) {
            add(UnknownWorkflow, element, display,
                QStringLiteral("%1 measures workflow %2, which does not exist")
                    .arg(what, quoted(s.workflow)));
            continue;
        }
        const std::pair<const char *, const QString *> ends[] = {
            {"starts at", &s.fromMilestone}, {"ends at", &s.toMilestone}};
        for (const auto &[role, step] : ends) {
            if (*step == kTrigger || w->step(*step))
                continue;
            add(UnknownStep, element, display,
                QStringLiteral("%1 %2 step %3, which does not exist in workflow %4")
                    .arg(what, QLatin1String(role), quoted(*step), named(w->name, w->id)));
        }
    }
}

void Validator::checkReconciliations()
{
    for (const Reconciliation &r : m_p.reconciliations) {
        const QString element = QStringLiteral("reconciliation:") + r.id;
        const QString display =
            QStringLiteral("Reconciliation %1").arg(quoted(r.name.isEmpty() ? r.id : r.name));
        const QString what = QStringLiteral("Reconciliation ") + named(r.name, r.id);
        const Where rw{element, display, what};
        auto where = [&rw]() -> const Where & { return rw; };
        const Resolved left = resolve(r.left.system, r.left.entity, where,
                                      QStringLiteral(" (left)"));
        const Resolved right = resolve(r.right.system, r.right.entity, where,
                                       QStringLiteral(" (right)"));
        auto checkField = [&](const Resolved &side, const QString &field, const char *role) {
            if (!side.fields || field.isEmpty())
                return;
            if (!indexOf(*side.fields).byPath.contains(normalizePath(field)))
                add(UnknownField, element, display,
                    QStringLiteral("%1 %2 %3 is not a field of %4")
                        .arg(what, QLatin1String(role), quoted(field), side.label));
        };
        checkField(left, r.leftKey, "left key");
        checkField(right, r.rightKey, "right key");
        for (const auto &pair : r.fields) {
            checkField(left, pair.first, "field");
            checkField(right, pair.second, "field");
        }
    }
}

void Validator::checkDatasets()
{
    for (const Dataset &d : m_p.datasets) {
        const Where dw{QStringLiteral("dataset:") + d.id,
                       QStringLiteral("Data set ")
                           + quoted(d.name.isEmpty() ? d.id : d.name),
                       QStringLiteral("Data set ") + quoted(d.id)};
        resolve(d.system, d.entity, [&dw]() -> const Where & { return dw; });
    }
}

} // namespace sb::model::validatordetail
