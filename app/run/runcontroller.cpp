#include "app/run/runcontroller.h"

#include "app/shell/keyringsecrets.h"

#include "model/document.h"
#include "runtime/engine/connector.h"
#include "runtime/engine/simulation.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QUrl>

using namespace sb;

namespace {

// The sandbox served on a loopback port: the HTTP connector's code path.
constexpr const char *kSandboxHttp = "sandbox-http";

QString localPath(const QString &pathOrUrl)
{
    const QUrl url(pathOrUrl);
    return url.isLocalFile() ? url.toLocalFile() : pathOrUrl;
}

} // namespace

RunController::RunController(QObject *parent)
    : QObject(parent), m_shared(std::make_shared<RunShared>()),
      m_instances(new InstancesModel(this)), m_trace(new TraceModel(this)),
      m_tasks(new TasksModel(this)), m_letters(new DeadLettersModel(this)),
      m_history(new RunHistoryModel(this))
{
    m_thread.setObjectName(QStringLiteral("run-worker"));
    // Live profiles' keyring: references resolve through the OS keyring.
    studio::keyring::installResolver();
    m_worker = new RunWorker(m_shared);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &RunWorker::started, this, &RunController::onStarted);
    connect(m_worker, &RunWorker::progress, this, &RunController::onProgress);
    connect(m_worker, &RunWorker::finished, this, &RunController::onFinished);
    connect(m_worker, &RunWorker::actionDone, this, &RunController::onActionDone);
    m_thread.start();
    connect(m_instances, &InstancesModel::countChanged, this,
            &RunController::updateSelectedInfo);
}

RunController::~RunController()
{
    m_shared->abort = true;
    m_shared->cancel = true;
    m_thread.quit();
    m_thread.wait();
}

QObject *RunController::document() const { return m_document.data(); }

void RunController::setDocument(QObject *document)
{
    auto *doc = qobject_cast<model::Document *>(document);
    if (doc == m_document)
        return;
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = doc;
    if (doc) {
        connect(doc, &model::Document::changed, this, [this](const model::Change &c) {
            if (!c.layoutOnly)
                projectChanged();
        });
        connect(doc, &model::Document::projectReset, this, [this]() {
            // Another project: its own runs.
            m_db.close();
            m_runId = 0;
            m_summary.clear();
            m_runWorkflow.clear();
            m_workflowId.clear();
            m_datasetId.clear();
            m_selected.clear();
            reloadResults();
            openHistory();
            projectChanged();
        });
        connect(doc, &model::Document::fileNameChanged, this, [this]() { openHistory(); });
    }
    emit documentChanged();
    openHistory();
    projectChanged();
}

void RunController::setProjectDir(const QString &dir)
{
    if (dir == m_projectDir)
        return;
    m_projectDir = dir;
    emit projectDirChanged();
}

const model::Project *RunController::project() const
{
    return m_document ? &m_document->project() : nullptr;
}

const model::Workflow *RunController::currentWorkflow() const
{
    const model::Project *p = project();
    if (!p)
        return nullptr;
    return p->workflow(m_runWorkflow.isEmpty() ? m_workflowId : m_runWorkflow);
}

QString RunController::projectKey() const
{
    if (!m_document)
        return QString();
    if (!m_document->fileName().isEmpty())
        return QFileInfo(m_document->fileName()).absoluteFilePath();
    return QStringLiteral("untitled:") + m_document->project().name;
}

void RunController::projectChanged()
{
    const model::Project *p = project();
    bool changed = false;
    if (p && (m_workflowId.isEmpty() || !p->workflow(m_workflowId))) {
        auto wf = runtime::simulationWorkflow(*p, QString());
        m_workflowId = wf.ok() ? wf.value()->id
                               : (p->workflows.isEmpty() ? QString() : p->workflows.first().id);
        m_datasetId.clear();
        changed = true;
    }
    if (p && m_datasetId.isEmpty()) {
        if (const model::Workflow *wf = p->workflow(m_workflowId)) {
            for (const model::Dataset &d : p->datasets) {
                if (d.system == wf->trigger.system && d.entity == wf->trigger.entity) {
                    m_datasetId = d.id;
                    changed = true;
                    break;
                }
            }
        }
    }
    emit optionsChanged();
    if (changed)
        emit selectionChanged();
}

