#include "llm/llm_layers.h"

namespace ncnn_int8 {

namespace {

const BlockQuantSpec* spec_of(const ModelLayer& layer)
{
    return layer.schema && layer.schema->block_quant ? &*layer.schema->block_quant : nullptr;
}

int dimension(CountFn fn, const LayerParams& p)
{
    const int64_t v = fn(p);
    return v < 0 ? 0 : int(v);
}

} // namespace

LlmKind llm_kind(const ModelLayer& layer)
{
    if (!spec_of(layer)) return LlmKind::None;
    return layer.decl->type == "MultiHeadAttention" ? LlmKind::MultiHeadAttention : LlmKind::Gemm;
}

std::vector<LlmWeight> llm_weights(const ModelLayer& layer)
{
    std::vector<LlmWeight> out;
    const BlockQuantSpec* spec = spec_of(layer);
    if (!spec) return out;
    for (const BlockQuantWeight& w : spec->weights)
        out.push_back({layer.decl->name + "_param_" + std::to_string(w.key), w.blob, w.scales_blob, w.input_scales_blob,
                       dimension(w.rows, layer.params), dimension(w.cols, layer.params)});
    return out;
}

bool llm_supported(const ModelLayer& layer, const LayerBlobs& blobs)
{
    const BlockQuantSpec* spec = spec_of(layer);
    if (!spec || !spec->qualifies(layer.params)) return false;
    for (const BlockQuantWeight& w : spec->weights) {
        const BlobLocation* b = blobs.find(w.blob);
        if (!b || b->stored == StoredAs::Int8) return false;
    }
    return true;
}

LayerParams llm_quantized_params(const ModelLayer& layer, int bits, int block, bool input_scales)
{
    LayerParams p = layer.params;
    if (const BlockQuantSpec* spec = spec_of(layer)) p.set(spec->quantize_term, llm_quantize_term(bits, block, input_scales));
    return p;
}

int llm_quantize_term(int bits, int block, bool input_scales)
{
    const int code = block == 32 ? 0 : block == 64 ? 1
                                   : block == 128  ? 2
                                                   : -1;
    if ((bits != 4 && bits != 6 && bits != 8) || code < 0) return 0;
    return bits * 100 + (input_scales ? 10 : 0) + code;
}

} // namespace ncnn_int8
