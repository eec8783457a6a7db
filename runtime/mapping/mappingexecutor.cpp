#include "runtime/mapping/mappingexecutor.h"
#include "model/jsonlimits.h"

namespace sb::runtime {

using json = nlohmann::ordered_json;

namespace {

QString qs(const std::string &s) { return QString::fromStdString(s); }

RuleIssue issueFrom(int rule, const QString &target, RuleIssue::Part part,
                    const jsonata::Error &e)
{
    RuleIssue issue;
    issue.rule = rule;
    issue.target = target;
    issue.part = part;
    issue.code = qs(e.code);
    issue.message = qs(e.message);
    issue.position = e.position;
    return issue;
}

// JSONata truthiness of a condition result, after conversion to JSON.
bool truthy(const json &v)
{
    switch (v.type()) {
    case json::value_t::boolean: return v.get<bool>();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return v.get<double>() != 0;
    case json::value_t::string: return !v.get<std::string>().empty();
    case json::value_t::array:
        for (const json &item : v) {
            if (truthy(item))
                return true;
        }
        return false;
    case json::value_t::object: return !v.empty();
    default: return false;
    }
}

// The text a value map matches on: strings as they are, numbers and booleans as JSON.
std::optional<QString> lookupKey(const json &v)
{
    if (v.is_string())
        return qs(v.get<std::string>());
    if (v.is_number() || v.is_boolean())
        return qs(sb::jsonText(v));
    return std::nullopt;
}

void assignPath(json &root, const QStringList &path, int from, const json &value)
{
    json *node = &root;
    for (int i = from; i < path.size(); ++i) {
        QString segment = path[i];
        const bool perItem = segment.endsWith(QLatin1String("[]"));
        if (perItem)
            segment.chop(2);
        const std::string key = segment.toStdString();
        if (!node->is_object())
            *node = json::object();
        if (i == path.size() - 1 && !perItem) {
            (*node)[key] = value;
            return;
        }
        if (perItem) {
            // Element k of a sequence result goes to item k of the array.
            json &array = (*node)[key];
            if (!array.is_array())
                array = json::array();
            const json items = value.is_array() ? value : json::array({value});
            if (i == path.size() - 1) {
                array = items;
                return;
            }
            for (size_t k = 0; k < items.size(); ++k) {
                while (array.size() <= k)
                    array.push_back(json::object());
                assignPath(array[k], path, i + 1, items[k]);
            }
            return;
        }
        node = &(*node)[key];
    }
}

void collectMissing(const QVector<model::Field> &fields, const json &doc, const QString &prefix,
                    QStringList &out)
{
    for (const model::Field &f : fields) {
        const QString path = prefix.isEmpty() ? f.name : prefix + QLatin1Char('.') + f.name;
        const std::string key = f.name.toStdString();
        const bool present = doc.is_object() && doc.contains(key) && !doc[key].is_null();
        if (!present) {
            if (f.required)
                out << path;
            continue;
        }
        const json &value = doc[key];
        if (f.fields.isEmpty())
            continue;
        if (f.type == model::FieldType::Array && value.is_array()) {
            for (size_t i = 0; i < value.size(); ++i)
                collectMissing(f.fields, value[i], QStringLiteral("%1[%2]").arg(path).arg(i), out);
        } else if (value.is_object()) {
            collectMissing(f.fields, value, path, out);
        }
    }
}

} // namespace

QString RuleIssue::toString() const
{
    static const char *const parts[] = {"expression", "condition",         "default",
                                        "value map",  "target",            "mapping condition",
                                        "input"};
    QString where = rule >= 0 ? QStringLiteral("rule %1 (%2) %3").arg(rule + 1).arg(target,
                                    QLatin1String(parts[int(part)]))
                              : QLatin1String(parts[int(part)]);
    QString text = where + QLatin1String(": ") + code;
    if (position >= 0)
        text += QStringLiteral(" at %1").arg(position);
    return text + QLatin1String(": ") + message;
}

QStringList missingRequiredFields(const QVector<model::Field> &fields, const json &document)
{
    QStringList out;
    collectMissing(fields, document, QString(), out);
    return out;
}

MappingExecutor::MappingExecutor(const model::Mapping &mapping,
                                 QVector<model::Field> targetFields)
    : m_mapping(mapping), m_targetFields(std::move(targetFields))
{
    compile();
}

MappingExecutor::MappingExecutor(const model::Mapping &mapping, const model::Project &project)
    : m_mapping(mapping)
{
    if (mapping.target.isCanonical()) {
        if (const model::CanonicalEntity *c = project.canonicalEntity(mapping.target.entity))
            m_targetFields = c->fields;
    } else if (const model::System *s = project.system(mapping.target.system)) {
        if (const model::Entity *e = s->entity(mapping.target.entity))
            m_targetFields = e->fields;
    }
    compile();
}

void MappingExecutor::compile()
{
    if (!m_mapping.condition.trimmed().isEmpty()) {
        auto expr = jsonata::Expression::compile(m_mapping.condition.toStdString());
        if (expr.ok())
            m_condition = std::move(expr);
        else
            m_compileErrors << issueFrom(-1, QString(), RuleIssue::Part::MappingCondition,
                                         expr.error());
    }
    m_rules.reserve(size_t(m_mapping.rules.size()));
    for (int i = 0; i < m_mapping.rules.size(); ++i) {
        const model::MappingRule &rule = m_mapping.rules[i];
        CompiledRule compiled;
        compiled.path = rule.target.split(QLatin1Char('.'));
        auto compileInto = [&](const QString &text, std::optional<jsonata::Expression> &slot,
                               RuleIssue::Part part) {
            if (text.trimmed().isEmpty())
                return;
            auto expr = jsonata::Expression::compile(text.toStdString());
            if (expr.ok()) {
                slot = std::move(expr);
            } else {
                compiled.broken = true;
                m_compileErrors << issueFrom(i, rule.target, part, expr.error());
            }
        };
        compileInto(rule.expression, compiled.expression, RuleIssue::Part::Expression);
        compileInto(rule.condition, compiled.condition, RuleIssue::Part::Condition);
        if (!rule.defaultValue.isEmpty()) {
            json parsed = json::parse(rule.defaultValue.toStdString(), nullptr, false);
            // A default that is not JSON text is taken as a plain string.
            compiled.defaultValue = parsed.is_discarded() ? json(rule.defaultValue.toStdString())
                                                          : parsed;
        }
        if (!rule.valueMap.isEmpty()) {
            compiled.valueMap = nullptr;
            for (const model::ValueMap &vm : m_mapping.valueMaps) {
                if (vm.name == rule.valueMap)
                    compiled.valueMap = &vm;
            }
            if (!compiled.valueMap) {
                compiled.broken = true;
                RuleIssue issue;
                issue.rule = i;
                issue.target = rule.target;
                issue.part = RuleIssue::Part::ValueMap;
                issue.code = QStringLiteral("M0001");
                issue.message = QStringLiteral("unknown value map '%1'").arg(rule.valueMap);
                m_compileErrors << issue;
            }
        }
        m_rules.push_back(std::move(compiled));
    }
}

MappingOutcome MappingExecutor::execute(const json &input, const jsonata::Bindings &bindings,
                                        const jsonata::EvalOptions &options) const
{
    MappingOutcome outcome;
    outcome.errors = m_compileErrors;
    // Convert the record once; every expression evaluates against the same value.
    const jsonata::Result in = jsonata::fromJsonChecked(input);
    if (!in.ok) {
        outcome.errors << issueFrom(-1, QString(), RuleIssue::Part::Input, in.error);
        outcome.applied = false;
        return outcome;
    }
    const jsonata::Value &record = in.value;
    // results go back to JSON within the same budget (shared sub-values can expand)
    auto convert = [&](const jsonata::Result &r, json &out, jsonata::Error &err) {
        return jsonata::toJsonChecked(r.value, out, err, options);
    };

    if (m_condition) {
        const jsonata::Result r = m_condition->evaluate(record, bindings, options);
        if (!r.ok) {
            outcome.errors << issueFrom(-1, QString(), RuleIssue::Part::MappingCondition, r.error);
            outcome.applied = false;
            return outcome;
        }
        json cond;
        jsonata::Error err;
        if (!convert(r, cond, err)) {
            outcome.errors << issueFrom(-1, QString(), RuleIssue::Part::MappingCondition, err);
            outcome.applied = false;
            return outcome;
        }
        if (!truthy(cond)) {
            outcome.applied = false;
            return outcome;
        }
    }

    for (size_t i = 0; i < m_rules.size(); ++i) {
        const CompiledRule &rule = m_rules[i];
        const model::MappingRule &source = m_mapping.rules[int(i)];
        if (rule.broken)
            continue;
        if (rule.condition) {
            const jsonata::Result c = rule.condition->evaluate(record, bindings, options);
            if (!c.ok) {
                outcome.errors << issueFrom(int(i), source.target, RuleIssue::Part::Condition,
                                            c.error);
                continue;
            }
            json cond;
            jsonata::Error err;
            if (!convert(c, cond, err)) {
                outcome.errors << issueFrom(int(i), source.target, RuleIssue::Part::Condition,
                                            err);
                continue;
            }
            if (!truthy(cond))
                continue;
        }
        json value;
        bool defined = false;
        if (rule.expression) {
            const jsonata::Result r = rule.expression->evaluate(record, bindings, options);
            if (!r.ok) {
                outcome.errors << issueFrom(int(i), source.target, RuleIssue::Part::Expression,
                                            r.error);
                continue;
            }
            if (r.value.isDefined()) {
                jsonata::Error err;
                if (!convert(r, value, err)) {
                    outcome.errors << issueFrom(int(i), source.target,
                                                RuleIssue::Part::Expression, err);
                    continue;
                }
                defined = true;
            }
        }
        if (defined && rule.valueMap) {
            const auto key = lookupKey(value);
            std::optional<QString> mapped;
            if (key) {
                for (const auto &entry : rule.valueMap->entries) {
                    if (entry.first == *key) {
                        mapped = entry.second;
                        break;
                    }
                }
            }
            if (!mapped && rule.valueMap->hasFallback)
                mapped = rule.valueMap->fallback;
            if (mapped) {
                value = mapped->toStdString();
            } else {
                RuleIssue issue;
                issue.rule = int(i);
                issue.target = source.target;
                issue.part = RuleIssue::Part::ValueMap;
                issue.code = QStringLiteral("M0002");
                issue.message = QStringLiteral("value map '%1' has no entry for %2")
                                    .arg(rule.valueMap->name, qs(sb::jsonText(value)));
                outcome.errors << issue;
                defined = false;
            }
        }
        if (!defined && rule.defaultValue) {
            value = *rule.defaultValue;
            defined = true;
        }
        if (!defined)
            continue;
        assignPath(outcome.output, rule.path, 0, value);
        ++outcome.rulesApplied;
    }
    // A partial mapping (a PATCH body) leaves the fields it does not map as they are.
    if (!m_targetFields.isEmpty() && !m_mapping.partial)
        outcome.unmappedRequired = missingRequiredFields(m_targetFields, outcome.output);
    return outcome;
}

} // namespace sb::runtime
