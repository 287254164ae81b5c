// The fuzz targets' bodies, shared by the libFuzzer executables (build-asan/,
// -DNCNN_INT8_FUZZ=ON) and by the regression replay (ncnn_int8_fuzz_replay,
// a plain executable in the normal and the sanitizer builds) so a committed
// regression input runs through exactly the code the fuzzer ran.
//
//   fuzz_param     read_param_text + build_model, then the writer round trip
//   fuzz_table     read_calibration_table
//   fuzz_bin       a fixed small .param with many layer types (and its table)
//                  + the fuzzed bytes as the .bin, through quantize_model
//   fuzz_pipeline  param / bin / table framed in one input, whole quantize_model
//   fuzz_llm_table an .llm.table applied to a fixed small model (fuzz_llm.cpp)
//   fuzz_npy       parse_npy + check_npy_shape (ncnn2table's .npy inputs)
//   fuzz_calib_options  the input as NUL-separated ncnn2table arguments:
//                  parse_calib_options + check_calib_options, the whole command
//                  line (parse_ncnn2table_args), and as a list file
//
// Every target returns at once for inputs over kMaxInput. When quantize_model
// succeeds, its output must load again (parse, resolve, index the .bin);
// otherwise the target aborts: a written model ncnn-int8 itself refuses is a bug.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/byte_io.h"
#include "quant/report.h"

namespace ncnn_int8::fuzz {

constexpr size_t kMaxInput = 1 << 20;

int fuzz_param(const uint8_t* data, size_t size);
int fuzz_table(const uint8_t* data, size_t size);
int fuzz_bin(const uint8_t* data, size_t size);
int fuzz_pipeline(const uint8_t* data, size_t size);
int fuzz_llm_table(const uint8_t* data, size_t size);
int fuzz_npy(const uint8_t* data, size_t size);
int fuzz_calib_options(const uint8_t* data, size_t size);

// quantize_model on in-memory inputs named in.param / in.bin / in.table
// (`like_first_tag`: QuantizeRequest::index_like_first_tag).
Result<Report> quantize_in_memory(std::string_view param, const uint8_t* bin, size_t bin_size,
                                  std::optional<std::string_view> table, MemorySink& param_out, MemorySink& bin_out, bool like_first_tag = false);

// Runs the named target ("fuzz_param", ...) on one input; -1 for an unknown name.
int run_target(std::string_view target, const uint8_t* data, size_t size);

// fuzz_bin's fixed model.
extern const char kBinTargetParam[];
extern const char kBinTargetTable[];
// fuzz_llm_table's fixed model.
extern const char kLlmTargetParam[];
std::string llm_target_bin();

// fuzz_pipeline's framing: PARAM "\0\0BIN\0\0" BIN ["\0\0TBL\0\0" TABLE].
// Without the BIN separator the whole input is the param and the .bin is
// empty; the TBL separator is searched from the end, so the .bin may hold anything.
struct PipelineParts {
    std::string_view param, bin;
    std::optional<std::string_view> table;
};
PipelineParts split_pipeline(const uint8_t* data, size_t size);
std::string join_pipeline(std::string_view param, std::string_view bin, const std::string* table);

} // namespace ncnn_int8::fuzz
