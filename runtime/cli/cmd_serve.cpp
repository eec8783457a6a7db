// switchboard-run serve: the headless runner. Webhooks, admin API (bearer token), Prometheus
// metrics, schedules; the engine is pumped by a timer on the real clock; SIGTERM drains.
// The routes live in serve_routes.cpp, the sandbox event follower in serve_events.cpp.
#include "runtime/cli/commands.h"

#include "model/schedule.h"
#include "runtime/bundle/bundle.h"
#include "runtime/common/problem.h"
#include "runtime/cli/commandline.h"
#include "runtime/cli/serve_commit.h"
#include "runtime/cli/serve_events.h"
#include "runtime/cli/serve_routes.h"
#include "runtime/engine/connector.h"
#include "runtime/engine/engine.h"
#include "runtime/http/httpserver.h"
#include "runtime/pgstore/openstore.h"
#include "runtime/pgstore/pgstore.h"
#include "runtime/sandbox/sandbox.h"
#include "runtime/store/store.h"
#include "runtime/webhook/webhookauth.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHostAddress>
#include <QSet>
#include <QSocketNotifier>
#include <QSysInfo>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace sb::cli {

using ojson = nlohmann::ordered_json;
using namespace sb::runtime;

namespace {

int g_pipe[2] = {-1, -1};
constexpr qint64 kDrainMs = 10000;
void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_pipe[1], &c, 1);
}

int fail(const QString &message)
{
    std::fprintf(stderr, "switchboard-run serve: %s\n", qPrintable(message));
    return BadInput;
}

struct ServeOptions
{
    QString bundleFile;
    QString dbFile;
    QString storeUri; // a runner group's PostgreSQL database, instead of dbFile
    QString runnerId; // its name in the database's runners table
    QString listen = QStringLiteral("127.0.0.1:8080");
    QString sandboxUrl;
    bool init = false;
    int groupCommitMs = 10;
    int maxInFlight = 64;
    http::Limits limits;
    QHostAddress address;
    quint16 port = 0;
};

