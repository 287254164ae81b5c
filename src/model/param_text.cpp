#include "model/param_text.h"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace ncnn_int8 {

bool looks_like_float(std::string_view token)
{
    for (char c : token)
        if (c == '.' || c == 'e' || c == 'E') return true;
    return false;
}

bool parse_ncnn_int(std::string_view token, int32_t* out)
{
    size_t i = 0;
    bool negative = false;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) negative = token[i++] == '-';
    if (i == token.size()) return false;
    int64_t v = 0;
    for (; i < token.size(); i++) {
        if (!std::isdigit(static_cast<unsigned char>(token[i]))) return false;
        v = v * 10 + (token[i] - '0');
        if (v > 2147483648LL) return false;
    }
    if (negative) v = -v;
    if (v > INT32_MAX || v < INT32_MIN) return false;
    *out = static_cast<int32_t>(v);
    return true;
}

bool parse_ncnn_float(std::string_view token, float* out)
{
    size_t i = 0;
    auto digit = [&] { return i < token.size() && std::isdigit(static_cast<unsigned char>(token[i])); };
    const bool negative = i < token.size() && token[i] == '-';
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) i++;

    // Unsigned wrap-around on long digit runs is part of ncnn's algorithm.
    unsigned int v1 = 0;
    bool any_digit = false;
    while (digit()) {
        v1 = v1 * 10 + static_cast<unsigned>(token[i++] - '0');
        any_digit = true;
    }
    double v = static_cast<double>(v1);
    if (i < token.size() && token[i] == '.') {
        i++;
        unsigned int pow10 = 1;
        unsigned int v2 = 0;
        while (digit()) {
            v2 = v2 * 10 + static_cast<unsigned>(token[i++] - '0');
            pow10 *= 10;
            any_digit = true;
        }
        v += v2 / static_cast<double>(pow10);
    }
    if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
        i++;
        const bool exp_negative = i < token.size() && token[i] == '-';
        if (i < token.size() && (token[i] == '+' || token[i] == '-')) i++;
        unsigned int expon = 0;
        while (digit()) expon = expon * 10 + static_cast<unsigned>(token[i++] - '0');
        double scale = 1.0;
        while (expon >= 8) {
            scale *= 1e8;
            expon -= 8;
            // Once infinite, further steps change nothing: stop, or a long
            // exponent ("1e4294967295") would loop half a billion times.
            if (std::isinf(scale)) expon = 0;
        }
        while (expon > 0) {
            scale *= 10.0;
            expon -= 1;
        }
        v = exp_negative ? v / scale : v * scale;
    }
    if (!any_digit || i != token.size()) return false;
    *out = negative ? static_cast<float>(-v) : static_cast<float>(v);
    return true;
}

void append_int(std::string& out, int32_t v)
{
    char buf[16];
    const int n = std::snprintf(buf, sizeof buf, "%d", v);
    out.append(buf, static_cast<size_t>(n));
}

void append_float(std::string& out, float v)
{
    char buf[64];
    const int n = std::snprintf(buf, sizeof buf, "%e", static_cast<double>(v));
    out.append(buf, static_cast<size_t>(n));
}

} // namespace ncnn_int8
