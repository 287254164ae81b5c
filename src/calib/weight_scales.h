// The weight-scale lines of an ncnn2table table, computed from the model
// alone: Convolution / ConvolutionDepthWise / InnerProduct per output
// channel (127/absmax, 31/absmax for 3x3 stride-1 dilation-1 Convolution;
// aciq clips first), and the method-independent lines of Embed,
// MultiHeadAttention, RNN, LSTM and GRU.
#pragma once

#include <string>
#include <vector>

#include "calib/calib_options.h"
#include "core/byte_io.h"
#include "core/status.h"
#include "model/bin_reader.h"
#include "model/model.h"

namespace ncnn_int8 {

struct ScaleLine {
    std::string key; // "conv1_param_0", or the layer name for an activation scale
    std::vector<float> values;
    size_t layer = 0; // index into Model::layers
};

// The layers ncnn2table calibrates, in layer order.
std::vector<size_t> calibrated_layers(const Model& model);
bool is_calibrated_type(const std::string& type);

struct WeightScales {
    std::vector<ScaleLine> conv;  // one per calibrated_layers() entry (only with activations)
    std::vector<ScaleLine> fixed; // Embed, then MultiHeadAttention, RNN, LSTM, GRU lines
};

// `with_activations`: the conv lines are written only when calibrating
// activations (the reference's weight-only table has just the fixed lines).
Result<WeightScales> compute_weight_scales(const Model& model, const std::vector<LayerBlobs>& index, ByteSource& bin,
                                           const std::string& bin_name, CalibMethod method, bool with_activations);

// ncnn2table's aciq clipping threshold for `absmax` over N values.
float aciq_threshold(float absmax, int n, int bits);

} // namespace ncnn_int8
