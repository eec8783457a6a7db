#pragma once

// Shared by the studio's GUI tests: the real studio opened in a window, where screenshots
// go, and a quick "is this screenshot more than a blank window" measure.

#include "app/shell/studiocontroller.h"

#include <QString>

class QQmlApplicationEngine;
class QQuickWindow;
class RunController;

namespace testsupport {

struct StudioWindow
{
    QQmlApplicationEngine *engine = nullptr; // owned by the caller
    QQuickWindow *window = nullptr;          // null when the studio did not load
    StudioController *controller = nullptr;
};

// Loads the studio with `project` open in a 1440x900 window showing `view`. The caller
// waits for the window to be exposed (QTest::qWaitForWindowExposed) and deletes the engine.
StudioWindow openStudio(const QString &project, StudioController::View view);

// The Quote-to-Cash template most GUI tests open, and its folder.
QString quoteToCashDir();
QString quoteToCashProject();

// A GUI test's initTestCase: test-mode standard paths under the organisation and application
// names given (settings, recent projects and run history then stay the test's own).
void initTestApplication(const QString &organisation, const QString &application);
// Deletes the run history (AppDataLocation/runs) so every test run starts from none.
void clearRunHistory();

// Starts `run` and waits for its end (runFinished, then an idle worker); false if it does not
// start or a wait times out.
bool runAndWait(RunController &run, int timeoutMs = 240000);

// Where a test writes its screenshot `name`: beside the test executable.
QString screenshotPath(const QString &name);

// Distinct colours on a 3-pixel grid of the PNG `file`; 0 if it cannot be read.
int distinctColours(const QString &file);

} // namespace testsupport
