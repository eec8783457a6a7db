// Call and lookup steps: body from the mapping, path template, idempotency key and ledger,
// the sandbox's path translation, retries with backoff and Retry-After.
#include "runtime/engine/enginedetail.h"

#include "model/jsonlimits.h"
#include "runtime/mapping/mappingexecutor.h"

#include <QCryptographicHash>
#include <QUrl>
#include <QUrlQuery>

#include <cmath>

namespace sb::runtime {

using namespace enginedetail;
using model::EdgeKind;
using model::Step;
using model::StepType;

namespace {

QString camel(const QString &dashed)
{
    const QStringList parts = dashed.split(QLatin1Char('-'), Qt::SkipEmptyParts);
    QString out;
    for (int i = 0; i < parts.size(); ++i)
        out += i == 0 ? parts[i] : parts[i].left(1).toUpper() + parts[i].mid(1);
    return out;
}

// A record key the sandbox accepts (short, within the key field's maxLength), derived from
// the idempotency key so a retried create names the same record.
QString shortKey(const model::Entity &e, const QString &seed)
{
    QString prefix;
    for (const QChar c : e.name) {
        if (c.isUpper())
            prefix += c;
    }
    if (prefix.isEmpty())
        prefix = e.name.left(1).toUpper();
    const model::Field *f = e.field(e.key);
    const int max = f && f->maxLength > 0 ? f->maxLength : 16;
    const QString hex = QString::fromLatin1(
        QCryptographicHash::hash(seed.toUtf8(), QCryptographicHash::Sha256).toHex().toUpper());
    return prefix + QLatin1Char('-') + hex.left(std::max(4, max - int(prefix.size()) - 1));
}

bool isWrite(const QString &method)
{
    const QString m = method.toUpper();
    return m != QLatin1String("GET") && m != QLatin1String("HEAD");
}

qint64 backoffMs(const model::RetryPolicy &p, int attempt, QRandomGenerator &g)
{
    const double base = std::max(1, p.initialBackoffMs)
                        * std::pow(p.multiplier > 0 ? p.multiplier : 2.0, attempt - 1);
    double d = std::min(base, double(p.maxBackoffMs > 0 ? p.maxBackoffMs : 60000));
    if (p.jitter)
        d = d / 2 + g.generateDouble() * d / 2; // "equal jitter": half fixed, half random
    return qint64(d);
}

qint64 retryAfterMs(const QByteArray &value, const QDateTime &now)
{
    bool ok = false;
    const double secs = value.trimmed().toDouble(&ok);
    if (ok)
        return qint64(secs * 1000);
    const QDateTime at = QDateTime::fromString(QString::fromLatin1(value.trimmed()),
                                               Qt::RFC2822Date);
    return at.isValid() ? std::max<qint64>(0, now.msecsTo(at)) : 0;
}

} // namespace

// One outbound call while it is prepared, sent and judged.
struct Engine::Call
{
    QString method;
    QString path;            // the step's path with its {expressions} filled in
    QString finalPath;       // what is sent (the sandbox's translation of `path`)
    QByteArray body;
    QString key;             // Idempotency-Key; empty for reads
    HeaderList headers;
    int timeoutMs = 0;
    OutboundResponse response;
    bool answered = false;   // `response` is known without sending (ledger, failed lookup)
};

namespace {

// The {yesterday}, {today} and {lastRun} a path template may use.
jsonata::Bindings pathBindings(const QDateTime &now)
{
    return {{"yesterday", jsonata::fromJson(s(now.addDays(-1).date().toString(Qt::ISODate)))},
            {"today", jsonata::fromJson(s(now.date().toString(Qt::ISODate)))},
            {"lastRun", jsonata::fromJson(s(now.addDays(-1).toString(Qt::ISODate)))}};
}

// The standard reason phrase of an HTTP status (servers often send an empty body).
QString reasonPhrase(int status)
{
    static const QHash<int, QString> phrases{
        {400, QStringLiteral("Bad Request")}, {401, QStringLiteral("Unauthorized")},
        {402, QStringLiteral("Payment Required")}, {403, QStringLiteral("Forbidden")},
        {404, QStringLiteral("Not Found")}, {405, QStringLiteral("Method Not Allowed")},
        {406, QStringLiteral("Not Acceptable")}, {408, QStringLiteral("Request Timeout")},
        {409, QStringLiteral("Conflict")}, {410, QStringLiteral("Gone")},
        {412, QStringLiteral("Precondition Failed")},
        {413, QStringLiteral("Payload Too Large")},
        {415, QStringLiteral("Unsupported Media Type")},
        {422, QStringLiteral("Unprocessable Entity")}, {423, QStringLiteral("Locked")},
        {428, QStringLiteral("Precondition Required")},
        {429, QStringLiteral("Too Many Requests")},
        {500, QStringLiteral("Internal Server Error")},
        {501, QStringLiteral("Not Implemented")}, {502, QStringLiteral("Bad Gateway")},
        {503, QStringLiteral("Service Unavailable")},
        {504, QStringLiteral("Gateway Timeout")}};
    return phrases.value(status);
}

// "HTTP 404 Not Found" plus what the body says: a problem's detail and per-field errors,
// else an excerpt of the body itself (so an empty or odd body still reads sensibly).
QString statusReason(int status, const QByteArray &body)
{
    QString out = QStringLiteral("HTTP %1").arg(status);
    const QString phrase = reasonPhrase(status);
    if (!phrase.isEmpty())
        out += QLatin1Char(' ') + phrase;
    const ojson b = parseOrString(body);
    QString detail = b.is_object() ? q(b.value("detail", std::string())) : QString();
    if (b.is_object() && b.contains("errors") && b["errors"].is_array()) {
        for (const auto &e : b["errors"])
            detail += QStringLiteral("; %1 %2").arg(q(e.value("pointer", std::string())),
                                                    q(e.value("detail", std::string())));
    }
    if (detail.isEmpty() && b.is_object() && b.contains("title") && b["title"].is_string()
        && q(b["title"].get<std::string>()) != phrase)
        detail = q(b["title"].get<std::string>());
    if (!detail.isEmpty())
        return out + QStringLiteral(": ") + detail;
    const QString text = QString::fromUtf8(body).simplified();
    if (text.isEmpty())
        return out + QStringLiteral(" (empty body)");
    constexpr int kExcerpt = 200;
    return out + QStringLiteral("; body: ")
           + (text.size() > kExcerpt ? text.left(kExcerpt) + QStringLiteral("…") : text);
}

} // namespace

Engine::Outcome Engine::executeCall(const model::Workflow &wf, const Step &step,
                                    const InstanceRecord &rec, State &st, bool compensation)
{
    Q_UNUSED(wf)
    Q_UNUSED(compensation)
    const model::Mapping *mapping = step.mapping.isEmpty() ? nullptr
                                                           : m_project.mapping(step.mapping);
    const std::string var = mapping ? st.varFor(mapping->source.display()) : st.last;
    const EvalInput ctx(st.context(var));
    Call call;
    call.method = step.method.isEmpty() ? (step.type == StepType::Lookup ? QStringLiteral("GET")
                                                                         : QStringLiteral("POST"))
                                        : step.method.toUpper();
    if (std::optional<Outcome> failed = prepareBody(step, st, var, call))
        return *failed;
    const jsonata::Bindings bindings = pathBindings(now());
    if (std::optional<Outcome> failed = expandPath(step, ctx, bindings, call))
        return *failed;
    if (isWrite(call.method)) {
        QString keyError;
        call.key = idempotencyKey(step, rec, st, ctx, bindings, &keyError);
        if (!keyError.isEmpty())
            return Outcome::businessError(QStringLiteral("definition"), keyError);
    }
    // The step's own timeout is the most specific; the profile's is the endpoint's default.
    const model::EndpointProfile *profile = profileFor(step.system);
    call.timeoutMs = step.timeoutMs > 0                  ? step.timeoutMs
                     : profile && profile->timeoutMs > 0 ? profile->timeoutMs
                                                         : m_options.defaultTimeoutMs;
    const QString traceId = rec.traceparent.section(QLatin1Char('-'), 1, 1);
    call.headers.append(QPair<QByteArray, QByteArray>(
        "traceparent", QStringLiteral("00-%1-%2-01").arg(traceId, newSpanId()).toLatin1()));
    call.headers.append(
        QPair<QByteArray, QByteArray>("X-Correlation-Id", rec.correlationId.toUtf8()));
    if (!call.key.isEmpty())
        call.headers.append(QPair<QByteArray, QByteArray>("Idempotency-Key", call.key.toUtf8()));
    if (!call.body.isEmpty())
        call.headers.append(QPair<QByteArray, QByteArray>("Content-Type", "application/json"));

    call.finalPath = call.path;
    const bool sandbox = usesSandbox(step.system);
    if (sandbox)
        translateForSandbox(step, rec, call);

    Outcome o;
    if (!call.answered && !call.key.isEmpty() && !consultLedger(call, o))
        return o;
    if (!call.answered && !step.upsertKey.isEmpty() && call.method == QLatin1String("POST"))
        o.span["upsert"] = findUpsertTarget(step, sandbox, call);
    o.span["request"] = {{"method", s(call.method)}, {"path", s(call.finalPath)}};
    ojson h = ojson::object();
    for (const auto &p : redactHeaders(call.headers))
        h[p.first.toStdString()] = p.second.toStdString();
    o.span["request"]["headers"] = h;
    if (!call.body.isEmpty())
        o.span["request"]["body"] = parseOrString(call.body);
    if (!call.answered)
        call.response = send(step, call.method, call.finalPath, call.body, call.headers,
                             call.timeoutMs);
    if (call.response.pending) {
        o.kind = Outcome::Pending;
        return o;
    }
    return judgeResponse(step, rec, st, call, o);
}

// Body from the mapping, else the current document for writes. An outcome when it fails.
std::optional<Engine::Outcome> Engine::prepareBody(const Step &step, const State &st,
                                                   const std::string &var, Call &call)
{
    if (!isWrite(call.method))
        return std::nullopt;
    if (step.mapping.isEmpty()) {
        const ojson d = st.doc(var);
        if (step.type != StepType::Compensate && d.is_object())
            call.body = bytes(d);
        return std::nullopt;
    }
    const MappingExecutor *ex = executor(step.mapping);
    if (!ex)
        return Outcome::businessError(QStringLiteral("mapping"),
                             QStringLiteral("unknown mapping '%1'").arg(step.mapping));
    const MappingOutcome mo = ex->execute(st.doc(var), {}, stepBudget(m_options.eval, step));
    if (!mo.ok()) {
        QStringList errs;
        for (const RuleIssue &i : mo.errors)
            errs << i.toString();
        return Outcome::businessError(QStringLiteral("mapping"),
                             QStringLiteral("mapping %1: %2")
                                 .arg(step.mapping, errs.join(QLatin1String("; "))));
    }
    call.body = bytes(mo.output);
    return std::nullopt;
}

// Path template: each {expr} is JSONata over the context, percent-encoded.
std::optional<Engine::Outcome> Engine::expandPath(const Step &step, const EvalInput &ctx,
                                                  const jsonata::Bindings &bindings, Call &call)
{
    const QString tpl = step.path;
    for (qsizetype i = 0; i < tpl.size(); ++i) {
        if (tpl[i] != QLatin1Char('{')) {
            call.path += tpl[i];
            continue;
        }
        const qsizetype close = tpl.indexOf(QLatin1Char('}'), i);
        if (close < 0) {
            call.path += tpl.mid(i);
            break;
        }
        QString err;
        auto v = eval(compiled(tpl.mid(i + 1, close - i - 1)), ctx, &err,
                      stepBudget(m_options.eval, step), bindings);
        if (!v)
            return Outcome::businessError(QStringLiteral("definition"),
                                 QStringLiteral("path %1: %2").arg(tpl, err));
        call.path += QString::fromLatin1(QUrl::toPercentEncoding(scalarText(*v)));
        i = close;
    }
    return std::nullopt;
}

// The step's key expression, else instance:step; a replay after a business error adds the
// suffix that makes it fresh.
QString Engine::idempotencyKey(const Step &step, const InstanceRecord &rec, const State &st,
                               const EvalInput &ctx, const jsonata::Bindings &bindings,
                               QString *error)
{
    QString key;
    if (!step.idempotencyKey.isEmpty()) {
        // A key that cannot be computed must not silently become a per-instance key: two
        // instances of one record would then both write.
        QString err;
        auto v = eval(compiled(step.idempotencyKey), ctx, &err,
                      stepBudget(m_options.eval, step), bindings);
        if (!v) {
            *error = QStringLiteral("idempotency key %1: %2").arg(step.idempotencyKey, err);
            return {};
        }
        if (v->is_null() || scalarText(*v).isEmpty()) {
            *error = QStringLiteral("idempotency key %1 yields nothing")
                         .arg(step.idempotencyKey);
            return {};
        }
        key = scalarText(*v);
    }
    if (key.isEmpty())
        key = rec.id + QLatin1Char(':') + step.id;
    if (st.rekey.is_object() && st.rekey.value("step", std::string()) == s(step.id))
        key += q(st.rekey.value("suffix", std::string()));
    return key;
}

OutboundResponse Engine::send(const Step &step, const QString &method, const QString &path,
                              const QByteArray &body, const HeaderList &headers, int timeoutMs)
{
    OutboundRequest r;
    r.system = step.system;
    r.method = method;
    r.path = path;
    r.headers = headers;
    r.body = body;
    r.timeoutMs = timeoutMs;
    if (m_current) { // asynchronous: answered from memory, else sent and the step pends
        if (m_current->next < m_current->answers.size())
            return m_current->answers[m_current->next++];
        ++m_counters.outboundCalls;
        const size_t index = m_current->next++;
        m_current->waiting = true;
        std::weak_ptr<bool> alive = m_alive;
        m_connector->sendAsync(r, [this, alive, id = m_currentId, gen = m_callGeneration,
                                   index](const OutboundResponse &answer) {
            if (!alive.expired())
                callAnswered(id, gen, index, answer);
        });
        OutboundResponse pending;
        pending.pending = true;
        return pending;
    }
    ++m_counters.outboundCalls;
    OutboundResponse resp = m_connector->send(r);
    // The wait may have let the batch commit: what follows joins a new one, not a commit
    // of its own. A failure is a storage fault; the step's next write sees it.
    saved(m_store->beginBatch());
    return resp;
}

// The sandbox speaks /{system}/{Entity}[/{id}]: translate the step's REST path.
void Engine::translateForSandbox(const Step &step, const InstanceRecord &rec, Call &call)
{
    const model::System *sys = m_project.system(step.system);
    const model::Entity *ent = sys ? sys->entity(step.entity) : nullptr;
    QString query;
    QString p = call.path;
    const qsizetype qm = p.indexOf(QLatin1Char('?'));
    if (qm >= 0) {
        QUrlQuery in(p.mid(qm + 1));
        QUrlQuery out;
        for (const auto &kv : in.queryItems(QUrl::FullyEncoded)) {
            if (!kv.second.isEmpty())
                out.addQueryItem(kv.first, kv.second);
        }
        query = out.toString(QUrl::FullyEncoded);
        p = p.left(qm);
    }
    const QStringList segs = p.split(QLatin1Char('/'), Qt::SkipEmptyParts).mid(1);
    const QString base = QStringLiteral("/%1/%2").arg(step.system, step.entity);
    if (segs.isEmpty()) {
        call.finalPath = base + (query.isEmpty() ? QString() : QLatin1Char('?') + query);
        if (call.method == QLatin1String("POST") && ent && !ent->key.isEmpty()) {
            ojson b = parseJson(call.body);
            if (b.is_object() && !b.contains(s(ent->key))) {
                const QString seed = call.key.isEmpty() ? rec.id + step.id : call.key;
                b[s(ent->key)] = s(shortKey(*ent, seed));
                call.body = bytes(b);
            }
        }
    } else if (segs.size() == 1) {
        call.finalPath = base + QLatin1Char('/') + segs[0];
    } else if (segs.size() == 2 && segs[0].startsWith(QLatin1String("by-"))) {
        lookUpSandboxKey(step, ent, base, segs, call);
    } else if (segs.size() == 2) {
        // An action (/orders/42/cancel): a PATCH of the status the action leads to.
        call.finalPath = base + QLatin1Char('/') + segs[0];
        call.method = QStringLiteral("PATCH");
        if (call.body.isEmpty() && ent) {
            QString status = segs[1];
            if (const model::Field *f = ent->field(QStringLiteral("status"))) {
                for (const QString &v : f->enumValues) {
                    if (v.startsWith(segs[1].left(5)))
                        status = v;
                }
            }
            call.body = bytes(ojson{{"status", s(status)}});
            call.headers.append(
                QPair<QByteArray, QByteArray>("Content-Type", "application/json"));
        }
    }
}

// /entities/by-{field}/{value}: find the record's key first (a GET by that field).
void Engine::lookUpSandboxKey(const Step &step, const model::Entity *ent, const QString &base,
                              const QStringList &segs, Call &call)
{
    const QString field = camel(segs[0].mid(3));
    const QString value = QUrl::fromPercentEncoding(segs[1].toUtf8());
    QUrlQuery fq;
    fq.addQueryItem(field, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    const OutboundResponse found =
        send(step, QStringLiteral("GET"), base + QLatin1Char('?') + fq.toString(), QByteArray(),
             call.headers.mid(0, 2), call.timeoutMs);
    if (!found.ok() || found.status != 200) {
        call.response = found;
        call.answered = true;
        return;
    }
    const ojson list = parseJson(found.body);
    QString id;
    if (list.is_array() && !list.empty() && ent && list[0].is_object())
        id = scalarText(list[0].value(s(ent->key), ojson()));
    if (id.isEmpty() && call.method != QLatin1String("PUT")) {
        call.response.status = 404;
        call.response.body = bytes(ojson{{"title", "Not Found"},
                                         {"detail", s(QStringLiteral("no %1 with %2 = %3")
                                                          .arg(step.entity, field, value))}});
        call.response.url = QStringLiteral("sandbox:") + base;
        call.answered = true;
    }
    if (id.isEmpty() && ent)
        id = shortKey(*ent, step.entity + QLatin1Char(':') + value);
    call.finalPath = base + QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(id));
}

namespace {

// The value at a dotted path of a JSON object (null when absent).
ojson valueAt(const ojson &doc, const QString &path)
{
    const ojson *cur = &doc;
    for (const QString &part : path.split(QLatin1Char('.'))) {
        if (!cur->is_object() || !cur->contains(s(part)))
            return ojson();
        cur = &(*cur)[s(part)];
    }
    return *cur;
}

} // namespace

// A create with a natural key: GET the collection filtered by the key's fields first; one
// match turns the POST into a PATCH of that record (addressed by the entity's id field, the
// key on the sandbox), none keeps the POST, several are a conflict. Failed lookups answer
// the call (retried like the call itself). Returns what the span records.
ojson Engine::findUpsertTarget(const Step &step, bool sandbox, Call &call)
{
    const model::System *sys = m_project.system(step.system);
    const model::Entity *ent = sys ? sys->entity(step.entity) : nullptr;
    const ojson body = parseJson(call.body);
    QString collection = call.finalPath.section(QLatin1Char('?'), 0, 0);
    while (collection.endsWith(QLatin1Char('/')))
        collection.chop(1);
    QUrlQuery filter;
    QStringList shown;
    for (const QString &field : step.upsertKey) {
        const ojson v = valueAt(body, field);
        if (v.is_null() || !v.is_primitive()) {
            call.answered = true;
            call.response.status = 422;
            call.response.url = collection;
            call.response.body = bytes(ojson{
                {"title", "Unprocessable Entity"},
                {"detail", s(QStringLiteral("upsert key field '%1' is missing from the body")
                                 .arg(field))}});
            return ojson{{"missing", s(field)}};
        }
        filter.addQueryItem(field, QString::fromLatin1(QUrl::toPercentEncoding(scalarText(v))));
        shown << field + QLatin1Char('=') + scalarText(v);
    }
    const OutboundResponse found =
        send(step, QStringLiteral("GET"), collection + QLatin1Char('?') + filter.toString(),
             QByteArray(), call.headers.mid(0, 2), call.timeoutMs);
    ojson span{{"lookup", s(collection + QLatin1Char('?') + filter.toString())},
               {"status", found.status}};
    if (found.ok() && found.status == 404) { // an empty collection on some servers
        span["matches"] = 0;
        return span;
    }
    if (!found.ok() || found.status < 200 || found.status >= 300) {
        call.response = found;
        call.answered = true;
        return span;
    }
    const ojson list = parseJson(found.body);
    const ojson one = list.is_array() && list.size() == 1 ? list[0]
                      : list.is_object()                 ? list
                                                         : ojson();
    const int matches = list.is_array() ? int(list.size()) : list.is_object() ? 1 : 0;
    span["matches"] = matches;
    if (matches == 0)
        return span;
    const QString idField = sandbox ? (ent && !ent->key.isEmpty() ? ent->key
                                                                  : QStringLiteral("id"))
                                    : (ent ? ent->addressField() : QStringLiteral("id"));
    const QString id = one.is_object() ? scalarText(one.value(s(idField), ojson())) : QString();
    if (matches > 1 || id.isEmpty()) {
        call.answered = true;
        call.response.status = 409;
        call.response.url = collection;
        call.response.body = bytes(ojson{
            {"title", "Conflict"},
            {"detail", s(matches > 1 ? QStringLiteral("%1 records match %2")
                                           .arg(matches).arg(shown.join(QLatin1String(", ")))
                                     : QStringLiteral("the record matching %1 has no '%2'")
                                           .arg(shown.join(QLatin1String(", ")), idField))}});
        return span;
    }
    call.method = QStringLiteral("PATCH");
    // The sandbox gave the create a generated key; the update keeps the record's own.
    ojson patched = body;
    if (sandbox && patched.is_object() && patched.contains(s(idField)))
        patched[s(idField)] = one[s(idField)];
    call.body = bytes(patched);
    call.finalPath = collection + QLatin1Char('/')
                     + QString::fromLatin1(QUrl::toPercentEncoding(id));
    span["id"] = s(id);
    return span;
}

// A write already answered is answered again from the ledger, never sent twice. False
// (with a storage fault in `o`) when the ledger cannot be read.
bool Engine::consultLedger(Call &call, Outcome &o)
{
    auto recorded = m_store->outbound(call.key);
    if (!saved(recorded)) {
        o.kind = Outcome::StorageFault; // never send without knowing the ledger
        return false;
    }
    if (recorded.value()) {
        call.response.status = recorded.value()->status;
        call.response.body = recorded.value()->response;
        call.response.url = QStringLiteral("ledger:") + call.key;
        o.span["ledger"] = true;
        ++m_counters.ledgerHits;
        call.answered = true;
    }
    return true;
}

// Transient failures are retried (backoff, Retry-After) until the attempts run out; other
// statuses outside 2xx are business errors; a success is recorded in the ledger and becomes
// the step's output.
Engine::Outcome Engine::judgeResponse(const Step &step, const InstanceRecord &rec, State &st,
                                      const Call &call, Outcome o)
{
    const OutboundResponse &resp = call.response;
    o.status = resp.status;
    o.span["response"] = {{"status", resp.status}, {"url", s(resp.url)}};
    if (!resp.body.isEmpty())
        o.span["response"]["body"] = parseOrString(resp.body);
    if (!resp.transportError.isEmpty())
        o.span["response"]["error"] = s(resp.transportError);

    const int maxAttempts = step.retry.maxAttempts > 0 ? step.retry.maxAttempts
                                                       : m_options.defaultMaxAttempts;
    const bool transient = !resp.ok() || resp.status == 408 || resp.status == 429
                           || resp.status >= 500 || step.transientStatuses.contains(resp.status);
    const QString &method = call.method;
    const QString &finalPath = call.finalPath;
    if (transient) {
        o.error = resp.ok() ? QStringLiteral("%1 %2: %3")
                                  .arg(method, finalPath, statusReason(resp.status, resp.body))
                            : QStringLiteral("%1 %2: %3").arg(method, finalPath,
                                                              resp.transportError);
        o.category = resp.timedOut ? QStringLiteral("timeout") : QStringLiteral("transient");
        if (st.attempt < maxAttempts) {
            o.kind = Outcome::Retry;
            o.delayMs = backoffMs(step.retry, st.attempt, m_random);
            const qint64 ra = retryAfterMs(resp.header("Retry-After"), now());
            o.delayMs = std::max(o.delayMs, ra);
        } else {
            o.kind = resp.timedOut ? Outcome::TimedOut : Outcome::Exhausted;
            o.error = QStringLiteral("gave up after %1 attempts: %2").arg(st.attempt).arg(o.error);
        }
        return o;
    }
    if (resp.status < 200 || resp.status >= 300) {
        o.kind = Outcome::BusinessError;
        o.category = QStringLiteral("business");
        o.error = QStringLiteral("%1 %2: %3")
                      .arg(method, finalPath, statusReason(resp.status, resp.body));
        return o;
    }
    const ojson result = parseOrString(resp.body);
    if (!call.key.isEmpty() && !o.span.contains("ledger")) {
        OutboundRecord r;
        r.key = call.key;
        r.instanceId = rec.id;
        r.stepId = step.id;
        r.status = resp.status;
        r.response = resp.body.isEmpty() ? QByteArray("null") : resp.body;
        if (!saved(m_store->recordOutbound(r))) {
            o.kind = Outcome::StorageFault; // re-sent with the same key after recovery
            return o;
        }
    }
    if (!step.output.isEmpty())
        st.setOutput(step.output, step.system.isEmpty() ? QString()
                                  : step.system + QLatin1Char('.') + step.entity, result);
    return o;
}

} // namespace sb::runtime
