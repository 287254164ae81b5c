#include "llm/llm_table.h"

#include "core/decimal_float.h"

#include <algorithm>
#include <cerrno>
#include <cfloat>
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

bool parse_coefficient(const std::string& s, float& v)
{
#if NI8_FLOAT_CHARCONV
    const char* first = s.data();
    const char* last = first + s.size();
    const auto r = std::from_chars(first, last, v, std::chars_format::general);
    if (r.ec == std::errc() && r.ptr == last && s[0] != 'i' && s[0] != 'I' && s[0] != 'n' && s[0] != 'N') return true;
#endif
    // Without <charconv> floats (Emscripten), strtof is slow (long double
    // arithmetic in software): the table's plain decimals take an exact
    // fast path first.
    if (parse_decimal_exact(s.c_str(), v)) return true;
    char* end = nullptr;
    v = std::strtof(s.c_str(), &end);
    return end != s.c_str();
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

// Tokens of the table's lines, read from a source through a window. A line
// ends at '\n'; the reference cuts it at its first '\r' (or a NUL: C
// strings); tokens are separated by spaces and tabs.
class TableScanner {
public:
    TableScanner(ByteSource& source, const std::string& name, uint64_t at, size_t window)
        : source_(source),
          name_(name),
          window_(window),
          buffer_at_(at)
    {
    }

    bool at_end() { return peek() < 0; }
    void begin_line() { line_ended_ = false; }

    // The next token of the current line into `token` (its first byte at
    // `start`); false at the end of the line, which is then consumed.
    bool next_token(std::string& token, uint64_t& start)
    {
        token.clear();
        if (line_ended_) return false;
        int c = peek();
        while (c == ' ' || c == '\t') {
            pos_++;
            c = peek();
        }
        if (c < 0 || c == '\n' || c == '\r' || c == '\0') {
            skip_line();
            return false;
        }
        start = buffer_at_ + pos_;
        while (c >= 0 && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\0') {
            // The whole run of token bytes in the window at once.
            const char* from = buffer_.data() + pos_;
            const char* end = buffer_.data() + length_;
            const char* p = from;
            while (p < end && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\0') p++;
            token.append(from, size_t(p - from));
            pos_ += size_t(p - from);
            c = peek();
        }
        return true;
    }

    // Consumes the rest of the line and its '\n'.
    void skip_line()
    {
        line_ended_ = true;
        for (;;) {
            if (peek() < 0) return;
            const void* nl = std::memchr(buffer_.data() + pos_, '\n', length_ - pos_);
            if (nl) {
                pos_ = size_t(static_cast<const char*>(nl) - buffer_.data()) + 1;
                return;
            }
            pos_ = length_;
        }
    }

    const Status& status() const { return status_; }

private:
    int peek()
    {
        if (pos_ < length_) return static_cast<unsigned char>(buffer_[pos_]);
        if (!status_.is_ok()) return -1;
        buffer_at_ += length_;
        pos_ = length_ = 0;
        if (buffer_at_ >= source_.size()) return -1;
        const size_t want = size_t(std::min<uint64_t>(window_, source_.size() - buffer_at_));
        if (buffer_.size() < want) buffer_.resize(want); // a small table gets a small buffer
        Result<size_t> got = source_.read_at(buffer_at_, buffer_.data(), want);
        if (!got.is_ok()) {
            status_ = Status::failure(name_ + ": " + got.status().message());
            return -1;
        }
        length_ = got.value();
        if (length_ == 0) return -1;
        return static_cast<unsigned char>(buffer_[0]);
    }

    ByteSource& source_;
    const std::string& name_;
    size_t window_;
    std::string buffer_;
    uint64_t buffer_at_ = 0; // the source offset of buffer_[0]
    size_t pos_ = 0, length_ = 0;
    bool line_ended_ = false;
    Status status_;
};

constexpr size_t kRowWindow = size_t(64) << 10;

} // namespace

Result<LlmTable> index_llm_table(ByteSource& source, const std::string& name, size_t window_bytes)
{
    LlmTable table;
    TableScanner scan(source, name, 0, std::max<size_t>(1, window_bytes));
    std::string key, tok;
    uint64_t start = 0;
    int line_no = 0;
    while (!scan.at_end()) {
        line_no++;
        scan.begin_line();
        if (!scan.next_token(key, start)) continue; // a blank line (consumed)
        if (key[0] == '#') {
            scan.skip_line();
            continue;
        }
        LlmTableRow row;
        row.line = line_no;
        bool coeff_started = false;
        while (scan.next_token(tok, start)) {
            const size_t eq = tok.find('=');
            if (eq != std::string::npos && !coeff_started) {
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
            if (eq != std::string::npos) return row_error(name, line_no, "key=value token after coefficients started");
            if (!coeff_started) row.coeff_offset = start;
            coeff_started = true;
            float c = 0.f;
            if (!parse_coefficient(tok, c)) return row_error(name, line_no, "malformed coefficient " + tok);
            if (!(c > 0.f) && row.first_not_positive == LlmTableRow::kAllPositive) {
                row.first_not_positive = row.coeff_count;
                row.not_positive_value = c;
            }
            row.coeff_count++;
        }
        // The reference reads the key with %255s.
        table[key.substr(0, 255)] = std::move(row);
    }
    RETURN_IF_ERROR(scan.status());
    return table;
}

Status read_llm_table_coeffs(ByteSource& source, const std::string& name, const LlmTableRow& row, std::vector<float>& out)
{
    out.clear();
    out.reserve(row.coeff_count);
    if (row.coeff_count == 0) return Status::ok();
    TableScanner scan(source, name, row.coeff_offset, kRowWindow);
    std::string tok;
    uint64_t start = 0;
    scan.begin_line();
    while (out.size() < row.coeff_count && scan.next_token(tok, start)) {
        float c = 0.f;
        if (tok.find('=') != std::string::npos || !parse_coefficient(tok, c)) break;
        out.push_back(c);
    }
    RETURN_IF_ERROR(scan.status());
    if (out.size() != row.coeff_count) return row_error(name, row.line, "the table changed while it was read");
    return Status::ok();
}

namespace {

using u128 = unsigned __int128;

// 10^0 .. 10^38 (the largest power of ten below 2^128).
struct Pow10Table {
    u128 p[39];
    constexpr Pow10Table() : p()
    {
        p[0] = 1;
        for (int i = 1; i < 39; i++) p[i] = p[i - 1] * 10;
    }
};
constexpr Pow10Table kPow10;

u128 pow10_u128(int n) { return kPow10.p[n]; }

int decimal_digits(u128 v)
{
    int n = 1;
    while (n < 39 && v >= kPow10.p[n]) n++;
    return n;
}

constexpr uint32_t kLow9 = 100000000u, kHigh9 = 1000000000u; // 9-digit integers: [kLow9, kHigh9)

// m * 10^s / 2^t (t >= 1) rounded to the nearest integer, ties to even, as
// printf rounds, where it has 9 digits: 0 and the integer in `rounded`
// (kHigh9 where it rounded up to 10 digits); 1 where it has more digits,
// -1 where fewer. UInt must hold m * 10^s and 2^t.
template <typename UInt>
int round_scaled(uint32_t m, UInt pow10_s, int t, uint32_t& rounded)
{
    const UInt scaled = UInt(m) * pow10_s;
    const UInt q = scaled >> t;
    if (q >= kHigh9) return 1;
    if (q < kLow9) return -1;
    const UInt rem = scaled & ((UInt(1) << t) - 1), half = UInt(1) << (t - 1);
    rounded = uint32_t(q);
    if (rem > half || (rem == half && (q & 1))) rounded++;
    return 0;
}

// |v| = m * 2^e (m > 0) rounded to 9 significant digits as printf does (to
// nearest on the exact value, ties to even): digits in [1e8, 1e9) and the
// decimal exponent of the first one. False below about 1e-22, where
// m * 10^s would not fit 128 bits.
bool round_to_9_digits(uint32_t m, int e, uint32_t& digits, int& exponent)
{
    u128 d = 0;
    if (e >= 0) {
        const u128 v = u128(m) << e; // m < 2^24, e <= 104
        const int n = decimal_digits(v);
        exponent = n - 1;
        if (n <= 9) {
            d = v * pow10_u128(9 - n);
        } else {
            const u128 p = pow10_u128(n - 9), rem = v % p;
            d = v / p;
            if (2 * rem > p || (2 * rem == p && (d & 1))) d++;
        }
    } else {
        const int t = -e;
        if (t > 127) return false;
        const int bits = 32 - __builtin_clz(m);
        // floor(log10 |v|), possibly one too high or low: corrected below.
        int x = int(std::floor(double(e + bits - 1) * 0.30102999566398120));
        for (int tries = 0;; tries++) {
            const int s = 8 - x; // |v| < 2^24: s >= 0
            if (s > 31 || tries > 2) return false;
            // m < 2^24 and 10^12 < 2^40: 64 bits hold m * 10^s up to
            // s = 12, which covers the tables' block scales (|v| > 1e-4).
            // 128-bit arithmetic is a library call in WebAssembly.
            uint32_t rounded = 0;
            const int r = s <= 12 && t < 64 ? round_scaled<uint64_t>(m, uint64_t(pow10_u128(s)), t, rounded)
                                            : round_scaled<u128>(m, pow10_u128(s), t, rounded);
            if (r != 0) {
                x += r;
                continue;
            }
            d = rounded;
            exponent = x;
            break;
        }
    }
    if (d == kHigh9) {
        d = kLow9;
        exponent++;
    }
    digits = uint32_t(d);
    return true;
}

// printf's "%.9g" of a finite non-zero float, without printf (slow in
// Emscripten's libc, which formats through long double in software).
// False where round_to_9_digits gives up.
bool format_g9(float v, char* buf, size_t& len)
{
    uint32_t u;
    std::memcpy(&u, &v, 4);
    const uint32_t field = (u >> 23) & 0xff, frac = u & 0x7fffff;
    if (field == 0xff || (field == 0 && frac == 0)) return false;
    const uint32_t m = field ? frac | 0x800000u : frac;
    const int e = field ? int(field) - 150 : -149;
    uint32_t digits = 0;
    int x = 0;
    if (!round_to_9_digits(m, e, digits, x)) return false;
    char d[9];
    for (int i = 8; i >= 0; i--, digits /= 10) d[i] = char('0' + digits % 10);
    int last = 8; // the last digit kept: trailing zeros go, as %g drops them
    while (last > 0 && d[last] == '0') last--;
    char* o = buf;
    if (u >> 31) *o++ = '-';
    if (x >= -4 && x < 9) {
        if (x >= 0) {
            for (int i = 0; i <= x; i++) *o++ = d[i];
            if (last > x) {
                *o++ = '.';
                for (int i = x + 1; i <= last; i++) *o++ = d[i];
            }
        } else {
            *o++ = '0';
            *o++ = '.';
            for (int i = 0; i < -x - 1; i++) *o++ = '0';
            for (int i = 0; i <= last; i++) *o++ = d[i];
        }
    } else {
        *o++ = d[0];
        if (last > 0) {
            *o++ = '.';
            for (int i = 1; i <= last; i++) *o++ = d[i];
        }
        *o++ = 'e';
        *o++ = x < 0 ? '-' : '+';
        const int ax = x < 0 ? -x : x;
        if (ax >= 100) *o++ = char('0' + ax / 100);
        *o++ = char('0' + ax / 10 % 10);
        *o++ = char('0' + ax % 10);
    }
    len = size_t(o - buf);
    return true;
}

} // namespace

bool append_table_number_fast(std::string& out, float v)
{
    char buf[32];
    size_t len = 0;
    if (!format_g9(v, buf, len)) return false;
    out.append(buf, len);
    return true;
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
#else
    if (append_table_number_fast(out, v)) return;
#endif
    const int n = std::snprintf(buf, sizeof(buf), "%.9g", double(v));
    out.append(buf, size_t(n));
}

void append_llm_table_row_start(std::string& out, const std::string& key, int bits, int block, const char* method)
{
    out += key;
    out += " bits=" + std::to_string(bits) + " block=" + std::to_string(block) + " method=" + method + " ";
}

void append_llm_table_numbers(std::string& out, const float* coeffs, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        append_table_number(out, coeffs[i]);
        out += ' ';
    }
}

void append_llm_table_row(std::string& out, const std::string& key, int bits, int block, const char* method,
                          const float* coeffs, size_t count)
{
    append_llm_table_row_start(out, key, bits, block, method);
    append_llm_table_numbers(out, coeffs, count);
    out += '\n';
}

} // namespace ncnn_int8
