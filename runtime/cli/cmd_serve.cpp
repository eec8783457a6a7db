// switchboard-run serve: the headless runner. Webhooks, admin API (bearer token), Prometheus
// metrics, schedules; the engine is pumped by a timer on the real clock; SIGTERM drains.
#include "runtime/cli/commands.h"

#include "model/jsonlimits.h"
#include "runtime/bundle/bundle.h"
#include "runtime/engine/connector.h"
#include "runtime/engine/engine.h"
#include "runtime/http/httpserver.h"
#include "runtime/sandbox/sandbox.h"
#include "runtime/store/store.h"
#include "runtime/webhook/webhookauth.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSocketNotifier>
#include <QTimer>
#include <QUrlQuery>

#include <csignal>
#include <cstdio>
#include <functional>
#include <map>
#include <unistd.h>

namespace sb::cli {

using ojson = nlohmann::ordered_json;
using namespace sb::runtime;

namespace {

int g_pipe[2] = {-1, -1};
void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_pipe[1], &c, 1);
}

using Reply = http::Response;

Reply json(int status, const ojson &j)
{
    return {status, QByteArray::fromStdString(sb::jsonText(j))};
}
Reply problem(int status, const QString &title, const QString &detail)
{
    return {status, problemJson(status, title, detail), "application/problem+json"};
}
// The journal cannot be read or written: nothing was accepted, the client should retry.
Reply unavailable(const QString &detail)
{
    Reply r = problem(503, QStringLiteral("Service Unavailable"), detail);
    r.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("5")));
    return r;
}
Reply storeProblem(const Error &e)
{
    if (e.storage)
        return unavailable(e.message);
    return problem(500, QStringLiteral("Internal Server Error"), e.message);
}

// /hooks/{id} starts only workflows that a webhook triggers.
bool webhookWorkflow(const model::Project &project, const QString &id)
{
    const model::Workflow *w = project.workflow(id);
    return w && w->trigger.type == model::TriggerType::Webhook;
}

ojson instanceJson(const InstanceRecord &r)
{
    return {{"id", r.id.toStdString()}, {"workflow", r.workflowId.toStdString()},
            {"status", toString(r.status).toStdString()},
            {"currentStep", r.currentStep.toStdString()},
            {"correlationId", r.correlationId.toStdString()},
            {"traceparent", r.traceparent.toStdString()},
            {"created", r.created.toString(Qt::ISODateWithMs).toStdString()},
            {"updated", r.updated.toString(Qt::ISODateWithMs).toStdString()}};
}

ojson parse(const QByteArray &b)
{
    return ojson::parse(b.constData(), b.constData() + b.size(), nullptr, false);
}

// Next run of "every 5m" / "every 30s" / "M H * * *" (daily) after `from`.
QDateTime nextRun(const QString &schedule, const QDateTime &from)
{
    const QString s = schedule.trimmed();
    if (s.startsWith(QLatin1String("every "))) {
        QString n = s.mid(6).trimmed();
        qint64 unit = 1000;
        if (n.endsWith(QLatin1Char('m')))
            unit = 60000;
        else if (n.endsWith(QLatin1Char('h')))
            unit = 3600000;
        n.chop(1);
        const qint64 v = n.toLongLong();
        return v > 0 ? from.addMSecs(v * unit) : QDateTime();
    }
    const QStringList f = s.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (f.size() != 5)
        return {};
    bool okM = false, okH = false;
    const int m = f[0].toInt(&okM);
    const int h = f[1].toInt(&okH);
    if (!okM)
        return {};
    QDateTime t = from;
    t.setTime(QTime(okH ? h : from.time().hour(), m));
    while (t <= from)
        t = okH ? t.addDays(1) : t.addSecs(3600);
    return t;
}


