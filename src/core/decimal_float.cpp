#include "core/decimal_float.h"

#include <cfloat>
#include <cstdint>
#include <cstring>

namespace ncnn_int8 {

bool parse_decimal_exact(const char* s, float& v)
{
    static const double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char* p = s;
    const bool negative = *p == '-';
    if (*p == '+' || *p == '-') p++;
    uint64_t m = 0;
    int exp10 = 0;
    bool any = false;
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    for (; digit(*p); p++, any = true) {
        if (m > 100000000000000000ull) return false;
        m = m * 10 + uint64_t(*p - '0');
    }
    if (*p == '.') {
        for (p++; digit(*p); p++, any = true) {
            if (m > 100000000000000000ull) return false;
            m = m * 10 + uint64_t(*p - '0');
            exp10--;
        }
    }
    if (!any) return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        const bool negative_exp = *p == '-';
        if (*p == '+' || *p == '-') p++;
        if (!digit(*p)) return false;
        int e = 0;
        for (; digit(*p); p++) {
            if (e > 1000) return false;
            e = e * 10 + (*p - '0');
        }
        exp10 += negative_exp ? -e : e;
    }
    if (*p != '\0') return false; // trailing text: the general path
    if (m == 0) {
        v = negative ? -0.f : 0.f;
        return true;
    }
    if (m >= (uint64_t(1) << 53) || exp10 < -22 || exp10 > 22) return false;
    // Both exact in a double, so this is the correctly rounded double.
    const double r = exp10 < 0 ? double(m) / kPow10[-exp10] : double(m) * kPow10[exp10];
    if (!(r >= double(FLT_MIN) && r <= double(FLT_MAX))) return false;
    // Rounding it to float is the correctly rounded float of the decimal,
    // unless it sits exactly halfway between two floats.
    uint64_t bits = 0;
    std::memcpy(&bits, &r, sizeof bits);
    if ((bits & ((uint64_t(1) << 29) - 1)) == (uint64_t(1) << 28)) return false;
    v = float(negative ? -r : r);
    return true;
}

} // namespace ncnn_int8
