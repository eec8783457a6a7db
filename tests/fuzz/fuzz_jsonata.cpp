// libFuzzer harness: JSONata parse + evaluate against a small fixed document. The input is
// the expression text. A tight time limit turns runaway evaluations into U1001 errors, so a
// libFuzzer timeout means a loop that never checks the deadline.
#include "runtime/jsonata/jsonata.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

// Shaped like the JSONata suite's datasets, so suite expressions find something to walk.
const char *const kDocument = R"({
  "Account": {
    "Account Name": "Firefly",
    "Order": [
      {"OrderID": "order103", "Product": [
        {"Product Name": "Bowler Hat", "ProductID": 858383, "SKU": "0406654608",
         "Description": {"Colour": "Purple", "Width": 300, "Height": 200, "Depth": 210,
                         "Weight": 0.75}, "Price": 34.45, "Quantity": 2},
        {"Product Name": "Trilby hat", "ProductID": 858236, "SKU": "0406634348",
         "Description": {"Colour": "Orange", "Width": 300, "Height": 200, "Depth": 210,
                         "Weight": 0.6}, "Price": 21.67, "Quantity": 1}]},
      {"OrderID": "order104", "Product": [
        {"Product Name": "Cloak", "ProductID": 345664, "SKU": "0406654603",
         "Description": {"Colour": "Black", "Width": 30, "Height": 20, "Depth": 210,
                         "Weight": 2}, "Price": 107.99, "Quantity": 1}]}]
  },
  "name": "  Ada Lovelace ", "id": "A-1", "stage": "closed-won", "amount": 1250.5,
  "tags": ["a", "b", "c"], "items": [1, 2, 3, 4.5, -7], "flag": true, "nothing": null,
  "when": "2024-02-29T23:59:59.999Z", "millis": 1709251199999, "empty": {}, "none": [],
  "nested": {"a": {"b": [{"c": 1}, {"c": "x"}, {"c": [true, null]}]}},
  "unicode": "Grüße 👋 \u00e9"
})";

bool validUtf8(const uint8_t *p, size_t n)
{
    // Expressions reach the engine through JSON project files, which are valid UTF-8.
    size_t i = 0;
    while (i < n) {
        const uint8_t c = p[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3
                   : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > n)
            return false;
        for (size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
        }
        i += len;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace sb::jsonata;
    // Real mapping expressions are short; longer inputs only slow the search down.
    if (size > 4096 || !validUtf8(data, size))
        return 0;
    static const Value input = fromJson(nlohmann::ordered_json::parse(kDocument));

    const Expression expression =
        Expression::compile(std::string(reinterpret_cast<const char *>(data), size));
    if (!expression.ok())
        return 0;
    EvalOptions options;
    options.timeLimitMs = 250;
    options.maxDepth = 200;
    const Bindings bindings = {{"x", Value::number(3)}, {"s", Value::string("abc")}};
    const Result result = expression.evaluate(input, bindings, options);
    if (result.ok && result.value.isDefined()) {
        // What a mapping step does with a result: convert it and serialise it.
        const nlohmann::ordered_json json = toJson(result.value);
        (void)json.dump();
    }
    return 0;
}
