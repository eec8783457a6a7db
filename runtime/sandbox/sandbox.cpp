#include "runtime/sandbox/sandboxdetail.h"

#include "model/entityschema.h"
#include "model/jsonlimits.h"
#include "runtime/common/problem.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QUrlQuery>


#include <algorithm>
#include <cmath>

namespace sb::runtime {

using nlohmann::json;
using nlohmann::ordered_json;
using namespace sandboxdetail;

namespace {

QString normalise(const QString &name)
{
    QString n = name.toLower();
    n.remove(QLatin1Char('-'));
    n.remove(QLatin1Char('_'));
    return n;
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
                c->schema = std::make_unique<SchemaCheck>(c->schemaJson);
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
    // Numbered on from the clock (microseconds), so a restarted sandbox never repeats a
    // sequence or an event id that a follower has already seen.
    sb->m_nextEvent = QDateTime::currentMSecsSinceEpoch() * 1000;
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
    // Lines that script an event for `simulate` ({"$event": …}) are no records.
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [](const ordered_json &r) { return r.contains("$event"); }),
               rows.end());
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

} // namespace sb::runtime
