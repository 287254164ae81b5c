// The benchmark's results per model and their two forms: a text table for
// people and JSON for tools.
#pragma once

#include <string>
#include <vector>

#include "io_bound.h"
#include "model_cache.h"
#include "model_stats.h"
#include "quantize_run.h"

namespace ncnn_int8::bench {

// The RSS budget: a fixed allowance plus one layer's fp32 weights.
constexpr uint64_t kRssAllowanceBytes = 64ull << 20;

struct ModelResult {
    std::string kind;
    CachedModel model;
    ModelStats stats;
    IoBound io;
    std::vector<QuantizeRun> runs;

    double quantize_seconds() const; // median
    uint64_t peak_rss_kb() const;    // max over runs
    uint64_t rss_limit_kb() const { return (kRssAllowanceBytes + stats.largest_layer_fp32_bytes) / 1024; }
};

struct BenchResults {
    int repeats = 0;
    std::vector<ModelResult> models;
};

std::string results_to_text(const BenchResults& results);
std::string results_to_json(const BenchResults& results);

} // namespace ncnn_int8::bench
