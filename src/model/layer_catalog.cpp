// The layer catalog: one LayerSchema per layer type of ncnn's src/layer/.
//
// For each type it records what ncnn's load_param reads (id, kind, default),
// the order and rule by which the reference ncnn2int8 writer (ModelWriter)
// prints those params, the blobs load_model reads from the .bin, and the
// param combinations ncnn refuses to load. Build options assumed:
// NCNN_INT8, NCNN_WEIGHT_QUANT, NCNN_BATCH and NCNN_STRING all ON.
#include "model/layer_schema.h"

#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace ncnn_int8 {
namespace {

// ---------------------------------------------------------------------------
// Small shared helpers
// ---------------------------------------------------------------------------

// C integer division a / b traps (SIGFPE) for these operands; ncnn never
// guards them, so any param combination reaching one is refused here.
bool int_div_ok(int32_t a, int32_t b)
{
    return b != 0 && !(a == INT32_MIN && b == -1);
}

int64_t mul3(int64_t a, int64_t b, int64_t c)
{
    return count_mul(count_mul(a, b), c);
}

int64_t mul4(int64_t a, int64_t b, int64_t c, int64_t d)
{
    return count_mul(mul3(a, b, c), d);
}

// A blob of `param Id` elements.
template <int Id>
int64_t count_of(const LayerParams& p)
{
    return count_checked(p.i(Id));
}

int64_t count_one(const LayerParams&)
{
    return 1;
}

// Present when int param Id is non-zero.
template <int Id>
bool is_set(const LayerParams& p)
{
    return p.i(Id) != 0;
}

// Present when int param Id is zero (dynamic_weight off).
template <int Id>
bool is_unset(const LayerParams& p)
{
    return p.i(Id) == 0;
}

// ---------------------------------------------------------------------------
// Convolution / deconvolution families
// ---------------------------------------------------------------------------

// Kernel, dilation, stride and padding ids in the order the reference writer
// prints them; the *_h / *_d / right / bottom / behind values default to their
// partner and are printed only when they differ from it.
std::vector<ParamSpec> window_1d()
{
    return {
        I(1, "kernel_w", 0),
        I(2, "dilation_w", 1),
        I(3, "stride_w", 1),
        I(4, "pad_left", 0),
        I(15, "pad_right", 0).same_as(4).written_if_differs_from(4),
    };
}

std::vector<ParamSpec> window_2d()
{
    return {
        I(1, "kernel_w", 0),
        I(11, "kernel_h", 0).same_as(1).written_if_differs_from(1),
        I(2, "dilation_w", 1),
        I(12, "dilation_h", 1).same_as(2).written_if_differs_from(2),
        I(3, "stride_w", 1),
        I(13, "stride_h", 1).same_as(3).written_if_differs_from(3),
        I(4, "pad_left", 0),
        I(14, "pad_top", 0).same_as(4).written_if_differs_from(4),
        I(15, "pad_right", 0).same_as(4).written_if_differs_from(4),
        I(16, "pad_bottom", 0).same_as(14).written_if_differs_from(14),
    };
}

std::vector<ParamSpec> window_3d()
{
    return {
        I(1, "kernel_w", 0),
        I(11, "kernel_h", 0).same_as(1).written_if_differs_from(1),
        I(21, "kernel_d", 0).same_as(1).written_if_differs_from(1),
        I(2, "dilation_w", 1),
        I(12, "dilation_h", 1).same_as(2).written_if_differs_from(2),
        I(22, "dilation_d", 1).same_as(2).written_if_differs_from(2),
        I(3, "stride_w", 1),
        I(13, "stride_h", 1).same_as(3).written_if_differs_from(3),
        I(23, "stride_d", 1).same_as(3).written_if_differs_from(3),
        I(4, "pad_left", 0),
        I(14, "pad_top", 0).same_as(4).written_if_differs_from(4),
        I(24, "pad_front", 0).same_as(4).written_if_differs_from(4),
        I(15, "pad_right", 0).same_as(4).written_if_differs_from(4),
        I(16, "pad_bottom", 0).same_as(14).written_if_differs_from(14),
        I(17, "pad_behind", 0).same_as(24).written_if_differs_from(24),
    };
}

std::vector<ParamSpec> window_params(int dims)
{
    return dims == 1 ? window_1d() : dims == 2 ? window_2d() : window_3d();
}

// Deconvolution output padding / output size ids (writer order).
std::vector<ParamSpec> deconv_output_params(int dims)
{
    if (dims == 1)
        return {I(18, "output_pad_right", 0), I(20, "output_w", 0)};
    if (dims == 2)
        return {
            I(18, "output_pad_right", 0),
            I(19, "output_pad_bottom", 0).same_as(18).written_if_differs_from(18),
            I(20, "output_w", 0),
            I(21, "output_h", 0).same_as(20).written_if_differs_from(20),
        };
    return {
        I(18, "output_pad_right", 0),
        I(19, "output_pad_bottom", 0).same_as(18).written_if_differs_from(18),
        I(20, "output_pad_behind", 0).same_as(18).written_if_differs_from(18),
        I(25, "output_w", 0),
        I(26, "output_h", 0).same_as(25).written_if_differs_from(25),
        I(27, "output_d", 0).same_as(25).written_if_differs_from(25),
    };
}

void append(std::vector<ParamSpec>& to, const std::vector<ParamSpec>& from)
{
    to.insert(to.end(), from.begin(), from.end());
}

struct ConvKind {
    const char* type;
    int dims;             // 1, 2 or 3
    bool deconv;          // output padding / size params instead of pad_value
    bool depthwise;       // has 7=group
    bool int8;            // has 8=int8_scale_term
    int dynamic_weight_id; // 19 (convolution), 28 (deconvolution) or -1
};

// Weights are present unless dynamic_weight (the id depends on the family).
template <int DynamicId>
bool static_weights(const LayerParams& p)
{
    return DynamicId < 0 || p.i(DynamicId) == 0;
}

template <int DynamicId>
bool static_bias(const LayerParams& p)
{
    return static_weights<DynamicId>(p) && p.i(5) != 0;
}

template <int DynamicId>
void add_weight_and_bias(LayerSchema& s)
{
    s.blobs.push_back(Tagged("weight_data", count_of<6>, static_weights<DynamicId>));
    s.blobs.push_back(Raw("bias_data", count_of<0>, static_bias<DynamicId>));
}

LayerSchema conv_family(const ConvKind& k)
{
    LayerSchema s;
    s.type = k.type;
    s.params.push_back(I(0, "num_output", 0));
    append(s.params, window_params(k.dims));
    if (k.deconv)
        append(s.params, deconv_output_params(k.dims));
    else
        s.params.push_back(F(18, "pad_value", 0.f));
    s.params.push_back(I(5, "bias_term", 0));
    s.params.push_back(I(6, "weight_data_size", 0));
    if (k.depthwise)
        s.params.push_back(I(7, "group", 1));
    if (k.int8)
        s.params.push_back(I(8, "int8_scale_term", 0));
    s.params.push_back(I(9, "activation_type", 0));
    s.params.push_back(FA(10, "activation_params"));
    if (k.dynamic_weight_id >= 0)
        s.params.push_back(I(k.dynamic_weight_id, "dynamic_weight", 0));

    if (k.dynamic_weight_id == 19)
        add_weight_and_bias<19>(s);
    else if (k.dynamic_weight_id == 28)
        add_weight_and_bias<28>(s);
    else
        add_weight_and_bias<-1>(s);
    return s;
}

// load_param rejects num_output % group != 0 (group 0 would trap; a
// negative group is refused too so nothing downstream divides by it).
LoadCheck group_divides_num_output()
{
    return {"num_output must be a multiple of group (group must be positive)",
            [](const LayerParams& p) { return p.i(7) > 0 && p.i(0) % p.i(7) == 0; }};
}

LayerSchema convolution()
{
    LayerSchema s = conv_family({"Convolution", 2, false, false, true, 19});
    // int8 scales: num_output weight scales + 1 input scale; > 100 adds 1 output scale
    s.blobs.push_back(Raw("weight_data_int8_scales", count_of<0>,
                          [](const LayerParams& p) { return p.i(19) == 0 && p.i(8) != 0; }));
    s.blobs.push_back(Raw("bottom_blob_int8_scales", count_one,
                          [](const LayerParams& p) { return p.i(19) == 0 && p.i(8) != 0; }));
    s.blobs.push_back(Raw("top_blob_int8_scales", count_one,
                          [](const LayerParams& p) { return p.i(19) == 0 && p.i(8) > 100; }));
    // load_model quantizes fp32 weights at load time when int8_scale_term is
    // set, dividing weight_data_size by num_output and by kernel_w * kernel_h.
    s.checks.push_back({"with int8_scale_term set, num_output and kernel_w * kernel_h must be non-zero",
                        [](const LayerParams& p) {
                            if (p.i(19) != 0 || p.i(8) == 0) return true;
                            const int32_t maxk = static_cast<int32_t>(static_cast<uint32_t>(p.i(1)) * static_cast<uint32_t>(p.i(11)));
                            return int_div_ok(p.i(6), p.i(0)) && int_div_ok(p.i(6) / p.i(0), maxk);
                        }});
    return s;
}

bool convdw_per_group_scales(const LayerParams& p)
{
    return p.i(8) == 1 || p.i(8) == 101;
}

bool convdw_has_scales(const LayerParams& p)
{
    const int t = p.i(8);
    return p.i(19) == 0 && (t == 1 || t == 101 || t == 2 || t == 102);
}

LayerSchema convolution_depthwise()
{
    LayerSchema s = conv_family({"ConvolutionDepthWise", 2, false, true, true, 19});
    // term 1/101: one weight scale per group; term 2/102: a single one
    s.blobs.push_back(Raw("weight_data_int8_scales",
                          [](const LayerParams& p) -> int64_t { return convdw_per_group_scales(p) ? count_checked(p.i(7)) : 1; },
                          convdw_has_scales));
    s.blobs.push_back(Raw("bottom_blob_int8_scales", count_one, convdw_has_scales));
    s.blobs.push_back(Raw("top_blob_int8_scales", count_one,
                          [](const LayerParams& p) { return p.i(19) == 0 && p.i(8) > 100; }));
    s.checks.push_back(group_divides_num_output());
    return s;
}

LayerSchema convolution_depthwise_1d()
{
    LayerSchema s = conv_family({"ConvolutionDepthWise1D", 1, false, true, false, 19});
    s.checks.push_back(group_divides_num_output());
    return s;
}

LayerSchema deformable_conv2d()
{
    LayerSchema s;
    s.type = "DeformableConv2D";
    s.params.push_back(I(0, "num_output", 0));
    append(s.params, window_2d());
    append(s.params, {
                         I(5, "bias_term", 0),
                         I(6, "weight_data_size", 0),
                         I(9, "activation_type", 0),
                         FA(10, "activation_params"),
                     });
    add_weight_and_bias<-1>(s);
    return s;
}

// Fold / Unfold share the 2D window but have no weights.
LayerSchema fold()
{
    LayerSchema s;
    s.type = "Fold";
    s.params = window_2d();
    append(s.params, {
                         I(20, "output_w", 0),
                         I(21, "output_h", 0).same_as(20).written_if_differs_from(20),
                     });
    return s;
}

LayerSchema unfold()
{
    LayerSchema s;
    s.type = "Unfold";
    s.params = window_2d();
    s.params.push_back(F(18, "pad_value", 0.f));
    return s;
}

// ---------------------------------------------------------------------------
// Pooling families
// ---------------------------------------------------------------------------

std::vector<ParamSpec> pooling_mode_params()
{
    return {
        I(4, "global_pooling", 0),
        I(5, "pad_mode", 0),
        I(6, "avgpool_count_include_pad", 0),
        I(7, "adaptive_pooling", 0),
        I(8, "out_w", 0),
    };
}

LayerSchema pooling_1d()
{
    LayerSchema s;
    s.type = "Pooling1D";
    s.params = {
        I(0, "pooling_type", 0),
        I(1, "kernel_w", 0),
        I(2, "stride_w", 1),
        I(3, "pad_left", 0),
        I(14, "pad_right", 0).same_as(3).written_if_differs_from(3),
    };
    append(s.params, pooling_mode_params());
    return s;
}

LayerSchema pooling_2d()
{
    LayerSchema s;
    s.type = "Pooling";
    s.params = {
        I(0, "pooling_type", 0),
        I(1, "kernel_w", 0),
        I(11, "kernel_h", 0).same_as(1).written_if_differs_from(1),
        I(2, "stride_w", 1),
        I(12, "stride_h", 1).same_as(2).written_if_differs_from(2),
        I(3, "pad_left", 0),
        I(13, "pad_top", 0).same_as(3).written_if_differs_from(3),
        I(14, "pad_right", 0).same_as(3).written_if_differs_from(3),
        I(15, "pad_bottom", 0).same_as(13).written_if_differs_from(13),
    };
    append(s.params, pooling_mode_params());
    s.params.push_back(I(18, "out_h", 0).same_as(8).written_if_differs_from(8));
    return s;
}

LayerSchema pooling_3d()
{
    LayerSchema s;
    s.type = "Pooling3D";
    s.params = {
        I(0, "pooling_type", 0),
        I(1, "kernel_w", 0),
        I(11, "kernel_h", 0).same_as(1).written_if_differs_from(1),
        I(21, "kernel_d", 0).same_as(1).written_if_differs_from(1),
        I(2, "stride_w", 1),
        I(12, "stride_h", 1).same_as(2).written_if_differs_from(2),
        I(22, "stride_d", 1).same_as(2).written_if_differs_from(2),
        I(3, "pad_left", 0),
        I(13, "pad_top", 0).same_as(3).written_if_differs_from(3),
        I(23, "pad_front", 0).same_as(3).written_if_differs_from(3),
        I(14, "pad_right", 0).same_as(3).written_if_differs_from(3),
        I(15, "pad_bottom", 0).same_as(13).written_if_differs_from(13),
        I(16, "pad_behind", 0).same_as(23).written_if_differs_from(23),
    };
    append(s.params, pooling_mode_params());
    s.params.push_back(I(18, "out_h", 0).same_as(8).written_if_differs_from(8));
    s.params.push_back(I(28, "out_d", 0).same_as(8).written_if_differs_from(8));
    return s;
}

// ---------------------------------------------------------------------------
// Fully connected, embedding, recurrent
// ---------------------------------------------------------------------------

LayerSchema inner_product()
{
    LayerSchema s;
    s.type = "InnerProduct";
    s.params = {
        I(0, "num_output", 0),
        I(1, "bias_term", 0),
        I(2, "weight_data_size", 0),
        I(8, "int8_scale_term", 0),
        I(9, "activation_type", 0),
        FA(10, "activation_params"),
    };
    s.blobs = {
        Tagged("weight_data", count_of<2>),
        Raw("bias_data", count_of<0>, is_set<1>),
        Raw("weight_data_int8_scales", count_of<0>, is_set<8>),
        Raw("bottom_blob_int8_scales", count_one, is_set<8>),
    };
    // load-time quantization of fp32 weights divides weight_data_size by num_output
    s.checks.push_back({"with int8_scale_term set, num_output must be non-zero",
                        [](const LayerParams& p) { return p.i(8) == 0 || int_div_ok(p.i(2), p.i(0)); }});
    return s;
}

LayerSchema embed()
{
    LayerSchema s;
    s.type = "Embed";
    s.params = {
        I(0, "num_output", 0),
        I(1, "input_dim", 0),
        I(2, "bias_term", 0),
        I(3, "weight_data_size", 0),
        I(18, "int8_scale_term", 0),
    };
    s.blobs = {
        Tagged("weight_data", count_of<3>),
        Raw("bias_data", count_of<0>, is_set<2>),
        Raw("weight_data_int8_scale", count_one, is_set<18>), // a single float
    };
    return s;
}

int num_directions(const LayerParams& p)
{
    return p.i(2) == 2 ? 2 : 1;
}

// weight_data_size / num_directions / units, as load_model computes it.
int64_t rnn_input_size(const LayerParams& p, int units_id, int gates)
{
    return count_div(count_div(count_div(p.i(1), num_directions(p)), p.i(units_id)), gates);
}

LoadCheck rnn_units_nonzero(const char* requirement, int units_id)
{
    // load_model divides weight_data_size / num_directions by the unit count.
    if (units_id == 3)
        return {requirement, [](const LayerParams& p) { return int_div_ok(p.i(1) / num_directions(p), p.i(3)); }};
    return {requirement, [](const LayerParams& p) { return int_div_ok(p.i(1) / num_directions(p), p.i(0)); }};
}

std::vector<ParamSpec> rnn_params(bool with_hidden_size)
{
    std::vector<ParamSpec> v = {
        I(0, "num_output", 0),
        I(1, "weight_data_size", 0),
        I(2, "direction", 0),
    };
    if (with_hidden_size)
        v.push_back(I(3, "hidden_size", 0).same_as(0));
    v.push_back(I(8, "int8_scale_term", 0));
    return v;
}

LayerSchema rnn()
{
    LayerSchema s;
    s.type = "RNN";
    s.params = rnn_params(false);
    s.blobs = {
        Tagged("weight_xc_data", [](const LayerParams& p) -> int64_t { return mul3(rnn_input_size(p, 0, 1), p.i(0), num_directions(p)); }),
        Tagged("bias_c_data", [](const LayerParams& p) -> int64_t { return count_mul(p.i(0), num_directions(p)); }),
        Tagged("weight_hc_data", [](const LayerParams& p) -> int64_t { return mul3(p.i(0), p.i(0), num_directions(p)); }),
        Raw("weight_xc_data_int8_scales", [](const LayerParams& p) -> int64_t { return count_mul(p.i(0), num_directions(p)); }, is_set<8>),
        Raw("weight_hc_data_int8_scales", [](const LayerParams& p) -> int64_t { return count_mul(p.i(0), num_directions(p)); }, is_set<8>),
    };
    s.checks.push_back(rnn_units_nonzero("num_output must be non-zero", 0));
    return s;
}

LayerSchema lstm()
{
    LayerSchema s;
    s.type = "LSTM";
    s.params = rnn_params(true);
    // 4 gates of hidden_size rows; the projection weight only when num_output != hidden_size
    s.blobs = {
        Tagged("weight_xc_data", [](const LayerParams& p) -> int64_t { return mul4(rnn_input_size(p, 3, 4), p.i(3), 4, num_directions(p)); }),
        Tagged("bias_c_data", [](const LayerParams& p) -> int64_t { return mul3(p.i(3), 4, num_directions(p)); }),
        Tagged("weight_hc_data", [](const LayerParams& p) -> int64_t { return mul4(p.i(0), p.i(3), 4, num_directions(p)); }),
        Tagged("weight_hr_data", [](const LayerParams& p) -> int64_t { return mul3(p.i(3), p.i(0), num_directions(p)); },
               [](const LayerParams& p) { return p.i(0) != p.i(3); }),
        Raw("weight_xc_data_int8_scales", [](const LayerParams& p) -> int64_t { return mul3(p.i(3), 4, num_directions(p)); }, is_set<8>),
        Raw("weight_hc_data_int8_scales", [](const LayerParams& p) -> int64_t { return mul3(p.i(3), 4, num_directions(p)); }, is_set<8>),
    };
    s.checks.push_back(rnn_units_nonzero("hidden_size must be non-zero", 3));
    return s;
}

LayerSchema gru()
{
    LayerSchema s;
    s.type = "GRU";
    s.params = rnn_params(false);
    // 3 gates; the bias holds 4 rows per direction
    s.blobs = {
        Tagged("weight_xc_data", [](const LayerParams& p) -> int64_t { return mul4(rnn_input_size(p, 0, 3), p.i(0), 3, num_directions(p)); }),
        Tagged("bias_c_data", [](const LayerParams& p) -> int64_t { return mul3(p.i(0), 4, num_directions(p)); }),
        Tagged("weight_hc_data", [](const LayerParams& p) -> int64_t { return mul4(p.i(0), p.i(0), 3, num_directions(p)); }),
        Raw("weight_xc_data_int8_scales", [](const LayerParams& p) -> int64_t { return mul3(p.i(0), 3, num_directions(p)); }, is_set<8>),
        Raw("weight_hc_data_int8_scales", [](const LayerParams& p) -> int64_t { return mul3(p.i(0), 3, num_directions(p)); }, is_set<8>),
    };
    s.checks.push_back(rnn_units_nonzero("num_output must be non-zero", 0));
    return s;
}

// ---------------------------------------------------------------------------
// Weight-block quantization (NCNN_WEIGHT_QUANT), shared by Gemm and
// MultiHeadAttention: quantize_term = bits * 100 + format * 10 + block code.
// ---------------------------------------------------------------------------

bool is_weight_block_quantize(int quantize_term)
{
    const int bits = quantize_term / 100;
    const int format_code = quantize_term % 100 / 10;
    const int block_size_code = quantize_term % 10;
    if (bits != 4 && bits != 6 && bits != 8) return false;
    if (format_code != 0 && format_code != 1) return false;
    return block_size_code >= 0 && block_size_code <= 2;
}

bool weight_quantize_has_input_scale(int quantize_term)
{
    return quantize_term % 100 / 10 == 1;
}

int weight_quantize_bits(int quantize_term)
{
    return quantize_term / 100;
}

int weight_quantize_block_size(int quantize_term)
{
    const int code = quantize_term % 10;
    return code == 0 ? 32 : code == 1 ? 64 : 128;
}

// Bytes of one packed row of k weights, -1 when invalid (load_model fails).
int64_t weight_quantize_packed_k_bytes(int32_t k, int bits)
{
    if (k <= 0 || bits <= 0) return -1;
    const int64_t bytes = (static_cast<int64_t>(k) * bits + 7) / 8;
    return bytes > INT32_MAX ? -1 : bytes;
}

int64_t packed_rows(int32_t k, int quantize_term, int64_t rows)
{
    const int64_t bytes = weight_quantize_packed_k_bytes(k, weight_quantize_bits(quantize_term));
    return bytes < 0 ? kInvalidCount : count_mul(bytes, rows);
}

// One scale per block of k weights, per row.
int64_t block_scales(int32_t k, int quantize_term, int64_t rows)
{
    const int64_t block_size = weight_quantize_block_size(quantize_term);
    if (k < 0) return kInvalidCount;
    return count_mul((static_cast<int64_t>(k) + block_size - 1) / block_size, rows);
}

// Checks shared by Gemm and MultiHeadAttention on param 18 (quantize_term).
void add_quantize_term_checks(LayerSchema& s)
{
    s.checks.push_back({"quantize_term must not be 4, 5 or 6",
                        [](const LayerParams& p) { return p.i(18) != 4 && p.i(18) != 5 && p.i(18) != 6; }});
    s.checks.push_back({"quantize_term >= 400 must be a weight block quantize code (4/6/8 bits, format 0-1, block 0-2)",
                        [](const LayerParams& p) { return p.i(18) < 400 || is_weight_block_quantize(p.i(18)); }});
}

// ---------------------------------------------------------------------------
// Gemm
// ---------------------------------------------------------------------------

bool gemm_block(const LayerParams& p)
{
    return is_weight_block_quantize(p.i(18));
}

LayerSchema gemm()
{
    LayerSchema s;
    s.type = "Gemm";
    s.params = {
        F(0, "alpha", 1.f),
        F(1, "beta", 1.f),
        I(2, "transA", 0),
        I(3, "transB", 0),
        I(4, "constantA", 0),
        I(5, "constantB", 0),
        I(6, "constantC", 0),
        I(7, "constantM", 0),
        I(8, "constantN", 0),
        I(9, "constantK", 0),
        I(10, "constant_broadcast_type_C", 0),
        I(11, "output_N1M", 0),
        I(12, "output_elempack", 0),
        I(13, "output_elemtype", 0),
        I(14, "output_transpose", 0),
        I(18, "quantize_term", 0),
        I(20, "constant_TILE_M", 0),
        I(21, "constant_TILE_N", 0),
        I(22, "constant_TILE_K", 0),
    };
    s.blobs = {
        // A is K x M (or M x K when transposed): the same element count
        Tagged("A_data", [](const LayerParams& p) -> int64_t { return count_mul(p.i(9), p.i(7)); },
               [](const LayerParams& p) { return p.i(4) == 1; }),
        // B is N x K, or packed bytes per row of K for weight block quantize (transB == 1)
        Tagged("B_data",
               [](const LayerParams& p) -> int64_t {
                   if (p.i(3) != 0 && gemm_block(p)) return packed_rows(p.i(9), p.i(18), p.i(8));
                   return count_mul(p.i(8), p.i(9));
               },
               [](const LayerParams& p) { return p.i(5) == 1; }),
        Tagged("C_data",
               [](const LayerParams& p) -> int64_t {
                   switch (p.i(10))
                   {
                   case 0: return 1;
                   case 1:
                   case 2: return count_checked(p.i(7));
                   case 3: return count_mul(p.i(8), p.i(7));
                   case 4: return count_checked(p.i(8));
                   default: return kInvalidCount; // refused by load_param
                   }
               },
               [](const LayerParams& p) { return p.i(6) == 1 && p.i(10) != -1; }),
        Raw("B_data_quantize_scales", [](const LayerParams& p) -> int64_t { return block_scales(p.i(9), p.i(18), p.i(8)); },
            gemm_block),
        Raw("B_data_input_scales", count_of<9>,
            [](const LayerParams& p) { return gemm_block(p) && weight_quantize_has_input_scale(p.i(18)); }),
        Raw("A_data_int8_scales", count_of<7>,
            [](const LayerParams& p) { return p.i(18) != 0 && !gemm_block(p) && p.i(4) == 1; }),
        Raw("B_data_int8_scale", count_one, // a single float
            [](const LayerParams& p) { return p.i(18) != 0 && !gemm_block(p) && p.i(5) == 1; }),
    };
    add_quantize_term_checks(s);
    s.checks.push_back({"weight block quantize requires constantA=0, constantB=1, transA=0 and transB=1",
                        [](const LayerParams& p) {
                            return !gemm_block(p) || (p.i(4) == 0 && p.i(5) == 1 && p.i(2) == 0 && p.i(3) == 1);
                        }});
    s.checks.push_back({"weight block quantize requires output_N1M=0, output_elempack=0, output_elemtype 0 or 1 and output_transpose=0",
                        [](const LayerParams& p) {
                            return !gemm_block(p) || (p.i(11) == 0 && p.i(12) == 0 && (p.i(13) == 0 || p.i(13) == 1) && p.i(14) == 0);
                        }});
    s.checks.push_back({"constantM and constantK must be non-zero when constantA is 1",
                        [](const LayerParams& p) { return p.i(4) != 1 || (p.i(7) != 0 && p.i(9) != 0); }});
    s.checks.push_back({"constantN and constantK must be non-zero when constantB is 1",
                        [](const LayerParams& p) { return p.i(5) != 1 || (p.i(8) != 0 && p.i(9) != 0); }});
    s.checks.push_back({"constant_broadcast_type_C must be -1 or 0..4 when constantC is 1",
                        [](const LayerParams& p) { return p.i(6) != 1 || (p.i(10) >= -1 && p.i(10) <= 4); }});
    // load_model
    s.checks.push_back({"weight block quantize requires a positive constantK",
                        [](const LayerParams& p) {
                            return !gemm_block(p) || weight_quantize_packed_k_bytes(p.i(9), weight_quantize_bits(p.i(18))) >= 0;
                        }});
    return s;
}

// ---------------------------------------------------------------------------
// MultiHeadAttention
// ---------------------------------------------------------------------------

bool mha_block(const LayerParams& p)
{
    return is_weight_block_quantize(p.i(18));
}

// qdim = weight_data_size / embed_dim (load_model)
int64_t mha_qdim(const LayerParams& p)
{
    return count_div(p.i(2), p.i(0));
}

// scale defaults to 1 / sqrt(embed_dim / num_heads), integer division first.
ParamValue mha_default_scale(const LayerParams& p)
{
    const int32_t embed_dim = p.i(0);
    const int32_t num_heads = p.i(1);
    if (!int_div_ok(embed_dim, num_heads)) // refused by a LoadCheck
        return ParamValue::from_float(INFINITY);
    return ParamValue::from_float(1.f / sqrtf(static_cast<float>(embed_dim / num_heads)));
}

// Weight blob of `rows` rows of k inputs: plain, or packed for block quantize.
template <int KSource>
int64_t mha_weight_count(const LayerParams& p)
{
    // KSource: 0 = qdim, 3 = kdim, 4 = vdim, -1 = out projection (k = embed_dim, rows = qdim)
    const int64_t qdim = mha_qdim(p);
    const int64_t k = KSource == 0 ? qdim : KSource == -1 ? p.i(0) : p.i(KSource);
    const int64_t rows = KSource == -1 ? qdim : p.i(0);
    if (!mha_block(p)) return count_mul(rows, k);
    if (k < INT32_MIN || k > INT32_MAX) return kInvalidCount;
    return packed_rows(static_cast<int32_t>(k), p.i(18), rows);
}

template <int KSource>
int64_t mha_block_scale_count(const LayerParams& p)
{
    const int64_t qdim = mha_qdim(p);
    const int64_t k = KSource == 0 ? qdim : KSource == -1 ? p.i(0) : p.i(KSource);
    const int64_t rows = KSource == -1 ? qdim : p.i(0);
    if (k < 0 || k > INT32_MAX) return kInvalidCount;
    return block_scales(static_cast<int32_t>(k), p.i(18), rows);
}

bool mha_has_input_scales(const LayerParams& p)
{
    return mha_block(p) && weight_quantize_has_input_scale(p.i(18));
}

bool mha_has_int8_scales(const LayerParams& p)
{
    return p.i(18) != 0 && !mha_block(p);
}

LayerSchema multi_head_attention()
{
    LayerSchema s;
    s.type = "MultiHeadAttention";
    s.params = {
        I(0, "embed_dim", 0),
        I(1, "num_heads", 1),
        I(2, "weight_data_size", 0),
        I(3, "kdim", 0).same_as(0),
        I(4, "vdim", 0).same_as(0),
        I(5, "attn_mask", 0),
        F(6, "scale", 0.f).computed(mha_default_scale),
        I(7, "kv_cache", 0),
        I(18, "quantize_term", 0),
    };
    s.blobs = {
        Tagged("q_weight_data", mha_weight_count<0>),
        Raw("q_bias_data", count_of<0>),
        Tagged("k_weight_data", mha_weight_count<3>),
        Raw("k_bias_data", count_of<0>),
        Tagged("v_weight_data", mha_weight_count<4>),
        Raw("v_bias_data", count_of<0>),
        Tagged("out_weight_data", mha_weight_count<-1>),
        Raw("out_bias_data", mha_qdim),
        // weight block quantize: per-block scales, then optional per-input scales
        Raw("q_weight_data_quantize_scales", mha_block_scale_count<0>, mha_block),
        Raw("k_weight_data_quantize_scales", mha_block_scale_count<3>, mha_block),
        Raw("v_weight_data_quantize_scales", mha_block_scale_count<4>, mha_block),
        Raw("out_weight_data_quantize_scales", mha_block_scale_count<-1>, mha_block),
        Raw("q_weight_data_input_scales", mha_qdim, mha_has_input_scales),
        Raw("k_weight_data_input_scales", count_of<3>, mha_has_input_scales),
        Raw("v_weight_data_input_scales", count_of<4>, mha_has_input_scales),
        Raw("out_weight_data_input_scales", count_of<0>, mha_has_input_scales),
        // plain int8
        Raw("q_weight_data_int8_scales", count_of<0>, mha_has_int8_scales),
        Raw("k_weight_data_int8_scales", count_of<0>, mha_has_int8_scales),
        Raw("v_weight_data_int8_scales", count_of<0>, mha_has_int8_scales),
        Raw("out_weight_data_int8_scale", count_one, mha_has_int8_scales), // a single float
    };
    // load_param evaluates the scale default (embed_dim / num_heads) unconditionally
    s.checks.push_back({"num_heads must be non-zero",
                        [](const LayerParams& p) { return int_div_ok(p.i(0), p.i(1)); }});
    add_quantize_term_checks(s);
    s.checks.push_back({"weight block quantize requires positive embed_dim, num_heads, kdim, vdim and weight_data_size, "
                        "embed_dim a multiple of num_heads and weight_data_size a multiple of embed_dim",
                        [](const LayerParams& p) {
                            if (!mha_block(p)) return true;
                            const int32_t embed_dim = p.i(0), num_heads = p.i(1), wds = p.i(2);
                            return embed_dim > 0 && num_heads > 0 && embed_dim % num_heads == 0 && wds > 0
                                   && wds % embed_dim == 0 && p.i(3) > 0 && p.i(4) > 0;
                        }});
    // load_model divides weight_data_size by embed_dim
    s.checks.push_back({"embed_dim must be non-zero",
                        [](const LayerParams& p) { return int_div_ok(p.i(2), p.i(0)); }});
    return s;
}

// ---------------------------------------------------------------------------
// Normalization and per-channel data layers
// ---------------------------------------------------------------------------

LayerSchema batch_norm()
{
    LayerSchema s;
    s.type = "BatchNorm";
    s.params = {I(0, "channels", 0), F(1, "eps", 0.f)};
    s.blobs = {
        Raw("slope_data", count_of<0>),
        Raw("mean_data", count_of<0>),
        Raw("var_data", count_of<0>),
        Raw("bias_data", count_of<0>),
    };
    return s;
}

// GroupNorm / InstanceNorm / LayerNorm / RMSNorm: gamma (and beta) of
// `SizeId` elements when affine.
template <int SizeId, int AffineId>
void add_affine_blobs(LayerSchema& s, bool with_beta)
{
    s.blobs.push_back(Raw("gamma_data", count_of<SizeId>, is_set<AffineId>));
    if (with_beta)
        s.blobs.push_back(Raw("beta_data", count_of<SizeId>, is_set<AffineId>));
}

LayerSchema group_norm()
{
    LayerSchema s;
    s.type = "GroupNorm";
    s.params = {I(0, "group", 1), I(1, "channels", 0), F(2, "eps", 0.001f), I(3, "affine", 1)};
    add_affine_blobs<1, 3>(s, true);
    return s;
}

LayerSchema instance_norm()
{
    LayerSchema s;
    s.type = "InstanceNorm";
    s.params = {I(0, "channels", 0), F(1, "eps", 0.001f), I(2, "affine", 1)};
    add_affine_blobs<0, 2>(s, true);
    return s;
}

LayerSchema layer_norm()
{
    LayerSchema s;
    s.type = "LayerNorm";
    s.params = {I(0, "affine_size", 0), F(1, "eps", 0.001f), I(2, "affine", 1)};
    add_affine_blobs<0, 2>(s, true);
    return s;
}

LayerSchema rms_norm()
{
    LayerSchema s;
    s.type = "RMSNorm";
    s.params = {I(0, "affine_size", 0), F(1, "eps", 0.001f), I(2, "affine", 1)};
    add_affine_blobs<0, 2>(s, false);
    return s;
}

LayerSchema scale()
{
    LayerSchema s;
    s.type = "Scale";
    s.params = {I(0, "scale_data_size", 0), I(1, "bias_term", 0)};
    // scale_data_size == -233: the scale comes from a second input blob
    s.blobs = {
        Raw("scale_data", count_of<0>, [](const LayerParams& p) { return p.i(0) != -233; }),
        Raw("bias_data", count_of<0>, [](const LayerParams& p) { return p.i(0) != -233 && p.i(1) != 0; }),
    };
    return s;
}

LayerSchema memory_data()
{
    LayerSchema s;
    s.type = "MemoryData";
    s.params = {
        I(0, "w", 0),
        I(1, "h", 0),
        I(2, "c", 0),
        I(11, "d", 0),
        I(21, "load_type", 1).kept(), // the reference writer never prints 21
    };
    // The highest non-zero dimension decides which extents are multiplied.
    BlobSpec data = Raw("data",
                        [](const LayerParams& p) -> int64_t {
                            if (p.i(11) != 0) return mul4(p.i(0), p.i(1), p.i(11), p.i(2));
                            if (p.i(2) != 0) return mul3(p.i(0), p.i(1), p.i(2));
                            if (p.i(1) != 0) return count_mul(p.i(0), p.i(1));
                            return count_checked(p.i(0));
                        },
                        [](const LayerParams& p) { return p.i(0) != 0 || p.i(1) != 0 || p.i(11) != 0 || p.i(2) != 0; });
    data.encoding = BlobEncoding::ByLoadType;
    s.blobs = {data};
    return s;
}

// ---------------------------------------------------------------------------
// Expression-driven Reshape: load_param evaluates shape_expr (param 6) with
// empty reference blobs to learn the output rank, and fails on a malformed
// literal or an integer `//` by zero. Mirrors ncnn's eval_list_expression;
// stack underflow and INT_MIN // -1 (undefined behaviour there) are refused.
// ---------------------------------------------------------------------------

struct ExprValue {
    bool is_float = false;
    int32_t i = 0;
    float f = 0.f;

