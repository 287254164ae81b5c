// The one entry point that the CLI, the WASM bindings and the tests call:
// parse, plan, stream the weights, write.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/byte_io.h"
#include "core/status.h"
#include "quant/report.h"

namespace ncnn_int8 {

extern const char* const kVersion;

struct Progress {
    size_t layers_done = 0, layers_total = 0;
    uint64_t bytes_done = 0, bytes_total = 0;
};

// A text input: its name (for messages) and contents.
struct TextInput {
    std::string name;
    std::string_view text;
};

struct QuantizeRequest {
    TextInput param;
    std::string bin_name;
    ByteSource* bin = nullptr;
    std::optional<TextInput> table;
    // Called after each layer; return false to cancel.
    std::function<bool(const Progress&)> on_progress;
    // For a .bin whose far reads are slow (a browser's File): index it
    // from its first tag (index_bin_like_first_tag) instead of reading
    // every tag across the file before the run. Any failure of such a run
    // but a cancel, a tag that differs from the first among them, rewinds
    // the .bin's sink and runs again on the tags read, so the output and
    // the errors are those of the file. The .bin's sink must rewind.
    bool index_like_first_tag = false;
};

// Writes the int8 .param and .bin to the sinks and commits them only when
// everything succeeded. On error nothing is committed and the Status names
// the file, the layer or line, and the reason.
Result<Report> quantize_model(const QuantizeRequest& request, ByteSink& param_out, ByteSink& bin_out);

} // namespace ncnn_int8
