// The text .param as written: one LayerDecl per layer line, params as given.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "model/param_value.h"

namespace ncnn_int8 {

// ncnn's generic params, valid for every layer type.
constexpr int kShapeHintId = 30;   // written as -23330=...: per-top shapes
constexpr int kFeatureMaskId = 31; // features ncnn must not use for this layer

// A blob shape as ncnn's Mat holds it after reading a shape hint.
struct BlobShape {
    int dims = 0; // 0: unknown
    int w = 0, h = 0, d = 0, c = 0;
};

struct LayerDecl {
    int line = 0; // 1-based line in the .param
    std::string type;
    std::string name;
    std::vector<std::string> bottoms;
    std::vector<std::string> tops;
    std::vector<std::pair<int, ParamValue>> params; // as given, in order
    std::string params_text;                        // the text after the blob names, verbatim
    std::vector<BlobShape> top_shapes;              // from -23330, one per top (dims 0 if none)

    const ParamValue* find(int id) const
    {
        for (const auto& p : params)
            if (p.first == id) return &p.second;
        return nullptr;
    }
};

struct ParamFile {
    std::string file_name;
    int declared_layer_count = 0;
    int declared_blob_count = 0;
    std::vector<LayerDecl> layers;
};

// Limits that keep hostile input from exhausting memory (see README).
constexpr size_t kMaxLayers = 100000; // ~7 KB of memory per layer (LayerParams), so at most ~0.7 GB
constexpr size_t kMaxBlobsPerLayer = 65536;
constexpr size_t kMaxArrayLength = 1 << 20;
constexpr size_t kMaxNameLength = 255; // ncnn reads names with %255s

Result<ParamFile> read_param_text(std::string_view text, const std::string& file_name);

} // namespace ncnn_int8
