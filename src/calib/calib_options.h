// ncnn2table's key=value options (mean, norm, shape, pixel, thread, method,
// type), read as the reference reads them, plus our own (report, precision).
// Anything the reference would silently ignore or misread is an error here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ncnn_int8 {

enum class CalibMethod { Kl,
                         Aciq,
                         Eq };

// The pixel order the model wants; images are always decoded as BGR.
enum class PixelOrder { Rgb,
                        Bgr,
                        Gray,
                        Rgba,
                        Bgra };

const char* method_name(CalibMethod m);
const char* pixel_order_name(PixelOrder p);
int pixel_order_channels(PixelOrder p);

struct CalibOptions {
    std::vector<std::vector<float>> means; // one array per input
    std::vector<std::vector<float>> norms;
    std::vector<std::vector<int>> shapes; // [w,h(,c)] or npy [w(,h(,c(,d))))]
    std::vector<PixelOrder> pixels;
    bool has_mean = false, has_norm = false, has_shape = false, has_pixel = false;
    int threads = 0; // 0: every core
    CalibMethod method = CalibMethod::Kl;
    int file_type = 0;           // 0: images, 1: float32 .npy
    bool full_precision = false; // precision=full: %.9g instead of %f
    std::string report_path;     // report=FILE.json
};

// Parses every key=value argument; unknown keys, malformed values and
// repeated keys are errors that name the argument.
Result<CalibOptions> parse_calib_options(const std::vector<std::string>& args);

// Checks the options against the model's inputs (counts, per-input array
// sizes, norm values of 0). `with_lists`: activations are calibrated.
Status check_calib_options(const CalibOptions& options, size_t input_count, bool with_lists);

// ncnn2table's own decimal reader (vstr_to_float): digits summed in a double,
// then rounded to float. Unlike the reference, text it would skip (letters,
// a second point, nothing at all) is an error naming `what`.
Result<float> parse_reference_decimal(std::string_view text, const std::string& what);

} // namespace ncnn_int8