    static ExprValue of_int(int32_t v)
    {
        ExprValue e;
        e.i = v;
        return e;
    }
    static ExprValue of_float(float v)
    {
        ExprValue e;
        e.is_float = true;
        e.f = v;
        return e;
    }
    float as_float() const { return is_float ? f : static_cast<float>(i); }
    // ncnn reads the union's int member whatever the type
    int32_t raw_int() const
    {
        if (!is_float) return i;
        int32_t v;
        std::memcpy(&v, &f, 4);
        return v;
    }
};

// float -> int as x86 converts it (out of range and NaN give INT_MIN).
int32_t float_to_int(double v)
{
    if (!(v > -2147483649.0 && v < 2147483648.0)) return INT32_MIN;
    return static_cast<int32_t>(v);
}

int32_t wrap(int64_t v)
{
    return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v)));
}

bool is_blob_ref(const std::string& t)
{
    return t.size() == 2 && t[0] >= '0' && t[0] <= '9'
           && (t[1] == 'w' || t[1] == 'h' || t[1] == 'd' || t[1] == 'c' || t[1] == 'n');
}

bool is_one_of(const std::string& t, std::initializer_list<const char*> names)
{
    for (const char* n : names)
        if (t == n) return true;
    return false;
}

float float_unary(const std::string& t, float a)
{
    if (t == "acos") return acosf(a);
    if (t == "acosh") return acoshf(a);
    if (t == "asin") return asinf(a);
    if (t == "asinh") return asinhf(a);
    if (t == "atan") return atanf(a);
    if (t == "atanh") return atanhf(a);
    if (t == "cos") return cosf(a);
    if (t == "cosh") return coshf(a);
    if (t == "erf") return erff(a);
    if (t == "exp") return expf(a);
    if (t == "log") return logf(a);
    if (t == "log10") return log10f(a);
    if (t == "reciprocal") return 1.f / a;
    if (t == "rsqrt") return 1.f / sqrtf(a);
    if (t == "sin") return sinf(a);
    if (t == "sinh") return sinhf(a);
    if (t == "sqrt") return sqrtf(a);
    if (t == "tan") return tanf(a);
    return tanhf(a);
}

