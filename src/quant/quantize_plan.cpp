#include "quant/quantize_plan.h"

#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "model/catalog/params.h"

namespace ncnn_int8 {

namespace {

bool has_float_weights(const LayerBlobs& blobs)
{
    for (const BlobLocation& b : blobs.blobs)
        if (b.stored != StoredAs::Raw && b.stored != StoredAs::Int8) return true;
    return false;
}

class Planner {
public:
    Planner(const Model& model, const CalibrationTable* table, const std::vector<LayerBlobs>& index, ByteSource& bin,
            const std::string& bin_name, Diagnostics& diagnostics)
        : model_(model),
          table_(table),
          index_(index),
          bin_(bin),
          bin_name_(bin_name),
          diagnostics_(diagnostics)
    {
    }

    Result<QuantizePlan> run()
    {
        RETURN_IF_ERROR(check_table_names_unique_layers());
        QuantizePlan plan;
        plan.layers.resize(model_.layers.size());
        for (size_t i = 0; i < model_.layers.size(); i++) {
            LayerPlan& lp = plan.layers[i];
            const ModelLayer& layer = model_.layers[i];
            lp.out_params = layer.params;
            if (!layer.schema) {
                lp.action = LayerAction::Unchanged;
                lp.reason = "custom layer: params kept verbatim";
                continue;
            }
            if (layer.schema->int8) {
                lp.int8 = &*layer.schema->int8;
                RETURN_IF_ERROR(plan_int8(*lp.int8, i, lp));
            } else {
                lp.action = has_float_weights(index_[i]) ? LayerAction::Fp16 : LayerAction::Unchanged;
            }
        }
        warn_unused_table_keys();
        RETURN_IF_ERROR(fuse_requantize(plan));
        return plan;
    }

private:
    // A table key names a layer; when two layers share that name the table
    // cannot say which one it means (the reference would quantize both with
    // the same scales): refused, naming both.
    Status check_table_names_unique_layers() const
    {
        if (!table_) return Status::ok();
        std::unordered_map<std::string, std::vector<size_t>> by_name;
        for (size_t i = 0; i < model_.layers.size(); i++) by_name[model_.layers[i].decl->name].push_back(i);
        auto check = [&](const std::string& key, const ScaleEntry& e, const std::string& layer_name) -> Status {
            auto it = by_name.find(layer_name);
            if (it == by_name.end() || it->second.size() < 2) return Status::ok();
            std::string layers;
            for (size_t k = 0; k < it->second.size() && k < 3; k++) {
                const ModelLayer& l = model_.layers[it->second[k]];
                layers += std::string(k ? ", " : "") + l.label() + " (" + model_.file.file_name + ":" + std::to_string(l.decl->line) + ")";
            }
            if (it->second.size() > 3) layers += ", ...";
            return Status::error(ErrorCode::Input, {table_->file_name, e.line}, "'" + key + "' names " + std::to_string(it->second.size()) + " layers called '" + layer_name + "': " + layers + "; the table cannot say which one it means: give the layers unique names");
        };
        for (const auto& [key, e] : table_->input_scales) RETURN_IF_ERROR(check(key, e, key));
        for (const auto& [key, e] : table_->weight_scales) RETURN_IF_ERROR(check(key, e, key.substr(0, key.rfind("_param_"))));
        return Status::ok();
    }

    Location loc(size_t i) const { return {model_.file.file_name, model_.layers[i].decl->line, model_.layers[i].label()}; }
    std::string at(size_t i) const { return model_.file.file_name + ":" + std::to_string(model_.layers[i].decl->line) + ": " + model_.layers[i].label(); }

    Status check_scales(size_t i, const ScaleEntry& e, const std::string& key, int64_t expected, bool is_input)
    {
        const Location where{table_->file_name, e.line, model_.layers[i].label()};
        const std::string entry = "'" + key + "'";
        if (static_cast<int64_t>(e.values.size()) != expected)
            return Status::error(ErrorCode::Input, where, entry + " has " + std::to_string(e.values.size()) + " values but the layer needs " + std::to_string(expected) + "; is the table for another model?");
        for (size_t k = 0; k < e.values.size(); k++) {
            const float v = e.values[k];
            const std::string which = entry + " value " + std::to_string(k + 1);
            if (std::isnan(v)) return Status::error(ErrorCode::Input, where, which + " is NaN");
            if (v < 0) return Status::error(ErrorCode::Input, where, which + " is negative");
            if (is_input && std::isinf(v)) return Status::error(ErrorCode::Input, where, which + " is infinite; an input scale must be finite");
            // ncnn2table prints scales with %f, so a tiny scale reads back as 0.
            if (is_input && v == 0.f)
                diagnostics_.warn(table_->where(e), model_.layers[i].label(), "input scale is 0 (ncnn2table prints scales below 0.0000005 as 0.000000); kept as the reference does, but this layer's int8 input will be all zeros");
        }
        return Status::ok();
    }

