// The calibration table from ncnn2table: `key v1 v2 ...` per line. Keys with
// `_param_` hold weight scales (`<layer>_param_<k>`); any other key is the
// input-blob scale of the layer with that name.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/status.h"

namespace ncnn_int8 {

struct ScaleEntry {
    std::vector<float> values;
    int line = 0;
};

struct CalibrationTable {
    std::string file_name;
    std::map<std::string, ScaleEntry> input_scales;  // by layer name
    std::map<std::string, ScaleEntry> weight_scales; // by "<layer>_param_<k>"

    const ScaleEntry* input_scale(const std::string& layer) const;
    const ScaleEntry* weight_scale(const std::string& layer, int k) const;
    std::string where(const ScaleEntry& e) const { return file_name + ":" + std::to_string(e.line); }
};

// Like the reference, reading stops at the first empty line (a warning
// says so when more entries follow). Values must be numbers.
Result<CalibrationTable> read_calibration_table(std::string_view text, const std::string& file_name, Diagnostics& diagnostics);

} // namespace ncnn_int8
