// switchboard-run simulate: a data set through the in-process sandbox, one durable
// instance per record, in virtual time (backoffs and wait timeouts do not really sleep).
#include "runtime/cli/commands.h"

#include "model/projectjson.h"
#include "runtime/bundle/bundle.h"
#include "runtime/engine/analysis.h"
#include "runtime/engine/connector.h"
#include "runtime/engine/engine.h"
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

// A project or a bundle (recognised by its "format").
Result<model::Project> loadAny(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read: %1").arg(f.errorString()), file};
    const QByteArray head = f.read(4096);
    if (head.contains(kBundleFormat)) {
        auto b = loadBundle(file);
        if (!b.ok())
            return b.error();
        return b.value().project;
    }
    return model::loadProject(file);
}

// JSONL or a JSON array of objects; errors name file and line.
Result<QVector<ojson>> readRecords(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read data set: %1").arg(f.errorString()), file};
    const QByteArray text = f.readAll();
    QVector<ojson> out;
    if (text.trimmed().startsWith('[')) {
        ojson j = ojson::parse(text.constData(), text.constData() + text.size(), nullptr, false);
        if (!j.is_array())
            return Error{QStringLiteral("not a JSON array of records"), file, 1, 1};
        for (auto &r : j)
            out.append(r);
        return out;
    }
    int line = 0;
    for (const QByteArray &l : text.split('\n')) {
        ++line;
        if (l.trimmed().isEmpty())
            continue;
        ojson j = ojson::parse(l.constData(), l.constData() + l.size(), nullptr, false);
        if (j.is_discarded() || !j.is_object())
            return Error{QStringLiteral("not a JSON object"), file, line, 1};
        out.append(j);
    }
    return out;
}

QVector<ojson> sandboxRecords(Sandbox &sandbox, const model::EntityRef &ref)
{
    SandboxRequest req;
    req.method = QStringLiteral("GET");
    req.path = QStringLiteral("/%1/%2").arg(ref.system, ref.entity);
    const SandboxResponse r = sandbox.handle(req);
    QVector<ojson> out;
    const ojson j = ojson::parse(r.body.constData(), r.body.constData() + r.body.size(), nullptr,
                                 false);
    if (j.is_array()) {
        for (const auto &x : j)
            out.append(x);
    }
    return out;
}

} // namespace