    Status plan_int8(const Int8Facts& f, size_t i, LayerPlan& lp)
    {
        const ModelLayer& layer = model_.layers[i];
        const LayerParams& p = layer.params;
        const std::string& name = layer.decl->name;
        const bool flag_set = p.get(f.flag) != 0;
        const BlobLocation* weights = f.weights.empty() ? nullptr : index_[i].find(f.weights[0].weight);
        const bool stored_int8 = weights && weights->stored == StoredAs::Int8;

        if (f.scheme == Int8Scheme::NoWeights) {
            lp.action = LayerAction::Int8;
            lp.reason = flag_set ? "already int8" : "int8 attention (no weights; activations are quantized at run time)";
            if (flag_set) lp.action = LayerAction::Unchanged;
            lp.out_params.set(f.flag, f.flag_value);
            return Status::ok();
        }
        if (f.scheme == Int8Scheme::WeightAbsMax) return plan_gemm(i, lp, flag_set);

        // Which table entries name this layer.
        const ScaleEntry* input = table_ ? table_->input_scale(name) : nullptr;
        std::vector<const ScaleEntry*> keys;
        bool any_key = false;
        for (const Int8Weight& w : f.weights) {
            keys.push_back(table_ ? table_->weight_scale(name, w.table_key) : nullptr);
            any_key = any_key || keys.back();
            if (keys.back()) used_keys_.insert(name + "_param_" + std::to_string(w.table_key));
        }
        if (input) used_keys_.insert(name);
        const bool named = f.needs_input_scale ? input != nullptr : any_key;
        const bool dynamic = p.get(f.dynamic_weight) != 0;

        if (dynamic) {
            lp.action = LayerAction::Unchanged;
            lp.reason = "dynamic weights: nothing to quantize";
            if (named || any_key) diagnostics_.warn(at(i), layer.label(), "the table names this layer, but its weights are an input (dynamic_weight), so it is not quantized");
            return Status::ok();
        }
        if (named && (flag_set || stored_int8))
            return Status::error(ErrorCode::Input, {model_.file.file_name, model_.layers[i].decl->line}, model_.layers[i].label() + " is already int8 (" + (flag_set ? "int8 flag " + std::to_string(p.get(f.flag)) : std::string("int8 weights")) + ") but the table " + (table_ ? table_->file_name : "") + " names it; quantizing it again would corrupt it: remove its lines from the table or start from the float model");
        if (stored_int8 && !flag_set) {
            lp.action = LayerAction::Unchanged;
            lp.reason = "int8 weights without an int8 flag; written unchanged";
            diagnostics_.warn(at(i), layer.label(), "has int8 weights but its int8 flag (param " + std::to_string(f.flag.id) + ") is 0; ncnn cannot run it as int8");
            return Status::ok();
        }
        if (flag_set) {
            lp.int8_weights_after_load = true;
            if (stored_int8) {
                lp.action = LayerAction::Unchanged;
                lp.reason = "already int8";
                return Status::ok();
            }
            lp.action = LayerAction::Int8;
            lp.quantize_weights = true;
            lp.scales_from_bin = true;
            lp.reason = "int8 flag already set with float weights: quantized with the scales stored in the .bin, as ncnn does on load";
            return check_shapes(f, i);
        }
        if (!named) {
            if (f.needs_input_scale) {
                lp.action = LayerAction::Skipped;
                lp.reason = table_ ? "no input scale for '" + name + "' in the table: kept in float" : "no calibration table";
                if (any_key)
                    diagnostics_.warn(table_->where(*keys[0]), layer.label(), "the table has weight scales '" + name + "_param_0' but no input scale '" + name + "'; the layer stays float (fp16)");
                return Status::ok();
            }
            // RNN/LSTM/GRU/Embed/MultiHeadAttention always need weight scales.
            if (!table_)
                return Status::error(ErrorCode::Input, loc(i), "a calibration table is required for static weight quantization of this layer; run ncnn2table on the model to make one and pass it as the fifth argument");
            std::string needed;
            for (size_t k = 0; k < f.weights.size(); k++)
                needed += std::string(k ? ", " : "") + "'" + name + "_param_" + std::to_string(f.weights[k].table_key) + "'";
            return Status::error(ErrorCode::Input, loc(i), "the table " + (table_ ? table_->file_name : "") + " has no weight scales for this layer (needs " + needed + "); run ncnn2table on this model");
        }
        // Quantize with the table.
        if (f.needs_input_scale && !keys[0])
            return Status::error(ErrorCode::Input, {table_->file_name, input->line}, layer.label() + " has an input scale but no '" + name + "_param_0' weight scales");
        for (size_t k = 0; k < f.weights.size(); k++) {
            const std::string key = name + "_param_" + std::to_string(f.weights[k].table_key);
            if (!keys[k]) return Status::error(ErrorCode::Input, loc(i), "the table has some weight scales for this layer but not '" + key + "'");
            RETURN_IF_ERROR(check_scales(i, *keys[k], key, f.weights[k].rows(p), false));
            lp.weight_scales.push_back(keys[k]->values);
        }
        if (f.needs_input_scale) {
            RETURN_IF_ERROR(check_scales(i, *input, name, 1, true));
            lp.input_scale = input->values[0];
        }
        lp.action = LayerAction::Int8;
        lp.quantize_weights = true;
        lp.int8_weights_after_load = true;
        lp.reason = "quantized with the table's scales";
        lp.out_params.set(f.flag, f.flag_value);
        return check_shapes(f, i);
    }

