// The .table text: weight lines, then activation lines, then the fixed
// (Embed, MultiHeadAttention, RNN, LSTM, GRU) lines, every value followed by
// a space, as ncnn2table writes them.
#pragma once

#include <string>
#include <vector>

#include "calib/weight_scales.h"
#include "core/diagnostics.h"
#include "model/model.h"

namespace ncnn_int8 {

// `full_precision`: %.9g (round-trips every float) instead of %f. With %f, a
// value that prints as 0.000000 gets a warning naming its layer.
std::string write_table(const Model& model, const std::vector<ScaleLine>& weight_lines, const std::vector<ScaleLine>& activation_lines,
                        const std::vector<ScaleLine>& fixed_lines, bool full_precision, Diagnostics& diagnostics);

} // namespace ncnn_int8
