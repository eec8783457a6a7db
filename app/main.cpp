// switchboard [PROJECT]: the studio. Everything but argument handling lives in studio.cpp.

#include "app/itemdump.h"
#include "app/studio.h"
#include "app/shell/studiocontroller.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>

#include <cstdio>
#include <cstring>

int main(int argc, char *argv[])
{
    // A screenshot run neither reads nor adds to the user's recent projects and autosaves.
    QTemporaryDir screenshotScope;
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--screenshot", 12) == 0
            && qEnvironmentVariableIsEmpty(studio::kSettingsDirEnv)
            && screenshotScope.isValid()) {
            qputenv(studio::kSettingsDirEnv, QFile::encodeName(screenshotScope.path()));
        }
    }
    studio::prepareApplication();
    QGuiApplication app(argc, argv);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Switchboard integration design studio"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QStringLiteral("Project file (.switchboard) to open."),
                                 QStringLiteral("[PROJECT]"));
    // Hidden: render the window after loading to a PNG and quit (docs, visual checks).
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save a screenshot to FILE and quit."),
                                  QStringLiteral("FILE"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size WxH."),
                            QStringLiteral("WxH"));
    size.setFlags(QCommandLineOption::HiddenFromHelp);
    // Hidden: start in a given view (landscape, model, ownership, mappings, workflows, run).
    QCommandLineOption view(QStringLiteral("view"), QStringLiteral("View to show."),
                            QStringLiteral("NAME"));
    view.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshot);
    parser.addOption(size);
    parser.addOption(view);
    parser.process(app);

    const QStringList args = parser.positionalArguments();
    if (!args.isEmpty()) {
        const QString arg = args.first();
        const QString path = arg.startsWith(QLatin1String("file:")) ? QUrl(arg).toLocalFile()
                                                                     : arg;
        const QFileInfo info(path);
        const char *problem = !info.exists() ? "no such file"
                              : !info.isFile() ? "not a file"
                              : !info.isReadable() ? "permission denied" : nullptr;
        if (problem) {
            std::fprintf(stderr, "switchboard: cannot open %s: %s\n",
                         qPrintable(QFileInfo(path).absoluteFilePath()), problem);
            return 2;
        }
    }
    QQmlApplicationEngine engine;
    if (!studio::loadStudio(engine, args.isEmpty() ? QString() : args.first()))
        return 1;
    QQuickWindow *window = studio::mainWindow(engine);
    if (parser.isSet(view)) {
        StudioController::View shown;
        if (StudioController::viewFromName(parser.value(view), &shown))
            studio::controller(engine)->setCurrentView(shown);
        else
            std::fprintf(stderr, "switchboard: no view named %s\n",
                         qPrintable(parser.value(view)));
    }
    if (window && parser.isSet(size)) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        if (wh.size() == 2)
            window->resize(wh[0].toInt(), wh[1].toInt());
    }
    if (!qEnvironmentVariableIsEmpty(studio::kItemDumpEnv))
        studio::startItemDump(&app, qEnvironmentVariable(studio::kItemDumpEnv));
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(0, &app, [window, file] {
            const bool ok = studio::grabToFile(window, file);
            QCoreApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}
