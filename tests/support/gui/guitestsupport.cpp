#include "tests/support/gui/guitestsupport.h"

#include "app/run/runcontroller.h"
#include "app/studio.h"

#include <QCoreApplication>
#include <QDir>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>

namespace testsupport {

StudioWindow openStudio(const QString &project, StudioController::View view)
{
    studio::prepareApplication();
    StudioWindow s;
    s.engine = new QQmlApplicationEngine;
    if (!studio::loadStudio(*s.engine, project))
        return s;
    s.window = studio::mainWindow(*s.engine);
    s.controller = studio::controller(*s.engine);
    if (s.window)
        s.window->resize(1440, 900);
    s.controller->setCurrentView(view);
    return s;
}

QString quoteToCashDir()
{
    return QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash");
}

QString quoteToCashProject()
{
    return quoteToCashDir() + QStringLiteral("/quote-to-cash.switchboard");
}

void initTestApplication(const QString &organisation, const QString &application)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(organisation);
    QCoreApplication::setApplicationName(application);
}

void clearRunHistory()
{
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
         + QStringLiteral("/runs"))
        .removeRecursively();
}

bool runAndWait(RunController &run, int timeoutMs)
{
    QSignalSpy finished(&run, &RunController::runFinished);
    if (!run.run())
        return false;
    if (!finished.wait(timeoutMs))
        return false;
    return run.waitIdle(timeoutMs);
}

QString screenshotPath(const QString &name)
{
    return QDir(QCoreApplication::applicationDirPath()).filePath(name);
}

int distinctColours(const QString &file)
{
    const QImage image(file);
    if (image.isNull())
        return 0;
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

} // namespace testsupport
