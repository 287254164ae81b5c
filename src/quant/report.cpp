#include "quant/report.h"

#include <cmath>
#include <cstdio>

#include "core/json_writer.h"

namespace ncnn_int8 {

namespace {

std::string human_bytes(uint64_t n)
{
    char buf[32];
    if (n >= 1024 * 1024)
        std::snprintf(buf, sizeof buf, "%.2f MiB", n / 1048576.0);
    else if (n >= 1024)
        std::snprintf(buf, sizeof buf, "%.1f KiB", n / 1024.0);
    else
        std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
    return buf;
}

} // namespace

std::string report_to_json(const Report& r)
{
    JsonWriter j;
    j.begin_object();
    j.string("tool_version", r.tool_version);
    j.string("simd_target", r.simd_target);
    j.begin_object("totals");
    j.number("layers", static_cast<double>(r.layers.size()));
    j.number("int8", r.int8_layers);
    j.number("fp16", r.fp16_layers);
    j.number("unchanged", r.unchanged_layers);
    j.number("skipped", r.skipped_layers);
    j.number("param_bytes_in", static_cast<double>(r.param_bytes_in));
    j.number("param_bytes_out", static_cast<double>(r.param_bytes_out));
    j.number("bin_bytes_in", static_cast<double>(r.bin_bytes_in));
    j.number("bin_bytes_out", static_cast<double>(r.bin_bytes_out));
    j.end_object();
    j.begin_array("warnings");
    for (const Warning& w : r.warnings) {
        j.begin_object();
        j.string("where", w.where);
        j.string("layer", w.layer);
        j.string("message", w.message);
        j.end_object();
    }
    j.end_array();
    j.begin_array("layers");
    for (const LayerReport& l : r.layers) {
        j.begin_object();
        j.string("type", l.type);
        j.string("name", l.name);
        j.string("action", l.action);
        j.string("reason", l.reason);
        j.string("fused_into", l.fused_into);
        j.number("bytes_in", static_cast<double>(l.bytes_in));
        j.number("bytes_out", static_cast<double>(l.bytes_out));
        j.number("sqnr_db", l.sqnr_db);
        j.end_object();
    }
    j.end_array();
    j.end_object();
    return j.text() + "\n";
}

std::string report_to_text(const Report& r)
{
    std::string out;
    char line[512];
    for (const Warning& w : r.warnings) {
        out += "warning: " + w.where + ": ";
        if (!w.layer.empty()) out += w.layer + ": ";
        out += w.message + "\n";
    }
    std::snprintf(line, sizeof line, "%zu layers: %d int8, %d fp16, %d unchanged, %d kept in float\n", r.layers.size(),
                  r.int8_layers, r.fp16_layers, r.unchanged_layers, r.skipped_layers);
    out += line;
    const double ratio = r.bin_bytes_in ? static_cast<double>(r.bin_bytes_out) / static_cast<double>(r.bin_bytes_in) : 0.0;
    out += "weights: " + human_bytes(r.bin_bytes_in) + " -> " + human_bytes(r.bin_bytes_out);
    std::snprintf(line, sizeof line, " (%.1f%%), SIMD target %s\n", ratio * 100.0, r.simd_target.c_str());
    out += line;
    return out;
}

} // namespace ncnn_int8