QVariantList RunController::workflowOptions() const
{
    QVariantList out;
    if (const model::Project *p = project()) {
        for (const model::Workflow &w : p->workflows)
            out.append(QVariantMap{{QStringLiteral("id"), w.id},
                                   {QStringLiteral("name"), w.name.isEmpty() ? w.id : w.name}});
    }
    return out;
}

QVariantList RunController::datasetOptions() const
{
    QVariantList out;
    if (const model::Project *p = project()) {
        for (const model::Dataset &d : p->datasets)
            out.append(QVariantMap{{QStringLiteral("id"), d.id},
                                   {QStringLiteral("name"), d.name.isEmpty() ? d.id : d.name},
                                   {QStringLiteral("entity"), d.system + QLatin1Char('.')
                                                                  + d.entity}});
    }
    if (!m_importedFile.isEmpty())
        out.append(QVariantMap{{QStringLiteral("id"), m_importedFile},
                               {QStringLiteral("name"), QFileInfo(m_importedFile).fileName()
                                                            + tr(" (imported)")},
                               {QStringLiteral("entity"), QString()}});
    return out;
}

QVariantList RunController::profileOptions() const
{
    QVariantList out{QVariantMap{{QStringLiteral("id"), QStringLiteral("sandbox")},
                                 {QStringLiteral("name"), tr("Sandbox (in-process)")},
                                 {QStringLiteral("live"), false}},
                     QVariantMap{{QStringLiteral("id"), QString::fromLatin1(kSandboxHttp)},
                                 {QStringLiteral("name"), tr("Sandbox over HTTP (loopback)")},
                                 {QStringLiteral("live"), false}}};
    QStringList seen;
    if (const model::Project *p = project()) {
        for (const model::System &s : p->systems) {
            for (const model::EndpointProfile &e : s.profiles) {
                if (e.sandbox || seen.contains(e.name))
                    continue;
                seen << e.name;
                out.append(QVariantMap{{QStringLiteral("id"), e.name},
                                       {QStringLiteral("name"), e.name + tr(" (live)")},
                                       {QStringLiteral("live"), true}});
            }
        }
    }
    return out;
}

QVariantList RunController::systemOptions() const
{
    QVariantList out{QVariantMap{{QStringLiteral("id"), QString()},
                                 {QStringLiteral("name"), tr("All systems")}}};
    if (const model::Project *p = project()) {
        for (const model::System &s : p->systems)
            out.append(QVariantMap{{QStringLiteral("id"), s.id},
                                   {QStringLiteral("name"), s.name.isEmpty() ? s.id : s.name}});
    }
    return out;
}

void RunController::setWorkflowId(const QString &id)
{
    if (id == m_workflowId)
        return;
    m_workflowId = id;
    m_datasetId.clear();
    projectChanged();
    emit selectionChanged();
}

void RunController::setDatasetId(const QString &id)
{
    if (id == m_datasetId)
        return;
    m_datasetId = id;
    emit selectionChanged();
}

void RunController::setProfile(const QString &profile)
{
    if (profile == m_profile)
        return;
    m_profile = profile;
    m_connections.clear();
    emit connectionResultsChanged();
    emit selectionChanged();
}

bool RunController::profileIsLive() const
{
    return m_profile != QLatin1String("sandbox") && m_profile != QLatin1String(kSandboxHttp);
}

void RunController::setRecordLimit(int limit)
{
    if (limit == m_limit)
        return;
    m_limit = limit;
    emit selectionChanged();
}

void RunController::setStatus(const QString &status, const QString &error)
{
    m_status = status;
    m_error = error;
    emit statusChanged();
}

