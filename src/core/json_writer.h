// A small streaming JSON writer (compact output): objects, arrays, strings,
// numbers and booleans, with the commas placed for the caller. Every JSON
// the project writes (the ncnn2int8, ncnn2table and LLM reports, the
// benchmark) comes from it; the options keep each report's established bytes.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace ncnn_int8 {

// How control characters in strings are written: \n, \r, \t where JSON has
// a short form and \u00XX for the rest, or \u00XX for all of them.
enum class ControlEscapes { short_forms,
                            unicode };

// `s` as a JSON string literal (quotes included).
inline void append_json_string(std::string& out, std::string_view s,
                               ControlEscapes escapes = ControlEscapes::short_forms)
{
    const bool short_forms = escapes == ControlEscapes::short_forms;
    out += '"';
    for (unsigned char c : s) {
        const char* escaped = nullptr;
        if (c == '"')
            escaped = "\\\"";
        else if (c == '\\')
            escaped = "\\\\";
        else if (short_forms && c == '\n')
            escaped = "\\n";
        else if (short_forms && c == '\r')
            escaped = "\\r";
        else if (short_forms && c == '\t')
            escaped = "\\t";
        if (escaped) {
            out += escaped;
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += '"';
}

class JsonWriter {
public:
    JsonWriter() = default;
    explicit JsonWriter(ControlEscapes escapes) : escapes_(escapes) {}

    JsonWriter& begin_object(std::string_view key = {}) { return open(key, '{'); }
    JsonWriter& end_object() { return close('}'); }
    JsonWriter& begin_array(std::string_view key = {}) { return open(key, '['); }
    JsonWriter& end_array() { return close(']'); }

    JsonWriter& string(std::string_view key, std::string_view value)
    {
        name(key);
        append_json_string(out_, value, escapes_);
        return *this;
    }
    // `digits` significant digits (%g; 17 round-trips any double); a
    // non-finite value (not JSON) is written as 0.
    JsonWriter& number(std::string_view key, double value, int digits = 17)
    {
        name(key);
        append_number(std::isfinite(value) ? value : 0.0, digits);
        return *this;
    }
    // The same, but a non-finite value is written as null.
    JsonWriter& number_or_null(std::string_view key, double value, int digits = 17)
    {
        name(key);
        if (std::isfinite(value))
            append_number(value, digits);
        else
            out_ += "null";
        return *this;
    }
    JsonWriter& integer(std::string_view key, int64_t value)
    {
        name(key);
        out_ += std::to_string(value);
        return *this;
    }
    JsonWriter& boolean(std::string_view key, bool value)
    {
        name(key);
        out_ += value ? "true" : "false";
        return *this;
    }

    // Starts the next value on a new line (after its comma): whitespace, for
    // reports read by people too.
    JsonWriter& line_break()
    {
        line_break_ = true;
        return *this;
    }

    // The text so far (complete once every object and array is closed).
    const std::string& text() const { return out_; }

private:
    // Writes the comma before a value and, inside an object, its key.
    void name(std::string_view key)
    {
        if (!first_.empty()) {
            if (!first_.back()) out_ += ',';
            first_.back() = false;
        }
        if (line_break_) out_ += '\n';
        line_break_ = false;
        if (!key.empty()) {
            append_json_string(out_, key, escapes_);
            out_ += ':';
        }
    }
    JsonWriter& open(std::string_view key, char bracket)
    {
        name(key);
        out_ += bracket;
        first_.push_back(true);
        return *this;
    }
    JsonWriter& close(char bracket)
    {
        out_ += bracket;
        if (!first_.empty()) first_.pop_back();
        return *this;
    }

    void append_number(double value, int digits)
    {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.*g", digits, value);
        out_ += buf;
    }

    std::string out_;
    std::vector<bool> first_; // per open container: nothing written in it yet
    ControlEscapes escapes_ = ControlEscapes::short_forms;
    bool line_break_ = false;
};

} // namespace ncnn_int8
