// bench_studio: what a user of the studio waits for, on the 20-element Quote-to-Cash example
// and on a generated project of 2,000 systems and steps with 10,000 field mappings: the time
// from "open" to the first frame showing the canvas, the frame time while panning and
// zooming the landscape (at the fitted zoom and close up), the time from an edit (a move, a
// keystroke in a mapping rule) to updated findings, and resident memory. Each project is
// measured in its own process. Prints both and the ratio large/small. Runs offscreen unless a
// platform is chosen.
#include "largeproject.h"

#include "app/studio.h"
#include "app/studiocontroller.h"
#include "model/projectjson.h"

#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>

#include <algorithm>
#include <cstdio>
#include <vector>

Q_IMPORT_QML_PLUGIN(SwitchboardPlugin)

using studio::findItem;

namespace {

long residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    }
    return 0;
}

// Waits for the window's next frame; false after 10 s.
bool nextFrame(QQuickWindow *window)
{
    QEventLoop loop;
    bool swapped = false;
    auto c = QObject::connect(window, &QQuickWindow::frameSwapped, &loop, [&] {
        swapped = true;
        loop.quit();
    });
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    window->requestUpdate();
    loop.exec();
    QObject::disconnect(c);
    return swapped;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

struct Figures
{
    int elements = 0;
    double openShowMs = 0;
    double frameMedianMs = 0;
    double frameP95Ms = 0;
    double closeFrameMedianMs = 0;  // panning at 100 %, where cards are drawn
    double editToFindingsMs = 0;
    double ruleEditToFindingsMs = 0;
    long memoryKiB = 0;
};

bool measure(const QString &file, int elements, Figures *out)
{
    out->elements = elements;
    const long before = residentKiB();
    QElapsedTimer timer;
    timer.start();
    auto *engine = new QQmlApplicationEngine;
    if (!studio::loadStudio(*engine, file)) {
        std::fprintf(stderr, "bench_studio: the QML did not load\n");
        return false;
    }
    QQuickWindow *window = studio::mainWindow(*engine);
    StudioController *ctl = studio::controller(*engine);
    if (!window || !ctl || !ctl->hasProject()) {
        std::fprintf(stderr, "bench_studio: %s did not open\n", qPrintable(file));
        return false;
    }
    window->resize(1440, 900);
    window->show();
    if (!nextFrame(window)) {
        std::fprintf(stderr, "bench_studio: no frame\n");
        return false;
    }
    out->openShowMs = double(timer.nsecsElapsed()) / 1e6;
    out->memoryKiB = residentKiB() - before;

    // Pan and zoom the landscape, one change per frame, as a drag and a wheel would.
    QQuickItem *world = findItem(window->contentItem(), QStringLiteral("canvasWorld"));
    QQuickItem *canvas = findItem(window->contentItem(), QStringLiteral("landscapeCanvas"));
    if (!world || !canvas) {
        std::fprintf(stderr, "bench_studio: no canvas in the window\n");
        return false;
    }
    std::vector<double> frames;
    // BENCH_STUDIO_NO_FRAMES=1 skips the frames (to profile the edit alone).
    const int frameCount = qEnvironmentVariableIsSet("BENCH_STUDIO_NO_FRAMES") ? 0 : 240;
    for (int i = 0; i < frameCount; ++i) {
        QElapsedTimer frame;
        frame.start();
        if (i < 120) {
            world->setX(world->x() + (i % 40 < 20 ? 9 : -9));
            world->setY(world->y() + (i % 60 < 30 ? 5 : -5));
        } else {
            const qreal zoom = canvas->property("zoom").toReal();
            QMetaObject::invokeMethod(canvas, "zoomAt", Q_ARG(QVariant, 720.0),
                                      Q_ARG(QVariant, 450.0),
                                      Q_ARG(QVariant, zoom * (i % 20 < 10 ? 1.05 : 1 / 1.05)));
        }
        if (!nextFrame(window))
            return false;
        frames.push_back(double(frame.nsecsElapsed()) / 1e6);
    }
    out->frameMedianMs = frames.empty() ? 0 : percentile(frames, 0.5);
    out->frameP95Ms = frames.empty() ? 0 : percentile(frames, 0.95);

    // Close up: at 100 % the visible systems are full cards; pan across them.
    QMetaObject::invokeMethod(canvas, "zoomAt", Q_ARG(QVariant, 720.0), Q_ARG(QVariant, 450.0),
                              Q_ARG(QVariant, 1.0));
    std::vector<double> close;
    for (int i = 0; i < frameCount / 2; ++i) {
        QElapsedTimer frame;
        frame.start();
        world->setX(world->x() + (i % 40 < 20 ? 12 : -12));
        world->setY(world->y() + (i % 60 < 30 ? 6 : -6));
        if (!nextFrame(window))
            return false;
        close.push_back(double(frame.nsecsElapsed()) / 1e6);
    }
    out->closeFrameMedianMs = close.empty() ? 0 : percentile(close, 0.5);

    // One edit (move a system), then findings up to date: validation runs if the edit asked
    // for it (a move does not), and the problems panel's model is synced.
    const QString id = ctl->document()->project().systems.front().id;
    const QPointF at = ctl->document()->project().systems.front().position;
    std::vector<double> edits;
    for (int i = 0; i < 9; ++i) {
        QElapsedTimer edit;
        edit.start();
        ctl->moveSystem(id, at.x() + 24 * (i + 1), at.y());
        ctl->endMove();
        if (ctl->findingsPending())
            ctl->validateNow();
        edits.push_back(double(edit.nsecsElapsed()) / 1e6);
    }
    out->editToFindingsMs = percentile(edits, 0.5);

    // One keystroke in a mapping rule's expression, then revalidation and the panel.
    sb::model::Document *doc = ctl->document();
    std::vector<double> typing;
    for (int i = 0; i < 9; ++i) {
        sb::model::Mapping m = doc->project().mappings.front();
        if (m.rules.isEmpty())
            break;
        m.rules[0].expression += QLatin1Char(i % 2 ? ')' : ' ');
        QElapsedTimer edit;
        edit.start();
        doc->updateMapping(m, QStringLiteral("Edit rule"), QStringLiteral("bench:rule"));
        ctl->validateNow();
        typing.push_back(double(edit.nsecsElapsed()) / 1e6);
    }
    out->ruleEditToFindingsMs = typing.empty() ? 0 : percentile(typing, 0.5);
    delete engine;
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    studio::prepareApplication();
    QGuiApplication app(argc, argv);

    // --measure FILE ELEMENTS: measure one project and print its figures on one line.
    if (app.arguments().size() == 4 && app.arguments().at(1) == QLatin1String("--measure")) {
        Figures f;
        if (!measure(app.arguments().at(2), app.arguments().at(3).toInt(), &f))
            return 1;
        std::printf("FIGURES %d %.3f %.3f %.3f %.3f %.3f %.3f %ld\n", f.elements, f.openShowMs,
                    f.frameMedianMs, f.frameP95Ms, f.closeFrameMedianMs, f.editToFindingsMs,
                    f.ruleEditToFindingsMs, f.memoryKiB);
        return 0;
    }
    QTemporaryDir dir;
    // --write FILE: only write the generated project (to open it in the studio by hand).
    const QStringList args = app.arguments();
    const int writeAt = int(args.indexOf(QStringLiteral("--write")));
    const QString large = writeAt > 0 && writeAt + 1 < args.size()
                              ? args.at(writeAt + 1)
                              : dir.filePath(QStringLiteral("large.switchboard"));
    sb::bench::ProjectSize size;
    const sb::model::Project generated = sb::bench::generateProject(size);
    if (!sb::model::saveProject(generated, large).ok()) {
        std::fprintf(stderr, "bench_studio: could not write %s\n", qPrintable(large));
        return 1;
    }
    if (writeAt > 0) {
        std::printf("wrote %s\n", qPrintable(large));
        return 0;
    }
    const QString small = QStringLiteral(SWITCHBOARD_SOURCE_DIR
                                         "/templates/quote-to-cash/quote-to-cash.switchboard");
    auto loadedSmall = sb::model::loadProject(small);
    if (!loadedSmall.ok())
        return 1;
    const sb::model::Project &q2c = loadedSmall.value();
    auto count = [](const sb::model::Project &p) {
        int steps = 0;
        for (const auto &w : p.workflows)
            steps += int(w.steps.size());
        return int(p.systems.size()) + steps;
    };
    // Each project is measured in a process of its own, so neither pays for (or profits
    // from) what the other loaded first, and memory is that process's own.
    auto measureIn = [&](const QString &file, int elements, Figures *out) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("--measure"), file, QString::number(elements)});
        if (!child.waitForFinished(600000) || child.exitCode() != 0)
            return false;
        const QList<QByteArray> v = child.readAllStandardOutput().trimmed().split(' ');
        if (v.size() != 9 || v[0] != "FIGURES")
            return false;
        out->elements = v[1].toInt();
        out->openShowMs = v[2].toDouble();
        out->frameMedianMs = v[3].toDouble();
        out->frameP95Ms = v[4].toDouble();
        out->closeFrameMedianMs = v[5].toDouble();
        out->editToFindingsMs = v[6].toDouble();
        out->ruleEditToFindingsMs = v[7].toDouble();
        out->memoryKiB = v[8].toLong();
        return true;
    };
    Figures a, b;
    if (!measureIn(small, count(q2c), &a) || !measureIn(large, count(generated), &b)) {
        std::fprintf(stderr, "bench_studio: the studio did not open or render\n");
        return 1;
    }
    std::printf("bench_studio (platform %s, %d cores)\n",
                qPrintable(QGuiApplication::platformName()), QThread::idealThreadCount());
    std::printf("%-40s %12s %12s %8s\n", "measure", "Q2C", "generated", "ratio");
    auto row = [](const char *name, double x, double y) {
        std::printf("%-40s %12.2f %12.2f %7.1fx\n", name, x, y, x > 0 ? y / x : 0.0);
    };
    std::printf("%-40s %12d %12d %7.1fx\n", "systems + workflow steps", a.elements, b.elements,
                double(b.elements) / a.elements);
    row("open and show the canvas (ms)", a.openShowMs, b.openShowMs);
    row("pan/zoom frame, median (ms)", a.frameMedianMs, b.frameMedianMs);
    row("pan/zoom frame, 95th pct (ms)", a.frameP95Ms, b.frameP95Ms);
    row("pan frame at 100 %, median (ms)", a.closeFrameMedianMs, b.closeFrameMedianMs);
    row("move a system to findings (ms)", a.editToFindingsMs, b.editToFindingsMs);
    row("type in a mapping rule to findings (ms)", a.ruleEditToFindingsMs,
        b.ruleEditToFindingsMs);
    row("memory after open (MiB)", a.memoryKiB / 1024.0, b.memoryKiB / 1024.0);
    return 0;
}
