#include "runtime/sandbox/sandbox.h"

#include "model/entityschema.h"
#include "model/jsonlimits.h"
#include "runtime/common/problem.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QUrlQuery>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <cmath>

namespace sb::runtime {

using nlohmann::json;
using nlohmann::ordered_json;

struct Sandbox::Collection
{
    QString system;
    const model::Entity *entity = nullptr;
    json schemaJson;
    valijson::Schema schema;
    std::map<QString, ordered_json> records;   // by key
    qint64 nextId = 1;
};

namespace {

QString normalise(const QString &name)
{
    QString n = name.toLower();
    n.remove(QLatin1Char('-'));
    n.remove(QLatin1Char('_'));
    return n;
}

// "[a]", "[0]" context items of valijson to a JSON pointer.
QString pointerOf(const std::vector<std::string> &context)
{
    QString p;
    for (const std::string &c : context) {
        if (c.size() >= 2 && c.front() == '[' && c.back() == ']') {
            QString seg = QString::fromStdString(c.substr(1, c.size() - 2));
            seg.replace(QLatin1Char('~'), QLatin1String("~0"));
            seg.replace(QLatin1Char('/'), QLatin1String("~1"));
            p += QLatin1Char('/') + seg;
        }
    }
    return p;
}

SandboxResponse jsonResponse(int status, const QByteArray &body)
{
    SandboxResponse r;
    r.status = status;
    r.body = body;
    r.headers.push_back({"Content-Type", "application/json"});
    return r;
}

SandboxResponse jsonResponse(int status, const ordered_json &body)
{
    const std::string s = sb::jsonText(body);
    return jsonResponse(status, QByteArray(s.data(), qsizetype(s.size())));
}

SandboxResponse problem(int status, const QString &title, const QString &detail,
                        const json &errors = json())
{
    SandboxResponse r;
    r.status = status;
    r.body = problemJson(status, title, detail, errors);
    r.headers.push_back({"Content-Type", "application/problem+json"});
    return r;
}

QString keyText(const ordered_json &v)
{
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_number_integer())
        return QString::number(v.get<qint64>());
    return QString();
}

// One CSV line split into fields; quotes may hold separators and doubled quotes.
QStringList splitCsv(const QString &line)
{
    QStringList out;
    QString cur;
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < line.size() && line[i + 1] == QLatin1Char('"')) {
                cur += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                cur += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            out.append(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.append(cur);
    return out;
}

ordered_json csvValue(const model::Field *f, const QString &text)
{
    using model::FieldType;
    if (f) {
        bool ok = false;
        switch (f->type) {
        case FieldType::Integer: {
            const qint64 v = text.toLongLong(&ok);
            if (ok)
                return v;
            break;
        }
        case FieldType::Number: {
            const double v = text.toDouble(&ok);
            if (ok)
                return v;
            break;
        }
        case FieldType::Decimal: {
            text.toDouble(&ok);
            if (ok)
                return json::parse(text.toStdString(), nullptr, false);
            break;
        }
        case FieldType::Boolean:
            if (text == QLatin1String("true") || text == QLatin1String("false"))
                return text == QLatin1String("true");
            break;
        default:
            break;
        }
    }
    return text.toStdString();
}

} // namespace

QByteArray SandboxResponse::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return QByteArray();
}

Sandbox::~Sandbox() = default;

Result<std::unique_ptr<Sandbox>> Sandbox::create(const model::Project &project,
                                                 const QString &projectDir, quint64 seed)
{
    std::unique_ptr<Sandbox> sb(new Sandbox);
    sb->m_project = project;
    sb->m_random.seed(quint32(seed ^ (seed >> 32)));
    sb->m_clock.start();
    for (const model::System &s : sb->m_project.systems) {
        sb->m_faults.insert(s.id, FaultConfig{});
        for (const model::Entity &e : s.entities) {
            auto c = std::make_unique<Collection>();
            c->system = s.id;
            c->entity = &e;
            c->schemaJson = model::entityJsonSchema(e);
            try {
                valijson::SchemaParser parser;
                valijson::adapters::NlohmannJsonAdapter adapter(c->schemaJson);
                parser.populateSchema(adapter, c->schema);
            } catch (const std::exception &ex) {
                return Error{QStringLiteral("cannot build the schema of %1.%2: %3")
                                 .arg(s.id, e.name, QString::fromUtf8(ex.what()))};
            }
            sb->m_collections[s.id + QLatin1Char('/') + e.name] = std::move(c);
        }
    }
    for (const model::Dataset &d : sb->m_project.datasets) {
        auto seeded = sb->seed(d, projectDir);
        if (!seeded.ok())
            return seeded.error();
    }
    sb->m_events.clear(); // seeding is the initial state, not a change
    sb->m_nextEvent = 1;
    return sb;
}

