// The REST resources of a sandbox collection: list, read, create, replace, patch, delete,
// with idempotent replays and schema validation.
#include "runtime/sandbox/sandboxdetail.h"

#include <QCryptographicHash>
#include <QUrlQuery>


#include <optional>

namespace sb::runtime {

using nlohmann::json;
using nlohmann::ordered_json;
using namespace sandboxdetail;

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
std::optional<SandboxResponse> schemaProblem(const SchemaCheck &schema,
                                             const ordered_json &record, const QString &system,
                                             const QString &entityName)
{
    std::vector<SchemaIssue> all;
    if (!schema.validate(record, &all)) {
        json errors = json::array();
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

    if (auto invalid = schemaProblem(*c->schema, record, c->system, c->entity->name))
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
