// Param handles of the recurrent family: one struct per ncnn layer type, one
// handle per param (id and name as ncnn's layer sources call them).
// Recurrent layers.
#pragma once

#include "model/param_handle.h"

namespace ncnn_int8::params {

struct RNN {
    static constexpr const char* layer_type = "RNN";
    static constexpr IntParam num_output{0, "num_output"};
    static constexpr IntParam weight_data_size{1, "weight_data_size"};
    static constexpr IntParam direction{2, "direction"};
    static constexpr IntParam int8_scale_term{8, "int8_scale_term"};
    static constexpr std::array all{ref(num_output), ref(weight_data_size), ref(direction), ref(int8_scale_term)};
};

struct LSTM {
    static constexpr const char* layer_type = "LSTM";
    static constexpr IntParam num_output{0, "num_output"};
    static constexpr IntParam weight_data_size{1, "weight_data_size"};
    static constexpr IntParam direction{2, "direction"};
    static constexpr IntParam hidden_size{3, "hidden_size"};
    static constexpr IntParam int8_scale_term{8, "int8_scale_term"};
    static constexpr std::array all{
        ref(num_output), ref(weight_data_size), ref(direction), ref(hidden_size), ref(int8_scale_term)};
};

struct GRU {
    static constexpr const char* layer_type = "GRU";
    static constexpr IntParam num_output{0, "num_output"};
    static constexpr IntParam weight_data_size{1, "weight_data_size"};
    static constexpr IntParam direction{2, "direction"};
    static constexpr IntParam int8_scale_term{8, "int8_scale_term"};
    static constexpr std::array all{ref(num_output), ref(weight_data_size), ref(direction), ref(int8_scale_term)};
};

} // namespace ncnn_int8::params
