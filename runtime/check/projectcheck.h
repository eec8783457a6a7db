#pragma once

// One check pipeline for the studio's problems panel, `validate` and `export`: the model's
// governance rules plus what only the runtime can judge, i.e. every JSONata text of the
// project compiled with the engine that will run it (mapping and rule conditions, rule
// expressions, defaults that look like JSON, trigger event id / correlation / filter, step
// path templates, idempotency keys, validate rules, wait correlations, branch conditions).
// Each finding carries the element address and the JSON pointer of the text at fault.

#include "model/validator.h"

#include <QHash>
#include <QString>
#include <QVector>

namespace sb::runtime {

// Rule ids, stable once released (tools match on them).
inline constexpr const char *kMappingSyntaxRule = "mapping.expression-syntax";
inline constexpr const char *kMappingDefaultRule = "mapping.default-json";
inline constexpr const char *kWorkflowSyntaxRule = "workflow.expression-syntax";
inline constexpr const char *kTestReferenceRule = "test.unknown-reference";
inline constexpr const char *kTestSyntaxRule = "test.expression-syntax";
inline constexpr const char *kTestReasonRule = "test.bad-reason-pattern";

// The project's tests: each names a workflow, data set and step that exist, and its
// expected values and reason pattern compile (testcheck.cpp).
void checkProjectTests(const model::Project &project, QVector<model::Finding> &out);

// Compiles the project's expressions. Verdicts are cached by text and findings per mapping,
// so the studio can run it after every edit: only changed texts are parsed again.
class ExpressionCheck
{
public:
    struct Verdict
    {
        bool ok = true;
        int position = -1;   // UTF-16 position in the text, -1 when unknown
        QString code;        // engine error code, e.g. S0203
        QString message;
    };

    QVector<model::Finding> check(const model::Project &project);

    // Parses one JSONata expression (uncached). Empty text is fine.
    static Verdict parseExpression(const QString &text);
    // A default is JSON text or else a plain string; text that starts like JSON structure
    // ({, [ or ") but is not JSON would silently become a string.
    static Verdict parseDefault(const QString &text);

    int parseCount() const { return m_parses; }   // parses since construction (tests)
    int cacheSize() const { return int(m_expressions.size() + m_defaults.size()); }

private:
    struct Entry
    {
        Verdict verdict;
        quint64 seen = 0;    // the check that last used it
    };
    using Cache = QHash<QString, Entry>;
    struct Where;
    const Verdict &cached(const QString &text, Cache &cache, Verdict (*parse)(const QString &));
    void prune(Cache &cache, int used);
    void checkMapping(const model::Mapping &m, int index, QVector<model::Finding> &out);
    void checkWorkflow(const model::Workflow &w, int index, QVector<model::Finding> &out);
    void expression(const QString &text, const Where &where, const char *rule,
                    QVector<model::Finding> &out);

    // Texts no longer in the project are dropped once they outnumber those in use, so a
    // long editing session does not grow the cache without bound.
    Cache m_expressions;
    Cache m_defaults;
    int m_usedExpressions = 0;
    int m_usedDefaults = 0;
    // Findings per mapping: an unchanged mapping at the same place (implicitly shared, so
    // comparing is cheap) gives the same findings without looking at its rules again.
    struct MappingFindings
    {
        model::Mapping mapping;
        int index = -1;
        QVector<model::Finding> findings;
    };
    QHash<QString, MappingFindings> m_byMapping;
    quint64 m_generation = 0;
    int m_parses = 0;
};

// validateProject and ExpressionCheck together, every finding with its JSON pointer.
QVector<model::Finding> checkProject(const model::Project &project);

} // namespace sb::runtime
