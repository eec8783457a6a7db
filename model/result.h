#pragma once

// Error and Result: how the model and runtime report failure without exceptions.

#include <QString>

#include <optional>
#include <utility>

namespace sb {

struct Error
{
    QString message;
    QString file;            // empty when not about a file
    int line = 0;            // 1-based; 0 when unknown
    int column = 0;          // 1-based; 0 when unknown
    QString path;            // JSON pointer of the offending value, e.g. /systems/2/kind

    // "file:line:column: message (at /json/path)", leaving out what is unknown.
    QString toString() const;
};

template <typename T>
class Result
{
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const { return *m_value; }
    T &value() { return *m_value; }
    T takeValue() { return std::move(*m_value); }
    const Error &error() const { return m_error; }

private:
    std::optional<T> m_value;
    Error m_error;
};

} // namespace sb
