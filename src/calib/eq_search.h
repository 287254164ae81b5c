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
#include "model/bin_reader.h"

namespace ncnn_int8 {

// Refines `weight_lines` (one per calibrated layer, in `layers` order) and
// `activation_scales` (same order) in place. The members of `team` share
// the files; the result does not depend on their number.
Status eq_search(const CalibrationJob& job, const std::vector<size_t>& layers, const std::vector<LayerBlobs>& index,
                 std::vector<ScaleLine>& weight_lines, std::vector<float>& activation_scales, ThreadTeam& team);

namespace eq {

// ncnn x86's quantize() of n values with one scale: the first n - n % 4 as
// its vector lanes round (trunc(v + copysign(0.5, v)); NaN and overflow give
// -127), the rest with round(); all clamped to [-127, 127].
void quantize_row(const float* x, size_t n, float scale, int8_t* q);

} // namespace eq

} // namespace ncnn_int8
