// Deterministic synthetic ncnn models for tests, demos and benchmarks: an
// fp32 (or fp16) .param + .bin and the calibration table ncnn2table would
// write for it.
//
// Kinds: "sample" (~110 KB demo conv net), "families" (every quantized layer
// family and some float ones), "cnn" (ResNet-50-like, ~100 MB), "vit"
// (ViT-B-like, ~345 MB), "vit-tiny" (its layers at ViT-Ti widths, one
// block, ~3 MB), "fp16" (sample with fp16-tagged weights), "decoder"
// (small LLM decoder), "decoder-0.5b" (~1.43 GB), "decoder-4g" (~3.9 GB) and
// "proj-out-0.5b" (one 151936 x 896 Gemm, ~544 MB).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace ncnn_int8 {

// The kinds generate_model accepts.
const std::vector<std::string>& model_kinds();

// Writes out_dir/model.param, model.bin (streamed) and model.table.
// out_dir must exist. The same kind and seed give the same bytes. `blocks`
// > 0 sets the number of repeated blocks (vit), for models of other sizes.
// `layout_only` (fp32 kinds): model.layout.json instead of model.bin,
// {"bin_bytes": N, "fp32_tags": [offset, ...]}: enough to make up weights
// of the right shape where shipping them would cost a download (the page's
// warm-up model).
Status generate_model(const std::string& kind, const std::string& out_dir, uint64_t seed, int blocks = 0, bool layout_only = false);

struct GeneratedModel {
    std::string param, table;
    std::vector<uint8_t> bin;
};

// The same model in memory (meant for the small kinds).
Result<GeneratedModel> generate_model_in_memory(const std::string& kind, uint64_t seed);

} // namespace ncnn_int8
