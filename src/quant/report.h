// The structured report of a run, shared by every front end: per layer what
// was done and why, bytes in and out; totals; warnings. JSON and text forms.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace ncnn_int8 {

struct LayerReport {
    std::string type;
    std::string name;
    std::string action; // int8 / fp16 / unchanged / skipped
    std::string reason;
    uint64_t bytes_in = 0;
    uint64_t bytes_out = 0;
    double sqnr_db = 0; // signal-to-quantization-noise of int8 weights (0: not quantized)
    std::string fused_into;
};

struct Report {
    std::string tool_version;
    std::string simd_target;
    std::vector<LayerReport> layers;
    std::vector<Warning> warnings;
    uint64_t param_bytes_in = 0, param_bytes_out = 0;
    uint64_t bin_bytes_in = 0, bin_bytes_out = 0;
    int int8_layers = 0, fp16_layers = 0, unchanged_layers = 0, skipped_layers = 0;
};

std::string report_to_json(const Report& report);
// Human-readable summary (what the CLI prints to stderr).
std::string report_to_text(const Report& report);

} // namespace ncnn_int8