float float_binary(const std::string& t, float a, float b)
{
    if (t == "/") return a / b;
    if (t == "atan2") return atan2f(a, b);
    if (t == "fmod") return fmodf(a, b);
    if (t == "pow") return powf(a, b);
    if (t == "remainder")
    {
        float r = fmodf(a, b);
        if (a * b < 0) r += b;
        return r;
    }
    return logf(expf(a) + expf(b)); // logaddexp
}

bool reshape_shape_expr_ok(const LayerParams& p)
{
    const std::string& expr = p.s(6);
    if (!p.has(6) || expr.empty()) return true;

    std::vector<std::string> tokens;
    std::string t;
    for (char ch : expr)
    {
        if (ch == '(' || ch == ')' || ch == ',')
        {
            if (!t.empty()) tokens.push_back(t);
            t.clear();
        }
        else
        {
            t += ch;
        }
    }
    if (!t.empty()) tokens.push_back(t);

    std::vector<ExprValue> stack;
    auto pop = [&stack](ExprValue& v) {
        if (stack.empty()) return false;
        v = stack.back();
        stack.pop_back();
        return true;
    };

    for (size_t n = tokens.size(); n-- > 0;)
    {
        const std::string& tok = tokens[n];
        ExprValue a, b;
        if (is_blob_ref(tok))
        {
            // reference blobs are empty Mats: w/h/d/c are 0, the batch count is 1
            stack.push_back(ExprValue::of_int(tok[1] == 'n' ? 1 : 0));
        }
        else if (is_one_of(tok, {"+", "-", "*", "//", "max", "min"}))
        {
            if (!pop(a) || !pop(b)) return false;
            if (!a.is_float && !b.is_float)
            {
                int32_t r;
                if (tok == "+") r = wrap(int64_t(a.i) + b.i);
                else if (tok == "-") r = wrap(int64_t(a.i) - b.i);
                else if (tok == "*") r = wrap(int64_t(a.i) * b.i);
                else if (tok == "//")
                {
                    if (!int_div_ok(a.i, b.i)) return false;
                    r = a.i / b.i;
                }
                else if (tok == "max") r = a.i > b.i ? a.i : b.i;
                else r = a.i < b.i ? a.i : b.i;
                stack.push_back(ExprValue::of_int(r));
            }
            else
            {
                const float x = a.as_float(), y = b.as_float();
                float r;
                if (tok == "+") r = x + y;
                else if (tok == "-") r = x - y;
                else if (tok == "*") r = x * y;
                else if (tok == "//") r = floorf(x / y);
                else if (tok == "max") r = x < y ? y : x;
                else r = y < x ? y : x;
                stack.push_back(ExprValue::of_float(r));
            }
        }
        else if (is_one_of(tok, {"abs", "neg", "sign", "square"}))
        {
            if (!pop(a)) return false;
            if (!a.is_float)
            {
                const int32_t v = a.i;
                int32_t r;
                if (tok == "abs") r = v > 0 ? v : wrap(-int64_t(v));
                else if (tok == "neg") r = wrap(-int64_t(v));
                else if (tok == "sign") r = v > 0 ? 1 : (v == 0 ? 0 : -1);
                else r = wrap(int64_t(v) * v);
                stack.push_back(ExprValue::of_int(r));
            }
            else
            {
                const float v = a.f;
                float r;
                if (tok == "abs") r = fabsf(v);
                else if (tok == "neg") r = -v;
                else if (tok == "sign") r = v > 0.f ? 1.f : (v == 0.f ? 0.f : -1.f);
                else r = v * v;
                stack.push_back(ExprValue::of_float(r));
            }
        }
        else if (is_one_of(tok, {"trunc", "ceil", "floor", "round"}))
        {
            if (!pop(a)) return false;
            if (!a.is_float)
            {
                stack.push_back(a);
            }
            else
            {
                double r;
                if (tok == "trunc") r = a.f;
                else if (tok == "ceil") r = std::ceil(static_cast<double>(a.f));
                else if (tok == "floor") r = std::floor(static_cast<double>(a.f));
                else r = std::round(static_cast<double>(a.f));
                stack.push_back(ExprValue::of_int(float_to_int(r)));
            }
        }
        else if (is_one_of(tok, {"acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "erf", "exp",
                                 "log", "log10", "reciprocal", "rsqrt", "sin", "sinh", "sqrt", "tan", "tanh"}))
        {
            if (!pop(a)) return false;
            stack.push_back(ExprValue::of_float(float_unary(tok, a.as_float())));
        }
        else if (is_one_of(tok, {"/", "atan2", "fmod", "pow", "remainder", "logaddexp"}))
        {
            if (!pop(a) || !pop(b)) return false;
            stack.push_back(ExprValue::of_float(float_binary(tok, a.as_float(), b.as_float())));
        }
        else if (is_one_of(tok, {"and", "or", "xor", "lshift", "rshift"}))
        {
            if (!pop(a) || !pop(b)) return false;
            const int32_t x = a.raw_int(), y = b.raw_int();
            int32_t r;
            if (tok == "and") r = x & y;
            else if (tok == "or") r = x | y;
            else if (tok == "xor") r = x ^ y;
            else if (tok == "lshift") r = wrap(int64_t(static_cast<uint32_t>(x) << (y & 31)));
            else r = x >> (y & 31);
            stack.push_back(ExprValue::of_int(r));
        }
        else
        {
            // literal: an int when %d and %f agree, else a float, else malformed
            int vi = 0;
            float vf = 0.f;
            const int nscani = std::sscanf(tok.c_str(), "%d", &vi);
            const int nscanf = std::sscanf(tok.c_str(), "%f", &vf);
            if (nscani == 1 && nscanf == 1 && static_cast<float>(vi) == vf)
                stack.push_back(ExprValue::of_int(vi));
            else if (nscanf == 1)
                stack.push_back(ExprValue::of_float(vf));
            else
                return false;
        }
    }
    return !stack.empty(); // ncnn reads the top of the stack unconditionally
}