Result<int> Sandbox::seed(const model::Dataset &d, const QString &projectDir)
{
    Collection *c = collection(d.system, d.entity);
    if (!c)
        return Error{QStringLiteral("data set %1: unknown system entity %2.%3")
                         .arg(d.id, d.system, d.entity)};
    const QString path = QDir(projectDir).filePath(d.file);
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read data set %1: %2").arg(d.id, f.errorString()),
                     path};
    const QByteArray text = f.readAll();
    std::vector<ordered_json> rows;
    const QString lower = d.file.toLower();
    if (lower.endsWith(QLatin1String(".csv"))) {
        const QStringList lines = QString::fromUtf8(text).split(QLatin1Char('\n'));
        QStringList header;
        for (int i = 0; i < lines.size(); ++i) {
            QString line = lines[i];
            if (line.endsWith(QLatin1Char('\r')))
                line.chop(1);
            if (line.trimmed().isEmpty())
                continue;
            const QStringList cells = splitCsv(line);
            if (header.isEmpty()) {
                header = cells;
                continue;
            }
            ordered_json row = ordered_json::object();
            for (int k = 0; k < header.size() && k < cells.size(); ++k) {
                if (cells[k].isEmpty())
                    continue;
                row[header[k].trimmed().toStdString()] =
                    csvValue(c->entity->field(header[k].trimmed()), cells[k]);
            }
            rows.push_back(std::move(row));
        }
    } else if (lower.endsWith(QLatin1String(".jsonl"))
               || lower.endsWith(QLatin1String(".ndjson"))) {
        const QList<QByteArray> lines = text.split('\n');
        for (int i = 0; i < lines.size(); ++i) {
            if (lines[i].trimmed().isEmpty())
                continue;
            ordered_json row = ordered_json::parse(lines[i].constData(),
                                                   lines[i].constData() + lines[i].size(),
                                                   nullptr, false);
            if (row.is_discarded() || !row.is_object())
                return Error{QStringLiteral("data set %1: line is not a JSON object").arg(d.id),
                             path, i + 1, 1};
            rows.push_back(std::move(row));
        }
    } else {
        ordered_json all = ordered_json::parse(text.constData(), text.constData() + text.size(),
                                               nullptr, false);
        if (all.is_discarded() || !all.is_array())
            return Error{QStringLiteral("data set %1: expected a JSON array of objects")
                             .arg(d.id), path, 1, 1};
        for (auto &row : all) {
            if (row.is_object())
                rows.push_back(std::move(row));
        }
    }
    const std::string key = c->entity->key.toStdString();
    for (ordered_json &row : rows) {
        QString id = key.empty() || !row.contains(key) ? QString() : keyText(row[key]);
        if (id.isEmpty()) {
            id = QStringLiteral("%1-%2").arg(c->entity->name).arg(c->nextId++);
            if (!key.empty())
                row[key] = id.toStdString();
        }
        c->records[id] = std::move(row);
    }
    return int(rows.size());
}

Sandbox::Collection *Sandbox::collection(const QString &system, const QString &entity)
{
    auto it = m_collections.find(system + QLatin1Char('/') + entity);
    if (it != m_collections.end())
        return it->second.get();
    // Tolerate REST spellings: accounts, sales-orders, salesorder for SalesOrder.
    const QString want = normalise(entity);
    for (auto &entry : m_collections) {
        Collection *c = entry.second.get();
        if (c->system != system)
            continue;
        const QString have = normalise(c->entity->name);
        if (want == have || want == have + QLatin1Char('s') || want == have + QLatin1String("es")
            || (have.endsWith(QLatin1Char('y')) && want == have.chopped(1) + QLatin1String("ies")))
            return c;
    }
    return nullptr;
}

