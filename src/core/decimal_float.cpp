#include "core/decimal_float.h"

#include <cfloat>
#include <cstdint>
#include <cstring>

namespace ncnn_int8 {

namespace {

constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
// Each the double nearest 10^-i.
constexpr double kInversePow10[] = {1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11,
                                    1e-12, 1e-13, 1e-14, 1e-15, 1e-16, 1e-17, 1e-18, 1e-19, 1e-20, 1e-21, 1e-22};

constexpr uint64_t kBelowFloat = (uint64_t(1) << 29) - 1; // a double's bits below a float's last one
constexpr uint64_t kFloatHalfway = uint64_t(1) << 28;     // those bits of a double halfway between two floats

uint64_t double_bits(double d)
{
    uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    return bits;
}

// Eight ASCII bytes (little-endian in a word) that are all '0'..'9'.
bool eight_digits(uint64_t chunk)
{
    // A byte below '0' borrows in chunk - '0'..., one above '9' carries
    // into its top bit in chunk + 0x46...
    return (((chunk + 0x4646464646464646ull) | (chunk - 0x3030303030303030ull)) & 0x8080808080808080ull) == 0;
}

// Their value, the first byte the most significant digit: pairs, then
// fours, then all eight, combined by multiplications.
uint64_t eight_digits_value(uint64_t chunk)
{
    chunk -= 0x3030303030303030ull;
    chunk = chunk * 10 + (chunk >> 8); // each even byte: two digits
    const uint64_t pairs = 0x000000FF000000FFull;
    const uint64_t high = 100 + (1000000ull << 32), low = 1 + (10000ull << 32);
    return (((chunk & pairs) * high) + (((chunk >> 16) & pairs) * low)) >> 32;
}

// The run of decimal digits at p appended to m (m * 10^n + their value,
// wrapping past 19 digits): n. Eight at a time where the text has them.
size_t read_digits(const char*& p, const char* last, uint64_t& m)
{
    const char* start = p;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (last - p >= 8) {
        uint64_t chunk = 0;
        std::memcpy(&chunk, p, 8);
        if (!eight_digits(chunk)) break;
        m = m * 100000000 + eight_digits_value(chunk);
        p += 8;
    }
#endif
    for (; p < last && unsigned(*p - '0') < 10u; p++) m = m * 10 + unsigned(*p - '0');
    return size_t(p - start);
}

} // namespace

bool parse_decimal_exact(const char* first, const char* last, float& v)
{
    const char* p = first;
    auto at = [&](char c) { return p < last && *p == c; };
    auto digit = [&] { return p < last && *p >= '0' && *p <= '9'; };
    const bool negative = at('-');
    if (at('+') || at('-')) p++;
    uint64_t m = 0;
    size_t count = read_digits(p, last, m);
    int exp10 = 0;
    if (at('.')) {
        p++;
        const size_t fraction = read_digits(p, last, m);
        count += fraction;
        exp10 = -int(fraction);
    }
    if (count == 0) return false;
    if (count > 19) return false; // m may have wrapped: the general path
    if (at('e') || at('E')) {
        p++;
        const bool negative_exp = at('-');
        if (at('+') || at('-')) p++;
        if (!digit()) return false;
        int e = 0;
        for (; digit(); p++) {
            if (e > 1000) return false;
            e = e * 10 + (*p - '0');
        }
        exp10 += negative_exp ? -e : e;
    }
    if (p != last) return false; // trailing text: the general path
    if (m == 0) {
        v = negative ? -0.f : 0.f;
        return true;
    }
    if (m >= (uint64_t(1) << 53) || exp10 < -22 || exp10 > 22) return false;
    double r = 0;
    if (exp10 >= 0) {
        r = double(m) * kPow10[exp10]; // both exact: the correctly rounded double
    } else {
        // m times the rounded 10^-k is within 2 double ulps of m / 10^k.
        // Where no float's halfway point lies that near, it rounds to the
        // same float and stands in for the division, several times slower.
        r = double(m) * kInversePow10[-exp10];
        if ((double_bits(r) & kBelowFloat) - (kFloatHalfway - 4) <= 8) r = double(m) / kPow10[-exp10];
    }
    if (!(r >= double(FLT_MIN) && r <= double(FLT_MAX))) return false;
    // Rounding the correctly rounded double to float is the correctly
    // rounded float of the decimal, unless it sits exactly halfway.
    if ((double_bits(r) & kBelowFloat) == kFloatHalfway) return false;
    v = float(negative ? -r : r);
    return true;
}

bool parse_decimal_exact(const char* s, float& v) { return parse_decimal_exact(s, s + std::strlen(s), v); }

} // namespace ncnn_int8