// The command line; an exit code when serve must stop before it starts.
std::optional<int> parseOptions(const QStringList &args, ServeOptions &o)
{
    CommandLine cl("serve", "usage: switchboard-run serve BUNDLE --db FILE|--store URI "
                            "--listen HOST:PORT\n    [--sandbox-url URL] [--init] "
                            "[--group-commit-ms MS] [--max-in-flight N] [LIMITS]\n"
                            "  --store URI  postgresql://USER@HOST:PORT/DB (or env:NAME; "
                            "default: $SWITCHBOARD_STORE):\n    the runner group's "
                            "database; its password from PGPASSWORD or ~/.pgpass\n"
                            "  --runner-id ID  this runner's name in that database "
                            "(default: the host name\n    and the --listen port, or the "
                            "process id for port 0)\n"
                            "  --group-commit-ms MS  group commit: webhooks and steps that "
                            "complete together\n    share one commit and fsync; a batch is "
                            "committed once the requests\n    received are handled, at the "
                            "latest MS ms after it opened (default 10;\n    0: every write "
                            "commits on its own). A webhook is acknowledged only once\n    its "
                            "batch is durable.\n"
                            "  --max-in-flight N  instances waiting on HTTP calls at once "
                            "(default 64;\n    1: one at a time); others wait their turn "
                            "in the queue\nlimits:\n"
                            + http::limitsUsage());
    cl.addOption({QStringLiteral("db")}, QStringLiteral("FILE"));
    cl.addOption({QStringLiteral("store")}, QStringLiteral("URI"));
    cl.addOption({QStringLiteral("runner-id")}, QStringLiteral("ID"));
    cl.addOption({QStringLiteral("listen")}, QStringLiteral("HOST:PORT"));
    cl.addOption({QStringLiteral("sandbox-url")}, QStringLiteral("URL"));
    cl.addFlag({QStringLiteral("init")});
    cl.addOption({QStringLiteral("group-commit-ms")}, QStringLiteral("MS"));
    cl.addOption({QStringLiteral("max-in-flight")}, QStringLiteral("N"));
    for (const QString &name : http::limitOptionNames())
        cl.addOption({name}, QStringLiteral("VALUE"));
    if (const auto stop = cl.parse(args, 1, 1))
        return stop;
    for (const QString &name : http::limitOptionNames()) {
        QString error;
        if (cl.isSet(name) && !http::setLimitOption(name, cl.value(name), o.limits, &error))
            return cl.usageError(error);
    }
    o.bundleFile = cl.positional().first();
    o.dbFile = cl.value(QStringLiteral("db"));
    if (cl.isSet(QStringLiteral("listen")))
        o.listen = cl.value(QStringLiteral("listen"));
    o.sandboxUrl = cl.value(QStringLiteral("sandbox-url"));
    o.init = cl.isSet(QStringLiteral("init"));
    if (cl.isSet(QStringLiteral("group-commit-ms"))) {
        bool ok = false;
        o.groupCommitMs = cl.value(QStringLiteral("group-commit-ms")).toInt(&ok);
        if (!ok || o.groupCommitMs < 0 || o.groupCommitMs > 10000)
            return cl.usageError(QStringLiteral("--group-commit-ms needs 0 to 10000"));
    }
    if (cl.isSet(QStringLiteral("max-in-flight"))) {
        bool ok = false;
        o.maxInFlight = cl.value(QStringLiteral("max-in-flight")).toInt(&ok);
        if (!ok || o.maxInFlight < 1 || o.maxInFlight > 10000)
            return cl.usageError(QStringLiteral("--max-in-flight needs 1 to 10000"));
    }
    if (o.dbFile.isEmpty()) {
        auto address = resolveStoreAddress(cl.value(QStringLiteral("store")));
        if (!address.ok())
            return cl.usageError(address.error().message);
        if (isPostgresUri(address.value()))
            o.storeUri = address.value();
        else
            o.dbFile = address.value(); // --store FILE: the SQLite journal
    } else if (cl.isSet(QStringLiteral("store"))) {
        return cl.usageError(QStringLiteral("--db and --store name the same thing: give one"));
    }
    if (o.dbFile.isEmpty() && o.storeUri.isEmpty()) {
        std::fputs(cl.usage().constData(), stderr);
        return BadInput;
    }
    o.runnerId = cl.value(QStringLiteral("runner-id"));
    const int colon = o.listen.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    o.port = colon > 0 ? o.listen.mid(colon + 1).toUShort(&portOk) : 0;
    QString host = colon > 0 ? o.listen.left(colon) : QString();
    if (host.startsWith(QLatin1Char('[')))
        host = host.mid(1, host.size() - 2);
    o.address = QHostAddress(host == QLatin1String("localhost") ? QStringLiteral("127.0.0.1")
                                                                : host);
    if (!portOk || o.address.isNull())
        return fail(QStringLiteral("--listen needs HOST:PORT, found '%1'").arg(o.listen));
    if (o.runnerId.isEmpty()) // stable across restarts, so a restarted runner is itself
        o.runnerId =
            QSysInfo::machineHostName() + QLatin1Char(':')
            + QString::number(o.port ? qint64(o.port) : QCoreApplication::applicationPid());
    return std::nullopt;
}

