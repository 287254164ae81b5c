#include "llm/llm_table.h"

#include "core/decimal_float.h"
#include "core/thread_team.h"

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
// Plain decimals take an exact fast path first (same rounding as strtof),
// then floating-point <charconv> (exact, and much faster than strtof) where
// the standard library has it; Emscripten's libc++ does not, and its strtof
// is slow (long double arithmetic in software).
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
#define NI8_FLOAT_CHARCONV 1
#else
#define NI8_FLOAT_CHARCONV 0
#endif

bool parse_coefficient(std::string_view s, float& v)
{
    const char* first = s.data();
    const char* last = first + s.size();
    if (parse_decimal_exact(first, last, v)) return true;
#if NI8_FLOAT_CHARCONV
    const auto r = std::from_chars(first, last, v, std::chars_format::general);
    if (r.ec == std::errc() && r.ptr == last && s[0] != 'i' && s[0] != 'I' && s[0] != 'n' && s[0] != 'N') return true;
#endif
    const std::string text(s);
    char* end = nullptr;
    v = std::strtof(text.c_str(), &end);
    return end != text.c_str();
}

// Where a coefficient token at p surely reads as a number > 0
// (parse_coefficient true and the value positive), told from its text alone:
// the end of the plain decimal there, without a minus sign, with a non-zero
// digit, not so small that it rounds to zero (10^-44 and up do not). Null
// leaves it to the full read. The index pass checks every coefficient this
// way; reading them is the second pass.
const char* surely_positive_number_end(const char* p, const char* last)
{
    auto digit = [&] { return p < last && unsigned(*p - '0') < 10u; };
    if (p < last && *p == '+') p++;
    long lead = LONG_MIN; // the decimal exponent of the first non-zero digit
    long integer_digits = 0;
    for (; digit(); p++, integer_digits++)
        if (lead == LONG_MIN && *p != '0') lead = integer_digits;
    if (lead != LONG_MIN) lead = integer_digits - 1 - lead;
    if (p < last && *p == '.') {
        p++;
        for (long i = 1; digit(); p++, i++)
            if (lead == LONG_MIN && *p != '0') lead = -i;
    }
    if (lead == LONG_MIN) return nullptr; // no digit, or zero
    if (p < last && (*p == 'e' || *p == 'E')) {
        p++;
        const bool negative = p < last && *p == '-';
        if (p < last && (*p == '+' || *p == '-')) p++;
        if (!digit()) return nullptr;
        long e = 0;
        for (; digit(); p++) e = std::min(e * 10 + (*p - '0'), 100000L);
        lead += negative ? -e : e;
    }
    return lead >= -44 ? p : nullptr;
}

bool surely_positive_coefficient(std::string_view s) { return surely_positive_number_end(s.data(), s.data() + s.size()) == s.data() + s.size(); }

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

// The bytes between tokens on a line.
bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The bytes that end a token: spaces, tabs, and the ends of lines.
struct SeparatorTable {
    bool is[256];
    constexpr SeparatorTable() : is()
    {
        is[int(' ')] = is[int('\t')] = is[int('\n')] = is[int('\r')] = is[0] = true;
    }
};
constexpr SeparatorTable kSeparators;

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

    // The next token of the current line (its first byte at `start`); false
    // at the end of the line, which is then consumed. The view is valid
    // until the next call.
    bool next_token(std::string_view& token, uint64_t& start)
    {
        token = {};
        if (line_ended_) return false;
        int c = peek();
        while (c >= 0 && is_blank(char(c))) {
            pos_++;
            c = peek();
        }
        if (c < 0 || c == '\n' || c == '\r' || c == '\0') {
            skip_line();
            return false;
        }
        start = buffer_at_ + pos_;
        const char* from = buffer_.data() + pos_;
        const char* p = token_end(from, buffer_.data() + length_);
        pos_ += size_t(p - from);
        if (pos_ < length_) { // the common case: the token lies inside the window
            token = std::string_view(from, size_t(p - from));
            return true;
        }
        // It runs to the window's end: gathered across refills.
        spill_.assign(from, p);
        for (c = peek(); c >= 0 && !is_separator(char(c)); c = peek()) {
            from = buffer_.data() + pos_;
            p = token_end(from, buffer_.data() + length_);
            spill_.append(from, p);
            pos_ += size_t(p - from);
        }
        token = spill_;
        return true;
    }

    // Skips the tokens ahead on this line that surely read as numbers > 0
    // (surely_positive_number_end) while they lie wholly in the window: how
    // many, the first one's offset in `first`. The index's fast path; the
    // tokens after them are read one by one.
    size_t skip_positive_numbers(uint64_t& first)
    {
        if (line_ended_) return 0;
        const char* b = buffer_.data();
        size_t count = 0;
        for (size_t pos = pos_;;) {
            while (pos < length_ && is_blank(b[pos])) pos++;
            const char* end = pos < length_ ? surely_positive_number_end(b + pos, b + length_) : nullptr;
            if (!end || end == b + length_ || !is_separator(*end)) return count;
            if (count == 0) first = buffer_at_ + pos;
            count++;
            pos = size_t(end - b);
            pos_ = pos;
        }
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
    static bool is_separator(char c) { return kSeparators.is[static_cast<unsigned char>(c)]; }
    static const char* token_end(const char* p, const char* end)
    {
        while (p < end && !is_separator(*p)) p++;
        return p;
    }

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
    std::string spill_;      // a token cut by the window's end
    uint64_t buffer_at_ = 0; // the source offset of buffer_[0]
    size_t pos_ = 0, length_ = 0;
    bool line_ended_ = false;
    Status status_;
};

} // namespace

