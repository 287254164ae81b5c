// One or more layers of every family the quantizer handles, each shaped to
// hit a distinct code path (no bias, kernel_h != kernel_w, grouped depthwise,
// LSTM projection, MHA kdim/vdim, Gemm transposes, ...), plus float layers.
// Layers read their own Inputs: the graph is for quantizing, not running.
#include "kinds.h"
#include "layers.h"
#include "model/catalog/params.h"

namespace ncnn_int8::generator {

namespace {

Status add_convolutions(ModelBuilder& b)
{
    b.add_layer("Input", "in_image", {}, {"in_image"}, ParamList().set(params::Input::w, 24).set(params::Input::h, 24).set(params::Input::c, 8));
    ConvSpec no_bias{"conv_nobias", "in_image", "conv_nobias", 8, 16, 3, 1};
    no_bias.bias = false;
    no_bias.pad = 1;
    RETURN_IF_ERROR(add_convolution(b, no_bias));

    // conv -> conv chain
    RETURN_IF_ERROR(add_convolution(b, {"conv_chain_a", "conv_nobias", "conv_chain_a", 16, 16, 3, 0, 1, 1}));
    ConvSpec chain_b{"conv_chain_b", "conv_chain_a", "conv_chain_b", 16, 16, 1};
    chain_b.relu = true;
    RETURN_IF_ERROR(add_convolution(b, chain_b));

    // conv -> Split -> convs
    RETURN_IF_ERROR(add_convolution(b, {"conv_split_src", "conv_chain_b", "conv_split_src", 16, 24, 1}));
    const std::vector<std::string> tops = add_split(b, "splitncnn_0", "conv_split_src", 3);
    RETURN_IF_ERROR(add_convolution(b, {"conv_split_0", tops[0], "conv_split_0", 24, 16, 3, 0, 1, 1}));
    RETURN_IF_ERROR(add_convolution(b, {"conv_split_1", tops[1], "conv_split_1", 24, 16, 1}));
    ConvSpec dw_full{"conv_dw", tops[2], "conv_dw", 24, 24, 3, 0, 1, 1};
    dw_full.group = 24;
    RETURN_IF_ERROR(add_convolution(b, dw_full));

    // grouped (not fully depthwise) ConvolutionDepthWise, strided
    ConvSpec dw_grouped{"conv_group4", "conv_dw", "conv_group4", 24, 32, 3, 0, 2, 1};
    dw_grouped.group = 4;
    RETURN_IF_ERROR(add_convolution(b, dw_grouped));

    // A convolution the table leaves out: it stays float (fp16), and so does a Deconvolution.
    ConvSpec uncalibrated{"conv_float", "conv_split_1", "conv_float", 16, 16, 1};
    uncalibrated.calibrate = Calibrate::No;
    RETURN_IF_ERROR(add_convolution(b, uncalibrated));
    ConvSpec deconv{"deconv", "conv_float", "deconv", 16, 8, 4, 0, 2, 1};
    RETURN_IF_ERROR(add_deconvolution(b, deconv));

    // float layers with raw weights
    RETURN_IF_ERROR(add_batch_norm(b, "bn", "conv_group4", "bn", 32));
    RETURN_IF_ERROR(add_scale(b, "scale", "bn", "scale", 32, true));
    RETURN_IF_ERROR(add_prelu(b, "prelu", "scale", "prelu", 32));
    b.add_layer("Pooling", "gap", {"prelu"}, {"gap"}, ParamList().set(params::Pooling::pooling_type, 1).set(params::Pooling::global_pooling, 1));
    return add_inner_product(b, "fc", "gap", "fc", 32, 10, true);
}

Status add_sequence_models(ModelBuilder& b)
{
    b.add_layer("Input", "in_vector", {}, {"in_vector"}, ParamList().set(params::Input::w, 64));
    RETURN_IF_ERROR(add_inner_product(b, "fc_nobias", "in_vector", "fc_nobias", 64, 48, false));

    b.add_layer("Input", "in_sequence", {}, {"in_sequence"}, ParamList().set(params::Input::w, 24).set(params::Input::h, 10));
    const std::vector<std::string> seq = add_split(b, "splitncnn_1", "in_sequence", 4);
    RETURN_IF_ERROR(add_recurrent(b, {RecurrentType::RNN, "rnn", seq[0], "rnn", 24, 16, 0, 0}));
    RETURN_IF_ERROR(add_recurrent(b, {RecurrentType::LSTM, "lstm_proj_bi", seq[1], "lstm_proj_bi", 24, 16, 32, 2}));
    RETURN_IF_ERROR(add_recurrent(b, {RecurrentType::LSTM, "lstm", seq[2], "lstm", 24, 20, 0, 1}));
    RETURN_IF_ERROR(add_recurrent(b, {RecurrentType::GRU, "gru_bi", seq[3], "gru_bi", 24, 20, 0, 2}));
    RETURN_IF_ERROR(add_layer_norm(b, "layernorm", "gru_bi", "layernorm", 40));

    b.add_layer("Input", "in_tokens", {}, {"in_tokens"}, ParamList().set(params::Input::w, 10));
    return add_embed(b, "embed", "in_tokens", "embed", 100, 32, true);
}

Status add_attention_and_gemm(ModelBuilder& b)
{
    b.add_layer("Input", "in_query", {}, {"in_query"}, ParamList().set(params::Input::w, 64).set(params::Input::h, 10));
    b.add_layer("Input", "in_key", {}, {"in_key"}, ParamList().set(params::Input::w, 48).set(params::Input::h, 12));
    b.add_layer("Input", "in_value", {}, {"in_value"}, ParamList().set(params::Input::w, 40).set(params::Input::h, 12));
    const std::vector<std::string> q = add_split(b, "splitncnn_2", "in_query", 2);
    RETURN_IF_ERROR(add_multi_head_attention(b, {"mha_cross", {q[0], "in_key", "in_value"}, "mha_cross", 64, 4, 48, 40}));
    RETURN_IF_ERROR(add_multi_head_attention(b, {"mha_self", {q[1]}, "mha_self", 64, 8, 0, 0}));

    b.add_layer("Input", "in_matrix", {}, {"in_matrix"}, ParamList().set(params::Input::w, 32).set(params::Input::h, 16));
    const std::vector<std::string> m = add_split(b, "splitncnn_3", "in_matrix", 3);
    GemmSpec a_transposed{"gemm_const_a", {m[0]}, "gemm_const_a", 16, 0, 32};
    a_transposed.constant_a = true;
    a_transposed.trans_a = true;
    RETURN_IF_ERROR(add_gemm(b, a_transposed));
    GemmSpec b_plain{"gemm_const_b", {m[1]}, "gemm_const_b", 0, 24, 32};
    b_plain.constant_b = true;
    b_plain.constant_c_broadcast = 4; // one bias per output column
    RETURN_IF_ERROR(add_gemm(b, b_plain));
    GemmSpec b_transposed{"gemm_const_bt", {m[2]}, "gemm_const_bt", 0, 24, 32};
    b_transposed.constant_b = true;
    b_transposed.trans_b = true;
    RETURN_IF_ERROR(add_gemm(b, b_transposed));

    b.add_layer("Input", "in_sdpa_q", {}, {"in_sdpa_q"}, ParamList().set(params::Input::w, 16).set(params::Input::h, 10).set(params::Input::c, 4));
    b.add_layer("Input", "in_sdpa_k", {}, {"in_sdpa_k"}, ParamList().set(params::Input::w, 16).set(params::Input::h, 12).set(params::Input::c, 4));
    b.add_layer("Input", "in_sdpa_v", {}, {"in_sdpa_v"}, ParamList().set(params::Input::w, 16).set(params::Input::h, 12).set(params::Input::c, 4));
    b.add_layer("SDPA", "sdpa", {"in_sdpa_q", "in_sdpa_k", "in_sdpa_v"}, {"sdpa"});
    return Status::ok();
}

} // namespace

Status build_families(ModelBuilder& b)
{
    RETURN_IF_ERROR(add_convolutions(b));
    RETURN_IF_ERROR(add_sequence_models(b));
    return add_attention_and_gemm(b);
}

} // namespace ncnn_int8::generator
