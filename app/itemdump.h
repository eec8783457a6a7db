#pragma once

// Test support in the studio executable: with SWITCHBOARD_ITEM_DUMP=FILE set, the geometry of
// the visible items is written to FILE (JSON) whenever it changes, so a test that drives the
// studio from outside with synthetic mouse and keyboard input (tests/app/tst_journey) knows
// where on the screen to click. Nothing is read back: the studio is only observed.

#include <QString>

class QObject;

namespace studio {

inline constexpr char kItemDumpEnv[] = "SWITCHBOARD_ITEM_DUMP";

// Starts the periodic dump into `file`; the timer is a child of `owner`.
void startItemDump(QObject *owner, const QString &file);

} // namespace studio
