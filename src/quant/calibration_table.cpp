#include "quant/calibration_table.h"

#include <cerrno>
#include <cstdlib>

#include "core/decimal_float.h"

namespace ncnn_int8 {

namespace {

constexpr size_t kMaxValuesPerLine = 1 << 24;

std::vector<std::string_view> split_fields(std::string_view line)
{
    std::vector<std::string_view> fields;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) i++;
        const size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') i++;
        if (i > start) fields.push_back(line.substr(start, i - start));
    }
    return fields;
}

bool parse_scale(std::string_view token, float* out)
{
    const std::string s(token);
    float v = 0.f;
    // ncnn2table's %f numbers take the exact fast path; the rest strtof
    if (!parse_decimal_exact(s.c_str(), v)) {
        char* end = nullptr;
        errno = 0;
        v = std::strtof(s.c_str(), &end);
        if (end != s.c_str() + s.size() || s.empty()) return false;
    }
    *out = v;
    return true;
}

} // namespace

const ScaleEntry* CalibrationTable::input_scale(const std::string& layer) const
{
    auto it = input_scales.find(layer);
    return it == input_scales.end() ? nullptr : &it->second;
}

const ScaleEntry* CalibrationTable::weight_scale(const std::string& layer, int k) const
{
    auto it = weight_scales.find(layer + "_param_" + std::to_string(k));
    return it == weight_scales.end() ? nullptr : &it->second;
}

Result<CalibrationTable> read_calibration_table(std::string_view text, const std::string& file_name, Diagnostics& diagnostics)
{
    CalibrationTable table;
    table.file_name = file_name;
    if (text.find('\0') != std::string_view::npos) return Status::error(ErrorCode::Input, {file_name}, "contains binary data; expected a text calibration table");
    // Accepted, as the reference accepts it, but said: nothing is quantized from it.
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        diagnostics.warn(file_name, "", "the table is empty: no scales, so only layers that need none (Gemm, SDPA) are quantized");

    size_t start = 0;
    int line_number = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        line_number++;
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        if (const size_t cr = line.find('\r'); cr != std::string_view::npos) line = line.substr(0, cr);

        const std::vector<std::string_view> fields = split_fields(line);
        if (fields.empty()) {
            // ncnn2int8 stops at the first empty line; so do we, for identical output.
            if (text.substr(std::min(start, text.size())).find_first_not_of(" \t\r\n") != std::string_view::npos)
                diagnostics.warn(file_name + ":" + std::to_string(line_number), "",
                                 "empty line: the entries after it are ignored, as ncnn2int8 ignores them");
            break;
        }
        const std::string key(fields[0]);
        const Location at{file_name, line_number};
        if (key.size() > 255) return Status::error(ErrorCode::Input, at, "key longer than the 255 characters ncnn2int8 reads");
        if (fields.size() - 1 > kMaxValuesPerLine) return Status::error(ErrorCode::Unsupported, at, "too many values");
        ScaleEntry entry;
        entry.line = line_number;
        entry.values.reserve(fields.size() - 1);
        for (size_t i = 1; i < fields.size(); i++) {
            float v = 0;
            if (!parse_scale(fields[i], &v))
                return Status::error(ErrorCode::Input, at, "'" + key + "': value " + std::to_string(i) + " ('" + std::string(fields[i]) + "') is not a number");
            entry.values.push_back(v);
        }
        if (entry.values.empty()) return Status::error(ErrorCode::Input, at, "'" + key + "' has no values");
        auto& section = key.find("_param_") != std::string::npos ? table.weight_scales : table.input_scales;
        auto [it, inserted] = section.emplace(key, entry);
        if (!inserted) {
            diagnostics.warn(file_name + ":" + std::to_string(line_number), "", "'" + key + "' appears again (first on line " + std::to_string(it->second.line) + "); the last one is used");
            it->second = entry;
        }
    }
    return table;
}

} // namespace ncnn_int8
