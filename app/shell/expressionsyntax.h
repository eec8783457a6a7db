#pragma once

// JSONata syntax errors in the mappings (mapping conditions, rule expressions and conditions)
// and defaults that look like JSON but do not parse, as findings for the problems panel. The
// model's validator has no JSONata engine, so the app parses here. Verdicts are cached by
// text: after an edit only the changed text is parsed again, however many rules there are;
// an unchanged mapping is not looked at again.

#include "model/validator.h"

#include <QHash>
#include <QString>
#include <QVector>

class ExpressionSyntaxCheck
{
public:
    struct Verdict
    {
        bool ok = true;
        int position = -1;   // UTF-16 position in the text, -1 when unknown
        QString code;        // engine error code, e.g. S0203
        QString message;
    };

    // Findings "mapping.expression-syntax" (error) and "mapping.default-json" (warning).
    QVector<sb::model::Finding> check(const sb::model::Project &project);

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
    const Verdict &cached(const QString &text, Cache &cache, int &used,
                          Verdict (*parse)(const QString &));
    void prune(Cache &cache, int used);

    // Texts no longer in the project are dropped once they outnumber those in use, so a
    // long editing session does not grow the cache without bound.
    Cache m_expressions;
    Cache m_defaults;
    // Findings per mapping: an unchanged mapping (implicitly shared, so comparing is cheap)
    // gives the same findings without looking at its 10 or 10,000 rules again.
    struct MappingFindings
    {
        sb::model::Mapping mapping;
        QVector<sb::model::Finding> findings;
    };
    QHash<QString, MappingFindings> m_byMapping;
    quint64 m_generation = 0;
    int m_parses = 0;
};
