// What weight-only block quantization knows about layer types, in one place:
// which types carry LLM weights (Gemm, MultiHeadAttention), which blob holds
// each weight and its N x K shape per table key, which params make a layer
// qualify (the reference's checks), and the quantize_term (param 18) code
// bits*100 + 10*(input scales) + {32:0, 64:1, 128:2}.
#pragma once

#include <string>
#include <vector>

#include "model/bin_reader.h"
#include "model/model.h"

namespace ncnn_int8 {

enum class LlmKind { None, Gemm, MultiHeadAttention };
LlmKind llm_kind(const ModelLayer& layer);

constexpr int kLlmQuantizeTermParam = 18;

// One quantizable weight: a table key and the blobs it reads and writes.
struct LlmWeight {
    std::string key;               // <layer>_param_<j>
    std::string blob;              // fp32 weights, N rows of K
    std::string scales_blob;       // N x ceil(K/block) block scales (raw fp32)
    std::string input_scales_blob; // K input scales (awq, raw fp32)
    int n = 0, k = 0;
};

// The weights of a Gemm (1: B) or a MultiHeadAttention (4: q, k, v, out),
// in the order of their table keys; empty for other types.
std::vector<LlmWeight> llm_weights(const ModelLayer& layer);

// The reference's is_supported_llm_gemm / is_supported_llm_multiheadattention,
// on the loaded params and on how the weights are stored (int8-stored weights
// do not qualify).
bool llm_supported(const ModelLayer& layer, const LayerBlobs& blobs);

// 0 when bits is not 4/6/8 or block not 32/64/128.
int llm_quantize_term(int bits, int block, bool input_scales);

// Bytes of one packed row of k weights at `bits`.
inline size_t llm_packed_row_bytes(int k, int bits) { return (size_t(k) * size_t(bits) + 7) / 8; }
inline int llm_block_count(int k, int block) { return (k + block - 1) / block; }

} // namespace ncnn_int8
