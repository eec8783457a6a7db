#include "tests/support/gui/guitestsupport.h"

#include "app/studio.h"

#include <QCoreApplication>
#include <QDir>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QSet>

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