bool RunController::importDataset(const QString &pathOrUrl)
{
    const QString path = localPath(pathOrUrl);
    auto records = runtime::readRecords(path);
    if (!records.ok()) {
        setStatus(m_status, records.error().toString());
        return false;
    }
    m_importedFile = QFileInfo(path).absoluteFilePath();
    m_datasetId = m_importedFile;
    emit optionsChanged();
    emit selectionChanged();
    setStatus(tr("Imported %1: %2 records").arg(QFileInfo(path).fileName())
                  .arg(records.value().size()));
    return true;
}

void RunController::openHistory()
{
    const QString key = projectKey();
    if (key.isEmpty())
        return;
    const QString folder = RunHistory::folderFor(key);
    if (m_runs.folder() != folder || !m_runs.isOpen()) {
        QString error;
        if (!m_runs.open(folder, &error))
            setStatus(m_status, error);
    }
    refreshHistory();
}

void RunController::refreshHistory()
{
    m_history->setRuns(m_runs.isOpen() ? m_runs.runs() : QVector<RunRecord>(), m_runId);
}

bool RunController::run()
{
    const model::Project *p = project();
    if (busy() || !p)
        return false;
    if (profileIsLive()) {
        // Live: the profile's systems are called at their base URLs with their secrets;
        // keyring secrets are read here, on the GUI thread, for the worker to use.
        bool any = false;
        for (const model::System &s : p->systems) {
            for (const model::EndpointProfile &e : s.profiles)
                any = any || (e.name == m_profile && !e.sandbox);
        }
        if (!any) {
            setStatus(m_status, tr("No system has a live profile \u201c%1\u201d")
                                    .arg(m_profile));
            return false;
        }
        const QStringList missing = studio::keyring::prefetch(*p, m_profile);
        if (!missing.isEmpty()) {
            setStatus(m_status, tr("Secrets of profile \u201c%1\u201d cannot be read: %2")
                                    .arg(m_profile, missing.join(QStringLiteral("; "))));
            return false;
        }
    }
    auto wf = runtime::simulationWorkflow(*p, m_workflowId);
    if (m_workflowId.isEmpty() || !wf.ok()) {
        setStatus(m_status, tr("Choose a workflow to run"));
        return false;
    }
    if (m_projectDir.isEmpty() && !p->datasets.isEmpty() && m_datasetId != m_importedFile) {
        setStatus(m_status, tr("Save the project first: its data set files are relative to it"));
        return false;
    }
    auto ds = runtime::simulationDataset(*p, *wf.value(), m_datasetId, m_projectDir);
    if (!ds.ok()) {
        setStatus(m_status, ds.error().message);
        return false;
    }
    openHistory();
    if (!m_runs.isOpen())
        return false;
    RunRequest req;
    req.project = *p;
    req.projectDir = m_projectDir;
    req.workflowId = m_workflowId;
    req.datasetFile = ds.value().file;
    req.dbFile = m_runs.newRunFile();
    req.limit = m_limit;
    req.overHttp = m_profile == QLatin1String(kSandboxHttp);
    if (profileIsLive())
        req.liveProfile = m_profile;
    RunRecord rec;
    rec.started = QDateTime::currentDateTimeUtc();
    rec.workflow = m_workflowId;
    rec.dataset = ds.value().name == ds.value().file ? QFileInfo(ds.value().file).fileName()
                                                     : ds.value().name;
    rec.profile = m_profile;
    rec.dbFile = req.dbFile;
    m_runId = m_runs.add(rec);

    m_db.close();
    m_summary.clear();
    m_runWorkflow = m_workflowId;
    m_runTitle = tr("%1 over %2").arg(wf.value()->name.isEmpty() ? wf.value()->id
                                                                 : wf.value()->name,
                                      rec.dataset);
    m_selected.clear();
    reloadResults();
    refreshHistory();
    m_shared->cancel = false;
    m_running = true;
    m_done = 0;
    m_total = 0;
    m_throughput = 0;
    m_retries = 0;
    m_liveDead = 0;
    m_liveRefresh.invalidate();
    emit runningChanged();
    emit progressChanged();
    setStatus(tr("Starting\u2026"));
    RunWorker *w = m_worker;
    QMetaObject::invokeMethod(w, [w, req]() { w->run(req); }, Qt::QueuedConnection);
    return true;
}

