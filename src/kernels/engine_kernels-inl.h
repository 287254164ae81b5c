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

// Register blocks of 4 rows x 3 vectors (12 independent sums: enough to keep
// the adders busy without FMA), then 4 rows x 1 vector, then single rows.
// Every output's sum still starts at its bias and adds A[m][k] * B[k][n] in
// k order, so the blocking does not change a bit. Returns the first column
// not done (the caller finishes the rest with the scalar reference).
HWY_NOINLINE size_t GemmColumns(size_t M, size_t N, size_t K, const float* HWY_RESTRICT A, size_t lda,
                                const float* HWY_RESTRICT B, size_t ldb, const float* HWY_RESTRICT bias,
                                float* HWY_RESTRICT C, size_t ldc)
{
    const hn::ScalableTag<float> df;
    const size_t L = hn::Lanes(df);
    size_t n = 0;
    for (; n + 3 * L <= N; n += 3 * L) {
        size_t m = 0;
        for (; m + 4 <= M; m += 4) {
            const float* a0 = A + m * lda;
            const float* a1 = a0 + lda;
            const float* a2 = a1 + lda;
            const float* a3 = a2 + lda;
            auto c00 = hn::Set(df, bias ? bias[m] : 0.f), c01 = c00, c02 = c00;
            auto c10 = hn::Set(df, bias ? bias[m + 1] : 0.f), c11 = c10, c12 = c10;
            auto c20 = hn::Set(df, bias ? bias[m + 2] : 0.f), c21 = c20, c22 = c20;
            auto c30 = hn::Set(df, bias ? bias[m + 3] : 0.f), c31 = c30, c32 = c30;
            const float* b = B + n;
            for (size_t k = 0; k < K; k++, b += ldb) {
                const auto b0 = hn::LoadU(df, b);
                const auto b1 = hn::LoadU(df, b + L);
                const auto b2 = hn::LoadU(df, b + 2 * L);
                auto a = hn::Set(df, a0[k]);
                c00 = hn::Add(c00, hn::Mul(a, b0));
                c01 = hn::Add(c01, hn::Mul(a, b1));
                c02 = hn::Add(c02, hn::Mul(a, b2));
                a = hn::Set(df, a1[k]);
                c10 = hn::Add(c10, hn::Mul(a, b0));
                c11 = hn::Add(c11, hn::Mul(a, b1));
                c12 = hn::Add(c12, hn::Mul(a, b2));
                a = hn::Set(df, a2[k]);
                c20 = hn::Add(c20, hn::Mul(a, b0));
                c21 = hn::Add(c21, hn::Mul(a, b1));
                c22 = hn::Add(c22, hn::Mul(a, b2));
                a = hn::Set(df, a3[k]);
                c30 = hn::Add(c30, hn::Mul(a, b0));
                c31 = hn::Add(c31, hn::Mul(a, b1));
                c32 = hn::Add(c32, hn::Mul(a, b2));
            }
            float* c = C + m * ldc + n;
            hn::StoreU(c00, df, c);
            hn::StoreU(c01, df, c + L);
            hn::StoreU(c02, df, c + 2 * L);
            c += ldc;
            hn::StoreU(c10, df, c);
            hn::StoreU(c11, df, c + L);
            hn::StoreU(c12, df, c + 2 * L);
            c += ldc;
            hn::StoreU(c20, df, c);
            hn::StoreU(c21, df, c + L);
            hn::StoreU(c22, df, c + 2 * L);
            c += ldc;
            hn::StoreU(c30, df, c);
            hn::StoreU(c31, df, c + L);
            hn::StoreU(c32, df, c + 2 * L);
        }
        for (; m < M; m++) {
            const float* a = A + m * lda;
            auto c0 = hn::Set(df, bias ? bias[m] : 0.f), c1 = c0, c2 = c0;
            const float* b = B + n;
            for (size_t k = 0; k < K; k++, b += ldb) {
                const auto av = hn::Set(df, a[k]);
                c0 = hn::Add(c0, hn::Mul(av, hn::LoadU(df, b)));
                c1 = hn::Add(c1, hn::Mul(av, hn::LoadU(df, b + L)));
                c2 = hn::Add(c2, hn::Mul(av, hn::LoadU(df, b + 2 * L)));
            }
            float* c = C + m * ldc + n;
            hn::StoreU(c0, df, c);
            hn::StoreU(c1, df, c + L);
            hn::StoreU(c2, df, c + 2 * L);
        }
    }
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

// Depthwise (one input plane, one output plane): each output starts at
// `bias` and adds w[ky][kx] * input in (ky, kx) order, as the scalar
// reference. Vectors run along x for strides 1 and 2 (stride 2 reads the
// even lanes of an interleaved pair); returns, per row, the first x not done.
HWY_NOINLINE size_t DepthwiseRows(const float* HWY_RESTRICT src, size_t src_w, size_t src_len, size_t outw, size_t outh,
                                  size_t kw, size_t kh, size_t dw, size_t dh, size_t sw, size_t sh,
                                  const float* HWY_RESTRICT w, float bias, float* HWY_RESTRICT out)
{
    const hn::ScalableTag<float> df;
    const size_t L = hn::Lanes(df);
    if (sw > 2 || outw < L) return 0;
    // Last x block whose loads stay inside the plane: a stride-2 load reads 2L values.
    const size_t span = sw == 1 ? L : 2 * L;
    const size_t ext_w = dw * (kw - 1);
    size_t xend = 0;
    for (size_t x = 0; x + L <= outw; x += L) {
        const size_t last_row_start = ((outh - 1) * sh + (kh - 1) * dh) * src_w;
        if (last_row_start + x * sw + ext_w + span > src_len) break;
        xend = x + L;
    }
    for (size_t y = 0; y < outh; y++) {
        float* o = out + y * outw;
        for (size_t x = 0; x < xend; x += L) {
            auto acc = hn::Set(df, bias);
            for (size_t ky = 0; ky < kh; ky++) {
                const float* row = src + (y * sh + ky * dh) * src_w + x * sw;
                for (size_t kx = 0; kx < kw; kx++) {
                    const float* p = row + kx * dw;
                    decltype(acc) v;
                    if (sw == 1) {
                        v = hn::LoadU(df, p);
                    } else {
                        decltype(acc) odd;
                        hn::LoadInterleaved2(df, p, v, odd);
                    }
                    acc = hn::Add(acc, hn::Mul(hn::Set(df, w[ky * kw + kx]), v));
                }
            }
            hn::StoreU(acc, df, o + x);
        }
    }
    return xend;
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