// ---------------------------------------------------------------------------
// Einsum: the equation is an int array of character codes.
// ---------------------------------------------------------------------------

bool einsum_equation_ok(const LayerParams& p)
{
    const size_t len = p.array_size(0);
    std::string equation(len, '\0');
    for (size_t i = 0; i < len; i++)
        equation[i] = static_cast<char>(p.get(0).item_int(i)); // ncnn narrows int to char

    if (equation == "ii") return true; // trace

    // ncnn works on the C string: it ends at the first NUL
    const char* text = equation.c_str();
    const char* arrow = std::strstr(text, "->");
    if (!arrow) return false;

    // lhs operand letters must be in i..x (commas separate operands)
    for (const char* c = text; c < arrow; c++)
        if (*c != ',' && (*c < 'i' || *c > 'x')) return false;

    // output letters must be in i..l
    for (const char* c = arrow + 2; *c; c++)
        if (*c < 'i' || *c > 'l') return false;
    return true;
}

// ---------------------------------------------------------------------------
// Spectrogram / InverseSpectrogram
// ---------------------------------------------------------------------------

ParamValue spectrogram_default_hoplen(const LayerParams& p)
{
    return ParamValue::from_int(p.i(0) / 4);
}

// load_param fills an n_fft-long window with winlen taps centred in it;
// winlen outside 0..n_fft writes out of bounds.
LoadCheck spectrogram_window_check()
{
    return {"winlen must be between 0 and n_fft",
            [](const LayerParams& p) { return p.i(3) >= 0 && p.i(3) <= p.i(0); }};
}

