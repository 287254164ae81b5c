#include "layers.h"

namespace ncnn_int8::generator {

namespace {

int kernel_h_of(const ConvSpec& s) { return s.kernel_h ? s.kernel_h : s.kernel_w; }

// Convolution-family params in ncnnoptimize's order, non-defaults only.
ParamList conv_params(const ConvSpec& s, int weight_count)
{
    ParamList p;
    p.i(0, s.out_channels).i(1, s.kernel_w);
    if (kernel_h_of(s) != s.kernel_w) p.i(11, kernel_h_of(s));
    if (s.stride != 1) p.i(3, s.stride);
    if (s.pad != 0) p.i(4, s.pad);
    if (s.bias) p.i(5, 1);
    p.i(6, weight_count);
    if (s.group > 1) p.i(7, s.group);
    if (s.relu) p.i(9, 1);
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
    b.add_layer(s.group > 1 ? "ConvolutionDepthWise" : "Convolution", s.name, {s.bottom}, {s.top}, conv_params(s, weight_count));
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
    b.add_layer("Deconvolution", s.name, {s.bottom}, {s.top}, conv_params(s, weight_count));
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
    p.i(0, out_features);
    if (bias) p.i(1, 1);
    p.i(2, weight_count);
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
    const size_t gates = s.type == RecurrentType::LSTM ? 4 : s.type == RecurrentType::GRU ? 3 : 1;
    const size_t bias_rows = s.type == RecurrentType::GRU ? 4 : gates; // GRU keeps 4 bias rows per direction
    // One quantized row per gate unit and direction; xc rows read the input, hc rows the output.
    const size_t rows = hidden * gates * dirs;
    const size_t weight_count = size_t(s.input_size) * rows;

    ParamList p;
    p.i(0, s.num_output).i(1, int(weight_count));
    if (s.direction != 0) p.i(2, s.direction);
    if (s.type == RecurrentType::LSTM && hidden != output) p.i(3, int(hidden));
    const char* type = s.type == RecurrentType::LSTM ? "LSTM" : s.type == RecurrentType::GRU ? "GRU" : "RNN";
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
    p.i(0, num_output).i(1, input_dim);
    if (bias) p.i(2, 1);
    p.i(3, weight_count);
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
    p.i(0, s.embed_dim).i(1, s.num_heads).i(2, int(embed * qdim));
    if (kdim != embed) p.i(3, int(kdim));
    if (vdim != embed) p.i(4, int(vdim));
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
    if (s.trans_a) p.i(2, 1);
    if (s.trans_b) p.i(3, 1);
    if (s.constant_a) p.i(4, 1);
    if (s.constant_b) p.i(5, 1);
    if (s.constant_c_broadcast >= 0) p.i(6, 1);
    if (s.M) p.i(7, s.M);
    if (s.N) p.i(8, s.N);
    if (s.K) p.i(9, s.K);
    if (s.constant_c_broadcast > 0) p.i(10, s.constant_c_broadcast);
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
    b.add_layer("LayerNorm", name, {bottom}, {top}, ParamList().i(0, size).f(1, 1e-5f));
    RETURN_IF_ERROR(b.add_raw_blob(size_t(size), 0.5f, 1.5f)); // gamma
    return b.add_raw_blob(size_t(size), -0.1f, 0.1f);         // beta
}

Status add_batch_norm(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int channels)
{
    b.add_layer("BatchNorm", name, {bottom}, {top}, ParamList().i(0, channels).f(1, 1e-5f));
    RETURN_IF_ERROR(b.add_raw_blob(size_t(channels), 0.5f, 1.5f));  // slope
    RETURN_IF_ERROR(b.add_raw_blob(size_t(channels), -0.5f, 0.5f)); // mean
    RETURN_IF_ERROR(b.add_raw_blob(size_t(channels), 0.5f, 2.0f));  // var (positive)
    return b.add_raw_blob(size_t(channels), -0.1f, 0.1f);          // bias
}

Status add_scale(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int channels, bool bias)
{
    ParamList p;
    p.i(0, channels);
    if (bias) p.i(1, 1);
    b.add_layer("Scale", name, {bottom}, {top}, p);
    RETURN_IF_ERROR(b.add_raw_blob(size_t(channels), 0.5f, 1.5f));
    if (bias) RETURN_IF_ERROR(b.add_raw_blob(size_t(channels), -0.1f, 0.1f));
    return Status::ok();
}

Status add_prelu(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int channels)
{
    b.add_layer("PReLU", name, {bottom}, {top}, ParamList().i(0, channels));
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