    // The reshapes the reference makes must be exact.
    Status check_shapes(const Int8Facts& f, size_t i)
    {
        if (!f.shape_check) return Status::ok();
        const std::string why = f.shape_check(model_.layers[i].params);
        return why.empty() ? Status::ok() : Status::error(ErrorCode::Input, loc(i), why);
    }

    Status plan_gemm(size_t i, LayerPlan& lp, bool flag_set)
    {
        using G = params::Gemm;
        const LayerParams& p = model_.layers[i].params;
        const bool constant_a = p.get(G::constantA) == 1, constant_b = p.get(G::constantB) == 1;
        if (table_) {
            for (const std::string& key : {model_.layers[i].decl->name})
                if (table_->input_scale(key) || table_->weight_scale(key, 0)) {
                    used_keys_.insert(key);
                    used_keys_.insert(key + "_param_0");
                    diagnostics_.warn(at(i), model_.layers[i].label(), "the table names this Gemm; its entries are ignored (Gemm scales are computed from its weights)");
                }
        }
        if (flag_set) {
            const BlobLocation* a = index_[i].find("A_data");
            const BlobLocation* b = index_[i].find("B_data");
            const bool int8 = (!a || a->stored == StoredAs::Int8) && (!b || b->stored == StoredAs::Int8);
            if (int8 || p.get(G::quantize_term) >= 100) {
                lp.action = LayerAction::Unchanged;
                lp.reason = "already quantized";
                return Status::ok();
            }
            return Status::error(ErrorCode::Input, loc(i), "quantize_term is " + std::to_string(p.get(G::quantize_term)) + " but the constant weights are float; ncnn cannot run such a Gemm");
        }
        lp.out_params.set(G::quantize_term, 2);
        if (!constant_a && !constant_b) {
            lp.action = LayerAction::Int8;
            lp.reason = "no constant weights; int8 flag set";
            return Status::ok();
        }
        lp.action = LayerAction::Int8;
        lp.quantize_weights = true;
        lp.reason = "scales computed from the weights (127 / absmax)";
        // The reference transposes constant A (transA=1) and B (transB=0) first.
        if (constant_a && p.get(G::transA) == 1) lp.out_params.set(G::transA, 0);
        if (constant_b && p.get(G::transB) == 0) lp.out_params.set(G::transB, 1);
        return Status::ok();
    }

    void warn_unused_table_keys()
    {
        if (!table_) return;
        std::map<std::string, const ModelLayer*> by_name;
        for (const ModelLayer& l : model_.layers) by_name.emplace(l.decl->name, &l);
        auto report = [&](const std::string& key, const ScaleEntry& e, const std::string& layer_name) {
            if (used_keys_.count(key)) return;
            auto it = by_name.find(layer_name);
            if (it == by_name.end())
                diagnostics_.warn(table_->where(e), "", "'" + key + "' matches no layer of the model; ignored");
            else
                diagnostics_.warn(table_->where(e), it->second->label(), "'" + key + "' names a layer this tool does not quantize from a table; ignored");
        };
        for (const auto& [key, e] : table_->input_scales) report(key, e, key);
        for (const auto& [key, e] : table_->weight_scales) report(key, e, key.substr(0, key.rfind("_param_")));
    }

    // A consumer's input scale: from the table if this run quantizes it, else the one stored in the .bin.
    Result<float> consumer_input_scale(const QuantizePlan& plan, size_t j)
    {
        if (plan.layers[j].quantize_weights && !plan.layers[j].scales_from_bin) return plan.layers[j].input_scale;
        const BlobLocation* b = index_[j].find("bottom_blob_int8_scales");
        if (!b) return Status::error(ErrorCode::Input, loc(j), "int8 layer without a stored input scale");
        return read_raw_float(bin_, bin_name_, *b, 0);
    }

    // A layer whose output scale can be fused in (Convolution, ConvolutionDepthWise).
    static bool is_conv(const ModelLayer& l)
    {
        return l.schema && l.schema->int8 && l.schema->int8->requantize_fusion;
    }

