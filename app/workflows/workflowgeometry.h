#pragma once

// Geometry of the workflow canvas, shared by the view models and the QML nodes: a step is a
// square (its position is the square's top-left corner) with its name centred below; edges
// leave the square's right side and enter the next square's left side as cubic curves.
// The trigger has no position in the file: it sits one layer left of the steps it starts.

#include "model/project.h"

#include <QHash>
#include <QPointF>
#include <QRectF>
#include <QString>

namespace studio::workflow {

constexpr qreal kStepSize = 64;          // the square
constexpr qreal kLabelWidth = 184;       // name and subtitle, centred under the square
constexpr qreal kLabelHeight = 52;
constexpr qreal kLayerSpacing = 220;     // auto-arrange: between layers (left to right)
constexpr qreal kRowSpacing = 160;       // auto-arrange: between rows of a layer

// A cubic edge with its arrow head and label anchor, in canvas coordinates.
struct EdgeCurve
{
    QPointF p0, c1, c2, p3;
    QPointF arrowA, arrowB;  // arrow head: arrowA -> p3 -> arrowB
    QPointF label;           // the curve's midpoint
    QString svgPath() const;
    QPointF at(qreal t) const;
    // Distance from `p` to the curve (sampled), for hit-testing a click on a line.
    qreal distanceTo(const QPointF &p) const;
};

// The id the trigger node goes by in selections and positions (no step may use it).
inline const QString kTriggerId = QStringLiteral("trigger");

// Where the trigger node goes: left of the steps it starts (or of all steps).
QPointF triggerPosition(const sb::model::Workflow &w);
// Position of a step or of "trigger"; a null optional for an unknown id.
bool nodePosition(const sb::model::Workflow &w, const QString &id, QPointF *out);
// The square of a node, and the square plus its label (what a click may hit).
QRectF nodeSquare(const QPointF &position);
QRectF nodeBounds(const QPointF &position);

// Next/on-error/on-timeout edge from one square to another.
EdgeCurve edgeCurve(const QPointF &from, const QPointF &to);
// Link from a step to the compensate step that undoes it (routed round the right side when
// the two are stacked, so it never crosses the step names).
EdgeCurve compensationCurve(const QPointF &from, const QPointF &to);

// Layered layout, left to right from the trigger: a step's layer is its longest distance
// from the trigger (back edges ignored), long edges reserve their row in the layers they
// cross, compensate steps sit below the step they undo. Returns step id -> position.
QHash<QString, QPointF> arrange(const sb::model::Workflow &w);

// Display helpers.
QString stepTypeLabel(sb::model::StepType t);
QString stepTypeDescription(sb::model::StepType t);
QString stepIcon(sb::model::StepType t);         // icon name, e.g. step-call
QString stepColor(sb::model::StepType t);
QString triggerTypeLabel(sb::model::TriggerType t);
QString triggerTypeDescription(sb::model::TriggerType t);
QString triggerIcon(sb::model::TriggerType t);
QString patternLabel(sb::model::WorkflowPattern p);
// "20 s", "4 h", "500 ms", "1 d 2 h"; empty for 0.
QString formatDuration(qint64 ms);
// Accepts "500", "500ms", "20s", "5 m", "4h", "1d", "1h 30m"; -1 when it cannot.
qint64 parseDuration(const QString &text);

} // namespace studio::workflow