// switchboard-run simulate PROJECT|BUNDLE [--workflow ID] [--dataset NAME|FILE]
//                          [--report FILE] [--db FILE] [--limit N] [--approve-all]
int runSimulate(const QStringList &args)
{
    const char *usage = "usage: switchboard-run simulate PROJECT|BUNDLE [--workflow ID] "
                        "[--dataset NAME|FILE] [--report FILE] [--db FILE] [--limit N] "
                        "[--approve-all]\n";
    QString file, workflowId, datasetArg, reportFile, dbFile;
    int limit = -1;
    bool approveAll = false;
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("--approve-all")) {
            approveAll = true;
        } else if (a == QLatin1String("--workflow") || a == QLatin1String("--dataset")
                   || a == QLatin1String("--report") || a == QLatin1String("--db")
                   || a == QLatin1String("--limit")) {
            if (i + 1 >= args.size()) {
                std::fprintf(stderr, "switchboard-run simulate: %s needs a value\n%s",
                             qPrintable(a), usage);
                return BadInput;
            }
            const QString v = args[++i];
            if (a == QLatin1String("--workflow"))
                workflowId = v;
            else if (a == QLatin1String("--dataset"))
                datasetArg = v;
            else if (a == QLatin1String("--report"))
                reportFile = v;
            else if (a == QLatin1String("--db"))
                dbFile = v;
            else
                limit = v.toInt();
        } else if (a.startsWith(QLatin1Char('-')) || !file.isEmpty()) {
            std::fprintf(stderr, "switchboard-run simulate: unexpected '%s'\n%s", qPrintable(a),
                         usage);
            return BadInput;
        } else {
            file = a;
        }
    }
    if (file.isEmpty()) {
        std::fputs(usage, stderr);
        return BadInput;
    }
    auto loaded = loadAny(file);
    if (!loaded.ok()) {
        std::fprintf(stderr, "switchboard-run simulate: %s\n",
                     qPrintable(loaded.error().toString()));
        return BadInput;
    }
    const model::Project project = loaded.takeValue();
    const QString dir = QFileInfo(file).absolutePath();

    const model::Workflow *wf = nullptr;
    for (const model::Workflow &w : project.workflows) {
        if (workflowId.isEmpty() ? w.trigger.type == model::TriggerType::Webhook
                                 : w.id == workflowId) {
            wf = &w;
            break;
        }
    }
    if (!wf) {
        std::fprintf(stderr, "switchboard-run simulate: %s: %s\n", qPrintable(file),
                     workflowId.isEmpty() ? "no workflow with a webhook trigger; use --workflow"
                                          : qPrintable(QStringLiteral("no workflow '%1'")
                                                           .arg(workflowId)));
        return BadInput;
    }
    QString dataFile;
    QString datasetName;
    for (const model::Dataset &d : project.datasets) {
        const bool match = datasetArg.isEmpty()
                               ? d.system == wf->trigger.system && d.entity == wf->trigger.entity
                               : d.id == datasetArg || d.name == datasetArg;
        if (match) {
            dataFile = QFileInfo(dir + QLatin1Char('/') + d.file).absoluteFilePath();
            datasetName = d.id;
            break;
        }
    }
    if (dataFile.isEmpty() && !datasetArg.isEmpty() && QFileInfo::exists(datasetArg)) {
        dataFile = datasetArg;
        datasetName = datasetArg;
    }
    if (dataFile.isEmpty()) {
        std::fprintf(stderr, "switchboard-run simulate: %s: %s\n", qPrintable(file),
                     datasetArg.isEmpty()
                         ? qPrintable(QStringLiteral("no data set for %1.%2; use --dataset")
                                          .arg(wf->trigger.system, wf->trigger.entity))
                         : qPrintable(QStringLiteral("no data set or file '%1'").arg(datasetArg)));
        return BadInput;
    }
    auto records = readRecords(dataFile);
    if (!records.ok()) {
        std::fprintf(stderr, "switchboard-run simulate: %s\n",
                     qPrintable(records.error().toString()));
        return BadInput;
    }
    if (limit >= 0 && records.value().size() > limit)
        records.value().resize(limit);

    auto sandbox = Sandbox::create(project, dir);
    if (!sandbox.ok()) {
        std::fprintf(stderr, "switchboard-run simulate: %s\n",
                     qPrintable(sandbox.error().toString()));
        return BadInput;
    }
    QTemporaryDir tmp;
    if (dbFile.isEmpty())
        dbFile = tmp.filePath(QStringLiteral("simulate.db"));
    StoreOptions so;
    so.fullSync = false; // a simulation survives a process crash, not a power loss
    auto store = Store::open(dbFile, so);
    if (!store.ok()) {
        std::fprintf(stderr, "switchboard-run simulate: %s\n",
                     qPrintable(store.error().toString()));
        return BadInput;
    }
    ManualClock clock(QDateTime::currentDateTimeUtc());
    SandboxConnector connector(sandbox.value().get());
    EngineOptions eo;
    eo.clock = [&clock]() { return clock.now(); };
    eo.startEventTriggers = false; // one workflow at a time
    Engine engine(project, store.value().get(), &connector, eo);
    QObject::connect(sandbox.value().get(), &Sandbox::changed,
                     [&engine](const QByteArray &e) {
                         engine.queueEvent(ojson::parse(e.constData(), e.constData() + e.size(),
                                                        nullptr, false));
                     });

    const bool tty = ::isatty(2);
    QElapsedTimer wall;
    wall.start();
    const int total = records.value().size();
    QVector<QPair<QString, QString>> started; // record key, instance
    const std::string keyField = [&]() {
        const model::System *s = project.system(wf->trigger.system);
        const model::Entity *e = s ? s->entity(wf->trigger.entity) : nullptr;
        return e ? e->key.toStdString() : std::string("id");
    }();
    int rejected = 0;
    int filtered = 0;
    for (int i = 0; i < total; ++i) {
        const ojson &rec = records.value()[i];
        auto r = engine.start(wf->id, rec);
        const QString key = rec.contains(keyField) ? QString::fromStdString(
                                                         rec[keyField].is_string()
                                                             ? rec[keyField].get<std::string>()
                                                             : rec[keyField].dump())
                                                   : QString::number(i + 1);
        if (!r.ok()) {
            ++rejected;
            started.append({key, QString()});
            continue;
        }
        if (r.value().filtered)
            ++filtered;
        else if (!r.value().duplicate)
            started.append({key, r.value().instanceId});
        engine.runReady();
        engine.fireDueTimers();
        clock.advanceMs(1000); // records arrive a second apart in virtual time
        if (tty || i + 1 == total || (i + 1) % 50 == 0) {
            std::fprintf(stderr, "%ssimulating %s: %d/%d records%s", tty ? "\r" : "",
                         qPrintable(wf->id), i + 1, total, tty ? "" : "\n");
            std::fflush(stderr);
        }
    }
    if (approveAll) {
        engine.runUntilIdle(nullptr);
        const auto open = store.value()->tasks(TaskStatus::Open);
        for (const ApprovalTask &t : open.value())
            engine.decideTask(t.id, true, QStringLiteral("simulate"));
    }
    engine.runUntilIdle(&clock);
    if (tty)
        std::fputc('\n', stderr);
    const qint64 elapsedMs = std::max<qint64>(1, wall.elapsed());

    // Per-instance outcome and the reason of each failure.
    QMap<QString, int> byStatus;
    QMap<QString, int> byCategory;
    ojson results = ojson::array();
    QHash<QString, DeadLetter> letters;
    const auto allLetters = store.value()->deadLetters(true);
    for (const DeadLetter &d : allLetters.value())
        letters.insert(d.instanceId, d);
    for (const auto &s : started) {
        ojson item{{"record", s.first.toStdString()}};
        if (s.second.isEmpty()) {
            item["status"] = "rejected";
            results.push_back(item);
            continue;
        }
        const InstanceRecord in = store.value()->instance(s.second).value();
        const QString st = toString(in.status);
        byStatus[st] += 1;
        item["instance"] = s.second.toStdString();
        item["status"] = st.toStdString();
        if (letters.contains(s.second)) {
            const DeadLetter &d = letters[s.second];
            const ojson ctx = ojson::parse(d.context.toStdString(), nullptr, false);
            const QString cat = QString::fromStdString(ctx.value("category", std::string()));
            byCategory[cat] += 1;
            item["step"] = d.stepId.toStdString();
            item["category"] = cat.toStdString();
            item["reason"] = d.error.toStdString();
        } else if (in.status == InstanceStatus::Waiting) {
            item["step"] = in.currentStep.toStdString();
        }
        results.push_back(item);
    }
    const int instances = started.size() - rejected;
    const int completed = byStatus.value(QStringLiteral("completed"));
    const int dead = byStatus.value(QStringLiteral("dead-lettered"));
    const int compensated = byStatus.value(QStringLiteral("compensated"));
    const int failed = byStatus.value(QStringLiteral("failed"));
    const int waiting = byStatus.value(QStringLiteral("waiting"))
                        + byStatus.value(QStringLiteral("running"));
    const int business = byCategory.value(QStringLiteral("business"))
                         + byCategory.value(QStringLiteral("validation"))
                         + byCategory.value(QStringLiteral("mapping"))
                         + byCategory.value(QStringLiteral("rejected"));
    const double throughput = instances * 1000.0 / elapsedMs;

    ojson slas = ojson::array();
    QStringList slaLines;
    for (const model::Sla &sla : project.slas) {
        if (sla.workflow != wf->id)
            continue;
        auto m = measureSla(sla, *store.value());
        if (!m.ok())
            continue;
        const SlaReport &r = m.value();
        slas.push_back({{"id", sla.id.toStdString()}, {"name", sla.name.toStdString()},
                        {"targetMinutes", sla.targetMinutes},
                        {"targetPercent", sla.targetPercent}, {"measured", r.measured},
                        {"met", r.met}, {"pending", r.pending}, {"metPercent", r.metPercent()}});
        slaLines << QStringLiteral("  SLA %1: %2% met (%3 of %4 within %5 min; target %6%)")
                        .arg(sla.id).arg(r.metPercent(), 0, 'f', 1).arg(r.met).arg(r.measured)
                        .arg(sla.targetMinutes).arg(sla.targetPercent);
    }
    ojson recs = ojson::array();
    for (const model::Reconciliation &rc : project.reconciliations) {
        const ReconciliationReport rr = reconcile(rc, sandboxRecords(*sandbox.value(), rc.left),
                                                  sandboxRecords(*sandbox.value(), rc.right));
        recs.push_back(rr.toJson());
    }

    std::printf("Simulated %s with %s: %d records, %d instances\n", qPrintable(wf->id),
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
    if (filtered)
        std::printf("  filtered       %d (the trigger's filter let them pass by)\n", filtered);
    for (const QString &l : slaLines)
        std::printf("%s\n", qPrintable(l));
    std::printf("  throughput     %.1f instances/s (%lld steps, %lld retries, journal on, "
                "%lld ms)\n",
                throughput, engine.counters().steps, engine.counters().retries, elapsedMs);

    if (!reportFile.isEmpty()) {
        ojson report;
        report["workflow"] = wf->id.toStdString();
        report["dataset"] = datasetName.toStdString();
        report["records"] = total;
        report["instances"] = instances;
        report["completed"] = completed;
        report["deadLettered"] = dead;
        report["compensated"] = compensated;
        report["failed"] = failed;
        report["waiting"] = waiting;
        report["rejected"] = rejected;
        report["filtered"] = filtered;
        report["businessErrors"] = business;
        ojson cats = ojson::object();
        for (auto it = byCategory.cbegin(); it != byCategory.cend(); ++it)
            cats[it.key().toStdString()] = it.value();
        report["exceptionsByCategory"] = cats;
        report["sla"] = slas;
        report["reconciliations"] = recs;
        report["throughputPerSecond"] = throughput;
        report["elapsedMs"] = elapsedMs;
        report["steps"] = engine.counters().steps;
        report["retries"] = engine.counters().retries;
        report["results"] = results;
        const std::string text = report.dump(2) + "\n";
        auto w = model::writeFileAtomically(reportFile, QByteArray::fromStdString(text));
        if (!w.ok()) {
            std::fprintf(stderr, "switchboard-run simulate: %s\n",
                         qPrintable(w.error().toString()));
            return BadInput;
        }
    }
    // Exit 1 when any instance failed for good (dead letter, compensation, failure).
    return dead + compensated + failed + rejected > 0 ? WorkFailed : Success;
}

} // namespace sb::cli
