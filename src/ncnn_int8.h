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
};

// Writes the int8 .param and .bin to the sinks and commits them only when
// everything succeeded. On error nothing is committed and the Status names
// the file, the layer or line, and the reason.
Result<Report> quantize_model(const QuantizeRequest& request, ByteSink& param_out, ByteSink& bin_out);

} // namespace ncnn_int8
