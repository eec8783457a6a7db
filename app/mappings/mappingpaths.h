#pragma once

// Field paths as the mapping editor compares them: "lines[].sku" and "lines.sku" are one.

#include <QString>

namespace studio {

inline QString normalizePath(QString path)
{
    path.remove(QLatin1String("[]"));
    return path.trimmed();
}

} // namespace studio
