// Weight-block quantization (NCNN_WEIGHT_QUANT), shared by Gemm and
// MultiHeadAttention: quantize_term = bits * 100 + format * 10 + block code.
#pragma once

#include "model/catalog/builders.h"

namespace ncnn_int8::catalog {

inline bool is_weight_block_quantize(int quantize_term)
{
    const int bits = quantize_term / 100;
    const int format_code = quantize_term % 100 / 10;
    const int block_size_code = quantize_term % 10;
    if (bits != 4 && bits != 6 && bits != 8) return false;
    if (format_code != 0 && format_code != 1) return false;
    return block_size_code >= 0 && block_size_code <= 2;
}

inline bool weight_quantize_has_input_scale(int quantize_term)
{
    return quantize_term % 100 / 10 == 1;
}

inline int weight_quantize_bits(int quantize_term)
{
    return quantize_term / 100;
}

inline int weight_quantize_block_size(int quantize_term)
{
    const int code = quantize_term % 10;
    return code == 0 ? 32 : code == 1 ? 64
                                      : 128;
}

// Bytes of one packed row of k weights, -1 when invalid (load_model fails).
inline int64_t weight_quantize_packed_k_bytes(int32_t k, int bits)
{
    if (k <= 0 || bits <= 0) return -1;
    const int64_t bytes = (static_cast<int64_t>(k) * bits + 7) / 8;
    return bytes > INT32_MAX ? -1 : bytes;
}

inline int64_t packed_rows(int32_t k, int quantize_term, int64_t rows)
{
    const int64_t bytes = weight_quantize_packed_k_bytes(k, weight_quantize_bits(quantize_term));
    return bytes < 0 ? kInvalidCount : count_mul(bytes, rows);
}

// One scale per block of k weights, per row.
inline int64_t block_scales(int32_t k, int quantize_term, int64_t rows)
{
    const int64_t block_size = weight_quantize_block_size(quantize_term);
    if (k < 0) return kInvalidCount;
    return count_mul((static_cast<int64_t>(k) + block_size - 1) / block_size, rows);
}

// Checks shared by Gemm and MultiHeadAttention on quantize_term.
template <class P>
void add_quantize_term_checks(LayerSchema& s)
{
    s.checks.push_back({"quantize_term must not be 4, 5 or 6",
                        [](const LayerParams& p) {
                            const int32_t q = p.get(P::quantize_term);
                            return q != 4 && q != 5 && q != 6;
                        }});
    s.checks.push_back({"quantize_term >= 400 must be a weight block quantize code (4/6/8 bits, format 0-1, block 0-2)",
                        [](const LayerParams& p) {
                            return p.get(P::quantize_term) < 400 || is_weight_block_quantize(p.get(P::quantize_term));
                        }});
}

} // namespace ncnn_int8::catalog
