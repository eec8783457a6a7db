#pragma once

// Who refers to an element: "find usages", the impact shown before a delete, and renaming
// an id so that every reference follows in one edit. Elements are addressed as the
// selection and findings address them (model/elementref.h):
//   system:crm                          system:crm/entity:Account
//   system:crm/entity:Account/field:address.country
//   canonical:Customer                  canonical:Customer/field:taxId
//   mapping:crm-to-erp                  workflow:closed-won          dataset:accounts

#include "model/elementref.h"
#include "model/project.h"
#include "model/result.h"

#include <QVector>

namespace sb::model {

struct Usage
{
    QString element;   // address of the referring element, to reveal it
    QString display;   // the referring element as the user names it: "Mapping 'CRM to ERP'"
    QString role;      // how it refers: "source", "owner", "rule 3 expression", ...
    bool operator==(const Usage &o) const
    {
        return element == o.element && display == o.display && role == o.role;
    }
};

// Every reference to `target` from elsewhere in the project, in document order (systems,
// canonical model, ownership, mappings, workflows, flows, SLAs, reconciliations, data sets).
// References from inside the element itself (a field of the entity being asked about) are
// not usages. Expressions count when a field path in them, read from the record's root,
// starts with the field's path.
QVector<Usage> findUsages(const Project &project, const ElementRef &target);

// Why `id` cannot name an element: empty when it can. Ids are addresses in the file,
// in "system.Entity" and "Entity.field" references and in expressions, so they are one
// word: a letter or '_' first, then letters, digits, '_' or '-'.
QString idProblem(const QString &id);

// The project with the id of `target` (a system, mapping or workflow id; the name of a
// system entity or of a field) changed to `newId`, and every reference changed with it.
// Fails, changing nothing, when the element does not exist, `newId` is not a valid id or
// another element of the same collection already has it.
Result<Project> renameId(const Project &project, const ElementRef &target,
                         const QString &newId);

// The id a rename of `target` starts from: the last id or name in its address.
QString currentId(const ElementRef &target);

// The field paths of a JSONata expression that start at the record's root, rewritten: the
// segment at the end of `oldPath` (dotted) becomes `newName` where a path starts with
// `oldPath`. Strings, variables ($x) and paths continuing a call or filter are left alone.
QString renameFieldInExpression(const QString &expression, const QString &oldPath,
                                const QString &newName, bool *changed = nullptr);
// Whether a root path in `expression` starts with dotted `path`.
bool expressionUsesField(const QString &expression, const QString &path);

} // namespace sb::model
