// switchboard [PROJECT]: the studio. Everything but argument handling lives in studio.cpp.

#include "app/studio.h"
#include "app/studiocontroller.h"

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>

Q_IMPORT_QML_PLUGIN(SwitchboardPlugin)

int main(int argc, char *argv[])
{
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
    QQmlApplicationEngine engine;
    if (!studio::loadStudio(engine, args.isEmpty() ? QString() : args.first()))
        return 1;
    QQuickWindow *window = studio::mainWindow(engine);
    if (parser.isSet(view))
        studio::controller(engine)->setCurrentView(parser.value(view));
    if (window && parser.isSet(size)) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        if (wh.size() == 2)
            window->resize(wh[0].toInt(), wh[1].toInt());
    }
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(0, &app, [window, file] {
            const bool ok = studio::grabToFile(window, file);
            QCoreApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}
