// The JSON form of an LlmReport (the CLIs' --report, the npm API).
#include <cmath>
#include <cstdio>

#include "llm/llm.h"

namespace ncnn_int8 {

namespace {

void quoted(std::string& out, const std::string& s)
{
    out += '"';
    for (char ch : s) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof(buf), "\\u%04x", c);
            out += buf;
        } else {
            out += ch;
        }
    }
    out += '"';
}

void key(std::string& out, const char* k)
{
    quoted(out, k);
    out += ':';
}

void number(std::string& out, double v)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.6g", std::isfinite(v) ? v : 0.0);
    out += buf;
}

} // namespace

std::string llm_report_to_json(const LlmReport& r)
{
    std::string out = "{";
    key(out, "operation");
    quoted(out, r.operation);
    out += ',';
    key(out, "simd_target");
    quoted(out, r.simd_target);
    out += ',';
    key(out, "table_rows");
    number(out, r.table_rows);
    out += ',';
    key(out, "bin_bytes_in");
    number(out, double(r.bin_bytes_in));
    out += ',';
    key(out, "bin_bytes_out");
    number(out, double(r.bin_bytes_out));
    out += ',';
    key(out, "param_bytes_out");
    number(out, double(r.param_bytes_out));
    out += ',';
    key(out, "table_bytes_out");
    number(out, double(r.table_bytes_out));
    out += ',';
    key(out, "layers");
    out += '[';
    for (size_t i = 0; i < r.layers.size(); i++) {
        const LlmLayerReport& l = r.layers[i];
        out += i ? ",\n{" : "\n{";
        key(out, "type");
        quoted(out, l.type);
        out += ',';
        key(out, "name");
        quoted(out, l.name);
        out += ',';
        key(out, "action");
        quoted(out, l.action);
        if (!l.reason.empty()) {
            out += ',';
            key(out, "reason");
            quoted(out, l.reason);
        }
        if (l.action == "quantized") {
            out += ',';
            key(out, "bits");
            number(out, l.bits);
            out += ',';
            key(out, "block");
            number(out, l.block);
            out += ',';
            key(out, "method");
            quoted(out, l.method);
        }
        out += ',';
        key(out, "bytes_in");
        number(out, double(l.bytes_in));
        out += ',';
        key(out, "bytes_out");
        number(out, double(l.bytes_out));
        if (l.has_sqnr) {
            out += ',';
            key(out, "sqnr_db");
            number(out, l.sqnr_db);
        }
        out += '}';
    }
    out += "],";
    key(out, "log");
    out += '[';
    for (size_t i = 0; i < r.log.size(); i++) {
        if (i) out += ',';
        quoted(out, r.log[i]);
    }
    out += "]}\n";
    return out;
}

} // namespace ncnn_int8
