// Param handles of the normalization family: one struct per ncnn layer type, one
// handle per param (id and name as ncnn's layer sources call them).
// Normalization and per-channel affine layers.
#pragma once

#include "model/param_handle.h"

namespace ncnn_int8::params {

struct BatchNorm {
    static constexpr const char* layer_type = "BatchNorm";
    static constexpr IntParam channels{0, "channels"};
    static constexpr FloatParam eps{1, "eps"};
    static constexpr std::array all{ref(channels), ref(eps)};
};

struct GroupNorm {
    static constexpr const char* layer_type = "GroupNorm";
    static constexpr IntParam group{0, "group"};
    static constexpr IntParam channels{1, "channels"};
    static constexpr FloatParam eps{2, "eps"};
    static constexpr IntParam affine{3, "affine"};
    static constexpr std::array all{ref(group), ref(channels), ref(eps), ref(affine)};
};

struct InstanceNorm {
    static constexpr const char* layer_type = "InstanceNorm";
    static constexpr IntParam channels{0, "channels"};
    static constexpr FloatParam eps{1, "eps"};
    static constexpr IntParam affine{2, "affine"};
    static constexpr std::array all{ref(channels), ref(eps), ref(affine)};
};

// LayerNorm and RMSNorm: normalized over the last affine_size values.
struct LastAxisNorm {
    static constexpr IntParam affine_size{0, "affine_size"};
    static constexpr FloatParam eps{1, "eps"};
    static constexpr IntParam affine{2, "affine"};
    static constexpr std::array all{ref(affine_size), ref(eps), ref(affine)};
};

struct LayerNorm : LastAxisNorm {
    static constexpr const char* layer_type = "LayerNorm";
};

struct RMSNorm : LastAxisNorm {
    static constexpr const char* layer_type = "RMSNorm";
};

struct Normalize {
    static constexpr const char* layer_type = "Normalize";
    static constexpr IntParam across_spatial{0, "across_spatial"};
    static constexpr IntParam channel_shared{1, "channel_shared"};
    static constexpr FloatParam eps{2, "eps"};
    static constexpr IntParam scale_data_size{3, "scale_data_size"};
    static constexpr IntParam across_channel{4, "across_channel"};
    static constexpr IntParam eps_mode{9, "eps_mode"};
    static constexpr std::array all{
        ref(across_spatial), ref(channel_shared), ref(eps), ref(scale_data_size), ref(across_channel),
        ref(eps_mode)};
};

struct MVN {
    static constexpr const char* layer_type = "MVN";
    static constexpr IntParam normalize_variance{0, "normalize_variance"};
    static constexpr IntParam across_channels{1, "across_channels"};
    static constexpr FloatParam eps{2, "eps"};
    static constexpr std::array all{ref(normalize_variance), ref(across_channels), ref(eps)};
};

struct LRN {
    static constexpr const char* layer_type = "LRN";
    static constexpr IntParam region_type{0, "region_type"};
    static constexpr IntParam local_size{1, "local_size"};
    static constexpr FloatParam alpha{2, "alpha"};
    static constexpr FloatParam beta{3, "beta"};
    static constexpr FloatParam bias{4, "bias"};
    static constexpr std::array all{ref(region_type), ref(local_size), ref(alpha), ref(beta), ref(bias)};
};

struct Scale {
    static constexpr const char* layer_type = "Scale";
    static constexpr IntParam scale_data_size{0, "scale_data_size"};
    static constexpr IntParam bias_term{1, "bias_term"};
    static constexpr std::array all{ref(scale_data_size), ref(bias_term)};
};

struct Bias {
    static constexpr const char* layer_type = "Bias";
    static constexpr IntParam bias_data_size{0, "bias_data_size"};
    static constexpr std::array all{ref(bias_data_size)};
};

} // namespace ncnn_int8::params
