// One function per layer type the generated models use: each writes the
// param line, the weight blobs in the schema's order and, for the quantized
// families, the table lines the quantizer expects for it.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "model_builder.h"

namespace ncnn_int8::generator {

// Whether a quantizable layer gets table entries (or stays float: fp16).
enum class Calibrate { Yes,
                       No };

struct ConvSpec {
    std::string name, bottom, top;
    int in_channels = 0, out_channels = 0;
    int kernel_w = 1, kernel_h = 0; // 0: same as kernel_w
    int stride = 1, pad = 0;
    bool bias = true;
    bool relu = false; // fused activation_type=1
    int group = 1;     // > 1: ConvolutionDepthWise
    Calibrate calibrate = Calibrate::Yes;
};
// Convolution, or ConvolutionDepthWise when group > 1.
Status add_convolution(ModelBuilder& b, const ConvSpec& s);
// A float-only Deconvolution (its tagged weights become fp16).
Status add_deconvolution(ModelBuilder& b, const ConvSpec& s);

Status add_inner_product(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top,
                         int in_features, int out_features, bool bias, Calibrate calibrate = Calibrate::Yes);

enum class RecurrentType { RNN,
                           LSTM,
                           GRU };
struct RecurrentSpec {
    RecurrentType type = RecurrentType::RNN;
    std::string name, bottom, top;
    int input_size = 0, num_output = 0;
    int hidden_size = 0; // LSTM only; 0: same as num_output (no projection)
    int direction = 0;   // 0 forward, 1 reverse, 2 bidirectional
};
Status add_recurrent(ModelBuilder& b, const RecurrentSpec& s);

Status add_embed(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int input_dim,
                 int num_output, bool bias);

struct AttentionSpec {
    std::string name;
    std::vector<std::string> bottoms; // 1 (self-attention) or 3 (q, k, v)
    std::string top;
    int embed_dim = 0, num_heads = 1;
    int kdim = 0, vdim = 0; // 0: embed_dim
};
Status add_multi_head_attention(ModelBuilder& b, const AttentionSpec& s);

struct GemmSpec {
    std::string name;
    std::vector<std::string> bottoms;
    std::string top;
    int M = 0, N = 0, K = 0; // constantM / N / K (0 when not constant)
    bool constant_a = false, trans_a = false;
    bool constant_b = false, trans_b = false;
    int constant_c_broadcast = -1; // -1: no constant C, else constant_broadcast_type_C
};
Status add_gemm(ModelBuilder& b, const GemmSpec& s);

Status add_layer_norm(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int size);
Status add_batch_norm(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int channels);
Status add_scale(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int channels, bool bias);
Status add_prelu(ModelBuilder& b, const std::string& name, const std::string& bottom, const std::string& top, int channels);

// Split `bottom` into `count` tops named <bottom>_splitncnn_<i>, as ncnnoptimize names them.
std::vector<std::string> add_split(ModelBuilder& b, const std::string& name, const std::string& bottom, int count);

} // namespace ncnn_int8::generator
