// Dispatch for llm_kernels.h (see kernels.cpp for the scheme): the row
// functions of llm_kernels-inl.h at each target's full vector width.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/llm_kernels.cpp"
#ifndef NCNN_INT8_STATIC_DISPATCH
#include "hwy/foreach_target.h" // IWYU pragma: keep
#endif
#include "hwy/highway.h"
#include "kernels/llm_kernels-inl.h"

HWY_BEFORE_NAMESPACE();
namespace ncnn_int8 {
namespace HWY_NAMESPACE {

HWY_NOINLINE void LlmQuantizeBlockFull(const float* w, size_t n, float scale, int qmax, int8_t* q)
{
    LlmQuantizeBlock(hn::ScalableTag<float>(), w, n, scale, qmax, q);
}

HWY_NOINLINE void LlmQuantizeBlockWithErrorFull(const float* w, size_t n, float scale, int qmax, int8_t* q,
                                                double* signal, double* noise)
{
    LlmQuantizeBlockWithError(hn::ScalableTag<float>(), w, n, scale, qmax, q, signal, noise);
}

HWY_NOINLINE void LlmCandidateErrorsFull(const float* w, size_t n, const float* scales, size_t count, int qmax,
                                         float* errors)
{
    LlmCandidateErrors(hn::ScalableTag<float>(), w, n, scales, count, qmax, errors);
}

HWY_NOINLINE void LlmPack4RowFull(const int8_t* q, size_t k, uint8_t* out)
{
    LlmPack4Row(hn::ScalableTag<uint16_t>(), q, k, out);
}

HWY_NOINLINE void LlmPack6RowFull(const int8_t* q, size_t k, uint8_t* out)
{
    LlmPack6Row(hn::ScalableTag<uint32_t>(), q, k, out);
}

} // namespace HWY_NAMESPACE
} // namespace ncnn_int8
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <cstring>

#include "kernels/llm_kernels.h"
#include "kernels/llm_scalar.h"

namespace ncnn_int8 {

#ifdef NCNN_INT8_STATIC_DISPATCH
#define NI8_LLM_DISPATCH(fn) HWY_STATIC_DISPATCH(fn)
#else
HWY_EXPORT(LlmQuantizeBlockFull);
HWY_EXPORT(LlmQuantizeBlockWithErrorFull);
HWY_EXPORT(LlmCandidateErrorsFull);
HWY_EXPORT(LlmPack4RowFull);
HWY_EXPORT(LlmPack6RowFull);
#define NI8_LLM_DISPATCH(fn) HWY_DYNAMIC_DISPATCH(fn)
#endif

namespace kernels {

void llm_quantize_block(const float* w, size_t n, float scale, int qmax, int8_t* q)
{
    NI8_LLM_DISPATCH(LlmQuantizeBlockFull)
    (w, n, scale, qmax, q);
}

void llm_quantize_block_with_error(const float* w, size_t n, float scale, int qmax, int8_t* q, ErrorSums& sums)
{
    NI8_LLM_DISPATCH(LlmQuantizeBlockWithErrorFull)
    (w, n, scale, qmax, q, &sums.signal, &sums.noise);
}

void llm_candidate_errors(const float* w, size_t n, const float* scales, size_t count, int qmax, float* errors)
{
    NI8_LLM_DISPATCH(LlmCandidateErrorsFull)
    (w, n, scales, count, qmax, errors);
}

void llm_pack_row(const int8_t* q, size_t k, int bits, uint8_t* out)
{
    if (bits == 8) {
        std::memcpy(out, q, k);
    } else if (bits == 4) {
        NI8_LLM_DISPATCH(LlmPack4RowFull)
        (q, k, out);
    } else if (bits == 6) {
        NI8_LLM_DISPATCH(LlmPack6RowFull)
        (q, k, out);
    } else {
        const size_t bytes = (k * size_t(bits) + 7) / 8;
        std::memset(out, 0, bytes);
        scalar::llm_pack_reference(q, k, bits, out);
    }
}

} // namespace kernels
} // namespace ncnn_int8
#endif // HWY_ONCE