    Status fuse(QuantizePlan& plan, size_t i, size_t j, const std::string& via)
    {
        LayerPlan& lp = plan.layers[i];
        ASSIGN_OR_RETURN(float scale, consumer_input_scale(plan, j));
        const Int8Facts& f = *model_.layers[i].schema->int8;
        const int32_t term = lp.out_params.get(f.flag);
        // a layer already above 100 that keeps its term still gets the new top scale
        if (!(f.flag_above_100_kept && term > 100)) lp.out_params.set(f.flag, term + 100);
        lp.top_scale = scale;
        lp.fused_into = via;
        return Status::ok();
    }

    // Requantize fusion, exactly as the reference searches for pairs. The
    // reference scans the layers after each one (quadratic in the layer
    // count); the same search runs here over each blob's readers, in layer
    // order, so a model of many layers cannot make it loop for hours.
    Status fuse_requantize(QuantizePlan& plan)
    {
        const size_t n = model_.layers.size();
        auto int8 = [&](size_t k) { return plan.layers[k].int8_weights_after_load; };
        std::unordered_map<std::string, std::vector<size_t>> readers; // blob -> reading layers, ascending
        for (size_t k = 0; k < n; k++)
            for (const std::string& b : model_.layers[k].decl->bottoms) {
                std::vector<size_t>& r = readers[b];
                if (r.empty() || r.back() != k) r.push_back(k);
            }
        static const std::vector<size_t> none;
        auto readers_of = [&](const std::string& blob) -> const std::vector<size_t>& {
            auto it = readers.find(blob);
            return it == readers.end() ? none : it->second;
        };
        // The first layer at or after `from` that is a single-input convolution reading `blob`.
        auto single_input_conv_reading = [&](size_t from, const std::string& blob) -> size_t {
            for (size_t k : readers_of(blob)) {
                if (k < from) continue;
                const ModelLayer& l = model_.layers[k];
                if (is_conv(l) && l.decl->bottoms.size() == 1) return k;
            }
            return n;
        };
        // Convolution -> Convolution
        for (size_t i = 0; i < n; i++) {
            const ModelLayer& l = model_.layers[i];
            if (!is_conv(l) || l.decl->tops.empty()) continue;
            const size_t j = single_input_conv_reading(i + 1, l.decl->tops[0]);
            if (j == n || !int8(i) || !int8(j)) continue;
            RETURN_IF_ERROR(fuse(plan, i, j, model_.layers[j].decl->name));
        }
        // Convolution -> Split -> every output into a Convolution
        for (size_t i = 0; i < n; i++) {
            const ModelLayer& l = model_.layers[i];
            if (!is_conv(l) || l.decl->tops.empty()) continue;
            size_t s = n;
            for (size_t k : readers_of(l.decl->tops[0])) {
                const ModelLayer& c = model_.layers[k];
                if (k > i && c.decl->type == params::Split::layer_type && c.decl->bottoms.size() == 1) {
                    s = k;
                    break;
                }
            }
            if (s == n) continue;
            const LayerDecl& split = *model_.layers[s].decl;
            bool all_int8_conv = !split.tops.empty();
            for (const std::string& top : split.tops) {
                const size_t k = single_input_conv_reading(s + 1, top);
                if (k == n || !int8(k)) {
                    all_int8_conv = false;
                    break;
                }
            }
            if (!all_int8_conv) continue;
            // The reference takes the scale of the LAST layer reading the Split's first output.
            const std::vector<size_t>& first_readers = readers_of(split.tops[0]);
            const size_t j = first_readers.empty() ? n : first_readers.back();
            if (j == n || !is_conv(model_.layers[j]) || !int8(i) || !int8(j)) continue;
            RETURN_IF_ERROR(fuse(plan, i, j, split.name));
        }
        return Status::ok();
    }

    const Model& model_;
    const CalibrationTable* table_;
    const std::vector<LayerBlobs>& index_;
    ByteSource& bin_;
    const std::string& bin_name_;
    Diagnostics& diagnostics_;
    std::set<std::string> used_keys_;
};

} // namespace

const char* action_name(LayerAction a)
{
    switch (a) {
    case LayerAction::Int8: return "int8";
    case LayerAction::Fp16: return "fp16";
    case LayerAction::Unchanged: return "unchanged";
    case LayerAction::Skipped: return "skipped";
    }
    return "?";
}

Result<QuantizePlan> plan_quantization(const Model& model, const CalibrationTable* table, const std::vector<LayerBlobs>& index,
                                       ByteSource& bin, const std::string& bin_name, Diagnostics& diagnostics)
{
    return Planner(model, table, index, bin, bin_name, diagnostics).run();
}

} // namespace ncnn_int8
