// bench_studio: what a user of the studio waits for, on the 20-element Quote-to-Cash example
// and on a generated project of 2,000 systems and steps with 10,000 field mappings: the time
// from "open" to the first frame showing the canvas, the frame time while panning and
// zooming the landscape (at the fitted zoom and close up), the time from an edit (a move, a
// keystroke in a mapping rule) to updated findings, and resident memory. Each project is
// measured in its own process. Prints both and the ratio large/small. Runs offscreen unless a
// platform is chosen.
#include "largeproject.h"

#include "app/studio.h"
#include "app/shell/studiocontroller.h"
#include "model/projectjson.h"

#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QKeyEvent>
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

// The visible item named `objectName` (the canonical page has a schema editor too).
QQuickItem *findVisible(QQuickItem *root, const QString &objectName)
{
    if (!root || !root->isVisible())
        return nullptr;
    if (root->objectName() == objectName)
        return root;
    const auto children = root->childItems();
    for (QQuickItem *child : children) {
        if (QQuickItem *found = findVisible(child, objectName))
            return found;
    }
    return nullptr;
}

// One system of `entities` entities and about `fields` fields in all, nested two deep, with
// names from a small vocabulary so a filter word matches some of them (as in a real API).
sb::model::System largeSchemaSystem(int entities, int fields)
{
    static const char *const words[] = {
        "account", "address", "amount", "balance", "billing", "city", "code", "contact",
        "country", "created", "currency", "customer", "date", "discount", "email", "invoice",
        "item", "line", "name", "note", "number", "order", "owner", "payment", "phone",
        "price", "product", "quantity", "reference", "region", "shipping", "status", "tax",
        "total", "type", "updated"};
    const int nWords = int(sizeof(words) / sizeof(words[0]));
    auto word = [&](int i) { return QString::fromLatin1(words[i % nWords]); };
    sb::model::System s;
    s.id = QStringLiteral("bigapi");
    s.name = QStringLiteral("Big API");
    s.kind = sb::model::SystemKind::Custom;
    s.position = QPointF(-600, -400);
    sb::model::EndpointProfile sandbox;
    sandbox.name = QStringLiteral("sandbox");
    sandbox.sandbox = true;
    s.profiles << sandbox;
    const int perEntity = std::max(1, fields / entities);
    const int objects = perEntity / 27;            // each object field has 7 children
    const int scalars = perEntity - objects * 8;
    for (int e = 0; e < entities; ++e) {
        sb::model::Entity en;
        en.name = word(e) + word(e / nWords + 3).left(1).toUpper() + word(e / nWords + 3).mid(1)
                  + QString::number(e);
        en.key = QStringLiteral("id");
        en.description = QStringLiteral("Generated entity %1 of the large API").arg(e);
        sb::model::Field id;
        id.name = QStringLiteral("id");
        id.required = true;
        en.fields << id;
        for (int f = 1; f < scalars; ++f) {
            sb::model::Field field;
            field.name = word(f * 7 + e) + word(f).left(1).toUpper() + word(f).mid(1)
                         + QString::number(f);
            field.type = f % 5 == 0 ? sb::model::FieldType::Number
                                    : sb::model::FieldType::String;
            field.description = QStringLiteral("The %1 of the %2.").arg(word(f), en.name);
            en.fields << field;
        }
        for (int o = 0; o < objects; ++o) {
            sb::model::Field obj;
            obj.name = word(o + e) + QStringLiteral("Details") + QString::number(o);
            obj.type = sb::model::FieldType::Object;
            for (int c = 0; c < 7; ++c) {
                sb::model::Field child;
                child.name = word(c * 3 + o) + QString::number(c);
                obj.fields << child;
            }
            en.fields << obj;
        }
        s.entities << en;
    }
    return s;
}

int countFields(const QVector<sb::model::Field> &fields)
{
    int n = 0;
    for (const auto &f : fields)
        n += 1 + countFields(f.fields);
    return n;
}

struct SchemaFigures
{
    int fields = 0;
    double openShowMs = 0;
    double selectMs = 0;        // select the system until the inspector has drawn
    double keyMedianMs = 0;     // a keystroke in the entity filter until the next frame
    double keyMaxMs = 0;
    double scrollMedianMs = 0;  // scrolling the entity list, one step per frame
};