void RunController::cancel()
{
    if (m_running) {
        m_shared->cancel = true;
        setStatus(tr("Cancelling\u2026"));
    }
}

void RunController::onStarted(const QString &dbFile, int total)
{
    QString error;
    if (!m_db.open(dbFile, &error))
        setStatus(m_status, error);
    m_total = total;
    emit progressChanged();
    emit resultsChanged();
}

namespace {

// "0.4 s" would claim a rate the clock cannot support; short runs say milliseconds.
QString formatDuration(qint64 ms)
{
    return ms < 1000 ? RunController::tr("%1 ms").arg(ms)
                     : RunController::tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
}

} // namespace

void RunController::onProgress(int done, int total, double throughput, qint64 retries,
                               qint64 dead)
{
    m_done = done;
    m_total = total;
    m_throughput = throughput;
    m_retries = retries;
    m_liveDead = dead;
    emit progressChanged();
    setStatus(tr("Running: %1 of %2 records").arg(done).arg(total));
    // Live figures about once a second: the counts always, the table while it is small.
    if (m_db.isOpen() && (!m_liveRefresh.isValid() || m_liveRefresh.elapsed() >= 1000)) {
        m_liveRefresh.restart();
        if (done <= 2000) {
            m_instances->reload(&m_db, currentWorkflow());
            m_tasks->reload(&m_db, currentWorkflow());
            m_summary.insert(QStringLiteral("exceptions"), m_tasks->rowCount());
        } else {
            m_instances->refreshCounts(&m_db);
        }
        const QVariantMap c = m_instances->statusCounts();
        m_summary.insert(QStringLiteral("records"), done);
        m_summary.insert(QStringLiteral("instances"), c.value(QStringLiteral("all")).toInt());
        m_summary.insert(QStringLiteral("completed"),
                         c.value(QStringLiteral("completed")).toInt());
        m_summary.insert(QStringLiteral("failed"), c.value(QStringLiteral("failed")).toInt());
        m_summary.insert(QStringLiteral("deadLetters"),
                         c.value(QStringLiteral("dead-lettered")).toInt()
                             + c.value(QStringLiteral("compensated")).toInt());
        m_summary.insert(QStringLiteral("throughput"), throughput);
        m_summary.insert(QStringLiteral("retries"), retries);
        emit resultsChanged();
    }
}

void RunController::onFinished(const QVariantMap &summary, const QString &error)
{
    m_running = false;
    emit runningChanged();
    if (!error.isEmpty()) {
        m_runs.remove(m_runId);
        m_runId = 0;
        refreshHistory();
        setStatus(tr("Run failed"), error);
        emit runFinished();
        return;
    }
    m_summary = summary;
    if (m_runId)
        m_runs.updateSummary(m_runId, summary);
    reloadResults();
    refreshHistory();
    const int cancelledAt = summary.value(QStringLiteral("cancelledAt"), -1).toInt();
    setStatus(cancelledAt >= 0
                  ? tr("Cancelled after %1 of %2 records").arg(cancelledAt).arg(m_total)
                  : tr("Finished: %1 records, %2 instances in %3")
                        .arg(summary.value(QStringLiteral("records")).toInt())
                        .arg(summary.value(QStringLiteral("instances")).toInt())
                        .arg(formatDuration(summary.value(QStringLiteral("elapsedMs"))
                                                .toLongLong())));
    emit runFinished();
}

void RunController::reloadResults()
{
    const model::Workflow *wf = currentWorkflow();
    const RunDb *db = m_db.isOpen() ? &m_db : nullptr;
    m_instances->reload(db, wf);
    m_tasks->reload(db, wf);
    m_letters->reload(db, wf);
    m_trace->load(db, m_selected, wf);
    updateSelectedInfo();
    emit resultsChanged();
}

