// Param handles of the convolution family: one struct per ncnn layer type, one
// handle per param (id and name as ncnn's layer sources call them).
// Convolution and deconvolution layers (and the window layers Fold / Unfold).
// The ids these types share are said once, in the base structs below; each
// type still lists its own params (`all`), in id order.
#pragma once

#include "model/param_handle.h"

namespace ncnn_int8::params {

// Kernel, dilation, stride and padding of a sliding window, by dimension.
struct Window1D {
    static constexpr IntParam kernel_w{1, "kernel_w"};
    static constexpr IntParam dilation_w{2, "dilation_w"};
    static constexpr IntParam stride_w{3, "stride_w"};
    static constexpr IntParam pad_left{4, "pad_left"};
    static constexpr IntParam pad_right{15, "pad_right"};
};

struct Window2D : Window1D {
    static constexpr IntParam kernel_h{11, "kernel_h"};
    static constexpr IntParam dilation_h{12, "dilation_h"};
    static constexpr IntParam stride_h{13, "stride_h"};
    static constexpr IntParam pad_top{14, "pad_top"};
    static constexpr IntParam pad_bottom{16, "pad_bottom"};
};

struct Window3D : Window2D {
    static constexpr IntParam pad_behind{17, "pad_behind"};
    static constexpr IntParam kernel_d{21, "kernel_d"};
    static constexpr IntParam dilation_d{22, "dilation_d"};
    static constexpr IntParam stride_d{23, "stride_d"};
    static constexpr IntParam pad_front{24, "pad_front"};
};

// Output channels, weights and the fused activation of every (de)convolution.
struct ConvolutionWeights {
    static constexpr IntParam num_output{0, "num_output"};
    static constexpr IntParam bias_term{5, "bias_term"};
    static constexpr IntParam weight_data_size{6, "weight_data_size"};
    static constexpr IntParam activation_type{9, "activation_type"};
    static constexpr FloatArrayParam activation_params{10, "activation_params"};
};

// The depth-wise types are their plain type plus `group`.
struct Grouped {
    static constexpr IntParam group{7, "group"};
};

struct Convolution : ConvolutionWeights, Window2D {
    static constexpr const char* layer_type = "Convolution";
    static constexpr IntParam int8_scale_term{8, "int8_scale_term"};
    static constexpr FloatParam pad_value{18, "pad_value"};
    static constexpr IntParam dynamic_weight{19, "dynamic_weight"};
    static constexpr std::array all{
        ref(num_output), ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(bias_term),
        ref(weight_data_size), ref(int8_scale_term), ref(activation_type), ref(activation_params),
        ref(kernel_h), ref(dilation_h), ref(stride_h), ref(pad_top), ref(pad_right), ref(pad_bottom),
        ref(pad_value), ref(dynamic_weight)};
};

struct Convolution1D : ConvolutionWeights, Window1D {
    static constexpr const char* layer_type = "Convolution1D";
    static constexpr FloatParam pad_value{18, "pad_value"};
    static constexpr IntParam dynamic_weight{19, "dynamic_weight"};
    static constexpr std::array all{
        ref(num_output), ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(bias_term),
        ref(weight_data_size), ref(activation_type), ref(activation_params), ref(pad_right), ref(pad_value),
        ref(dynamic_weight)};
};

struct Convolution3D : ConvolutionWeights, Window3D {
    static constexpr const char* layer_type = "Convolution3D";
    static constexpr FloatParam pad_value{18, "pad_value"};
    static constexpr std::array all{
        ref(num_output), ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(bias_term),
        ref(weight_data_size), ref(activation_type), ref(activation_params), ref(kernel_h), ref(dilation_h),
        ref(stride_h), ref(pad_top), ref(pad_right), ref(pad_bottom), ref(pad_behind), ref(pad_value),
        ref(kernel_d), ref(dilation_d), ref(stride_d), ref(pad_front)};
};

struct ConvolutionDepthWise : Convolution, Grouped {
    static constexpr const char* layer_type = "ConvolutionDepthWise";
    static constexpr std::array all{
        ref(num_output), ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(bias_term),
        ref(weight_data_size), ref(group), ref(int8_scale_term), ref(activation_type),
        ref(activation_params), ref(kernel_h), ref(dilation_h), ref(stride_h), ref(pad_top), ref(pad_right),
        ref(pad_bottom), ref(pad_value), ref(dynamic_weight)};
};

struct ConvolutionDepthWise1D : Convolution1D, Grouped {
    static constexpr const char* layer_type = "ConvolutionDepthWise1D";
    static constexpr std::array all{
        ref(num_output), ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(bias_term),
        ref(weight_data_size), ref(group), ref(activation_type), ref(activation_params), ref(pad_right),
        ref(pad_value), ref(dynamic_weight)};
};

struct ConvolutionDepthWise3D : Convolution3D, Grouped {
    static constexpr const char* layer_type = "ConvolutionDepthWise3D";
    static constexpr std::array all{
        ref(num_output), ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(bias_term),
        ref(weight_data_size), ref(group), ref(activation_type), ref(activation_params), ref(kernel_h),
        ref(dilation_h), ref(stride_h), ref(pad_top), ref(pad_right), ref(pad_bottom), ref(pad_behind),
        ref(pad_value), ref(kernel_d), ref(dilation_d), ref(stride_d), ref(pad_front)};
};

struct Deconvolution : ConvolutionWeights, Window2D {
    static constexpr const char* layer_type = "Deconvolution";
    static constexpr IntParam output_pad_right{18, "output_pad_right"};
    static constexpr IntParam output_pad_bottom{19, "output_pad_bottom"};
    static constexpr IntParam output_w{20, "output_w"};
    static constexpr IntParam output_h{21, "output_h"};
    static constexpr IntParam dynamic_weight{28, "dynamic_weight"};
    static constexpr std::array all{
        ref(num_output), ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(bias_term),
        ref(weight_data_size), ref(activation_type), ref(activation_params), ref(kernel_h), ref(dilation_h),
        ref(stride_h), ref(pad_top), ref(pad_right), ref(pad_bottom), ref(output_pad_right),
        ref(output_pad_bottom), ref(output_w), ref(output_h), ref(dynamic_weight)};
};

struct Deconvolution1D : ConvolutionWeights, Window1D {
    static constexpr const char* layer_type = "Deconvolution1D";
    static constexpr IntParam output_pad_right{18, "output_pad_right"};
    static constexpr IntParam output_w{20, "output_w"};
    static constexpr IntParam dynamic_weight{28, "dynamic_weight"};
    static constexpr std::array all{
        ref(num_output), ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(bias_term),
        ref(weight_data_size), ref(activation_type), ref(activation_params), ref(pad_right),
        ref(output_pad_right), ref(output_w), ref(dynamic_weight)};
};

struct Deconvolution3D : ConvolutionWeights, Window3D {
    static constexpr const char* layer_type = "Deconvolution3D";
    static constexpr IntParam output_pad_right{18, "output_pad_right"};
    static constexpr IntParam output_pad_bottom{19, "output_pad_bottom"};
    static constexpr IntParam output_pad_behind{20, "output_pad_behind"};
    static constexpr IntParam output_w{25, "output_w"};
    static constexpr IntParam output_h{26, "output_h"};
    static constexpr IntParam output_d{27, "output_d"};
    static constexpr std::array all{
        ref(num_output), ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(bias_term),
        ref(weight_data_size), ref(activation_type), ref(activation_params), ref(kernel_h), ref(dilation_h),
        ref(stride_h), ref(pad_top), ref(pad_right), ref(pad_bottom), ref(pad_behind), ref(output_pad_right),
        ref(output_pad_bottom), ref(output_pad_behind), ref(kernel_d), ref(dilation_d), ref(stride_d),
        ref(pad_front), ref(output_w), ref(output_h), ref(output_d)};
};

struct DeconvolutionDepthWise : Deconvolution, Grouped {
    static constexpr const char* layer_type = "DeconvolutionDepthWise";
    static constexpr std::array all{
        ref(num_output), ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(bias_term),
        ref(weight_data_size), ref(group), ref(activation_type), ref(activation_params), ref(kernel_h),
        ref(dilation_h), ref(stride_h), ref(pad_top), ref(pad_right), ref(pad_bottom), ref(output_pad_right),
        ref(output_pad_bottom), ref(output_w), ref(output_h), ref(dynamic_weight)};
};

struct DeconvolutionDepthWise1D : Deconvolution1D, Grouped {
    static constexpr const char* layer_type = "DeconvolutionDepthWise1D";
    static constexpr std::array all{
        ref(num_output), ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(bias_term),
        ref(weight_data_size), ref(group), ref(activation_type), ref(activation_params), ref(pad_right),
        ref(output_pad_right), ref(output_w), ref(dynamic_weight)};
};

struct DeconvolutionDepthWise3D : Deconvolution3D, Grouped {
    static constexpr const char* layer_type = "DeconvolutionDepthWise3D";
    static constexpr std::array all{
        ref(num_output), ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(bias_term),
        ref(weight_data_size), ref(group), ref(activation_type), ref(activation_params), ref(kernel_h),
        ref(dilation_h), ref(stride_h), ref(pad_top), ref(pad_right), ref(pad_bottom), ref(pad_behind),
        ref(output_pad_right), ref(output_pad_bottom), ref(output_pad_behind), ref(kernel_d),
        ref(dilation_d), ref(stride_d), ref(pad_front), ref(output_w), ref(output_h), ref(output_d)};
};

struct DeformableConv2D : ConvolutionWeights, Window2D {
    static constexpr const char* layer_type = "DeformableConv2D";
    static constexpr std::array all{
        ref(num_output), ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(bias_term),
        ref(weight_data_size), ref(activation_type), ref(activation_params), ref(kernel_h), ref(dilation_h),
        ref(stride_h), ref(pad_top), ref(pad_right), ref(pad_bottom)};
};

struct Fold : Window2D {
    static constexpr const char* layer_type = "Fold";
    static constexpr IntParam output_w{20, "output_w"};
    static constexpr IntParam output_h{21, "output_h"};
    static constexpr std::array all{
        ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(kernel_h), ref(dilation_h),
        ref(stride_h), ref(pad_top), ref(pad_right), ref(pad_bottom), ref(output_w), ref(output_h)};
};

struct Unfold : Window2D {
    static constexpr const char* layer_type = "Unfold";
    static constexpr FloatParam pad_value{18, "pad_value"};
    static constexpr std::array all{
        ref(kernel_w), ref(dilation_w), ref(stride_w), ref(pad_left), ref(kernel_h), ref(dilation_h),
        ref(stride_h), ref(pad_top), ref(pad_right), ref(pad_bottom), ref(pad_value)};
};

} // namespace ncnn_int8::params
