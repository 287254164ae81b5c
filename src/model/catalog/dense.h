// Param handles of the dense family: one struct per ncnn layer type, one
// handle per param (id and name as ncnn's layer sources call them).
// Fully connected and embedding layers and matrix products.
#pragma once

#include "model/param_handle.h"

namespace ncnn_int8::params {

struct InnerProduct {
    static constexpr const char* layer_type = "InnerProduct";
    static constexpr IntParam num_output{0, "num_output"};
    static constexpr IntParam bias_term{1, "bias_term"};
    static constexpr IntParam weight_data_size{2, "weight_data_size"};
    static constexpr IntParam int8_scale_term{8, "int8_scale_term"};
    static constexpr IntParam activation_type{9, "activation_type"};
    static constexpr FloatArrayParam activation_params{10, "activation_params"};
    static constexpr std::array all{
        ref(num_output), ref(bias_term), ref(weight_data_size), ref(int8_scale_term), ref(activation_type),
        ref(activation_params)};
};

struct Embed {
    static constexpr const char* layer_type = "Embed";
    static constexpr IntParam num_output{0, "num_output"};
    static constexpr IntParam input_dim{1, "input_dim"};
    static constexpr IntParam bias_term{2, "bias_term"};
    static constexpr IntParam weight_data_size{3, "weight_data_size"};
    static constexpr IntParam int8_scale_term{18, "int8_scale_term"};
    static constexpr std::array all{
        ref(num_output), ref(input_dim), ref(bias_term), ref(weight_data_size), ref(int8_scale_term)};
};

struct Gemm {
    static constexpr const char* layer_type = "Gemm";
    static constexpr FloatParam alpha{0, "alpha"};
    static constexpr FloatParam beta{1, "beta"};
    static constexpr IntParam transA{2, "transA"};
    static constexpr IntParam transB{3, "transB"};
    static constexpr IntParam constantA{4, "constantA"};
    static constexpr IntParam constantB{5, "constantB"};
    static constexpr IntParam constantC{6, "constantC"};
    static constexpr IntParam constantM{7, "constantM"};
    static constexpr IntParam constantN{8, "constantN"};
    static constexpr IntParam constantK{9, "constantK"};
    static constexpr IntParam constant_broadcast_type_C{10, "constant_broadcast_type_C"};
    static constexpr IntParam output_N1M{11, "output_N1M"};
    static constexpr IntParam output_elempack{12, "output_elempack"};
    static constexpr IntParam output_elemtype{13, "output_elemtype"};
    static constexpr IntParam output_transpose{14, "output_transpose"};
    static constexpr IntParam quantize_term{18, "quantize_term"};
    static constexpr IntParam constant_TILE_M{20, "constant_TILE_M"};
    static constexpr IntParam constant_TILE_N{21, "constant_TILE_N"};
    static constexpr IntParam constant_TILE_K{22, "constant_TILE_K"};
    static constexpr std::array all{
        ref(alpha), ref(beta), ref(transA), ref(transB), ref(constantA), ref(constantB), ref(constantC),
        ref(constantM), ref(constantN), ref(constantK), ref(constant_broadcast_type_C), ref(output_N1M),
        ref(output_elempack), ref(output_elemtype), ref(output_transpose), ref(quantize_term),
        ref(constant_TILE_M), ref(constant_TILE_N), ref(constant_TILE_K)};
};

struct MatMul {
    static constexpr const char* layer_type = "MatMul";
    static constexpr IntParam transB{0, "transB"};
    static constexpr std::array all{ref(transB)};
};

} // namespace ncnn_int8::params
