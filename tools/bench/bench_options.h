// Command line of ncnn_int8_bench.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace ncnn_int8::bench {

struct BenchOptions {
    std::string models_dir; // where the generated models are kept between runs
    std::vector<std::string> kinds{"vit", "cnn"};
    int repeats = 3;
    std::string json_path; // empty: no JSON file
    uint64_t seed = 1;
    bool help = false;
};

extern const char kBenchUsage[];

Result<BenchOptions> parse_bench_options(int argc, char** argv);

} // namespace ncnn_int8::bench