const json *Sandbox::schema(const QString &system, const QString &entity) const
{
    Collection *c = const_cast<Sandbox *>(this)->collection(system, entity);
    return c ? &c->schemaJson : nullptr;
}

std::optional<ordered_json> Sandbox::record(const QString &system, const QString &entity,
                                            const QString &id) const
{
    Collection *c = const_cast<Sandbox *>(this)->collection(system, entity);
    if (!c)
        return std::nullopt;
    auto it = c->records.find(id);
    if (it == c->records.end())
        return std::nullopt;
    return it->second;
}

int Sandbox::recordCount(const QString &system, const QString &entity) const
{
    Collection *c = const_cast<Sandbox *>(this)->collection(system, entity);
    return c ? int(c->records.size()) : -1;
}

QVector<ordered_json> Sandbox::eventsSince(qint64 since, int limit) const
{
    // Events are kept in sequence order: a follower polling often reads only the tail.
    const auto seq = [](const ordered_json &e) {
        return std::stoll(e["sequence"].get<std::string>());
    };
    auto it = std::partition_point(m_events.cbegin(), m_events.cend(),
                                   [&](const ordered_json &e) { return seq(e) <= since; });
    QVector<ordered_json> out;
    for (; it != m_events.cend() && (limit < 0 || out.size() < limit); ++it)
        out.append(*it);
    return out;
}

Result<bool> Sandbox::setFaults(const QString &system, const FaultConfig &faults)
{
    if (!m_faults.contains(system))
        return Error{QStringLiteral("unknown system '%1'").arg(system)};
    if (faults.errorRate < 0 || faults.errorRate > 1)
        return Error{QStringLiteral("errorRate must be between 0 and 1")};
    if (faults.latencyMs < 0 || faults.rateLimitPerSecond < 0 || faults.retryAfterSeconds < 0)
        return Error{QStringLiteral("latencyMs, rateLimitPerSecond and retryAfterSeconds must "
                                   "not be negative")};
    m_faults[system] = faults;
    m_requestTimes.remove(system);
    return true;
}

Result<bool> Sandbox::setFaultsJson(const QByteArray &text)
{
    const json doc = json::parse(text.constData(), text.constData() + text.size(), nullptr,
                                 false);
    if (doc.is_discarded())
        return Error{QStringLiteral("the body is not valid JSON")};
    const json list = doc.is_array() ? doc : json::array({doc});
    // Check everything first so a bad entry leaves all faults unchanged.
    QVector<QPair<QString, FaultConfig>> updates;
    for (const json &o : list) {
        if (!o.is_object() || !o.contains("system") || !o["system"].is_string())
            return Error{QStringLiteral("each entry needs a \"system\" string")};
        const QString system = QString::fromStdString(o["system"].get<std::string>());
        if (!m_faults.contains(system))
            return Error{QStringLiteral("unknown system '%1'").arg(system)};
        FaultConfig f = m_faults.value(system);
        auto num = [&](const char *k, auto &target) -> bool {
            if (!o.contains(k))
                return true;
            if (!o[k].is_number())
                return false;
            target = o[k].get<std::decay_t<decltype(target)>>();
            return true;
        };
        if (!num("latencyMs", f.latencyMs) || !num("errorRate", f.errorRate)
            || !num("rateLimitPerSecond", f.rateLimitPerSecond)
            || !num("retryAfterSeconds", f.retryAfterSeconds))
            return Error{QStringLiteral("latencyMs, errorRate, rateLimitPerSecond and "
                                       "retryAfterSeconds must be numbers")};
        if (o.contains("outage")) {
            if (!o["outage"].is_boolean())
                return Error{QStringLiteral("\"outage\" must be true or false")};
            f.outage = o["outage"].get<bool>();
        }
        if (o.contains("outageWindows")) {
            f.outageWindows.clear();
            if (!o["outageWindows"].is_array())
                return Error{QStringLiteral("\"outageWindows\" must be [[startMs, endMs], ...]")};
            for (const json &w : o["outageWindows"]) {
                if (!w.is_array() || w.size() != 2 || !w[0].is_number() || !w[1].is_number())
                    return Error{QStringLiteral("\"outageWindows\" must be "
                                                "[[startMs, endMs], ...]")};
                f.outageWindows.append({w[0].get<qint64>(), w[1].get<qint64>()});
            }
        }
        if (f.errorRate < 0 || f.errorRate > 1)
            return Error{QStringLiteral("errorRate must be between 0 and 1")};
        if (f.latencyMs < 0 || f.rateLimitPerSecond < 0 || f.retryAfterSeconds < 0)
            return Error{QStringLiteral("fault values must not be negative")};
        updates.append({system, f});
    }
    for (const auto &u : updates) {
        auto applied = setFaults(u.first, u.second);
        if (!applied.ok())
            return applied.error();
    }
    return true;
}

