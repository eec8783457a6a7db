// bench_project: the cost of opening, validating and editing a project, on the 20-element
// Quote-to-Cash example and on a generated project of 2,000 systems and steps with 10,000
// field mappings. Prints each figure for both and the ratio large/small: the aim is cost
// that barely grows with the project.
#include "largeproject.h"

#include "model/document.h"
#include "model/projectjson.h"
#include "model/validator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace sb;

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

// Median of `runs` timings of `work`, in milliseconds.
double medianMs(int runs, const std::function<void()> &work)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        work();
        times.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

struct Figures
{
    QString label;
    int elements = 0;
    qint64 bytes = 0;
    double openMs = 0;
    double validateMs = 0;
    double editRevalidateMs = 0;
    double saveMs = 0;
    long memoryKiB = 0;
};

Figures measure(const QString &label, const QString &file, int runs)
{
    Figures f;
    f.label = label;
    f.bytes = QFileInfo(file).size();
    const long before = residentKiB();
    model::Document doc;
    f.openMs = medianMs(runs, [&] {
        if (!doc.load(file))
            qFatal("bench_project: cannot open %s", qPrintable(file));
    });
    f.memoryKiB = std::max(0L, residentKiB() - before);
    const model::Project &p = doc.project();
    f.elements = int(p.systems.size());
    for (const model::Workflow &w : p.workflows)
        f.elements += int(w.steps.size());
    f.validateMs = medianMs(runs, [&] { model::validateProject(p); });
    // One edit as the studio makes it (move a system), then the problems panel refresh.
    int step = 0;
    const QString id = p.systems.first().id;
    f.editRevalidateMs = medianMs(runs, [&] {
        ++step;
        doc.moveSystem(id, QPointF(step, step));
        model::validateProject(doc.project());
    });
    QTemporaryDir dir;
    f.saveMs = medianMs(runs, [&] {
        if (!doc.saveAs(dir.filePath(QStringLiteral("p.switchboard"))))
            qFatal("bench_project: cannot save into %s", qPrintable(dir.path()));
    });
    return f;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QString example = argc > 1 ? QString::fromLocal8Bit(argv[1])
                                     : QStringLiteral(SWITCHBOARD_SOURCE_DIR
                                                      "/templates/quote-to-cash/"
                                                      "quote-to-cash.switchboard");
    QTemporaryDir dir;
    const QString large = dir.filePath(QStringLiteral("large.switchboard"));
    const model::Project generated = bench::generateProject({1000, 1000, 10000});
    if (!model::saveProject(generated, large).ok()) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(large));
        return 2;
    }
    int rules = 0;
    for (const model::Mapping &m : generated.mappings)
        rules += int(m.rules.size());

    const Figures small = measure(QStringLiteral("Quote-to-Cash"), example, 15);
    const Figures big = measure(QStringLiteral("generated"), large, 5);

    std::printf("project sizes: %s %d systems+steps, %.0f KiB; %s %d systems+steps, "
                "%d mapping rules, %.0f KiB\n\n",
                qPrintable(small.label), small.elements, small.bytes / 1024.0,
                qPrintable(big.label), big.elements, rules, big.bytes / 1024.0);
    std::printf("%-26s %14s %14s %10s\n", "measure (median)", "Quote-to-Cash", "generated",
                "ratio");
    auto row = [](const char *name, double a, double b, const char *unit) {
        std::printf("%-26s %11.2f %s %11.2f %s %9.1fx\n", name, a, unit, b, unit,
                    a > 0 ? b / a : 0.0);
    };
    row("open (parse + load)", small.openMs, big.openMs, "ms");
    row("validate", small.validateMs, big.validateMs, "ms");
    row("edit + revalidate", small.editRevalidateMs, big.editRevalidateMs, "ms");
    row("save (atomic)", small.saveMs, big.saveMs, "ms");
    row("memory after open", small.memoryKiB / 1024.0, big.memoryKiB / 1024.0, "MB");
    std::printf("\nper element: open %.1f us vs %.1f us\n",
                1000.0 * small.openMs / std::max(1, small.elements),
                1000.0 * big.openMs / std::max(1, big.elements));
    return 0;
}
