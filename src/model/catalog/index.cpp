// The catalog's index: every family's entries in one table, and lookup by
// type name. check_layer_schema() states what a well-formed entry is; the
// unit tests run it on every entry (tests/unit/schema_test.cpp), so a run does
// not pay for it at start-up (in WebAssembly, before the code is optimized, the
// check was a visible share of a first run).
//
// For each of the 110 layer types of ncnn's src/layer/ the entries record
// what ncnn's load_param reads (id, kind, default), the order and rule by
// which the reference ncnn2int8 writer prints those params, the blobs
// load_model reads from the .bin, and the param combinations ncnn refuses to
// load. Build options assumed: NCNN_INT8, NCNN_WEIGHT_QUANT, NCNN_BATCH and
// NCNN_STRING all ON.
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
    if (schema.int8) {
        const Int8Facts& f = *schema.int8;
        auto is_param = [&](IntParam h) {
            const ParamSpec* p = schema.find_param(h.id);
            return p && p->name == h.name && p->kind == ValueKind::Int;
        };
        auto has_blob = [&](const std::string& name) {
            for (const BlobSpec& b : schema.blobs)
                if (b.name == name) return true;
            return false;
        };
        if (!is_param(f.flag)) problems.push_back(at + "the int8 flag is not an int param of the type");
        if (f.dynamic_weight.id >= 0 && !is_param(f.dynamic_weight)) problems.push_back(at + "dynamic_weight is not an int param of the type");
        if ((f.scheme == Int8Scheme::TableScales) == f.weights.empty()) problems.push_back(at + "int8 weights must be listed exactly for table scales");
        for (size_t k = 0; k < f.weights.size(); k++) {
            const Int8Weight& w = f.weights[k];
            if (!has_blob(w.weight) || !has_blob(w.scales)) problems.push_back(at + "int8 weight " + w.weight + " / " + w.scales + " is not a blob of the type");
            if (w.table_key != static_cast<int>(k)) problems.push_back(at + "int8 weight " + w.weight + " must use table key " + std::to_string(k));
            if (!w.rows) problems.push_back(at + "int8 weight " + w.weight + " has no row count");
        }
    }
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