std::optional<FaultConfig> Sandbox::faults(const QString &system) const
{
    auto it = m_faults.constFind(system);
    if (it == m_faults.constEnd())
        return std::nullopt;
    return *it;
}

QByteArray Sandbox::faultsJson() const
{
    ordered_json out = ordered_json::object();
    for (const model::System &s : m_project.systems) {
        const FaultConfig f = m_faults.value(s.id);
        ordered_json windows = ordered_json::array();
        for (const auto &w : f.outageWindows)
            windows.push_back({w.first, w.second});
        out[s.id.toStdString()] = {{"latencyMs", f.latencyMs},
                                   {"errorRate", f.errorRate},
                                   {"rateLimitPerSecond", f.rateLimitPerSecond},
                                   {"outage", f.outage},
                                   {"outageWindows", windows},
                                   {"retryAfterSeconds", f.retryAfterSeconds}};
    }
    const std::string s = sb::jsonText(out);
    return QByteArray(s.data(), qsizetype(s.size()));
}

std::optional<SandboxResponse> Sandbox::injectFault(const QString &system)
{
    const FaultConfig f = m_faults.value(system);
    const QByteArray retryAfter = QByteArray::number(std::max(1, f.retryAfterSeconds));
    const qint64 now = m_clock.elapsed();
    bool down = f.outage;
    for (const auto &w : f.outageWindows)
        down = down || (now >= w.first && now < w.second);
    if (down) {
        SandboxResponse r = problem(503, QStringLiteral("Service Unavailable"),
                                    QStringLiteral("system %1 is in a simulated outage")
                                        .arg(system));
        r.headers.push_back({"Retry-After", retryAfter});
        return r;
    }
    if (f.rateLimitPerSecond > 0) {
        // Sliding one-second window of accepted requests.
        QVector<qint64> &times = m_requestTimes[system];
        while (!times.isEmpty() && times.front() <= now - 1000)
            times.removeFirst();
        if (times.size() >= int(std::ceil(f.rateLimitPerSecond))) {
            const qint64 wait = std::max<qint64>(1, (times.front() + 1000 - now + 999) / 1000);
            SandboxResponse r = problem(429, QStringLiteral("Too Many Requests"),
                                        QStringLiteral("rate limit of %1 requests per second "
                                                       "exceeded for system %2")
                                            .arg(f.rateLimitPerSecond).arg(system));
            r.headers.push_back({"Retry-After", QByteArray::number(
                                                 std::max<qint64>(wait, f.retryAfterSeconds))});
            return r;
        }
        times.append(now);
    }
    if (f.errorRate > 0 && m_random.generateDouble() < f.errorRate) {
        static const int statuses[] = {500, 502, 503};
        const int status = statuses[m_random.bounded(3)];
        return problem(status, QStringLiteral("Injected failure"),
                       QStringLiteral("simulated transient failure of system %1").arg(system));
    }
    return std::nullopt;
}

void Sandbox::emitEvent(const Collection &c, const QString &action, const QString &id,
                        const ordered_json &data)
{
    const qint64 seq = m_nextEvent++;
    ordered_json e;
    e["specversion"] = "1.0";
    e["id"] = QStringLiteral("%1-%2").arg(c.system).arg(seq).toStdString();
    e["source"] = ("/sandbox/" + c.system).toStdString();
    e["type"] = QStringLiteral("%1.%2.%3").arg(c.system, c.entity->name.toLower(), action)
                    .toStdString();
    e["time"] = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();
    e["subject"] = id.toStdString();
    e["datacontenttype"] = "application/json";
    e["sequence"] = std::to_string(seq);
    e["data"] = data;
    m_events.append(e);
    // Bounded history: a long simulation must not grow without limit.
    if (m_events.size() > 100000)
        m_events.erase(m_events.begin(), m_events.begin() + 10000);
    const std::string s = sb::jsonText(e);
    emit changed(QByteArray(s.data(), qsizetype(s.size())));
}