void RunController::setSelectedInstance(const QString &id)
{
    if (id == m_selected)
        return;
    m_selected = id;
    m_trace->load(m_db.isOpen() ? &m_db : nullptr, id, currentWorkflow());
    updateSelectedInfo();
}

void RunController::updateSelectedInfo()
{
    m_selectedInfo.clear();
    const int row = m_instances->indexOf(m_selected);
    if (row >= 0) {
        const QModelIndex i = m_instances->index(row);
        const auto roles = m_instances->roleNames();
        for (auto it = roles.cbegin(); it != roles.cend(); ++it)
            m_selectedInfo.insert(QString::fromLatin1(it.value()), i.data(it.key()));
    }
    emit selectedInstanceChanged();
}

QVariantMap RunController::selectedPath() const
{
    if (m_selected.isEmpty() || m_trace->instanceId() != m_selected)
        return {};
    const model::Workflow *wf = currentWorkflow();
    const QString label = m_selectedInfo.value(QStringLiteral("correlationId")).toString();
    return {{QStringLiteral("workflowId"), wf ? wf->id : QString()},
            {QStringLiteral("instanceId"), m_selected},
            {QStringLiteral("label"), label.isEmpty() ? m_selected : label},
            {QStringLiteral("status"), m_selectedInfo.value(QStringLiteral("status"))},
            {QStringLiteral("steps"), m_trace->path()},
            {QStringLiteral("sequence"), m_trace->sequence()},
            {QStringLiteral("failedStep"),
             m_selectedInfo.value(QStringLiteral("failingStep")).toString()}};
}

bool RunController::approveTask(qint64 taskId, const QString &note, const QString &payload)
{
    if (busy() || !m_db.isOpen())
        return false;
    m_acting = true;
    emit runningChanged();
    RunWorker *w = m_worker;
    const QByteArray p = payload.toUtf8();
    QMetaObject::invokeMethod(w, [w, taskId, note, p]() { w->decide(taskId, true, note, p); },
                              Qt::QueuedConnection);
    return true;
}

bool RunController::rejectTask(qint64 taskId, const QString &note)
{
    if (busy() || !m_db.isOpen())
        return false;
    m_acting = true;
    emit runningChanged();
    RunWorker *w = m_worker;
    QMetaObject::invokeMethod(w, [w, taskId, note]() { w->decide(taskId, false, note, {}); },
                              Qt::QueuedConnection);
    return true;
}

bool RunController::replayDeadLetter(qint64 letterId, const QString &payload)
{
    const model::Project *p = project();
    if (busy() || !m_db.isOpen() || !p)
        return false;
    m_acting = true;
    emit runningChanged();
    RunWorker *w = m_worker;
    const QByteArray body = payload.toUtf8();
    const model::Project current = *p; // the studio's project now, fixes included
    QMetaObject::invokeMethod(w, [w, letterId, current, body]() {
        w->replay(letterId, current, body);
    }, Qt::QueuedConnection);
    return true;
}

void RunController::onActionDone(bool ok, const QString &message, const QVariantMap &summary)
{
    m_acting = false;
    emit runningChanged();
    if (ok && !summary.isEmpty()) {
        // Keep the run's timing figures; counts and SLA change with the action.
        QVariantMap next = summary;
        for (const char *k : {"throughput", "elapsedMs", "cancelledAt"}) {
            if (m_summary.contains(QLatin1String(k)))
                next.insert(QLatin1String(k), m_summary.value(QLatin1String(k)));
        }
        // Engine counters restart with a reopened run: never show fewer than were recorded.
        for (const char *k : {"steps", "retries"}) {
            const QString key = QLatin1String(k);
            next.insert(key, std::max(next.value(key).toLongLong(),
                                      m_summary.value(key).toLongLong()));
        }
        m_summary = next;
        if (m_runId)
            m_runs.updateSummary(m_runId, m_summary);
        refreshHistory();
    }
    reloadResults();
    setStatus(ok && !message.isEmpty() ? message : m_status, ok ? QString() : message);
    emit actionFinished(ok, message);
}

