#include "app/workflows/workflowgeometry.h"

#include <QLineF>
#include <QRegularExpression>
#include <QSet>
#include <QVector>

#include <algorithm>
#include <cmath>

using namespace sb::model;

namespace studio::workflow {

namespace {

QString num(qreal v)
{
    return QString::number(v, 'f', 1);
}

void setArrow(EdgeCurve &c, const QPointF &dirFrom)
{
    QLineF dir(dirFrom, c.p3);
    if (dir.length() < 0.01)
        dir = QLineF(c.p3 - QPointF(1, 0), c.p3);
    const QPointF u = (c.p3 - dirFrom) / dir.length();
    const QPointF n(-u.y(), u.x());
    const qreal len = 9, half = 5;
    c.arrowA = c.p3 - u * len + n * half;
    c.arrowB = c.p3 - u * len - n * half;
}

} // namespace

QString EdgeCurve::svgPath() const
{
    return QStringLiteral("M %1 %2 C %3 %4 %5 %6 %7 %8 M %9 %10 L %7 %8 L %11 %12")
        .arg(num(p0.x()), num(p0.y()), num(c1.x()), num(c1.y()), num(c2.x()), num(c2.y()),
             num(p3.x()), num(p3.y()))
        .arg(num(arrowA.x()), num(arrowA.y()), num(arrowB.x()), num(arrowB.y()));
}

QPointF EdgeCurve::at(qreal t) const
{
    const qreal u = 1 - t;
    return u * u * u * p0 + 3 * u * u * t * c1 + 3 * u * t * t * c2 + t * t * t * p3;
}

qreal EdgeCurve::distanceTo(const QPointF &p) const
{
    constexpr int kSamples = 32;
    qreal best = 1e12;
    QPointF prev = p0;
    for (int i = 1; i <= kSamples; ++i) {
        const QPointF next = at(qreal(i) / kSamples);
        // Distance to the segment prev-next.
        const QPointF d = next - prev;
        const qreal len2 = QPointF::dotProduct(d, d);
        qreal t = len2 > 0 ? QPointF::dotProduct(p - prev, d) / len2 : 0;
        t = std::clamp<qreal>(t, 0, 1);
        const QPointF q = prev + t * d;
        best = std::min(best, QLineF(p, q).length());
        prev = next;
    }
    return best;
}

QPointF triggerPosition(const Workflow &w)
{
    if (w.steps.isEmpty())
        return QPointF(0, 0);
    qreal minX = w.steps.first().position.x();
    for (const Step &s : w.steps)
        minX = std::min(minX, s.position.x());
    qreal y = 0;
    bool found = false;
    for (const Edge &e : w.edges) {
        if (e.from == QLatin1String("trigger")) {
            if (const Step *s = w.step(e.to)) {
                y = s->position.y();
                found = true;
                break;
            }
        }
    }
    if (!found)
        y = w.steps.first().position.y();
    return QPointF(minX - kLayerSpacing, y);
}

bool nodePosition(const Workflow &w, const QString &id, QPointF *out)
{
    if (id == QLatin1String("trigger")) {
        *out = triggerPosition(w);
        return true;
    }
    if (const Step *s = w.step(id)) {
        *out = s->position;
        return true;
    }
    return false;
}

QRectF nodeSquare(const QPointF &position)
{
    return QRectF(position, QSizeF(kStepSize, kStepSize));
}

QRectF nodeBounds(const QPointF &position)
{
    const qreal x = position.x() + kStepSize / 2 - kLabelWidth / 2;
    return QRectF(x, position.y(), kLabelWidth, kStepSize + kLabelHeight);
}

EdgeCurve edgeCurve(const QPointF &from, const QPointF &to)
{
    EdgeCurve c;
    c.p0 = from + QPointF(kStepSize, kStepSize / 2);
    c.p3 = to + QPointF(0, kStepSize / 2);
    const qreal dx = c.p3.x() - c.p0.x();
    if (dx >= 24) {
        const qreal bend = std::max<qreal>(24, dx / 2);
        c.c1 = c.p0 + QPointF(bend, 0);
        c.c2 = c.p3 - QPointF(bend, 0);
    } else {
        // Backwards: loop below both squares and their names.
        const qreal drop = kStepSize + kLabelHeight + 24;
        c.c1 = c.p0 + QPointF(120, drop * 1.6);
        c.c2 = c.p3 + QPointF(-120, drop * 1.6);
    }
    setArrow(c, c.c2);
    c.label = c.at(0.5);
    return c;
}

EdgeCurve compensationCurve(const QPointF &from, const QPointF &to)
{
    if (std::abs(to.x() - from.x()) >= kStepSize * 1.5)
        return edgeCurve(from, to);
    EdgeCurve c;
    const bool below = to.y() >= from.y();
    c.p0 = from + QPointF(kStepSize, below ? kStepSize * 0.75 : kStepSize * 0.25);
    c.p3 = to + QPointF(kStepSize, below ? kStepSize * 0.25 : kStepSize * 0.75);
    const qreal out = 64 + std::abs(to.x() - from.x()) / 2;
    c.c1 = c.p0 + QPointF(out, 0);
    c.c2 = c.p3 + QPointF(out, 0);
    setArrow(c, c.c2);
    c.label = c.at(0.5);
    return c;
}

namespace {

// The workflow as a graph for the layered layout: steps 0..n-1, node n the trigger.
struct Graph
{
    struct Link
    {
        int from, to, order;
    };
    int n = 0;
    int trigger = 0;
    QHash<QString, int> index;    // step id -> node
    QVector<Link> links;          // usable edges, in edge order
    QVector<QVector<int>> out;    // node -> its outgoing links
};

Graph graphOf(const Workflow &w)
{
    Graph g;
    g.n = int(w.steps.size());
    for (int i = 0; i < g.n; ++i)
        g.index.insert(w.steps[i].id, i);
    g.trigger = g.n;
    g.out.resize(g.n + 1);
    for (int k = 0; k < w.edges.size(); ++k) {
        const Edge &e = w.edges[k];
        const int from =
            e.from == QLatin1String("trigger") ? g.trigger : g.index.value(e.from, -1);
        const int to = g.index.value(e.to, -1);
        if (from < 0 || to < 0 || from == to)
            continue;
        g.out[from] << int(g.links.size());
        g.links.push_back({from, to, k});
    }
    return g;
}

// Back edges, found by DFS from the trigger, then from any unvisited node; the layout
// ignores them.
QSet<int> backEdges(const Graph &g)
{
    QVector<int> state(g.n + 1, 0);  // 0 new, 1 on stack, 2 done
    QSet<int> back;
    // Iterative: a long chain of steps must not exhaust the stack.
    auto dfs = [&](int root) {
        QVector<QPair<int, int>> stack{{root, 0}};  // node, next outgoing link to visit
        state[root] = 1;
        while (!stack.isEmpty()) {
            auto &[v, next] = stack.last();
            if (next >= g.out[v].size()) {
                state[v] = 2;
                stack.removeLast();
                continue;
            }
            const int li = g.out[v][next++];
            const int t = g.links[li].to;
            if (state[t] == 1) {
                back.insert(li);
            } else if (state[t] == 0) {
                state[t] = 1;
                stack.push_back({t, 0});
            }
        }
    };
    dfs(g.trigger);
    for (int i = 0; i < g.n; ++i) {
        if (state[i] == 0)
            dfs(i);
    }
    return back;
}

// Longest-path layers over the DAG left without the back edges (Kahn order).
QVector<int> layersOf(const Graph &g, const QSet<int> &back)
{
    QVector<int> indeg(g.n + 1, 0);
    for (int li = 0; li < g.links.size(); ++li) {
        if (!back.contains(li))
            ++indeg[g.links[li].to];
    }
    QVector<int> layer(g.n + 1, 1);
    layer[g.trigger] = 0;
    QVector<int> queue;
    for (int i = 0; i <= g.n; ++i) {
        if (indeg[i] == 0)
            queue << i;
    }
    for (int head = 0; head < queue.size(); ++head) {
        const int v = queue[head];
        for (int li : g.out[v]) {
            if (back.contains(li))
                continue;
            const int t = g.links[li].to;
            layer[t] = std::max(layer[t], layer[v] + 1);
            if (--indeg[t] == 0)
                queue << t;
        }
    }
    return layer;
}

// Compensate steps that nothing leads to: compensate step -> the step it undoes (they go
// below it rather than into a layer of their own).
QHash<int, int> detachedCompensations(const Workflow &w, const Graph &g)
{
    QHash<int, int> compensationOf;
    QVector<bool> hasIncoming(g.n, false);
    for (const Graph::Link &l : g.links)
        hasIncoming[l.to] = true;
    for (int i = 0; i < g.n; ++i) {
        const Step &s = w.steps[i];
        const int c = g.index.value(s.compensation, -1);
        if (c >= 0 && !hasIncoming[c])
            compensationOf.insert(c, i);
    }
    for (int i = 0; i < g.n; ++i) {
        const Step &s = w.steps[i];
        const int undone = g.index.value(s.compensates, -1);
        if (s.type == StepType::Compensate && undone >= 0 && !hasIncoming[i]
            && !compensationOf.contains(i))
            compensationOf.insert(i, undone);
    }
    return compensationOf;
}

// A cell of a layer: a node, or a dummy (node -1) for a link crossing the layer.
struct Slot
{
    int node;
    int pred;
    int order;
    qreal y;
};

// The cells of layer L: its nodes and the dummies of links crossing it, in rows below the
// rows of their predecessors; sets y of the nodes placed.
QVector<Slot> fillLayer(int L, const Graph &g, const QSet<int> &back, const QVector<int> &layer,
                        const QHash<int, int> &compensationOf, const QVector<Slot> &previous,
                        QVector<qreal> &y)
{
    QVector<Slot> cells;
    // Candidates: real nodes of this layer and dummies of links crossing it.
    for (int li = 0; li < g.links.size(); ++li) {
        if (back.contains(li))
            continue;
        const Graph::Link &l = g.links[li];
        const int from = l.from;
        if (layer[from] >= L || layer[l.to] < L)
            continue;
        qreal predY = y[from];
        // Follow the chain of dummies: the one in layer L-1 for this link.
        if (layer[from] < L - 1) {
            for (const Slot &d : previous) {
                if (d.node == -1 && d.pred == li) {
                    predY = d.y;
                    break;
                }
            }
        }
        if (layer[l.to] == L) {
            bool merged = false;
            for (Slot &s : cells) {
                if (s.node == l.to) {
                    s.y = std::min(s.y, predY);
                    merged = true;
                }
            }
            if (!merged)
                cells.push_back({l.to, li, l.order, predY});
        } else {
            cells.push_back({-1, li, l.order, predY});
        }
    }
    // Nodes of this layer without a placed predecessor (unreachable roots).
    for (int i = 0; i < g.n; ++i) {
        if (layer[i] != L || compensationOf.contains(i))
            continue;
        bool present = false;
        for (const Slot &s : cells)
            present = present || s.node == i;
        if (!present)
            cells.push_back({i, -1, 1 << 20, 1e9});
    }
    // Same row wanted: long edges keep the row (they are drawn straight through it),
    // the step they skip moves aside.
    std::stable_sort(cells.begin(), cells.end(), [](const Slot &a, const Slot &b) {
        if (a.y != b.y)
            return a.y < b.y;
        if ((a.node < 0) != (b.node < 0))
            return a.node < 0;
        return a.order < b.order;
    });
    qreal lastY = -1e12;
    for (Slot &s : cells) {
        if (s.y > 1e8)  // roots: below everything placed so far
            s.y = lastY > -1e11 ? lastY + kRowSpacing : 0;
        s.y = std::max(s.y, lastY + kRowSpacing);
        lastY = s.y;
        if (s.node >= 0)
            y[s.node] = s.y;
    }
    return cells;
}

} // namespace

QHash<QString, QPointF> arrange(const Workflow &w)
{
    const Graph g = graphOf(w);
    const QSet<int> back = backEdges(g);
    const QVector<int> layer = layersOf(g, back);
    const QHash<int, int> compensationOf = detachedCompensations(w, g);

    // Nodes per layer, with dummy nodes for edges spanning several layers, filled left to
    // right.
    int maxLayer = 0;
    for (int i = 0; i <= g.n; ++i)
        maxLayer = std::max(maxLayer, layer[i]);
    QVector<QVector<Slot>> layers(maxLayer + 1);
    QVector<qreal> y(g.n + 1, 0);
    layers[0].push_back({g.trigger, -1, -1, 0});
    for (int L = 1; L <= maxLayer; ++L)
        layers[L] = fillLayer(L, g, back, layer, compensationOf, layers[L - 1], y);

    QHash<QString, QPointF> result;
    for (int i = 0; i < g.n; ++i) {
        if (compensationOf.contains(i))
            continue;
        result.insert(w.steps[i].id, QPointF(layer[i] * kLayerSpacing, y[i]));
    }
    // Compensate steps: below the lowest slot of the undone step's layer.
    QHash<int, qreal> lowest;
    for (int L = 0; L <= maxLayer; ++L) {
        for (const Slot &s : layers[L])
            lowest[L] = lowest.contains(L) ? std::max(lowest[L], s.y) : s.y;
    }
    for (auto it = compensationOf.cbegin(); it != compensationOf.cend(); ++it) {
        const int undone = it.value();
        const int L = layer[undone];
        const qreal below = (lowest.contains(L) ? lowest[L] : y[undone]) + kRowSpacing;
        lowest[L] = below;
        result.insert(w.steps[it.key()].id, QPointF(L * kLayerSpacing, below));
    }
    return result;
}

QString stepTypeLabel(StepType t)
{
    switch (t) {
    case StepType::Call: return QStringLiteral("Call");
    case StepType::Lookup: return QStringLiteral("Lookup");
    case StepType::Map: return QStringLiteral("Map");
    case StepType::Validate: return QStringLiteral("Validate");
    case StepType::Branch: return QStringLiteral("Branch");
    case StepType::Publish: return QStringLiteral("Publish");
    case StepType::Wait: return QStringLiteral("Wait");
    case StepType::Approve: return QStringLiteral("Approve");
    case StepType::Compensate: return QStringLiteral("Compensate");
    }
    return QString();
}

QString stepTypeDescription(StepType t)
{
    switch (t) {
    case StepType::Call: return QStringLiteral("HTTP request that changes a system");
    case StepType::Lookup: return QStringLiteral("Read from a system to enrich");
    case StepType::Map: return QStringLiteral("Transform with a mapping");
    case StepType::Validate: return QStringLiteral("Schema, ownership and rules");
    case StepType::Branch: return QStringLiteral("Route by conditions");
    case StepType::Publish: return QStringLiteral("Emit an event");
    case StepType::Wait: return QStringLiteral("Wait for a correlated event");
    case StepType::Approve: return QStringLiteral("Human approval with escalation");
    case StepType::Compensate: return QStringLiteral("Undo an earlier step");
    }
    return QString();
}

QString stepIcon(StepType t)
{
    return QStringLiteral("step-") + toString(t);
}

QString stepColor(StepType t)
{
    switch (t) {
    case StepType::Call: return QStringLiteral("#2f6feb");
    case StepType::Lookup: return QStringLiteral("#0f8b8d");
    case StepType::Map: return QStringLiteral("#7c5cdb");
    case StepType::Validate: return QStringLiteral("#2f9e44");
    case StepType::Branch: return QStringLiteral("#d97706");
    case StepType::Publish: return QStringLiteral("#c2417a");
    case StepType::Wait: return QStringLiteral("#0284c7");
    case StepType::Approve: return QStringLiteral("#e8590c");
    case StepType::Compensate: return QStringLiteral("#d64545");
    }
    return QStringLiteral("#64748b");
}

QString triggerTypeLabel(TriggerType t)
{
    switch (t) {
    case TriggerType::Webhook: return QStringLiteral("Webhook");
    case TriggerType::Event: return QStringLiteral("Event");
    case TriggerType::Schedule: return QStringLiteral("Schedule");
    case TriggerType::Batch: return QStringLiteral("Batch file");
    }
    return QString();
}

QString triggerTypeDescription(TriggerType t)
{
    switch (t) {
    case TriggerType::Webhook: return QStringLiteral("A system calls in over HTTP");
    case TriggerType::Event: return QStringLiteral("An internal topic");
    case TriggerType::Schedule: return QStringLiteral("Cron or every N minutes");
    case TriggerType::Batch: return QStringLiteral("A CSV or JSONL file");
    }
    return QString();
}

QString triggerIcon(TriggerType t)
{
    return QStringLiteral("trigger-") + toString(t);
}

QString patternLabel(WorkflowPattern p)
{
    switch (p) {
    case WorkflowPattern::PointToPoint: return QStringLiteral("Point to point");
    case WorkflowPattern::HubOrchestration: return QStringLiteral("Hub orchestration");
    case WorkflowPattern::EventDriven: return QStringLiteral("Event-driven");
    case WorkflowPattern::Batch: return QStringLiteral("Batch");
    case WorkflowPattern::HumanInTheLoop: return QStringLiteral("Human in the loop");
    }
    return QString();
}

QString formatDuration(qint64 ms)
{
    if (ms <= 0)
        return QString();
    if (ms % 1000 != 0)
        return QStringLiteral("%1 ms").arg(ms);
    qint64 s = ms / 1000;
    struct Unit { qint64 size; const char *name; };
    static const Unit units[] = {{86400, "d"}, {3600, "h"}, {60, "min"}, {1, "s"}};
    QStringList parts;
    for (const Unit &u : units) {
        if (s >= u.size) {
            parts << QStringLiteral("%1 %2").arg(s / u.size).arg(QLatin1String(u.name));
            s %= u.size;
        }
    }
    return parts.join(QLatin1Char(' '));
}

qint64 parseDuration(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t.isEmpty())
        return 0;
    static const QRegularExpression part(
        QStringLiteral("\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|sec|min|s|m|h|d)?\\s*"));
    qint64 total = 0;
    int pos = 0;
    while (pos < t.size()) {
        const auto m = part.match(t, pos, QRegularExpression::NormalMatch,
                                  QRegularExpression::AnchorAtOffsetMatchOption);
        if (!m.hasMatch() || m.capturedLength() == 0)
            return -1;
        const double v = m.captured(1).toDouble();
        const QString unit = m.captured(2);
        double factor = 1;  // a bare number is milliseconds, as in the file
        if (unit == QLatin1String("s") || unit == QLatin1String("sec"))
            factor = 1000;
        else if (unit == QLatin1String("m") || unit == QLatin1String("min"))
            factor = 60000;
        else if (unit == QLatin1String("h"))
            factor = 3600000;
        else if (unit == QLatin1String("d"))
            factor = 86400000;
        total += qint64(std::llround(v * factor));
        pos = m.capturedEnd();
    }
    return total;
}

} // namespace studio::workflow
