#include "runtime/cli/serve_routes.h"

#include "model/jsonlimits.h"
#include "runtime/bundle/bundle.h"
#include "runtime/common/problem.h"
#include "runtime/engine/engine.h"
#include "runtime/pgstore/pgstore.h"
#include "runtime/store/store.h"
#include "runtime/webhook/webhookauth.h"

#include <QDateTime>
#include <QStringList>
#include <QTimer>

#include <optional>

namespace sb::cli {

using ojson = nlohmann::ordered_json;
using namespace sb::runtime;

namespace {

using Reply = http::Response;
using Method = http::Request::Method;
using Params = QStringList; // the {placeholders} of the pattern, in order

Reply json(int status, const ojson &j)
{
    return {status, QByteArray::fromStdString(sb::jsonText(j))};
}
Reply problem(int status, const QString &title, const QString &detail)
{
    return {status, problemJson(status, title, detail), "application/problem+json"};
}
Reply notFound(const http::Request &req)
{
    return problem(404, QStringLiteral("Not Found"), req.url().path());
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

ojson parse(const QByteArray &b)
{
    return ojson::parse(b.constData(), b.constData() + b.size(), nullptr, false);
}

// The engine walks bodies recursively: whatever --max-json-depth allows, a body nested deeper
// than the engine's own limit is refused before it is parsed.
std::optional<Reply> tooDeep(const QByteArray &body)
{
    const auto deep = jsonNestingError(body.constData(), size_t(body.size()), kMaxJsonDepth);
    if (!deep)
        return std::nullopt;
    return problem(400, QStringLiteral("Bad Request"),
                   QStringLiteral("%1 (line %2, column %3)")
                       .arg(deep->message).arg(deep->line).arg(deep->column));
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

// ---- Webhooks and metrics ---------------------------------------------------------------

Reply startWebhook(ServeState &st, const http::Request &req, const Params &params)
{
    const QString &id = params[0];
    if (st.draining)
        return problem(503, QStringLiteral("Service Unavailable"),
                       QStringLiteral("shutting down"));
    // /hooks/{id} starts only workflows that a webhook triggers.
    const model::Workflow *workflow = st.bundle->project.workflow(id);
    if (!workflow || workflow->trigger.type != model::TriggerType::Webhook)
        return problem(404, QStringLiteral("Not Found"),
                       QStringLiteral("no workflow '%1'").arg(id));
    const auto auth = st.webhooks->check(*workflow, req.body(),
        [&req](const QByteArray &h) { return req.value(h); }, QDateTime::currentSecsSinceEpoch());
    if (!auth.ok) {
        Reply r = problem(auth.status, auth.title(), auth.reason);
        if (!auth.wwwAuthenticate.isEmpty())
            r.headers.append(qMakePair(QByteArray("WWW-Authenticate"), auth.wwwAuthenticate));
        return r;
    }
    if (auto refused = tooDeep(req.body()))
        return *refused;
    const ojson body = parse(req.body());
    if (!body.is_object())
        return problem(400, QStringLiteral("Bad Request"),
                       QStringLiteral("the body must be a JSON object"));
    auto r = st.engine->start(id, body);
    // Not committed, so never acknowledged. The reason (paths included) is for the
    // operator: /api/health and stderr.
    if (!r.ok() && (r.error().storage || st.engine->storageFault()))
        return unavailable(QStringLiteral("the journal cannot be written; try again"));
    if (!r.ok() && r.error().kind == ErrorKind::Unprocessable)
        return problem(422, QStringLiteral("Unprocessable Entity"), r.error().message);
    if (!r.ok())
        return problem(500, QStringLiteral("Internal Server Error"), r.error().message);
    if (r.value().filtered) // accepted, but not for this workflow
        return json(200, {{"filtered", true}});
    Engine *engine = st.engine;
    QTimer::singleShot(0, st.pump, [engine]() { engine->runReady(); });
    return json(r.value().duplicate ? 200 : 202,
                {{"instanceId", r.value().instanceId.toStdString()},
                 {"duplicate", r.value().duplicate}});
}

Reply webhookNeedsPost(ServeState &, const http::Request &, const Params &)
{
    return problem(405, QStringLiteral("Method Not Allowed"), QStringLiteral("POST"));
}

QByteArray metricLine(const char *name, const char *type, qint64 value)
{
    return QByteArray("# TYPE ") + name + ' ' + type + '\n' + name + ' '
           + QByteArray::number(value) + '\n';
}

// Every sample of a runner in a group gets runner="ID", so that one Prometheus can scrape
// all the runners of a database apart.
QByteArray withRunnerLabel(const QByteArray &text, const QString &runnerId)
{
    QByteArray value = runnerId.toUtf8();
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    const QByteArray label = "runner=\"" + value + '"';
    QByteArray out;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty())
            continue;
        const qsizetype brace = line.indexOf('{');
        const qsizetype space = line.indexOf(' ');
        if (line.startsWith('#') || space < 0)
            out += line;
        else if (brace >= 0 && brace < space)
            out += line.left(brace + 1) + label + ',' + line.mid(brace + 1);
        else
            out += line.left(space) + '{' + label + '}' + line.mid(space);
        out += '\n';
    }
    return out;
}

Reply metrics(ServeState &st, const http::Request &req, const Params &)
{
    if (req.url().path() != QLatin1String("/metrics"))
        return notFound(req); // "/metrics/" and the like are not the metrics page
    QByteArray m = "# TYPE switchboard_instances gauge\n";
    for (auto s : {InstanceStatus::Running, InstanceStatus::Waiting, InstanceStatus::Completed,
                   InstanceStatus::Failed, InstanceStatus::Compensated,
                   InstanceStatus::DeadLettered}) {
        const auto count = st.store->countInstances(s);
        if (count.ok()) // an unreadable journal shows as a missing series
            m += "switchboard_instances{status=\"" + toString(s).toUtf8() + "\"} "
                 + QByteArray::number(count.value()) + "\n";
    }
    const EngineCounters &c = st.engine->counters();
    m += metricLine("switchboard_storage_fault", "gauge", st.engine->storageFault() ? 1 : 0);
    m += metricLine("switchboard_steps_total", "counter", c.steps);
    m += metricLine("switchboard_retries_total", "counter", c.retries);
    m += metricLine("switchboard_dead_letters_total", "counter", c.deadLetters);
    m += metricLine("switchboard_outbound_calls_total", "counter", c.outboundCalls);
    m += "# TYPE switchboard_http_requests_total counter\n";
    for (const auto &h : st.httpRequests)
        m += "switchboard_http_requests_total{route=\"" + h.first.toUtf8() + "\"} "
             + QByteArray::number(h.second) + "\n";
    m += st.server->metricsText();
    if (!st.runnerId.isEmpty())
        m = withRunnerLabel(m, st.runnerId);
    return {200, m, "text/plain; version=0.0.4"};
}

// ---- Admin API ------------------------------------------------------------------------------

Reply health(ServeState &st, const http::Request &, const Params &)
{
    const std::string bundle = st.bundle->name.toStdString();
    const std::string profile = st.bundle->profile.toStdString();
    if (st.engine->storageFault()) {
        Reply r = json(503, {{"status", "degraded"},
                             {"reason", st.engine->storageFault()->toStdString()},
                             {"bundle", bundle}, {"profile", profile}});
        r.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("5")));
        return r;
    }
    ojson o{{"status", st.draining ? "draining" : "ok"}, {"bundle", bundle},
            {"profile", profile}};
    // On PostgreSQL: the runners that share the database, their heartbeats and leases.
    if (auto *pg = dynamic_cast<PostgresStore *>(st.store)) {
        auto runners = pg->runners();
        if (!runners.ok())
            return storeProblem(runners.error());
        ojson list = ojson::array();
        for (const RunnerInfo &r : runners.value())
            list.push_back({{"id", r.id.toStdString()},
                            {"address", r.address.toStdString()},
                            {"heartbeat", r.heartbeat.toString(Qt::ISODateWithMs).toStdString()},
                            {"leases", r.leases}});
        o["store"] = "postgresql";
        o["runner"] = st.runnerId.toStdString();
        o["runners"] = list;
    }
    return json(200, o);
}

