#pragma once

// Three-way merge of project documents: changes to different elements, and to different
// settings of one element, combine; the same setting changed two ways is a conflict.

#include "runtime/diff/elementpath.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace sb::runtime::diff {

struct Conflict
{
    QStringList element;      // readable path, empty for the project itself
    QString key;              // the setting, or empty when a whole element conflicts
    std::optional<Json> base; // absent: not in that version
    std::optional<Json> ours;
    std::optional<Json> theirs;
};

struct MergeOutcome
{
    Json merged; // meaningful only without conflicts
    std::vector<Conflict> conflicts;
};

[[nodiscard]] MergeOutcome mergeDocuments(const Json &base, const Json &ours, const Json &theirs);

// "conflict: mapping A [m1] › rule id: expression" and the three values, indented.
QString conflictsText(const std::vector<Conflict> &conflicts);
Json conflictsJson(const std::vector<Conflict> &conflicts);

} // namespace sb::runtime::diff
