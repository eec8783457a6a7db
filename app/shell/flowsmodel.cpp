#include "app/shell/flowsmodel.h"

#include "app/shell/nodegeometry.h"
#include "model/elementref.h"

#include <QHash>
#include <QLineF>
#include <QQueue>
#include <QSet>

#include <cmath>

using namespace sb::model;

namespace {

constexpr qreal kLaneSpacing = 36;   // distance between parallel edges at their middle
constexpr qreal kBorderGap = 4;      // edges stop short of the card border
constexpr qreal kArrowLength = 10;
constexpr qreal kArrowHalfAngle = 0.45; // radians
constexpr qreal kLabelHalfHeight = 11;  // the label pill is 22 units high
constexpr qreal kLabelMargin = 6;       // space kept between a label and a card
constexpr qreal kUnlimitedRoom = 1e6;

// How wide a label centred at `at` may be without reaching into `card`.
qreal roomBeside(const QRectF &card, const QPointF &at)
{
    if (at.y() + kLabelHalfHeight <= card.top() || at.y() - kLabelHalfHeight >= card.bottom())
        return kUnlimitedRoom;
    const qreal dx = at.x() < card.left()    ? card.left() - at.x()
                     : at.x() > card.right() ? at.x() - card.right()
                                             : 0;
    return std::max<qreal>(0, 2 * (dx - kLabelMargin));
}

// Where the ray from the centre of `r` towards `target` leaves `r` (grown by the gap).
QPointF borderPoint(const QRectF &rect, const QPointF &target)
{
    const QRectF r = rect.adjusted(-kBorderGap, -kBorderGap, kBorderGap, kBorderGap);
    const QPointF c = r.center();
    const QPointF d = target - c;
    if (qFuzzyIsNull(d.x()) && qFuzzyIsNull(d.y()))
        return c;
    const qreal tx = qFuzzyIsNull(d.x()) ? 1e9 : (r.width() / 2) / std::abs(d.x());
    const qreal ty = qFuzzyIsNull(d.y()) ? 1e9 : (r.height() / 2) / std::abs(d.y());
    const qreal t = std::min({tx, ty, 1.0});
    return c + d * t;
}

struct Hop
{
    QString kind, element, from, to, label, mode, key;
};

// The systems a workflow touches, in the order its steps run (breadth-first from the
// trigger), as consecutive distinct hops.
QVector<Hop> workflowHops(const Workflow &w, const Project &p)
{
    QHash<QString, QStringList> next;
    for (const Edge &e : w.edges)
        next[e.from] << e.to;
    QStringList order;
    QSet<QString> seen;
    QQueue<QString> queue;
    queue.enqueue(QStringLiteral("trigger"));
    while (!queue.isEmpty()) {
        const QString id = queue.dequeue();
        for (const QString &to : next.value(id)) {
            if (!seen.contains(to)) {
                seen.insert(to);
                order << to;
                queue.enqueue(to);
            }
        }
    }
    for (const Step &s : w.steps) {
        if (!seen.contains(s.id))
            order << s.id;
    }
    QStringList systems;
    if (!w.trigger.system.isEmpty())
        systems << w.trigger.system;
    for (const QString &id : order) {
        const Step *s = w.step(id);
        if (s && !s->system.isEmpty() && (systems.isEmpty() || systems.last() != s->system))
            systems << s->system;
    }
    QVector<Hop> hops;
    QSet<QString> keys;
    for (int i = 1; i < systems.size(); ++i) {
        const QString &a = systems[i - 1];
        const QString &b = systems[i];
        if (!p.system(a) || !p.system(b))
            continue;
        const QString key = QStringLiteral("workflow:%1:%2>%3").arg(w.id, a, b);
        if (keys.contains(key))
            continue;
        keys.insert(key);
        hops << Hop{QStringLiteral("workflow"),
                    ElementRef::of(ElementRef::Kind::Workflow, w.id).toString(), a, b,
                    w.name.isEmpty() ? w.id : w.name, toString(w.pattern), key};
    }
    return hops;
}

} // namespace

