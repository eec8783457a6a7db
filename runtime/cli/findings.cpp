#include "runtime/cli/findings.h"

#include "model/elementpointer.h"
#include "model/projectjson.h"

namespace sb::cli {

namespace {

// Already read once by the loader, so this succeeds unless the file changed meanwhile; then
// the findings still print, only without line:column.
QByteArray projectText(const QString &projectFile)
{
    auto text = model::readInputFile(projectFile);
    return text.ok() ? text.takeValue() : QByteArray();
}

} // namespace

FindingsReport::FindingsReport(const QString &projectFile)
    : m_file(projectFile), m_locator(projectText(projectFile))
{
}

QString FindingsReport::text(const model::Finding &f) const
{
    const model::TextPosition at = m_locator.position(f.location.pointer);
    QString where = m_file;
    if (at.line > 0)
        where += QStringLiteral(":%1:%2").arg(at.line).arg(at.column);
    QString out = QStringLiteral("%1: %2 [%3] %4\n    at %5")
                      .arg(where, toString(f.severity), f.ruleId, f.message,
                           f.location.display.isEmpty() ? f.location.element
                                                        : f.location.display);
    if (!f.location.pointer.isEmpty())
        out += QStringLiteral(" (%1)").arg(f.location.pointer);
    return out + QLatin1Char('\n');
}

QJsonObject FindingsReport::json(const model::Finding &f) const
{
    QJsonObject o{{QStringLiteral("rule"), f.ruleId},
                  {QStringLiteral("severity"), toString(f.severity)},
                  {QStringLiteral("message"), f.message},
                  {QStringLiteral("element"), f.location.element},
                  {QStringLiteral("location"), f.location.display},
                  {QStringLiteral("pointer"), f.location.pointer}};
    const model::TextPosition at = m_locator.position(f.location.pointer);
    if (at.line > 0) {
        o.insert(QStringLiteral("line"), at.line);
        o.insert(QStringLiteral("column"), at.column);
    }
    return o;
}

} // namespace sb::cli
