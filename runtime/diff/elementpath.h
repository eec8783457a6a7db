#pragma once

// How the lists of a project document are identified: which key names an element of each
// list, how it reads to a person ("system CRM [crm]", "rule customerId", "edge a → b").
// Shared by the diff and the merge so both match elements the same way.

#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>

namespace sb::runtime::diff {

using Json = nlohmann::ordered_json;

// One keyed list: the array key, the word for one element, the keys that identify it.
struct ListSpec
{
    const char *array;
    const char *noun;
    QStringList identity;
    bool ordered; // element order changes behaviour (rules run in order, first edge wins)
};

// The spec for an array under `key`, when every element is an object carrying the identity
// keys (the reconciliation's `fields` pairs, a step's validate rules are plain values).
std::optional<ListSpec> keyedList(const std::string &key, const Json &array);

// The identity of one element of a keyed list, unique within the list: a duplicate gets
// "#2", "#3", ... so that nothing is silently merged.
QStringList identities(const ListSpec &spec, const Json &array);

// "system CRM [crm]", "entity Account", "edge trigger → check (on-error)".
QString elementLabel(const ListSpec &spec, const Json &element);

// Keys that only place things on a canvas; left out unless asked for.
bool isLayoutKey(const std::string &key);

// A value as one line of text: strings bare (empty as ""), the rest as compact JSON,
// absent as "(none)"; long values are cut with "…".
QString valueText(const std::optional<Json> &value);

// Equal as JSON: the order of keys inside objects (also objects within arrays, such as a
// test's inline record) is no change, for the diff and the merge alike.
bool sameJson(const Json &a, const Json &b);
bool sameJson(const std::optional<Json> &a, const std::optional<Json> &b);

// "/systems/0/entities/3" style pointer segment escaping.
QString pointerSegment(const QString &segment);

} // namespace sb::runtime::diff
