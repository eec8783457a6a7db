// switchboard-run simulate: a data set through the in-process sandbox, one durable
// instance per record, in virtual time (backoffs and wait timeouts do not really sleep).
#include "runtime/cli/commands.h"
#include "runtime/cli/commandline.h"

#include "model/projectjson.h"
#include "runtime/bundle/bundle.h"
#include "runtime/engine/analysis.h"
#include "runtime/engine/connector.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/simulation.h"
#include "runtime/sandbox/sandbox.h"
#include "runtime/store/store.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QTemporaryDir>

#include <cstdio>
#include <unistd.h>

namespace sb::cli {

using ojson = nlohmann::ordered_json;
using namespace sb::runtime;

namespace {

// A project or a bundle (recognised by its "format"); `bundleProfile` gets a bundle's
// profile.
Result<model::Project> loadAny(const QString &file, QString *bundleProfile)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read: %1").arg(f.errorString()), file};
    const QByteArray head = f.read(4096);
    if (head.contains(kBundleFormat)) {
        auto b = loadBundle(file);
        if (!b.ok())
            return b.error();
        *bundleProfile = b.value().profile;
        return b.value().project;
    }
    return model::loadProject(file);
}

// The endpoint profile to run: --profile, checked against a bundle's own.
Result<QString> runProfile(const QString &asked, bool given, const QString &bundleProfile)
{
    const QString sandbox = QStringLiteral("sandbox");
    if (bundleProfile.isEmpty())
        return given ? asked : sandbox;
    if (!given && bundleProfile != sandbox)
        return Error{QStringLiteral("the bundle was exported for profile '%1': pass --profile %1 "
                                    "to run it against those endpoints")
                         .arg(bundleProfile)};
    if (given && asked != bundleProfile)
        return Error{QStringLiteral("the bundle holds only profile '%1', not '%2'")
                         .arg(bundleProfile, asked)};
    return bundleProfile;
}

} // namespace

namespace {

// The summary on stdout: outcomes, exceptions by category, SLAs, throughput.
void printSummary(const model::Workflow &wf, const QString &dataFile, int total,
                  const SimulationSummary &sum, Simulation &sim, qint64 elapsedMs)
{
    const int instances = sum.instances;
    const int completed = sum.completed;
    const int dead = sum.deadLettered;
    const int compensated = sum.compensated;
    const int failed = sum.failed;
    const int waiting = sum.waiting;
    const int rejected = sum.rejected;
    const int business = sum.businessErrors();
    const QMap<QString, int> &byCategory = sum.byCategory;
    const double throughput = instances * 1000.0 / elapsedMs;
    QStringList slaLines;
    for (int i = 0; i < sum.slaReports.size(); ++i) {
        const model::Sla &sla = sum.slas[i];
        const SlaReport &r = sum.slaReports[i];
        // No instance reached both milestones: a percentage would claim what was not seen.
        if (r.measured == 0)
            slaLines << QStringLiteral("  SLA %1: nothing measured (no instance reached '%2' "
                                       "from '%3'; target %4% within %5 min)")
                            .arg(sla.id, sla.toMilestone, sla.fromMilestone)
                            .arg(sla.targetPercent).arg(sla.targetMinutes);
        else
            slaLines << QStringLiteral("  SLA %1: %2% met (%3 of %4 within %5 min; target %6%)")
                            .arg(sla.id).arg(r.metPercent(), 0, 'f', 1).arg(r.met)
                            .arg(r.measured).arg(sla.targetMinutes).arg(sla.targetPercent);
    }

    std::printf("Simulated %s with %s: %d records, %d instances\n", qPrintable(wf.id),
                qPrintable(QFileInfo(dataFile).fileName()), total, instances);
    std::printf("  completed      %d\n  dead letters   %d\n  compensated    %d\n"
                "  failed         %d\n  waiting        %d\n",
                completed, dead, compensated, failed, waiting);
    std::printf("  exceptions     %d business (validation %d, business %d, mapping %d, "
                "rejected %d), %d transient/timeout\n",
                business, byCategory.value(QStringLiteral("validation")),
                byCategory.value(QStringLiteral("business")),
                byCategory.value(QStringLiteral("mapping")),
                byCategory.value(QStringLiteral("rejected")),
                byCategory.value(QStringLiteral("transient"))
                    + byCategory.value(QStringLiteral("timeout")));
    if (rejected)
        std::printf("  rejected       %d (could not start)\n", rejected);
    if (sum.filtered)
        std::printf("  filtered       %d (the trigger's filter let them pass by)\n",
                    sum.filtered);
    for (const QString &l : slaLines)
        std::printf("%s\n", qPrintable(l));
    std::printf("  throughput     %.1f instances/s (%lld steps, %lld retries, journal on, "
                "%lld ms)\n",
                throughput, sim.engine().counters().steps, sim.engine().counters().retries,
                elapsedMs);
}

// Recorded or replayed traffic: how much, and every call a replay could not answer (the
// run then fails even when the engine turned those into dead letters).
bool reportTraffic(Simulation &sim)
{
    if (RecordingConnector *rec = sim.recorder()) {
        const auto status = rec->status();
        if (!status.ok()) {
            std::fprintf(stderr, "switchboard-run simulate: %s\n",
                         qPrintable(status.error().toString()));
            return false;
        }
        std::printf("  recorded       %d exchanges\n", rec->recorded());
    }
    if (ReplayConnector *replay = sim.replayer()) {
        const QStringList &misses = replay->unmatched();
        std::printf("  replayed       from %d recorded exchanges, %d calls unmatched\n",
                    replay->exchanges(), int(misses.size()));
        constexpr int kShown = 20;
        for (int i = 0; i < misses.size() && i < kShown; ++i)
            std::fprintf(stderr, "switchboard-run simulate: %s\n", qPrintable(misses[i]));
        if (misses.size() > kShown)
            std::fprintf(stderr, "switchboard-run simulate: ... and %d more unmatched calls\n",
                         int(misses.size()) - kShown);
        return misses.isEmpty();
    }
    return true;
}

} // namespace