// Follows the change events of a sandbox served over HTTP (GET /_sandbox/events?since=N), as
// the in-process sandbox's `changed` signal does, so `wait` steps resume and event workflows
// start. Asynchronous: one request in flight at most, the next ~200 ms after the answer; the
// event loop never blocks on it. A sandbox that is down is retried quietly (logged once).
//
// The cursor is deliberately not persisted. After a restart the poller reads the sandbox's
// whole retained history again, which rebuilds the engine's in-memory window of recent
// events: an instance resumed from the journal just before its `wait` finds an event that
// arrived before the crash. Re-delivery is harmless: a wait resumes only while its instance
// is still waiting, and event workflows are de-duplicated by their trigger's event id in the
// store. A persisted cursor would instead lose events read but not yet delivered at a crash.
class EventPoller
{
public:
    EventPoller(const QString &sandboxUrl, std::function<void(const ojson &)> deliver)
        : m_deliver(std::move(deliver))
    {
        QString base = sandboxUrl;
        while (base.endsWith(QLatin1Char('/')))
            base.chop(1);
        m_url = QUrl(base + QStringLiteral("/_sandbox/events"));
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, [this]() { poll(); });
    }
    ~EventPoller()
    {
        if (m_reply) {
            m_reply->disconnect();
            m_reply->abort();
        }
    }
    void start() { m_timer.start(0); }
    void stop()
    {
        m_stopped = true;
        m_timer.stop();
    }
    qint64 cursor() const { return m_cursor; }

private:
    static constexpr int kIntervalMs = 200;
    static constexpr int kPage = 1000; // a long history is read in pages, back to back

    void poll()
    {
        if (m_stopped || m_reply)
            return;
        QUrl url = m_url;
        url.setQuery(QStringLiteral("since=%1&limit=%2").arg(m_cursor).arg(kPage));
        QNetworkRequest req(url);
        req.setTransferTimeout(10000); // a hung sandbox must not stall the follower
        m_reply = m_nam.get(req);
        QObject::connect(m_reply, &QNetworkReply::finished, [this]() { finished(); });
    }

    void finished()
    {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        // Events feed the engine, which walks them recursively: too deep counts as unreadable.
        const bool deep = jsonNestingError(body.constData(), size_t(body.size())).has_value();
        const ojson j = deep ? ojson() : ojson::parse(body.constData(),
                                                      body.constData() + body.size(), nullptr,
                                                      false);
        if (status != 200 || !j.is_object() || !j.contains("events") || !j["events"].is_array()) {
            if (!m_down) {
                std::fprintf(stderr, "switchboard-run serve: cannot read sandbox events at %s "
                                     "(%s); retrying quietly\n",
                             qPrintable(m_url.toString()),
                             status ? qPrintable(QStringLiteral("HTTP %1").arg(status))
                                    : qPrintable(reply->errorString()));
                m_down = true;
            }
        } else {
            if (m_down) {
                std::fputs("switchboard-run serve: sandbox events readable again\n", stderr);
                m_down = false;
            }
            const qint64 last = j.value("last", qint64(0));
            if (last < m_cursor) {
                // The sandbox restarted and numbers its events from 1 again.
                std::fprintf(stderr, "switchboard-run serve: sandbox event sequence went back "
                                     "from %lld to %lld; reading from the start\n",
                             static_cast<long long>(m_cursor), static_cast<long long>(last));
                m_cursor = 0;
            } else {
                for (const ojson &e : j["events"]) {
                    qint64 seq = 0;
                    if (e.is_object() && e.contains("sequence")) {
                        const ojson &v = e["sequence"];
                        seq = v.is_string() ? QByteArray::fromStdString(v.get<std::string>())
                                                  .toLongLong()
                                            : (v.is_number_integer() ? v.get<qint64>() : 0);
                    }
                    if (seq > 0 && seq <= m_cursor)
                        continue; // already delivered (an overlapping answer)
                    m_deliver(e);
                    m_cursor = std::max(m_cursor, seq);
                }
            }
        }
        const bool fullPage = j.is_object() && j.contains("events") && j["events"].is_array()
                              && int(j["events"].size()) >= kPage;
        if (!m_stopped)
            m_timer.start(fullPage ? 0 : kIntervalMs);
    }

    std::function<void(const ojson &)> m_deliver;
    QNetworkAccessManager m_nam;
    QTimer m_timer;
    QUrl m_url;
    QNetworkReply *m_reply = nullptr;
    qint64 m_cursor = 0;
    bool m_down = false;
    bool m_stopped = false;
};

} // namespace

