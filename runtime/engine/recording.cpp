#include "runtime/engine/recording.h"

#include "model/jsonlimits.h"

#include <QDateTime>
#include <QFileInfo>
#include <QStringDecoder>

#include <nlohmann/json.hpp>

namespace sb::runtime {

using ojson = nlohmann::ordered_json;

namespace {

const QByteArray kRedacted("[redacted]");

ojson parseBytes(const QByteArray &b)
{
    if (b.isEmpty() || jsonNestingError(b.constData(), size_t(b.size())))
        return ojson(ojson::value_t::discarded);
    return ojson::parse(b.constData(), b.constData() + b.size(), nullptr, false);
}

bool isUtf8(const QByteArray &b)
{
    QStringDecoder d(QStringDecoder::Utf8);
    const QString s = d.decode(b);
    return !d.hasError();
}

// Credentials by header name: the usual ones and whatever calls itself a token or a key.
bool secretHeader(const QByteArray &name)
{
    const QByteArray n = name.toLower();
    if (n == "authorization" || n == "proxy-authorization" || n == "cookie"
        || n == "set-cookie")
        return true;
    for (const char *word : {"token", "secret", "password", "api-key", "apikey", "api_key"}) {
        if (n.contains(word))
            return true;
    }
    return false;
}

QByteArray scrub(QByteArray text, const QList<QByteArray> &secrets)
{
    for (const QByteArray &s : secrets)
        text.replace(s, kRedacted);
    return text;
}

ojson headersJson(const HeaderList &headers, const QList<QByteArray> &secrets)
{
    ojson out = ojson::object();
    for (const auto &h : headers) {
        const std::string name = h.first.toStdString();
        const QByteArray value = secretHeader(h.first) ? kRedacted : scrub(h.second, secrets);
        const std::string v = QString::fromUtf8(value).toStdString();
        if (out.contains(name))
            out[name] = out[name].get<std::string>() + ", " + v;
        else
            out[name] = v;
    }
    return out;
}

// A body as readable JSON when it is JSON, else text, else base64.
void putBody(ojson &into, const QByteArray &raw, const QList<QByteArray> &secrets)
{
    if (raw.isEmpty())
        return;
    const QByteArray body = scrub(raw, secrets);
    const ojson j = parseBytes(body);
    if (!j.is_discarded())
        into["body"] = j;
    else if (isUtf8(body))
        into["text"] = body.toStdString();
    else
        into["base64"] = body.toBase64().toStdString();
}

QByteArray takeBody(const ojson &from)
{
    if (from.contains("body"))
        return QByteArray::fromStdString(jsonText(from["body"]));
    if (from.contains("text") && from["text"].is_string())
        return QByteArray::fromStdString(from["text"].get<std::string>());
    if (from.contains("base64") && from["base64"].is_string())
        return QByteArray::fromBase64(
            QByteArray::fromStdString(from["base64"].get<std::string>()));
    return {};
}

QString str(const ojson &o, const char *key)
{
    const auto it = o.find(key);
    return it != o.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                            : QString();
}

QString callText(const QString &method, const QString &path)
{
    return method.toUpper() + QLatin1Char(' ') + path;
}

} // namespace

QByteArray replayKey(const QString &method, const QString &path, const QByteArray &body)
{
    const ojson j = parseBytes(body);
    const QByteArray normal = j.is_discarded() ? body : QByteArray::fromStdString(jsonText(j));
    return callText(method, path).toUtf8() + '\n' + normal;
}

QList<QByteArray> redactableSecrets(const QList<QByteArray> &secrets)
{
    QList<QByteArray> out;
    for (const QByteArray &s : secrets) {
        if (s.size() >= 4)
            out << s;
    }
    return out;
}

Result<std::unique_ptr<RecordingConnector>>
RecordingConnector::open(std::unique_ptr<Connector> inner, const QString &file,
                         const RecordingHeader &header, QList<QByteArray> secrets)
{
    std::unique_ptr<RecordingConnector> rc(new RecordingConnector);
    rc->m_inner = std::move(inner);
    rc->m_secrets = redactableSecrets(secrets);
    rc->m_file.setFileName(file);
    if (!rc->m_file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Error{QStringLiteral("cannot write the recording: %1")
                         .arg(rc->m_file.errorString()),
                     file};
    const ojson head{{"format", kRecordingFormat},
                     {"version", 1},
                     {"profile", header.profile.toStdString()},
                     {"project", header.project.toStdString()},
                     {"recordedAt", QDateTime::currentDateTimeUtc()
                                        .toString(Qt::ISODate).toStdString()}};
    const QByteArray line = QByteArray::fromStdString(jsonText(head)) + '\n';
    if (rc->m_file.write(line) != line.size() || !rc->m_file.flush())
        return Error{QStringLiteral("cannot write the recording: %1")
                         .arg(rc->m_file.errorString()),
                     file};
    return rc;
}

void RecordingConnector::write(const OutboundRequest &request, const OutboundResponse &response)
{
    ++m_count;
    ojson req{{"method", request.method.toUpper().toStdString()},
              {"path", QString::fromUtf8(scrub(request.path.toUtf8(), m_secrets)).toStdString()},
              {"headers", headersJson(request.headers, m_secrets)}};
    putBody(req, request.body, m_secrets);
    ojson resp{{"status", response.status},
               {"url", QString::fromUtf8(scrub(response.url.toUtf8(), m_secrets)).toStdString()},
               {"headers", headersJson(response.headers, m_secrets)}};
    putBody(resp, response.body, m_secrets);
    if (!response.transportError.isEmpty())
        resp["error"] = response.transportError.toStdString();
    if (response.timedOut)
        resp["timedOut"] = true;
    const ojson entry{{"seq", m_count},
                      {"system", request.system.toStdString()},
                      {"request", req},
                      {"response", resp}};
    const QByteArray line = QByteArray::fromStdString(jsonText(entry)) + '\n';
    // Flushed per exchange: a run that crashes still leaves what it did.
    if ((m_file.write(line) != line.size() || !m_file.flush()) && m_error.isEmpty())
        m_error = m_file.errorString();
}

OutboundResponse RecordingConnector::send(const OutboundRequest &request)
{
    OutboundResponse out = m_inner->send(request);
    write(request, out);
    return out;
}

void RecordingConnector::sendAsync(const OutboundRequest &request, Completion done)
{
    m_inner->sendAsync(request, [this, request, done](const OutboundResponse &out) {
        write(request, out);
        done(out);
    });
}

Result<void> RecordingConnector::status() const
{
    if (!m_error.isEmpty())
        return Error{QStringLiteral("the recording is incomplete: %1").arg(m_error),
                     m_file.fileName()};
    return Ok{};
}

Result<std::unique_ptr<ReplayConnector>> ReplayConnector::load(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read the recording: %1").arg(f.errorString()), file};
    if (f.size() > kMaxReplayBytes)
        return Error{QStringLiteral("the recording is larger than %1 MB")
                         .arg(kMaxReplayBytes / (1024 * 1024)),
                     file};
    const QByteArray text = f.readAll();
    std::unique_ptr<ReplayConnector> rc(new ReplayConnector);
    rc->m_file = file;
    int lineNo = 0;
    bool headerSeen = false;
    for (const QByteArray &raw : text.split('\n')) {
        ++lineNo;
        const QByteArray l = raw.trimmed();
        if (l.isEmpty())
            continue;
        if (auto deep = jsonNestingError(l.constData(), size_t(l.size())))
            return Error{deep->message, file, lineNo, deep->column};
        const ojson j = ojson::parse(l.constData(), l.constData() + l.size(), nullptr, false);
        if (!j.is_object() && headerSeen)
            return Error{QStringLiteral("not a JSON object"), file, lineNo, 1};
        if (!headerSeen) {
            if (!j.is_object() || str(j, "format") != QLatin1String(kRecordingFormat))
                return Error{QStringLiteral("not a Switchboard recording (the first line "
                                            "needs \"format\": \"%1\")")
                                 .arg(QLatin1String(kRecordingFormat)),
                             file, lineNo, 1};
            if (j.value("version", 0) != 1)
                return Error{QStringLiteral("recording version %1 is not supported (1 is)")
                                 .arg(QString::fromStdString(jsonText(j.value("version",
                                                                              ojson()))))
                             , file, lineNo, 1};
            rc->m_header.profile = str(j, "profile");
            rc->m_header.project = str(j, "project");
            headerSeen = true;
            continue;
        }
        const auto req = j.find("request");
        const auto resp = j.find("response");
        if (req == j.end() || !req->is_object() || resp == j.end() || !resp->is_object())
            return Error{QStringLiteral("an exchange needs a \"request\" and a \"response\" "
                                        "object"),
                         file, lineNo, 1};
        const QString method = str(*req, "method");
        const QString path = str(*req, "path");
        if (method.isEmpty() || path.isEmpty())
            return Error{QStringLiteral("the request needs a method and a path"), file, lineNo,
                         1, QStringLiteral("/request")};
        const auto status = resp->find("status");
        if (status == resp->end() || !status->is_number_integer()
            || status->get<int>() < 0 || status->get<int>() > 999)
            return Error{QStringLiteral("the response needs an integer status (0 for a "
                                        "transport error)"),
                         file, lineNo, 1, QStringLiteral("/response/status")};
        OutboundResponse out;
        out.status = status->get<int>();
        out.body = takeBody(*resp);
        out.url = str(*resp, "url");
        out.transportError = str(*resp, "error");
        out.timedOut = resp->value("timedOut", false);
        if (out.status == 0 && out.transportError.isEmpty())
            out.transportError = QStringLiteral("recorded without an answer");
        const auto headers = resp->find("headers");
        if (headers != resp->end() && headers->is_object()) {
            for (auto it = headers->begin(); it != headers->end(); ++it) {
                if (it->is_string())
                    out.headers.append({QByteArray::fromStdString(it.key()),
                                        QByteArray::fromStdString(it->get<std::string>())});
            }
        }
        rc->m_answers[replayKey(method, path, takeBody(*req))].append(out);
        ++rc->m_total;
    }
    if (!headerSeen)
        return Error{QStringLiteral("the recording is empty"), file};
    return rc;
}

void ReplayConnector::setSecrets(const QList<QByteArray> &secrets)
{
    m_secrets = redactableSecrets(secrets);
}

OutboundResponse ReplayConnector::send(const OutboundRequest &request)
{
    const QByteArray key =
        replayKey(request.method, QString::fromUtf8(scrub(request.path.toUtf8(), m_secrets)),
                  scrub(request.body, m_secrets));
    const auto it = m_answers.constFind(key);
    int &used = m_used[key];
    if (it != m_answers.constEnd() && used < it->size())
        return it->at(used++);
    OutboundResponse out;
    const QString call = callText(request.method, request.path);
    const int recorded = it == m_answers.constEnd() ? 0 : int(it->size());
    out.transportError =
        recorded == 0
            ? QStringLiteral("replay: %1 (system %2) with this body is not in the recording %3")
                  .arg(call, request.system, QFileInfo(m_file).fileName())
            : QStringLiteral("replay: %1 (system %2) is call %3 with this body; the recording "
                             "%4 has %5")
                  .arg(call, request.system).arg(used + 1)
                  .arg(QFileInfo(m_file).fileName()).arg(recorded);
    ++used;
    out.url = QStringLiteral("replay:") + request.path;
    m_unmatched << out.transportError;
    return out;
}

} // namespace sb::runtime