void typeKey(QQuickWindow *window, int key, const QString &text)
{
    QKeyEvent press(QEvent::KeyPress, key, Qt::NoModifier, text);
    QCoreApplication::sendEvent(window, &press);
    QKeyEvent release(QEvent::KeyRelease, key, Qt::NoModifier, text);
    QCoreApplication::sendEvent(window, &release);
}

// Opens `file`, selects `systemId` on the landscape and measures its inspector: typing a
// word into the entity filter and erasing it (each keystroke to the next frame), then
// scrolling the unfiltered list.
bool measureSchema(const QString &file, const QString &systemId, SchemaFigures *out)
{
    QElapsedTimer timer;
    timer.start();
    auto *engine = new QQmlApplicationEngine;
    if (!studio::loadStudio(*engine, file))
        return false;
    QQuickWindow *window = studio::mainWindow(*engine);
    StudioController *ctl = studio::controller(*engine);
    if (!window || !ctl || !ctl->hasProject())
        return false;
    const sb::model::System *system = ctl->document()->project().system(systemId);
    if (!system)
        return false;
    for (const auto &e : system->entities)
        out->fields += countFields(e.fields);
    window->resize(1440, 900);
    window->show();
    if (!nextFrame(window))
        return false;
    out->openShowMs = double(timer.nsecsElapsed()) / 1e6;

    timer.restart();
    ctl->select(QStringLiteral("system:") + systemId);
    if (!nextFrame(window))
        return false;
    out->selectMs = double(timer.nsecsElapsed()) / 1e6;
    auto *filter = findVisible(window->contentItem(), QStringLiteral("schemaFilter"));
    auto *list = findVisible(window->contentItem(), QStringLiteral("schemaList"));
    if (!filter || !list) {
        std::fprintf(stderr, "bench_studio: no entity filter in the inspector\n");
        return false;
    }
    filter->forceActiveFocus();
    nextFrame(window);
    std::vector<double> keys;
    const QString word = QStringLiteral("address");
    for (const QChar c : word) {
        QElapsedTimer key;
        key.start();
        typeKey(window, Qt::Key_A + (c.toLatin1() - 'a'), QString(c));
        if (!nextFrame(window))
            return false;
        keys.push_back(double(key.nsecsElapsed()) / 1e6);
    }
    for (int i = 0; i < int(word.size()); ++i) {
        QElapsedTimer key;
        key.start();
        typeKey(window, Qt::Key_Backspace, QString());
        if (!nextFrame(window))
            return false;
        keys.push_back(double(key.nsecsElapsed()) / 1e6);
    }
    if (!filter->property("text").toString().isEmpty()) {
        std::fprintf(stderr, "bench_studio: the filter did not take the keystrokes\n");
        return false;
    }
    out->keyMedianMs = percentile(keys, 0.5);
    out->keyMaxMs = *std::max_element(keys.begin(), keys.end());

    std::vector<double> scroll;
    for (int i = 0; i < 120; ++i) {
        QElapsedTimer frame;
        frame.start();
        list->setProperty("contentY", list->property("contentY").toReal() + 48);
        if (!nextFrame(window))
            return false;
        scroll.push_back(double(frame.nsecsElapsed()) / 1e6);
    }
    out->scrollMedianMs = percentile(scroll, 0.5);
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
    // --measure-schema FILE SYSTEM: the inspector of one system, figures on one line.
    if (app.arguments().size() == 4
        && app.arguments().at(1) == QLatin1String("--measure-schema")) {
        SchemaFigures f;
        if (!measureSchema(app.arguments().at(2), app.arguments().at(3), &f))
            return 1;
        std::printf("SCHEMA %d %.3f %.3f %.3f %.3f %.3f\n", f.fields, f.openShowMs, f.selectMs,
                    f.keyMedianMs, f.keyMaxMs, f.scrollMedianMs);
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
    // --schema-only: only the large-schema inspector figures below.
    const bool schemaOnly = args.contains(QStringLiteral("--schema-only"));
    Figures a, b;
    if (!schemaOnly
        && (!measureIn(small, count(q2c), &a) || !measureIn(large, count(generated), &b))) {
        std::fprintf(stderr, "bench_studio: the studio did not open or render\n");
        return 1;
    }
    auto row = [](const char *name, double x, double y) {
        std::printf("%-40s %12.2f %12.2f %7.1fx\n", name, x, y, x > 0 ? y / x : 0.0);
    };
    if (!schemaOnly) {
        std::printf("bench_studio (platform %s, %d cores)\n",
                    qPrintable(QGuiApplication::platformName()), QThread::idealThreadCount());
        std::printf("%-40s %12s %12s %8s\n", "measure", "Q2C", "generated", "ratio");
        std::printf("%-40s %12d %12d %7.1fx\n", "systems + workflow steps", a.elements,
                    b.elements, double(b.elements) / a.elements);
        row("open and show the canvas (ms)", a.openShowMs, b.openShowMs);
        row("pan/zoom frame, median (ms)", a.frameMedianMs, b.frameMedianMs);
        row("pan/zoom frame, 95th pct (ms)", a.frameP95Ms, b.frameP95Ms);
        row("pan frame at 100 %, median (ms)", a.closeFrameMedianMs, b.closeFrameMedianMs);
        row("move a system to findings (ms)", a.editToFindingsMs, b.editToFindingsMs);
        row("type in a mapping rule to findings (ms)", a.ruleEditToFindingsMs,
            b.ruleEditToFindingsMs);
        row("memory after open (MiB)", a.memoryKiB / 1024.0, b.memoryKiB / 1024.0);
    }

    // A system with a large imported API: the example plus one system of 150 entities and
    // about 80,000 fields, against the example's largest system.
    sb::model::Project withSchema = q2c;
    withSchema.systems << largeSchemaSystem(150, 80000);
    const QString schemaFile = dir.filePath(QStringLiteral("large-schema.switchboard"));
    if (!sb::model::saveProject(withSchema, schemaFile).ok())
        return 1;
    QString smallSystem;
    int most = -1;
    for (const auto &sys : q2c.systems) {
        int n = 0;
        for (const auto &e : sys.entities)
            n += countFields(e.fields);
        if (n > most) {
            most = n;
            smallSystem = sys.id;
        }
    }
    auto measureSchemaIn = [&](const QString &file, const QString &system, SchemaFigures *out) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("--measure-schema"), file, system});
        if (!child.waitForFinished(600000) || child.exitCode() != 0)
            return false;
        const QList<QByteArray> v = child.readAllStandardOutput().trimmed().split(' ');
        if (v.size() != 7 || v[0] != "SCHEMA")
            return false;
        out->fields = v[1].toInt();
        out->openShowMs = v[2].toDouble();
        out->selectMs = v[3].toDouble();
        out->keyMedianMs = v[4].toDouble();
        out->keyMaxMs = v[5].toDouble();
        out->scrollMedianMs = v[6].toDouble();
        return true;
    };
    SchemaFigures sa, sb2;
    if (!measureSchemaIn(small, smallSystem, &sa)
        || !measureSchemaIn(schemaFile, QStringLiteral("bigapi"), &sb2)) {
        std::fprintf(stderr, "bench_studio: the large-schema measurement failed\n");
        return 1;
    }
    std::printf("\n%-40s %12s %12s %8s\n", "inspector of one system", "Q2C", "150 ent.",
                "ratio");
    std::printf("%-40s %12d %12d %7.1fx\n", "fields of the system", sa.fields, sb2.fields,
                double(sb2.fields) / std::max(1, sa.fields));
    row("open the project and show (ms)", sa.openShowMs, sb2.openShowMs);
    row("select the system, inspector drawn (ms)", sa.selectMs, sb2.selectMs);
    row("filter keystroke to frame, median (ms)", sa.keyMedianMs, sb2.keyMedianMs);
    row("filter keystroke to frame, max (ms)", sa.keyMaxMs, sb2.keyMaxMs);
    row("scroll the entity list, frame median (ms)", sa.scrollMedianMs, sb2.scrollMedianMs);
    return 0;
}
