// The JSON form of an LlmReport (the CLIs' --report, the npm API): numbers
// with 6 significant digits, control characters as \u00XX, one layer a line.
#include "core/json_writer.h"
#include "llm/llm.h"

namespace ncnn_int8 {

std::string llm_report_to_json(const LlmReport& r)
{
    constexpr int kDigits = 6;
    JsonWriter j(ControlEscapes::unicode);
    j.begin_object();
    j.string("operation", r.operation);
    j.string("simd_target", r.simd_target);
    j.number("table_rows", r.table_rows, kDigits);
    j.number("bin_bytes_in", double(r.bin_bytes_in), kDigits);
    j.number("bin_bytes_out", double(r.bin_bytes_out), kDigits);
    j.number("param_bytes_out", double(r.param_bytes_out), kDigits);
    j.number("table_bytes_out", double(r.table_bytes_out), kDigits);
    j.begin_array("layers");
    for (const LlmLayerReport& l : r.layers) {
        j.line_break().begin_object();
        j.string("type", l.type);
        j.string("name", l.name);
        j.string("action", l.action);
        if (!l.reason.empty()) j.string("reason", l.reason);
        if (l.action == "quantized") {
            j.number("bits", l.bits, kDigits);
            j.number("block", l.block, kDigits);
            j.string("method", l.method);
        }
        j.number("bytes_in", double(l.bytes_in), kDigits);
        j.number("bytes_out", double(l.bytes_out), kDigits);
        if (l.has_sqnr) j.number("sqnr_db", l.sqnr_db, kDigits);
        j.end_object();
    }
    j.end_array();
    j.begin_array("log");
    for (const std::string& line : r.log) j.string({}, line);
    j.end_array();
    j.end_object();
    return j.text() + "\n";
}

} // namespace ncnn_int8
