// Weight-only block quantization of LLM weights (Gemm and MultiHeadAttention)
// to int4/int6/int8, as ncnn's ncnnllm2table and ncnnllm2int do it, streamed:
// the .bin is indexed, then read layer by layer, once.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "core/status.h"
#include "ncnn_int8.h"

namespace ncnn_int8 {

struct LlmOptions {
    std::string method = "minmax"; // minmax or mseclip (awq/gptq need calibration data)
    int bits = 6;                  // 4, 6 or 8
    int block = 64;                // 32, 64 or 128
    int threads = 0;               // 0: one per hardware thread (results never depend on it)
    // A weight is read this many bytes of fp32 rows at a time (at least one
    // row); results never depend on it.
    size_t window_bytes = size_t(16) << 20;
};

struct LlmLayerReport {
    std::string type, name;
    std::string action; // "quantized", "skipped" (an LLM layer left in float) or "unchanged"
    std::string reason;
    int bits = 0, block = 0;
    std::string method; // minmax / mseclip / table / awq / gptq
    uint64_t bytes_in = 0, bytes_out = 0;
    bool has_sqnr = false;
    double sqnr_db = 0; // of the dequantized weights against the fp32 ones
};

struct LlmReport {
    std::string operation; // "table" or "quantize"
    std::string simd_target;
    std::vector<std::string> log; // the reference's progress lines, in order
    std::vector<LlmLayerReport> layers;
    int table_rows = 0;
    uint64_t bin_bytes_in = 0, bin_bytes_out = 0, param_bytes_out = 0, table_bytes_out = 0;
};

std::string llm_report_to_json(const LlmReport& report);

struct LlmTableRequest {
    TextInput param;
    std::string bin_name;
    ByteSource* bin = nullptr;
    LlmOptions options;
    bool measure_error = false;                       // also quantize to report each layer's SQNR
    std::function<bool(const Progress&)> on_progress; // false cancels
    // As QuantizeRequest's: the .bin indexed from its first tag, and a
    // failed run on that index run again on every tag read, table_out
    // rewound (it must rewind).
    bool index_like_first_tag = false;
};

// ncnnllm2table: one row per qualifying weight, in graph order.
Result<LlmReport> make_llm_table(const LlmTableRequest& request, ByteSink& table_out);

struct LlmQuantizeRequest {
    TextInput param;
    std::string bin_name;
    ByteSource* bin = nullptr;
    // The table route, from text in memory or (when table_source is set) read
    // as a stream from a source named table_name; with neither the direct
    // form with `options`.
    std::optional<TextInput> table;
    ByteSource* table_source = nullptr;
    std::string table_name;
    LlmOptions options;
    // Reads a gptq qweight file named by the table (resolved path).
    std::function<Result<std::string>(const std::string& path)> read_file;
    bool measure_error = false;                       // SQNR per layer in the report (costs a little time)
    std::function<bool(const Progress&)> on_progress; // false cancels
    // As LlmTableRequest's; the sinks of the .bin and the table rewind.
    bool index_like_first_tag = false;
};

// ncnnllm2int: the weight-only quantized .param and .bin, committed only
// when everything succeeded.
Result<LlmReport> llm_quantize(const LlmQuantizeRequest& request, ByteSink& param_out, ByteSink& bin_out);

// ncnnllm2table and then ncnnllm2int on its table, in one read of the .bin
// (the direct form: `options`, no table in the request): each weight's block
// scales are chosen once, written to table_out as ncnnllm2table writes them
// and used to pack the weight. The table is byte for byte make_llm_table's,
// the model llm_quantize's from that table. Every sink is committed only
// when everything succeeded.
Result<LlmReport> llm_table_and_quantize(const LlmQuantizeRequest& request, ByteSink& table_out, ByteSink& param_out, ByteSink& bin_out);

} // namespace ncnn_int8
