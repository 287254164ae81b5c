#include "llm/llm_table.h"

#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ncnn_int8 {

namespace {

// sscanf("%d%n") with nothing after the number.
bool parse_int_token(const std::string& s, int& v)
{
    int consumed = 0;
    return std::sscanf(s.c_str(), "%d%n", &v, &consumed) == 1 && s[size_t(consumed)] == '\0';
}

// sscanf("%f"): the longest prefix strtof accepts; trailing text ignored.
// Plain decimals take the exact from_chars path (same rounding as strtof).
// Floating-point <charconv> (exact, and much faster than strtof / printf)
// where the standard library has it; Emscripten's libc++ does not.
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
#define NI8_FLOAT_CHARCONV 1
#else
#define NI8_FLOAT_CHARCONV 0
#endif

bool parse_coefficient(std::string_view s, float& v)
{
#if NI8_FLOAT_CHARCONV
    const char* first = s.data();
    const char* last = first + s.size();
    const auto r = std::from_chars(first, last, v, std::chars_format::general);
    if (r.ec == std::errc() && r.ptr == last && s[0] != 'i' && s[0] != 'I' && s[0] != 'n' && s[0] != 'N') return true;
#endif
    const std::string copy(s); // strtof needs the terminator
    char* end = nullptr;
    v = std::strtof(copy.c_str(), &end);
    return end != copy.c_str();
}

std::string resolve_qweight(const std::string& table_path, const std::string& path)
{
    if (!path.empty() && path[0] == '/') return path;
    const size_t slash = table_path.rfind('/');
    if (slash == std::string::npos) return path;
    return table_path.substr(0, slash + 1) + path;
}

Status row_error(const std::string& name, int line, const std::string& message)
{
    return Status::failure(name + ":" + std::to_string(line) + ": " + message);
}

} // namespace

Result<LlmTable> read_llm_table(std::string_view text, const std::string& name)
{
    LlmTable table;
    size_t pos = 0;
    int line_no = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        line_no++;
        // The reference cuts a line at its first \r (or a NUL: C strings).
        for (char stop : {'\r', '\0'}) {
            const void* at = line.empty() ? nullptr : std::memchr(line.data(), stop, line.size());
            if (at) line = line.substr(0, size_t(static_cast<const char*>(at) - line.data()));
        }

        size_t i = 0;
        auto next_token = [&]() -> std::string_view {
            while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) i++;
            const size_t start = i;
            while (i < line.size() && line[i] != ' ' && line[i] != '\t') i++;
            return line.substr(start, i - start);
        };
        const std::string_view key = next_token();
        if (key.empty() || key[0] == '#') continue;

        LlmTableRow row;
        row.line = line_no;
        row.coeffs.reserve(line.size() / 8);
        bool coeff_started = false;
        for (std::string_view tok = next_token(); !tok.empty(); tok = next_token()) {
            const size_t eq = tok.find('=');
            if (eq != std::string_view::npos && !coeff_started) {
                const std::string k(tok.substr(0, eq)), v(tok.substr(eq + 1));
                if (v.empty()) return row_error(name, line_no, "malformed metadata " + k + "=");
                if (k == "bits") {
                    if (!parse_int_token(v, row.bits)) return row_error(name, line_no, "malformed bits=" + v);
                } else if (k == "block") {
                    if (!parse_int_token(v, row.block)) return row_error(name, line_no, "malformed block=" + v);
                } else if (k == "qweight") {
                    row.qweight = resolve_qweight(name, v);
                } else if (k != "method") {
                    return row_error(name, line_no, "unsupported metadata " + k);
                }
                continue;
            }
            if (eq != std::string_view::npos) return row_error(name, line_no, "key=value token after coefficients started");
            coeff_started = true;
            float c = 0.f;
            if (!parse_coefficient(tok, c)) return row_error(name, line_no, "malformed coefficient " + std::string(tok));
            row.coeffs.push_back(c);
        }
        // The reference reads the key with %255s.
        table[std::string(key.substr(0, 255))] = std::move(row);
    }
    return table;
}

void append_table_number(std::string& out, float v)
{
    char buf[64];
#if NI8_FLOAT_CHARCONV
    const auto r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::general, 9);
    if (r.ec == std::errc() && std::isfinite(v)) {
        out.append(buf, r.ptr);
        return;
    }
#endif
    const int n = std::snprintf(buf, sizeof(buf), "%.9g", double(v));
    out.append(buf, size_t(n));
}

void append_llm_table_row(std::string& out, const std::string& key, int bits, int block, const char* method,
                          const float* coeffs, size_t count)
{
    out += key;
    out += " bits=" + std::to_string(bits) + " block=" + std::to_string(block) + " method=" + method + " ";
    for (size_t i = 0; i < count; i++) {
        append_table_number(out, coeffs[i]);
        out += ' ';
    }
    out += '\n';
}

} // namespace ncnn_int8
