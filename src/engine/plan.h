// The execution plan: which layers run, in which order, and when each blob
// can be freed (after its last consumer), as ONNX Runtime plans values.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/layer.h"
#include "model/param_file.h"

namespace ncnn_int8::engine {

struct PlanStep {
    size_t layer = 0;  // index into Model::layers
    std::string label; // "model.param:12: Convolution 'conv1'"
    std::unique_ptr<LayerForward> forward;
    std::vector<int> bottoms; // blob ids
    std::vector<int> tops;
};

struct ExecutionPlan {
    std::vector<std::string> blob_names; // id -> name
    std::unordered_map<std::string, int> blob_ids;
    std::vector<PlanStep> steps;          // topological (.param) order
    std::vector<int> last_use;            // blob id -> last step reading it, -1: none
    std::vector<std::string> input_names; // Input layers' tops, .param order
    std::vector<BlobShape> input_hints;
    std::vector<int> input_ids;
    std::vector<bool> wanted; // blob id -> planned for on_blob
};

} // namespace ncnn_int8::engine
