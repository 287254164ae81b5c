// ncnnllm2int: plan (table route or direct form), then stream the .bin layer
// by layer: quantized weights become packed int8-tagged blobs, written a
// window of rows at a time, followed by their block scales (and awq input
// scales); every other tagged float blob becomes fp16, raw blobs stay fp32,
// as the reference's writer stores them. In the direct form the block scales
// chosen for each window of rows can also go to a table as they are made
// (ncnnllm2table and ncnnllm2int in one read of the .bin).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/format.h"
#include "kernels/kernels.h"
#include "llm/llm.h"
#include "llm/llm_plan.h"
#include "llm/llm_table.h"
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

BlobData raw_blob(const BlobSpec* spec, const std::vector<float>& values)
{
    BlobData d;
    d.spec = spec;
    d.stored = StoredAs::Raw;
    d.f32.assign(values.begin(), values.end());
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

// The table written on the way (direct form with a table sink): rows in
// .bin order, which is the graph order ncnnllm2table writes them in.
struct TableWriter {
    ByteSink* sink = nullptr;
    const char* method = "";
    std::string text; // reused per window
    TableNumberFormatter numbers;
    int rows = 0;
    uint64_t bytes = 0;

    Status write()
    {
        bytes += text.size();
        Status s = sink->write(text.data(), text.size());
        text.clear();
        return s;
    }
};

struct StreamContext {
    const LlmQuantizeRequest& request;
    const LlmModel& lm;
    LlmMethod method;
    ByteSource* table;
    const std::string& table_name;
    CountingSink& out;
    TableWriter& table_out;
    ThreadTeam& team; // the run's threads, started once
    // Asked between windows of rows: false stops the run (cancel).
    std::function<bool(uint64_t bytes_read)> keep_going;
};

Status cancelled() { return Status::error(ErrorCode::Cancelled, {}, "cancelled"); }

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
        RETURN_IF_ERROR(read_llm_table_coeffs(*c.table, c.table_name, wp.table_row, wp.scales, &c.team));
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
            if (!lp.from_table) {
                llm_make_scales(buffer.data(), rows, w.k, lp.block, lp.bits, c.method, c.team, scales);
                if (c.table_out.sink) {
                    if (piece.row_begin == 0) append_llm_table_row_start(c.table_out.text, w.key, lp.bits, lp.block, c.table_out.method);
                    c.table_out.numbers.append(c.table_out.text, scales, size_t(rows) * size_t(blocks), c.team);
                    if (last) {
                        c.table_out.text += '\n';
                        c.table_out.rows++;
                    }
                    RETURN_IF_ERROR(c.table_out.write());
                }
            }
            packed.resize(size_t(rows) * row_bytes);
            llm_pack_matrix(buffer.data(), rows, w.k, scales, lp.block, lp.bits, lp.input_scales ? wp.input_scales.data() : nullptr,
                            c.team, packed.data(), c.request.measure_error ? &errors.signal : nullptr, &errors.noise);
            RETURN_IF_ERROR(c.out.write(packed.data(), packed.size()));
            if (!last && !c.keep_going(buffer.size() * 4)) return cancelled();
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

// One run over an index of the .bin (lm), after quantize_stream's checks;
// `table`, the dropped table's index, is consumed.
Result<LlmReport> stream_indexed(const LlmQuantizeRequest& request, LlmMethod method, ByteSource* table_source, const std::string& table_name,
                                 std::optional<LlmTable> table, const LlmModel& lm, ByteSink* table_sink, ByteSink& param_out, ByteSink& bin_out)
{
    const LlmOptions& opt = request.options;
    CountingSink out(bin_out);
    TableWriter table_writer;
    table_writer.sink = table_sink;
    table_writer.method = llm_method_name(method);
    Progress progress;
    progress.layers_total = lm.model.layers.size();
    progress.bytes_total = request.bin->size();
    uint64_t layer_bytes_read = 0; // of the current layer, between windows
    auto keep_going = [&](uint64_t bytes_read) {
        layer_bytes_read += bytes_read;
        if (!request.on_progress) return true;
        Progress p = progress;
        p.bytes_done += layer_bytes_read;
        return request.on_progress(p);
    };
    ThreadTeam team(static_cast<size_t>(llm_resolve_threads(opt.threads)));
    const StreamContext context{request, lm, method, table_source, table_name, out, table_writer, team, keep_going};
    ASSIGN_OR_RETURN(LlmPlan plan, make_plan(context, table ? &*table : nullptr));
    table.reset();
    const Model& model = lm.model;

    LlmReport report;
    report.operation = "quantize";
    report.simd_target = kernels::active_target();
    report.log = std::move(plan.log);
    report.bin_bytes_in = request.bin->size();

    std::vector<LayerParams> out_params;
    out_params.reserve(model.layers.size());
    BlobWriter writer(out);
    LayerBlobSet blobs;
    // A blob that is copied (converted) is read when it is written: every
    // read then goes forward through the .bin, as a read-ahead wants it.
    BlobData loaded; // its buffer is reused from blob to blob
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
        blobs.blobs.clear(); // this layer's new scale blobs
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
        std::vector<std::string> read; // this layer's blobs read from the .bin
        for (const PlannedBlob& pb : out_blobs) {
            if (LlmWeightPlan* wp = quantized_weight(pb.spec->name)) {
                if (wp->qweight.empty()) read.push_back(pb.spec->name);
                RETURN_IF_ERROR(stream_weight(context, layer, lp, *wp, prefetch, packed, errors));
                lr.bytes_in += lm.index[li].find(pb.spec->name)->count * 4;
                // Its scales (and awq input scales) are blobs of their own, written after the weights.
                blobs.blobs.push_back(raw_blob(schema_blob(layer, wp->weight.scales_blob), wp->scales));
                if (lp.input_scales)
                    blobs.blobs.push_back(raw_blob(schema_blob(layer, wp->weight.input_scales_blob), wp->input_scales));
                continue;
            }
            const BlobData* data = blobs.find(pb.spec->name);
            if (!data) {
                const BlobLocation* loc = lm.index[li].find(pb.spec->name);
                if (!loc) return Status::failure(request.bin_name + ": " + layer.label() + ": no data for weight blob " + pb.spec->name);
                RETURN_IF_ERROR(load_blob(*request.bin, request.bin_name, *loc, loaded));
                read.push_back(pb.spec->name);
                data = &loaded;
            }
            RETURN_IF_ERROR(writer.write(*data, pb.tagged).status());
        }
        RETURN_IF_ERROR(check_unread_tags(*request.bin, request.bin_name, lm.index[li],
                                          [&read](const std::string& blob) { return std::find(read.begin(), read.end(), blob) != read.end(); }));
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
        layer_bytes_read = 0;
        if (request.on_progress && !request.on_progress(progress)) return cancelled();
    }

    const std::string param_text = write_param_text(model, out_params);
    RETURN_IF_ERROR(param_out.write(param_text.data(), param_text.size()));
    report.param_bytes_out = param_text.size();
    report.bin_bytes_out = out.total();
    report.table_rows = table_writer.rows;
    report.table_bytes_out = table_writer.bytes;
    if (table_sink) {
        report.log.push_back(format("ncnn llm quant table created %d rows", table_writer.rows));
        RETURN_IF_ERROR(table_sink->commit());
    }
    RETURN_IF_ERROR(bin_out.commit());
    RETURN_IF_ERROR(param_out.commit());
    return report;
}

