// The model as ncnn's loader sees it: each layer with its schema and its
// params resolved (given values, then defaults), checked like load_param.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/status.h"
#include "model/layer_params.h"
#include "model/layer_schema.h"
#include "model/param_file.h"

namespace ncnn_int8 {

struct ModelLayer {
    const LayerDecl* decl = nullptr;
    const LayerSchema* schema = nullptr; // nullptr: a custom layer ncnn does not define
    LayerParams params;
    int32_t feature_mask = 0;

    std::string label() const { return decl->type + " '" + decl->name + "'"; }
};

// Move-only: each layer's decl points into file.layers (a move keeps the
// vector's storage, a copy would leave the copy pointing into the original).
struct Model {
    ParamFile file;
    std::vector<ModelLayer> layers;

    Model() = default;
    Model(Model&&) = default;
    Model& operator=(Model&&) = default;
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;
};

// Resolves every layer of `file` against the schema (kinds, defaults,
// ncnn's load checks). Custom layer types get a warning, no params, no weights.
Result<Model> build_model(ParamFile file, Diagnostics& diagnostics);

// Values of params that were not given: the default of `spec` evaluated
// against `params` (SameAs reads the other param, Computed calls its fn).
ParamValue default_value(const ParamSpec& spec, const LayerParams& params);

// The params a layer of this type holds when loaded from an empty dict.
const LayerParams& empty_dict_params(const LayerSchema& schema);

} // namespace ncnn_int8
