#pragma once

// Sample records for the mapping preview: read from a data set file, or from JSON a user
// pasted or loaded (an object, an array of objects, or one object per line).

#include <QString>

#include <nlohmann/json.hpp>

#include <vector>

namespace studio {

// Records of a data set file (.jsonl / .ndjson, .json array or object, .csv with a header
// row), at most `limit`. Empty when the file cannot be read.
std::vector<nlohmann::ordered_json> readRecords(const QString &file, int limit);

// Records of JSON text: an object, an array of objects or JSON Lines, at most `limit`.
// Empty with `error` set (naming line and column) when the text holds no record.
std::vector<nlohmann::ordered_json> parseRecords(const QByteArray &text, int limit,
                                                 QString *error);

// A short label of a record: its key field's value and its name, where present.
QString recordLabel(const nlohmann::ordered_json &record, const QString &keyField);

} // namespace studio
