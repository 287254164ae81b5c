// Attention layers: MultiHeadAttention, SDPA, RotaryEmbed.
#include <cmath>

#include "model/catalog/weight_quantize.h"

namespace ncnn_int8::catalog {
namespace {

using M = params::MultiHeadAttention;

bool mha_block(const LayerParams& p)
{
    return is_weight_block_quantize(p.get(M::quantize_term));
}

// qdim = weight_data_size / embed_dim (load_model)
int64_t mha_qdim(const LayerParams& p)
{
    return count_div(p.get(M::weight_data_size), p.get(M::embed_dim));
}

// scale defaults to 1 / sqrt(embed_dim / num_heads), integer division first.
ParamValue mha_default_scale(const LayerParams& p)
{
    const int32_t embed_dim = p.get(M::embed_dim);
    const int32_t num_heads = p.get(M::num_heads);
    if (!int_div_ok(embed_dim, num_heads)) // refused by a LoadCheck
        return ParamValue::from_float(INFINITY);
    return ParamValue::from_float(1.f / sqrtf(static_cast<float>(embed_dim / num_heads)));
}

// Which projection a weight blob belongs to: q, k and v have embed_dim rows of
// qdim / kdim / vdim inputs; out has qdim rows of embed_dim inputs.
enum class Projection { Q,
                        K,
                        V,
                        Out };

template <Projection W>
int64_t mha_inputs(const LayerParams& p)
{
    if constexpr (W == Projection::Q) return mha_qdim(p);
    if constexpr (W == Projection::K) return p.get(M::kdim);
    if constexpr (W == Projection::V) return p.get(M::vdim);
    return p.get(M::embed_dim);
}

template <Projection W>
int64_t mha_rows(const LayerParams& p)
{
    return W == Projection::Out ? mha_qdim(p) : p.get(M::embed_dim);
}

// Weight blob: plain, or packed rows for weight block quantize.
template <Projection W>
int64_t mha_weight_count(const LayerParams& p)
{
    const int64_t k = mha_inputs<W>(p);
    const int64_t rows = mha_rows<W>(p);
    if (!mha_block(p)) return count_mul(rows, k);
    if (k < INT32_MIN || k > INT32_MAX) return kInvalidCount;
    return packed_rows(static_cast<int32_t>(k), p.get(M::quantize_term), rows);
}

template <Projection W>
int64_t mha_block_scale_count(const LayerParams& p)
{
    const int64_t k = mha_inputs<W>(p);
    const int64_t rows = mha_rows<W>(p);
    if (k < 0 || k > INT32_MAX) return kInvalidCount;
    return block_scales(static_cast<int32_t>(k), p.get(M::quantize_term), rows);
}

bool mha_has_input_scales(const LayerParams& p)
{
    return mha_block(p) && weight_quantize_has_input_scale(p.get(M::quantize_term));
}

bool mha_has_int8_scales(const LayerParams& p)
{
    return p.get(M::quantize_term) != 0 && !mha_block(p);
}

// ncnnllm2table / ncnnllm2int quantize a MultiHeadAttention whose shapes are
// consistent and which is not yet quantized.
bool mha_block_quant_qualifies(const LayerParams& p)
{
    if (p.get(M::quantize_term) != 0) return false;
    const int embed = p.get(M::embed_dim), heads = p.get(M::num_heads), size = p.get(M::weight_data_size);
    return embed > 0 && heads > 0 && embed % heads == 0 && size > 0 && size % embed == 0 && p.get(M::kdim) > 0 && p.get(M::vdim) > 0;
}

LayerSchema multi_head_attention()
{
    LayerSchema s = make<M>({
        I(M::embed_dim, 0),
        I(M::num_heads, 1),
        I(M::weight_data_size, 0),
        I(M::kdim, 0).same_as(M::embed_dim),
        I(M::vdim, 0).same_as(M::embed_dim),
        I(M::attn_mask, 0),
        F(M::scale, 0.f).computed(mha_default_scale),
        I(M::kv_cache, 0),
        I(M::quantize_term, 0),
    });
    s.blobs = {
        Tagged("q_weight_data", mha_weight_count<Projection::Q>),
        Raw("q_bias_data", count_of<M::embed_dim>),
        Tagged("k_weight_data", mha_weight_count<Projection::K>),
        Raw("k_bias_data", count_of<M::embed_dim>),
        Tagged("v_weight_data", mha_weight_count<Projection::V>),
        Raw("v_bias_data", count_of<M::embed_dim>),
        Tagged("out_weight_data", mha_weight_count<Projection::Out>),
        Raw("out_bias_data", mha_qdim),
        // weight block quantize: per-block scales, then optional per-input scales
        Raw("q_weight_data_quantize_scales", mha_block_scale_count<Projection::Q>, mha_block),
        Raw("k_weight_data_quantize_scales", mha_block_scale_count<Projection::K>, mha_block),
        Raw("v_weight_data_quantize_scales", mha_block_scale_count<Projection::V>, mha_block),
        Raw("out_weight_data_quantize_scales", mha_block_scale_count<Projection::Out>, mha_block),
        Raw("q_weight_data_input_scales", mha_qdim, mha_has_input_scales),
        Raw("k_weight_data_input_scales", count_of<M::kdim>, mha_has_input_scales),
        Raw("v_weight_data_input_scales", count_of<M::vdim>, mha_has_input_scales),
        Raw("out_weight_data_input_scales", count_of<M::embed_dim>, mha_has_input_scales),
        // plain int8
        Raw("q_weight_data_int8_scales", count_of<M::embed_dim>, mha_has_int8_scales),
        Raw("k_weight_data_int8_scales", count_of<M::embed_dim>, mha_has_int8_scales),
        Raw("v_weight_data_int8_scales", count_of<M::embed_dim>, mha_has_int8_scales),
        Raw("out_weight_data_int8_scale", count_one, mha_has_int8_scales), // a single float
    };
    // load_param evaluates the scale default (embed_dim / num_heads) unconditionally
    s.checks.push_back({"num_heads must be non-zero",
                        [](const LayerParams& p) { return int_div_ok(p.get(M::embed_dim), p.get(M::num_heads)); }});
    add_quantize_term_checks<M>(s);
    s.checks.push_back({"weight block quantize requires positive embed_dim, num_heads, kdim, vdim and weight_data_size, "
                        "embed_dim a multiple of num_heads and weight_data_size a multiple of embed_dim",
                        [](const LayerParams& p) {
                            if (!mha_block(p)) return true;
                            const int32_t embed_dim = p.get(M::embed_dim), num_heads = p.get(M::num_heads), wds = p.get(M::weight_data_size);
                            return embed_dim > 0 && num_heads > 0 && embed_dim % num_heads == 0 && wds > 0
                                   && wds % embed_dim == 0 && p.get(M::kdim) > 0 && p.get(M::vdim) > 0;
                        }});
    // load_model divides weight_data_size by embed_dim
    s.checks.push_back({"embed_dim must be non-zero",
                        [](const LayerParams& p) { return int_div_ok(p.get(M::weight_data_size), p.get(M::embed_dim)); }});
    // int8: q, k and v one scale per row (embed_dim rows, table keys 0..2),
    // the out projection one scale for the whole blob (key 3).
    Int8Facts int8;
    int8.flag = M::quantize_term;
    int8.weights = {
        {"q_weight_data", "q_weight_data_int8_scales", 0, count_of<M::embed_dim>},
        {"k_weight_data", "k_weight_data_int8_scales", 1, count_of<M::embed_dim>},
        {"v_weight_data", "v_weight_data_int8_scales", 2, count_of<M::embed_dim>},
        {"out_weight_data", "out_weight_data_int8_scale", 3, count_one},
    };
    s.int8 = int8;
    // q (embed x qdim), k (embed x kdim), v (embed x vdim), out (qdim x embed)
    s.block_quant = BlockQuantSpec{
        {
            {0, "q_weight_data", "q_weight_data_quantize_scales", "q_weight_data_input_scales", count_of<M::embed_dim>, mha_qdim},
            {1, "k_weight_data", "k_weight_data_quantize_scales", "k_weight_data_input_scales", count_of<M::embed_dim>, count_of<M::kdim>},
            {2, "v_weight_data", "v_weight_data_quantize_scales", "v_weight_data_input_scales", count_of<M::embed_dim>, count_of<M::vdim>},
            {3, "out_weight_data", "out_weight_data_quantize_scales", "out_weight_data_input_scales", mha_qdim, count_of<M::embed_dim>},
        },
        mha_block_quant_qualifies,
        M::quantize_term};
    return s;
}

} // namespace

void add_attention_layers(std::vector<LayerSchema>& t)
{
    t.push_back(multi_head_attention());
    {
        using P = params::SDPA;
        LayerSchema s = make<P>({
            I(P::attn_mask, 0),
            F(P::scale, 0.f),
            I(P::kv_cache, 0),
            I(P::int8_scale_term, 0),
        });
        // int8: no weights; activations are quantized at run time
        Int8Facts int8;
        int8.scheme = Int8Scheme::NoWeights;
        int8.flag = P::int8_scale_term;
        s.int8 = int8;
        t.push_back(s);
    }
    t.push_back(make<params::RotaryEmbed>({I(params::RotaryEmbed::interleaved, 0)}));
}

} // namespace ncnn_int8::catalog
