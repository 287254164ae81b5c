#include "ncnn_int8.h"

#include <cmath>

#include "kernels/kernels.h"
#include "model/bin_reader.h"
#include "model/bin_writer.h"
#include "model/model.h"
#include "model/param_file.h"
#include "model/param_writer.h"
#include "ncnn_int8_version.h"
#include "quant/calibration_table.h"
#include "quant/layer_quantizer.h"
#include "quant/quantize_plan.h"

namespace ncnn_int8 {

const char* const kVersion = kProjectVersion;

namespace {

void count_action(Report& report, LayerAction a)
{
    switch (a) {
    case LayerAction::Int8: report.int8_layers++; break;
    case LayerAction::Fp16: report.fp16_layers++; break;
    case LayerAction::Unchanged: report.unchanged_layers++; break;
    case LayerAction::Skipped: report.skipped_layers++; break;
    }
}

// Streams one layer: load its blobs, apply its plan, write what the output
// params call for.
Status stream_layer(const Model& model, size_t li, const LayerBlobs& in_blobs, const LayerPlan& plan,
                    const QuantizeRequest& request, BlobWriter& writer, Diagnostics& diagnostics, LayerReport& report)
{
    const ModelLayer& layer = model.layers[li];
    const std::string where = request.bin_name + " (" + model.file.file_name + ":" + std::to_string(layer.decl->line) + ")";
    LayerBlobSet blobs;
    blobs.blobs.reserve(in_blobs.blobs.size() + 4);
    for (const BlobLocation& loc : in_blobs.blobs) {
        blobs.blobs.emplace_back();
        RETURN_IF_ERROR(load_blob(*request.bin, request.bin_name, loc, blobs.blobs.back()));
    }
    kernels::ErrorSums error;
    RETURN_IF_ERROR(quantize_layer(layer, plan, blobs, where, diagnostics, error));
    if (error.signal > 0) report.sqnr_db = error.noise > 0 ? 10.0 * std::log10(error.signal / error.noise) : 999.0;

    ASSIGN_OR_RETURN(std::vector<PlannedBlob> out_blobs, present_blobs(layer, plan.out_params, model.file.file_name));
    const uint64_t before = writer.total();
    for (const PlannedBlob& pb : out_blobs) {
        const BlobData* data = blobs.find(pb.spec->name);
        if (!data) return Status::error(ErrorCode::Input, {where, 0, layer.label()}, "no data for weight blob " + pb.spec->name);
        RETURN_IF_ERROR(writer.write(*data, pb.tagged).status());
    }
    report.bytes_out = writer.total() - before;
    return Status::ok();
}

// One run over an index of the .bin. Every blob is read, so where the
// index was laid out from the first tag, every assumed tag is checked
// (load_blob) before the output is committed.
Result<Report> quantize_indexed(const QuantizeRequest& request, const Model& model, const std::optional<CalibrationTable>& table, const std::vector<LayerBlobs>& index,
                                Diagnostics diagnostics, ByteSink& param_out, ByteSink& bin_out)
{
    ASSIGN_OR_RETURN(QuantizePlan plan, plan_quantization(model, table ? &*table : nullptr, index, *request.bin, request.bin_name, diagnostics));

    Report report;
    report.tool_version = kVersion;
    report.simd_target = kernels::active_target();
    report.param_bytes_in = request.param.text.size();
    report.bin_bytes_in = request.bin->size();

    Progress progress;
    progress.layers_total = model.layers.size();
    progress.bytes_total = request.bin->size();
    BlobWriter writer(bin_out);
    for (size_t li = 0; li < model.layers.size(); li++) {
        const ModelLayer& layer = model.layers[li];
        const LayerPlan& lp = plan.layers[li];
        LayerReport lr;
        lr.type = layer.decl->type;
        lr.name = layer.decl->name;
        lr.action = action_name(lp.action);
        lr.reason = lp.reason;
        lr.fused_into = lp.fused_into;
        lr.bytes_in = index[li].bytes;
        RETURN_IF_ERROR(stream_layer(model, li, index[li], lp, request, writer, diagnostics, lr));
        count_action(report, lp.action);
        report.layers.push_back(std::move(lr));
        progress.layers_done = li + 1;
        progress.bytes_done += index[li].bytes;
        if (request.on_progress && !request.on_progress(progress)) return Status::error(ErrorCode::Cancelled, {}, "cancelled");
    }

    std::vector<LayerParams> out_params;
    out_params.reserve(plan.layers.size());
    for (const LayerPlan& lp : plan.layers) out_params.push_back(lp.out_params);
    const std::string param_text = write_param_text(model, out_params);
    RETURN_IF_ERROR(param_out.write(param_text.data(), param_text.size()));
    report.param_bytes_out = param_text.size();
    report.bin_bytes_out = writer.total();
    RETURN_IF_ERROR(bin_out.commit());
    RETURN_IF_ERROR(param_out.commit());
    report.warnings = diagnostics.warnings();
    return report;
}

} // namespace

Result<Report> quantize_model(const QuantizeRequest& request, ByteSink& param_out, ByteSink& bin_out)
{
    Diagnostics diagnostics;
    ASSIGN_OR_RETURN(ParamFile param_file, read_param_text(request.param.text, request.param.name));
    ASSIGN_OR_RETURN(Model model, build_model(std::move(param_file), diagnostics));

    std::optional<CalibrationTable> table;
    if (request.table) {
        ASSIGN_OR_RETURN(table, read_calibration_table(request.table->text, request.table->name, diagnostics));
    }
    if (!request.bin) return Status::error(ErrorCode::Input, {request.bin_name}, "no weights given");
    return run_on_index(
        model, *request.bin, request.bin_name, request.index_like_first_tag,
        [&](const std::vector<LayerBlobs>& index) { return quantize_indexed(request, model, table, index, diagnostics, param_out, bin_out); },
        [&] { return bin_out.rewind(); });
}

} // namespace ncnn_int8
