#include "quant/report.h"

#include <cmath>
#include <cstdio>

namespace ncnn_int8 {

namespace {

void json_string(std::string& out, const std::string& s)
{
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

void json_field(std::string& out, const char* key, const std::string& value, bool comma = true)
{
    json_string(out, key);
    out += ':';
    json_string(out, value);
    if (comma) out += ',';
}

void json_number(std::string& out, const char* key, double value, bool comma = true)
{
    json_string(out, key);
    char buf[32];
    std::snprintf(buf, sizeof buf, ":%.17g", std::isfinite(value) ? value : 0.0);
    out += buf;
    if (comma) out += ',';
}

std::string human_bytes(uint64_t n)
{
    char buf[32];
    if (n >= 1024 * 1024) std::snprintf(buf, sizeof buf, "%.2f MiB", n / 1048576.0);
    else if (n >= 1024) std::snprintf(buf, sizeof buf, "%.1f KiB", n / 1024.0);
    else std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
    return buf;
}

} // namespace

std::string report_to_json(const Report& r)
{
    std::string out = "{";
    json_field(out, "tool_version", r.tool_version);
    json_field(out, "simd_target", r.simd_target);
    out += "\"totals\":{";
    json_number(out, "layers", static_cast<double>(r.layers.size()));
    json_number(out, "int8", r.int8_layers);
    json_number(out, "fp16", r.fp16_layers);
    json_number(out, "unchanged", r.unchanged_layers);
    json_number(out, "skipped", r.skipped_layers);
    json_number(out, "param_bytes_in", static_cast<double>(r.param_bytes_in));
    json_number(out, "param_bytes_out", static_cast<double>(r.param_bytes_out));
    json_number(out, "bin_bytes_in", static_cast<double>(r.bin_bytes_in));
    json_number(out, "bin_bytes_out", static_cast<double>(r.bin_bytes_out), false);
    out += "},\"warnings\":[";
    for (size_t i = 0; i < r.warnings.size(); i++) {
        const Warning& w = r.warnings[i];
        out += i ? ",{" : "{";
        json_field(out, "where", w.where);
        json_field(out, "layer", w.layer);
        json_field(out, "message", w.message, false);
        out += '}';
    }
    out += "],\"layers\":[";
    for (size_t i = 0; i < r.layers.size(); i++) {
        const LayerReport& l = r.layers[i];
        out += i ? ",{" : "{";
        json_field(out, "type", l.type);
        json_field(out, "name", l.name);
        json_field(out, "action", l.action);
        json_field(out, "reason", l.reason);
        json_field(out, "fused_into", l.fused_into);
        json_number(out, "bytes_in", static_cast<double>(l.bytes_in));
        json_number(out, "bytes_out", static_cast<double>(l.bytes_out));
        json_number(out, "sqnr_db", l.sqnr_db, false);
        out += '}';
    }
    out += "]}\n";
    return out;
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
