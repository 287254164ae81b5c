// fp32 kernels of the engine (calibration): plain pointer + count functions.
// Every vector path accumulates in the same order as the scalar reference
// (engine_scalar_reference.h), multiply then add, no FMA, so each target's
// result equals the reference bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ncnn_int8::kernels {

// C[m][n] (+)= sum over k of A[m][k] * B[k][n], k ascending.
// A: M x K (row stride lda), B: K x N (row stride ldb), C: M x N (row stride ldc).
// With bias (M values, or nullptr) C starts at bias[m]; without, at 0.
void gemm_f32(size_t M, size_t N, size_t K, const float* A, size_t lda, const float* B, size_t ldb,
              const float* bias, float* C, size_t ldc);

// y[n] += a * x[n] for n < count (one k step of the GEMM, for callers that
// build sums in their own order, e.g. depthwise convolution over taps).
void axpy_f32(size_t count, float a, const float* x, float* y);

// y[n] += a * x[n * stride] for n < count: a strided input row (stride > 1).
void axpy_strided_f32(size_t count, float a, const float* x, size_t stride, float* y);

// y[n * stride] += x[n] for n < count: scatter-add of one row (deconvolution).
void axpy_strided_out_f32(size_t count, const float* x, float* y, size_t stride);

// Depthwise convolution of one bordered plane (src: src_h rows of src_w):
// out[y][x] (outh x outw) = bias + sum over ky, then kx, of
// w[ky * kw + kx] * src[(y * sh + ky * dh) * src_w + x * sw + kx * dw].
void depthwise_f32(const float* src, size_t src_w, size_t src_h, size_t outw, size_t outh, size_t kw, size_t kh, size_t dw,
                   size_t dh, size_t sw, size_t sh, const float* w, float bias, float* out);

// Max pooling of one bordered plane (src: src_h rows of src_w):
// out[y][x] (outh x outw) = the maximum of the kh x kw window at
// src[y * sh][x * sw], taken from its first value in (ky, kx) order as
// m = m < v ? v : m (std::max), so NaNs land where a scalar loop puts them.
void max_pool_f32(const float* src, size_t src_w, size_t src_h, size_t outw, size_t outh, size_t kw, size_t kh, size_t sw,
                  size_t sh, float* out);

// bins[|x|'s float bits >> 16]++ for every x whose |x| bits are at least
// cutoff_bits (< 2^31; NaNs count, above every number). bins: 2^15 counters.
void count_magnitudes_f32(const float* p, size_t n, uint32_t cutoff_bits, uint64_t* bins);

// sum of w[i] * x[i] for i < n in int32, int8 or int16 weights against
// int8 inputs (an int8 layer's output value; eq's search). Integer sums are
// exact, so any order gives the scalar loop's result (for sums that fit).
int32_t dot_i8(const int8_t* w, const int8_t* x, size_t n);
int32_t dot_i16_i8(const int16_t* w, const int8_t* x, size_t n);

} // namespace ncnn_int8::kernels
