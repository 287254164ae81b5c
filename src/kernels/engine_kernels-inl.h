// Highway vector code of the engine kernels, included once per target by
// engine_kernels.cpp. Vectors run along n (output pixels / output features),
// so each output's sum is built in k order, as the scalar reference does.
#if defined(NCNN_INT8_ENGINE_KERNELS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef NCNN_INT8_ENGINE_KERNELS_INL_H_
#undef NCNN_INT8_ENGINE_KERNELS_INL_H_
#else
#define NCNN_INT8_ENGINE_KERNELS_INL_H_
#endif

#include <cstddef>

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace ncnn_int8 {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Columns [n0, n0 + N*4) for rows m..m+3 at once (B loads shared), then one
// row at a time for the remaining rows; returns the first column not done.
HWY_NOINLINE size_t GemmColumns(size_t M, size_t N, size_t K, const float* HWY_RESTRICT A, size_t lda,
                                const float* HWY_RESTRICT B, size_t ldb, const float* HWY_RESTRICT bias,
                                float* HWY_RESTRICT C, size_t ldc)
{
    const hn::ScalableTag<float> df;
    const size_t L = hn::Lanes(df);
    size_t n = 0;
    for (; n + L <= N; n += L) {
        size_t m = 0;
        for (; m + 4 <= M; m += 4) {
            auto c0 = hn::Set(df, bias ? bias[m] : 0.f);
            auto c1 = hn::Set(df, bias ? bias[m + 1] : 0.f);
            auto c2 = hn::Set(df, bias ? bias[m + 2] : 0.f);
            auto c3 = hn::Set(df, bias ? bias[m + 3] : 0.f);
            const float* a0 = A + m * lda;
            const float* a1 = a0 + lda;
            const float* a2 = a1 + lda;
            const float* a3 = a2 + lda;
            for (size_t k = 0; k < K; k++) {
                const auto b = hn::LoadU(df, B + k * ldb + n);
                c0 = hn::Add(c0, hn::Mul(hn::Set(df, a0[k]), b));
                c1 = hn::Add(c1, hn::Mul(hn::Set(df, a1[k]), b));
                c2 = hn::Add(c2, hn::Mul(hn::Set(df, a2[k]), b));
                c3 = hn::Add(c3, hn::Mul(hn::Set(df, a3[k]), b));
            }
            hn::StoreU(c0, df, C + m * ldc + n);
            hn::StoreU(c1, df, C + (m + 1) * ldc + n);
            hn::StoreU(c2, df, C + (m + 2) * ldc + n);
            hn::StoreU(c3, df, C + (m + 3) * ldc + n);
        }
        for (; m < M; m++) {
            auto c = hn::Set(df, bias ? bias[m] : 0.f);
            const float* a = A + m * lda;
            for (size_t k = 0; k < K; k++) c = hn::Add(c, hn::Mul(hn::Set(df, a[k]), hn::LoadU(df, B + k * ldb + n)));
            hn::StoreU(c, df, C + m * ldc + n);
        }
    }
    return n;
}

HWY_NOINLINE size_t AxpyLanes(size_t count, float a, const float* HWY_RESTRICT x, float* HWY_RESTRICT y)
{
    const hn::ScalableTag<float> df;
    const size_t L = hn::Lanes(df);
    const auto va = hn::Set(df, a);
    size_t n = 0;
    for (; n + L <= count; n += L) hn::StoreU(hn::Add(hn::LoadU(df, y + n), hn::Mul(va, hn::LoadU(df, x + n))), df, y + n);
    return n;
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
} // namespace HWY_NAMESPACE
} // namespace ncnn_int8
HWY_AFTER_NAMESPACE();

#endif
