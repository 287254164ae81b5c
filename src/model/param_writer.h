// Writes the text .param the way the reference ncnn2int8 writes it, plus the
// params it would lose (see WriteRule::Kept and README "Differences").
#pragma once

#include <string>
#include <vector>

#include "model/model.h"

namespace ncnn_int8 {

// `params[i]` are the params to write for model.layers[i] (the planner's
// output params; equal to the input's for layers it leaves alone).
std::string write_param_text(const Model& model, const std::vector<LayerParams>& params);

// One layer's params in reference style (no leading type/name/blobs).
std::string format_layer_params(const LayerSchema& schema, const LayerParams& params);

} // namespace ncnn_int8
