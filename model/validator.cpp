#include "model/validator.h"

namespace sb::model {

QString toString(Severity s)
{
    switch (s) {
    case Severity::Info: return QStringLiteral("info");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Error: return QStringLiteral("error");
    }
    return QString();
}

const QVector<RuleInfo> &validatorRules()
{
    static const QVector<RuleInfo> rules = {};
    return rules;
}

QVector<Finding> validateProject(const Project &)
{
    return {};
}

int countFindings(const QVector<Finding> &findings, Severity severity)
{
    int n = 0;
    for (const Finding &f : findings)
        n += f.severity == severity ? 1 : 0;
    return n;
}

} // namespace sb::model
