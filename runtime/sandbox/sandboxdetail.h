#pragma once

// Internals shared by the sandbox's source files (sandbox.cpp: creation, seeding, faults,
// events, dispatch; sandbox_resources.cpp: the REST resources). Not part of the API.

#include "runtime/sandbox/sandbox.h"

#include "model/jsonlimits.h"
#include "runtime/common/problem.h"

#include "runtime/sandbox/schemacheck.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sb::runtime {

struct Sandbox::Collection
{
    using json = nlohmann::json;
    using ordered_json = nlohmann::ordered_json;
    QString system;
    const model::Entity *entity = nullptr;
    json schemaJson;
    std::unique_ptr<SchemaCheck> schema;
    std::map<QString, ordered_json> records;   // by key
    qint64 nextId = 1;
};

namespace sandboxdetail {

using nlohmann::json;
using nlohmann::ordered_json;

// "[a]", "[0]" context items of valijson to a JSON pointer.
inline QString pointerOf(const std::vector<std::string> &context)
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

inline SandboxResponse jsonResponse(int status, const QByteArray &body)
{
    SandboxResponse r;
    r.status = status;
    r.body = body;
    r.headers.push_back({"Content-Type", "application/json"});
    return r;
}

inline SandboxResponse jsonResponse(int status, const ordered_json &body)
{
    const std::string s = sb::jsonText(body);
    return jsonResponse(status, QByteArray(s.data(), qsizetype(s.size())));
}

inline SandboxResponse problem(int status, const QString &title, const QString &detail,
                        const json &errors = json())
{
    SandboxResponse r;
    r.status = status;
    r.body = problemJson(status, title, detail, errors);
    r.headers.push_back({"Content-Type", "application/problem+json"});
    return r;
}

inline QString keyText(const ordered_json &v)
{
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_number_integer())
        return QString::number(v.get<qint64>());
    return QString();
}

} // namespace sandboxdetail

} // namespace sb::runtime
