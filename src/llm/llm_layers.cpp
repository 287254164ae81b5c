#include "llm/llm_layers.h"

namespace ncnn_int8 {

namespace {

// Gemm params
constexpr int kAlpha = 0, kBeta = 1, kTransA = 2, kTransB = 3, kConstantA = 4, kConstantB = 5, kConstantC = 6,
              kConstantN = 8, kConstantK = 9, kBroadcastC = 10, kOutputN1M = 11, kOutputElempack = 12,
              kOutputElemtype = 13, kOutputTranspose = 14, kTileM = 20, kTileN = 21, kTileK = 22;
// MultiHeadAttention params
constexpr int kEmbedDim = 0, kNumHeads = 1, kWeightDataSize = 2, kKdim = 3, kVdim = 4;

bool stored_as_float(const LayerBlobs& blobs, const std::string& name)
{
    const BlobLocation* b = blobs.find(name);
    return b && b->stored != StoredAs::Int8;
}

bool gemm_supported(const LayerParams& p)
{
    if (p.f(kAlpha) != 1.f || p.f(kBeta) != 1.f) return false;
    if (p.i(kTransA) != 0 || p.i(kTransB) != 1) return false;
    if (p.i(kConstantA) != 0 || p.i(kConstantB) != 1) return false;
    if (p.i(kConstantC) != 0 && p.i(kConstantC) != 1) return false;
    if (p.i(kConstantC) == 1 && (p.i(kBroadcastC) < -1 || p.i(kBroadcastC) > 4)) return false;
    if (p.i(kOutputN1M) != 0 || p.i(kOutputElempack) != 0 || (p.i(kOutputElemtype) != 0 && p.i(kOutputElemtype) != 1) ||
        p.i(kOutputTranspose) != 0)
        return false;
    if (p.i(kLlmQuantizeTermParam) != 0) return false;
    if (p.i(kTileM) != 0 || p.i(kTileN) != 0 || p.i(kTileK) != 0) return false;
    return p.i(kConstantN) > 0 && p.i(kConstantK) > 0;
}

bool mha_supported(const LayerParams& p)
{
    if (p.i(kLlmQuantizeTermParam) != 0) return false;
    const int embed = p.i(kEmbedDim), heads = p.i(kNumHeads), size = p.i(kWeightDataSize);
    return embed > 0 && heads > 0 && embed % heads == 0 && size > 0 && size % embed == 0 && p.i(kKdim) > 0 && p.i(kVdim) > 0;
}

} // namespace

LlmKind llm_kind(const ModelLayer& layer)
{
    if (!layer.schema) return LlmKind::None;
    if (layer.decl->type == "Gemm") return LlmKind::Gemm;
    if (layer.decl->type == "MultiHeadAttention") return LlmKind::MultiHeadAttention;
    return LlmKind::None;
}

std::vector<LlmWeight> llm_weights(const ModelLayer& layer)
{
    const LayerParams& p = layer.params;
    const std::string& name = layer.decl->name;
    switch (llm_kind(layer)) {
    case LlmKind::Gemm:
        return {{name + "_param_1", "B_data", "B_data_quantize_scales", "B_data_input_scales", p.i(kConstantN), p.i(kConstantK)}};
    case LlmKind::MultiHeadAttention: {
        const int embed = p.i(kEmbedDim);
        const int qdim = embed > 0 ? p.i(kWeightDataSize) / embed : 0;
        const char* parts[4] = {"q", "k", "v", "out"};
        const int ns[4] = {embed, embed, embed, qdim};
        const int ks[4] = {qdim, p.i(kKdim), p.i(kVdim), embed};
        std::vector<LlmWeight> w;
        for (int j = 0; j < 4; j++) {
            const std::string part = parts[j];
            w.push_back({name + "_param_" + std::to_string(j), part + "_weight_data", part + "_weight_data_quantize_scales",
                         part + "_weight_data_input_scales", ns[j], ks[j]});
        }
        return w;
    }
    case LlmKind::None: break;
    }
    return {};
}

bool llm_supported(const ModelLayer& layer, const LayerBlobs& blobs)
{
    switch (llm_kind(layer)) {
    case LlmKind::Gemm:
        return gemm_supported(layer.params) && stored_as_float(blobs, "B_data");
    case LlmKind::MultiHeadAttention:
        if (!mha_supported(layer.params)) return false;
        for (const LlmWeight& w : llm_weights(layer))
            if (!stored_as_float(blobs, w.blob)) return false;
        return true;
    case LlmKind::None: break;
    }
    return false;
}

int llm_quantize_term(int bits, int block, bool input_scales)
{
    const int code = block == 32 ? 0 : block == 64 ? 1 : block == 128 ? 2 : -1;
    if ((bits != 4 && bits != 6 && bits != 8) || code < 0) return 0;
    return bits * 100 + (input_scales ? 10 : 0) + code;
}

} // namespace ncnn_int8
