// Highway bodies of llm_kernels.h, compiled once per SIMD target.
#if defined(NCNN_INT8_LLM_KERNELS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef NCNN_INT8_LLM_KERNELS_INL_H_
#undef NCNN_INT8_LLM_KERNELS_INL_H_
#else
#define NCNN_INT8_LLM_KERNELS_INL_H_
#endif

#include <cstddef>
#include <cstdint>

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

HWY_NOINLINE size_t LlmQuantizeLanes(const float* HWY_RESTRICT w, size_t n, float scale, int qmax, int8_t* HWY_RESTRICT q)
{
    const hn::ScalableTag<float> df;
    const hn::RebindToSigned<decltype(df)> di;
    const hn::Rebind<int8_t, decltype(df)> d8;
    const size_t N = hn::Lanes(df);
    const auto s = hn::Set(df, scale);
    const auto hi = hn::Set(df, static_cast<float>(qmax));
    const auto lo = hn::Neg(hi);
    size_t i = 0;
    for (; i + N <= n; i += N) {
        const auto r = LlmRoundClamp(df, hn::Mul(hn::LoadU(df, w + i), s), hi, lo);
        hn::StoreU(hn::DemoteTo(d8, hn::ConvertTo(di, r)), d8, q + i);
    }
    return i;
}

// `scales` and `errors` hold `count` entries, a multiple of the lane count.
HWY_NOINLINE void LlmCandidateErrorsLanes(const float* HWY_RESTRICT w, size_t n, const float* HWY_RESTRICT scales,
                                          size_t count, int qmax, float* HWY_RESTRICT errors)
{
    const hn::ScalableTag<float> df;
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

size_t LlmLaneCount() { return hn::Lanes(hn::ScalableTag<float>()); }

// int4: each pair (even k low nibble, odd k high nibble) read as one u16.
HWY_NOINLINE size_t LlmPack4Lanes(const int8_t* HWY_RESTRICT q, size_t k, uint8_t* HWY_RESTRICT out)
{
    const hn::ScalableTag<uint16_t> d16;
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
HWY_NOINLINE size_t LlmPack6Lanes(const int8_t* HWY_RESTRICT q, size_t k, uint8_t* HWY_RESTRICT out)
{
    const hn::ScalableTag<uint32_t> d32;
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

} // namespace HWY_NAMESPACE
} // namespace ncnn_int8
HWY_AFTER_NAMESPACE();

#endif
