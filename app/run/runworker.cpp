#include "app/run/runworker.h"

#include <QElapsedTimer>
#include <QVariantList>

using namespace sb::runtime;
using ojson = nlohmann::ordered_json;

namespace {

QStringList toList(const QStringList &l, int max = 200) { return l.mid(0, max); }

QVariant jsonToVariant(const ojson &j)
{
    if (j.is_string())
        return QString::fromStdString(j.get<std::string>());
    if (j.is_number_integer())
        return qint64(j.get<qint64>());
    if (j.is_number())
        return j.get<double>();
    if (j.is_boolean())
        return j.get<bool>();
    if (j.is_null())
        return QVariant();
    return QString::fromStdString(j.dump());
}

std::optional<ojson> parsePayload(const QByteArray &payload, QString *error)
{
    if (payload.trimmed().isEmpty())
        return std::nullopt;
    ojson j = ojson::parse(payload.constData(), payload.constData() + payload.size(), nullptr,
                           false);
    if (!j.is_object()) {
        *error = QStringLiteral("the edited payload must be a JSON object");
        return ojson(nullptr);
    }
    return j;
}

} // namespace

RunWorker::RunWorker(std::shared_ptr<RunShared> shared) : m_shared(std::move(shared)) {}

RunWorker::~RunWorker() = default;

void RunWorker::applyFaults()
{
    if (!m_sim)
        return;
    const int v = m_shared->faultVersion.load();
    if (v == m_faultVersion)
        return;
    m_faultVersion = v;
    std::lock_guard<std::mutex> lock(m_shared->mutex);
    // Reset everything, then apply the drill: "" means every system.
    auto apply = [this](const QString &system, const FaultConfig &faults) {
        const auto r = m_sim->sandbox().setFaults(system, faults);
        if (!r.ok()) // a drill the sandbox refuses leaves that system as it was
            qWarning("fault drill on %s: %s", qPrintable(system),
                     qPrintable(r.error().toString()));
    };
    for (const sb::model::System &s : m_project.systems)
        apply(s.id, FaultConfig{});
    for (const auto &f : m_shared->faults) {
        for (const sb::model::System &s : m_project.systems) {
            if (f.first.isEmpty() || f.first == s.id)
                apply(s.id, f.second);
        }
    }
}

void RunWorker::run(const RunRequest &req)
{
    m_sim.reset();
    m_started.clear();
    m_project = req.project;
    m_workflowId = req.workflowId;
    m_faultVersion = -1;
    auto wf = simulationWorkflow(m_project, req.workflowId);
    if (!wf.ok()) {
        emit finished({}, wf.error().message);
        return;
    }
    auto records = readRecords(req.datasetFile);
    if (!records.ok()) {
        emit finished({}, records.error().toString());
        return;
    }
    if (req.limit >= 0 && records.value().size() > req.limit)
        records.value().resize(req.limit);
    SimulationOptions so;
    so.dbFile = req.dbFile;
    so.overHttp = req.overHttp;
    so.liveProfile = req.liveProfile;
    auto sim = Simulation::create(m_project, req.projectDir, so);
    if (!sim.ok()) {
        emit finished({}, sim.error().toString());
        return;
    }
    m_sim = sim.takeValue();
    const int total = records.value().size();
    emit started(req.dbFile, total);

    QElapsedTimer wall, tick;
    wall.start();
    tick.start();
    int done = 0;
    int instances = 0;
    for (; done < total; ++done) {
        if (m_shared->cancel || m_shared->abort)
            break;
        applyFaults();
        m_started.append(m_sim->feed(*wf.value(), records.value()[done], done));
        const sb::runtime::StartedRecord &last = m_started.constLast();
        if (!last.instanceId.isEmpty() && !last.duplicate && !last.filtered)
            ++instances;  // counted as summarize() counts them
        if (tick.elapsed() >= 100) {
            tick.restart();
            // Instances per second, as switchboard-run simulate reports it: records the
            // trigger filter lets pass by start nothing.
            const double tp = instances * 1000.0 / std::max<qint64>(1, wall.elapsed());
            emit progress(done + 1, total, tp, m_sim->engine().counters().retries,
                          m_sim->engine().counters().deadLetters);
        }
    }
    if (m_shared->abort)
        return;
    applyFaults();
    m_sim->drain(false, [this]() { return m_shared->abort.load(); });
    m_elapsedMs = std::max<qint64>(1, wall.elapsed());
    m_throughput = instances * 1000.0 / m_elapsedMs;
    emit progress(done, total, m_throughput, m_sim->engine().counters().retries,
                  m_sim->engine().counters().deadLetters);
    QVariantMap s = summary(m_elapsedMs);
    if (done < total)
        s.insert(QStringLiteral("cancelledAt"), done);
    emit finished(s, QString());
}

