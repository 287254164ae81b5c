// ncnnllm2table: index the .bin, then read each qualifying weight once, a
// window of rows at a time, choose their block scales and stream them to
// the table.
#include <algorithm>
#include <cmath>

#include "core/format.h"
#include "kernels/kernels.h"
#include "llm/llm.h"
#include "llm/llm_plan.h"
#include "llm/llm_weights_io.h"

namespace ncnn_int8 {

namespace {

double sqnr_db(double signal, double noise)
{
    if (signal <= 0) return 0;
    return noise > 0 ? 10.0 * std::log10(signal / noise) : 999.0;
}

// The pass over the weights, on `lm`'s index.
Result<LlmReport> table_pass(const LlmTableRequest& request, LlmMethod method, const LlmModel& lm, ByteSink& table_out)
{
    const LlmOptions& opt = request.options;
    const Model& model = lm.model;

    LlmReport report;
    report.operation = "table";
    report.simd_target = kernels::active_target();
    report.bin_bytes_in = request.bin->size();
    Progress progress;
    progress.layers_total = model.layers.size();
    progress.bytes_total = request.bin->size();

    std::string text;
    TableNumberFormatter numbers;
    // The qualifying weights in .bin order, in windows of rows read ahead of
    // the work on them.
    std::vector<WeightPiece> order;
    for (size_t li = 0; li < model.layers.size(); li++)
        if (llm_kind(model.layers[li]) != LlmKind::None && llm_supported(model.layers[li], lm.index[li]))
            for (const LlmWeight& w : llm_weights(model.layers[li]))
                append_weight_pieces(*lm.index[li].find(w.blob), w.n, w.k, opt.window_bytes, order);
    const int threads = llm_resolve_threads(opt.threads);
    WeightPrefetcher prefetch(*request.bin, request.bin_name, order, threads > 1);
    ThreadTeam team(static_cast<size_t>(threads)); // the run's threads, started once
    std::vector<float> scales;
    std::vector<uint8_t> packed;
    for (size_t li = 0; li < model.layers.size(); li++) {
        const ModelLayer& layer = model.layers[li];
        const LlmKind kind = llm_kind(layer);
        progress.layers_done = li + 1;
        progress.bytes_done += lm.index[li].bytes;
        // The blobs this pass reads are the supported layers' weights; the
        // tags of the others are checked before and after those.
        const bool streamed = kind != LlmKind::None && llm_supported(layer, lm.index[li]);
        const auto is_read = [&](const std::string& blob) {
            if (streamed)
                for (const LlmWeight& w : llm_weights(layer))
                    if (w.blob == blob) return true;
            return false;
        };
        uint64_t first_read = UINT64_MAX;
        for (const BlobLocation& b : lm.index[li].blobs)
            if (is_read(b.spec->name)) first_read = std::min(first_read, b.offset);
        RETURN_IF_ERROR(check_unread_tags(*request.bin, request.bin_name, lm.index[li], is_read, 0, first_read));
        if (kind == LlmKind::None) continue;
        LlmLayerReport lr;
        lr.type = layer.decl->type;
        lr.name = layer.decl->name;
        if (!llm_supported(layer, lm.index[li])) {
            report.log.push_back((kind == LlmKind::Gemm ? "skip_gemm " : "skip_multiheadattention ") + lr.name);
            lr.action = "skipped";
            lr.reason = "not a supported " + lr.type;
            report.layers.push_back(std::move(lr));
            continue;
        }
        lr.action = "quantized";
        lr.bits = opt.bits;
        lr.block = opt.block;
        lr.method = llm_method_name(method);
        double signal = 0, noise = 0;
        for (const LlmWeight& w : llm_weights(layer)) {
            const int blocks = llm_block_count(w.k, opt.block);
            text.clear();
            append_llm_table_row_start(text, w.key, opt.bits, opt.block, llm_method_name(method));
            for (bool last = false; !last;) {
                ASSIGN_OR_RETURN(const WeightBuffer* buffer, prefetch.next());
                const WeightBuffer& weights = *buffer;
                const WeightPiece& piece = prefetch.current();
                const int rows = piece.row_end - piece.row_begin;
                last = piece.last;
                if (weights.size() != size_t(rows) * size_t(w.k))
                    return Status::failure(request.bin_name + ": " + layer.label() + ": weight " + w.blob + " is not " + std::to_string(w.n) + " x " + std::to_string(w.k));
                scales.resize(size_t(rows) * size_t(blocks));
                llm_make_scales(weights.data(), rows, w.k, opt.block, opt.bits, method, team, scales.data());
                numbers.append(text, scales.data(), scales.size(), team);
                if (last) text += '\n';
                RETURN_IF_ERROR(table_out.write(text.data(), text.size()));
                report.table_bytes_out += text.size();
                text.clear();
                lr.bytes_in += uint64_t(weights.size()) * 4;
                lr.bytes_out += uint64_t(rows) * llm_packed_row_bytes(w.k, opt.bits) + uint64_t(scales.size()) * 4;
                if (request.measure_error) {
                    packed.resize(size_t(rows) * llm_packed_row_bytes(w.k, opt.bits));
                    llm_pack_matrix(weights.data(), rows, w.k, scales.data(), opt.block, opt.bits, nullptr, team, packed.data(),
                                    &signal, &noise);
                }
            }
            report.log.push_back("write_llm_table " + w.key);
            report.table_rows++;
        }
        RETURN_IF_ERROR(check_unread_tags(*request.bin, request.bin_name, lm.index[li], is_read, first_read));
        if (request.measure_error) {
            lr.has_sqnr = true;
            lr.sqnr_db = sqnr_db(signal, noise);
        }
        report.layers.push_back(std::move(lr));
        if (request.on_progress && !request.on_progress(progress)) return Status::error(ErrorCode::Cancelled, {}, "cancelled");
    }
    report.log.push_back(format("ncnn llm quant table created %d rows", report.table_rows));
    RETURN_IF_ERROR(table_out.commit());
    return report;
}

} // namespace

Result<LlmReport> make_llm_table(const LlmTableRequest& request, ByteSink& table_out)
{
    const LlmOptions& opt = request.options;
    ASSIGN_OR_RETURN(LlmMethod method, check_llm_direct_options(opt, true));
    if (opt.threads < 0) return Status::failure(format("malformed thread %d", opt.threads));

    Diagnostics diagnostics;
    ASSIGN_OR_RETURN(Model model, load_llm_param(request.param, request.bin, request.bin_name, diagnostics));
    return run_on_index(
        model, *request.bin, request.bin_name, request.index_like_first_tag,
        [&](const std::vector<LayerBlobs>& index) { return table_pass(request, method, LlmModel{model, index}, table_out); },
        [&] { return table_out.rewind(); });
}

} // namespace ncnn_int8
