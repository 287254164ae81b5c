// Param handles of the attention family: one struct per ncnn layer type, one
// handle per param (id and name as ncnn's layer sources call them).
// Attention layers.
#pragma once

#include "model/param_handle.h"

namespace ncnn_int8::params {

struct MultiHeadAttention {
    static constexpr const char* layer_type = "MultiHeadAttention";
    static constexpr IntParam embed_dim{0, "embed_dim"};
    static constexpr IntParam num_heads{1, "num_heads"};
    static constexpr IntParam weight_data_size{2, "weight_data_size"};
    static constexpr IntParam kdim{3, "kdim"};
    static constexpr IntParam vdim{4, "vdim"};
    static constexpr IntParam attn_mask{5, "attn_mask"};
    static constexpr FloatParam scale{6, "scale"};
    static constexpr IntParam kv_cache{7, "kv_cache"};
    static constexpr IntParam quantize_term{18, "quantize_term"};
    static constexpr std::array all{
        ref(embed_dim), ref(num_heads), ref(weight_data_size), ref(kdim), ref(vdim), ref(attn_mask),
        ref(scale), ref(kv_cache), ref(quantize_term)};
};

struct SDPA {
    static constexpr const char* layer_type = "SDPA";
    static constexpr IntParam attn_mask{5, "attn_mask"};
    static constexpr FloatParam scale{6, "scale"};
    static constexpr IntParam kv_cache{7, "kv_cache"};
    static constexpr IntParam int8_scale_term{18, "int8_scale_term"};
    static constexpr std::array all{ref(attn_mask), ref(scale), ref(kv_cache), ref(int8_scale_term)};
};

struct RotaryEmbed {
    static constexpr const char* layer_type = "RotaryEmbed";
    static constexpr IntParam interleaved{0, "interleaved"};
    static constexpr std::array all{ref(interleaved)};
};

} // namespace ncnn_int8::params