Result<LlmTable> index_llm_table(ByteSource& source, const std::string& name, size_t window_bytes)
{
    LlmTable table;
    TableScanner scan(source, name, 0, std::max<size_t>(1, window_bytes));
    std::string_view key_token, tok;
    uint64_t start = 0;
    int line_no = 0;
    while (!scan.at_end()) {
        line_no++;
        scan.begin_line();
        if (!scan.next_token(key_token, start)) continue; // a blank line (consumed)
        if (key_token[0] == '#') {
            scan.skip_line();
            continue;
        }
        const std::string key(key_token); // the view ends with the next token
        LlmTableRow row;
        row.line = line_no;
        // Coefficients counted, the first one's offset kept: a row's
        // coefficients have started once one is counted.
        const auto count_coefficients = [&row](uint64_t offset, size_t n) {
            if (row.coeff_count == 0) row.coeff_offset = offset;
            row.coeff_count += n;
        };
        for (;;) {
            uint64_t first = 0;
            if (const size_t numbers = scan.skip_positive_numbers(first)) count_coefficients(first, numbers);
            if (!scan.next_token(tok, start)) break;
            if (surely_positive_coefficient(tok)) { // a number (no '=') cut by the window's end
                count_coefficients(start, 1);
                continue;
            }
            const size_t eq = tok.find('=');
            const bool metadata = eq != std::string_view::npos;
            if (metadata && row.coeff_count == 0) {
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
            if (metadata) return row_error(name, line_no, "key=value token after coefficients started");
            float c = 0.f;
            if (!parse_coefficient(tok, c)) return row_error(name, line_no, "malformed coefficient " + std::string(tok));
            if (!(c > 0.f) && row.first_not_positive == LlmTableRow::kAllPositive) {
                row.first_not_positive = row.coeff_count;
                row.not_positive_value = c;
            }
            count_coefficients(start, 1);
        }
        // The reference reads the key with %255s.
        table[key.substr(0, 255)] = std::move(row);
    }
    RETURN_IF_ERROR(scan.status());
    return table;
}

namespace {

// The coefficients in [first, last) (tokens between spaces and tabs) read
// into `values`: false at the first token that is not one, with the ones
// before it read.
bool read_coefficients(const char* first, const char* last, std::vector<float>& values)
{
    for (const char* p = first;;) {
        while (p < last && is_blank(*p)) p++;
        if (p == last) return true;
        const char* end = p;
        while (end < last && !is_blank(*end)) end++;
        const std::string_view token(p, size_t(end - p));
        float c = 0.f;
        // A plain decimal (most tokens) has no '='.
        if (!parse_decimal_exact(p, end, c) && (token.find('=') != std::string_view::npos || !parse_coefficient(token, c))) return false;
        values.push_back(c);
        p = end;
    }
}

} // namespace

Status read_llm_table_coeffs(ByteSource& source, const std::string& name, const LlmTableRow& row, std::vector<float>& out, ThreadTeam* team,
                             size_t window_bytes)
{
    window_bytes = std::max<size_t>(1, window_bytes);
    const size_t min_share = std::max<size_t>(1, window_bytes / 16); // below this a handoff costs more than it saves
    out.clear();
    out.reserve(row.coeff_count);
    std::string window;
    std::vector<std::vector<float>> shares;
    std::vector<size_t> bounds;
    uint64_t at = row.coeff_offset;
    for (bool row_ended = false; !row_ended && out.size() < row.coeff_count;) {
        // A window of the row's text, cut where its line ends or after its
        // last separator, so that no token is split (grown while one runs on).
        // The first window near the row's size (a small row's is small).
        size_t cut = 0;
        for (size_t want = std::min(window_bytes, (row.coeff_count - out.size()) * 16 + 64);; want *= 2) {
            const size_t size = size_t(std::min<uint64_t>(want, source.size() - std::min(at, source.size())));
            window.resize(size);
            Result<size_t> got = source.read_at(at, window.data(), size);
            if (!got.is_ok()) return Status::failure(name + ": " + got.status().message());
            window.resize(got.value());
            size_t line_end = window.size();
            for (const char c : {'\n', '\r', '\0'})
                if (const void* found = std::memchr(window.data(), c, line_end)) line_end = size_t(static_cast<const char*>(found) - window.data());
            if (line_end < window.size() || window.size() < want) { // the line or the table ends here
                cut = line_end;
                row_ended = true;
                break;
            }
            const size_t last_separator = window.find_last_of(" \t");
            if (last_separator != std::string::npos) {
                cut = last_separator + 1;
                break;
            }
        }
        // Shares of the window for the team's members, each starting at a
        // separator.
        const size_t members = team ? std::max<size_t>(1, std::min(team->size(), cut / min_share)) : 1;
        bounds.assign(1, 0);
        for (size_t i = 1; i < members; i++) {
            size_t b = std::max(bounds.back(), cut * i / members);
            while (b < cut && !is_blank(window[b])) b++;
            bounds.push_back(b);
        }
        bounds.push_back(cut);
        shares.resize(members);
        std::vector<char> complete(members, 0);
        const auto read_share = [&](size_t i) {
            shares[i].clear();
            complete[i] = read_coefficients(window.data() + bounds[i], window.data() + bounds[i + 1], shares[i]);
        };
        if (members == 1)
            read_share(0);
        else
            team->for_each(members, read_share);
        // As read one token after another: up to the first that is not a
        // coefficient.
        for (size_t i = 0; i < members; i++) {
            out.insert(out.end(), shares[i].begin(), shares[i].end());
            if (!complete[i]) {
                row_ended = true;
                break;
            }
        }
        at += cut;
    }
    if (out.size() > row.coeff_count) out.resize(row.coeff_count);
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
        int x = ((e + bits - 1) * 78913) >> 18; // 78913 / 2^18 ~ log10(2); floors (arithmetic shift)
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

// The `count` decimal digits of v at out, with a '.' after the first
// `point` of them (none where point >= count): the end. Written straight
// into place, last digit first; no staging buffer to read back.
char* put_digits(uint32_t v, int count, int point, char* out)
{
    char* p = out + count + (point < count ? 1 : 0);
    char* const end = p;
    for (int i = count - 1; i >= 0; i--) {
        *--p = char('0' + v % 10);
        v /= 10;
        if (i == point) *--p = '.';
    }
    return end;
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
    // Trailing zeros go, as %g drops them: `count` significant digits left.
    int count = 9;
    while (count > 1 && digits % 10 == 0) {
        digits /= 10;
        count--;
    }
    char* o = buf;
    if (u >> 31) *o++ = '-';
    if (x >= 0 && x < 9) {
        if (count > x + 1) {
            o = put_digits(digits, count, x + 1, o);
        } else { // an integer: its digits, then zeros up to the point
            o = put_digits(digits, count, count, o);
            for (int i = count; i <= x; i++) *o++ = '0';
        }
    } else if (x < 0 && x >= -4) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -x - 1; i++) *o++ = '0';
        o = put_digits(digits, count, count, o);
    } else {
        o = put_digits(digits, count, 1, o);
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

namespace {

// %.9g of one float into buf (at least kNumberChars bytes): its length.
// format_g9 where it applies (the table's numbers: several times faster
// than to_chars or printf), else <charconv> or printf.
constexpr size_t kNumberChars = 32;

size_t format_table_number(float v, char* buf)
{
    size_t len = 0;
    if (format_g9(v, buf, len)) return len;
#if NI8_FLOAT_CHARCONV
    const auto r = std::to_chars(buf, buf + kNumberChars, v, std::chars_format::general, 9);
    if (r.ec == std::errc() && std::isfinite(v)) return size_t(r.ptr - buf);
#endif
    return size_t(std::snprintf(buf, kNumberChars, "%.9g", double(v)));
}

} // namespace

void append_table_number(std::string& out, float v)
{
    char buf[kNumberChars];
    out.append(buf, format_table_number(v, buf));
}

void append_llm_table_row_start(std::string& out, const std::string& key, int bits, int block, const char* method)
{
    out += key;
    out += " bits=" + std::to_string(bits) + " block=" + std::to_string(block) + " method=" + method + " ";
}

void append_llm_table_numbers(std::string& out, const float* coeffs, size_t count)
{
    // Written in place: room for the longest number and its space each.
    size_t at = out.size();
    out.resize(at + count * (kNumberChars + 1));
    for (size_t i = 0; i < count; i++) {
        at += format_table_number(coeffs[i], &out[at]);
        out[at++] = ' ';
    }
    out.resize(at);
}

void TableNumberFormatter::append(std::string& out, const float* coeffs, size_t count, ThreadTeam& team)
{
    constexpr size_t kMinShare = 4096; // below this a handoff costs more than it saves
    const size_t members = std::max<size_t>(1, std::min(team.size(), count / kMinShare));
    if (members == 1) {
        append_llm_table_numbers(out, coeffs, count);
        return;
    }
    shares_.resize(members - 1);
    const size_t per = (count + members - 1) / members;
    team.for_each(members, [&](size_t i) {
        const size_t begin = std::min(count, i * per), end = std::min(count, begin + per);
        std::string& text = i == 0 ? out : shares_[i - 1];
        if (i > 0) text.clear();
        append_llm_table_numbers(text, coeffs + begin, end - begin);
    });
    for (const std::string& share : shares_) out += share;
}

void append_llm_table_row(std::string& out, const std::string& key, int bits, int block, const char* method,
                          const float* coeffs, size_t count)
{
    append_llm_table_row_start(out, key, bits, block, method);
    append_llm_table_numbers(out, coeffs, count);
    out += '\n';
}

} // namespace ncnn_int8
