#include "app/landscape/autolayout.h"

#include "app/shell/nodegeometry.h"

#include <QSet>

#include <algorithm>
#include <cmath>

using namespace sb::model;

namespace studio {

namespace {

constexpr qreal kColumnGap = 200;   // room for edge labels between columns
constexpr qreal kRowGap = 144;     // room for labels of edges running between rows
constexpr qreal kGrid = 8;
constexpr int kSweeps = 8;

qreal snap(qreal v) { return std::round(v / kGrid) * kGrid; }

// Weighted directed edges between system indexes (parallel flows add weight).
QHash<QPair<int, int>, int> collectEdges(const Project &p, const QHash<QString, int> &index)
{
    QHash<QPair<int, int>, int> edges;
    auto add = [&](const QString &a, const QString &b) {
        const int u = index.value(a, -1);
        const int v = index.value(b, -1);
        if (u >= 0 && v >= 0 && u != v)
            ++edges[qMakePair(u, v)];
    };
    for (const DataFlow &f : p.flows)
        add(f.from, f.to);
    // Data flows say which way data goes between systems; workflow hops (which also run
    // back and forth to call systems) only shape the layout when there are no flows.
    if (!edges.isEmpty())
        return edges;
    for (const Workflow &w : p.workflows) {
        QString last = w.trigger.system;
        for (const Step &s : w.steps) {
            if (s.system.isEmpty())
                continue;
            if (!last.isEmpty())
                add(last, s.system);
            last = s.system;
        }
    }
    return edges;
}

// Eades-Lin-Smyth: a vertex sequence; edges pointing backwards in it are the ones reversed.
QVector<int> feedbackOrder(int n, const QHash<QPair<int, int>, int> &edges)
{
    QVector<QHash<int, int>> out(n), in(n);
    for (auto it = edges.cbegin(); it != edges.cend(); ++it) {
        out[it.key().first][it.key().second] += it.value();
        in[it.key().second][it.key().first] += it.value();
    }
    QVector<bool> removed(n, false);
    QVector<int> left, right;
    auto weight = [&](const QHash<int, int> &h) {
        int w = 0;
        for (auto it = h.cbegin(); it != h.cend(); ++it)
            if (!removed[it.key()])
                w += it.value();
        return w;
    };
    int remaining = n;
    while (remaining > 0) {
        bool progress = true;
        while (progress) {
            progress = false;
            for (int v = 0; v < n; ++v) {
                if (removed[v])
                    continue;
                if (weight(out[v]) == 0) {         // sink
                    right.prepend(v);
                    removed[v] = true;
                    --remaining;
                    progress = true;
                } else if (weight(in[v]) == 0) {   // source
                    left.append(v);
                    removed[v] = true;
                    --remaining;
                    progress = true;
                }
            }
        }
        if (remaining == 0)
            break;
        int best = -1;
        int bestDelta = 0;
        for (int v = 0; v < n; ++v) {
            if (removed[v])
                continue;
            const int delta = weight(out[v]) - weight(in[v]);
            if (best < 0 || delta > bestDelta) {
                best = v;
                bestDelta = delta;
            }
        }
        left.append(best);
        removed[best] = true;
        --remaining;
    }
    return left + right;
}

} // namespace

QHash<QString, QPointF> layeredLayout(const Project &p)
{
    const int n = int(p.systems.size());
    QHash<QString, QPointF> result;
    if (n == 0)
        return result;
    QHash<QString, int> index;
    for (int i = 0; i < n; ++i)
        index.insert(p.systems[i].id, i);
    const auto edges = collectEdges(p, index);

    // Orient every edge forward in the feedback order: the graph becomes acyclic.
    const QVector<int> order = feedbackOrder(n, edges);
    QVector<int> rank(n);
    for (int i = 0; i < n; ++i)
        rank[order[i]] = i;
    QVector<QVector<int>> preds(n), succs(n);
    QSet<QPair<int, int>> seen;
    for (auto it = edges.cbegin(); it != edges.cend(); ++it) {
        int u = it.key().first;
        int v = it.key().second;
        if (rank[u] > rank[v])
            std::swap(u, v);
        if (seen.contains(qMakePair(u, v)))
            continue;
        seen.insert(qMakePair(u, v));
        succs[u] << v;
        preds[v] << u;
    }

    // Longest-path layering in topological (= feedback) order.
    QVector<int> layer(n, 0);
    for (int v : order)
        for (int u : preds[v])
            layer[v] = std::max(layer[v], layer[u] + 1);
    int layers = *std::max_element(layer.cbegin(), layer.cend()) + 1;
    // Systems without any flow go to a grid below, so they do not make one tall column.
    QVector<QVector<int>> columns(layers);
    QVector<int> isolated;
    for (int v : order) {
        if (preds[v].isEmpty() && succs[v].isEmpty() && n > 1)
            isolated << v;
        else
            columns[layer[v]] << v;
    }
    while (!columns.isEmpty() && columns.last().isEmpty())
        columns.removeLast();
    layers = int(columns.size());

    // Barycentre ordering, alternating downward and upward sweeps.
    QVector<qreal> pos(n);
    auto renumber = [&] {
        for (const auto &col : columns)
            for (int i = 0; i < col.size(); ++i)
                pos[col[i]] = i;
    };
    renumber();
    for (int sweep = 0; sweep < kSweeps; ++sweep) {
        const bool down = sweep % 2 == 0;
        for (int li = down ? 1 : layers - 2; down ? li < layers : li >= 0; li += down ? 1 : -1) {
            QVector<int> &col = columns[li];
            QHash<int, qreal> bary;
            for (int v : col) {
                const QVector<int> &nb = down ? preds[v] : succs[v];
                qreal sum = 0;
                int count = 0;
                for (int u : nb) {
                    sum += pos[u];
                    ++count;
                }
                bary.insert(v, count > 0 ? sum / count : pos[v]);
            }
            std::stable_sort(col.begin(), col.end(),
                             [&](int a, int b) { return bary.value(a) < bary.value(b); });
            for (int i = 0; i < col.size(); ++i)
                pos[col[i]] = i;
        }
    }

    // Columns left to right, each stacked vertically and centred on the tallest column.
    QVector<qreal> heights(layers, 0);
    for (int li = 0; li < layers; ++li) {
        for (int v : columns[li])
            heights[li] += nodeHeight(p.systems[v]) + kRowGap;
        heights[li] -= kRowGap;
    }
    const qreal tallest =
        layers > 0 ? *std::max_element(heights.cbegin(), heights.cend()) : -kRowGap;
    for (int li = 0; li < layers; ++li) {
        qreal y = snap((tallest - heights[li]) / 2);
        const qreal x = li * (kNodeWidth + kColumnGap);
        for (int v : columns[li]) {
            result.insert(p.systems[v].id, QPointF(x, y));
            y = snap(y + nodeHeight(p.systems[v]) + kRowGap);
        }
    }
    if (isolated.isEmpty())
        return result;
    const int perRow = std::max(1, int(std::ceil(std::sqrt(qreal(isolated.size())))));
    qreal y = snap(tallest + 2 * kRowGap);
    qreal rowHeight = 0;
    for (int i = 0; i < isolated.size(); ++i) {
        const System &s = p.systems[isolated[i]];
        if (i > 0 && i % perRow == 0) {
            y = snap(y + rowHeight + kRowGap);
            rowHeight = 0;
        }
        result.insert(s.id, QPointF((i % perRow) * (kNodeWidth + kColumnGap / 2), y));
        rowHeight = std::max(rowHeight, nodeHeight(s));
    }
    return result;
}

} // namespace studio
