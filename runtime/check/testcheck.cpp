// Checks of the project's tests: what `switchboard-run test` would otherwise only find when
// it runs them.
#include "runtime/check/projectcheck.h"

#include <QRegularExpression>

namespace sb::runtime {

using namespace sb::model;

namespace {

Finding testFinding(const char *rule, const ProjectTest &t, int index, const QString &key,
                    const QString &message)
{
    const QString label = t.name.isEmpty() ? t.id : t.name;
    Location where;
    where.display = QStringLiteral("Test '%1'").arg(label);
    where.pointer = QStringLiteral("/tests/%1%2").arg(index).arg(key);
    return Finding{QLatin1String(rule), Severity::Error,
                   QStringLiteral("test '%1': %2").arg(label, message), where};
}

} // namespace

void checkProjectTests(const Project &project, QVector<Finding> &out)
{
    for (int i = 0; i < project.tests.size(); ++i) {
        const ProjectTest &t = project.tests[i];
        const Workflow *workflow = project.workflow(t.workflow);
        if (!workflow)
            out << testFinding(kTestReferenceRule, t, i, QStringLiteral("/workflow"),
                               QStringLiteral("unknown workflow '%1'").arg(t.workflow));
        if (!t.dataset.isEmpty()) {
            bool found = false;
            for (const Dataset &d : project.datasets)
                found = found || d.id == t.dataset;
            if (!found)
                out << testFinding(kTestReferenceRule, t, i, QStringLiteral("/dataset"),
                                   QStringLiteral("unknown data set '%1'").arg(t.dataset));
        }
        if (workflow && !t.step.isEmpty() && !workflow->step(t.step))
            out << testFinding(
                kTestReferenceRule, t, i, QStringLiteral("/expect/step"),
                QStringLiteral("workflow '%1' has no step '%2'")
                    .arg(workflow->name.isEmpty() ? workflow->id : workflow->name, t.step));
        const QRegularExpression reason(t.reason);
        if (!reason.isValid())
            out << testFinding(kTestReasonRule, t, i, QStringLiteral("/expect/reason"),
                               QStringLiteral("the reason pattern does not compile: %1")
                                   .arg(reason.errorString()));
        for (int v = 0; v < t.values.size(); ++v) {
            const auto verdict = ExpressionCheck::parseExpression(t.values[v].expression);
            if (!verdict.ok || t.values[v].expression.trimmed().isEmpty())
                out << testFinding(kTestSyntaxRule, t, i,
                                   QStringLiteral("/expect/values/%1/expression").arg(v),
                                   verdict.ok ? QStringLiteral("an expected value needs an "
                                                               "expression")
                                              : QStringLiteral("JSONata syntax error at "
                                                               "position %1: %2 (%3)")
                                                    .arg(verdict.position)
                                                    .arg(verdict.message, verdict.code));
        }
    }
}

} // namespace sb::runtime
