#include "runtime/check/projectcheck.h"

#include "model/elementpointer.h"
#include "model/elementref.h"
#include "runtime/jsonata/jsonata.h"
#include "runtime/jsonata/value.h"

#include <algorithm>
#include <functional>

using namespace sb::model;

namespace sb::runtime {

namespace {

// The engine counts bytes of UTF-8; editors count UTF-16 characters.
int utf16Position(const std::string &utf8, long long bytes)
{
    if (bytes < 0)
        return -1;
    const int n = int(std::min<long long>(bytes, (long long)utf8.size()));
    return int(QString::fromUtf8(utf8.data(), n).size());
}

QString quoted(const QString &s) { return QLatin1Char('\'') + s + QLatin1Char('\''); }

QString index(const char *list, int i)
{
    return QLatin1Char('/') + QLatin1String(list) + QLatin1Char('/') + QString::number(i);
}

// The {expression} parts of a path template, with their offsets in the template.
struct Placeholder
{
    QString text;
    int offset = 0;
};
QVector<Placeholder> placeholders(const QString &path)
{
    QVector<Placeholder> out;
    for (qsizetype open = path.indexOf(QLatin1Char('{')); open >= 0;
         open = path.indexOf(QLatin1Char('{'), open + 1)) {
        const qsizetype close = path.indexOf(QLatin1Char('}'), open);
        if (close < 0)
            break;
        out.append({path.mid(open + 1, close - open - 1), int(open + 1)});
        open = close;
    }
    return out;
}

} // namespace

struct ExpressionCheck::Where
{
    std::function<Location()> location;  // made only for a text that does not parse
    QString what;                        // "Rule 'total' expression", starts the message
    int offset = 0;                      // of the expression inside its text (path templates)
};

ExpressionCheck::Verdict ExpressionCheck::parseExpression(const QString &text)
{
    Verdict v;
    if (text.trimmed().isEmpty())
        return v;
    const std::string utf8 = text.toStdString();
    const auto compiled = jsonata::Expression::compile(utf8);
    if (compiled.ok())
        return v;
    const jsonata::Error &e = compiled.error();
    v.ok = false;
    v.position = utf16Position(utf8, e.position);
    v.code = QString::fromStdString(e.code);
    v.message = QString::fromStdString(e.message);
    return v;
}

ExpressionCheck::Verdict ExpressionCheck::parseDefault(const QString &text)
{
    Verdict v;
    const QString t = text.trimmed();
    if (t.isEmpty() || !(t.startsWith(QLatin1Char('{')) || t.startsWith(QLatin1Char('['))
                         || t.startsWith(QLatin1Char('"'))))
        return v;
    const std::string utf8 = text.toStdString();
    jsonata::Value value;
    jsonata::JsonParseError err;
    if (jsonata::parseJson(utf8, value, &err))
        return v;
    v.ok = false;
    v.position = utf16Position(utf8, (long long)err.offset);
    v.code = QStringLiteral("JSON");
    v.message = QString::fromStdString(err.message);
    return v;
}

const ExpressionCheck::Verdict &ExpressionCheck::cached(const QString &text, Cache &cache,
                                                        Verdict (*parse)(const QString &))
{
    auto it = cache.find(text);
    if (it == cache.end()) {
        ++m_parses;
        it = cache.insert(text, Entry{parse(text), 0});
    }
    if (it->seen != m_generation) {
        it->seen = m_generation;
        ++(&cache == &m_defaults ? m_usedDefaults : m_usedExpressions);
    }
    return it->verdict;
}

void ExpressionCheck::prune(Cache &cache, int used)
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

void ExpressionCheck::expression(const QString &text, const Where &where, const char *rule,
                                 QVector<Finding> &out)
{
    if (text.trimmed().isEmpty())
        return;
    const Verdict &v = cached(text, m_expressions, &parseExpression);
    if (v.ok)
        return;
    const int position = v.position < 0 ? -1 : v.position + where.offset;
    out << Finding{QLatin1String(rule), Severity::Error,
                   QStringLiteral("%1: JSONata syntax error at position %2: %3 (%4)")
                       .arg(where.what).arg(position).arg(v.message, v.code),
                   where.location()};
}

void ExpressionCheck::checkMapping(const Mapping &m, int mappingIndex, QVector<Finding> &out)
{
    const ElementRef element = ElementRef::of(ElementRef::Kind::Mapping, m.id);
    const QString name = m.name.isEmpty() ? m.id : m.name;
    const QString base = index("mappings", mappingIndex);
    auto at = [&](const ElementRef &ref, const QString &display, const QString &pointer) {
        return [=] {
            return Location{ref.toString(),
                            QStringLiteral("Mapping %1").arg(quoted(name)) + display,
                            base + pointer};
        };
    };
    expression(m.condition,
               {at(element, {}, QStringLiteral("/condition")),
                QStringLiteral("Mapping condition")},
               kMappingSyntaxRule, out);
    for (int i = 0; i < m.rules.size(); ++i) {
        const MappingRule &r = m.rules[i];
        // The location names the mapping and rule; the message starts with the target so it
        // reads on its own.
        const ElementRef suffix = element.child(QStringLiteral("rule"), qsizetype(i));
        const QString display = QStringLiteral(", rule ") + QString::number(i + 1);
        const QString rulePointer = index("rules", i);
        const QString what = r.target.isEmpty() ? QStringLiteral("Rule %1").arg(i + 1) : r.target;
        expression(r.expression,
                   {at(suffix, display, rulePointer + QStringLiteral("/expression")),
                    what + QStringLiteral(" expression")},
                   kMappingSyntaxRule, out);
        expression(r.condition,
                   {at(suffix, display, rulePointer + QStringLiteral("/condition")),
                    what + QStringLiteral(" condition")},
                   kMappingSyntaxRule, out);
        if (r.defaultValue.trimmed().isEmpty())
            continue;
        const Verdict &d = cached(r.defaultValue, m_defaults, &parseDefault);
        if (d.ok)
            continue;
        out << Finding{QLatin1String(kMappingDefaultRule), Severity::Warning,
                       QStringLiteral("%1 default is not valid JSON at position %2: %3; "
                                      "it would be used as the plain string %4")
                           .arg(what).arg(d.position).arg(d.message, r.defaultValue),
                       at(suffix, display, rulePointer + QStringLiteral("/default"))()};
    }
}

void ExpressionCheck::checkWorkflow(const Workflow &w, int workflowIndex, QVector<Finding> &out)
{
    const ElementRef element = ElementRef::of(ElementRef::Kind::Workflow, w.id);
    const QString label =
        QStringLiteral("Workflow %1").arg(quoted(w.name.isEmpty() ? w.id : w.name));
    const QString base = index("workflows", workflowIndex);
    auto at = [&](const ElementRef &ref, const QString &display, const QString &pointer) {
        return [=] { return Location{ref.toString(), label + display, base + pointer}; };
    };
    const auto trigger = [&](const char *key, const QString &what) {
        return Where{at(element.withPart(QStringLiteral("trigger")), QStringLiteral(", trigger"),
                        QStringLiteral("/trigger/") + QLatin1String(key)),
                     QStringLiteral("Trigger ") + what};
    };
    expression(w.trigger.eventIdPath, trigger("eventId", QStringLiteral("event id")),
               kWorkflowSyntaxRule, out);
    expression(w.trigger.correlationPath, trigger("correlation", QStringLiteral("correlation")),
               kWorkflowSyntaxRule, out);
    expression(w.trigger.filter, trigger("filter", QStringLiteral("filter")),
               kWorkflowSyntaxRule, out);
    for (int i = 0; i < w.steps.size(); ++i) {
        const Step &s = w.steps[i];
        const ElementRef suffix = element.child(QStringLiteral("step"), s.id);
        const QString display =
            QStringLiteral(", step ") + quoted(s.name.isEmpty() ? s.id : s.name);
        const QString stepPointer = index("steps", i);
        const QString what = QStringLiteral("Step ") + quoted(s.name.isEmpty() ? s.id : s.name)
                             + (s.name.isEmpty() || s.name == s.id
                                    ? QString()
                                    : QStringLiteral(" (") + s.id + QLatin1Char(')'));
        for (const Placeholder &p : placeholders(s.path)) {
            Where where{at(suffix, display, stepPointer + QStringLiteral("/path")),
                        what + QStringLiteral(" path ") + quoted(s.path), p.offset};
            expression(p.text, where, kWorkflowSyntaxRule, out);
        }
        expression(s.idempotencyKey,
                   {at(suffix, display, stepPointer + QStringLiteral("/idempotencyKey")),
                    what + QStringLiteral(" idempotency key")},
                   kWorkflowSyntaxRule, out);
        expression(s.correlation,
                   {at(suffix, display, stepPointer + QStringLiteral("/correlation")),
                    what + QStringLiteral(" correlation")},
                   kWorkflowSyntaxRule, out);
        for (int r = 0; r < s.rules.size(); ++r) {
            expression(s.rules[r],
                       {at(suffix, display, stepPointer + index("rules", r)),
                        what + QStringLiteral(" rule %1").arg(r + 1)},
                       kWorkflowSyntaxRule, out);
        }
    }
    for (int i = 0; i < w.edges.size(); ++i) {
        const Edge &e = w.edges[i];
        expression(e.condition,
                   {at(element.child(QStringLiteral("edge"), qsizetype(i)),
                       QStringLiteral(", edge %1 → %2").arg(e.from, e.to),
                       index("edges", i) + QStringLiteral("/condition")),
                    QStringLiteral("Condition of edge %1 → %2").arg(e.from, e.to)},
                   kWorkflowSyntaxRule, out);
    }
}

QVector<Finding> ExpressionCheck::check(const Project &project)
{
    QVector<Finding> out;
    ++m_generation;
    m_usedExpressions = 0;
    m_usedDefaults = 0;
    QHash<QString, MappingFindings> byMapping;
    byMapping.reserve(project.mappings.size());
    for (int i = 0; i < project.mappings.size(); ++i) {
        const Mapping &m = project.mappings[i];
        const auto known = m_byMapping.constFind(m.id);
        if (known != m_byMapping.constEnd() && known->index == i && known->mapping == m) {
            out += known->findings;
            byMapping.insert(m.id, *known);
            continue;
        }
        const qsizetype first = out.size();
        checkMapping(m, i, out);
        if (!byMapping.contains(m.id))
            byMapping.insert(m.id, MappingFindings{m, i, out.mid(first)});
    }
    m_byMapping = std::move(byMapping);
    for (int i = 0; i < project.workflows.size(); ++i)
        checkWorkflow(project.workflows[i], i, out);
    checkProjectTests(project, out);
    prune(m_expressions, m_usedExpressions);
    prune(m_defaults, m_usedDefaults);
    return out;
}

QVector<Finding> checkProject(const Project &project)
{
    QVector<Finding> findings = validateProject(project);
    for (Finding &f : findings) {
        if (f.location.pointer.isEmpty())
            f.location.pointer = jsonPointerOf(project, f.location.element);
    }
    ExpressionCheck expressions;
    findings += expressions.check(project);
    return findings;
}

} // namespace sb::runtime
