// Highway vector code for the hot loops, once per target (foreach_target):
// included by kernels.cpp, which calls each row function at the target's full
// width, and by the kernel tests, which call them on every partial vector
// width too (ForPartialVectors). The *Lanes functions handle whole vectors;
// the row functions add the reference's scalar rules for the rest of a row
// (in a row of n values its SIMD code handles the first 4*floor(n/4)).
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "kernels/scalar_reference.h"

#if defined(NCNN_INT8_KERNELS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef NCNN_INT8_KERNELS_INL_H_
#undef NCNN_INT8_KERNELS_INL_H_
#else
#define NCNN_INT8_KERNELS_INL_H_
#endif

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace ncnn_int8 {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// One vector of the lane rule of the reference's SIMD path (see
// scalar::quantize_vector_lane): the int8 values of x * scale, in int32 lanes.
template <class DF>
HWY_INLINE hn::Vec<hn::RebindToSigned<DF>> QuantizeVector(DF df, hn::Vec<DF> x, hn::Vec<DF> vscale)
{
    const hn::RebindToSigned<DF> di;
    const auto p = hn::Mul(x, vscale);
    const auto a = hn::Add(p, hn::CopySign(hn::Set(df, 0.5f), p));
    // NaN and |a| >= 2^31 give INT32_MIN on x86, which clamps to -127.
    const auto in_range = hn::Lt(hn::Abs(a), hn::Set(df, 2147483648.f));
    const auto t = hn::ConvertTo(di, hn::IfThenElseZero(in_range, a));
    const auto lo = hn::Set(di, -127);
    return hn::IfThenElse(hn::RebindMask(di, in_range), hn::Min(hn::Max(t, lo), hn::Set(di, 127)), lo);
}

// Quantizes x[0, n) with n a multiple of 4, lane rule of the reference's
// SIMD path. Returns how many were done.
template <class DF>
HWY_INLINE size_t QuantizeLanes(DF df, const float* HWY_RESTRICT x, size_t n, float scale, int8_t* HWY_RESTRICT out)
{
    const hn::Rebind<int8_t, decltype(df)> d8;
    const size_t N = hn::Lanes(df);
    const auto vscale = hn::Set(df, scale);
    size_t i = 0;
    for (; i + N <= n; i += N) hn::StoreU(hn::DemoteTo(d8, QuantizeVector(df, hn::LoadU(df, x + i), vscale)), d8, out + i);
    return i;
}

// fp32 -> fp16 with round-to-nearest-even in integer arithmetic (exact on
// every target, unlike emulated DemoteTo). See scalar::fp32_to_fp16_rne.
template <class DF>
HWY_INLINE size_t Fp32ToFp16Lanes(DF df, const float* HWY_RESTRICT x, size_t n, uint16_t* HWY_RESTRICT out)
{
    // Magnitudes are below 2^31, so signed compares are exact (Highway 1.0
    // lacks unsigned compares on some targets).
    const hn::RebindToSigned<DF> di;
    const hn::RebindToUnsigned<DF> du;
    const hn::Rebind<uint16_t, decltype(di)> d16;
    const size_t N = hn::Lanes(di);
    const auto one = hn::Set(du, 1u);
    size_t i = 0;
    for (; i + N <= n; i += N) {
        const auto x32 = hn::BitCast(du, hn::LoadU(df, x + i));
        const auto sign = hn::And(hn::ShiftRight<16>(x32), hn::Set(du, 0x8000u));
        const auto a = hn::And(x32, hn::Set(du, 0x7FFFFFFFu));
        const auto as = hn::BitCast(di, a);
        // Normal range: add the rounding bias, drop 13 bits, rebias the exponent.
        const auto rounded = hn::Add(hn::Add(a, hn::Set(du, 0xFFFu)), hn::And(hn::ShiftRight<13>(a), one));
        const auto normal = hn::Sub(hn::ShiftRight<13>(rounded), hn::Set(du, 112u << 10));
        // Subnormal range: q = round_ne(m >> (126 - e)), shift kept in [1, 31].
        const auto e = hn::BitCast(di, hn::ShiftRight<23>(a));
        const auto shift_s = hn::Max(hn::Min(hn::Sub(hn::Set(di, 126), e), hn::Set(di, 31)), hn::Set(di, 1));
        const auto shift = hn::BitCast(du, shift_s);
        const auto m = hn::Or(hn::And(a, hn::Set(du, 0x7FFFFFu)), hn::Set(du, 0x800000u));
        const auto q = hn::BitCast(di, m >> shift);
        const auto rem = hn::BitCast(di, hn::And(m, hn::Sub(one << shift, one)));
        const auto half = hn::BitCast(di, one << hn::Sub(shift, one));
        const auto odd = hn::Eq(hn::And(q, hn::Set(di, 1)), hn::Set(di, 1));
        const auto round_up = hn::Or(hn::Gt(rem, half), hn::And(hn::Eq(rem, half), odd));
        const auto sub = hn::Add(q, hn::IfThenElseZero(round_up, hn::Set(di, 1)));
        const auto nan = hn::Or(hn::Set(du, 0x7E00u), hn::And(hn::ShiftRight<13>(a), hn::Set(du, 0x3FFu)));

        auto h = hn::BitCast(di, normal);
        h = hn::IfThenElse(hn::Lt(as, hn::Set(di, 0x38800000)), sub, h);
        h = hn::IfThenElse(hn::Lt(as, hn::Set(di, 0x33000001)), hn::Zero(di), h);
        h = hn::IfThenElse(hn::Gt(as, hn::Set(di, 0x477FEFFF)), hn::Set(di, 0x7C00), h);
        h = hn::IfThenElse(hn::Gt(as, hn::Set(di, 0x7F800000)), hn::BitCast(di, nan), h);
        hn::StoreU(hn::DemoteTo(d16, hn::Or(h, hn::BitCast(di, sign))), d16, out + i);
    }
    return i;
}

// fp16 -> fp32, exact; signaling NaNs come out quiet (F16C behaviour).
template <class DF>
HWY_INLINE size_t Fp16ToFp32Lanes(DF df, const uint16_t* HWY_RESTRICT h, size_t n, float* HWY_RESTRICT out)
{
    const hn::RebindToUnsigned<DF> du;
    const hn::Rebind<uint16_t, decltype(du)> d16;
    const size_t N = hn::Lanes(du);
    size_t i = 0;
    for (; i + N <= n; i += N) {
        const auto v = hn::PromoteTo(du, hn::LoadU(d16, h + i));
        const auto sign = hn::ShiftLeft<16>(hn::And(v, hn::Set(du, 0x8000u)));
        const auto exponent = hn::And(hn::ShiftRight<10>(v), hn::Set(du, 0x1Fu));
        const auto mantissa = hn::And(v, hn::Set(du, 0x3FFu));
        // Normal and inf/NaN.
        const auto normal = hn::Or(hn::ShiftLeft<23>(hn::Add(exponent, hn::Set(du, 112u))), hn::ShiftLeft<13>(mantissa));
        const auto is_special = hn::Eq(exponent, hn::Set(du, 0x1Fu));
        const auto quiet = hn::IfThenZeroElse(hn::Eq(mantissa, hn::Zero(du)), hn::Set(du, 0x400000u));
        const auto special = hn::Or(hn::Or(hn::Set(du, 0x7F800000u), hn::ShiftLeft<13>(mantissa)), quiet);
        // Subnormal: mantissa * 2^-24, exact in fp32.
        const auto sub = hn::BitCast(du, hn::Mul(hn::ConvertTo(df, hn::BitCast(hn::RebindToSigned<decltype(du)>(), mantissa)), hn::Set(df, 5.9604644775390625e-8f)));
        auto r = hn::IfThenElse(is_special, special, normal);
        r = hn::IfThenElse(hn::Eq(exponent, hn::Zero(du)), sub, r);
        hn::StoreU(hn::BitCast(df, hn::Or(r, sign)), df, out + i);
    }
    return i;
}

// Lookup-table blobs: out[i] = table[index[i]] for whole vectors.
template <class DF>
HWY_INLINE size_t LookupLanes(DF df, const float* HWY_RESTRICT table256, const uint8_t* HWY_RESTRICT index, size_t n,
                              float* HWY_RESTRICT out)
{
    const hn::RebindToSigned<decltype(df)> di;
    const hn::Rebind<uint8_t, decltype(df)> d8;
    const size_t N = hn::Lanes(df);
    size_t i = 0;
    for (; i + N <= n; i += N) {
        const auto idx = hn::BitCast(di, hn::PromoteTo(hn::RebindToUnsigned<decltype(di)>(), hn::LoadU(d8, index + i)));
        hn::StoreU(hn::GatherIndex(df, table256, idx), df, out + i);
    }
    return i;
}

// max |x| over whole vectors, NaN ignored like std::max(acc, fabs(x)). Four
// running maxima, four vectors a step, so that a step does not wait on the
// compare of the one before (the largest value is the same in any order).
template <class DF>
HWY_INLINE float AbsMaxLanes(DF df, const float* HWY_RESTRICT x, size_t n, size_t* done)
{
    using V = hn::Vec<DF>;
    const size_t N = hn::Lanes(df);
    const auto larger = [](V acc, V a) HWY_ATTR { return hn::IfThenElse(hn::Lt(acc, a), a, acc); };
    V m0 = hn::Zero(df), m1 = m0, m2 = m0, m3 = m0;
    size_t i = 0;
    for (; i + 4 * N <= n; i += 4 * N) {
        m0 = larger(m0, hn::Abs(hn::LoadU(df, x + i)));
        m1 = larger(m1, hn::Abs(hn::LoadU(df, x + i + N)));
        m2 = larger(m2, hn::Abs(hn::LoadU(df, x + i + 2 * N)));
        m3 = larger(m3, hn::Abs(hn::LoadU(df, x + i + 3 * N)));
    }
    for (; i + N <= n; i += N) m0 = larger(m0, hn::Abs(hn::LoadU(df, x + i)));
    *done = i;
    return hn::GetLane(hn::MaxOfLanes(df, larger(larger(m0, m1), larger(m2, m3))));
}

// Raw fp32 blobs: |x| < 1e-30 (double compare) becomes +0.
template <class DF>
HWY_INLINE size_t FlushTinyLanes(DF df, float* HWY_RESTRICT x, size_t n, float threshold)
{
    const size_t N = hn::Lanes(df);
    const auto t = hn::Set(df, threshold);
    size_t i = 0;
    for (; i + N <= n; i += N) {
        const auto v = hn::LoadU(df, x + i);
        const auto a = hn::Abs(v);
        const auto tiny = hn::And(hn::Lt(a, t), hn::Ne(a, hn::Zero(df)));
        hn::StoreU(hn::IfThenZeroElse(tiny, v), df, x + i);
    }
    return i;
}

// 1 / scale as the error sums dequantize with it (0 for a zero scale).
HWY_INLINE float InverseScale(float scale) { return scale != 0.f ? 1.f / scale : 0.f; }

// The report's error sums over x[0, n) a vector at a time: x^2 and
// (x - r)^2, where reconstruct(i, v) gives r, the dequantized int8 values of
// the vector v at x + i. Float partial sums over short blocks, accumulated
// in double. Returns how many values were summed.
template <class DF, class Reconstruct>
HWY_INLINE size_t ErrorBlocks(DF df, const float* HWY_RESTRICT x, size_t n, double* signal, double* noise, Reconstruct reconstruct)
{
    const size_t N = hn::Lanes(df);
    size_t i = 0;
    while (i + N <= n) {
        auto s = hn::Zero(df), e = hn::Zero(df);
        const size_t block_end = (n - i > 4096) ? i + 4096 : n;
        for (; i + N <= block_end; i += N) {
            const auto v = hn::LoadU(df, x + i);
            const auto d = hn::Sub(v, reconstruct(i, v));
            s = hn::MulAdd(v, v, s);
            e = hn::MulAdd(d, d, e);
        }
        *signal += static_cast<double>(hn::GetLane(hn::SumOfLanes(df, s)));
        *noise += static_cast<double>(hn::GetLane(hn::SumOfLanes(df, e)));
    }
    return i;
}

// Sum of x^2 and of (x - q/scale)^2, for the report's error figures.
template <class DF>
HWY_INLINE size_t ErrorSumsLanes(DF df, const float* HWY_RESTRICT x, const int8_t* HWY_RESTRICT q, size_t n,
                                 float scale, double* signal, double* noise)
{
    const hn::RebindToSigned<decltype(df)> di;
    const hn::Rebind<int8_t, decltype(df)> d8;
    const auto inv = hn::Set(df, InverseScale(scale));
    return ErrorBlocks(df, x, n, signal, noise, [&](size_t i, hn::Vec<DF>) HWY_ATTR {
        return hn::Mul(hn::ConvertTo(df, hn::PromoteTo(di, hn::LoadU(d8, q + i))), inv);
    });
}

// QuantizeLanes and ErrorSumsLanes in one pass over x[0, n) (n a multiple
// of 4): each value's error is taken from the int8 value just made, in
// float as ErrorSumsLanes takes it, without reading x and the int8 row
// again. Returns how many were done.
template <class DF>
HWY_INLINE size_t QuantizeErrorLanes(DF df, const float* HWY_RESTRICT x, size_t n, float scale, int8_t* HWY_RESTRICT out,
                                     double* signal, double* noise)
{
    const hn::Rebind<int8_t, decltype(df)> d8;
    const auto vscale = hn::Set(df, scale);
    const auto inv = hn::Set(df, InverseScale(scale));
    return ErrorBlocks(df, x, n, signal, noise, [&](size_t i, hn::Vec<DF> v) HWY_ATTR {
        const auto q = QuantizeVector(df, v, vscale);
        hn::StoreU(hn::DemoteTo(d8, q), d8, out + i);
        return hn::Mul(hn::ConvertTo(df, q), inv);
    });
}

// --- whole rows: the vector part, then the reference's scalar rules --------

// The part of a row the reference's SIMD code handles.
HWY_INLINE size_t VectorPart(size_t n) { return n & ~size_t(3); }

// out[i, n) by the reference's scalar rules: its lane rule up to the
// vector part's end, its tail rule after.
HWY_INLINE void QuantizeScalarFrom(const float* x, size_t i, size_t n, float scale, int8_t* out)
{
    const size_t v = VectorPart(n);
    for (; i < v; i++) out[i] = scalar::quantize_vector_lane(x[i], scale);
    for (; i < n; i++) out[i] = scalar::quantize_tail(x[i], scale);
}

// The error sums of x[i, n) against q, one value at a time in double.
HWY_INLINE void ErrorSumsScalarFrom(const float* x, const int8_t* q, size_t i, size_t n, float scale, double* signal, double* noise)
{
    const float inv = InverseScale(scale);
    for (; i < n; i++) {
        const double d = static_cast<double>(x[i]) - static_cast<double>(q[i]) * inv;
        *signal += static_cast<double>(x[i]) * x[i];
        *noise += d * d;
    }
}

template <class DF>
HWY_INLINE void QuantizeRow(DF df, const float* x, size_t n, float scale, int8_t* out)
{
    QuantizeScalarFrom(x, QuantizeLanes(df, x, VectorPart(n), scale, out), n, scale, out);
}

// QuantizeRow, and the row's error sums as ErrorSumsRow adds them, in one
// pass over the vector part.
template <class DF>
HWY_INLINE void QuantizeErrorRow(DF df, const float* x, size_t n, float scale, int8_t* out, double* signal, double* noise)
{
    const size_t i = QuantizeErrorLanes(df, x, VectorPart(n), scale, out, signal, noise);
    QuantizeScalarFrom(x, i, n, scale, out);
    ErrorSumsScalarFrom(x, out, i, n, scale, signal, noise);
}

template <class DF>
HWY_INLINE void Fp32ToFp16Row(DF df, const float* x, size_t n, uint16_t* out)
{
    const size_t v = VectorPart(n);
    size_t i = Fp32ToFp16Lanes(df, x, v, out);
    for (; i < v; i++) out[i] = scalar::fp32_to_fp16_rne(x[i]);
    for (; i < n; i++) out[i] = scalar::fp32_to_fp16_truncate(x[i]);
}

template <class DF>
HWY_INLINE void Fp16ToFp32Row(DF df, const uint16_t* h, size_t n, float* out)
{
    const size_t v = VectorPart(n);
    size_t i = Fp16ToFp32Lanes(df, h, v, out);
    for (; i < v; i++) out[i] = scalar::fp16_to_fp32_f16c(h[i]);
    for (; i < n; i++) out[i] = scalar::fp16_to_fp32_exact(h[i]);
}

template <class DF>
HWY_INLINE void LookupRow(DF df, const float* table256, const uint8_t* index, size_t n, float* out)
{
    size_t i = LookupLanes(df, table256, index, n, out);
    for (; i < n; i++) out[i] = table256[index[i]];
}

template <class DF>
HWY_INLINE float AbsMaxRow(DF df, const float* x, size_t n)
{
    size_t i = 0;
    float m = AbsMaxLanes(df, x, n, &i);
    for (; i < n; i++) {
        const float a = std::fabs(x[i]);
        if (m < a) m = a;
    }
    return m;
}

template <class DF>
HWY_INLINE void FlushTinyRow(DF df, float* x, size_t n)
{
    size_t i = FlushTinyLanes(df, x, n, scalar::tiny_threshold());
    for (; i < n; i++) x[i] = scalar::flush_tiny(x[i]);
}

template <class DF>
HWY_INLINE void ErrorSumsRow(DF df, const float* x, const int8_t* q, size_t n, float scale, double* signal, double* noise)
{
    ErrorSumsScalarFrom(x, q, ErrorSumsLanes(df, x, q, n, scale, signal, noise), n, scale, signal, noise);
}

} // namespace HWY_NAMESPACE
} // namespace ncnn_int8
HWY_AFTER_NAMESPACE();

#endif // include guard