// switchboard-run serve BUNDLE --db FILE --listen HOST:PORT [--sandbox-url URL] [--init]
//                       [LIMITS]
int runServe(const QStringList &args)
{
    const QByteArray usageText = "usage: switchboard-run serve BUNDLE --db FILE --listen "
                                 "HOST:PORT [--sandbox-url URL] [--init] [LIMITS]\nlimits:\n"
                                 + http::limitsUsage();
    const char *usage = usageText.constData();
    QString bundleFile, dbFile, listen = QStringLiteral("127.0.0.1:8080"), sandboxUrl;
    http::Limits limits;
    bool init = false;
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        QString limitError;
        if (http::takeLimitOption(args, i, limits, &limitError)) {
            if (limitError.isEmpty())
                continue;
            std::fprintf(stderr, "switchboard-run serve: %s\n%s", qPrintable(limitError), usage);
            return BadInput;
        }
        if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
            std::fputs(usage, stdout);
            return Success;
        }
        if (a == QLatin1String("--init")) {
            init = true;
        } else if (a == QLatin1String("--db") || a == QLatin1String("--listen")
                   || a == QLatin1String("--sandbox-url")) {
            if (i + 1 >= args.size()) {
                std::fprintf(stderr, "switchboard-run serve: %s needs a value\n%s",
                             qPrintable(a), usage);
                return BadInput;
            }
            const QString v = args[++i];
            if (a == QLatin1String("--db"))
                dbFile = v;
            else if (a == QLatin1String("--listen"))
                listen = v;
            else
                sandboxUrl = v;
        } else if (a.startsWith(QLatin1Char('-')) || !bundleFile.isEmpty()) {
            std::fprintf(stderr, "switchboard-run serve: unexpected '%s'\n%s", qPrintable(a),
                         usage);
            return BadInput;
        } else {
            bundleFile = a;
        }
    }
    if (bundleFile.isEmpty() || dbFile.isEmpty()) {
        std::fputs(usage, stderr);
        return BadInput;
    }
    const int colon = listen.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const quint16 port = colon > 0 ? listen.mid(colon + 1).toUShort(&portOk) : 0;
    QString host = colon > 0 ? listen.left(colon) : QString();
    if (host.startsWith(QLatin1Char('[')))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host == QLatin1String("localhost") ? QStringLiteral("127.0.0.1")
                                                                  : host);
    if (!portOk || address.isNull()) {
        std::fprintf(stderr, "switchboard-run serve: --listen needs HOST:PORT, found '%s'\n",
                     qPrintable(listen));
        return BadInput;
    }
    auto bundle = loadBundle(bundleFile);
    if (!bundle.ok()) {
        std::fprintf(stderr, "switchboard-run serve: %s\n", qPrintable(bundle.error().toString()));
        return BadInput;
    }
    // Webhook secrets are resolved once, now: a missing one stops serve, not each webhook.
    auto webhooks = WebhookGuard::create(bundle.value().project);
    if (!webhooks.ok()) {
        std::fprintf(stderr, "switchboard-run serve: %s\n", qPrintable(webhooks.error().message));
        return BadInput;
    }
    // A journal that vanished or was emptied must not silently become a new one: that
    // would forget every idempotency key. A new journal only on request.
    const bool exists = QFileInfo::exists(dbFile);
    if (!exists && !init) {
        std::fprintf(stderr, "switchboard-run serve: no journal at %s; pass --init to create a "
                             "new one\n", qPrintable(dbFile));
        return BadInput;
    }
    StoreOptions storeOptions;
    storeOptions.create = !exists; // --init never replaces an existing file
    storeOptions.verify = true;
    auto store = Store::open(dbFile, storeOptions);
    if (!store.ok()) {
        std::fprintf(stderr, "switchboard-run serve: refusing the journal: %s\n",
                     qPrintable(store.error().toString()));
        return BadInput;
    }
    const model::Project &project = bundle.value().project;
    const QString profile = bundle.value().profile;

    // Outbound: the chosen profile. Sandbox -> in-process, or a sandbox on --sandbox-url.
    std::unique_ptr<Sandbox> sandbox;
    std::unique_ptr<Connector> connector;
    if (profile == QLatin1String("sandbox") && sandboxUrl.isEmpty()) {
        model::Project seeded = project;
        auto s = Sandbox::create(seeded, QFileInfo(bundleFile).absolutePath());
        if (!s.ok()) {
            seeded.datasets.clear(); // data sets are optional for a runner
            s = Sandbox::create(seeded, QString());
        }
        if (!s.ok()) {
            std::fprintf(stderr, "switchboard-run serve: %s\n", qPrintable(s.error().toString()));
            return BadInput;
        }
        sandbox = s.takeValue();
        connector = std::make_unique<SandboxConnector>(sandbox.get());
    } else {
        auto http = std::make_unique<HttpConnector>();
        HttpEndpoint def;
        def.baseUrl = sandboxUrl;
        http->setDefaultEndpoint(def);
        for (const model::System &sys : project.systems) {
            for (const model::EndpointProfile &p : sys.profiles) {
                if (p.name == profile && !p.sandbox)
                    http->setEndpoint(sys.id, HttpEndpoint{p.baseUrl, p.auth, p.secretRef,
                                                           p.timeoutMs});
            }
        }
        connector = std::move(http);
    }
    EngineOptions eo;
    eo.profile = profile;
    Engine engine(project, store.value().get(), connector.get(), eo);
    if (sandbox) {
        QObject::connect(sandbox.get(), &Sandbox::changed, [&engine](const QByteArray &e) {
            engine.queueEvent(parse(e));
        });
    }
    // A sandbox on --sandbox-url: follow its change events over HTTP.
    std::unique_ptr<EventPoller> poller;
    if (!sandboxUrl.isEmpty()) {
        poller = std::make_unique<EventPoller>(sandboxUrl, [&engine](const ojson &e) {
            engine.queueEvent(e);
        });
    }
    auto resumed = engine.resume();
    if (!resumed.ok()) {
        std::fprintf(stderr, "switchboard-run serve: cannot resume from the journal: %s\n",
                     qPrintable(resumed.error().toString()));
        return BadInput;
    }
    if (resumed.value() > 0)
        std::fprintf(stderr, "resuming %d unfinished instance(s)\n", resumed.value());

    const QByteArray token = qgetenv("SWITCHBOARD_ADMIN_TOKEN");
    if (token.isEmpty())
        std::fputs("switchboard-run serve: SWITCHBOARD_ADMIN_TOKEN is not set; the admin API "
                   "refuses every request\n", stderr);
    std::map<QString, qint64> httpRequests;
    bool draining = false;

    // Schedules.
    QHash<QString, QDateTime> nextDue;
    for (const model::Workflow &w : project.workflows) {
        if (w.trigger.type == model::TriggerType::Schedule) {
            const QDateTime n = nextRun(w.trigger.schedule, QDateTime::currentDateTimeUtc());
            if (n.isValid())
                nextDue.insert(w.id, n);
        }
    }
    QTimer pump;
    QObject::connect(&pump, &QTimer::timeout, [&]() {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (auto it = nextDue.begin(); it != nextDue.end(); ++it) {
            if (it.value() <= now && !draining) {
                auto started = engine.start(it.key(),
                                            ojson{{"scheduledAt",
                                                   it.value().toString(Qt::ISODate)
                                                       .toStdString()}});
                if (!started.ok() && engine.storageFault())
                    continue; // not saved: the same run is tried again on the next tick
                if (!started.ok())
                    std::fprintf(stderr, "switchboard-run serve: schedule of %s: %s\n",
                                 qPrintable(it.key()), qPrintable(started.error().toString()));
                it.value() = nextRun(project.workflow(it.key())->trigger.schedule, now);
            }
        }
        engine.fireDueTimers();
        engine.runReady();
    });
    pump.start(50);
    if (poller)
        poller->start(); // queued events are delivered by the pump's runReady()

    http::Server server(limits);
    server.handler = [&](const http::Request &req) -> Reply {
        const QString path = req.url().path();
        const bool post = req.method() == http::Request::Method::Post;
        const bool get = req.method() == http::Request::Method::Get;
        const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        httpRequests[http::routeLabel(path)] += 1;
        if (parts.size() == 2 && parts[0] == QLatin1String("hooks")) {
            if (!post)
                return problem(405, QStringLiteral("Method Not Allowed"), QStringLiteral("POST"));
            if (draining)
                return problem(503, QStringLiteral("Service Unavailable"),
                               QStringLiteral("shutting down"));
            if (!webhookWorkflow(project, parts[1]))
                return problem(404, QStringLiteral("Not Found"),
                               QStringLiteral("no workflow '%1'").arg(parts[1]));
            const auto auth = webhooks.value().check(*project.workflow(parts[1]), req.body(),
                [&req](const QByteArray &h) { return req.value(h); },
                QDateTime::currentSecsSinceEpoch());
            if (!auth.ok) {
                Reply r = problem(auth.status, auth.title(), auth.reason);
                if (!auth.wwwAuthenticate.isEmpty())
                    r.headers.append(
                        qMakePair(QByteArray("WWW-Authenticate"), auth.wwwAuthenticate));
                return r;
            }
            const ojson body = parse(req.body());
            if (!body.is_object())
                return problem(400, QStringLiteral("Bad Request"),
                               QStringLiteral("the body must be a JSON object"));
            auto r = engine.start(parts[1], body);
            // Not committed, so never acknowledged. The reason (paths included) is for the
            // operator: /api/health and stderr.
            if (!r.ok() && (r.error().storage || engine.storageFault()))
                return unavailable(QStringLiteral("the journal cannot be written; try again"));
            if (!r.ok() && r.error().path == QLatin1String("/trigger/filter"))
                return problem(422, QStringLiteral("Unprocessable Entity"), r.error().message);
            if (!r.ok())
                return problem(500, QStringLiteral("Internal Server Error"), r.error().message);
            if (r.value().filtered)  // accepted, but not for this workflow
                return json(200, {{"filtered", true}});
            QTimer::singleShot(0, &pump, [&engine]() { engine.runReady(); });
            return json(r.value().duplicate ? 200 : 202,
                        {{"instanceId", r.value().instanceId.toStdString()},
                         {"duplicate", r.value().duplicate}});
        }
        if (path == QLatin1String("/metrics") && get) {
            QByteArray m = "# TYPE switchboard_instances gauge\n";
            for (auto s : {InstanceStatus::Running, InstanceStatus::Waiting,
                           InstanceStatus::Completed, InstanceStatus::Failed,
                           InstanceStatus::Compensated, InstanceStatus::DeadLettered}) {
                const auto count = store.value()->countInstances(s);
                if (count.ok()) // an unreadable journal shows as a missing series
                    m += "switchboard_instances{status=\"" + toString(s).toUtf8() + "\"} "
                         + QByteArray::number(count.value()) + "\n";
            }
            m += "# TYPE switchboard_storage_fault gauge\nswitchboard_storage_fault "
                 + QByteArray(engine.storageFault() ? "1" : "0") + "\n";
            const EngineCounters &c = engine.counters();
            m += "# TYPE switchboard_steps_total counter\nswitchboard_steps_total "
                 + QByteArray::number(c.steps) + "\n";
            m += "# TYPE switchboard_retries_total counter\nswitchboard_retries_total "
                 + QByteArray::number(c.retries) + "\n";
            m += "# TYPE switchboard_dead_letters_total counter\nswitchboard_dead_letters_total "
                 + QByteArray::number(c.deadLetters) + "\n";
            m += "# TYPE switchboard_outbound_calls_total counter\n"
                 "switchboard_outbound_calls_total " + QByteArray::number(c.outboundCalls) + "\n";
            m += "# TYPE switchboard_http_requests_total counter\n";
            for (const auto &h : httpRequests)
                m += "switchboard_http_requests_total{route=\"" + h.first.toUtf8() + "\"} "
                     + QByteArray::number(h.second) + "\n";
            m += server.metricsText();
            return {200, m, "text/plain; version=0.0.4"};
        }
        if (parts.value(0) != QLatin1String("api"))
            return problem(404, QStringLiteral("Not Found"), path);
        if (token.isEmpty() || !http::constantTimeEquals(req.value("Authorization"),
                                                         "Bearer " + token))
            return problem(401, QStringLiteral("Unauthorized"),
                           QStringLiteral("send Authorization: Bearer $SWITCHBOARD_ADMIN_TOKEN"));
        const QString what = parts.value(1);
        if (what == QLatin1String("health") && get && engine.storageFault()) {
            Reply r = json(503, {{"status", "degraded"},
                                 {"reason", engine.storageFault()->toStdString()},
                                 {"bundle", bundle.value().name.toStdString()},
                                 {"profile", profile.toStdString()}});
            r.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("5")));
            return r;
        }
        if (what == QLatin1String("health") && get)
            return json(200, {{"status", draining ? "draining" : "ok"},
                              {"bundle", bundle.value().name.toStdString()},
                              {"profile", profile.toStdString()}});
        if (what == QLatin1String("instances") && get && parts.size() == 2) {
            ojson list = ojson::array();
            const auto all = store.value()->instances({}, 1000);
            if (!all.ok())
                return storeProblem(all.error());
            for (const InstanceRecord &r : all.value())
                list.push_back(instanceJson(r));
            return json(200, list);
        }
        if (what == QLatin1String("instances") && get && parts.size() == 3) {
            auto r = store.value()->instance(parts[2]);
            if (!r.ok() && r.error().storage)
                return storeProblem(r.error());
            if (!r.ok())
                return problem(404, QStringLiteral("Not Found"), r.error().message);
            ojson o = instanceJson(r.value());
            o["state"] = parse(r.value().variables);
            ojson journal = ojson::array();
            const auto j = store.value()->journal(parts[2]);
            if (!j.ok())
                return storeProblem(j.error());
            for (const JournalEntry &e : j.value())
                journal.push_back({{"seq", e.seq}, {"step", e.stepId.toStdString()},
                                   {"kind", toString(e.kind).toStdString()},
                                   {"at", e.at.toString(Qt::ISODateWithMs).toStdString()},
                                   {"payload", parse(e.payload)}});
            o["journal"] = journal;
            return json(200, o);
        }
        if (what == QLatin1String("dead-letters") && get && parts.size() == 2) {
            ojson list = ojson::array();
            const auto all = store.value()->deadLetters();
            if (!all.ok())
                return storeProblem(all.error());
            for (const DeadLetter &d : all.value())
                list.push_back({{"id", d.id}, {"instanceId", d.instanceId.toStdString()},
                                {"step", d.stepId.toStdString()},
                                {"error", d.error.toStdString()}, {"context", parse(d.context)}});
            return json(200, list);
        }
        if (what == QLatin1String("dead-letters") && post && parts.size() == 4
            && parts[3] == QLatin1String("replay")) {
            std::optional<ojson> payload;
            if (!req.body().trimmed().isEmpty()) {
                payload = parse(req.body());
                if (!payload->is_object())
                    return problem(400, QStringLiteral("Bad Request"),
                                   QStringLiteral("the edited payload must be a JSON object"));
            }
            // The bundle may have been fixed on disk (e.g. a mapping): run the new one.
            auto fresh = loadBundle(bundleFile);
            if (fresh.ok())
                engine.setProject(fresh.value().project);
            auto r = engine.replay(parts[2].toLongLong(), payload);
            if (!r.ok() && r.error().storage)
                return storeProblem(r.error());
            if (!r.ok())
                return problem(409, QStringLiteral("Conflict"), r.error().message);
            return json(202, {{"instanceId", r.value().toStdString()}});
        }
        if (what == QLatin1String("tasks") && get && parts.size() == 2) {
            ojson list = ojson::array();
            const auto all = store.value()->tasks();
            if (!all.ok())
                return storeProblem(all.error());
            for (const ApprovalTask &t : all.value())
                list.push_back({{"id", t.id}, {"instanceId", t.instanceId.toStdString()},
                                {"step", t.stepId.toStdString()}, {"role", t.role.toStdString()},
                                {"status", toString(t.status).toStdString()},
                                {"escalateAt",
                                 t.escalateAt.toString(Qt::ISODateWithMs).toStdString()}});
            return json(200, list);
        }
        if (what == QLatin1String("tasks") && post && parts.size() == 4
            && (parts[3] == QLatin1String("approve") || parts[3] == QLatin1String("reject"))) {
            const ojson b = parse(req.body());
            std::optional<ojson> payload;
            if (b.is_object() && b.contains("payload"))
                payload = b["payload"];
            auto r = engine.decideTask(parts[2].toLongLong(), parts[3] == QLatin1String("approve"),
                                       QString::fromStdString(b.is_object()
                                                                  ? b.value("by", std::string())
                                                                  : std::string()),
                                       QString::fromStdString(b.is_object()
                                                                  ? b.value("note", std::string())
                                                                  : std::string()),
                                       payload);
            if (!r.ok() && r.error().storage)
                return storeProblem(r.error());
            if (!r.ok())
                return problem(409, QStringLiteral("Conflict"), r.error().message);
            return json(200, {{"task", parts[2].toLongLong()}, {"decision", parts[3].toStdString()}});
        }
        return problem(404, QStringLiteral("Not Found"), path);
    };
    if (!server.listen(address, port)) {
        std::fprintf(stderr, "switchboard-run serve: cannot listen on %s: %s\n",
                     qPrintable(listen), qPrintable(server.errorString()));
        return BadInput;
    }
    const qint64 files = http::ensureFileLimit(limits.maxConnections);
    if (files >= 0 && files < qint64(limits.maxConnections) + 64)
        std::fprintf(stderr, "switchboard-run serve: the open-file limit (%lld) is below "
                             "--max-connections %d; raise LimitNOFILE / ulimit -n\n",
                     static_cast<long long>(files), limits.maxConnections);

    if (::pipe(g_pipe) != 0)
        return BadInput;
    QSocketNotifier notifier(g_pipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, qApp, [&]() {
        char c;
        [[maybe_unused]] const auto n = ::read(g_pipe[0], &c, 1);
        // Drain: refuse new webhooks, finish what is runnable now, then stop.
        draining = true;
        if (poller)
            poller->stop();
        server.close();
        engine.runReady();
        QCoreApplication::quit();
    });
    std::signal(SIGTERM, onSignal);
    std::signal(SIGINT, onSignal);
    const QString shown = address.protocol() == QAbstractSocket::IPv6Protocol
                              ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
                              : address.toString();
    std::printf("listening on http://%s:%u\n", qPrintable(shown), unsigned(server.serverPort()));
    std::fflush(stdout);
    QCoreApplication::exec();
    pump.stop();
    std::printf("stopped\n");
    std::fflush(stdout);
    return Success;
}

} // namespace sb::cli
