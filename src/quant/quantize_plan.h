// The plan: from the param, the table and the .bin's index alone, what each
// layer becomes (its output params, where its scales come from, requantize
// fusion). Streaming the weights then only follows the plan.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "core/diagnostics.h"
#include "core/status.h"
#include "model/bin_reader.h"
#include "model/model.h"
#include "quant/calibration_table.h"

namespace ncnn_int8 {

enum class LayerAction : uint8_t {
    Int8,      // weights quantized to int8 by this run
    Fp16,      // float weights stored as fp16
    Unchanged, // no tagged float weights (or already int8)
    Skipped,   // a quantizable layer left in float (weights fp16), see reason
};
const char* action_name(LayerAction a);

struct LayerPlan {
    LayerAction action = LayerAction::Unchanged;
    std::string reason;
    const Int8Facts* int8 = nullptr;      // the layer type's int8 facts (catalog), null: not quantized
    bool quantize_weights = false;        // this run quantizes float weights
    bool scales_from_bin = false;         // int8 flag already set: use the stored scales
    bool int8_weights_after_load = false; // weights are int8 once ncnn loads the output (for fusion)
    LayerParams out_params;
    std::vector<std::vector<float>> weight_scales; // table _param_0.._param_3
    float input_scale = 0.f;
    std::optional<float> top_scale; // requantize fusion: the consumer's input scale
    std::string fused_into;         // consumer layer (or Split) name
};

struct QuantizePlan {
    std::vector<LayerPlan> layers;
};

// `table` may be null (no table given). Errors name the file and layer.
Result<QuantizePlan> plan_quantization(const Model& model, const CalibrationTable* table,
                                       const std::vector<LayerBlobs>& index, ByteSource& bin,
                                       const std::string& bin_name, Diagnostics& diagnostics);

} // namespace ncnn_int8
