#pragma once

// Error and Result: how the model and runtime report failure without exceptions.

#include <QString>
#include <QtGlobal>

#include <optional>
#include <utility>

namespace sb {

// What failed, for callers that answer differently per kind (serve: 422 against 500).
enum class ErrorKind {
    General,
    // The input was read, but a rule of the project could not be applied to it (a trigger
    // filter that fails on this payload): the sender's data is at fault, not the runner.
    Unprocessable,
};

struct Error
{
    Error() = default;
    // The usual brace form, Error{message, file, line, column, path}, with the flags after.
    Error(QString message, QString file = {}, int line = 0, int column = 0, QString path = {})
        : message(std::move(message)), file(std::move(file)), line(line), column(column),
          path(std::move(path))
    {
    }

    QString message;
    QString file;            // empty when not about a file
    int line = 0;            // 1-based; 0 when unknown
    int column = 0;          // 1-based; 0 when unknown
    QString path;            // JSON pointer of the offending value, e.g. /systems/2/kind
    // The database could not be read or written (full disk, I/O error, lock, corruption),
    // as opposed to a refusal about the data itself: callers answer "try again later".
    bool storage = false;
    ErrorKind kind = ErrorKind::General;

    // "file:line:column: message (at /json/path)", leaving out what is unknown.
    QString toString() const;
};

// The success value of a Result<void>: `return sb::Ok{};`.
struct Ok
{
};

namespace detail {
// Reading the value of a failed Result is a bug in the caller: stop, naming the error,
// instead of undefined behaviour.
[[noreturn]] void valueOfError(const Error &error);
} // namespace detail

// A value or an Error. [[nodiscard]]: a dropped Result is a dropped error.
template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const
    {
        if (!m_value)
            detail::valueOfError(m_error);
        return *m_value;
    }
    T &value()
    {
        if (!m_value)
            detail::valueOfError(m_error);
        return *m_value;
    }
    T takeValue()
    {
        if (!m_value)
            detail::valueOfError(m_error);
        return std::move(*m_value);
    }
    const Error &error() const { return m_error; }

private:
    std::optional<T> m_value;
    Error m_error;
};

// Success or an Error, for operations that produce nothing (e.g. a write).
template <>
class [[nodiscard]] Result<void>
{
public:
    Result(Ok) {}
    Result(Error error) : m_failed(true), m_error(std::move(error)) {}
    static Result success() { return Result(Ok{}); }

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return m_error; }

private:
    bool m_failed = false;
    Error m_error;
};

using Status = Result<void>;

} // namespace sb
