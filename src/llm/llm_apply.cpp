// ncnnllm2int: plan (table route or direct form), then stream the .bin layer
// by layer: quantized weights become packed int8-tagged blobs followed by
// their block scales (and awq input scales); every other tagged float blob
// becomes fp16, raw blobs stay fp32, as the reference's writer stores them.
#include <cmath>
#include <cstring>

#include "core/format.h"
#include "kernels/kernels.h"
#include "llm/llm.h"
#include "llm/llm_plan.h"
#include "llm/llm_weights_io.h"
#include "model/bin_writer.h"
#include "model/param_writer.h"
#include "quant/layer_quantizer.h"

namespace ncnn_int8 {

namespace {

const BlobSpec* schema_blob(const ModelLayer& layer, const std::string& name)
{
    for (const BlobSpec& b : layer.schema->blobs)
        if (b.name == name) return &b;
    return nullptr;
}

BlobData raw_blob(const BlobSpec* spec, std::vector<float> values)
{
    BlobData d;
    d.spec = spec;
    d.stored = StoredAs::Raw;
    d.f32 = std::move(values);
    return d;
}

struct StreamContext {
    const LlmQuantizeRequest& request;
    const LlmModel& lm;
    LlmMethod method;
};

// Reads each weight, packs it (or takes the gptq bytes) into an int8-tagged
// blob and adds the scale blobs.
Status quantize_weights(const StreamContext& c, size_t li, LlmLayerPlan& lp, LayerBlobSet& blobs, WeightPrefetcher& prefetch,
                        LlmLayerReport& lr)
{
    const ModelLayer& layer = c.lm.model.layers[li];
    const std::string where = c.request.bin_name + ": " + layer.label();
    double signal = 0, noise = 0;
    std::vector<BlobData> scale_blobs, input_blobs;
    for (LlmWeightPlan& wp : lp.weights) {
        const LlmWeight& w = wp.weight;
        const BlobLocation* loc = c.lm.index[li].find(w.blob);
        BlobData* data = blobs.find(w.blob);
        if (!loc || !data) return Status::failure(where + ": no weight blob " + w.blob);
        const size_t packed_bytes = size_t(w.n) * llm_packed_row_bytes(w.k, lp.bits);
        std::vector<int8_t>& packed = data->i8; // reused from layer to layer
        data->spec = loc->spec;
        data->stored = loc->stored;
        data->is_int8 = true;
        data->f32.clear();
        packed.resize(packed_bytes);
        lr.bytes_in += loc->count * 4;
        if (!wp.qweight.empty()) {
            ASSIGN_OR_RETURN(std::string bytes, c.request.read_file(wp.qweight));
            if (bytes.size() != packed_bytes) return Status::failure(wp.qweight + ": changed while quantizing");
            std::memcpy(packed.data(), bytes.data(), packed_bytes);
        } else {
            ASSIGN_OR_RETURN(const WeightBuffer* read, prefetch.next());
            const WeightBuffer& buffer = *read;
            if (buffer.size() != size_t(w.n) * size_t(w.k))
                return Status::failure(where + ": weight " + w.blob + " is not " + std::to_string(w.n) + " x " + std::to_string(w.k));
            if (!lp.from_table) {
                wp.scales.resize(size_t(w.n) * size_t(llm_block_count(w.k, lp.block)));
                llm_make_scales(buffer.data(), w.n, w.k, lp.block, lp.bits, c.method, c.request.options.threads, wp.scales.data());
            }
            llm_pack_matrix(buffer.data(), w.n, w.k, wp.scales.data(), lp.block, lp.bits, lp.input_scales ? wp.input_scales.data() : nullptr,
                            c.request.options.threads, reinterpret_cast<uint8_t*>(packed.data()), c.request.measure_error ? &signal : nullptr,
                            &noise);
        }
        scale_blobs.push_back(raw_blob(schema_blob(layer, w.scales_blob), std::move(wp.scales)));
        if (lp.input_scales) input_blobs.push_back(raw_blob(schema_blob(layer, w.input_scales_blob), std::move(wp.input_scales)));
    }
    for (BlobData& b : scale_blobs) blobs.blobs.push_back(std::move(b));
    for (BlobData& b : input_blobs) blobs.blobs.push_back(std::move(b));
    if (signal > 0) {
        lr.has_sqnr = true;
        lr.sqnr_db = noise > 0 ? 10.0 * std::log10(signal / noise) : 999.0;
    }
    return Status::ok();
}

Result<LlmPlan> make_plan(const LlmQuantizeRequest& request, const LlmModel& lm, LlmTable* table)
{
    if (table) return plan_llm_from_table(lm.model, lm.index, *table, request.table->name, request.read_file);
    return plan_llm_direct(lm.model, lm.index, request.options);
}

} // namespace

Result<LlmReport> llm_quantize(const LlmQuantizeRequest& request, ByteSink& param_out, ByteSink& bin_out)
{
    const LlmOptions& opt = request.options;
    LlmMethod method = LlmMethod::MinMax;
    std::optional<LlmTable> table;
    if (request.table) {
        ASSIGN_OR_RETURN(table, read_llm_table(request.table->text, request.table->name));
    } else {
        ASSIGN_OR_RETURN(method, parse_llm_method(opt.method, false));
        if (llm_quantize_term(opt.bits, opt.block, false) == 0)
            return Status::failure(format("unsupported bits=%d or block=%d (bits 4/6/8, block 32/64/128)", opt.bits, opt.block));
    }
    if (opt.threads < 0) return Status::failure(format("malformed thread %d", opt.threads));

    Diagnostics diagnostics;
    ASSIGN_OR_RETURN(LlmModel lm, load_llm_model(request.param, request.bin, request.bin_name, diagnostics));
    ASSIGN_OR_RETURN(LlmPlan plan, make_plan(request, lm, table ? &*table : nullptr));
    table.reset();
    const Model& model = lm.model;
    const StreamContext context{request, lm, method};

    LlmReport report;
    report.operation = "quantize";
    report.simd_target = kernels::active_target();
    report.log = std::move(plan.log);
    report.bin_bytes_in = request.bin->size();
    Progress progress;
    progress.layers_total = model.layers.size();
    progress.bytes_total = request.bin->size();

    std::vector<LayerParams> out_params;
    out_params.reserve(model.layers.size());
    BlobWriter writer(bin_out);
    LayerBlobSet blobs; // its buffers are reused from layer to layer
    // The weights this run packs, in .bin order, read ahead of the work on them.
    std::vector<const BlobLocation*> order;
    for (size_t li = 0; li < model.layers.size(); li++)
        if (plan.layers[li].quantize)
            for (const LlmWeightPlan& wp : plan.layers[li].weights)
                if (wp.qweight.empty()) order.push_back(lm.index[li].find(wp.weight.blob));
    WeightPrefetcher prefetch(*request.bin, request.bin_name, order, llm_resolve_threads(opt.threads) > 1);
    for (size_t li = 0; li < model.layers.size(); li++) {
        const ModelLayer& layer = model.layers[li];
        LlmLayerPlan& lp = plan.layers[li];
        blobs.blobs.resize(lm.index[li].blobs.size());
        for (size_t b = 0; b < blobs.blobs.size(); b++) {
            const BlobLocation& loc = lm.index[li].blobs[b];
            bool quantized_weight = false;
            for (const LlmWeightPlan& wp : lp.weights) quantized_weight |= lp.quantize && wp.weight.blob == loc.spec->name;
            if (quantized_weight)
                blobs.blobs[b].spec = loc.spec; // read by quantize_weights
            else
                RETURN_IF_ERROR(load_blob(*request.bin, request.bin_name, loc, blobs.blobs[b]));
        }
        LlmLayerReport lr;
        lr.type = layer.decl->type;
        lr.name = layer.decl->name;
        out_params.push_back(layer.params);
        const uint64_t before = writer.total();
        if (lp.quantize) {
            lr.action = "quantized";
            lr.bits = lp.bits;
            lr.block = lp.block;
            lr.method = !lp.from_table ? llm_method_name(method) : lp.input_scales              ? "awq"
                                                               : !lp.weights[0].qweight.empty() ? "gptq"
                                                                                                : "table";
            RETURN_IF_ERROR(quantize_weights(context, li, lp, blobs, prefetch, lr));
            out_params.back() = llm_quantized_params(layer, lp.bits, lp.block, lp.input_scales);
        } else if (llm_kind(layer) != LlmKind::None) {
            lr.action = "skipped";
            lr.reason = lp.reason;
            lr.bytes_in = lm.index[li].bytes;
        }
        ASSIGN_OR_RETURN(std::vector<PlannedBlob> out_blobs, present_blobs(layer, out_params.back(), model.file.file_name));
        for (const PlannedBlob& pb : out_blobs) {
            const BlobData* data = blobs.find(pb.spec->name);
            if (!data) return Status::failure(request.bin_name + ": " + layer.label() + ": no data for weight blob " + pb.spec->name);
            RETURN_IF_ERROR(writer.write(*data, pb.tagged).status());
        }
        if (!lr.action.empty()) {
            lr.bytes_out = writer.total() - before;
            report.layers.push_back(std::move(lr));
        }
        progress.layers_done = li + 1;
        progress.bytes_done += lm.index[li].bytes;
        if (request.on_progress && !request.on_progress(progress)) return Status::error(ErrorCode::Cancelled, {}, "cancelled");
    }

    const std::string param_text = write_param_text(model, out_params);
    RETURN_IF_ERROR(param_out.write(param_text.data(), param_text.size()));
    report.param_bytes_out = param_text.size();
    report.bin_bytes_out = writer.total();
    RETURN_IF_ERROR(bin_out.commit());
    RETURN_IF_ERROR(param_out.commit());
    return report;
}

} // namespace ncnn_int8
