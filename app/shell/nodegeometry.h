#pragma once

// Size of a system card on the landscape canvas. The QML card lays itself out with the same
// constants, so edges computed in C++ meet the card borders exactly.

#include "model/project.h"

#include <QRectF>
#include <QString>

namespace studio {

constexpr qreal kNodeWidth = 240;
constexpr qreal kNodeHeaderHeight = 60;    // colour strip + icon + name + kind
constexpr qreal kNodeEntityRowHeight = 22;
constexpr qreal kNodePadding = 8;
constexpr int kNodeMaxEntities = 6;        // more are summarised as "+N more"

// Number of text rows in the entity list (entities shown, "+N more", or "No entities").
int nodeEntityRows(const sb::model::System &system);
qreal nodeHeight(const sb::model::System &system);
QRectF nodeRect(const sb::model::System &system);
// Icon resource for a system kind, e.g. qrc:/qt/qml/Switchboard/Controls/icons/kind-crm.svg.
QString kindIcon(sb::model::SystemKind kind);
QString kindLabel(sb::model::SystemKind kind);
QString iconUrl(const QString &name);

} // namespace studio
