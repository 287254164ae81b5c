// Helpers the catalog's family files share: building an entry from a params
// struct, blob sizes and conditions from handles, checked arithmetic.
#pragma once

#include <cfloat>
#include <climits>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/catalog/params.h"
#include "model/layer_schema.h"

namespace ncnn_int8::catalog {

// C integer division a / b traps (SIGFPE) for these operands; ncnn never
// guards them, so any param combination reaching one is refused.
inline bool int_div_ok(int32_t a, int32_t b)
{
    return b != 0 && !(a == INT32_MIN && b == -1);
}

inline int64_t mul3(int64_t a, int64_t b, int64_t c)
{
    return count_mul(count_mul(a, b), c);
}

inline int64_t mul4(int64_t a, int64_t b, int64_t c, int64_t d)
{
    return count_mul(mul3(a, b, c), d);
}

// A blob of `H` elements.
template <const IntParam& H>
int64_t count_of(const LayerParams& p)
{
    return count_checked(p.get(H));
}

inline int64_t count_one(const LayerParams&)
{
    return 1;
}

// Present when int param H is non-zero.
template <const IntParam& H>
bool is_set(const LayerParams& p)
{
    return p.get(H) != 0;
}

// An entry for params struct P (type name and handles from P).
template <class P>
LayerSchema make(std::vector<ParamSpec> params = {})
{
    LayerSchema s;
    s.type = P::layer_type;
    s.handles.assign(P::all.begin(), P::all.end());
    s.params = std::move(params);
    return s;
}

// A type the reference writer has no branch for: it drops every param, we
// keep them all.
template <class P>
LayerSchema unwritten(std::vector<ParamSpec> params = {})
{
    LayerSchema s = make<P>();
    s.reference_writes_params = false;
    for (const ParamSpec& p : params)
        s.params.push_back(p.kept());
    return s;
}

inline LayerSchema with_blobs(LayerSchema s, std::vector<BlobSpec> blobs)
{
    s.blobs = std::move(blobs);
    return s;
}

inline LayerSchema with_check(LayerSchema s, const char* requirement, bool (*holds)(const LayerParams&))
{
    s.checks.push_back({requirement, holds});
    return s;
}

inline void append(std::vector<ParamSpec>& to, const std::vector<ParamSpec>& from)
{
    to.insert(to.end(), from.begin(), from.end());
}

// Which optional params a type's struct declares (shared family builders
// add a param only where the type has it).
#define NI8_HAS_PARAM_TRAIT(member)           \
    template <class P, class = void>          \
    struct has_##member : std::false_type {}; \
    template <class P>                        \
    struct has_##member<P, std::void_t<decltype(P::member)>> : std::true_type {}

NI8_HAS_PARAM_TRAIT(kernel_h);
NI8_HAS_PARAM_TRAIT(kernel_d);
NI8_HAS_PARAM_TRAIT(group);
NI8_HAS_PARAM_TRAIT(int8_scale_term);
NI8_HAS_PARAM_TRAIT(dynamic_weight);
NI8_HAS_PARAM_TRAIT(output_pad_right);
NI8_HAS_PARAM_TRAIT(pad_value);
NI8_HAS_PARAM_TRAIT(hidden_size);

#undef NI8_HAS_PARAM_TRAIT

// Family adders, one per file of this folder.
void add_activation_layers(std::vector<LayerSchema>& t);
void add_attention_layers(std::vector<LayerSchema>& t);
void add_audio_layers(std::vector<LayerSchema>& t);
void add_convolution_layers(std::vector<LayerSchema>& t);
void add_dense_layers(std::vector<LayerSchema>& t);
void add_detection_layers(std::vector<LayerSchema>& t);
void add_elementwise_layers(std::vector<LayerSchema>& t);
void add_normalization_layers(std::vector<LayerSchema>& t);
void add_pooling_layers(std::vector<LayerSchema>& t);
void add_quantization_layers(std::vector<LayerSchema>& t);
void add_recurrent_layers(std::vector<LayerSchema>& t);
void add_shape_layers(std::vector<LayerSchema>& t);

} // namespace ncnn_int8::catalog
