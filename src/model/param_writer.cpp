#include "model/param_writer.h"

#include <cstdio>
#include <set>

#include "model/param_text.h"

namespace ncnn_int8 {

namespace {

// C++ field comparison, as the reference's `op->x != op_default->x`
// (floats compare as floats: NaN differs from itself, -0 equals 0).
bool same_value(ValueKind kind, const ParamValue& a, const ParamValue& b)
{
    switch (kind) {
    case ValueKind::Int: return a.as_int() == b.as_int();
    case ValueKind::Float: return a.as_float() == b.as_float();
    case ValueKind::String: return a.text == b.text;
    case ValueKind::IntArray:
    case ValueKind::FloatArray:
        if (a.items.size() != b.items.size()) return false;
        for (size_t i = 0; i < a.items.size(); i++) {
            if (kind == ValueKind::IntArray ? a.item_int(i) != b.item_int(i) : a.item_float(i) != b.item_float(i)) return false;
        }
        return true;
    }
    return false;
}

bool is_set(const ParamValue& v)
{
    return is_array(v.kind) ? !v.items.empty() : v.as_int() != 0;
}

void append_param(std::string& out, int id, ValueKind kind, const ParamValue& v)
{
    out += ' ';
    switch (kind) {
    case ValueKind::Int:
        append_int(out, id);
        out += '=';
        append_int(out, v.as_int());
        break;
    case ValueKind::Float:
        append_int(out, id);
        out += '=';
        append_float(out, v.as_float());
        break;
    case ValueKind::String:
        append_int(out, id);
        out += "=\"";
        out += v.text;
        out += '"';
        break;
    case ValueKind::IntArray:
    case ValueKind::FloatArray:
        append_int(out, -23300 - id);
        out += '=';
        append_int(out, static_cast<int32_t>(v.items.size()));
        for (size_t i = 0; i < v.items.size(); i++) {
            out += ',';
            if (kind == ValueKind::IntArray)
                append_int(out, v.item_int(i));
            else
                append_float(out, v.item_float(i));
        }
        break;
    }
}

bool should_write(const ParamSpec& spec, const LayerSchema& schema, const LayerParams& params)
{
    const ParamValue& v = params.get(spec.id);
    WriteRule rule = schema.reference_writes_params ? spec.rule : WriteRule::Kept;
    switch (rule) {
    case WriteRule::IfNotDefault: return !same_value(spec.kind, v, empty_dict_params(schema).get(spec.id));
    case WriteRule::IfDiffersFromPartner: return !same_value(spec.kind, v, params.get(spec.partner));
    case WriteRule::IfNotEmpty: return !v.items.empty();
    case WriteRule::MarkerWhenPartnerSet: return is_set(params.get(spec.partner));
    case WriteRule::Kept:
        if (is_array(spec.kind)) return !v.items.empty();
        return !same_value(spec.kind, v, default_value(spec, params));
    }
    return false;
}

void append_padded(std::string& out, const std::string& s)
{
    out += s;
    for (size_t n = s.size(); n < 24; n++) out += ' ';
}

} // namespace

std::string format_layer_params(const LayerSchema& schema, const LayerParams& params)
{
    std::string out;
    for (const ParamSpec& spec : schema.params) {
        if (!should_write(spec, schema, params)) continue;
        if (spec.rule == WriteRule::MarkerWhenPartnerSet && schema.reference_writes_params)
            append_param(out, spec.id, ValueKind::Int, ParamValue::from_int(1));
        else
            append_param(out, spec.id, spec.kind, params.get(spec.id));
    }
    return out;
}

std::string write_param_text(const Model& model, const std::vector<LayerParams>& params)
{
    std::set<std::string> blob_names;
    for (const ModelLayer& layer : model.layers) {
        blob_names.insert(layer.decl->bottoms.begin(), layer.decl->bottoms.end());
        blob_names.insert(layer.decl->tops.begin(), layer.decl->tops.end());
    }
    std::string out = "7767517\n";
    append_int(out, static_cast<int32_t>(model.layers.size()));
    out += ' ';
    out += std::to_string(blob_names.size());
    out += '\n';

    for (size_t i = 0; i < model.layers.size(); i++) {
        const ModelLayer& layer = model.layers[i];
        const LayerDecl& decl = *layer.decl;
        append_padded(out, decl.type);
        out += ' ';
        append_padded(out, decl.name);
        out += ' ' + std::to_string(decl.bottoms.size()) + ' ' + std::to_string(decl.tops.size());
        for (const std::string& b : decl.bottoms) out += ' ' + b;
        for (const std::string& t : decl.tops) out += ' ' + t;

        if (!layer.schema) {
            // Custom layer: its params exactly as the input wrote them.
            if (!decl.params_text.empty()) out += ' ' + decl.params_text;
            out += '\n';
            continue;
        }

        // Shape hints only when every output's shape is known, always 5-int.
        bool shapes_known = true;
        for (const BlobShape& s : decl.top_shapes) shapes_known = shapes_known && s.dims != 0;
        if (shapes_known) {
            out += " -23330=" + std::to_string(decl.tops.size() * 5);
            for (const BlobShape& s : decl.top_shapes) {
                for (int v : {s.dims, s.w, s.h, s.d, s.c}) {
                    out += ',';
                    append_int(out, v);
                }
            }
        }
        out += format_layer_params(*layer.schema, params[i]);
        if (layer.feature_mask != 0) {
            out += " 31=";
            append_int(out, layer.feature_mask);
        }
        out += '\n';
    }
    return out;
}

} // namespace ncnn_int8
