#include "model/jsonlimits.h"

namespace sb {

std::optional<Error> jsonNestingError(const char *data, std::size_t size, int maxDepth)
{
    int depth = 0;
    int line = 1;
    int column = 0;
    bool inString = false;
    bool escaped = false;
    for (std::size_t i = 0; i < size; ++i) {
        const char c = data[i];
        ++column;
        if (c == '\n') {
            ++line;
            column = 0;
        }
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            if (++depth > maxDepth) {
                Error e;
                e.message = QStringLiteral("JSON nested deeper than %1 levels").arg(maxDepth);
                e.line = line;
                e.column = column;
                return e;
            }
            break;
        case ']':
        case '}':
            if (depth > 0)
                --depth;
            break;
        default:
            break;
        }
    }
    return std::nullopt;
}

} // namespace sb
