// Facts about a model the RSS target needs: its largest layer as fp32.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace ncnn_int8::bench {

struct ModelStats {
    size_t layers = 0;
    uint64_t bin_bytes = 0;
    std::string largest_layer;             // "Type 'name'"
    uint64_t largest_layer_fp32_bytes = 0; // sum of its blobs' element counts x 4
};

Result<ModelStats> model_stats(const std::string& model_dir);

} // namespace ncnn_int8::bench