bool FlowsModel::Row::operator==(const Row &o) const
{
    return key == o.key && kind == o.kind && element == o.element && from == o.from
           && to == o.to && label == o.label && mode == o.mode && start == o.start
           && control == o.control && end == o.end && arrowLeft == o.arrowLeft
           && arrowRight == o.arrowRight && labelPos == o.labelPos
           && labelRoom == o.labelRoom && lane == o.lane && lanes == o.lanes;
}

FlowsModel::FlowsModel(Document *document, QObject *parent)
    : RowListModel(parent), m_document(document)
{
    setRoles(
        &m_rows,
        {{Qt::DisplayRole, nullptr, &Row::label},
         {LabelRole, "label", &Row::label},
         {EdgeIdRole, "edgeId", &Row::key},
         {EdgeKindRole, "edgeKind", &Row::kind},
         {ElementRole, "element", &Row::element},
         {FromSystemRole, "fromSystem", &Row::from},
         {ToSystemRole, "toSystem", &Row::to},
         {ModeRole, "mode", &Row::mode},
         {StartXRole, "lineStartX", [](const Row &r) -> QVariant { return r.start.x(); }},
         {StartYRole, "lineStartY", [](const Row &r) -> QVariant { return r.start.y(); }},
         {ControlXRole, "curveX", [](const Row &r) -> QVariant { return r.control.x(); }},
         {ControlYRole, "curveY", [](const Row &r) -> QVariant { return r.control.y(); }},
         {EndXRole, "lineEndX", [](const Row &r) -> QVariant { return r.end.x(); }},
         {EndYRole, "lineEndY", [](const Row &r) -> QVariant { return r.end.y(); }},
         {ArrowLeftXRole, "arrowLeftX", [](const Row &r) -> QVariant { return r.arrowLeft.x(); }},
         {ArrowLeftYRole, "arrowLeftY", [](const Row &r) -> QVariant { return r.arrowLeft.y(); }},
         {ArrowRightXRole, "arrowRightX",
          [](const Row &r) -> QVariant { return r.arrowRight.x(); }},
         {ArrowRightYRole, "arrowRightY",
          [](const Row &r) -> QVariant { return r.arrowRight.y(); }},
         {LabelXRole, "labelX", [](const Row &r) -> QVariant { return r.labelPos.x(); }},
         {LabelYRole, "labelY", [](const Row &r) -> QVariant { return r.labelPos.y(); }},
         {LabelRoomRole, "labelRoom", &Row::labelRoom}});
    connect(document, &Document::changed, this, [this](const Change &c) {
        if (c.collection == Collection::Systems && c.layoutOnly)
            moveEdgesOf(c.id);
        else if (c.collection == Collection::Systems || c.collection == Collection::Flows ||
                 c.collection == Collection::Workflows || c.collection == Collection::Project)
            refresh();
    });
    connect(document, &Document::projectReset, this,
            [this] { resetRows(m_rows, buildRows()); });
    m_rows = buildRows();
}