// A journal that vanished or was emptied must not silently become a new one: that would
// forget every idempotency key. A new journal only on request (--init).
Result<std::unique_ptr<Store>> openJournal(const ServeOptions &o)
{
    if (!o.storeUri.isEmpty()) {
        // The schema only on request (--init, or `store migrate`), as a new journal file.
        StoreOptions storeOptions;
        storeOptions.create = o.init;
        auto store = PostgresStore::connect(o.storeUri, storeOptions);
        if (!store.ok())
            return Error{QStringLiteral("refusing the store: %1")
                             .arg(store.error().toString())};
        return std::unique_ptr<Store>(store.takeValue());
    }
    const bool exists = QFileInfo::exists(o.dbFile);
    if (!exists && !o.init)
        return Error{QStringLiteral("no journal at %1; pass --init to create a new one")
                         .arg(o.dbFile)};
    StoreOptions storeOptions;
    storeOptions.create = !exists; // --init never replaces an existing file
    storeOptions.verify = true;
    auto store = Store::open(o.dbFile, storeOptions);
    if (!store.ok())
        return Error{QStringLiteral("refusing the journal: %1").arg(store.error().toString())};
    return store;
}

// Runners on one database do not share work yet: each would resume every unfinished
// instance. Refuses to start beside a live runner (heartbeat within kStaleMs) and keeps
// this runner's heartbeat fresh while it runs.
constexpr qint64 kStaleMs = 15000;
class RunnerHeartbeat
{
public:
    RunnerHeartbeat(PostgresStore *store, QString id) : m_store(store), m_id(std::move(id)) {}
    ~RunnerHeartbeat()
    {
        if (!m_joined) // a clean stop leaves the group at once
            return;
        auto left = m_store->releaseLeases(m_id);
        if (!left.ok()) // the heartbeat goes stale instead: others wait kStaleMs
            std::fprintf(stderr, "switchboard-run serve: leaving the runners table: %s\n",
                         qPrintable(left.error().toString()));
    }
    Result<void> join(const QString &address)
    {
        m_address = address;
        auto live = m_store->joinAlone(m_id, address, QDateTime::currentMSecsSinceEpoch(),
                                       kStaleMs);
        if (!live.ok())
            return live.error();
        if (const auto &other = live.value()) {
            return Error{QStringLiteral("runner '%1' (%2) is live on this database (heartbeat "
                                        "%3 ms ago): runners do not share a database's work "
                                        "yet; stop it, or wait %4 s after it died")
                             .arg(other->id, other->address)
                             .arg(QDateTime::currentMSecsSinceEpoch()
                                  - other->heartbeat.toMSecsSinceEpoch())
                             .arg(kStaleMs / 1000)};
        }
        m_joined = true;
        QObject::connect(&m_timer, &QTimer::timeout, [this]() { beat(); });
        m_timer.start(int(kStaleMs / 5));
        return Ok{};
    }
    void setAddress(const QString &address)
    {
        m_address = address;
        beat();
    }

private:
    void beat()
    {
        auto r = m_store->heartbeat(m_id, m_address, QDateTime::currentMSecsSinceEpoch());
        if (!r.ok())
            std::fprintf(stderr, "switchboard-run serve: heartbeat: %s\n",
                         qPrintable(r.error().toString()));
    }
    PostgresStore *m_store;
    QString m_id;
    QString m_address;
    bool m_joined = false;
    QTimer m_timer;
};

// Outbound calls go where the bundle's profile says: the sandbox profile in process (or to
// a sandbox on --sandbox-url), any other profile to each system's endpoint over HTTP.
struct Outbound
{
    std::unique_ptr<Sandbox> sandbox; // in-process only
    std::unique_ptr<Connector> connector;
};

// A live bundle whose systems without the profile stay on the in-process sandbox.
class MixedConnector : public Connector
{
public:
    MixedConnector(std::unique_ptr<HttpConnector> http, Sandbox *sandbox, QSet<QString> live)
        : m_http(std::move(http)), m_sandbox(sandbox), m_live(std::move(live)) {}
    OutboundResponse send(const OutboundRequest &request) override
    {
        return m_live.contains(request.system) ? m_http->send(request)
                                               : m_sandbox.send(request);
    }

private:
    std::unique_ptr<HttpConnector> m_http;
    SandboxConnector m_sandbox;
    QSet<QString> m_live;
};

