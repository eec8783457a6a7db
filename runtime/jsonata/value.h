#pragma once
// Compact, reference-counted JSON value used by the JSONata engine. Copying a Value only
// bumps a reference count, so path steps never deep-copy documents.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sb::jsonata {

// Deepest nesting of arrays/objects parsed or converted from JSON (U1005 beyond): deeper
// documents would overflow the stack of every recursive walk over them.
inline constexpr int kMaxValueDepth = 1000;

enum class Type : uint8_t { Undefined, Null, Bool, Number, String, Array, Object, Function };

struct HeapData
{
    virtual ~HeapData() = default;
};

class Value;
struct ArrayData;
struct ObjectData;
struct FunctionData;

class Value
{
public:
    Value() = default;
    static Value null() { Value v; v.m_type = Type::Null; return v; }
    static Value boolean(bool b) { Value v; v.m_type = Type::Bool; v.m_num = b ? 1 : 0; return v; }
    static Value number(double d) { Value v; v.m_type = Type::Number; v.m_num = d; return v; }
    static Value string(std::string s);
    static Value array(std::shared_ptr<ArrayData> a);
    static Value object(std::shared_ptr<ObjectData> o);
    static Value function(std::shared_ptr<FunctionData> f);
    static Value newArray();
    static Value newSequence();
    static Value newObject();

    Type type() const { return m_type; }
    bool isUndefined() const { return m_type == Type::Undefined; }
    bool isDefined() const { return m_type != Type::Undefined; }
    bool isNull() const { return m_type == Type::Null; }
    bool isBool() const { return m_type == Type::Bool; }
    bool isNumber() const { return m_type == Type::Number; }
    bool isString() const { return m_type == Type::String; }
    bool isArray() const { return m_type == Type::Array; }
    bool isObject() const { return m_type == Type::Object; }
    bool isFunction() const { return m_type == Type::Function; }
    bool isSequence() const;

    bool boolValue() const { return m_num != 0; }
    double num() const { return m_num; }
    const std::string &str() const;
    ArrayData &arr() const;
    ObjectData &obj() const;
    FunctionData &func() const;
    const std::shared_ptr<HeapData> &ptr() const { return m_ptr; }
    bool sameRef(const Value &o) const { return m_ptr && m_ptr == o.m_ptr; }

    // Array helpers (valid only when isArray()).
    size_t size() const;
    const Value &operator[](size_t i) const;

private:
    Type m_type = Type::Undefined;
    double m_num = 0;
    std::shared_ptr<HeapData> m_ptr;
};

struct StringData : HeapData
{
    explicit StringData(std::string s) : value(std::move(s)) {}
    std::string value;
};

struct ArrayData : HeapData
{
    std::vector<Value> items;
    bool sequence = false;
    bool keepSingleton = false;
    bool cons = false;
    bool outerWrapper = false;
    bool tupleStream = false;
};

// Insertion-ordered object; a hash index is built lazily for larger objects.
struct ObjectData : HeapData
{
    std::vector<std::pair<std::string, Value>> entries;

    const Value *find(std::string_view key) const;
    void set(const std::string &key, Value v);
    bool erase(const std::string &key);
    size_t size() const { return entries.size(); }

private:
    mutable std::unordered_map<std::string_view, size_t> m_index;
    mutable size_t m_indexed = 0;
    void reindex() const;
};

inline ArrayData &Value::arr() const { return *static_cast<ArrayData *>(m_ptr.get()); }
inline ObjectData &Value::obj() const { return *static_cast<ObjectData *>(m_ptr.get()); }

inline bool Value::isSequence() const
{
    return m_type == Type::Array && arr().sequence;
}
inline size_t Value::size() const { return arr().items.size(); }
inline const Value &Value::operator[](size_t i) const { return arr().items[i]; }

// ---- Number and string helpers -------------------------------------------------------
std::string formatJsNumber(double d);           // Number.prototype.toString
double roundToPrecision15(double d);            // Number(d.toPrecision(15))

// UTF-8 (WTF-8: lone surrogates allowed) <-> code points.
std::u32string toCodePoints(std::string_view s);
std::string fromCodePoints(const std::u32string &cps);
void appendUtf8(std::string &out, uint32_t cp);
size_t utf16Length(std::string_view s);

// ---- JSON ------------------------------------------------------------------------------
struct JsonParseError
{
    std::string message;
    int line = 0;
    int column = 0;
    size_t offset = 0;
};
// Lenient JSON parser: accepts lone UTF-16 surrogate escapes (stored as WTF-8).
bool parseJson(std::string_view text, Value &out, JsonParseError *err = nullptr);

struct JsonWriteOptions
{
    int indent = 0;               // 0: compact
    bool precision15 = false;     // $string semantics: numbers rounded to 15 digits
    bool functionsAsEmpty = true; // functions serialise as ""
    size_t maxLength = 0;         // stop once the text is longer (0: no limit)
};
// Returns false when the value holds a non-finite number (D3001 in $string).
bool writeJson(const Value &v, std::string &out, const JsonWriteOptions &opts = {});
std::string toJsonString(const Value &v, int indent = 0);

bool deepEqual(const Value &a, const Value &b);
Value deepClone(const Value &v);

} // namespace sb::jsonata