QVector<FlowsModel::Row> FlowsModel::buildRows() const
{
    const Project &p = m_document->project();
    QVector<Hop> hops;
    for (const DataFlow &f : p.flows) {
        if (!p.system(f.from) || !p.system(f.to) || f.from == f.to)
            continue;
        const QString element = ElementRef::of(ElementRef::Kind::Flow, f.id).toString();
        hops << Hop{QStringLiteral("flow"), element, f.from, f.to,
                    f.label.isEmpty() ? f.entity : f.label, toString(f.mode), element};
    }
    for (const Workflow &w : p.workflows)
        hops += workflowHops(w, p);

    // One edge per kind and direction between two systems keeps busy landscapes readable:
    // the label names the first entity or workflow and counts the others ("Customer +2").
    {
        QVector<Hop> merged;
        QHash<QString, int> at;
        QHash<QString, QStringList> labels;
        for (const Hop &h : hops) {
            const QString key = h.kind + QLatin1Char(':') + h.from + QLatin1Char('>') + h.to;
            if (!at.contains(key)) {
                at.insert(key, int(merged.size()));
                merged << h;
                merged.last().key = key;
            }
            QStringList &l = labels[key];
            if (!h.label.isEmpty() && !l.contains(h.label))
                l << h.label;
        }
        for (Hop &h : merged) {
            const QStringList &l = labels.value(h.key);
            h.label = l.isEmpty() ? QString()
                      : l.size() == 1 ? l.first()
                                      : QStringLiteral("%1 +%2").arg(l.first()).arg(l.size() - 1);
        }
        hops = merged;
    }

    // Parallel edges between the same two systems (either direction) fan out in lanes.
    QHash<QString, int> laneCount;
    auto pairKey = [](const Hop &h) {
        return h.from < h.to ? h.from + QLatin1Char('|') + h.to
                             : h.to + QLatin1Char('|') + h.from;
    };
    for (const Hop &h : hops)
        ++laneCount[pairKey(h)];
    QHash<QString, int> laneNext;

    QVector<Row> rows;
    rows.reserve(hops.size());
    for (const Hop &h : hops) {
        const QString pk = pairKey(h);
        Row r;
        r.key = h.key;
        r.kind = h.kind;
        r.element = h.element;
        r.from = h.from;
        r.to = h.to;
        r.label = h.label;
        r.mode = h.mode;
        r.lanes = laneCount.value(pk);
        r.lane = laneNext[pk]++;
        placeRow(r);
        rows << r;
    }
    return rows;
}

void FlowsModel::placeRow(Row &r) const
{
    const Project &p = m_document->project();
    const System *from = p.system(r.from);
    const System *to = p.system(r.to);
    if (!from || !to)
        return;
    const QRectF a = studio::nodeRect(*from);
    const QRectF b = studio::nodeRect(*to);
    // The perpendicular is taken from the ordered pair so opposite edges do not overlap.
    const bool forward = r.from < r.to;
    const QPointF ca = forward ? a.center() : b.center();
    const QPointF cb = forward ? b.center() : a.center();
    QPointF dir = cb - ca;
    const qreal len = std::hypot(dir.x(), dir.y());
    const QPointF normal = len > 0 ? QPointF(-dir.y() / len, dir.x() / len) : QPointF();
    const qreal offset = (r.lane - (r.lanes - 1) / 2.0) * kLaneSpacing;
    const QPointF control = (a.center() + b.center()) / 2 + normal * offset * 2;
    r.start = borderPoint(a, control);
    r.end = borderPoint(b, control);
    r.control = offset == 0 ? (r.start + r.end) / 2 : control;
    r.labelPos = r.start * 0.25 + r.control * 0.5 + r.end * 0.25;
    // Cards are drawn above labels: a label wider than the gap is shortened, not hidden.
    r.labelRoom = std::min(roomBeside(a, r.labelPos), roomBeside(b, r.labelPos));
    const QPointF tangent = r.end - r.control;
    const qreal angle = std::atan2(tangent.y(), tangent.x());
    r.arrowLeft = r.end - QPointF(std::cos(angle - kArrowHalfAngle),
                                  std::sin(angle - kArrowHalfAngle)) * kArrowLength;
    r.arrowRight = r.end - QPointF(std::cos(angle + kArrowHalfAngle),
                                   std::sin(angle + kArrowHalfAngle)) * kArrowLength;
}

void FlowsModel::moveEdgesOf(const QString &systemId)
{
    for (int i = 0; i < int(m_rows.size()); ++i) {
        Row &r = m_rows[i];
        if (r.from != systemId && r.to != systemId)
            continue;
        const Row before = r;
        placeRow(r);
        if (!(r == before))
            emit dataChanged(index(i), index(i));
    }
}

void FlowsModel::refresh()
{
    syncRows(m_rows, buildRows());
}