bool RunController::openRun(qint64 runId)
{
    const RunRecord *found = m_history->run(runId);
    const model::Project *p = project();
    if (!found || busy() || !p)
        return false;
    const RunRecord record = *found; // the history is rebuilt below
    const RunRecord *rec = &record;
    QString error;
    if (!QFileInfo::exists(rec->dbFile) || !m_db.open(rec->dbFile, &error)) {
        setStatus(m_status, error.isEmpty() ? tr("The run's store %1 is gone").arg(rec->dbFile)
                                            : error);
        return false;
    }
    m_runId = runId;
    m_runWorkflow = rec->workflow;
    m_summary = rec->summary;
    // The progress line describes the run on show.
    m_done = m_total = m_summary.value(QStringLiteral("records")).toInt();
    m_throughput = m_summary.value(QStringLiteral("throughput")).toDouble();
    m_retries = m_summary.value(QStringLiteral("retries")).toLongLong();
    m_liveDead = m_summary.value(QStringLiteral("deadLetters")).toLongLong();
    emit progressChanged();
    m_selected.clear();
    const model::Workflow *wf = p->workflow(rec->workflow);
    m_runTitle = tr("%1 over %2").arg(wf && !wf->name.isEmpty() ? wf->name : rec->workflow,
                                      rec->dataset);
    reloadResults();
    refreshHistory();
    // The worker reopens the store so approvals and replays work on the past run too.
    m_acting = true;
    emit runningChanged();
    RunWorker *w = m_worker;
    const model::Project current = *p;
    const QString dir = m_projectDir, workflow = rec->workflow, db = rec->dbFile;
    QMetaObject::invokeMethod(w, [w, current, dir, workflow, db]() {
        w->open(current, dir, workflow, db);
    }, Qt::QueuedConnection);
    setStatus(tr("Opened the run of %1").arg(rec->started.toLocalTime().toString(
        QStringLiteral("yyyy-MM-dd HH:mm"))));
    return true;
}

bool RunController::deleteRun(qint64 runId)
{
    const RunRecord *rec = m_history->run(runId);
    if (!rec || busy() || runId == m_runId)
        return false;
    const QString db = rec->dbFile;
    if (!m_runs.remove(runId))
        return false;
    QFile::remove(db);
    QFile::remove(db + QStringLiteral("-wal"));
    QFile::remove(db + QStringLiteral("-shm"));
    refreshHistory();
    return true;
}

QVariantList RunController::compareWith(qint64 runId) const
{
    QVariantList out;
    const RunRecord *other = m_history->run(runId);
    if (!other)
        return out;
    const QVariantMap &a = m_summary;
    const QVariantMap &b = other->summary;
    const auto figure = [&](const QString &name, const QString &key, int decimals) {
        const double x = a.value(key).toDouble(), y = b.value(key).toDouble();
        out.append(QVariantMap{{QStringLiteral("name"), name},
                               {QStringLiteral("shown"), QString::number(x, 'f', decimals)},
                               {QStringLiteral("other"), QString::number(y, 'f', decimals)},
                               {QStringLiteral("delta"), x - y}});
    };
    figure(tr("Records"), QStringLiteral("records"), 0);
    figure(tr("Completed"), QStringLiteral("completed"), 0);
    figure(tr("Exceptions"), QStringLiteral("exceptions"), 0);
    figure(tr("Dead letters"), QStringLiteral("deadLetters"), 0);
    figure(tr("Retries"), QStringLiteral("retries"), 0);
    figure(tr("SLA met %"), QStringLiteral("slaMetPercent"), 1);
    figure(tr("Throughput /s"), QStringLiteral("throughput"), 0);
    return out;
}

bool RunController::waitIdle(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (busy() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QCoreApplication::processEvents();
    return !busy();
}
