// Dispatch of the engine kernels (as kernels.cpp: dynamic natively, static in
// WASM). The per-target code is in engine_kernels-inl.h; this file compiles
// it at each target's full vector width.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/engine_kernels.cpp"
#ifndef NCNN_INT8_STATIC_DISPATCH
#include "hwy/foreach_target.h" // IWYU pragma: keep
#endif
#include "hwy/highway.h"
#include "kernels/engine_kernels-inl.h"

HWY_BEFORE_NAMESPACE();
namespace ncnn_int8 {
namespace HWY_NAMESPACE {
namespace {
using FullF32 = hn::ScalableTag<float>;
} // namespace

HWY_NOINLINE void GemmFull(size_t M, size_t N, size_t K, const float* A, size_t lda, const float* B, size_t ldb,
                           const float* bias, float* C, size_t ldc)
{
    Gemm(FullF32(), M, N, K, A, lda, B, ldb, bias, C, ldc);
}
HWY_NOINLINE void AxpyFull(size_t count, float a, const float* x, float* y) { Axpy(FullF32(), count, a, x, y); }
HWY_NOINLINE void DepthwiseFull(const float* src, size_t src_w, size_t src_h, size_t outw, size_t outh, size_t kw, size_t kh,
                                size_t dw, size_t dh, size_t sw, size_t sh, const float* w, float bias, float* out)
{
    Depthwise(FullF32(), src, src_w, src_h, outw, outh, kw, kh, dw, dh, sw, sh, w, bias, out);
}
HWY_NOINLINE void MaxPoolFull(const float* src, size_t src_w, size_t src_h, size_t outw, size_t outh, size_t kw, size_t kh,
                              size_t sw, size_t sh, float* out)
{
    MaxPool(FullF32(), src, src_w, src_h, outw, outh, kw, kh, sw, sh, out);
}

HWY_NOINLINE void CountMagnitudesFull(const float* p, size_t n, uint32_t cutoff_bits, uint64_t* bins)
{
    CountMagnitudes(FullF32(), p, n, cutoff_bits, bins);
}

HWY_NOINLINE int32_t DotI8Full(const int8_t* w, const int8_t* x, size_t n) { return DotI32(hn::ScalableTag<int32_t>(), w, x, n); }
HWY_NOINLINE int32_t DotI16I8Full(const int16_t* w, const int8_t* x, size_t n) { return DotI32(hn::ScalableTag<int32_t>(), w, x, n); }

// NOLINTNEXTLINE(google-readability-namespace-comments)
} // namespace HWY_NAMESPACE
} // namespace ncnn_int8
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/engine_kernels.h"

namespace ncnn_int8 {

#ifdef NCNN_INT8_STATIC_DISPATCH
#define NI8_ENGINE_DISPATCH(fn) HWY_STATIC_DISPATCH(fn)
#else
HWY_EXPORT(GemmFull);
HWY_EXPORT(AxpyFull);
HWY_EXPORT(DepthwiseFull);
HWY_EXPORT(MaxPoolFull);
HWY_EXPORT(CountMagnitudesFull);
HWY_EXPORT(DotI8Full);
HWY_EXPORT(DotI16I8Full);
#define NI8_ENGINE_DISPATCH(fn) HWY_DYNAMIC_DISPATCH(fn)
#endif

namespace kernels {

void gemm_f32(size_t M, size_t N, size_t K, const float* A, size_t lda, const float* B, size_t ldb,
              const float* bias, float* C, size_t ldc)
{
    NI8_ENGINE_DISPATCH(GemmFull)
    (M, N, K, A, lda, B, ldb, bias, C, ldc);
}

void axpy_f32(size_t count, float a, const float* x, float* y)
{
    NI8_ENGINE_DISPATCH(AxpyFull)
    (count, a, x, y);
}

void axpy_strided_f32(size_t count, float a, const float* x, size_t stride, float* y)
{
    if (stride == 1) return axpy_f32(count, a, x, y);
    scalar::axpy_strided_f32(count, a, x, stride, y);
}

void axpy_strided_out_f32(size_t count, const float* x, float* y, size_t stride)
{
    if (stride == 1) return axpy_f32(count, 1.f, x, y);
    scalar::axpy_strided_out_f32(count, x, y, stride);
}

void depthwise_f32(const float* src, size_t src_w, size_t src_h, size_t outw, size_t outh, size_t kw, size_t kh, size_t dw,
                   size_t dh, size_t sw, size_t sh, const float* w, float bias, float* out)
{
    NI8_ENGINE_DISPATCH(DepthwiseFull)
    (src, src_w, src_h, outw, outh, kw, kh, dw, dh, sw, sh, w, bias, out);
}

void max_pool_f32(const float* src, size_t src_w, size_t src_h, size_t outw, size_t outh, size_t kw, size_t kh, size_t sw,
                  size_t sh, float* out)
{
    NI8_ENGINE_DISPATCH(MaxPoolFull)
    (src, src_w, src_h, outw, outh, kw, kh, sw, sh, out);
}

void count_magnitudes_f32(const float* p, size_t n, uint32_t cutoff_bits, uint64_t* bins)
{
    NI8_ENGINE_DISPATCH(CountMagnitudesFull)
    (p, n, cutoff_bits, bins);
}

int32_t dot_i8(const int8_t* w, const int8_t* x, size_t n) { return NI8_ENGINE_DISPATCH(DotI8Full)(w, x, n); }

int32_t dot_i16_i8(const int16_t* w, const int8_t* x, size_t n) { return NI8_ENGINE_DISPATCH(DotI16I8Full)(w, x, n); }

} // namespace kernels
} // namespace ncnn_int8
#endif // HWY_ONCE
