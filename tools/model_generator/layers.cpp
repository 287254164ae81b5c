#include "layers.h"

#include "model/catalog/builders.h"

namespace ncnn_int8::generator {

namespace {

int kernel_h_of(const ConvSpec& s) { return s.kernel_h ? s.kernel_h : s.kernel_w; }

// Convolution-family params in ncnnoptimize's order, non-defaults only.
template <class P>
ParamList conv_params(const ConvSpec& s, int weight_count)
{
    ParamList p;
    p.set(P::num_output, s.out_channels).set(P::kernel_w, s.kernel_w);
    if (kernel_h_of(s) != s.kernel_w) p.set(P::kernel_h, kernel_h_of(s));
    if (s.stride != 1) p.set(P::stride_w, s.stride);
    if (s.pad != 0) p.set(P::pad_left, s.pad);
    if (s.bias) p.set(P::bias_term, 1);
    p.set(P::weight_data_size, weight_count);
    if constexpr (catalog::has_group<P>::value) {
        if (s.group > 1) p.set(P::group, s.group);
    }
    if (s.relu) p.set(P::activation_type, 1);
    return p;
}

int conv_weight_count(const ConvSpec& s)
{
    return s.out_channels * (s.in_channels / s.group) * s.kernel_w * kernel_h_of(s);
}

Status check_conv(const ConvSpec& s)
{
    if (s.group < 1 || s.in_channels % s.group != 0 || s.out_channels % s.group != 0)
        return Status::failure("generator: " + s.name + ": channels must be multiples of group");
    return Status::ok();
}

} // namespace

Status add_convolution(ModelBuilder& b, const ConvSpec& s)
{
    RETURN_IF_ERROR(check_conv(s));
    const int weight_count = conv_weight_count(s);
    if (s.group > 1)
        b.add_layer(params::ConvolutionDepthWise::layer_type, s.name, {s.bottom}, {s.top}, conv_params<params::ConvolutionDepthWise>(s, weight_count));
    else
        b.add_layer(params::Convolution::layer_type, s.name, {s.bottom}, {s.top}, conv_params<params::Convolution>(s, weight_count));
    // The quantizer scales Convolution per output channel, ConvolutionDepthWise per group.
    const size_t rows = s.group > 1 ? size_t(s.group) : size_t(s.out_channels);
    ASSIGN_OR_RETURN(std::vector<float> absmax, b.add_tagged_blob(size_t(weight_count), rows));
    if (s.bias) RETURN_IF_ERROR(b.add_raw_blob(size_t(s.out_channels), -0.1f, 0.1f));
    if (s.calibrate == Calibrate::Yes) {
        b.add_weight_scales(s.name, 0, absmax);
        b.add_input_scale(s.name);
    }
    return Status::ok();
}

Status add_deconvolution(ModelBuilder& b, const ConvSpec& s)
{
    if (s.group != 1) return Status::failure("generator: " + s.name + ": only plain Deconvolution is generated");
    const int weight_count = conv_weight_count(s);
    b.add_layer("Deconvolution", s.name, {s.bottom}, {s.top}, conv_params<params::Deconvolution>(s, weight_count));
    ASSIGN_OR_RETURN(std::vector<float> absmax, b.add_tagged_blob(size_t(weight_count), 1));
    (void)absmax;
    if (s.bias) RETURN_IF_ERROR(b.add_raw_blob(size_t(s.out_channels), -0.1f, 0.1f));
    return Status::ok();
}

Status add_inner_product(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top,
                         int in_features, int out_features, bool bias, Calibrate calibrate)
{
    const int weight_count = in_features * out_features;
    ParamList p;
    using P = params::InnerProduct;
    p.set(P::num_output, out_features);
    if (bias) p.set(P::bias_term, 1);
    p.set(P::weight_data_size, weight_count);
    b.add_layer("InnerProduct", name, {bottom}, {top}, p);
    ASSIGN_OR_RETURN(std::vector<float> absmax, b.add_tagged_blob(size_t(weight_count), size_t(out_features)));
    if (bias) RETURN_IF_ERROR(b.add_raw_blob(size_t(out_features), -0.1f, 0.1f));
    if (calibrate == Calibrate::Yes) {
        b.add_weight_scales(name, 0, absmax);
        b.add_input_scale(name);
    }
    return Status::ok();
}

Status add_recurrent(ModelBuilder& b, const RecurrentSpec& s)
{
    const size_t dirs = s.direction == 2 ? 2 : 1;
    const size_t output = size_t(s.num_output);
    const size_t hidden = s.type == RecurrentType::LSTM && s.hidden_size ? size_t(s.hidden_size) : output;
    const size_t gates = s.type == RecurrentType::LSTM ? 4 : s.type == RecurrentType::GRU ? 3
                                                                                          : 1;
    const size_t bias_rows = s.type == RecurrentType::GRU ? 4 : gates; // GRU keeps 4 bias rows per direction
    // One quantized row per gate unit and direction; xc rows read the input, hc rows the output.
    const size_t rows = hidden * gates * dirs;
    const size_t weight_count = size_t(s.input_size) * rows;

    ParamList p;
    // RNN, LSTM and GRU keep these params at the same ids (hidden_size: LSTM only)
    using R = params::LSTM;
    static_assert(params::RNN::weight_data_size.id == R::weight_data_size.id && params::GRU::weight_data_size.id == R::weight_data_size.id);
    static_assert(params::RNN::direction.id == R::direction.id && params::GRU::direction.id == R::direction.id);
    p.set(R::num_output, s.num_output).set(R::weight_data_size, int(weight_count));
    if (s.direction != 0) p.set(R::direction, s.direction);
    if (s.type == RecurrentType::LSTM && hidden != output) p.set(R::hidden_size, int(hidden));
    const char* type = s.type == RecurrentType::LSTM ? "LSTM" : s.type == RecurrentType::GRU ? "GRU"
                                                                                             : "RNN";
    b.add_layer(type, s.name, {s.bottom}, {s.top}, p);

    ASSIGN_OR_RETURN(std::vector<float> xc_absmax, b.add_tagged_blob(weight_count, rows));
    ASSIGN_OR_RETURN(std::vector<float> bias_absmax, b.add_tagged_blob(hidden * bias_rows * dirs, 1));
    ASSIGN_OR_RETURN(std::vector<float> hc_absmax, b.add_tagged_blob(rows * output, rows));
    if (s.type == RecurrentType::LSTM && hidden != output) {
        ASSIGN_OR_RETURN(std::vector<float> hr_absmax, b.add_tagged_blob(hidden * output * dirs, 1));
        (void)hr_absmax;
    }
    (void)bias_absmax;
    b.add_weight_scales(s.name, 0, xc_absmax);
    b.add_weight_scales(s.name, 1, hc_absmax);
    return Status::ok();
}

Status add_embed(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int input_dim,
                 int num_output, bool bias)
{
    const int weight_count = input_dim * num_output;
    ParamList p;
    using P = params::Embed;
    p.set(P::num_output, num_output).set(P::input_dim, input_dim);
    if (bias) p.set(P::bias_term, 1);
    p.set(P::weight_data_size, weight_count);
    b.add_layer("Embed", name, {bottom}, {top}, p);
    // Embed is quantized with one scale for the whole table.
    ASSIGN_OR_RETURN(std::vector<float> absmax, b.add_tagged_blob(size_t(weight_count), 1));
    if (bias) RETURN_IF_ERROR(b.add_raw_blob(size_t(num_output), -0.1f, 0.1f));
    b.add_weight_scales(name, 0, absmax);
    return Status::ok();
}

Status add_multi_head_attention(ModelBuilder& b, const AttentionSpec& s)
{
    const size_t embed = size_t(s.embed_dim);
    const size_t qdim = embed;
    const size_t kdim = s.kdim ? size_t(s.kdim) : embed;
    const size_t vdim = s.vdim ? size_t(s.vdim) : embed;
    ParamList p;
    using P = params::MultiHeadAttention;
    p.set(P::embed_dim, s.embed_dim).set(P::num_heads, s.num_heads).set(P::weight_data_size, int(embed * qdim));
    if (kdim != embed) p.set(P::kdim, int(kdim));
    if (vdim != embed) p.set(P::vdim, int(vdim));
    b.add_layer("MultiHeadAttention", s.name, s.bottoms, {s.top}, p);

    // q/k/v: embed_dim rows each (one scale per row); out: one scale.
    const size_t input_dims[3] = {qdim, kdim, vdim};
    for (int k = 0; k < 3; k++) {
        ASSIGN_OR_RETURN(std::vector<float> absmax, b.add_tagged_blob(embed * input_dims[k], embed));
        RETURN_IF_ERROR(b.add_raw_blob(embed, -0.1f, 0.1f));
        b.add_weight_scales(s.name, k, absmax);
    }
    ASSIGN_OR_RETURN(std::vector<float> out_absmax, b.add_tagged_blob(qdim * embed, 1));
    RETURN_IF_ERROR(b.add_raw_blob(qdim, -0.1f, 0.1f));
    b.add_weight_scales(s.name, 3, out_absmax);
    return Status::ok();
}

Status add_gemm(ModelBuilder& b, const GemmSpec& s)
{
    ParamList p;
    using G = params::Gemm;
    if (s.trans_a) p.set(G::transA, 1);
    if (s.trans_b) p.set(G::transB, 1);
    if (s.constant_a) p.set(G::constantA, 1);
    if (s.constant_b) p.set(G::constantB, 1);
    if (s.constant_c_broadcast >= 0) p.set(G::constantC, 1);
    if (s.M) p.set(G::constantM, s.M);
    if (s.N) p.set(G::constantN, s.N);
    if (s.K) p.set(G::constantK, s.K);
    if (s.constant_c_broadcast > 0) p.set(G::constant_broadcast_type_C, s.constant_c_broadcast);
    b.add_layer("Gemm", s.name, s.bottoms, {s.top}, p);

    // Gemm scales come from the weights themselves: no table lines.
    const size_t M = size_t(s.M), N = size_t(s.N), K = size_t(s.K);
    if (s.constant_a) RETURN_IF_ERROR(b.add_tagged_blob(M * K, 1).status());
    if (s.constant_b) RETURN_IF_ERROR(b.add_tagged_blob(N * K, 1).status());
    if (s.constant_c_broadcast >= 0) {
        const size_t c_counts[5] = {1, M, M, N * M, N};
        if (s.constant_c_broadcast > 4) return Status::failure("generator: " + s.name + ": bad constant_broadcast_type_C");
        RETURN_IF_ERROR(b.add_tagged_blob(c_counts[s.constant_c_broadcast], 1).status());
    }
    return Status::ok();
}

Status add_layer_norm(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int size)
{
    b.add_layer("LayerNorm", name, {bottom}, {top}, ParamList().set(params::LayerNorm::affine_size, size).set(params::LayerNorm::eps, 1e-5f));
    RETURN_IF_ERROR(b.add_raw_blob(size_t(size), 0.5f, 1.5f)); // gamma
    return b.add_raw_blob(size_t(size), -0.1f, 0.1f);          // beta
}

Status add_batch_norm(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int channels)
{
    b.add_layer("BatchNorm", name, {bottom}, {top}, ParamList().set(params::BatchNorm::channels, channels).set(params::BatchNorm::eps, 1e-5f));
    RETURN_IF_ERROR(b.add_raw_blob(size_t(channels), 0.5f, 1.5f));  // slope
    RETURN_IF_ERROR(b.add_raw_blob(size_t(channels), -0.5f, 0.5f)); // mean
    RETURN_IF_ERROR(b.add_raw_blob(size_t(channels), 0.5f, 2.0f));  // var (positive)
    return b.add_raw_blob(size_t(channels), -0.1f, 0.1f);           // bias
}

Status add_scale(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int channels, bool bias)
{
    ParamList p;
    p.set(params::Scale::scale_data_size, channels);
    if (bias) p.set(params::Scale::bias_term, 1);
    b.add_layer("Scale", name, {bottom}, {top}, p);
    RETURN_IF_ERROR(b.add_raw_blob(size_t(channels), 0.5f, 1.5f));
    if (bias) RETURN_IF_ERROR(b.add_raw_blob(size_t(channels), -0.1f, 0.1f));
    return Status::ok();
}

Status add_prelu(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int channels)
{
    b.add_layer("PReLU", name, {bottom}, {top}, ParamList().set(params::PReLU::num_slope, channels));
    return b.add_raw_blob(size_t(channels), 0.0f, 0.3f);
}

std::vector<std::string> add_split(ModelBuilder& b, const std::string& name, const std::string& bottom, int count)
{
    std::vector<std::string> tops;
    for (int i = 0; i < count; i++) tops.push_back(bottom + "_splitncnn_" + std::to_string(i));
    b.add_layer("Split", name, {bottom}, tops);
    return tops;
}

} // namespace ncnn_int8::generator