// ---------------------------------------------------------------------------
// Simple layers
// ---------------------------------------------------------------------------

LayerSchema make(const char* type, std::vector<ParamSpec> params)
{
    LayerSchema s;
    s.type = type;
    s.params = std::move(params);
    return s;
}

// A type the reference writer has no branch for: it drops every param, we
// keep them all.
LayerSchema unwritten(const char* type, std::vector<ParamSpec> params = {})
{
    LayerSchema s = make(type, {});
    s.reference_writes_params = false;
    for (const ParamSpec& p : params)
        s.params.push_back(p.kept());
    return s;
}

LayerSchema with_blobs(LayerSchema s, std::vector<BlobSpec> blobs)
{
    s.blobs = std::move(blobs);
    return s;
}

LayerSchema with_check(LayerSchema s, const char* requirement, bool (*holds)(const LayerParams&))
{
    s.checks.push_back({requirement, holds});
    return s;
}

std::vector<ParamSpec> exp_log_params()
{
    return {F(0, "base", -1.f), F(1, "scale", 1.f), F(2, "shift", 0.f)};
}

std::vector<ParamSpec> yolo_params()
{
    return {
        I(0, "num_class", 20),
        I(1, "num_box", 5),
        F(2, "confidence_threshold", 0.01f),
        F(3, "nms_threshold", 0.45f),
        FA(4, "biases"),
    };
}

