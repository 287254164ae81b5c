// Highway bodies of llm_kernels.h, once per SIMD target: llm_kernels.cpp
// calls the row functions at the target's full width, the tests on every
// partial vector width (see kernels-inl.h).
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/kernels-inl.h" // ErrorBlocks, ErrorSumsScalarFrom (the report's error sums)
#include "kernels/llm_scalar.h"

#if defined(NCNN_INT8_LLM_KERNELS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef NCNN_INT8_LLM_KERNELS_INL_H_
#undef NCNN_INT8_LLM_KERNELS_INL_H_
#else
#define NCNN_INT8_LLM_KERNELS_INL_H_
#endif

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace ncnn_int8 {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// roundf (half away from zero) then the clamp; NaN and values beyond int32
// give -qmax, as the reference's int conversion does on x86.
template <class D, class V>
HWY_INLINE V LlmRoundClamp(D df, V v, V qmax, V neg_qmax)
{
    const V t = hn::Trunc(v);
    const V frac = hn::Sub(v, t); // exact
    const V step = hn::CopySign(hn::Set(df, 1.f), v);
    V r = hn::Add(t, hn::IfThenElseZero(hn::Ge(hn::Abs(frac), hn::Set(df, 0.5f)), step));
    const auto in_range = hn::Lt(r, hn::Set(df, 2147483648.f)); // false for NaN
    r = hn::Min(hn::Max(r, neg_qmax), qmax);
    return hn::IfThenElse(in_range, r, neg_qmax);
}

// One vector of w * scale rounded and clamped, stored as int8 at q; returns
// the same values as floats (whole numbers in [-qmax, qmax]).
template <class DF>
HWY_INLINE hn::Vec<DF> LlmQuantizeVector(DF df, hn::Vec<DF> w, hn::Vec<DF> scale, hn::Vec<DF> qmax, hn::Vec<DF> neg_qmax,
                                         int8_t* HWY_RESTRICT q)
{
    const hn::RebindToSigned<DF> di;
    const hn::Rebind<int8_t, DF> d8;
    const auto r = LlmRoundClamp(df, hn::Mul(w, scale), qmax, neg_qmax);
    hn::StoreU(hn::DemoteTo(d8, hn::ConvertTo(di, r)), d8, q);
    return r;
}

template <class DF>
HWY_INLINE size_t LlmQuantizeLanes(DF df, const float* HWY_RESTRICT w, size_t n, float scale, int qmax,
                                   int8_t* HWY_RESTRICT q)
{
    const size_t N = hn::Lanes(df);
    const auto s = hn::Set(df, scale);
    const auto hi = hn::Set(df, static_cast<float>(qmax));
    const auto lo = hn::Neg(hi);
    size_t i = 0;
    for (; i + N <= n; i += N) LlmQuantizeVector(df, hn::LoadU(df, w + i), s, hi, lo, q + i);
    return i;
}

// `scales` and `errors` hold `count` entries, a multiple of the lane count.
template <class DF>
HWY_INLINE void LlmCandidateErrorsLanes(DF df, const float* HWY_RESTRICT w, size_t n, const float* HWY_RESTRICT scales,
                                        size_t count, int qmax, float* HWY_RESTRICT errors)
{
    const size_t N = hn::Lanes(df);
    const auto hi = hn::Set(df, static_cast<float>(qmax));
    const auto lo = hn::Neg(hi);
    size_t c = 0;
    // Two candidate vectors per pass over the block: independent chains.
    for (; c + 2 * N <= count; c += 2 * N) {
        const auto s0 = hn::LoadU(df, scales + c);
        const auto s1 = hn::LoadU(df, scales + c + N);
        auto e0 = hn::Zero(df), e1 = hn::Zero(df);
        for (size_t k = 0; k < n; k++) {
            const auto x = hn::Set(df, w[k]);
            const auto d0 = hn::Sub(x, hn::Div(LlmRoundClamp(df, hn::Mul(x, s0), hi, lo), s0));
            const auto d1 = hn::Sub(x, hn::Div(LlmRoundClamp(df, hn::Mul(x, s1), hi, lo), s1));
            e0 = hn::Add(e0, hn::Mul(d0, d0));
            e1 = hn::Add(e1, hn::Mul(d1, d1));
        }
        hn::StoreU(e0, df, errors + c);
        hn::StoreU(e1, df, errors + c + N);
    }
    for (; c < count; c += N) {
        const auto s0 = hn::LoadU(df, scales + c);
        auto e0 = hn::Zero(df);
        for (size_t k = 0; k < n; k++) {
            const auto x = hn::Set(df, w[k]);
            const auto d0 = hn::Sub(x, hn::Div(LlmRoundClamp(df, hn::Mul(x, s0), hi, lo), s0));
            e0 = hn::Add(e0, hn::Mul(d0, d0));
        }
        hn::StoreU(e0, df, errors + c);
    }
}

// int4: each pair (even k low nibble, odd k high nibble) read as one u16.
template <class D16>
HWY_INLINE size_t LlmPack4Lanes(D16 d16, const int8_t* HWY_RESTRICT q, size_t k, uint8_t* HWY_RESTRICT out)
{
    const hn::Rebind<uint8_t, decltype(d16)> d8;
    const size_t N = hn::Lanes(d16);
    const auto low = hn::Set(d16, 0x000F);
    const auto high = hn::Set(d16, 0x00F0);
    size_t i = 0; // pairs
    for (; (i + N) * 2 <= k; i += N) {
        const auto v = hn::LoadU(d16, reinterpret_cast<const uint16_t*>(q + 2 * i));
        const auto packed = hn::Or(hn::And(v, low), hn::And(hn::ShiftRight<4>(v), high));
        hn::StoreU(hn::TruncateTo(d8, packed), d8, out + i);
    }
    return 2 * i;
}

// int6: each group of four values read as one u32 becomes a 24-bit word.
template <class D32>
HWY_INLINE size_t LlmPack6Lanes(D32 d32, const int8_t* HWY_RESTRICT q, size_t k, uint8_t* HWY_RESTRICT out)
{
    const size_t N = hn::Lanes(d32);
    HWY_ALIGN uint32_t words[HWY_MAX_BYTES / 4];
    size_t i = 0; // groups of four
    for (; (i + N) * 4 <= k; i += N) {
        const auto v = hn::LoadU(d32, reinterpret_cast<const uint32_t*>(q + 4 * i));
        auto w = hn::And(v, hn::Set(d32, 0x3Fu));
        w = hn::Or(w, hn::And(hn::ShiftRight<2>(v), hn::Set(d32, 0xFC0u)));
        w = hn::Or(w, hn::And(hn::ShiftRight<4>(v), hn::Set(d32, 0x3F000u)));
        w = hn::Or(w, hn::And(hn::ShiftRight<6>(v), hn::Set(d32, 0xFC0000u)));
        hn::Store(w, d32, words);
        for (size_t j = 0; j < N; j++) {
            uint8_t* o = out + 3 * (i + j);
            o[0] = static_cast<uint8_t>(words[j]);
            o[1] = static_cast<uint8_t>(words[j] >> 8);
            o[2] = static_cast<uint8_t>(words[j] >> 16);
        }
    }
    return 4 * i;
}

// --- whole blocks and rows: the vector part, then the scalar definitions ---

// q[i, n) by the scalar definition.
HWY_INLINE void LlmQuantizeScalarFrom(const float* w, size_t i, size_t n, float scale, int qmax, int8_t* q)
{
    for (; i < n; i++) q[i] = static_cast<int8_t>(scalar::llm_quantize_value(w[i], scale, qmax));
}

template <class DF>
HWY_INLINE void LlmQuantizeBlock(DF df, const float* w, size_t n, float scale, int qmax, int8_t* q)
{
    LlmQuantizeScalarFrom(w, LlmQuantizeLanes(df, w, n, scale, qmax, q), n, scale, qmax, q);
}

// LlmQuantizeBlock, and the block's error sums as accumulate_error adds them
// (ErrorSumsRow: the same vectors, then the same scalar tail), in one pass
// over w: each value's error is taken from the value just quantized, not
// from w and q read again. Same bytes, same sums.
template <class DF>
HWY_INLINE void LlmQuantizeBlockWithError(DF df, const float* HWY_RESTRICT w, size_t n, float scale, int qmax,
                                          int8_t* HWY_RESTRICT q, double* signal, double* noise)
{
    const auto s = hn::Set(df, scale);
    const auto hi = hn::Set(df, static_cast<float>(qmax));
    const auto lo = hn::Neg(hi);
    const auto inv = hn::Set(df, InverseScale(scale));
    const size_t i = ErrorBlocks(df, w, n, signal, noise, [&](size_t at, hn::Vec<DF> v) HWY_ATTR {
        return hn::Mul(LlmQuantizeVector(df, v, s, hi, lo, q + at), inv);
    });
    LlmQuantizeScalarFrom(w, i, n, scale, qmax, q);
    ErrorSumsScalarFrom(w, q, i, n, scale, signal, noise);
}

template <class DF>
HWY_INLINE void LlmCandidateErrors(DF df, const float* w, size_t n, const float* scales, size_t count, int qmax,
                                   float* errors)
{
    // Pad the candidates to whole vectors (padding scale 1: harmless work).
    constexpr size_t kMaxPadded = 256;
    const size_t lanes = hn::Lanes(df);
    const size_t padded = (count + lanes - 1) / lanes * lanes;
    if (padded > kMaxPadded) {
        for (size_t c = 0; c < count; c++) errors[c] = scalar::llm_candidate_error(w, n, scales[c], qmax);
        return;
    }
    float s[kMaxPadded], e[kMaxPadded];
    for (size_t c = 0; c < padded; c++) s[c] = c < count ? scales[c] : 1.f;
    LlmCandidateErrorsLanes(df, w, n, s, padded, qmax, e);
    std::memcpy(errors, e, count * sizeof(float));
}

// After `done` values (a whole number of bytes), the rest of the row through
// the reference loop.
HWY_INLINE void LlmPackRest(const int8_t* q, size_t k, int bits, size_t done, uint8_t* out)
{
    const size_t bytes = (k * size_t(bits) + 7) / 8;
    const size_t first = done * size_t(bits) / 8;
    std::memset(out + first, 0, bytes - first);
    scalar::llm_pack_reference(q + done, k - done, bits, out + first);
}

template <class D16>
HWY_INLINE void LlmPack4Row(D16 d16, const int8_t* q, size_t k, uint8_t* out)
{
    LlmPackRest(q, k, 4, LlmPack4Lanes(d16, q, k, out), out);
}

template <class D32>
HWY_INLINE void LlmPack6Row(D32 d32, const int8_t* q, size_t k, uint8_t* out)
{
    LlmPackRest(q, k, 6, LlmPack6Lanes(d32, q, k, out), out);
}

} // namespace HWY_NAMESPACE
} // namespace ncnn_int8
HWY_AFTER_NAMESPACE();

#endif
