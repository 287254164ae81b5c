// ncnn's fused activation (activation_type / activation_params of
// Convolution, InnerProduct, ...): 0 none, 1 ReLU, 2 leaky ReLU, 3 clip,
// 4 sigmoid, 5 mish, 6 hard swish; the same formulas as the standalone layers.
#pragma once

#include <cstddef>
#include <vector>

#include "engine/layer.h"

namespace ncnn_int8::engine {

struct FusedActivation {
    int type = 0;
    std::vector<float> params;
    void apply(float* x, size_t n) const;
};

// The activation after checking its param count.
Result<FusedActivation> checked_activation(const LayerContext& ctx, int type, const std::vector<float>& params);

// Reads P::activation_type / P::activation_params (P: the layer's params struct).
template <typename P>
Result<FusedActivation> read_fused_activation(const LayerContext& ctx)
{
    return checked_activation(ctx, ctx.params().get(P::activation_type), ctx.params().get(P::activation_params));
}

} // namespace ncnn_int8::engine