Result<std::unique_ptr<Sandbox>> bundleSandbox(const Bundle &bundle, const ServeOptions &o)
{
    model::Project seeded = bundle.project;
    auto s = Sandbox::create(seeded, QFileInfo(o.bundleFile).absolutePath());
    if (!s.ok()) {
        seeded.datasets.clear(); // data sets are optional for a runner
        s = Sandbox::create(seeded, QString());
    }
    if (!s.ok())
        return Error{s.error().toString()};
    return s.takeValue();
}

Result<Outbound> makeOutbound(const Bundle &bundle, const ServeOptions &o)
{
    Outbound out;
    if (bundle.profile == QLatin1String("sandbox") && o.sandboxUrl.isEmpty()) {
        auto s = bundleSandbox(bundle, o);
        if (!s.ok())
            return s.error();
        out.sandbox = s.takeValue();
        out.connector = std::make_unique<SandboxConnector>(out.sandbox.get());
        return out;
    }
    auto http = std::make_unique<HttpConnector>();
    HttpEndpoint def;
    def.baseUrl = o.sandboxUrl;
    http->setDefaultEndpoint(def);
    for (const model::System &sys : bundle.project.systems) {
        for (const model::EndpointProfile &p : sys.profiles) {
            if (p.name == bundle.profile && !p.sandbox)
                http->setEndpoint(sys.id,
                                  HttpEndpoint{p.baseUrl, p.auth, p.secretRef, p.timeoutMs});
        }
    }
    // Systems the export left on the sandbox (no profile of that name), without a sandbox
    // URL: an in-process sandbox for them.
    QSet<QString> live;
    QStringList onSandbox;
    for (const model::System &sys : bundle.project.systems) {
        for (const model::EndpointProfile &p : sys.profiles) {
            if (p.name == bundle.profile && p.sandbox)
                onSandbox << sys.id;
            else if (p.name == bundle.profile)
                live.insert(sys.id);
        }
    }
    if (onSandbox.isEmpty() || !o.sandboxUrl.isEmpty()) {
        out.connector = std::move(http);
        return out;
    }
    auto sandbox = bundleSandbox(bundle, o);
    if (!sandbox.ok())
        return sandbox.error();
    out.sandbox = sandbox.takeValue();
    std::fprintf(stderr, "serve: on the in-process sandbox (no profile '%s'): %s\n",
                 qPrintable(bundle.profile), qPrintable(onSandbox.join(QLatin1String(", "))));
    out.connector = std::make_unique<MixedConnector>(std::move(http), out.sandbox.get(), live);
    return out;
}

// Next run after `from` of an "every 5m" or cron schedule (model/schedule.h); invalid for one
// that validate refuses, so export never ships it.
QDateTime nextRun(const QString &schedule, const QDateTime &from)
{
    const auto parsed = model::Schedule::parse(schedule);
    return parsed.ok() ? parsed.value().nextAfter(from) : QDateTime();
}

// Starts scheduled workflows when due, fires timers and runs whatever is ready.
class Pump
{
public:
    Pump(const model::Project &project, Engine &engine, const bool &draining)
        : m_project(project), m_engine(engine), m_draining(draining)
    {
        for (const model::Workflow &w : project.workflows) {
            if (w.trigger.type == model::TriggerType::Schedule) {
                const QDateTime n = nextRun(w.trigger.schedule, QDateTime::currentDateTimeUtc());
                if (n.isValid())
                    m_nextDue.insert(w.id, n);
            }
        }
        QObject::connect(&m_timer, &QTimer::timeout, [this]() { tick(); });
    }
    void start() { m_timer.start(50); }
    void stop() { m_timer.stop(); }
    QObject *context() { return &m_timer; }

private:
    void tick()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (auto it = m_nextDue.begin(); it != m_nextDue.end(); ++it) {
            if (it.value() > now || m_draining)
                continue;
            const ojson payload{{"scheduledAt", it.value().toString(Qt::ISODate).toStdString()}};
            auto started = m_engine.start(it.key(), payload);
            if (!started.ok() && m_engine.storageFault())
                continue; // not saved: the same run is tried again on the next tick
            if (!started.ok())
                std::fprintf(stderr, "switchboard-run serve: schedule of %s: %s\n",
                             qPrintable(it.key()), qPrintable(started.error().toString()));
            it.value() = nextRun(m_project.workflow(it.key())->trigger.schedule, now);
        }
        m_engine.fireDueTimers();
        m_engine.runReady();
    }

    const model::Project &m_project;
    Engine &m_engine;
    const bool &m_draining;
    QHash<QString, QDateTime> m_nextDue;
    QTimer m_timer;
};

