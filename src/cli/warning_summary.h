// What the CLI prints after a run: warnings of one kind (the same message)
// folded into one line with the count and the first few layers, then the
// report's totals. The JSON report keeps every warning.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "quant/report.h"

namespace ncnn_int8 {

// One "warning: ..." line per message; a message seen once prints as
// "warning: WHERE: LAYER: MESSAGE", a repeated one as
// "warning: MESSAGE (N times: LAYER at WHERE, ... and K more)".
std::string warning_summary(const std::vector<Warning>& warnings, size_t places_shown = 3);

// warning_summary() followed by report_to_text()'s totals.
std::string cli_summary(const Report& report);

} // namespace ncnn_int8
