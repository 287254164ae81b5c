#include "model/model.h"

#include <cmath>
#include <map>
#include <mutex>

#include "model/param_text.h"

namespace ncnn_int8 {

namespace {

const char* kind_name(ValueKind k)
{
    switch (k) {
    case ValueKind::Int: return "an integer";
    case ValueKind::Float: return "a float";
    case ValueKind::IntArray: return "an integer array";
    case ValueKind::FloatArray: return "a float array";
    case ValueKind::String: return "a string";
    }
    return "?";
}

bool is_scalar(ValueKind k) { return k == ValueKind::Int || k == ValueKind::Float; }

// Fills the params that were not given, in dependency order: constants,
// then SameAs chains (pad_bottom -> pad_top -> pad_left), then Computed.
void fill_defaults(const LayerSchema& schema, LayerParams& params)
{
    for (const ParamSpec& spec : schema.params)
        if (!params.has(spec.id) && spec.def.form == ParamDefault::Form::Constant) params.set(spec.id, spec.def.constant);
    for (size_t pass = 0; pass < schema.params.size(); pass++) {
        bool progressed = false;
        for (const ParamSpec& spec : schema.params) {
            if (params.has(spec.id) || spec.def.form != ParamDefault::Form::SameAs) continue;
            if (params.has(spec.def.same_as)) {
                params.set(spec.id, params.get(spec.def.same_as));
                progressed = true;
            }
        }
        if (!progressed) break;
    }
    for (const ParamSpec& spec : schema.params)
        if (!params.has(spec.id) && spec.def.form == ParamDefault::Form::Computed) params.set(spec.id, spec.def.compute(params));
}

} // namespace

ParamValue default_value(const ParamSpec& spec, const LayerParams& params)
{
    switch (spec.def.form) {
    case ParamDefault::Form::Constant: return spec.def.constant;
    case ParamDefault::Form::SameAs: return params.get(spec.def.same_as);
    case ParamDefault::Form::Computed: return spec.def.compute(params);
    }
    return spec.def.constant;
}

const LayerParams& empty_dict_params(const LayerSchema& schema)
{
    static std::mutex lock;
    static std::map<const LayerSchema*, LayerParams> cache;
    std::lock_guard<std::mutex> guard(lock);
    auto it = cache.find(&schema);
    if (it != cache.end()) return it->second;
    LayerParams params;
    fill_defaults(schema, params);
    return cache.emplace(&schema, params).first->second;
}

// Given values (kinds checked, reinterpreted as ncnn reads them), then
// defaults, then ncnn's load checks.
static Result<LayerParams> resolve_params(const LayerSchema& schema, const LayerDecl& decl, const std::string& file,
                                          Diagnostics& diagnostics)
{
    const std::string where = file + ":" + std::to_string(decl.line);
    const std::string label = decl.type + " '" + decl.name + "'";
    const Location at{file, decl.line, label};
    LayerParams params;
    for (const auto& [id, given] : decl.params) {
        if (id == kShapeHintId || id == kFeatureMaskId) continue;
        const ParamSpec* spec = schema.find_param(id);
        if (!spec) {
            diagnostics.warn(where, label, "param " + std::to_string(id) + " is not read by ncnn's " + decl.type + "; it is dropped");
            continue;
        }
        const bool want_scalar = is_scalar(spec->kind), got_scalar = is_scalar(given.kind);
        const bool want_array = is_array(spec->kind), got_array = is_array(given.kind);
        const bool compatible = (want_scalar && got_scalar) || (want_array && got_array) || (spec->kind == ValueKind::String && given.kind == ValueKind::String);
        if (!compatible)
            return Status::error(ErrorCode::Input, at, "param " + std::to_string(id) + " (" + spec->name + ") must be " + kind_name(spec->kind) + ", got " + kind_name(given.kind) + (given.kind == ValueKind::String ? " '" + given.text + "'" : std::string()));
        ParamValue value = given;
        if (given.kind != spec->kind) {
            // ncnn keeps the raw 32-bit word and reads it as the field's type.
            std::string seen;
            if (spec->kind == ValueKind::Float) {
                seen = "gives ";
                append_float(seen, given.as_float());
            } else if (spec->kind == ValueKind::Int) {
                seen = "gives ";
                append_int(seen, given.as_int());
            } else {
                seen = "reinterprets its elements";
            }
            diagnostics.warn(where, label, "param " + std::to_string(id) + " (" + spec->name + ") is written as " + kind_name(given.kind) + " but ncnn reads it as " + kind_name(spec->kind) + ", which " + seen + "; kept as ncnn reads it");
            value.kind = spec->kind;
        }
        // A float ncnn's text format cannot hold (the writer would print inf
        // or nan, which no reader takes back): from an overflowing literal
        // or from an integer's bits read as a float.
        bool finite = true;
        if (value.kind == ValueKind::Float) finite = std::isfinite(value.as_float());
        if (value.kind == ValueKind::FloatArray)
            for (size_t k = 0; k < value.items.size() && finite; k++) finite = std::isfinite(value.item_float(k));
        if (!finite)
            return Status::error(ErrorCode::Input, at, "param " + std::to_string(id) + " (" + spec->name + ") is not a finite number as ncnn reads it; a model holding it cannot be written back in a form ncnn loads");
        params.set(id, std::move(value));
    }
    fill_defaults(schema, params);
    for (const LoadCheck& check : schema.checks)
        if (!check.holds(params)) return Status::error(ErrorCode::Input, at, std::string(check.requirement) + " (ncnn refuses to load this layer)");
    return params;
}

Result<Model> build_model(ParamFile file, Diagnostics& diagnostics)
{
    Model model;
    model.file = std::move(file);
    model.layers.reserve(model.file.layers.size());
    for (const LayerDecl& decl : model.file.layers) {
        ModelLayer layer;
        layer.decl = &decl;
        layer.schema = find_layer_schema(decl.type);
        if (const ParamValue* mask = decl.find(kFeatureMaskId)) {
            if (mask->kind != ValueKind::Int)
                return Status::error(ErrorCode::Input, {model.file.file_name, decl.line, layer.label()}, "feature mask (param 31) must be an integer");
            layer.feature_mask = mask->as_int();
        }
        if (!layer.schema) {
            diagnostics.warn(model.file.file_name + ":" + std::to_string(decl.line), layer.label(),
                             "layer type " + decl.type + " is not an ncnn layer (a custom layer): its params are kept verbatim and it is assumed to have no weights in the .bin");
        } else {
            ASSIGN_OR_RETURN(layer.params, resolve_params(*layer.schema, decl, model.file.file_name, diagnostics));
        }
        model.layers.push_back(std::move(layer));
    }
    // ModelLayer::decl points into model.file.layers: fix the pointers after the move.
    for (size_t i = 0; i < model.layers.size(); i++) model.layers[i].decl = &model.file.layers[i];
    return model;
}

} // namespace ncnn_int8
