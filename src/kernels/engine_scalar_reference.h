// Scalar references of the engine kernels: the order of operations every
// Highway target must reproduce exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ncnn_int8::kernels::scalar {

inline void gemm_f32(size_t M, size_t N, size_t K, const float* A, size_t lda, const float* B, size_t ldb,
                     const float* bias, float* C, size_t ldc)
{
    for (size_t m = 0; m < M; m++)
        for (size_t n = 0; n < N; n++) {
            float sum = bias ? bias[m] : 0.f;
            for (size_t k = 0; k < K; k++) {
                const float p = A[m * lda + k] * B[k * ldb + n];
                sum = sum + p;
            }
            C[m * ldc + n] = sum;
        }
}

inline void axpy_f32(size_t count, float a, const float* x, float* y)
{
    for (size_t n = 0; n < count; n++) {
        const float p = a * x[n];
        y[n] = y[n] + p;
    }
}

inline void axpy_strided_f32(size_t count, float a, const float* x, size_t stride, float* y)
{
    for (size_t n = 0; n < count; n++) {
        const float p = a * x[n * stride];
        y[n] = y[n] + p;
    }
}

inline void axpy_strided_out_f32(size_t count, const float* x, float* y, size_t stride)
{
    for (size_t n = 0; n < count; n++) y[n * stride] = y[n * stride] + x[n];
}

// Depthwise convolution of one plane, columns [x0, outw) of every row:
// out[y][x] = bias + sum over (ky, kx) in order of w[ky][kx] * src[y*sh + ky*dh][x*sw + kx*dw].
inline void depthwise_f32(const float* src, size_t src_w, size_t outw, size_t outh, size_t kw, size_t kh, size_t dw, size_t dh,
                          size_t sw, size_t sh, const float* w, float bias, float* out, size_t x0 = 0)
{
    for (size_t y = 0; y < outh; y++)
        for (size_t x = x0; x < outw; x++) {
            float sum = bias;
            for (size_t ky = 0; ky < kh; ky++)
                for (size_t kx = 0; kx < kw; kx++) {
                    const float p = w[ky * kw + kx] * src[(y * sh + ky * dh) * src_w + x * sw + kx * dw];
                    sum = sum + p;
                }
            out[y * outw + x] = sum;
        }
}

// Max pooling of one plane, columns [x0, outw) of every row: out[y][x]
// starts at the window's first value and takes each tap in (ky, kx) order
// as m = m < v ? v : m (std::max's rule, which decides where NaNs go).
inline void max_pool_f32(const float* src, size_t src_w, size_t outw, size_t outh, size_t kw, size_t kh, size_t sw, size_t sh,
                         float* out, size_t x0 = 0)
{
    for (size_t y = 0; y < outh; y++)
        for (size_t x = x0; x < outw; x++) {
            const float* window = src + y * sh * src_w + x * sw;
            float m = window[0];
            for (size_t ky = 0; ky < kh; ky++)
                for (size_t kx = 0; kx < kw; kx++) {
                    const float v = window[ky * src_w + kx];
                    m = m < v ? v : m;
                }
            out[y * outw + x] = m;
        }
}

// bins[|x|'s bits >> 16]++ for every x whose |x| bits are at least
// `cutoff_bits` (< 2^31); NaN's bits lie above every number's.
inline void count_magnitudes_f32(const float* p, size_t n, uint32_t cutoff_bits, uint64_t* bins)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        std::memcpy(&u, p + i, 4);
        u &= 0x7fffffffu;
        if (u >= cutoff_bits) bins[u >> 16]++;
    }
}

// sum of w[i] * x[i] in int32 (exact: integer sums do not depend on order).
template <typename Weight>
inline int32_t dot_i32(const Weight* w, const int8_t* x, size_t n)
{
    int32_t s = 0;
    for (size_t i = 0; i < n; i++) s += static_cast<int32_t>(w[i]) * x[i];
    return s;
}

} // namespace ncnn_int8::kernels::scalar
