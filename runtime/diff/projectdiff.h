#pragma once

// Semantic diff of two project documents: which systems, entities, fields, mappings, rules,
// workflows, steps, edges, ... were added, removed or changed, named as a person names them.

#include "model/result.h"
#include "runtime/diff/elementpath.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace sb::runtime::diff {

// A project or bundle file as the canonical project document: read by the project (or
// bundle) reader, migrated, and written back by the project writer, so that defaults, key
// order and formatting never show as changes. "/dev/null" (git's side of an added or
// deleted file) reads as an empty project.
[[nodiscard]] Result<Json> loadCanonicalDocument(const QString &fileName);

enum class ChangeKind
{
    Added,
    Removed,
    Changed,
    Reordered
};

struct Change
{
    ChangeKind kind = ChangeKind::Changed;
    QStringList element;        // "workflow Closed won [cw]", "step notify"; empty: project
    QString pointer;            // JSON pointer of the element (in NEW; in OLD if removed)
    QString key;                // Changed: the setting, e.g. "maxLength", "source.entity"
    std::optional<Json> before; // absent when added (or the key was not set)
    std::optional<Json> after;  // absent when removed (or the key is no longer set)
};

struct DiffOptions
{
    bool layout = false; // report canvas positions too
};

[[nodiscard]] std::vector<Change> diffDocuments(const Json &before, const Json &after,
                                                const DiffOptions &options = {});

// One line per change: "~ mapping A [m1] › rule customerId: expression: id → $uppercase(id)".
QString changesText(const std::vector<Change> &changes);
Json changesJson(const std::vector<Change> &changes);

} // namespace sb::runtime::diff
