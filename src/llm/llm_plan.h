// The plan of ncnnllm2int: which Gemm / MultiHeadAttention layers are
// quantized and with what (table rows or the direct method), decided from the
// param, the .bin's index and the table before any weight is read, with the
// reference's order of checks and messages.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "llm/llm.h"
#include "llm/llm_layers.h"
#include "llm/llm_quantize.h"
#include "llm/llm_table.h"
#include "model/bin_reader.h"
#include "model/model.h"

namespace ncnn_int8 {

struct LlmWeightPlan {
    LlmWeight weight;
    std::vector<float> scales;       // block scales: read from the table or computed while streaming
    LlmTableRow table_row;           // table route: where the row's scales are in the table
    std::vector<float> input_scales; // awq rows
    std::string qweight;             // gptq: packed bytes come from this file
};

struct LlmLayerPlan {
    bool quantize = false;
    bool from_table = false;
    int bits = 0, block = 0;
    bool input_scales = false;
    std::vector<LlmWeightPlan> weights;
    std::string reason; // why an LLM layer stays in float
};

struct LlmPlan {
    std::vector<LlmLayerPlan> layers;
    std::vector<std::string> log;
};

// The direct form's / the table maker's options: the method by name, then
// bits and block (4/6/8, 32/64/128).
Result<LlmMethod> check_llm_direct_options(const LlmOptions& options, bool table_maker);

// Direct form: every qualifying layer at options' bits/block.
LlmPlan plan_llm_direct(const Model& model, const std::vector<LayerBlobs>& index, const LlmOptions& options);

// Table route. `table` (the index of `table_source`) is consumed: its rows
// move into the plan.
Result<LlmPlan> plan_llm_from_table(const Model& model, const std::vector<LayerBlobs>& index, LlmTable& table,
                                    ByteSource& table_source, const std::string& table_name,
                                    const std::function<Result<std::string>(const std::string&)>& read_file);

} // namespace ncnn_int8

namespace ncnn_int8 {

// The .param, checked like ncnn's load_param, and a .bin given for it
// (indexed then by index_bin, or run_on_index).
Result<Model> load_llm_param(const TextInput& param, ByteSource* bin, const std::string& bin_name, Diagnostics& diagnostics);

// A pass's view of the model and its .bin index.
struct LlmModel {
    const Model& model;
    const std::vector<LayerBlobs>& index;
};

} // namespace ncnn_int8
