// The benchmark's models on disk: generated once, reused while the stamp
// (kind, seed, generator format) still matches.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace ncnn_int8::bench {

struct CachedModel {
    std::string dir; // holds model.param, model.bin, model.table
    bool generated = false;
    double generate_seconds = 0;
};

Result<CachedModel> ensure_model(const std::string& models_dir, const std::string& kind, uint64_t seed);

// mkdir -p
Status make_directories(const std::string& path);

} // namespace ncnn_int8::bench
