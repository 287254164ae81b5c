#include "llm/llm_plan.h"

#include "core/format.h"

namespace ncnn_int8 {

namespace {

struct TableContext {
    LlmTable& table;
    ByteSource& source;
    const std::string& name;
    const std::function<Result<std::string>(const std::string&)>& read_file;

    Status error(const std::string& key, const std::string& message) const
    {
        auto it = table.find(key);
        const std::string where = it != table.end() ? name + ":" + std::to_string(it->second.line) : name;
        return Status::failure(where + ": " + message);
    }
};

// The reference's llm_table_row_to_scales (the scales themselves are read
// from the table when the layer is quantized).
Status check_scales(const TableContext& t, const std::string& key, const LlmTableRow& row, int k, int n, int& bits, int& block)
{
    if (row.bits == 0 || row.block == 0) return t.error(key, key + " missing mandatory metadata");
    bits = row.bits;
    block = row.block;
    if (llm_quantize_term(bits, block, false) == 0)
        return t.error(key, format("%s unsupported bits=%d block=%d", key.c_str(), bits, block));
    const size_t expected = size_t(n) * size_t(llm_block_count(k, block));
    if (row.coeff_count != expected)
        return t.error(key, format("%s coefficient count mismatch expected=%zu got=%d", key.c_str(), expected, int(row.coeff_count)));
    if (row.first_not_positive != LlmTableRow::kAllPositive)
        return t.error(key, format("%s invalid weight scale index=%zu coeff=%f", key.c_str(), row.first_not_positive, double(row.not_positive_value)));
    return Status::ok();
}

int unpack_value(const uint8_t* row, int k, int bits, size_t row_bytes)
{
    const size_t bit = size_t(k) * size_t(bits);
    const size_t byte = bit / 8;
    unsigned v = row[byte];
    if (byte + 1 < row_bytes) v |= unsigned(row[byte + 1]) << 8;
    const int raw = int((v >> (bit % 8)) & ((1u << bits) - 1u));
    const int sign = 1 << (bits - 1);
    return (raw ^ sign) - sign;
}

// The reference's read_qweight_file checks (size, zero tail bits, no -2^(bits-1)).
Status check_qweight(const TableContext& t, const std::string& key, const std::string& path, int k, int n, int bits)
{
    Result<std::string> bytes = t.read_file ? t.read_file(path) : Result<std::string>(Status::failure("no file access"));
    if (!bytes.is_ok()) return t.error(key, key + " fopen qweight " + path + " failed");
    const std::string& data = bytes.value();
    const size_t row_bytes = llm_packed_row_bytes(k, bits);
    const size_t expected = size_t(n) * row_bytes;
    if (data.size() != expected)
        return t.error(key, format("%s qweight byte count mismatch expected=%zu got=%ld", key.c_str(), expected, long(data.size())));
    const int used_bits = int((size_t(k) * size_t(bits)) % 8);
    const unsigned tail_mask = used_bits == 0 ? 0u : (0xffu << used_bits) & 0xffu;
    const int qmin = -(1 << (bits - 1));
    for (int r = 0; r < n; r++) {
        const uint8_t* row = reinterpret_cast<const uint8_t*>(data.data()) + size_t(r) * row_bytes;
        if (tail_mask && (row[row_bytes - 1] & tail_mask))
            return t.error(key, format("%s qweight tail padding bits are not zero row=%d", key.c_str(), r));
        for (int i = 0; i < k; i++) {
            const int q = unpack_value(row, i, bits, row_bytes);
            if (q == qmin)
                return t.error(key, format("%s qweight contains unsupported value row=%d k=%d q=%d", key.c_str(), r, i, q));
        }
    }
    return Status::ok();
}

Status row_to_weight(const TableContext& t, const LlmTableRow& row, LlmWeightPlan& wp, int& bits, int& block)
{
    const LlmWeight& w = wp.weight;
    RETURN_IF_ERROR(check_scales(t, w.key, row, w.k, w.n, bits, block));
    wp.table_row = row;
    if (!row.qweight.empty()) {
        RETURN_IF_ERROR(check_qweight(t, w.key, row.qweight, w.k, w.n, bits));
        wp.qweight = row.qweight;
    }
    return Status::ok();
}

Status input_scales_of(const TableContext& t, const std::string& key, const LlmTableRow& row, int k, std::vector<float>& out)
{
    if (row.coeff_count != size_t(k))
        return t.error(key, format("%s coefficient count mismatch expected=%d got=%d", key.c_str(), k, int(row.coeff_count)));
    if (row.first_not_positive != LlmTableRow::kAllPositive)
        return t.error(key, format("%s invalid input scale index=%d coeff=%f", key.c_str(), int(row.first_not_positive), double(row.not_positive_value)));
    return read_llm_table_coeffs(t.source, t.name, row, out);
}

Result<int> plan_gemms(const Model& model, const std::vector<LayerBlobs>& index, const TableContext& t, LlmPlan& plan)
{
    int count = 0;
    for (size_t li = 0; li < model.layers.size(); li++) {
        const ModelLayer& layer = model.layers[li];
        if (llm_kind(layer) != LlmKind::Gemm) continue;
        const std::string& name = layer.decl->name;
        LlmLayerPlan& lp = plan.layers[li];
        LlmWeightPlan wp{llm_weights(layer)[0], {}, {}, {}, {}};
        const std::string key = wp.weight.key, input_key = key + "_input_scale";
        if (!llm_supported(layer, index[li])) {
            if (t.table.count(key)) return t.error(key, "table row " + key + " targets unsupported Gemm");
            plan.log.push_back("skip_gemm " + name);
            lp.reason = "not a supported Gemm (alpha=beta=1, transA=0, transB=1, constant fp32 B, no tiling or output options)";
            continue;
        }
        auto it = t.table.find(key);
        if (it == t.table.end()) {
            plan.log.push_back("skip_gemm " + name + " missing table row " + key);
            lp.reason = "no table row " + key;
            continue;
        }
        int bits = 0, block = 0;
        RETURN_IF_ERROR(row_to_weight(t, it->second, wp, bits, block));
        auto input_it = t.table.find(input_key);
        const bool has_input = input_it != t.table.end();
        if (!wp.qweight.empty() && has_input) return t.error(key, key + " does not support input_scale with qweight yet");
        if (has_input) RETURN_IF_ERROR(input_scales_of(t, input_key, input_it->second, wp.weight.k, wp.input_scales));
        plan.log.push_back("quantize_gemm " + name);
        lp.quantize = true;
        lp.from_table = true;
        lp.bits = bits;
        lp.block = block;
        lp.input_scales = has_input;
        lp.weights.push_back(std::move(wp));
        if (has_input) t.table.erase(input_it);
        t.table.erase(it);
        count++;
    }
    plan.log.push_back(format("quantized %d Gemm layers", count));
    return count;
}

Result<int> plan_attention(const Model& model, const std::vector<LayerBlobs>& index, const TableContext& t, LlmPlan& plan)
{
    int count = 0;
    for (size_t li = 0; li < model.layers.size(); li++) {
        const ModelLayer& layer = model.layers[li];
        if (llm_kind(layer) != LlmKind::MultiHeadAttention) continue;
        const std::string& name = layer.decl->name;
        LlmLayerPlan& lp = plan.layers[li];
        std::vector<LlmWeight> weights = llm_weights(layer);
        LlmTable::iterator rows[4], input_rows[4];
        int present = 0, input_present = 0;
        for (int j = 0; j < 4; j++) {
            rows[j] = t.table.find(weights[size_t(j)].key);
            if (rows[j] != t.table.end()) present++;
        }
        if (present == 0) {
            lp.reason = "no table rows " + name + "_param_0..3";
            continue;
        }
        if (present != 4)
            return Status::failure(t.name + ": MultiHeadAttention " + name + " requires all table rows " + weights[0].key + " " + weights[1].key + " " + weights[2].key + " " + weights[3].key);
        if (!llm_supported(layer, index[li]))
            return Status::failure(t.name + ": table rows target unsupported MultiHeadAttention " + name);
        for (int j = 0; j < 4; j++) {
            input_rows[j] = t.table.find(weights[size_t(j)].key + "_input_scale");
            if (input_rows[j] != t.table.end()) input_present++;
        }
        if (input_present != 0 && input_present != 4)
            return Status::failure(t.name + ": MultiHeadAttention " + name + " requires all input scale table rows " + weights[0].key + "_input_scale " + weights[1].key + "_input_scale " + weights[2].key + "_input_scale " + weights[3].key + "_input_scale");
        int bits[4], block[4];
        std::vector<LlmWeightPlan> wps;
        for (int j = 0; j < 4; j++) {
            wps.push_back({weights[size_t(j)], {}, {}, {}, {}});
            RETURN_IF_ERROR(row_to_weight(t, rows[j]->second, wps.back(), bits[j], block[j]));
        }
        for (int j = 1; j < 4; j++) {
            if (bits[j] != bits[0] || block[j] != block[0])
                return Status::failure(t.name + ": MultiHeadAttention " + name + " table rows require same bits/block for q/k/v/out");
            if (wps[size_t(j)].qweight.empty() != wps[0].qweight.empty())
                return Status::failure(t.name + ": MultiHeadAttention " + name + " table rows require same format for q/k/v/out");
        }
        const bool has_input = input_present == 4;
        if (has_input && !wps[0].qweight.empty())
            return Status::failure(t.name + ": MultiHeadAttention " + name + " does not support input_scale with qweight yet");
        if (has_input)
            for (int j = 0; j < 4; j++)
                RETURN_IF_ERROR(input_scales_of(t, weights[size_t(j)].key + "_input_scale", input_rows[j]->second, weights[size_t(j)].k,
                                                wps[size_t(j)].input_scales));
        plan.log.push_back("quantize_multiheadattention " + name);
        lp.quantize = true;
        lp.from_table = true;
        lp.bits = bits[0];
        lp.block = block[0];
        lp.input_scales = has_input;
        lp.weights = std::move(wps);
        for (int j = 0; j < 4; j++) {
            if (has_input) t.table.erase(input_rows[j]);
            t.table.erase(rows[j]);
        }
        count++;
    }
    plan.log.push_back(format("quantized %d MultiHeadAttention layers", count));
    return count;
}

} // namespace

Result<LlmMethod> check_llm_direct_options(const LlmOptions& options, bool table_maker)
{
    const std::string& method = options.method;
    LlmMethod parsed;
    if (method == "minmax") {
        parsed = LlmMethod::MinMax;
    } else if (method == "mseclip") {
        parsed = LlmMethod::MseClip;
    } else if (method == "awq" || method == "gptq") {
        if (table_maker)
            return Status::failure("method=" + method + " needs calibration data (activation statistics from a calibration list), which is not supported yet; use minmax or mseclip");
        return Status::failure("method=" + method + " requires llm.table");
    } else {
        return Status::failure("unsupported method=" + method);
    }
    if (llm_quantize_term(options.bits, options.block, false) == 0)
        return Status::failure(format("unsupported bits=%d or block=%d (bits 4/6/8, block 32/64/128)", options.bits, options.block));
    return parsed;
}

LlmPlan plan_llm_direct(const Model& model, const std::vector<LayerBlobs>& index, const LlmOptions& options)
{
    LlmPlan plan;
    plan.layers.resize(model.layers.size());
    for (LlmKind kind : {LlmKind::Gemm, LlmKind::MultiHeadAttention}) {
        const bool gemm = kind == LlmKind::Gemm;
        int count = 0;
        for (size_t li = 0; li < model.layers.size(); li++) {
            const ModelLayer& layer = model.layers[li];
            if (llm_kind(layer) != kind) continue;
            LlmLayerPlan& lp = plan.layers[li];
            if (!llm_supported(layer, index[li])) {
                plan.log.push_back((gemm ? "skip_gemm " : "skip_multiheadattention ") + layer.decl->name);
                lp.reason = gemm ? "not a supported Gemm (alpha=beta=1, transA=0, transB=1, constant fp32 B, no tiling or output options)"
                                 : "not a supported MultiHeadAttention";
                continue;
            }
            plan.log.push_back((gemm ? "quantize_gemm " : "quantize_multiheadattention ") + layer.decl->name);
            lp.quantize = true;
            lp.bits = options.bits;
            lp.block = options.block;
            for (const LlmWeight& w : llm_weights(layer)) lp.weights.push_back({w, {}, {}, {}, {}});
            count++;
        }
        plan.log.push_back(format("quantized %d %s layers", count, gemm ? "Gemm" : "MultiHeadAttention"));
    }
    return plan;
}

Result<LlmPlan> plan_llm_from_table(const Model& model, const std::vector<LayerBlobs>& index, LlmTable& table,
                                    ByteSource& table_source, const std::string& table_name,
                                    const std::function<Result<std::string>(const std::string&)>& read_file)
{
    LlmPlan plan;
    plan.layers.resize(model.layers.size());
    const TableContext t{table, table_source, table_name, read_file};
    ASSIGN_OR_RETURN(int gemms, plan_gemms(model, index, t, plan));
    ASSIGN_OR_RETURN(int attention, plan_attention(model, index, t, plan));
    if (!table.empty()) {
        std::string message;
        for (const auto& row : table)
            message += (message.empty() ? "" : "\n") + table_name + ":" + std::to_string(row.second.line) + ": unused table row " + row.first;
        return Status::failure(message);
    }
    if (gemms + attention == 0) return Status::failure(table_name + ": no layer quantized");
    return plan;
}

} // namespace ncnn_int8

#include "model/param_file.h"

namespace ncnn_int8 {

Result<Model> load_llm_param(const TextInput& param, ByteSource* bin, const std::string& bin_name, Diagnostics& diagnostics)
{
    ASSIGN_OR_RETURN(ParamFile file, read_param_text(param.text, param.name));
    ASSIGN_OR_RETURN(Model model, build_model(std::move(file), diagnostics));
    if (!bin) return Status::failure(bin_name + ": no weights given");
    return model;
}

} // namespace ncnn_int8
