// LLM decoders in the form ncnn's benchmark exports them (qwen2.5 layout):
// per block RMSNorm, q/k/v Gemm (constant B, transB=1, bias as constant C),
// RotaryEmbed, grouped-query k/v expanded by Tile, SDPA with a kv cache, the
// output Gemm, then RMSNorm + gate/up Gemm + Swish + down Gemm. Sizes:
// "decoder" (2 small blocks, ~1.5 MB), "decoder-0.5b" (qwen2.5-0.5b widths,
// 24 blocks, ~1.43 GB) and "decoder-4g" (qwen2.5-1.5b widths, 21 blocks, ~3.9 GB).
#include <cmath>
#include <string>
#include <vector>

#include "kinds.h"
#include "layers.h"
#include "model/catalog/params.h"

namespace ncnn_int8::generator {

namespace {

using G = params::Gemm;
using R = params::Reshape;

struct DecoderSize {
    int hidden, heads, kv_heads, head_dim, mlp, blocks;
};

// y = x B^T (+ bias): the only Gemm form the decoders use.
Status add_linear(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int in_features,
                  int out_features, bool bias)
{
    b.add_layer("Gemm", name, {bottom}, {top},
                ParamList().set(G::transB, 1).set(G::constantB, 1).set(G::constantC, 1).set(G::constantN, out_features).set(G::constantK, in_features).set(G::constant_broadcast_type_C, bias ? 4 : -1));
    RETURN_IF_ERROR(b.add_tagged_blob(size_t(out_features) * size_t(in_features), size_t(out_features)).status());
    if (bias) RETURN_IF_ERROR(b.add_tagged_blob(size_t(out_features), 1).status());
    return Status::ok();
}

Status add_rms_norm(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int size)
{
    b.add_layer("RMSNorm", name, {bottom}, {top}, ParamList().set(params::RMSNorm::affine_size, size).set(params::RMSNorm::eps, 1e-6f));
    return b.add_raw_blob(size_t(size), 0.5f, 1.5f);
}

struct BlockInputs {
    std::string hidden, mask, cos_q, sin_q, cos_k, sin_k, cache_k, cache_v;
};

Status add_block(ModelBuilder& b, const DecoderSize& z, int index, const BlockInputs& in, std::string* output)
{
    const std::string p = "b" + std::to_string(index) + "_";
    const int q_dim = z.heads * z.head_dim, kv_dim = z.kv_heads * z.head_dim;
    const std::vector<std::string> residual = add_split(b, p + "split_in", in.hidden, 2);
    RETURN_IF_ERROR(add_rms_norm(b, p + "norm1", residual[1], p + "norm1", z.hidden));
    const std::vector<std::string> x = add_split(b, p + "split_norm1", p + "norm1", 3);

    RETURN_IF_ERROR(add_linear(b, p + "q_proj", x[2], p + "q", z.hidden, q_dim, true));
    b.add_layer("Reshape", p + "q_heads", {p + "q"}, {p + "q_heads"}, ParamList().set(R::w, z.head_dim).set(R::h, z.heads).set(R::c, -1));
    b.add_layer("Permute", p + "q_perm", {p + "q_heads"}, {p + "q_perm"}, ParamList().set(params::Permute::order_type, 2));
    RETURN_IF_ERROR(add_linear(b, p + "k_proj", x[1], p + "k", z.hidden, kv_dim, true));
    b.add_layer("Reshape", p + "k_heads", {p + "k"}, {p + "k_heads"}, ParamList().set(R::w, z.head_dim).set(R::h, z.kv_heads).set(R::c, -1));
    b.add_layer("Permute", p + "k_perm", {p + "k_heads"}, {p + "k_perm"}, ParamList().set(params::Permute::order_type, 2));
    RETURN_IF_ERROR(add_linear(b, p + "v_proj", x[0], p + "v", z.hidden, kv_dim, true));
    b.add_layer("Reshape", p + "v_heads", {p + "v"}, {p + "v_heads"}, ParamList().set(R::w, z.head_dim).set(R::h, z.kv_heads).set(R::c, -1));
    b.add_layer("Permute", p + "v_perm", {p + "v_heads"}, {p + "v_perm"}, ParamList().set(params::Permute::order_type, 2));

    b.add_layer("RotaryEmbed", p + "rope_q", {p + "q_perm", in.cos_q, in.sin_q}, {p + "q_rope"});
    b.add_layer("RotaryEmbed", p + "rope_k", {p + "k_perm", in.cos_k, in.sin_k}, {p + "k_rope"});
    const int group = z.heads / z.kv_heads;
    for (const char* kv : {"k", "v"}) {
        const std::string src = std::string(kv) == "k" ? p + "k_rope" : p + "v_perm";
        const std::string e = p + kv + "_expand";
        b.add_layer("ExpandDims", e + "_dims", {src}, {e + "_dims"}, ParamList().set(params::ExpandDims::axes, {1}));
        b.add_layer("Tile", e + "_tile", {e + "_dims"}, {e + "_tile"}, ParamList().set(params::Tile::repeats, {1, group, 1, 1}));
        b.add_layer("Reshape", e, {e + "_tile"}, {e}, ParamList().set(R::w, z.head_dim).set(R::h, -1).set(R::c, z.heads));
    }
    b.add_layer("SDPA", p + "sdpa", {p + "q_rope", p + "k_expand", p + "v_expand", in.mask, in.cache_k, in.cache_v},
                {p + "attn", p + "out_cache_k", p + "out_cache_v"},
                ParamList().set(params::SDPA::attn_mask, 1).set(params::SDPA::scale, 1.f / std::sqrt(float(z.head_dim))).set(params::SDPA::kv_cache, 1));
    b.add_layer("Permute", p + "attn_perm", {p + "attn"}, {p + "attn_perm"}, ParamList().set(params::Permute::order_type, 2));
    b.add_layer("Reshape", p + "attn_flat", {p + "attn_perm"}, {p + "attn_flat"}, ParamList().set(R::w, q_dim).set(R::h, -1));
    RETURN_IF_ERROR(add_linear(b, p + "o_proj", p + "attn_flat", p + "o", q_dim, z.hidden, false));
    b.add_layer("BinaryOp", p + "add_attn", {residual[0], p + "o"}, {p + "add_attn"});

    const std::vector<std::string> residual2 = add_split(b, p + "split_mid", p + "add_attn", 2);
    RETURN_IF_ERROR(add_rms_norm(b, p + "norm2", residual2[1], p + "norm2", z.hidden));
    const std::vector<std::string> y = add_split(b, p + "split_norm2", p + "norm2", 2);
    RETURN_IF_ERROR(add_linear(b, p + "gate_proj", y[1], p + "gate", z.hidden, z.mlp, false));
    b.add_layer("Swish", p + "silu", {p + "gate"}, {p + "silu"});
    RETURN_IF_ERROR(add_linear(b, p + "up_proj", y[0], p + "up", z.hidden, z.mlp, false));
    b.add_layer("BinaryOp", p + "mul", {p + "silu", p + "up"}, {p + "mul"}, ParamList().set(params::BinaryOp::op_type, 2));
    RETURN_IF_ERROR(add_linear(b, p + "down_proj", p + "mul", p + "down", z.mlp, z.hidden, false));
    b.add_layer("BinaryOp", p + "add_mlp", {residual2[0], p + "down"}, {p + "add_mlp"});
    *output = p + "add_mlp";
    return Status::ok();
}

Status build_decoder_of(ModelBuilder& b, const DecoderSize& z)
{
    const int n = z.blocks;
    b.add_layer("Input", "in0", {}, {"in0"});
    b.add_layer("Input", "in1", {}, {"in1"});
    const std::vector<std::string> mask = add_split(b, "split_mask", "in1", n);
    b.add_layer("Input", "in2", {}, {"in2"});
    const std::vector<std::string> cos = add_split(b, "split_cos", "in2", 2 * n);
    b.add_layer("Input", "in3", {}, {"in3"});
    const std::vector<std::string> sin = add_split(b, "split_sin", "in3", 2 * n);
    std::vector<std::string> caches;
    for (int i = 0; i < n; i++) {
        caches.push_back("cache_k" + std::to_string(i));
        caches.push_back("cache_v" + std::to_string(i));
    }
    b.add_layer("Input", "kv_cache", {}, caches);

    std::string x = "in0";
    for (int i = 0; i < n; i++) {
        const BlockInputs in{x, mask[i], cos[2 * i], sin[2 * i], cos[2 * i + 1], sin[2 * i + 1], caches[2 * i], caches[2 * i + 1]};
        RETURN_IF_ERROR(add_block(b, z, i, in, &x));
    }
    return add_rms_norm(b, "norm_out", x, "out0", z.hidden);
}

} // namespace

// --blocks N sets the number of blocks (e.g. a 0.5b-wide decoder of 2 blocks, ~120 MB).
Status build_decoder(ModelBuilder& b) { return build_decoder_of(b, {128, 4, 2, 32, 352, b.blocks(2)}); }
Status build_decoder_05b(ModelBuilder& b) { return build_decoder_of(b, {896, 14, 2, 64, 4864, b.blocks(24)}); }
Status build_decoder_4g(ModelBuilder& b) { return build_decoder_of(b, {1536, 12, 2, 128, 8960, b.blocks(21)}); }

Status build_proj_out_05b(ModelBuilder& b)
{
    b.add_layer("Input", "in0", {}, {"in0"});
    return add_linear(b, "proj_out", "in0", "out0", 896, 151936, false);
}

} // namespace ncnn_int8::generator
