// What weight-only block quantization reads from the layer catalog
// (LayerSchema::block_quant, filled in by the Gemm and MultiHeadAttention
// entries): each layer's weights per table key with their N x K, whether the
// layer qualifies, and the quantize_term code.
#pragma once

#include <string>
#include <vector>

#include "model/bin_reader.h"
#include "model/model.h"

namespace ncnn_int8 {

// Gemm and MultiHeadAttention get the reference's own messages and loops.
enum class LlmKind { None,
                     Gemm,
                     MultiHeadAttention };
LlmKind llm_kind(const ModelLayer& layer);

// One quantizable weight: its table key and the blobs it reads and writes.
struct LlmWeight {
    std::string key;               // <layer>_param_<j>
    std::string blob;              // fp32 weights, N rows of K
    std::string scales_blob;       // N x ceil(K/block) block scales (raw fp32)
    std::string input_scales_blob; // K input scales (awq, raw fp32)
    int n = 0, k = 0;
};

// The layer's weights in table-key order; empty for other types.
std::vector<LlmWeight> llm_weights(const ModelLayer& layer);

// The catalog's qualifying params, and every weight stored as float (not int8).
bool llm_supported(const ModelLayer& layer, const LayerBlobs& blobs);

// The output params of a quantized layer: the input's with quantize_term set.
LayerParams llm_quantized_params(const ModelLayer& layer, int bits, int block, bool input_scales);

// 0 when bits is not 4/6/8 or block not 32/64/128.
int llm_quantize_term(int bits, int block, bool input_scales);

// Bytes of one packed row of k weights at `bits`.
inline size_t llm_packed_row_bytes(int k, int bits) { return (size_t(k) * size_t(bits) + 7) / 8; }
inline int llm_block_count(int k, int block) { return (k + block - 1) / block; }

} // namespace ncnn_int8
