#pragma once

// Governance findings: the validator turns a project into findings with a stable rule id,
// severity, message and location. Rule ids never change once released; tools match on them.

#include "model/project.h"

#include <QHash>
#include <QPair>
#include <QString>
#include <QVector>

namespace sb::model {

enum class Severity { Info, Warning, Error };
QString toString(Severity s);

// What to select in the studio. `element` is a stable address built from ids, e.g.
//   system:crm/entity:Account/field:taxId     canonical:Customer/field:taxId
//   ownership:Customer.taxId                  mapping:crm-to-erp/rule:3
//   workflow:closed-won/step:create-order     flow:crm-erp    profile: system:crm/profile:prod
// and also: mapping:crm-to-erp (the mapping as a whole), workflow:closed-won/trigger,
//   system:crm/entity:Account/field:address.country (nested fields as a dotted path),
//   sla:won-to-order, reconciliation:customers, dataset:accounts, ownership:Customer
//   (an entity-level rule). Rule indexes are 0-based; display labels count from 1.
struct Location
{
    QString element;
    QString display;         // human label, e.g. "Mapping 'CRM Account to Customer', rule 3"
    // Where in the project file, e.g. /mappings/2/rules/3/expression; empty: derive it from
    // `element` with jsonPointerOf (model/elementpointer.h).
    QString pointer;
};

struct Finding
{
    QString ruleId;          // e.g. ownership.multiple-owners
    Severity severity = Severity::Error;
    QString message;
    Location location;
    // What the finding is about, as data for views that place it without reading the
    // message (the ownership matrix): for ownership.non-owner-write the canonical field
    // written ("Order.lines.sku") and the system it is written into.
    // (Initialised here so that brace initialisers may leave them out.)
    QString canonicalField{};
    QString system{};
};

// Every rule the validator knows, with its default severity and a one-line description.
struct RuleInfo
{
    const char *id;
    Severity severity;
    const char *summary;
};
const QVector<RuleInfo> &validatorRules();

// Runs every rule. Deterministic order: by rule, then by document order.
QVector<Finding> validateProject(const Project &project);

// What a run keeps for the next one, so revalidating after an edit costs what the edit
// touched: a mapping whose rules are unchanged, checked against unchanged systems, canonical
// model and ownership, gives the same findings and is not checked again. Copies here share
// their data with the project (implicit sharing), so an unchanged list compares in O(1).
struct ValidationCache
{
    struct MappingEntry
    {
        Mapping mapping;
        QVector<QPair<int, Finding>> findings;  // (rule index, finding) in the order made
    };
    QVector<System> systems;
    QVector<CanonicalEntity> canonical;
    QVector<OwnershipRule> ownership;
    QHash<QString, MappingEntry> mappings;
    bool primed = false;
    int reusedMappings = 0;  // how many mappings the last run took from here
};

// Same findings, in the same order, as validateProject(project); reuses and refreshes `cache`.
QVector<Finding> validateProject(const Project &project, ValidationCache *cache);

int countFindings(const QVector<Finding> &findings, Severity severity);

} // namespace sb::model
