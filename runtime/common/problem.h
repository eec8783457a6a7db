#pragma once

// Error answers of the sandbox and of serve share one body format.

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

namespace sb::runtime {

// A problem body (RFC 7807) as JSON text.
QByteArray problemJson(int status, const QString &title, const QString &detail,
                       const nlohmann::json &errors = nlohmann::json());

} // namespace sb::runtime
