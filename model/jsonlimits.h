#pragma once

// Limits on JSON text read from outside (webhook bodies, project files, bundles). nlohmann's
// parser is iterative, but everything that walks a parsed document afterwards (conversion to
// JSONata values, the project reader, dump()) recurses once per level, so a document nested
// deeper than the limit is refused before it is parsed.

#include "model/result.h"

#include <cstddef>
#include <optional>
#include <string>

namespace sb {

// Default nesting limit for JSON that crosses a trust boundary.
inline constexpr int kMaxJsonDepth = 512;

// Scans `size` bytes of JSON text (strings and escapes are skipped) in one pass without
// recursion. Returns an error naming the 1-based line and column of the bracket that goes
// deeper than `maxDepth`, or nothing when the nesting is within the limit. It does not check
// that the text is otherwise valid JSON: the parser does that.
std::optional<Error> jsonNestingError(const char *data, std::size_t size,
                                      int maxDepth = kMaxJsonDepth);

} // namespace sb

namespace sb {

// JSON text that never throws. A string an expression built may hold bytes that are not
// UTF-8 (no parser lets them in, but computed strings are another matter): they are written
// as U+FFFD instead of making dump() throw out of the engine.
template <typename Json>
std::string jsonText(const Json &j, int indent = -1)
{
    return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

} // namespace sb
