#pragma once

// Where an element lives in the project file: the JSON pointer of the element an address names
// ("mapping:m1/rule:3/expression" -> "/mappings/2/rules/3/expression"), so a finding can say
// file:line:column as load errors do. Ids become array indexes; a part the project does not
// have ends the pointer at the deepest element that exists.

#include "model/project.h"

#include <QString>

namespace sb::model {

// Empty when not even the first segment resolves (an unknown or malformed address).
QString jsonPointerOf(const Project &project, const QString &element);

// Line and column (1-based) of `pointer` in the project file's text; a part the text lacks (a
// file written by an older version and migrated on load) gives what encloses it. 0:0 for an
// empty pointer.
struct TextPosition
{
    int line = 0;
    int column = 0;
};
TextPosition positionOfPointer(const QByteArray &projectText, const QString &pointer);

} // namespace sb::model
