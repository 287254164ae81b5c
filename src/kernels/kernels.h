// The hot loops behind plain pointer + count functions. Each reproduces the
// reference's arithmetic bit for bit, including its tail rules: in a row of
// n values the reference's SIMD code handles the first 4*floor(n/4) and
// scalar code the rest, and the two round differently.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ncnn_int8::kernels {

// int8 = clamp(round_half_away(x * scale), -127, 127) for one row, with the
// reference's split: add-half-truncate for 4*floor(n/4) values, round() after.
void quantize_row(const float* x, size_t n, float scale, int8_t* out);

// fp32 -> fp16 of one blob: IEEE round-to-nearest-even (F16C) for
// 4*floor(n/4) values, ncnn's truncating scalar conversion for the rest.
void fp32_to_fp16(const float* x, size_t n, uint16_t* out);

// fp16 -> fp32 of one blob (exact; F16C quiets signaling NaNs in the first
// 4*floor(n/4) values, ncnn's scalar code keeps them in the rest).
void fp16_to_fp32(const uint16_t* h, size_t n, float* out);

// Lookup-table blobs: out[i] = table[index[i]].
void lut_to_fp32(const float* table256, const uint8_t* index, size_t n, float* out);

// max |x|, NaN ignored (as std::max(acc, fabs(x)) does).
float abs_max(const float* x, size_t n);

// Raw fp32 blobs as the reference writes them: |x| < 1e-30 becomes +0.
void flush_tiny_to_zero(float* x, size_t n);

// Sum of x^2 and of the quantization error (x - q/scale)^2.
struct ErrorSums {
    double signal = 0;
    double noise = 0;
};
void accumulate_error(const float* x, const int8_t* q, size_t n, float scale, ErrorSums& sums);

// quantize_row, and the row's error added to `sums` as accumulate_error
// adds it, in one pass over x.
void quantize_row_with_error(const float* x, size_t n, float scale, int8_t* out, ErrorSums& sums);

// Name of the SIMD target the dispatcher chose (e.g. "AVX2", "WASM").
const char* active_target();

} // namespace ncnn_int8::kernels