void RunWorker::open(const sb::model::Project &project, const QString &projectDir,
                     const QString &workflowId, const QString &dbFile)
{
    m_sim.reset();
    m_started.clear();
    m_project = project;
    m_workflowId = workflowId;
    SimulationOptions so;
    so.dbFile = dbFile;
    auto sim = Simulation::create(m_project, projectDir, so);
    if (!sim.ok()) {
        emit actionDone(false, sim.error().toString(), {});
        return;
    }
    m_sim = sim.takeValue();
    // The records of a past run, from its instances (the correlation id is the record key).
    const auto all = m_sim->store().instances();
    if (all.ok()) {
        for (const InstanceRecord &r : all.value()) {
            if (r.workflowId == workflowId)
                m_started.append({r.correlationId, r.id, false});
        }
    }
    emit actionDone(true, QString(), summary(m_elapsedMs)); // the controller says what opened
}

void RunWorker::decide(qint64 taskId, bool approve, const QString &note,
                       const QByteArray &payload)
{
    if (!m_sim) {
        emit actionDone(false, QStringLiteral("no run is open"), {});
        return;
    }
    QString error;
    const auto p = parsePayload(payload, &error);
    if (!error.isEmpty()) {
        emit actionDone(false, error, {});
        return;
    }
    auto r = m_sim->engine().decideTask(taskId, approve, QStringLiteral("studio"), note, p);
    if (!r.ok()) {
        emit actionDone(false, r.error().message, {});
        return;
    }
    applyFaults();
    m_sim->drain(false, [this]() { return m_shared->abort.load(); });
    emit actionDone(true,
                    approve ? QStringLiteral("Task %1 approved").arg(taskId)
                            : QStringLiteral("Task %1 rejected").arg(taskId),
                    summary(m_elapsedMs));
}

void RunWorker::replay(qint64 letterId, const sb::model::Project &project,
                       const QByteArray &payload)
{
    if (!m_sim) {
        emit actionDone(false, QStringLiteral("no run is open"), {});
        return;
    }
    QString error;
    const auto p = parsePayload(payload, &error);
    if (!error.isEmpty()) {
        emit actionDone(false, error, {});
        return;
    }
    // The studio's current project: a mapping fixed since the run is what replays.
    m_project = project;
    m_sim->engine().setProject(project);
    auto r = m_sim->engine().replay(letterId, p);
    if (!r.ok()) {
        emit actionDone(false, r.error().message, {});
        return;
    }
    applyFaults();
    m_sim->drain(false, [this]() { return m_shared->abort.load(); });
    const auto rec = m_sim->store().instance(r.value());
    const QString status = rec.ok() ? toString(rec.value().status) : QString();
    emit actionDone(true, QStringLiteral("Dead letter %1 replayed: %2").arg(letterId).arg(status),
                    summary(m_elapsedMs));
}

void RunWorker::close() { m_sim.reset(); }

