// A small streaming JSON writer (compact output): objects, arrays, strings,
// numbers and booleans, with the commas placed for the caller. The report
// and the benchmark both write their JSON with it.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace ncnn_int8 {

// `s` as a JSON string literal (quotes included); control characters as
// \n, \r, \t or \u00XX.
inline void append_json_string(std::string& out, std::string_view s)
{
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

class JsonWriter {
public:
    JsonWriter& begin_object(std::string_view key = {}) { return open(key, '{'); }
    JsonWriter& end_object() { return close('}'); }
    JsonWriter& begin_array(std::string_view key = {}) { return open(key, '['); }
    JsonWriter& end_array() { return close(']'); }

    JsonWriter& string(std::string_view key, std::string_view value)
    {
        name(key);
        append_json_string(out_, value);
        return *this;
    }
    // Shortest round-trip form; a non-finite value (not JSON) is written as 0.
    JsonWriter& number(std::string_view key, double value)
    {
        name(key);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", std::isfinite(value) ? value : 0.0);
        out_ += buf;
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
        if (!key.empty()) {
            append_json_string(out_, key);
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

    std::string out_;
    std::vector<bool> first_; // per open container: nothing written in it yet
};

} // namespace ncnn_int8
