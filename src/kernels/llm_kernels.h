// Hot loops of weight-only block quantization (int4 / int6 / int8 with one
// scale per block of a weight row), bit for bit as llm_scalar.h defines them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/kernels.h" // ErrorSums

namespace ncnn_int8::kernels {

// q[i] = clamp(roundf(w[i] * scale), -qmax, qmax) for one block.
void llm_quantize_block(const float* w, size_t n, float scale, int qmax, int8_t* q);

// llm_quantize_block, and the block's error sums added to `sums` as
// accumulate_error(w, q, n, scale, sums) adds them, in one pass over w.
void llm_quantize_block_with_error(const float* w, size_t n, float scale, int qmax, int8_t* q, ErrorSums& sums);

// errors[c] = sum over the block of (w - q(w, scales[c]) / scales[c])^2 in
// fp32, k order (one candidate per SIMD lane, so each sum stays sequential).
void llm_candidate_errors(const float* w, size_t n, const float* scales, size_t count, int qmax, float* errors);

// Packs q[0..k) at `bits` (4, 6 or 8) per value, LSB first, into exactly
// ceil(k*bits/8) bytes; unused tail bits are 0.
void llm_pack_row(const int8_t* q, size_t k, int bits, uint8_t* out);

} // namespace ncnn_int8::kernels