Reply listInstances(ServeState &st, const http::Request &, const Params &)
{
    ojson list = ojson::array();
    const auto all = st.store->instances({}, 1000);
    if (!all.ok())
        return storeProblem(all.error());
    for (const InstanceRecord &r : all.value())
        list.push_back(instanceJson(r));
    return json(200, list);
}

Reply showInstance(ServeState &st, const http::Request &, const Params &params)
{
    auto r = st.store->instance(params[0]);
    if (!r.ok() && r.error().storage)
        return storeProblem(r.error());
    if (!r.ok())
        return problem(404, QStringLiteral("Not Found"), r.error().message);
    ojson o = instanceJson(r.value());
    o["state"] = parse(r.value().variables);
    ojson journal = ojson::array();
    const auto j = st.store->journal(params[0]);
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

Reply listDeadLetters(ServeState &st, const http::Request &, const Params &)
{
    ojson list = ojson::array();
    const auto all = st.store->deadLetters();
    if (!all.ok())
        return storeProblem(all.error());
    for (const DeadLetter &d : all.value())
        list.push_back({{"id", d.id}, {"instanceId", d.instanceId.toStdString()},
                        {"step", d.stepId.toStdString()}, {"error", d.error.toStdString()},
                        {"context", parse(d.context)}});
    return json(200, list);
}

Reply replayDeadLetter(ServeState &st, const http::Request &req, const Params &params)
{
    if (auto refused = tooDeep(req.body()))
        return *refused;
    std::optional<ojson> payload;
    if (!req.body().trimmed().isEmpty()) {
        payload = parse(req.body());
        if (!payload->is_object())
            return problem(400, QStringLiteral("Bad Request"),
                           QStringLiteral("the edited payload must be a JSON object"));
    }
    // The bundle may have been fixed on disk (e.g. a mapping): run the new one.
    auto fresh = loadBundle(st.bundleFile);
    if (fresh.ok())
        st.engine->setProject(fresh.value().project);
    auto r = st.engine->replay(params[0].toLongLong(), payload);
    if (!r.ok() && r.error().storage)
        return storeProblem(r.error());
    if (!r.ok())
        return problem(409, QStringLiteral("Conflict"), r.error().message);
    return json(202, {{"instanceId", r.value().toStdString()}});
}

Reply listTasks(ServeState &st, const http::Request &, const Params &)
{
    ojson list = ojson::array();
    const auto all = st.store->tasks();
    if (!all.ok())
        return storeProblem(all.error());
    for (const ApprovalTask &t : all.value())
        list.push_back({{"id", t.id}, {"instanceId", t.instanceId.toStdString()},
                        {"step", t.stepId.toStdString()}, {"role", t.role.toStdString()},
                        {"status", toString(t.status).toStdString()},
                        {"escalateAt", t.escalateAt.toString(Qt::ISODateWithMs).toStdString()}});
    return json(200, list);
}

Reply decideTask(ServeState &st, const http::Request &req, const Params &params)
{
    const QString &decision = params[1];
    if (decision != QLatin1String("approve") && decision != QLatin1String("reject"))
        return notFound(req);
    if (auto refused = tooDeep(req.body()))
        return *refused;
    const ojson b = parse(req.body());
    std::optional<ojson> payload;
    if (b.is_object() && b.contains("payload"))
        payload = b["payload"];
    const auto text = [&b](const char *key) {
        return QString::fromStdString(b.is_object() ? b.value(key, std::string())
                                                    : std::string());
    };
    auto r = st.engine->decideTask(params[0].toLongLong(), decision == QLatin1String("approve"),
                                   text("by"), text("note"), payload);
    if (!r.ok() && r.error().storage)
        return storeProblem(r.error());
    if (!r.ok())
        return problem(409, QStringLiteral("Conflict"), r.error().message);
    return json(200, {{"task", params[0].toLongLong()}, {"decision", decision.toStdString()}});
}

// ---- The table ------------------------------------------------------------------------------

using Handler = Reply (*)(ServeState &, const http::Request &, const Params &);

struct Route
{
    std::optional<Method> method; // none: any method
    const char *pattern;          // "{name}" takes one segment, a final "**" any rest
    Handler handler;
};

// Open to anyone (webhooks authenticate per trigger).
const Route kPublicRoutes[] = {
    {Method::Post, "/hooks/{workflow}", startWebhook},
    {std::nullopt, "/hooks/{workflow}", webhookNeedsPost},
    {Method::Get, "/metrics", metrics},
};

// Behind the admin token; every path under /api is checked before any of these is tried.
const Route kAdminRoutes[] = {
    {Method::Get, "/api/health/**", health},
    {Method::Get, "/api/instances", listInstances},
    {Method::Get, "/api/instances/{id}", showInstance},
    {Method::Get, "/api/dead-letters", listDeadLetters},
    {Method::Post, "/api/dead-letters/{id}/replay", replayDeadLetter},
    {Method::Get, "/api/tasks", listTasks},
    {Method::Post, "/api/tasks/{id}/{decision}", decideTask},
};

bool matches(const Route &route, const http::Request &req, const QStringList &parts,
             Params *params)
{
    if (route.method && *route.method != req.method())
        return false;
    const QStringList pattern =
        QString::fromLatin1(route.pattern).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const bool rest = !pattern.isEmpty() && pattern.last() == QLatin1String("**");
    const qsizetype fixed = rest ? pattern.size() - 1 : pattern.size();
    if (rest ? parts.size() < fixed : parts.size() != fixed)
        return false;
    params->clear();
    for (qsizetype i = 0; i < fixed; ++i) {
        if (pattern[i].startsWith(QLatin1Char('{')))
            params->append(parts[i]);
        else if (pattern[i] != parts[i])
            return false;
    }
    return true;
}

template <size_t N>
std::optional<Reply> dispatch(const Route (&table)[N], ServeState &st,
                              const http::Request &req, const QStringList &parts)
{
    Params params;
    for (const Route &route : table) {
        if (matches(route, req, parts, &params))
            return route.handler(st, req, params);
    }
    return std::nullopt;
}

} // namespace

http::Response handleRequest(ServeState &st, const http::Request &req)
{
    const QString path = req.url().path();
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    st.httpRequests[http::routeLabel(path)] += 1;
    if (auto reply = dispatch(kPublicRoutes, st, req, parts))
        return *reply;
    if (parts.value(0) != QLatin1String("api"))
        return notFound(req);
    if (st.adminToken.isEmpty()
        || !http::constantTimeEquals(req.value("Authorization"), "Bearer " + st.adminToken))
        return problem(401, QStringLiteral("Unauthorized"),
                       QStringLiteral("send Authorization: Bearer $SWITCHBOARD_ADMIN_TOKEN"));
    if (auto reply = dispatch(kAdminRoutes, st, req, parts))
        return *reply;
    return notFound(req);
}

} // namespace sb::cli
