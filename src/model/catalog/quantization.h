// Param handles of the quantization family: one struct per ncnn layer type, one
// handle per param (id and name as ncnn's layer sources call them).
// Int8 quantize / dequantize / requantize layers.
#pragma once

#include "model/param_handle.h"

namespace ncnn_int8::params {

struct Quantize {
    static constexpr const char* layer_type = "Quantize";
    static constexpr IntParam scale_data_size{0, "scale_data_size"};
    static constexpr std::array all{ref(scale_data_size)};
};

struct Dequantize {
    static constexpr const char* layer_type = "Dequantize";
    static constexpr IntParam scale_data_size{0, "scale_data_size"};
    static constexpr IntParam bias_data_size{1, "bias_data_size"};
    static constexpr std::array all{ref(scale_data_size), ref(bias_data_size)};
};

struct Requantize {
    static constexpr const char* layer_type = "Requantize";
    static constexpr IntParam scale_in_data_size{0, "scale_in_data_size"};
    static constexpr IntParam scale_out_data_size{1, "scale_out_data_size"};
    static constexpr IntParam bias_data_size{2, "bias_data_size"};
    static constexpr IntParam activation_type{3, "activation_type"};
    static constexpr FloatArrayParam activation_params{4, "activation_params"};
    static constexpr std::array all{
        ref(scale_in_data_size), ref(scale_out_data_size), ref(bias_data_size), ref(activation_type),
        ref(activation_params)};
};

} // namespace ncnn_int8::params
