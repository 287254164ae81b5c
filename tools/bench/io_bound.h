// The physical bound a streaming quantizer cannot beat: reading the .bin
// (from the page cache) and writing the same bytes to a new file, and a
// memcpy of the same size.
#pragma once

#include <string>

#include "core/status.h"

namespace ncnn_int8::bench {

struct IoBound {
    uint64_t bytes = 0;
    // Medians over the repeats, in seconds.
    double read_seconds = 0;
    double write_seconds = 0;
    double read_write_seconds = 0; // per repeat: read then write
    double memcpy_seconds = 0;
};

// `scratch_dir` gets a temporary copy of the file, removed afterwards.
Result<IoBound> measure_io_bound(const std::string& bin_path, const std::string& scratch_dir, int repeats);

} // namespace ncnn_int8::bench