// Both entries: with table_sink (direct form only) the table is written too.
Result<LlmReport> quantize_stream(const LlmQuantizeRequest& request, ByteSink* table_sink, ByteSink& param_out, ByteSink& bin_out)
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
        ASSIGN_OR_RETURN(method, check_llm_direct_options(opt, table_sink != nullptr));
    }
    if (opt.threads < 0) return Status::failure(format("malformed thread %d", opt.threads));

    Diagnostics diagnostics;
    ASSIGN_OR_RETURN(Model model, load_llm_param(request.param, request.bin, request.bin_name, diagnostics));
    return run_on_index(
        model, *request.bin, request.bin_name, request.index_like_first_tag,
        [&](const std::vector<LayerBlobs>& index) { return stream_indexed(request, method, table_source, table_name, table, LlmModel{model, index}, table_sink, param_out, bin_out); },
        [&]() -> Status {
            RETURN_IF_ERROR(bin_out.rewind());
            return table_sink ? table_sink->rewind() : Status::ok();
        });
}

} // namespace

Result<LlmReport> llm_quantize(const LlmQuantizeRequest& request, ByteSink& param_out, ByteSink& bin_out)
{
    return quantize_stream(request, nullptr, param_out, bin_out);
}

Result<LlmReport> llm_table_and_quantize(const LlmQuantizeRequest& request, ByteSink& table_out, ByteSink& param_out, ByteSink& bin_out)
{
    if (request.table || request.table_source)
        return Status::failure("a table is made from method, bits and block, not from another table: drop the table, or quantize with it alone");
    return quantize_stream(request, &table_out, param_out, bin_out);
}

} // namespace ncnn_int8