SandboxResponse Sandbox::handle(const SandboxRequest &request)
{
    try {
        QStringList parts = request.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        for (QString &p : parts)
            p = QUrl::fromPercentEncoding(p.toUtf8());
        if (!parts.isEmpty() && parts[0] == QLatin1String("_sandbox"))
            return handleAdmin(request, parts);
        if (parts.size() < 2 || parts.size() > 3) {
            return problem(404, QStringLiteral("Not Found"),
                           QStringLiteral("use /{system}/{entity} or /{system}/{entity}/{id}"));
        }
        if (!m_faults.contains(parts[0])) {
            return problem(404, QStringLiteral("Not Found"),
                           QStringLiteral("unknown system '%1'").arg(parts[0]));
        }
        SandboxResponse r;
        std::optional<SandboxResponse> fault = injectFault(parts[0]);
        r = fault ? *fault : handleResource(request, parts);
        r.delayMs = m_faults.value(parts[0]).latencyMs;
        return r;
    } catch (const std::exception &ex) {
        // Never let a bad request take the server down.
        return problem(500, QStringLiteral("Internal Server Error"), QString::fromUtf8(ex.what()));
    }
}

SandboxResponse Sandbox::handleAdmin(const SandboxRequest &request, const QStringList &parts)
{
    const QString what = parts.value(1);
    if (what == QLatin1String("faults") && parts.size() == 2) {
        if (request.method == QLatin1String("GET"))
            return jsonResponse(200, faultsJson());
        if (request.method == QLatin1String("POST")) {
            auto r = setFaultsJson(request.body);
            if (!r.ok())
                return problem(400, QStringLiteral("Bad Request"), r.error().message);
            return jsonResponse(200, faultsJson());
        }
        return problem(405, QStringLiteral("Method Not Allowed"),
                       QStringLiteral("use GET or POST on /_sandbox/faults"));
    }
    if (what == QLatin1String("events") && parts.size() == 2
        && request.method == QLatin1String("GET")) {
        const QUrlQuery q(request.query);
        bool ok = true;
        const QString sinceText = q.queryItemValue(QStringLiteral("since"));
        const qint64 since = sinceText.isEmpty() ? 0 : sinceText.toLongLong(&ok);
        if (!ok)
            return problem(400, QStringLiteral("Bad Request"),
                           QStringLiteral("since must be an integer"));
        const QString limitText = q.queryItemValue(QStringLiteral("limit"));
        const int limit = limitText.isEmpty() ? -1 : limitText.toInt(&ok);
        if (!ok || (!limitText.isEmpty() && limit < 1))
            return problem(400, QStringLiteral("Bad Request"),
                           QStringLiteral("limit must be a positive integer"));
        ordered_json list = ordered_json::array();
        for (const ordered_json &e : eventsSince(since, limit))
            list.push_back(e);
        return jsonResponse(200, ordered_json{{"events", list}, {"last", lastEventSequence()}});
    }
    if (what == QLatin1String("health") && request.method == QLatin1String("GET"))
        return jsonResponse(200, ordered_json{{"status", "ok"}});
    return problem(404, QStringLiteral("Not Found"),
                   QStringLiteral("unknown sandbox endpoint %1").arg(request.path));
}