std::vector<LayerSchema> build_table()
{
    std::vector<LayerSchema> t;

    // --- layers without params or blobs (no load_param at all)
    for (const char* type : {"AbsVal", "BNLL", "DeepCopy", "Erf", "Flatten", "Mish", "Noop", "Sigmoid", "Softplus",
                             "Split", "Swish", "TanH"})
        t.push_back(unwritten(type));

    // --- types the reference writer has no branch for
    t.push_back(unwritten("ArgMax", {I(0, "out_max_val", 0), I(1, "topk", 1)}));
    t.push_back(unwritten("Cast", {I(0, "type_from", 0), I(1, "type_to", 0)}));
    t.push_back(with_check(unwritten("Einsum", {IA(0, "equation")}),
                           "equation must be \"ii\" or contain \"->\" with operand letters i..x and output letters i..l",
                           einsum_equation_ok));
    t.push_back(with_check(unwritten("Flip", {IA(0, "axes")}), "axes must have at most 4 entries",
                           [](const LayerParams& p) { return p.array_size(0) <= 4; }));
    {
        LayerSchema s = unwritten("InverseSpectrogram", {
                                                            I(0, "n_fft", 0),
                                                            I(1, "returns", 0),
                                                            I(2, "hoplen", 0).computed(spectrogram_default_hoplen),
                                                            I(3, "winlen", 0).same_as(0),
                                                            I(4, "window_type", 0),
                                                            I(5, "center", 1),
                                                            I(7, "normalized", 0),
                                                        });
        s.checks.push_back(spectrogram_window_check());
        t.push_back(s);
    }
    t.push_back(unwritten("Packing", {I(0, "out_elempack", 1), I(1, "use_padding", 0), I(2, "cast_type_from", 0),
                                      I(3, "cast_type_to", 0)}));
    t.push_back(unwritten("SELU", {F(0, "alpha", 1.67326324f), F(1, "lambda", 1.050700987f)}));
    t.push_back(unwritten("Shrink", {F(0, "bias", 0.0f), F(1, "lambd", 0.5f)}));
    {
        LayerSchema s = unwritten("Spectrogram", {
                                                     I(0, "n_fft", 0),
                                                     I(1, "power", 0),
                                                     I(2, "hoplen", 0).computed(spectrogram_default_hoplen),
                                                     I(3, "winlen", 0).same_as(0),
                                                     I(4, "window_type", 0),
                                                     I(5, "center", 1),
                                                     I(6, "pad_type", 2),
                                                     I(7, "normalized", 0),
                                                     I(8, "onesided", 1),
                                                 });
        s.checks.push_back(spectrogram_window_check());
        t.push_back(s);
    }
    t.push_back(unwritten("SPP", {I(0, "pooling_type", 0), I(1, "pyramid_height", 1)}));
    t.push_back(unwritten("StatisticsPooling", {I(0, "include_stddev", 0)}));

    // --- convolution / deconvolution families
    t.push_back(convolution());
    t.push_back(conv_family({"Convolution1D", 1, false, false, false, 19}));
    t.push_back(conv_family({"Convolution3D", 3, false, false, false, -1}));
    t.push_back(convolution_depthwise());
    t.push_back(convolution_depthwise_1d());
    // no group check in ConvolutionDepthWise3D's load_param
    t.push_back(conv_family({"ConvolutionDepthWise3D", 3, false, true, false, -1}));
    t.push_back(conv_family({"Deconvolution", 2, true, false, false, 28}));
    t.push_back(conv_family({"Deconvolution1D", 1, true, false, false, 28}));
    t.push_back(conv_family({"Deconvolution3D", 3, true, false, false, -1}));
    t.push_back(conv_family({"DeconvolutionDepthWise", 2, true, true, false, 28}));
    t.push_back(conv_family({"DeconvolutionDepthWise1D", 1, true, true, false, 28}));
    t.push_back(conv_family({"DeconvolutionDepthWise3D", 3, true, true, false, -1}));
    t.push_back(deformable_conv2d());
    t.push_back(fold());
    t.push_back(unfold());

    // --- pooling
    t.push_back(pooling_2d());
    t.push_back(pooling_1d());
    t.push_back(pooling_3d());

    // --- weights-bearing layers
    t.push_back(inner_product());
    t.push_back(embed());
    t.push_back(rnn());
    t.push_back(lstm());
    t.push_back(gru());
    t.push_back(gemm());
    t.push_back(multi_head_attention());
    t.push_back(batch_norm());
    t.push_back(group_norm());
    t.push_back(instance_norm());
    t.push_back(layer_norm());
    t.push_back(rms_norm());
    t.push_back(scale());
    t.push_back(memory_data());
    t.push_back(with_blobs(make("Bias", {I(0, "bias_data_size", 0)}), {Raw("bias_data", count_of<0>)}));
    t.push_back(with_blobs(make("PReLU", {I(0, "num_slope", 0)}), {Raw("slope_data", count_of<0>)}));
    t.push_back(with_blobs(make("Normalize", {
                                                 I(0, "across_spatial", 0),
                                                 I(1, "channel_shared", 0),
                                                 F(2, "eps", 0.0001f),
                                                 I(3, "scale_data_size", 0),
                                                 I(4, "across_channel", 1),
                                                 I(9, "eps_mode", 0),
                                             }),
                           {Raw("scale_data", count_of<3>)}));
    t.push_back(with_blobs(make("Padding", {
                                               I(0, "top", 0),
                                               I(1, "bottom", 0),
                                               I(2, "left", 0),
                                               I(3, "right", 0),
                                               I(4, "type", 0),
                                               F(5, "value", 0.f),
                                               I(6, "per_channel_pad_data_size", 0),
                                               I(7, "front", 0),
                                               I(8, "behind", 0),
                                           }),
                           {Raw("per_channel_pad_data", count_of<6>, is_set<6>)}));
    t.push_back(with_blobs(make("Quantize", {I(0, "scale_data_size", 1)}), {Raw("scale_data", count_of<0>)}));
    t.push_back(with_blobs(make("Dequantize", {I(0, "scale_data_size", 1), I(1, "bias_data_size", 0)}),
                           {Raw("scale_data", count_of<0>), Raw("bias_data", count_of<1>, is_set<1>)}));
    t.push_back(with_blobs(make("Requantize", {
                                                  I(0, "scale_in_data_size", 1),
                                                  I(1, "scale_out_data_size", 1),
                                                  I(2, "bias_data_size", 0),
                                                  I(3, "activation_type", 0),
                                                  FA(4, "activation_params"),
                                              }),
                           {
                               Raw("scale_in_data", count_of<0>),
                               Raw("scale_out_data", count_of<1>),
                               Raw("bias_data", count_of<2>, is_set<2>),
                           }));

    // --- params only
    t.push_back(make("BinaryOp", {I(0, "op_type", 0), I(1, "with_scalar", 0), F(2, "b", 0.f)}));
    t.push_back(make("CELU", {F(0, "alpha", 1.f)}));
    t.push_back(make("Clip", {F(0, "min", -FLT_MAX), F(1, "max", FLT_MAX)}));
    t.push_back(make("Concat", {I(0, "axis", 0)}));
    t.push_back(make("CopyTo", {
                                   I(0, "woffset", 0),
                                   I(1, "hoffset", 0),
                                   I(13, "doffset", 0),
                                   I(2, "coffset", 0),
                                   IA(9, "starts"),
                                   IA(11, "axes"),
                               }));
    t.push_back(make("Crop", {
                                 I(0, "woffset", 0),
                                 I(1, "hoffset", 0),
                                 I(13, "doffset", 0),
                                 I(2, "coffset", 0),
                                 I(3, "outw", 0),
                                 I(4, "outh", 0),
                                 I(14, "outd", 0),
                                 I(5, "outc", 0),
                                 I(6, "woffset2", 0),
                                 I(7, "hoffset2", 0),
                                 I(15, "doffset2", 0),
                                 I(8, "coffset2", 0),
                                 IA(9, "starts"),
                                 IA(10, "ends"),
                                 IA(11, "axes"),
                                 S(19, "starts_expr"),
                                 S(20, "ends_expr"),
                                 S(21, "axes_expr"),
                             }));
    t.push_back(make("CumulativeSum", {I(0, "axis", 0)}));
    t.push_back(make("DetectionOutput", {
                                            I(0, "num_class", 0),
                                            F(1, "nms_threshold", 0.05f),
                                            I(2, "nms_top_k", 300),
                                            I(3, "keep_top_k", 100),
                                            F(4, "confidence_threshold", 0.5f),
                                            F(5, "variances_0", 0.1f),
                                            F(6, "variances_1", 0.1f),
                                            F(7, "variances_2", 0.2f),
                                            F(8, "variances_3", 0.2f),
                                        }));
    t.push_back(make("Diag", {I(0, "diagonal", 0)}));
    t.push_back(make("Dropout", {F(0, "scale", 1.f)}));
    t.push_back(make("Eltwise", {I(0, "op_type", 0), FA(1, "coeffs")}));
    t.push_back(make("ELU", {F(0, "alpha", 0.1f)}));
    t.push_back(make("Exp", exp_log_params()));
    t.push_back(make("ExpandDims", {IA(3, "axes")}));
    t.push_back(make("GELU", {I(0, "fast_gelu", 0)}));
    t.push_back(make("GLU", {I(0, "axis", 0)}));
    t.push_back(with_check(make("GridSample", {
                                                  I(0, "sample_type", 1),
                                                  I(1, "padding_mode", 1),
                                                  I(2, "align_corner", 0),
                                                  I(3, "permute_fusion", 0),
                                              }),
                           "sample_type must be 1..3", [](const LayerParams& p) { return p.i(0) >= 1 && p.i(0) <= 3; }));
    t.back().checks.push_back({"padding_mode must be 1..3", [](const LayerParams& p) { return p.i(1) >= 1 && p.i(1) <= 3; }});
    t.push_back(make("HardSigmoid", {F(0, "alpha", 0.2f), F(1, "beta", 0.5f)}));
    t.push_back(make("HardSwish", {F(0, "alpha", 0.2f), F(1, "beta", 0.5f)}));
    t.push_back(make("Input", {
                                  I(0, "w", 0),
                                  I(1, "h", 0),
                                  I(2, "c", 0),
                                  I(11, "d", 0).kept(), // the reference writer never prints 11 (d)
                              }));
    t.push_back(with_check(make("Interp", {
                                              I(0, "resize_type", 0),
                                              F(1, "height_scale", 1.f),
                                              F(2, "width_scale", 1.f),
                                              I(3, "output_height", 0),
                                              I(4, "output_width", 0),
                                              I(5, "dynamic_target_size", 0),
                                              I(6, "align_corner", 0),
                                              S(9, "size_expr"),
                                          }),
                           "resize_type must be 0..3", [](const LayerParams& p) { return p.i(0) >= 0 && p.i(0) <= 3; }));
    t.push_back(make("Log", exp_log_params()));
    t.push_back(make("LRN", {
                                I(0, "region_type", 0),
                                I(1, "local_size", 5),
                                F(2, "alpha", 1.f),
                                F(3, "beta", 0.75f),
                                F(4, "bias", 1.f),
                            }));
    t.push_back(make("MatMul", {I(0, "transB", 0)}));
    t.push_back(make("MVN", {I(0, "normalize_variance", 0), I(1, "across_channels", 0), F(2, "eps", 0.0001f)}));
    t.push_back(make("Permute", {I(0, "order_type", 0)}));
    t.push_back(make("PixelShuffle", {I(0, "upscale_factor", 1), I(1, "mode", 0)}));
    t.push_back(make("Power", {F(0, "power", 1.f), F(1, "scale", 1.f), F(2, "shift", 0.f)}));
    t.push_back(make("PriorBox", {
                                     FA(0, "min_sizes"),
                                     FA(1, "max_sizes"),
                                     FA(2, "aspect_ratios"),
                                     F(3, "variances_0", 0.1f),
                                     F(4, "variances_1", 0.1f),
                                     F(5, "variances_2", 0.2f),
                                     F(6, "variances_3", 0.2f),
                                     I(7, "flip", 1),
                                     I(8, "clip", 0),
                                     I(9, "image_width", 0),
                                     I(10, "image_height", 0),
                                     F(11, "step_width", -233.f),
                                     F(12, "step_height", -233.f),
                                     F(13, "offset", 0.f),
                                     // the reference writer never prints the mmdetection flags
                                     I(14, "step_mmdetection", 0).kept(),
                                     I(15, "center_mmdetection", 0).kept(),
                                 }));
    t.push_back(make("Proposal", {
                                     I(0, "feat_stride", 16),
                                     I(1, "base_size", 16),
                                     I(2, "pre_nms_topN", 6000),
                                     I(3, "after_nms_topN", 300),
                                     F(4, "nms_thresh", 0.7f),
                                     I(5, "min_size", 16),
                                 }));
    t.push_back(make("PSROIPooling", {
                                         I(0, "pooled_width", 7),
                                         I(1, "pooled_height", 7),
                                         F(2, "spatial_scale", 0.0625f),
                                         I(3, "output_dim", 0),
                                     }));
    // the writer adds " 5=1" whenever axes are present (see Reduction's fixbug0)
    t.push_back(with_check(make("Reduction", {
                                                 I(0, "operation", 0),
                                                 I(1, "reduce_all", 1),
                                                 F(2, "coeff", 1.f),
                                                 IA(3, "axes"),
                                                 I(4, "keepdims", 0),
                                                 I(5, "fixbug0", 0).marker_when_set(3),
                                             }),
                           "axes require fixbug0 (5=1); older params must be regenerated",
                           [](const LayerParams& p) { return p.i(5) != 0 || p.array_size(3) == 0; }));
    t.push_back(make("ReLU", {F(0, "slope", 0.f)}));
    t.push_back(make("Reorg", {I(0, "stride", 1), I(1, "mode", 0)}));
    t.push_back(with_check(make("Reshape", {
                                               I(0, "w", -233),
                                               I(1, "h", -233),
                                               I(11, "d", -233),
                                               I(2, "c", -233),
                                               S(6, "shape_expr"),
                                               // the reference writer never prints the batch axes
                                               I(12, "input_batch_axis", 233).kept(),
                                               I(13, "output_batch_axis", 233).kept(),
                                           }),
                           "shape_expr must be a well-formed expression without integer division by zero",
                           reshape_shape_expr_ok));
    t.push_back(with_check(make("ROIAlign", {
                                                I(0, "pooled_width", 0),
                                                I(1, "pooled_height", 0),
                                                F(2, "spatial_scale", 1.f),
                                                I(3, "sampling_ratio", 0),
                                                I(4, "aligned", 0),
                                                I(5, "version", 0),
                                            }),
                           "version must be 0 or 1", [](const LayerParams& p) { return p.i(5) >= 0 && p.i(5) <= 1; }));
    t.push_back(make("ROIPooling", {I(0, "pooled_width", 0), I(1, "pooled_height", 0), F(2, "spatial_scale", 1.f)}));
    t.push_back(make("RotaryEmbed", {I(0, "interleaved", 0)}));
    t.push_back(make("SDPA", {
                                 I(5, "attn_mask", 0),
                                 F(6, "scale", 0.f),
                                 I(7, "kv_cache", 0),
                                 I(18, "int8_scale_term", 0),
                             }));
    t.push_back(make("ShuffleChannel", {I(0, "group", 1), I(1, "reverse", 0)}));
    t.push_back(make("Slice", {
                                  IA(0, "slices"),
                                  I(1, "axis", 0),
                                  IA(2, "indices").kept(), // the reference writer never prints 2 (indices)
                              }));
    // the writer adds " 1=1" whenever axis != 0 (see Softmax's fixbug0)
    t.push_back(with_check(make("Softmax", {I(0, "axis", 0), I(1, "fixbug0", 0).marker_when_set(0)}),
                           "a non-zero axis requires fixbug0 (1=1); older params must be regenerated",
                           [](const LayerParams& p) { return p.i(1) != 0 || p.i(0) == 0; }));
    t.push_back(make("Squeeze", {
                                    I(0, "squeeze_w", 0),
                                    I(1, "squeeze_h", 0),
                                    I(11, "squeeze_d", 0),
                                    I(2, "squeeze_c", 0),
                                    IA(3, "axes"),
                                }));
    t.push_back(make("Threshold", {F(0, "threshold", 0.f)}));
    t.push_back(make("Tile", {I(0, "axis", 0), I(1, "tiles", 1), IA(2, "repeats")}));
    t.push_back(make("UnaryOp", {I(0, "op_type", 0)}));
    t.push_back(make("YoloDetectionOutput", yolo_params()));
    {
        std::vector<ParamSpec> params = yolo_params();
        params.push_back(IA(5, "mask"));
        params.push_back(FA(6, "anchors_scale"));
        t.push_back(make("Yolov3DetectionOutput", params));
    }

    return t;
}

} // namespace

const std::vector<LayerSchema>& all_layer_schemas()
{
    static const std::vector<LayerSchema> table = build_table();
    return table;
}

const LayerSchema* find_layer_schema(std::string_view type)
{
    // Keys view the type strings of the static table, which never changes.
    static const std::unordered_map<std::string_view, const LayerSchema*> index = [] {
        std::unordered_map<std::string_view, const LayerSchema*> m;
        for (const LayerSchema& s : all_layer_schemas())
            m.emplace(s.type, &s);
        return m;
    }();
    const auto it = index.find(type);
    return it == index.end() ? nullptr : it->second;
}

} // namespace ncnn_int8
