#pragma once

// Executes a mapping's rules on one input record. Every expression (rule, condition, the
// mapping's own condition) is compiled once when the executor is built, then evaluated per
// record. Failures are data: each one points at its rule; the other rules still run.

#include "model/project.h"
#include "runtime/jsonata/jsonata.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <nlohmann/json.hpp>

#include <optional>

namespace sb::runtime {

struct RuleIssue
{
    // Input: the record itself could not be converted (nested too deeply)
    enum class Part { Expression, Condition, Default, ValueMap, Target, MappingCondition, Input };
    int rule = -1;           // index in Mapping::rules; -1 for the mapping itself
    QString target;          // the rule's target path
    Part part = Part::Expression;
    QString code;            // JSONata error code (S0202, T2001, U1001, ...) or M-codes below
    QString message;
    int position = -1;       // character position in the expression, when known

    // "rule 3 (customerId) expression: S0202 at 5: Expected ..."
    QString toString() const;
};

struct MappingOutcome
{
    bool applied = true;                 // false when the mapping's condition was not met
    nlohmann::ordered_json output = nlohmann::ordered_json::object();
    QVector<RuleIssue> errors;
    QStringList unmappedRequired;        // required target fields that stayed empty
    int rulesApplied = 0;
    bool ok() const { return errors.isEmpty(); }
};

class MappingExecutor
{
public:
    // `targetFields` (optional) is the target entity's schema, used for coverage.
    MappingExecutor(const model::Mapping &mapping, QVector<model::Field> targetFields = {});
    // Looks the target schema up in `project` (system entity or canonical entity).
    MappingExecutor(const model::Mapping &mapping, const model::Project &project);

    const model::Mapping &mapping() const { return m_mapping; }
    // Expressions that did not compile; their rules are reported and skipped on every run.
    const QVector<RuleIssue> &compileErrors() const { return m_compileErrors; }

    // Every evaluation gets `options` as its budget (time, depth, size); a rule that goes
    // over it is an error of that rule (U1001-U1005), like any other evaluation error.
    MappingOutcome execute(const nlohmann::ordered_json &input,
                           const jsonata::Bindings &bindings = {},
                           const jsonata::EvalOptions &options = jsonata::runnerBudget()) const;

private:
    struct CompiledRule
    {
        std::optional<jsonata::Expression> expression;
        std::optional<jsonata::Expression> condition;
        std::optional<nlohmann::ordered_json> defaultValue;
        const model::ValueMap *valueMap = nullptr;
        QStringList path;     // target split at '.', "[]" marks per-item array segments
        bool broken = false;  // an expression failed to compile
    };

    void compile();

    model::Mapping m_mapping;
    QVector<model::Field> m_targetFields;
    std::optional<jsonata::Expression> m_condition;
    std::vector<CompiledRule> m_rules;
    QVector<RuleIssue> m_compileErrors;
};

// Required fields of `fields` missing from `document` (dotted paths; array items checked
// one by one, reported as "lines[2].sku").
QStringList missingRequiredFields(const QVector<model::Field> &fields,
                                  const nlohmann::ordered_json &document);

} // namespace sb::runtime
