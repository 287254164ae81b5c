// The catalog's index: every family's entries in one table, checked once when
// it is built, and lookup by type name.
//
// For each of the 110 layer types of ncnn's src/layer/ the entries record
// what ncnn's load_param reads (id, kind, default), the order and rule by
// which the reference ncnn2int8 writer prints those params, the blobs
// load_model reads from the .bin, and the param combinations ncnn refuses to
// load. Build options assumed: NCNN_INT8, NCNN_WEIGHT_QUANT, NCNN_BATCH and
// NCNN_STRING all ON.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include "model/catalog/builders.h"

namespace ncnn_int8 {

std::vector<std::string> check_layer_schema(const LayerSchema& schema)
{
    std::vector<std::string> problems;
    const std::string at = schema.type + ": ";
    for (size_t a = 0; a < schema.params.size(); a++) {
        const ParamSpec& p = schema.params[a];
        if (p.id < 0 || p.id >= kMaxParamId) problems.push_back(at + "param " + p.name + " has id " + std::to_string(p.id) + " outside 0..31");
        for (size_t b = a + 1; b < schema.params.size(); b++)
            if (schema.params[b].id == p.id)
                problems.push_back(at + "params " + p.name + " and " + schema.params[b].name + " share id " + std::to_string(p.id));
        bool own = false;
        for (const ParamRef& h : schema.handles)
            own = own || (h.id == p.id && p.name == h.name && h.kind == p.kind);
        if (!own) problems.push_back(at + "param " + std::to_string(p.id) + " " + p.name + " is not a handle of params::" + schema.type + " (wrong type or kind)");
        const int other = p.def.form == ParamDefault::Form::SameAs ? p.def.same_as : p.partner;
        if (other >= 0 && !schema.find_param(other))
            problems.push_back(at + "param " + p.name + " refers to id " + std::to_string(other) + ", which the type does not have");
    }
    for (const ParamRef& h : schema.handles)
        if (!schema.find_param(h.id)) problems.push_back(at + "handle " + h.name + " has no param in the entry");
    return problems;
}

namespace {

std::vector<LayerSchema> build_table()
{
    std::vector<LayerSchema> t;
    catalog::add_convolution_layers(t);
    catalog::add_pooling_layers(t);
    catalog::add_dense_layers(t);
    catalog::add_recurrent_layers(t);
    catalog::add_attention_layers(t);
    catalog::add_normalization_layers(t);
    catalog::add_activation_layers(t);
    catalog::add_elementwise_layers(t);
    catalog::add_shape_layers(t);
    catalog::add_quantization_layers(t);
    catalog::add_detection_layers(t);
    catalog::add_audio_layers(t);

    // A broken entry is a programming error: stop before anything reads it.
    bool ok = true;
    for (size_t a = 0; a < t.size(); a++) {
        for (const std::string& problem : check_layer_schema(t[a])) {
            std::fprintf(stderr, "layer catalog: %s\n", problem.c_str());
            ok = false;
        }
        for (size_t b = a + 1; b < t.size(); b++)
            if (t[a].type == t[b].type) {
                std::fprintf(stderr, "layer catalog: %s is listed twice\n", t[a].type.c_str());
                ok = false;
            }
    }
    if (!ok) std::abort();
    return t;
}

} // namespace

const std::vector<LayerSchema>& all_layer_schemas()
{
    static const std::vector<LayerSchema> table = build_table();
    return table;
}

const LayerSchema* find_layer_schema(std::string_view type)
{
    // Keys view the type strings of the static table, which never changes.
    static const std::unordered_map<std::string_view, const LayerSchema*> index = [] {
        std::unordered_map<std::string_view, const LayerSchema*> m;
        for (const LayerSchema& s : all_layer_schemas())
            m.emplace(s.type, &s);
        return m;
    }();
    const auto it = index.find(type);
    return it == index.end() ? nullptr : it->second;
}

} // namespace ncnn_int8
