// A ViT-B/16-shaped transformer (~86M weights, ~345 MB fp32) in the form
// pnnx exports: patch-embedding Convolution, class token and position
// embedding as MemoryData, 12 pre-norm blocks of LayerNorm +
// MultiHeadAttention and LayerNorm + Gemm (constant B, transB=1, bias as
// constant C) + GELU + Gemm, a final LayerNorm and the InnerProduct head.
// vit-tiny: the same layers at ViT-Ti widths, one block (~3 MB): what the
// page's worker runs at load so a transformer's first run finds its code
// compiled.
#include <string>

#include "kinds.h"
#include "layers.h"
#include "model/catalog/params.h"

namespace ncnn_int8::generator {

namespace {

struct VitWidths {
    int embed, heads, mlp, blocks;
};
constexpr VitWidths kBase{768, 12, 3072, 12};
constexpr VitWidths kTiny{192, 3, 768, 1};
constexpr int kPatches = 196; // (224 / 16)^2
constexpr int kTokens = kPatches + 1;

// y = x W^T + bias, the pnnx Linear form.
GemmSpec linear(const std::string& name, const std::string& bottom, int in_features, int out_features)
{
    GemmSpec g{name, {bottom}, name, 0, out_features, in_features};
    g.constant_b = true;
    g.trans_b = true;
    g.constant_c_broadcast = 4; // one bias per output feature
    return g;
}

Status add_block(ModelBuilder& b, const VitWidths& w, const std::string& prefix, const std::string& input, std::string* output)
{
    const std::vector<std::string> attention_in = add_split(b, prefix + "_split0", input, 2);
    RETURN_IF_ERROR(add_layer_norm(b, prefix + "_ln1", attention_in[0], prefix + "_ln1", w.embed));
    RETURN_IF_ERROR(add_multi_head_attention(b, {prefix + "_attn", {prefix + "_ln1"}, prefix + "_attn", w.embed, w.heads, 0, 0}));
    b.add_layer("BinaryOp", prefix + "_add0", {prefix + "_attn", attention_in[1]}, {prefix + "_add0"}, ParamList().set(params::BinaryOp::op_type, 0));

    const std::vector<std::string> mlp_in = add_split(b, prefix + "_split1", prefix + "_add0", 2);
    RETURN_IF_ERROR(add_layer_norm(b, prefix + "_ln2", mlp_in[0], prefix + "_ln2", w.embed));
    RETURN_IF_ERROR(add_gemm(b, linear(prefix + "_fc1", prefix + "_ln2", w.embed, w.mlp)));
    b.add_layer("GELU", prefix + "_gelu", {prefix + "_fc1"}, {prefix + "_gelu"});
    RETURN_IF_ERROR(add_gemm(b, linear(prefix + "_fc2", prefix + "_gelu", w.mlp, w.embed)));
    b.add_layer("BinaryOp", prefix + "_add1", {prefix + "_fc2", mlp_in[1]}, {prefix + "_add1"}, ParamList().set(params::BinaryOp::op_type, 0));
    *output = prefix + "_add1";
    return Status::ok();
}

Status build(ModelBuilder& b, const VitWidths& w)
{
    const int embed = w.embed;
    b.add_layer("Input", "image", {}, {"image"}, ParamList().set(params::Input::w, 224).set(params::Input::h, 224).set(params::Input::c, 3));
    RETURN_IF_ERROR(add_convolution(b, {"patch_embed", "image", "patch_embed", 3, embed, 16, 0, 16, 0}));
    b.add_layer("Reshape", "patch_flatten", {"patch_embed"}, {"patch_flatten"}, ParamList().set(params::Reshape::w, kPatches).set(params::Reshape::h, embed));
    b.add_layer("Permute", "patch_tokens", {"patch_flatten"}, {"patch_tokens"}, ParamList().set(params::Permute::order_type, 1));

    b.add_layer("MemoryData", "cls_token", {}, {"cls_token"}, ParamList().set(params::MemoryData::w, embed).set(params::MemoryData::h, 1));
    RETURN_IF_ERROR(b.add_raw_blob(embed, -0.02f, 0.02f));
    b.add_layer("Concat", "tokens", {"cls_token", "patch_tokens"}, {"tokens"});
    b.add_layer("MemoryData", "pos_embed", {}, {"pos_embed"}, ParamList().set(params::MemoryData::w, embed).set(params::MemoryData::h, kTokens));
    RETURN_IF_ERROR(b.add_raw_blob(size_t(embed) * kTokens, -0.02f, 0.02f));
    b.add_layer("BinaryOp", "embedded", {"tokens", "pos_embed"}, {"embedded"}, ParamList().set(params::BinaryOp::op_type, 0));

    std::string x = "embedded";
    const int blocks = b.blocks(w.blocks); // ViT-B: ~28 MB each, 145 make a 4 GB model
    for (int i = 0; i < blocks; i++) RETURN_IF_ERROR(add_block(b, w, "block" + std::to_string(i), x, &x));
    RETURN_IF_ERROR(add_layer_norm(b, "norm", x, "norm", embed));
    b.add_layer("Crop", "cls_select", {"norm"}, {"cls_select"}, ParamList().set(params::Crop::hoffset, 0).set(params::Crop::outw, embed).set(params::Crop::outh, 1));
    RETURN_IF_ERROR(add_inner_product(b, "head", "cls_select", "head", embed, 1000, true));
    return Status::ok();
}

} // namespace

Status build_vit(ModelBuilder& b) { return build(b, kBase); }

Status build_vit_tiny(ModelBuilder& b) { return build(b, kTiny); }

} // namespace ncnn_int8::generator
