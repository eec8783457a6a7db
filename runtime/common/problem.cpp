#include "runtime/common/problem.h"

#include "model/jsonlimits.h"

namespace sb::runtime {

using nlohmann::json;
using nlohmann::ordered_json;

QByteArray problemJson(int status, const QString &title, const QString &detail,
                       const json &errors)
{
    ordered_json p;
    p["type"] = status == 400 && errors.is_array() ? "urn:switchboard:problem:validation"
                                                    : "about:blank";
    p["title"] = title.toStdString();
    p["status"] = status;
    p["detail"] = detail.toStdString();
    if (errors.is_array())
        p["errors"] = errors;
    const std::string s = sb::jsonText(p);
    return QByteArray(s.data(), qsizetype(s.size()));
}

} // namespace sb::runtime
