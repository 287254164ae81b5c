#include "calib/table_writer.h"

#include <cmath>
#include <cstdio>

namespace ncnn_int8 {

namespace {

void append_line(std::string& out, const Model& model, const ScaleLine& line, bool full_precision, Diagnostics& diagnostics)
{
    out += line.key;
    out += ' ';
    bool zero_printed = false;
    char buf[64];
    for (float v : line.values) {
        std::snprintf(buf, sizeof buf, full_precision ? "%.9g " : "%f ", static_cast<double>(v));
        out += buf;
        if (!full_precision && v != 0.f && (std::string(buf) == "0.000000 " || std::string(buf) == "-0.000000 ")) zero_printed = true;
    }
    out += '\n';
    if (zero_printed)
        diagnostics.warn("table", model.layers[line.layer].label(),
                         "scale '" + line.key + "' is not 0 but prints as 0.000000 (the int8 model would be unusable); "
                                                "precision=full writes it exactly");
}

} // namespace

std::string write_table(const Model& model, const std::vector<ScaleLine>& weight_lines, const std::vector<ScaleLine>& activation_lines,
                        const std::vector<ScaleLine>& fixed_lines, bool full_precision, Diagnostics& diagnostics)
{
    std::string out;
    for (const auto* group : {&weight_lines, &activation_lines, &fixed_lines})
        for (const ScaleLine& line : *group) append_line(out, model, line, full_precision, diagnostics);
    return out;
}

} // namespace ncnn_int8