namespace {

// GET /{system}/{entity}?field=value&limit=N: records whose fields equal the values.
SandboxResponse listRecords(const std::map<QString, ordered_json> &records, const QString &query)
{
    const QUrlQuery q(query);
    ordered_json list = ordered_json::array();
    int limit = -1;
    for (const auto &kv : q.queryItems(QUrl::FullyDecoded)) {
        if (kv.first == QLatin1String("limit"))
            limit = kv.second.toInt();
    }
    for (const auto &entry : records) {
        bool match = true;
        for (const auto &kv : q.queryItems(QUrl::FullyDecoded)) {
            if (kv.first == QLatin1String("limit"))
                continue;
            const std::string k = kv.first.toStdString();
            const ordered_json &v = entry.second;
            if (!v.contains(k)) {
                match = false;
            } else {
                const ordered_json &x = v[k];
                const QString text =
                    QString::fromStdString(x.is_string() ? x.get<std::string>()
                                                         : sb::jsonText(x));
                match = text == kv.second;
            }
            if (!match)
                break;
        }
        if (match)
            list.push_back(entry.second);
        if (limit >= 0 && int(list.size()) >= limit)
            break;
    }
    return jsonResponse(200, list);
}

// A 400 problem naming every place `record` breaks the entity's schema; none when it fits.
std::optional<SandboxResponse> schemaProblem(const valijson::Schema &schema,
                                             const ordered_json &record, const QString &system,
                                             const QString &entityName)
{
    const json plain = json::parse(sb::jsonText(record));
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(plain);
    if (!validator.validate(schema, target, &results)) {
        json errors = json::array();
        valijson::ValidationResults::Error err;
        std::vector<valijson::ValidationResults::Error> all;
        while (results.popError(err))
            all.push_back(err);
        for (const auto &e : all) {
            // Drop valijson's wrapper errors when a more precise one exists.
            if (all.size() > 1 && e.description.rfind("Failed to validate", 0) == 0)
                continue;
            errors.push_back({{"pointer", pointerOf(e.context).toStdString()},
                              {"detail", e.description}});
        }
        return problem(400, QStringLiteral("Bad Request"),
                       QStringLiteral("the payload does not match the schema of %1.%2")
                           .arg(system, entityName),
                       errors);
    }
    return std::nullopt;
}

} // namespace

// Idempotency: the same key with the same request replays the first answer; with another
// request it is refused. Sets the slot and fingerprint under which to remember the answer.
std::optional<SandboxResponse> Sandbox::replayIdempotent(const Collection &c,
                                                         const SandboxRequest &request,
                                                         const QString &method,
                                                         QString *idemSlot,
                                                         QByteArray *fingerprint) const
{
    const QByteArray idemKey = request.headers.value("idempotency-key");
    if (idemKey.isEmpty())
        return std::nullopt;
    *idemSlot = c.system + QLatin1Char('\n') + QString::fromUtf8(idemKey);
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(method.toUtf8() + ' ' + request.path.toUtf8() + '\n');
    const json body = json::parse(request.body.constData(),
                                  request.body.constData() + request.body.size(), nullptr,
                                  false);
    // Compare parsed bodies so whitespace and key order do not matter.
    h.addData(body.is_discarded() ? request.body
                                  : QByteArray::fromStdString(sb::jsonText(body)));
    *fingerprint = h.result();
    auto it = m_idempotency.constFind(*idemSlot);
    if (it != m_idempotency.constEnd()) {
        if (it->fingerprint != *fingerprint) {
            return problem(422, QStringLiteral("Unprocessable Entity"),
                           QStringLiteral("Idempotency-Key '%1' was already used with a "
                                          "different request")
                               .arg(QString::fromUtf8(idemKey)));
        }
        SandboxResponse replay = it->response;
        replay.headers.push_back({"Idempotent-Replayed", "true"});
        return replay;
    }
    return std::nullopt;
}

SandboxResponse Sandbox::deleteRecord(Collection &c, const QString &id)
{
    auto it = c.records.find(id);
    if (it == c.records.end()) {
        return problem(404, QStringLiteral("Not Found"),
                       QStringLiteral("%1.%2 has no record '%3'")
                           .arg(c.system, c.entity->name, id));
    }
    const ordered_json old = it->second;
    c.records.erase(it);
    emitEvent(c, QStringLiteral("deleted"), id, old);
    SandboxResponse r;
    r.status = 204;
    return r;
}

