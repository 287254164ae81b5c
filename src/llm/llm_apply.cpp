// ncnnllm2int: plan (table route or direct form), then stream the .bin layer
// by layer: quantized weights become packed int8-tagged blobs, written a
// window of rows at a time, followed by their block scales (and awq input
// scales); every other tagged float blob becomes fp16, raw blobs stay fp32,
// as the reference's writer stores them.
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

// Counts what goes to the .bin (the int8 weights are written around the
// BlobWriter, a window of rows at a time).
class CountingSink final : public ByteSink {
public:
    explicit CountingSink(ByteSink& inner) : inner_(inner) {}
    Status write(const void* src, size_t size) override
    {
        total_ += size;
        return inner_.write(src, size);
    }
    Status commit() override { return inner_.commit(); }
    uint64_t total() const { return total_; }

private:
    ByteSink& inner_;
    uint64_t total_ = 0;
};

struct StreamContext {
    const LlmQuantizeRequest& request;
    const LlmModel& lm;
    LlmMethod method;
    ByteSource* table;
    const std::string& table_name;
    CountingSink& out;
};

// Error sums of one layer's weights, for the report's SQNR.
struct ErrorTotals {
    double signal = 0, noise = 0;
};

// Writes one weight as an int8-tagged blob: the packed rows (made a window
// of rows at a time, or the gptq bytes), then the padding to 4 bytes. Its
// block scales are read from the table or computed on the way.
Status stream_weight(const StreamContext& c, const ModelLayer& layer, const LlmLayerPlan& lp, LlmWeightPlan& wp, WeightPrefetcher& prefetch,
                     std::vector<uint8_t>& packed, ErrorTotals& errors)
{
    const std::string where = c.request.bin_name + ": " + layer.label();
    const LlmWeight& w = wp.weight;
    const size_t row_bytes = llm_packed_row_bytes(w.k, lp.bits);
    const size_t packed_bytes = size_t(w.n) * row_bytes;
    static const uint8_t zeros[4] = {0, 0, 0, 0};
    const uint32_t tag = kTagInt8;
    RETURN_IF_ERROR(c.out.write(&tag, 4));
    const int blocks = llm_block_count(w.k, lp.block);
    if (lp.from_table)
        RETURN_IF_ERROR(read_llm_table_coeffs(*c.table, c.table_name, wp.table_row, wp.scales));
    else
        wp.scales.resize(size_t(w.n) * size_t(blocks));
    if (!wp.qweight.empty()) {
        ASSIGN_OR_RETURN(std::string bytes, c.request.read_file(wp.qweight));
        if (bytes.size() != packed_bytes) return Status::failure(wp.qweight + ": changed while quantizing");
        RETURN_IF_ERROR(c.out.write(bytes.data(), packed_bytes));
    } else {
        for (bool last = false; !last;) {
            ASSIGN_OR_RETURN(const WeightBuffer* read, prefetch.next());
            const WeightBuffer& buffer = *read;
            const WeightPiece& piece = prefetch.current();
            const int rows = piece.row_end - piece.row_begin;
            last = piece.last;
            if (buffer.size() != size_t(rows) * size_t(w.k))
                return Status::failure(where + ": weight " + w.blob + " is not " + std::to_string(w.n) + " x " + std::to_string(w.k));
            float* scales = wp.scales.data() + size_t(piece.row_begin) * size_t(blocks);
            if (!lp.from_table)
                llm_make_scales(buffer.data(), rows, w.k, lp.block, lp.bits, c.method, c.request.options.threads, scales);
            packed.resize(size_t(rows) * row_bytes);
            llm_pack_matrix(buffer.data(), rows, w.k, scales, lp.block, lp.bits, lp.input_scales ? wp.input_scales.data() : nullptr,
                            c.request.options.threads, packed.data(), c.request.measure_error ? &errors.signal : nullptr, &errors.noise);
            RETURN_IF_ERROR(c.out.write(packed.data(), packed.size()));
        }
    }
    RETURN_IF_ERROR(c.out.write(zeros, (4 - packed_bytes % 4) % 4));
    return Status::ok();
}

Result<LlmPlan> make_plan(const StreamContext& c, LlmTable* table)
{
    if (table) return plan_llm_from_table(c.lm.model, c.lm.index, *table, *c.table, c.table_name, c.request.read_file);
    return plan_llm_direct(c.lm.model, c.lm.index, c.request.options);
}

} // namespace