// switchboard-run simulate PROJECT|BUNDLE [--workflow ID] [--dataset NAME|FILE]
//                          [--report FILE] [--db FILE] [--limit N] [--approve-all]
//                          [--profile NAME] [--record FILE | --replay FILE]
int runSimulate(const QStringList &args)
{
    CommandLine cl("simulate",
                   "usage: switchboard-run simulate PROJECT|BUNDLE [--workflow ID] "
                   "[--dataset NAME|FILE]\n"
                   "         [--report FILE] [--db FILE] [--limit N] [--approve-all] "
                   "[--profile NAME]\n"
                   "         [--record FILE | --replay FILE]\n"
                   "  --workflow ID        the workflow (default: the first with a webhook)\n"
                   "  --dataset NAME|FILE  a data set of the project, or a file\n"
                   "  --report FILE        write the outcome per record as JSON\n"
                   "  --db FILE            keep the journal in FILE (default: a temporary one)\n"
                   "  --limit N            feed only the first N records\n"
                   "  --approve-all        approve every open approval task\n"
                   "  --profile NAME       call the systems that have this endpoint profile\n"
                   "                       at its live URLs; the others stay on the sandbox\n"
                   "  --record FILE        write every request and response (secrets\n"
                   "                       redacted) to FILE, one JSON line each\n"
                   "  --replay FILE        answer every call from such a recording; no\n"
                   "                       system is called (docs/recording.md)\n");
    cl.addFlag({QStringLiteral("approve-all")});
    for (const char *name :
         {"workflow", "dataset", "report", "db", "limit", "profile", "record", "replay"})
        cl.addOption({QString::fromLatin1(name)}, QStringLiteral("VALUE"));
    if (const auto stop = cl.parse(args, 1, 1))
        return *stop;
    const QString file = cl.positional().first();
    const QString workflowId = cl.value(QStringLiteral("workflow"));
    const QString datasetArg = cl.value(QStringLiteral("dataset"));
    const QString reportFile = cl.value(QStringLiteral("report"));
    QString dbFile = cl.value(QStringLiteral("db"));
    const int limit = cl.isSet(QStringLiteral("limit")) ? cl.value(QStringLiteral("limit")).toInt()
                                                        : -1;
    const bool approveAll = cl.isSet(QStringLiteral("approve-all"));
    const QString recordFile = cl.value(QStringLiteral("record"));
    const QString replayFile = cl.value(QStringLiteral("replay"));
    if (!recordFile.isEmpty() && !replayFile.isEmpty())
        return cl.usageError(QStringLiteral("--record and --replay exclude each other"));
    QString bundleProfile;
    auto loaded = loadAny(file, &bundleProfile);
    if (!loaded.ok()) {
        std::fprintf(stderr, "switchboard-run simulate: %s\n",
                     qPrintable(loaded.error().toString()));
        return BadInput;
    }
    const model::Project project = loaded.takeValue();
    auto profile = runProfile(cl.value(QStringLiteral("profile")),
                              cl.isSet(QStringLiteral("profile")), bundleProfile);
    if (!profile.ok()) {
        std::fprintf(stderr, "switchboard-run simulate: %s: %s\n", qPrintable(file),
                     qPrintable(profile.error().message));
        return BadInput;
    }
    const QString dir = QFileInfo(file).absolutePath();

    auto pickedWf = simulationWorkflow(project, workflowId);
    if (!pickedWf.ok()) {
        std::fprintf(stderr, "switchboard-run simulate: %s: %s\n", qPrintable(file),
                     qPrintable(pickedWf.error().message));
        return BadInput;
    }
    const model::Workflow *wf = pickedWf.value();
    auto picked = simulationDataset(project, *wf, datasetArg, dir);
    if (!picked.ok()) {
        std::fprintf(stderr, "switchboard-run simulate: %s: %s%s\n", qPrintable(file),
                     qPrintable(picked.error().message),
                     datasetArg.isEmpty() ? "; use --dataset" : "");
        return BadInput;
    }
    const QString dataFile = picked.value().file;
    const QString datasetName = picked.value().name;
    auto records = readRecords(dataFile);
    if (!records.ok()) {
        std::fprintf(stderr, "switchboard-run simulate: %s\n",
                     qPrintable(records.error().toString()));
        return BadInput;
    }
    if (limit >= 0 && records.value().size() > limit)
        records.value().resize(limit);

    QTemporaryDir tmp;
    if (dbFile.isEmpty())
        dbFile = tmp.filePath(QStringLiteral("simulate.db"));
    SimulationOptions so;
    so.dbFile = dbFile;
    so.recordFile = recordFile;
    so.replayFile = replayFile;
    if (profile.value() != QLatin1String("sandbox")) {
        so.liveProfile = profile.value();
        const QStringList fallbacks = sandboxFallbacks(project, so.liveProfile);
        std::printf("profile %s%s\n", qPrintable(so.liveProfile),
                    fallbacks.isEmpty()
                        ? ""
                        : qPrintable(QStringLiteral(" (on the sandbox, no such profile: %1)")
                                         .arg(fallbacks.join(QLatin1String(", ")))));
    }
    auto created = Simulation::create(project, dir, so);
    if (!created.ok()) {
        std::fprintf(stderr, "switchboard-run simulate: %s\n",
                     qPrintable(created.error().toString()));
        return BadInput;
    }
    Simulation &sim = *created.value();

    const bool tty = ::isatty(2);
    QElapsedTimer wall;
    wall.start();
    const int total = records.value().size();
    QVector<StartedRecord> started;
    for (int i = 0; i < total; ++i) {
        started.append(sim.feed(*wf, records.value()[i], i));
        if (tty || i + 1 == total || (i + 1) % 50 == 0) {
            std::fprintf(stderr, "%ssimulating %s: %d/%d records%s", tty ? "\r" : "",
                         qPrintable(wf->id), i + 1, total, tty ? "" : "\n");
            std::fflush(stderr);
        }
    }
    sim.drain(approveAll);
    if (tty)
        std::fputc('\n', stderr);
    const qint64 elapsedMs = std::max<qint64>(1, wall.elapsed());

    const SimulationSummary sum = sim.summarize(*wf, started);
    printSummary(*wf, dataFile, total, sum, sim, elapsedMs);
    if (!reportTraffic(sim))
        return WorkFailed;
    const double throughput = sum.instances * 1000.0 / elapsedMs;

    if (!reportFile.isEmpty()) {
        ojson report;
        report["workflow"] = wf->id.toStdString();
        report["dataset"] = datasetName.toStdString();
        report.update(sum.toJson());
        report["throughputPerSecond"] = throughput;
        report["elapsedMs"] = elapsedMs;
        report["steps"] = sim.engine().counters().steps;
        report["retries"] = sim.engine().counters().retries;
        report["results"] = sum.results;
        const std::string text = report.dump(2) + "\n";
        auto w = model::writeFileAtomically(reportFile, QByteArray::fromStdString(text));
        if (!w.ok()) {
            std::fprintf(stderr, "switchboard-run simulate: %s\n",
                         qPrintable(w.error().toString()));
            return BadInput;
        }
    }
    // Exit 1 when any instance failed for good (dead letter, compensation, failure).
    return sum.deadLettered + sum.compensated + sum.failed + sum.rejected > 0 ? WorkFailed
                                                                             : Success;
}

} // namespace sb::cli
