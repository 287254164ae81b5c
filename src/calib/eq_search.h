// method=eq: ncnn2table's per-channel scale search, as its source means it
// (inputs read per file and per Input layer, where the reference indexes
// them by layer and channel and crashes). Starting from the kl scales, for
// each calibrated layer in order: every weight scale (per output channel;
// per group for ConvolutionDepthWise), then the activation scale, is set to
// the best of 100 candidates in [0.5, 2) x the current value, "best" being
// the highest cosine between the layer's fp32 output and its int8 forward
// summed over the first min(files, 50) files. The int8 forward is computed
// as ncnn's x86 int8 layers compute it: inputs and weights rounded as its
// quantize() does, int32 sums, then sum * 1/(bottom * weight scale) + bias
// (a fused multiply-add for Convolution, as ncnn's FMA builds dequantize),
// then the fused activation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "calib/calibrate.h"
#include "calib/weight_scales.h"
#include "core/status.h"
#include "core/thread_team.h"
#include "engine/layers/activation.h"
#include "model/bin_reader.h"

namespace ncnn_int8 {

// Refines `weight_lines` (one per calibrated layer, in `layers` order) and
// `activation_scales` (same order) in place. The members of `team` share
// the files; the result does not depend on their number.
Status eq_search(const CalibrationJob& job, const std::vector<size_t>& layers, const std::vector<LayerBlobs>& index,
                 std::vector<ScaleLine>& weight_lines, std::vector<float>& activation_scales, ThreadTeam& team);

namespace eq {

// One calibrated layer as its int8 forward needs it.
struct Int8Layer {
    std::string name;
    bool dense = false; // InnerProduct; else Convolution / ConvolutionDepthWise
    int num_output = 0, group = 1;
    int kw = 1, kh = 1, dw = 1, dh = 1, sw = 1, sh = 1;
    int pad_left = 0, pad_right = 0, pad_top = 0, pad_bottom = 0;
    float pad_value = 0.f;
    // Convolution dequantizes through Dequantize's fused multiply-add (ncnn's
    // FMA builds); InnerProduct and the depthwise paths multiply, then add.
    bool fused_dequant = false;
    int scale_count = 0; // weight scales: num_output, or group for ConvolutionDepthWise
    std::vector<float> weight, bias;
    engine::FusedActivation act;

    size_t per_output() const { return weight.size() / static_cast<size_t>(num_output); }
    size_t outputs_per_scale() const { return static_cast<size_t>(num_output / scale_count); }
};

// The layer input, quantized (and, for a convolution, bordered).
struct QuantInput {
    std::vector<int8_t> data;
    int rows = 1;            // dense: rows of row_len (a 2-D input whose w is num_input)
    size_t row_len = 0;      // dense
    int w = 0, h = 0, c = 0; // convolution: bordered planes
    int outw = 0, outh = 0;
};

// int32 sums of output channel p (weights wq: that channel's int8 weights).
void channel_sums(const Int8Layer& L, const QuantInput& q, int p, const int8_t* wq, int32_t* acc);
// Adds to channel p's sums `acc` what weights `delta` contribute. The sums
// are linear in the weights and exact (integers), so with the differences
// between two int8 weight sets this turns the first set's sums into
// exactly the second's, running only the weights that differ.
void add_channel_sums(const Int8Layer& L, const QuantInput& q, int p, const int16_t* delta, int32_t* acc);

} // namespace eq

} // namespace ncnn_int8