QVariantMap RunWorker::summary(qint64 elapsedMs) const
{
    QVariantMap out;
    if (!m_sim)
        return out;
    auto wf = simulationWorkflow(m_project, m_workflowId);
    if (!wf.ok())
        return out;
    const SimulationSummary s = m_sim->summarize(*wf.value(), m_started);
    out.insert(QStringLiteral("records"), s.records);
    out.insert(QStringLiteral("instances"), s.instances);
    out.insert(QStringLiteral("completed"), s.completed);
    out.insert(QStringLiteral("deadLetters"), s.deadLettered + s.compensated);
    out.insert(QStringLiteral("compensated"), s.compensated);
    out.insert(QStringLiteral("failed"), s.failed);
    out.insert(QStringLiteral("waiting"), s.waiting);
    out.insert(QStringLiteral("exceptions"), s.openTasks);
    out.insert(QStringLiteral("rejected"), s.rejected);
    out.insert(QStringLiteral("filtered"), s.filtered);
    out.insert(QStringLiteral("businessErrors"), s.businessErrors());
    out.insert(QStringLiteral("transientErrors"), s.transientErrors());
    out.insert(QStringLiteral("throughput"), m_throughput);
    out.insert(QStringLiteral("elapsedMs"), elapsedMs);
    out.insert(QStringLiteral("steps"), m_sim->engine().counters().steps);
    out.insert(QStringLiteral("retries"), m_sim->engine().counters().retries);
    QVariantMap cats;
    for (auto it = s.byCategory.cbegin(); it != s.byCategory.cend(); ++it)
        cats.insert(it.key(), it.value());
    out.insert(QStringLiteral("byCategory"), cats);
    QVariantList slas;
    for (int i = 0; i < s.slaReports.size(); ++i) {
        const auto &sla = s.slas[i];
        const auto &r = s.slaReports[i];
        QVariantList durations;
        // Enough points for the chart; every n-th of a large run.
        const int step = std::max(1, int(r.durationsMs.size()) / 2000);
        for (int k = 0; k < r.durationsMs.size(); k += step)
            durations.append(r.durationsMs[k]);
        slas.append(QVariantMap{{QStringLiteral("id"), sla.id},
                                {QStringLiteral("name"), sla.name},
                                {QStringLiteral("targetMinutes"), sla.targetMinutes},
                                {QStringLiteral("targetPercent"), sla.targetPercent},
                                {QStringLiteral("measured"), r.measured},
                                {QStringLiteral("met"), r.met},
                                {QStringLiteral("pending"), r.pending},
                                {QStringLiteral("metPercent"), r.metPercent()},
                                {QStringLiteral("ok"), r.ok()},
                                {QStringLiteral("durations"), durations}});
        if (i == 0)
            out.insert(QStringLiteral("slaMetPercent"), r.metPercent());
    }
    out.insert(QStringLiteral("slas"), slas);
    QVariantList recs;
    for (int i = 0; i < s.reconciliations.size(); ++i) {
        const ReconciliationReport &r = s.reconciliations[i];
        const sb::model::Reconciliation *spec =
            i < m_project.reconciliations.size() ? &m_project.reconciliations[i] : nullptr;
        QVariantList mismatches;
        for (const auto &m : r.mismatches) {
            QVariantMap row;
            for (auto it = m.begin(); it != m.end(); ++it)
                row.insert(QString::fromStdString(it.key()), jsonToVariant(it.value()));
            mismatches.append(row);
            if (mismatches.size() >= 200)
                break;
        }
        recs.append(QVariantMap{
            {QStringLiteral("id"), r.id},
            {QStringLiteral("name"), spec ? spec->name : r.id},
            {QStringLiteral("leftName"), spec ? spec->left.display() : QString()},
            {QStringLiteral("rightName"), spec ? spec->right.display() : QString()},
            {QStringLiteral("left"), r.left}, {QStringLiteral("right"), r.right},
            {QStringLiteral("matched"), r.matched},
            {QStringLiteral("leftOnly"), toList(r.leftOnly)},
            {QStringLiteral("rightOnly"), toList(r.rightOnly)},
            {QStringLiteral("duplicatesLeft"), toList(r.duplicatesLeft)},
            {QStringLiteral("duplicatesRight"), toList(r.duplicatesRight)},
            {QStringLiteral("outOfSequence"), toList(r.outOfSequence)},
            {QStringLiteral("mismatchCount"), int(r.mismatches.size())},
            {QStringLiteral("leftOnlyCount"), int(r.leftOnly.size())},
            {QStringLiteral("rightOnlyCount"), int(r.rightOnly.size())},
            {QStringLiteral("duplicateCount"),
             int(r.duplicatesLeft.size() + r.duplicatesRight.size())},
            {QStringLiteral("mismatches"), mismatches}});
    }
    out.insert(QStringLiteral("reconciliations"), recs);
    return out;
}