ojson parse(const QByteArray &b)
{
    return ojson::parse(b.constData(), b.constData() + b.size(), nullptr, false);
}

void warnAboutFileLimit(const http::Limits &limits)
{
    const qint64 files = http::ensureFileLimit(limits.maxConnections);
    if (files >= 0 && files < qint64(limits.maxConnections) + 64)
        std::fprintf(stderr, "switchboard-run serve: the open-file limit (%lld) is below "
                             "--max-connections %d; raise LimitNOFILE / ulimit -n\n",
                     static_cast<long long>(files), limits.maxConnections);
}

QString shownAddress(const QHostAddress &address)
{
    return address.protocol() == QAbstractSocket::IPv6Protocol
               ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
               : address.toString();
}

} // namespace

// switchboard-run serve BUNDLE --db FILE --listen HOST:PORT [--sandbox-url URL] [--init]
//                       [LIMITS]
int runServe(const QStringList &args)
{
    ServeOptions options;
    if (const auto stop = parseOptions(args, options))
        return *stop;
    auto bundle = loadBundle(options.bundleFile);
    if (!bundle.ok())
        return fail(bundle.error().toString());
    // Webhook secrets are resolved once, now: a missing one stops serve, not each webhook.
    auto webhooks = WebhookGuard::create(bundle.value().project);
    if (!webhooks.ok())
        return fail(webhooks.error().message);
    auto store = openJournal(options);
    if (!store.ok())
        return fail(store.error().message);
    std::unique_ptr<RunnerHeartbeat> heartbeat;
    if (auto *pg = dynamic_cast<PostgresStore *>(store.value().get())) {
        heartbeat = std::make_unique<RunnerHeartbeat>(pg, options.runnerId);
        auto joined = heartbeat->join(options.listen);
        if (!joined.ok())
            return fail(joined.error().message);
    }
    auto outbound = makeOutbound(bundle.value(), options);
    if (!outbound.ok())
        return fail(outbound.error().message);
    const model::Project &project = bundle.value().project;
    EngineOptions eo;
    eo.profile = bundle.value().profile;
    eo.groupCommitMs = options.groupCommitMs;
    eo.maxInFlight = options.maxInFlight;
    store.value()->setGroupCommit(options.groupCommitMs > 0);
    Engine engine(project, store.value().get(), outbound.value().connector.get(), eo);
    if (Sandbox *sandbox = outbound.value().sandbox.get()) {
        QObject::connect(sandbox, &Sandbox::changed, [&engine](const QByteArray &e) {
            engine.queueEvent(parse(e));
        });
    }
    // A sandbox on --sandbox-url: follow its change events over HTTP.
    std::unique_ptr<EventPoller> poller;
    if (!options.sandboxUrl.isEmpty()) {
        poller = std::make_unique<EventPoller>(options.sandboxUrl, [&engine](const ojson &e) {
            engine.queueReceivedEvent(e);
        });
    }
    // An answered call continues its instance soon, once the events queued before it ran.
    bool runQueued = false;
    engine.onCallAnswered = [&engine, &runQueued]() {
        if (std::exchange(runQueued, true))
            return;
        QTimer::singleShot(0, [&engine, &runQueued]() {
            runQueued = false;
            engine.runReady();
        });
    };
    auto resumed = engine.resume();
    if (!resumed.ok())
        return fail(QStringLiteral("cannot resume from the journal: %1")
                        .arg(resumed.error().toString()));
    if (resumed.value() > 0)
        std::fprintf(stderr, "resuming %d unfinished instance(s)\n", resumed.value());

    http::Server server(options.limits);
    ServeState state;
    state.bundleFile = options.bundleFile;
    state.bundle = &bundle.value();
    state.store = store.value().get();
    state.engine = &engine;
    state.webhooks = &webhooks.value();
    state.server = &server;
    if (heartbeat)
        state.runnerId = options.runnerId;
    state.adminToken = qgetenv("SWITCHBOARD_ADMIN_TOKEN");
    if (state.adminToken.isEmpty())
        std::fputs("switchboard-run serve: SWITCHBOARD_ADMIN_TOKEN is not set; the admin API "
                   "refuses every request\n", stderr);
    Pump pump(project, engine, state.draining);
    state.pump = pump.context();
    pump.start();
    if (poller)
        poller->start(); // queued events are delivered by the pump's runReady()

    GroupCommitter committer(engine, *store.value(), options.groupCommitMs);
    committer.start();
    server.asyncHandler = [&state, &committer](const http::Request &req,
                                                http::Server::Responder respond) {
        http::Response r = handleRequest(state, req);
        // Nothing a request wrote is acknowledged before it is durable, and nothing it read
        // is shown before then either: an operator must not act on a task that a crash in the
        // commit window would take back. Health answers regardless, with its own state.
        if (req.url().path() == QLatin1String("/api/health")) {
            respond(r);
            return;
        }
        committer.whenDurable([r, respond](bool durable) mutable {
            if (!durable && r.status < 500) {
                r = {503, problemJson(503, QStringLiteral("Service Unavailable"),
                                      QStringLiteral("the journal cannot be written; try "
                                                     "again")),
                     "application/problem+json",
                     {qMakePair(QByteArray("Retry-After"), QByteArray("5"))}};
            }
            respond(r);
        });
    };
    if (!server.listen(options.address, options.port))
        return fail(QStringLiteral("cannot listen on %1: %2")
                        .arg(options.listen, server.errorString()));
    warnAboutFileLimit(options.limits);

    if (::pipe(g_pipe) != 0)
        return BadInput;
    QSocketNotifier notifier(g_pipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, qApp, [&]() {
        char c;
        [[maybe_unused]] const auto n = ::read(g_pipe[0], &c, 1);
        // Drain: refuse new webhooks, finish what is runnable now, then stop.
        state.draining = true;
        if (poller)
            poller->stop();
        server.close();
        // Calls in flight are awaited (at most kDrainMs): their instances go on to a step
        // boundary instead of being sent again after the restart.
        auto *waited = new QElapsedTimer;
        waited->start();
        auto *poll = new QTimer(qApp);
        QObject::connect(poll, &QTimer::timeout, qApp, [&engine, &committer, poll, waited]() {
            engine.runReady();
            if (engine.callsInFlight() > 0 && waited->elapsed() < kDrainMs)
                return;
            poll->stop();
            poll->deleteLater();
            delete waited;
            committer.flush();
            QCoreApplication::quit();
        });
        poll->start(5);
    });
    std::signal(SIGTERM, onSignal);
    std::signal(SIGINT, onSignal);
    if (heartbeat)
        heartbeat->setAddress(QStringLiteral("http://%1:%2")
                                  .arg(shownAddress(options.address))
                                  .arg(server.serverPort()));
    std::printf("listening on http://%s:%u\n", qPrintable(shownAddress(options.address)),
                unsigned(server.serverPort()));
    std::fflush(stdout);
    QCoreApplication::exec();
    pump.stop();
    committer.stop();
    committer.flush();
    std::printf("stopped\n");
    std::fflush(stdout);
    return Success;
}

} // namespace sb::cli
