// Errors as values: a Status carries a code (what kind of failure), a
// location (file, line, layer) and the reason; its message is made from
// those in one place: "<file>:<line>: <layer>: <reason>", parts omitted when
// empty. Result<T> is a value or such a Status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ncnn_int8 {

enum class ErrorCode : uint8_t {
    Input,       // the inputs are wrong (malformed, inconsistent, refused by ncnn)
    Io,          // reading or writing a file failed
    Cancelled,   // the caller asked to stop
    OutOfMemory, // an allocation failed
    Unsupported, // valid input this tool does not handle
};

// "input", "io", "cancelled", "out_of_memory", "unsupported"
inline const char* error_code_name(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Input: return "input";
    case ErrorCode::Io: return "io";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::OutOfMemory: return "out_of_memory";
    case ErrorCode::Unsupported: return "unsupported";
    }
    return "input";
}

// Where an error is: a file (a path or a name), a 1-based line of it (0: no
// line) and a layer ("Convolution 'conv1'").
struct Location {
    std::string file;
    int line = 0;
    std::string layer;

    Location() = default;
    Location(std::string file_, int line_ = 0, std::string layer_ = std::string())
        : file(std::move(file_)),
          line(line_),
          layer(std::move(layer_))
    {
    }
};

// "<file>:<line>: <layer>: " with the empty parts left out ("" for none).
inline std::string location_prefix(const Location& where)
{
    std::string s = where.file;
    if (!where.file.empty() && where.line > 0) s += ":" + std::to_string(where.line);
    if (!s.empty()) s += ": ";
    if (!where.layer.empty()) s += where.layer + ": ";
    return s;
}

class [[nodiscard]] Status {
public:
    Status() = default;
    static Status ok() { return Status(); }
    static Status error(ErrorCode code, Location where, std::string reason)
    {
        Status s;
        s.error_ = Error{code, std::move(where), std::move(reason), std::string()};
        s.error_->message = location_prefix(s.error_->where) + s.error_->reason;
        return s;
    }
    // An input error whose message is already complete (no separate location).
    static Status failure(std::string message) { return error(ErrorCode::Input, Location{}, std::move(message)); }

    bool is_ok() const { return !error_.has_value(); }
    // Only meaningful when !is_ok().
    ErrorCode code() const { return error_ ? error_->code : ErrorCode::Input; }
    const Location& location() const { return error_ ? error_->where : empty_location(); }
    const std::string& reason() const { return error_ ? error_->reason : empty_string(); }
    const std::string& message() const { return error_ ? error_->message : empty_string(); }

    // The same error with `text` appended to its reason, keeping its code
    // and location.
    Status with_suffix(const std::string& text) const
    {
        if (!error_) return *this;
        Status s = *this;
        s.error_->reason += text;
        s.error_->message += text;
        return s;
    }

private:
    struct Error {
        ErrorCode code;
        Location where;
        std::string reason;
        std::string message;
    };
    static const std::string& empty_string()
    {
        static const std::string empty;
        return empty;
    }
    static const Location& empty_location()
    {
        static const Location none;
        return none;
    }

    std::optional<Error> error_;
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Status failure) : state_(std::move(failure)) {}

    bool is_ok() const { return std::holds_alternative<T>(state_); }
    Status status() const { return is_ok() ? Status::ok() : std::get<Status>(state_); }
    T& value() & { return std::get<T>(state_); }
    const T& value() const& { return std::get<T>(state_); }
    T&& value() && { return std::get<T>(std::move(state_)); }

private:
    std::variant<T, Status> state_;
};

} // namespace ncnn_int8

#define NI8_CONCAT_INNER(a, b) a##b
#define NI8_CONCAT(a, b) NI8_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                 \
    do {                                      \
        ::ncnn_int8::Status status_ = (expr); \
        if (!status_.is_ok()) return status_; \
    } while (0)

#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
    auto tmp = (expr);                        \
    if (!tmp.is_ok()) return tmp.status();    \
    lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) ASSIGN_OR_RETURN_IMPL(NI8_CONCAT(result_, __LINE__), lhs, expr)
