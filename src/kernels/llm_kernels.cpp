// Dispatch for llm_kernels.h (see kernels.cpp for the scheme).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/llm_kernels-inl.h"
#ifndef NCNN_INT8_STATIC_DISPATCH
#include "hwy/foreach_target.h" // IWYU pragma: keep
#endif
#include "hwy/highway.h"
#include "kernels/llm_kernels-inl.h"

#if HWY_ONCE
#include <cstring>

#include "kernels/llm_kernels.h"
#include "kernels/llm_scalar.h"

namespace ncnn_int8 {

#ifdef NCNN_INT8_STATIC_DISPATCH
#define NI8_LLM_DISPATCH(fn) HWY_STATIC_DISPATCH(fn)
#else
HWY_EXPORT(LlmQuantizeLanes);
HWY_EXPORT(LlmCandidateErrorsLanes);
HWY_EXPORT(LlmLaneCount);
HWY_EXPORT(LlmPack4Lanes);
HWY_EXPORT(LlmPack6Lanes);
#define NI8_LLM_DISPATCH(fn) HWY_DYNAMIC_DISPATCH(fn)
#endif

namespace kernels {

void llm_quantize_block(const float* w, size_t n, float scale, int qmax, int8_t* q)
{
    size_t i = NI8_LLM_DISPATCH(LlmQuantizeLanes)(w, n, scale, qmax, q);
    for (; i < n; i++) q[i] = static_cast<int8_t>(scalar::llm_quantize_value(w[i], scale, qmax));
}

void llm_candidate_errors(const float* w, size_t n, const float* scales, size_t count, int qmax, float* errors)
{
    // Pad the candidates to whole vectors (padding scale 1: harmless work).
    constexpr size_t kMaxPadded = 256;
    const size_t lanes = NI8_LLM_DISPATCH(LlmLaneCount)();
    const size_t padded = (count + lanes - 1) / lanes * lanes;
    if (padded > kMaxPadded) {
        for (size_t c = 0; c < count; c++) errors[c] = scalar::llm_candidate_error(w, n, scales[c], qmax);
        return;
    }
    float s[kMaxPadded], e[kMaxPadded];
    for (size_t c = 0; c < padded; c++) s[c] = c < count ? scales[c] : 1.f;
    NI8_LLM_DISPATCH(LlmCandidateErrorsLanes)
    (w, n, s, padded, qmax, e);
    std::memcpy(errors, e, count * sizeof(float));
}

void llm_pack_row(const int8_t* q, size_t k, int bits, uint8_t* out)
{
    const size_t bytes = (k * size_t(bits) + 7) / 8;
    if (bits == 8) {
        std::memcpy(out, q, k);
        return;
    }
    size_t done = 0;
    if (bits == 4)
        done = NI8_LLM_DISPATCH(LlmPack4Lanes)(q, k, out);
    else if (bits == 6)
        done = NI8_LLM_DISPATCH(LlmPack6Lanes)(q, k, out);
    // `done` values fill whole bytes; the rest goes through the reference loop.
    const size_t first = done * size_t(bits) / 8;
    std::memset(out + first, 0, bytes - first);
    scalar::llm_pack_reference(q + done, k - done, bits, out + first);
}

} // namespace kernels
} // namespace ncnn_int8
#endif // HWY_ONCE
