#include "app/shell/expressionsyntax.h"

#include "model/elementref.h"
#include "runtime/jsonata/jsonata.h"
#include "runtime/jsonata/value.h"

#include <algorithm>

using namespace sb::model;

namespace {

const QString kSyntaxRule = QStringLiteral("mapping.expression-syntax");
const QString kDefaultRule = QStringLiteral("mapping.default-json");

// The engine counts bytes of UTF-8; editors count UTF-16 characters.
int utf16Position(const std::string &utf8, long long bytes)
{
    if (bytes < 0)
        return -1;
    const int n = int(std::min<long long>(bytes, (long long)utf8.size()));
    return int(QString::fromUtf8(utf8.data(), n).size());
}

QString quoted(const QString &s) { return QLatin1Char('\'') + s + QLatin1Char('\''); }

} // namespace

ExpressionSyntaxCheck::Verdict ExpressionSyntaxCheck::parseExpression(const QString &text)
{
    Verdict v;
    if (text.trimmed().isEmpty())
        return v;
    const std::string utf8 = text.toStdString();
    const auto compiled = sb::jsonata::Expression::compile(utf8);
    if (compiled.ok())
        return v;
    const sb::jsonata::Error &e = compiled.error();
    v.ok = false;
    v.position = utf16Position(utf8, e.position);
    v.code = QString::fromStdString(e.code);
    v.message = QString::fromStdString(e.message);
    return v;
}

ExpressionSyntaxCheck::Verdict ExpressionSyntaxCheck::parseDefault(const QString &text)
{
    Verdict v;
    const QString t = text.trimmed();
    if (t.isEmpty() || !(t.startsWith(QLatin1Char('{')) || t.startsWith(QLatin1Char('['))
                         || t.startsWith(QLatin1Char('"'))))
        return v;
    const std::string utf8 = text.toStdString();
    sb::jsonata::Value value;
    sb::jsonata::JsonParseError err;
    if (sb::jsonata::parseJson(utf8, value, &err))
        return v;
    v.ok = false;
    v.position = utf16Position(utf8, (long long)err.offset);
    v.code = QStringLiteral("JSON");
    v.message = QString::fromStdString(err.message);
    return v;
}

const ExpressionSyntaxCheck::Verdict &
ExpressionSyntaxCheck::cached(const QString &text, Cache &cache, int &used,
                              Verdict (*parse)(const QString &))
{
    auto it = cache.find(text);
    if (it == cache.end()) {
        ++m_parses;
        it = cache.insert(text, Entry{parse(text), 0});
    }
    if (it->seen != m_generation) {
        it->seen = m_generation;
        ++used;
    }
    return it->verdict;
}

void ExpressionSyntaxCheck::prune(Cache &cache, int used)
{
    if (cache.size() <= 2 * qsizetype(used) + 256)
        return;
    for (auto it = cache.begin(); it != cache.end();) {
        if (it->seen != m_generation)
            it = cache.erase(it);
        else
            ++it;
    }
}

QVector<Finding> ExpressionSyntaxCheck::check(const Project &project)
{
    QVector<Finding> out;
    ++m_generation;
    int usedExpressions = 0;
    int usedDefaults = 0;
    // Per rule this runs 10,000 times on a large project: the location strings are made only
    // for an expression that does not parse.
    struct Where
    {
        sb::model::ElementRef element;
        QString display, what;
    };
    auto syntax = [&](const QString &text, const auto &where) {
        if (text.trimmed().isEmpty())
            return;
        const Verdict &v = cached(text, m_expressions, usedExpressions, &parseExpression);
        if (v.ok)
            return;
        const Where w = where();
        out << Finding{kSyntaxRule, Severity::Error,
                       QStringLiteral("%1: JSONata syntax error at position %2: %3 (%4)")
                           .arg(w.what).arg(v.position).arg(v.message, v.code),
                       Location{w.element.toString(), w.display}};
    };
    QHash<QString, MappingFindings> byMapping;
    byMapping.reserve(project.mappings.size());
    for (const Mapping &m : project.mappings) {
        const auto known = m_byMapping.constFind(m.id);
        if (known != m_byMapping.constEnd() && known->mapping == m) {
            out += known->findings;
            byMapping.insert(m.id, *known);
            continue;
        }
        const qsizetype first = out.size();
        auto mappingWhere = [&m](const QString &what) {
            const QString name = m.name.isEmpty() ? m.id : m.name;
            return Where{sb::model::ElementRef::of(sb::model::ElementRef::Kind::Mapping, m.id),
                         QStringLiteral("Mapping %1").arg(quoted(name)), what};
        };
        syntax(m.condition, [&] { return mappingWhere(QStringLiteral("Mapping condition")); });
        for (qsizetype i = 0; i < m.rules.size(); ++i) {
            const MappingRule &r = m.rules[i];
            // The location column names the mapping and rule; the message starts with
            // the target so it reads on its own.
            auto ruleWhere = [&](const QString &suffix) {
                Where w = mappingWhere(QString());
                w.element = w.element.child(QStringLiteral("rule"), i);
                w.display += QStringLiteral(", rule ") + QString::number(i + 1);
                w.what = (r.target.isEmpty() ? QStringLiteral("Rule %1").arg(i + 1) : r.target)
                         + suffix;
                return w;
            };
            syntax(r.expression, [&] { return ruleWhere(QStringLiteral(" expression")); });
            syntax(r.condition, [&] { return ruleWhere(QStringLiteral(" condition")); });
            if (r.defaultValue.trimmed().isEmpty())
                continue;
            const Verdict &d = cached(r.defaultValue, m_defaults, usedDefaults, &parseDefault);
            if (d.ok)
                continue;
            const Where w = ruleWhere(QString());
            out << Finding{kDefaultRule, Severity::Warning,
                           QStringLiteral("%1 default is not valid JSON at position %2: %3; "
                                          "it would be used as the plain string %4")
                               .arg(w.what).arg(d.position).arg(d.message, r.defaultValue),
                           Location{w.element.toString(), w.display}};
        }
        if (!byMapping.contains(m.id))
            byMapping.insert(m.id, MappingFindings{m, out.mid(first)});
    }
    m_byMapping = std::move(byMapping);
    prune(m_expressions, usedExpressions);
    prune(m_defaults, usedDefaults);
    return out;
}
