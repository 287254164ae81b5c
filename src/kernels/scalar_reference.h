// Element-wise definitions of every number conversion the reference makes.
// The Highway kernels must match these bit for bit; the row functions in
// kernels-inl.h use them for the tail elements the reference handles in scalar
// code, and the tests compare every compiled target against them.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace ncnn_int8::scalar {

inline uint32_t bits_of(float f)
{
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}
inline float float_of(uint32_t u)
{
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

// int8 rounding of the reference's SIMD lanes: add copysign(0.5) in fp32,
// truncate; NaN or a result outside int32 becomes INT32_MIN (x86 cvttps),
// then everything is clamped to [-127, 127].
inline int8_t quantize_vector_lane(float x, float scale)
{
    const float p = x * scale;
    const float a = p + std::copysign(0.5f, p);
    if (!(std::fabs(a) < 2147483648.f)) return -127;
    const int32_t i = static_cast<int32_t>(a);
    return static_cast<int8_t>(i > 127 ? 127 : i < -127 ? -127
                                                        : i);
}

// int8 rounding of the reference's scalar tail: C round() (half away from
// zero), the same INT32_MIN rule for NaN / out of range, then the clamp.
inline int8_t quantize_tail(float x, float scale)
{
    const float r = std::round(x * scale);
    if (!(std::fabs(r) < 2147483648.f)) return -127;
    const int32_t i = static_cast<int32_t>(r);
    return static_cast<int8_t>(i > 127 ? 127 : i < -127 ? -127
                                                        : i);
}

// fp32 -> fp16 as F16C's vcvtps2ph with round-to-nearest-even: subnormals
// kept, overflow to infinity, NaN keeps its top payload bits and is quieted.
inline uint16_t fp32_to_fp16_rne(float f)
{
    const uint32_t x = bits_of(f);
    const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000);
    const uint32_t a = x & 0x7FFFFFFF;
    if (a > 0x7F800000) return sign | 0x7E00 | static_cast<uint16_t>((a >> 13) & 0x3FF);
    if (a >= 0x477FF000) return sign | 0x7C00; // >= 65520 rounds to infinity
    if (a < 0x38800000) {                      // below 2^-14: fp16 subnormal or zero
        if (a <= 0x33000000) return sign;      // <= 2^-25 rounds to zero (ties to even)
        const uint32_t e = a >> 23;
        const uint32_t m = (a & 0x7FFFFF) | 0x800000;
        const uint32_t shift = 126 - e; // 14..24
        uint32_t q = m >> shift;
        const uint32_t rem = m & ((1u << shift) - 1);
        const uint32_t half = 1u << (shift - 1);
        if (rem > half || (rem == half && (q & 1))) q++;
        return sign | static_cast<uint16_t>(q);
    }
    const uint32_t rounded = a + 0xFFF + ((a >> 13) & 1);
    return sign | static_cast<uint16_t>((rounded >> 13) - (112u << 10));
}

// fp32 -> fp16 as ncnn's scalar float32_to_float16: truncates the mantissa,
// flushes what would be an fp16 subnormal to zero, overflows to infinity.
inline uint16_t fp32_to_fp16_truncate(float f)
{
    const uint32_t x = bits_of(f);
    const uint16_t sign = static_cast<uint16_t>((x & 0x80000000u) >> 16);
    const uint32_t exponent = (x >> 23) & 0xFF;
    const uint32_t significand = x & 0x7FFFFF;
    if (exponent == 0) return sign;
    if (exponent == 0xFF) return sign | 0x7C00 | (significand ? 0x200 : 0);
    const int newexp = static_cast<int>(exponent) - 127 + 15;
    if (newexp >= 31) return sign | 0x7C00;
    if (newexp <= 0) return sign;
    return sign | static_cast<uint16_t>(newexp << 10) | static_cast<uint16_t>(significand >> 13);
}

// fp16 -> fp32, exact; NaN payload kept (ncnn's scalar float16_to_float32).
inline float fp16_to_fp32_exact(uint16_t h)
{
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
    const uint32_t exponent = (h >> 10) & 0x1F;
    uint32_t significand = h & 0x3FF;
    if (exponent == 0) {
        if (significand == 0) return float_of(sign);
        // Subnormal: normalize.
        int e = -1;
        do {
            e++;
            significand <<= 1;
        } while ((significand & 0x400) == 0);
        return float_of(sign | static_cast<uint32_t>(127 - 15 - e) << 23 | (significand & 0x3FF) << 13);
    }
    if (exponent == 0x1F) return float_of(sign | 0x7F800000 | significand << 13);
    return float_of(sign | (exponent + 127 - 15) << 23 | significand << 13);
}

// fp16 -> fp32 as F16C's vcvtph2ps: like the exact conversion but a
// signaling NaN comes out quiet.
inline float fp16_to_fp32_f16c(uint16_t h)
{
    const bool nan = (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0;
    return fp16_to_fp32_exact(nan ? static_cast<uint16_t>(h | 0x200) : h);
}

// |x| < 1e-30 (compared in double, as the reference does) becomes +0.
inline float flush_tiny(float x)
{
    const float a = std::fabs(x);
    return (static_cast<double>(a) < 1e-30 && a != 0.f) ? 0.f : x;
}

// The same test in float, for the vector code: the smallest float whose
// double value is >= 1e-30, so |x| < it <=> (double)|x| < 1e-30.
inline float tiny_threshold()
{
    static const float threshold = [] {
        float t = static_cast<float>(1e-30);
        if (static_cast<double>(t) < 1e-30) t = std::nextafter(t, 1.f);
        return t;
    }();
    return threshold;
}

} // namespace ncnn_int8::scalar
