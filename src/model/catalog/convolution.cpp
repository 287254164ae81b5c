// Convolution and deconvolution layers, and the window layers Fold / Unfold.
// One shared builder: which optional params a type has (group, int8 scales,
// dynamic weight, output padding, depth) comes from its params struct.
#include <string>

#include "model/catalog/builders.h"

namespace ncnn_int8::catalog {
namespace {

// Kernel, dilation, stride and padding params in the order the reference
// writer prints them; the *_h / *_d / right / bottom / behind values default
// to their partner and are printed only when they differ from it.
template <class P>
std::vector<ParamSpec> window_params()
{
    if constexpr (has_kernel_d<P>::value) {
        return {
            I(P::kernel_w, 0),
            I(P::kernel_h, 0).same_as(P::kernel_w).written_if_differs_from(P::kernel_w),
            I(P::kernel_d, 0).same_as(P::kernel_w).written_if_differs_from(P::kernel_w),
            I(P::dilation_w, 1),
            I(P::dilation_h, 1).same_as(P::dilation_w).written_if_differs_from(P::dilation_w),
            I(P::dilation_d, 1).same_as(P::dilation_w).written_if_differs_from(P::dilation_w),
            I(P::stride_w, 1),
            I(P::stride_h, 1).same_as(P::stride_w).written_if_differs_from(P::stride_w),
            I(P::stride_d, 1).same_as(P::stride_w).written_if_differs_from(P::stride_w),
            I(P::pad_left, 0),
            I(P::pad_top, 0).same_as(P::pad_left).written_if_differs_from(P::pad_left),
            I(P::pad_front, 0).same_as(P::pad_left).written_if_differs_from(P::pad_left),
            I(P::pad_right, 0).same_as(P::pad_left).written_if_differs_from(P::pad_left),
            I(P::pad_bottom, 0).same_as(P::pad_top).written_if_differs_from(P::pad_top),
            I(P::pad_behind, 0).same_as(P::pad_front).written_if_differs_from(P::pad_front),
        };
    } else if constexpr (has_kernel_h<P>::value) {
        return {
            I(P::kernel_w, 0),
            I(P::kernel_h, 0).same_as(P::kernel_w).written_if_differs_from(P::kernel_w),
            I(P::dilation_w, 1),
            I(P::dilation_h, 1).same_as(P::dilation_w).written_if_differs_from(P::dilation_w),
            I(P::stride_w, 1),
            I(P::stride_h, 1).same_as(P::stride_w).written_if_differs_from(P::stride_w),
            I(P::pad_left, 0),
            I(P::pad_top, 0).same_as(P::pad_left).written_if_differs_from(P::pad_left),
            I(P::pad_right, 0).same_as(P::pad_left).written_if_differs_from(P::pad_left),
            I(P::pad_bottom, 0).same_as(P::pad_top).written_if_differs_from(P::pad_top),
        };
    } else {
        return {
            I(P::kernel_w, 0),
            I(P::dilation_w, 1),
            I(P::stride_w, 1),
            I(P::pad_left, 0),
            I(P::pad_right, 0).same_as(P::pad_left).written_if_differs_from(P::pad_left),
        };
    }
}

// Deconvolution output padding / output size params (writer order).
template <class P>
std::vector<ParamSpec> deconv_output_params()
{
    if constexpr (has_kernel_d<P>::value) {
        return {
            I(P::output_pad_right, 0),
            I(P::output_pad_bottom, 0).same_as(P::output_pad_right).written_if_differs_from(P::output_pad_right),
            I(P::output_pad_behind, 0).same_as(P::output_pad_right).written_if_differs_from(P::output_pad_right),
            I(P::output_w, 0),
            I(P::output_h, 0).same_as(P::output_w).written_if_differs_from(P::output_w),
            I(P::output_d, 0).same_as(P::output_w).written_if_differs_from(P::output_w),
        };
    } else if constexpr (has_kernel_h<P>::value) {
        return {
            I(P::output_pad_right, 0),
            I(P::output_pad_bottom, 0).same_as(P::output_pad_right).written_if_differs_from(P::output_pad_right),
            I(P::output_w, 0),
            I(P::output_h, 0).same_as(P::output_w).written_if_differs_from(P::output_w),
        };
    } else {
        return {I(P::output_pad_right, 0), I(P::output_w, 0)};
    }
}

// Weights are present unless dynamic_weight is set (types that have it).
template <class P>
bool static_weights(const LayerParams& p)
{
    if constexpr (has_dynamic_weight<P>::value)
        return p.get(P::dynamic_weight) == 0;
    else
        return true;
}

template <class P>
bool static_bias(const LayerParams& p)
{
    return static_weights<P>(p) && p.get(P::bias_term) != 0;
}

template <class P>
void add_weight_and_bias(LayerSchema& s)
{
    s.blobs.push_back(Tagged("weight_data", count_of<P::weight_data_size>, static_weights<P>));
    s.blobs.push_back(Raw("bias_data", count_of<P::num_output>, static_bias<P>));
}

template <class P>
LayerSchema conv_family()
{
    LayerSchema s = make<P>();
    s.params.push_back(I(P::num_output, 0));
    append(s.params, window_params<P>());
    if constexpr (has_output_pad_right<P>::value)
        append(s.params, deconv_output_params<P>());
    else
        s.params.push_back(F(P::pad_value, 0.f));
    s.params.push_back(I(P::bias_term, 0));
    s.params.push_back(I(P::weight_data_size, 0));
    if constexpr (has_group<P>::value)
        s.params.push_back(I(P::group, 1));
    if constexpr (has_int8_scale_term<P>::value)
        s.params.push_back(I(P::int8_scale_term, 0));
    s.params.push_back(I(P::activation_type, 0));
    s.params.push_back(FA(P::activation_params));
    if constexpr (has_dynamic_weight<P>::value)
        s.params.push_back(I(P::dynamic_weight, 0));
    add_weight_and_bias<P>(s);
    return s;
}

// load_param rejects num_output % group != 0 (group 0 would trap; a
// negative group is refused too so nothing downstream divides by it).
template <class P>
LoadCheck group_divides_num_output()
{
    return {"num_output must be a multiple of group (group must be positive)",
            [](const LayerParams& p) { return p.get(P::group) > 0 && p.get(P::num_output) % p.get(P::group) == 0; }};
}

// The reference reshapes the weights to num_output x (kernel_w * kernel_h) x inputs.
std::string convolution_shape_check(const LayerParams& p)
{
    using P = params::Convolution;
    const int64_t wds = p.get(P::weight_data_size), num_output = p.get(P::num_output);
    const int64_t per_output = int64_t(p.get(P::kernel_w)) * p.get(P::kernel_h);
    if (num_output > 0 && per_output > 0 && wds % (num_output * per_output) == 0) return "";
    return "weight_data_size " + std::to_string(wds) + " is not num_output (" + std::to_string(num_output) + ") x kernel (" + std::to_string(p.get(P::kernel_w)) + "x" + std::to_string(p.get(P::kernel_h)) + ") x inputs";
}

LayerSchema convolution()
{
    using P = params::Convolution;
    LayerSchema s = conv_family<P>();
    // int8: one weight scale per output channel (table key 0) and the input
    // scale; requantize fusion adds the consumer's input scale (term + 100).
    Int8Facts int8;
    int8.flag = P::int8_scale_term;
    int8.weights = {{"weight_data", "weight_data_int8_scales", 0, count_of<P::num_output>}};
    int8.needs_input_scale = true;
    int8.dynamic_weight = P::dynamic_weight;
    int8.shape_check = convolution_shape_check;
    int8.requantize_fusion = true;
    s.int8 = int8;
    // int8 scales: num_output weight scales + 1 input scale; > 100 adds 1 output scale
    s.blobs.push_back(Raw("weight_data_int8_scales", count_of<P::num_output>,
                          [](const LayerParams& p) { return p.get(P::dynamic_weight) == 0 && p.get(P::int8_scale_term) != 0; }));
    s.blobs.push_back(Raw("bottom_blob_int8_scales", count_one,
                          [](const LayerParams& p) { return p.get(P::dynamic_weight) == 0 && p.get(P::int8_scale_term) != 0; }));
    s.blobs.push_back(Raw("top_blob_int8_scales", count_one,
                          [](const LayerParams& p) { return p.get(P::dynamic_weight) == 0 && p.get(P::int8_scale_term) > 100; }));
    // load_model quantizes fp32 weights at load time when int8_scale_term is
    // set, dividing weight_data_size by num_output and by kernel_w * kernel_h.
    s.checks.push_back({"with int8_scale_term set, num_output and kernel_w * kernel_h must be non-zero",
                        [](const LayerParams& p) {
                            if (p.get(P::dynamic_weight) != 0 || p.get(P::int8_scale_term) == 0) return true;
                            const int32_t maxk = static_cast<int32_t>(static_cast<uint32_t>(p.get(P::kernel_w)) * static_cast<uint32_t>(p.get(P::kernel_h)));
                            return int_div_ok(p.get(P::weight_data_size), p.get(P::num_output))
                                   && int_div_ok(p.get(P::weight_data_size) / p.get(P::num_output), maxk);
                        }});
    return s;
}

using DW = params::ConvolutionDepthWise;

bool convdw_per_group_scales(const LayerParams& p)
{
    return p.get(DW::int8_scale_term) == 1 || p.get(DW::int8_scale_term) == 101;
}

bool convdw_has_scales(const LayerParams& p)
{
    const int t = p.get(DW::int8_scale_term);
    return p.get(DW::dynamic_weight) == 0 && (t == 1 || t == 101 || t == 2 || t == 102);
}

// The reference quantizes each group's weights as one row.
std::string convolution_depthwise_shape_check(const LayerParams& p)
{
    const int64_t wds = p.get(DW::weight_data_size), group = p.get(DW::group);
    if (group > 0 && wds % group == 0) return "";
    return "weight_data_size " + std::to_string(wds) + " is not a multiple of group (" + std::to_string(group) + ")";
}

LayerSchema convolution_depthwise()
{
    LayerSchema s = conv_family<DW>();
    // int8: one weight scale per group, flag 1 (per-group scales); a term
    // already above 100 keeps its value when fused.
    Int8Facts int8;
    int8.flag = DW::int8_scale_term;
    int8.flag_value = 1;
    int8.weights = {{"weight_data", "weight_data_int8_scales", 0, count_of<DW::group>}};
    int8.needs_input_scale = true;
    int8.dynamic_weight = DW::dynamic_weight;
    int8.shape_check = convolution_depthwise_shape_check;
    int8.requantize_fusion = true;
    int8.flag_above_100_kept = true;
    s.int8 = int8;
    // term 1/101: one weight scale per group; term 2/102: a single one
    s.blobs.push_back(Raw(
        "weight_data_int8_scales",
        [](const LayerParams& p) -> int64_t { return convdw_per_group_scales(p) ? count_checked(p.get(DW::group)) : 1; },
        convdw_has_scales));
    s.blobs.push_back(Raw("bottom_blob_int8_scales", count_one, convdw_has_scales));
    s.blobs.push_back(Raw("top_blob_int8_scales", count_one,
                          [](const LayerParams& p) { return p.get(DW::dynamic_weight) == 0 && p.get(DW::int8_scale_term) > 100; }));
    s.checks.push_back(group_divides_num_output<DW>());
    return s;
}

LayerSchema convolution_depthwise_1d()
{
    LayerSchema s = conv_family<params::ConvolutionDepthWise1D>();
    s.checks.push_back(group_divides_num_output<params::ConvolutionDepthWise1D>());
    return s;
}

LayerSchema deformable_conv2d()
{
    using P = params::DeformableConv2D;
    LayerSchema s = make<P>();
    s.params.push_back(I(P::num_output, 0));
    append(s.params, window_params<P>());
    append(s.params, {
                         I(P::bias_term, 0),
                         I(P::weight_data_size, 0),
                         I(P::activation_type, 0),
                         FA(P::activation_params),
                     });
    add_weight_and_bias<P>(s);
    return s;
}

// Fold / Unfold share the 2D window but have no weights.
LayerSchema fold()
{
    using P = params::Fold;
    LayerSchema s = make<P>(window_params<P>());
    append(s.params, {
                         I(P::output_w, 0),
                         I(P::output_h, 0).same_as(P::output_w).written_if_differs_from(P::output_w),
                     });
    return s;
}

LayerSchema unfold()
{
    using P = params::Unfold;
    LayerSchema s = make<P>(window_params<P>());
    s.params.push_back(F(P::pad_value, 0.f));
    return s;
}

} // namespace

void add_convolution_layers(std::vector<LayerSchema>& t)
{
    t.push_back(convolution());
    t.push_back(conv_family<params::Convolution1D>());
    t.push_back(conv_family<params::Convolution3D>());
    t.push_back(convolution_depthwise());
    t.push_back(convolution_depthwise_1d());
    // no group check in ConvolutionDepthWise3D's load_param
    t.push_back(conv_family<params::ConvolutionDepthWise3D>());
    t.push_back(conv_family<params::Deconvolution>());
    t.push_back(conv_family<params::Deconvolution1D>());
    t.push_back(conv_family<params::Deconvolution3D>());
    t.push_back(conv_family<params::DeconvolutionDepthWise>());
    t.push_back(conv_family<params::DeconvolutionDepthWise1D>());
    t.push_back(conv_family<params::DeconvolutionDepthWise3D>());
    t.push_back(deformable_conv2d());
    t.push_back(fold());
    t.push_back(unfold());
}

} // namespace ncnn_int8::catalog
