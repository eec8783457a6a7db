#pragma once

// Automatic layered layout of the landscape: systems in columns following the direction of
// data flows (workflow hops when there are none). Cycles are broken with the Eades-Lin-Smyth
// heuristic, layers come from the longest path, and barycentre sweeps order each column to
// reduce crossings.

#include "model/project.h"

#include <QHash>
#include <QPointF>

namespace studio {

// New top-left positions per system id; cards never overlap.
QHash<QString, QPointF> layeredLayout(const sb::model::Project &project);

} // namespace studio
