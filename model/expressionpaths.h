#pragma once

// The field paths a JSONata expression reads from the record's root, found by a light
// scan (no parser: the model does not depend on the runtime's JSONata). Used by find
// usages, renaming a field and the mapping editor's lines from source fields.
//
// A root path is a chain of names joined by '.', such as `quote.lines` in
// `$sum(quote.lines.amount)`. Not root paths: text in strings and comments, variables
// ($x, $x.name), keywords (and, or, in, true, false, null, function), names followed by
// '(', continuations of calls, filters or other paths (`f().x`, `a[0].x`), and paths
// inside a filter (`lines[qty > 0]`) or a block evaluated per item (`lines.{ "s": sku }`),
// which are relative to the item.

#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>

namespace sb::model {

struct PathSegment
{
    QString name;
    int start = 0;   // span in the expression, backticks included
    int end = 0;
};

// Calls `visit` with the segments of every root path, in order of appearance.
void forEachRootPath(const QString &expression,
                     const std::function<void(const QVector<PathSegment> &)> &visit);

// The root paths of `expression`, dotted ("quote.lines").
QStringList rootPaths(const QString &expression);

} // namespace sb::model
