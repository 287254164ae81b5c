// One end-to-end quantization from files (FileSource + AtomicFileSink, as
// the CLI does), run in a forked child so its peak RSS is its own: the
// generator's buffers and the parent's I/O buffers do not count.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace ncnn_int8::bench {

struct QuantizeRun {
    double seconds = 0;        // read param/table, open, quantize_model, commit
    uint64_t peak_rss_kb = 0;  // the child's getrusage ru_maxrss (from wait4)
    uint64_t vm_hwm_kb = 0;    // the child's /proc/self/status VmHWM at the end
    uint64_t start_rss_kb = 0; // the child's VmRSS right after fork (inherited)
    uint64_t bin_bytes_in = 0, bin_bytes_out = 0;
    size_t warnings = 0;
};

// Quantizes model_dir/model.{param,bin,table} into out_dir/int8.{param,bin}.
Result<QuantizeRun> run_quantize_in_child(const std::string& model_dir, const std::string& out_dir);

// VmRSS / VmHWM of this process from /proc/self/status, in KiB (0 if unknown).
uint64_t proc_status_kb(const char* field);

} // namespace ncnn_int8::bench
