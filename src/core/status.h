// Errors as values: a Status carries a message that already names the file,
// the line or layer, and the reason; Result<T> is a value or such a Status.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ncnn_int8 {

class [[nodiscard]] Status {
public:
    Status() = default;
    static Status ok() { return Status(); }
    static Status failure(std::string message)
    {
        Status s;
        s.message_ = std::move(message);
        return s;
    }

    bool is_ok() const { return !message_.has_value(); }
    const std::string& message() const
    {
        static const std::string empty;
        return message_ ? *message_ : empty;
    }

private:
    std::optional<std::string> message_;
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

#define RETURN_IF_ERROR(expr)                  \
    do {                                       \
        ::ncnn_int8::Status status_ = (expr);  \
        if (!status_.is_ok()) return status_;  \
    } while (0)

#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
    auto tmp = (expr);                        \
    if (!tmp.is_ok()) return tmp.status();    \
    lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) ASSIGN_OR_RETURN_IMPL(NI8_CONCAT(result_, __LINE__), lhs, expr)
