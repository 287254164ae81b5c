// Calibration lists: one input path per line (the first whitespace-separated
// token, relative to the current directory, as ncnn2table reads them).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ncnn_int8 {

// Paths of one list, in order; blank lines are skipped. A token longer than
// the reference's 255 characters is an error naming the line.
Result<std::vector<std::string>> parse_list_text(std::string_view text, const std::string& list_name);

// Splits ncnn2table's LIST[,LIST...] argument.
std::vector<std::string> split_list_argument(const std::string& arg);

} // namespace ncnn_int8