Result<LlmReport> llm_quantize(const LlmQuantizeRequest& request, ByteSink& param_out, ByteSink& bin_out)
{
    const LlmOptions& opt = request.options;
    LlmMethod method = LlmMethod::MinMax;
    std::optional<MemorySource> table_text;
    ByteSource* table_source = request.table_source;
    std::string table_name = request.table_source ? request.table_name : request.table ? request.table->name
                                                                                       : std::string();
    if (!table_source && request.table) {
        table_text.emplace(reinterpret_cast<const uint8_t*>(request.table->text.data()), request.table->text.size());
        table_source = &*table_text;
    }
    std::optional<LlmTable> table;
    if (table_source) {
        ASSIGN_OR_RETURN(table, index_llm_table(*table_source, table_name));
    } else {
        ASSIGN_OR_RETURN(method, parse_llm_method(opt.method, false));
        if (llm_quantize_term(opt.bits, opt.block, false) == 0)
            return Status::failure(format("unsupported bits=%d or block=%d (bits 4/6/8, block 32/64/128)", opt.bits, opt.block));
    }
    if (opt.threads < 0) return Status::failure(format("malformed thread %d", opt.threads));

    Diagnostics diagnostics;
    ASSIGN_OR_RETURN(LlmModel lm, load_llm_model(request.param, request.bin, request.bin_name, diagnostics));
    CountingSink out(bin_out);
    const StreamContext context{request, lm, method, table_source, table_name, out};
    ASSIGN_OR_RETURN(LlmPlan plan, make_plan(context, table ? &*table : nullptr));
    table.reset();
    const Model& model = lm.model;

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
    BlobWriter writer(out);
    LayerBlobSet blobs; // its buffers are reused from layer to layer
    std::vector<uint8_t> packed;
    // The weights this run packs, in .bin order, in windows of rows read
    // ahead of the work on them.
    std::vector<WeightPiece> order;
    for (size_t li = 0; li < model.layers.size(); li++)
        if (plan.layers[li].quantize)
            for (const LlmWeightPlan& wp : plan.layers[li].weights)
                if (wp.qweight.empty()) append_weight_pieces(*lm.index[li].find(wp.weight.blob), wp.weight.n, wp.weight.k, opt.window_bytes, order);
    WeightPrefetcher prefetch(*request.bin, request.bin_name, std::move(order), llm_resolve_threads(opt.threads) > 1);
    for (size_t li = 0; li < model.layers.size(); li++) {
        const ModelLayer& layer = model.layers[li];
        LlmLayerPlan& lp = plan.layers[li];
        auto quantized_weight = [&lp](const std::string& blob) -> LlmWeightPlan* {
            if (lp.quantize)
                for (LlmWeightPlan& wp : lp.weights)
                    if (wp.weight.blob == blob) return &wp;
            return nullptr;
        };
        blobs.blobs.resize(lm.index[li].blobs.size());
        for (size_t b = 0; b < blobs.blobs.size(); b++) {
            const BlobLocation& loc = lm.index[li].blobs[b];
            if (quantized_weight(loc.spec->name)) {
                blobs.blobs[b] = BlobData{}; // streamed by stream_weight
                blobs.blobs[b].spec = loc.spec;
            } else {
                RETURN_IF_ERROR(load_blob(*request.bin, request.bin_name, loc, blobs.blobs[b]));
            }
        }
        LlmLayerReport lr;
        lr.type = layer.decl->type;
        lr.name = layer.decl->name;
        out_params.push_back(layer.params);
        ErrorTotals errors;
        if (lp.quantize) {
            lr.action = "quantized";
            lr.bits = lp.bits;
            lr.block = lp.block;
            lr.method = !lp.from_table ? llm_method_name(method) : lp.input_scales              ? "awq"
                                                               : !lp.weights[0].qweight.empty() ? "gptq"
                                                                                                : "table";
            out_params.back() = llm_quantized_params(layer, lp.bits, lp.block, lp.input_scales);
        } else if (llm_kind(layer) != LlmKind::None) {
            lr.action = "skipped";
            lr.reason = lp.reason;
            lr.bytes_in = lm.index[li].bytes;
        }
        const uint64_t before = out.total();
        ASSIGN_OR_RETURN(std::vector<PlannedBlob> out_blobs, present_blobs(layer, out_params.back(), model.file.file_name));
        for (const PlannedBlob& pb : out_blobs) {
            if (LlmWeightPlan* wp = quantized_weight(pb.spec->name)) {
                RETURN_IF_ERROR(stream_weight(context, layer, lp, *wp, prefetch, packed, errors));
                lr.bytes_in += lm.index[li].find(pb.spec->name)->count * 4;
                // Its scales (and awq input scales) are blobs of their own, written after the weights.
                blobs.blobs.push_back(raw_blob(schema_blob(layer, wp->weight.scales_blob), std::move(wp->scales)));
                if (lp.input_scales)
                    blobs.blobs.push_back(raw_blob(schema_blob(layer, wp->weight.input_scales_blob), std::move(wp->input_scales)));
                continue;
            }
            const BlobData* data = blobs.find(pb.spec->name);
            if (!data) return Status::failure(request.bin_name + ": " + layer.label() + ": no data for weight blob " + pb.spec->name);
            RETURN_IF_ERROR(writer.write(*data, pb.tagged).status());
        }
        if (errors.signal > 0) {
            lr.has_sqnr = true;
            lr.sqnr_db = errors.noise > 0 ? 10.0 * std::log10(errors.signal / errors.noise) : 999.0;
        }
        if (!lr.action.empty()) {
            lr.bytes_out = out.total() - before;
            report.layers.push_back(std::move(lr));
        }
        progress.layers_done = li + 1;
        progress.bytes_done += lm.index[li].bytes;
        if (request.on_progress && !request.on_progress(progress)) return Status::error(ErrorCode::Cancelled, {}, "cancelled");
    }

    const std::string param_text = write_param_text(model, out_params);
    RETURN_IF_ERROR(param_out.write(param_text.data(), param_text.size()));
    report.param_bytes_out = param_text.size();
    report.bin_bytes_out = out.total();
    RETURN_IF_ERROR(bin_out.commit());
    RETURN_IF_ERROR(param_out.commit());
    return report;
}

} // namespace ncnn_int8
