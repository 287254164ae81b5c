// Dispatch of the engine kernels (as kernels.cpp: dynamic natively, static in WASM).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/engine_kernels-inl.h"
#ifndef NCNN_INT8_STATIC_DISPATCH
#include "hwy/foreach_target.h" // IWYU pragma: keep
#endif
#include "hwy/highway.h"
#include "kernels/engine_kernels-inl.h"

#if HWY_ONCE
#include "kernels/engine_kernels.h"
#include "kernels/engine_scalar_reference.h"

namespace ncnn_int8 {

#ifdef NCNN_INT8_STATIC_DISPATCH
#define NI8_ENGINE_DISPATCH(fn) HWY_STATIC_DISPATCH(fn)
#else
HWY_EXPORT(GemmColumns);
HWY_EXPORT(AxpyLanes);
HWY_EXPORT(DepthwiseRows);
#define NI8_ENGINE_DISPATCH(fn) HWY_DYNAMIC_DISPATCH(fn)
#endif

namespace kernels {

void gemm_f32(size_t M, size_t N, size_t K, const float* A, size_t lda, const float* B, size_t ldb,
              const float* bias, float* C, size_t ldc)
{
    const size_t done = NI8_ENGINE_DISPATCH(GemmColumns)(M, N, K, A, lda, B, ldb, bias, C, ldc);
    if (done < N) scalar::gemm_f32(M, N - done, K, A, lda, B + done, ldb, bias, C + done, ldc);
}

void axpy_f32(size_t count, float a, const float* x, float* y)
{
    const size_t done = NI8_ENGINE_DISPATCH(AxpyLanes)(count, a, x, y);
    scalar::axpy_f32(count - done, a, x + done, y + done);
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
    const size_t done = NI8_ENGINE_DISPATCH(DepthwiseRows)(src, src_w, src_w * src_h, outw, outh, kw, kh, dw, dh, sw, sh, w, bias, out);
    if (done < outw) scalar::depthwise_f32(src, src_w, outw, outh, kw, kh, dw, dh, sw, sh, w, bias, out, done);
}

} // namespace kernels
} // namespace ncnn_int8
#endif // HWY_ONCE