SandboxResponse Sandbox::handleResource(const SandboxRequest &request, const QStringList &parts)
{
    Collection *c = collection(parts[0], parts[1]);
    if (!c) {
        return problem(404, QStringLiteral("Not Found"),
                       QStringLiteral("system %1 has no entity '%2'").arg(parts[0], parts[1]));
    }
    const QString method = request.method.toUpper();
    const bool item = parts.size() == 3;
    const QString id = item ? parts[2] : QString();
    const bool write = method != QLatin1String("GET") && method != QLatin1String("HEAD");
    const QString allowed = item ? QStringLiteral("GET, PUT, PATCH, DELETE")
                                 : QStringLiteral("GET, POST");
    if ((item && method == QLatin1String("POST"))
        || (!item && method != QLatin1String("GET") && method != QLatin1String("POST"))
        || !(QStringList{"GET", "POST", "PUT", "PATCH", "DELETE"}.contains(method))) {
        SandboxResponse r = problem(405, QStringLiteral("Method Not Allowed"),
                                    QStringLiteral("%1 is not allowed here; use %2")
                                        .arg(method, allowed));
        r.headers.push_back({"Allow", allowed.toUtf8()});
        return r;
    }

    QString idemSlot;
    QByteArray fingerprint;
    if (write) {
        if (auto replayed = replayIdempotent(*c, request, method, &idemSlot, &fingerprint))
            return *replayed;
    }

    auto remember = [&](SandboxResponse r) {
        // Only outcomes of the request itself are replayed; 5xx/429 are not recorded.
        if (!idemSlot.isEmpty() && r.status < 500 && r.status != 429)
            m_idempotency.insert(idemSlot, IdempotentCall{fingerprint, r});
        return r;
    };

    if (method == QLatin1String("GET")) {
        if (!item)
            return listRecords(c->records, request.query);
        auto it = c->records.find(id);
        if (it == c->records.end()) {
            return problem(404, QStringLiteral("Not Found"),
                           QStringLiteral("%1.%2 has no record '%3'")
                               .arg(c->system, c->entity->name, id));
        }
        return jsonResponse(200, it->second);
    }

    if (method == QLatin1String("DELETE"))
        return remember(deleteRecord(*c, id));

    ordered_json body = ordered_json::parse(request.body.constData(),
                                            request.body.constData() + request.body.size(),
                                            nullptr, false);
    if (body.is_discarded()) {
        return remember(problem(400, QStringLiteral("Bad Request"),
                                QStringLiteral("the body is not valid JSON")));
    }
    if (!body.is_object()) {
        return remember(problem(400, QStringLiteral("Bad Request"),
                                QStringLiteral("the body must be a JSON object")));
    }
    const std::string key = c->entity->key.toStdString();
    ordered_json record;
    QString recordId = id;
    bool existed = false;
    if (method == QLatin1String("PATCH")) {
        auto it = c->records.find(id);
        if (it == c->records.end()) {
            return remember(problem(404, QStringLiteral("Not Found"),
                                    QStringLiteral("%1.%2 has no record '%3'")
                                        .arg(c->system, c->entity->name, id)));
        }
        record = it->second;
        record.merge_patch(body); // RFC 7396
        existed = true;
    } else {
        record = body;
        if (method == QLatin1String("POST")) {
            recordId = key.empty() || !record.contains(key) ? QString() : keyText(record[key]);
            if (recordId.isEmpty()) {
                recordId = QStringLiteral("%1-%2").arg(c->entity->name).arg(c->nextId++);
                if (!key.empty())
                    record[key] = recordId.toStdString();
            }
            if (c->records.count(recordId)) {
                return remember(problem(409, QStringLiteral("Conflict"),
                                        QStringLiteral("%1.%2 already has a record '%3'")
                                            .arg(c->system, c->entity->name, recordId)));
            }
        } else { // PUT: create or replace
            existed = c->records.count(id) > 0;
        }
    }
    if (!key.empty() && item) {
        if (!record.contains(key) || record[key].is_null()) {
            record[key] = id.toStdString();
        } else if (keyText(record[key]) != id) {
            return remember(problem(400, QStringLiteral("Bad Request"),
                                    QStringLiteral("the body's %1 '%2' differs from the id in "
                                                   "the URL '%3'")
                                        .arg(c->entity->key, keyText(record[key]), id)));
        }
    }

    if (auto invalid = schemaProblem(c->schema, record, c->system, c->entity->name))
        return remember(*invalid);

    c->records[recordId] = record;
    emitEvent(*c, existed ? QStringLiteral("updated") : QStringLiteral("created"), recordId,
              record);
    SandboxResponse r = jsonResponse(existed ? 200 : 201, record);
    if (!existed) {
        r.headers.push_back({"Location", QStringLiteral("/%1/%2/%3")
                                          .arg(c->system, c->entity->name, recordId)
                                          .toUtf8()});
    }
    return remember(r);
}

} // namespace sb::runtime
