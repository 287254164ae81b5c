// Sane weights for the conformance architectures (their corpus weights
// overflow in deep layers): He-uniform weights from a seed, biases zero,
// then one factor per weighted layer, chosen so its output has RMS ~1 on the
// fixture input. The factors are recorded in the fixture; with them the
// weights are rebuilt exactly, without the reference.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/tensor.h"
#include "model/model.h"

namespace ncnn_int8::test {

// layer name -> factor; layers not named use 1.
using LayerFactors = std::map<std::string, float>;

// The layers that get He weights: Convolution, ConvolutionDepthWise,
// Convolution1D, InnerProduct. Every other layer's blobs are uniform in
// [-0.5, 0.5) (var_data in [0.5, 1.5)), unscaled.
bool has_he_weights(const ModelLayer& layer);

// The .bin for `model`: tagged blobs as fp32, raw blobs untagged; He layers' biases zero.
Result<std::vector<uint8_t>> he_weights_bin(const Model& model, uint64_t seed, const LayerFactors& factors);

// Factors in layer order: each weighted layer's output RMS on `inputs` -> 1.
Result<LayerFactors> he_factors(const Model& model, uint64_t seed, const std::vector<engine::Tensor>& inputs);

} // namespace ncnn_int8::test
