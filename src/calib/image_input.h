// Images as ncnn2table prepares them: decoded by stb_image to 8-bit BGR (as
// ncnn's simpleocv imread(path, 1) does), resized with ncnn's fixed-point
// bilinear from_pixels_resize, converted to the model's pixel order, then
// (x - mean) * norm as substract_mean_normalize computes it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "calib/calib_options.h"
#include "calib/input_tensor.h"
#include "core/status.h"

namespace ncnn_int8 {

struct BgrImage {
    int w = 0, h = 0;
    std::vector<uint8_t> pixels; // w * h * 3, rows top to bottom, B G R
};

// JPEG, PNG, BMP and PNM (the formats ncnn's own decoder is built with).
Result<BgrImage> decode_image_bgr(const uint8_t* bytes, size_t size, const std::string& name);

// ncnn's resize_bilinear_c3 (11-bit coefficients, 16-bit rows). Both sizes
// must be at least 2 in each direction.
BgrImage resize_bilinear_bgr(const BgrImage& src, int w, int h);

// from_pixels from BGR to `order` (1, 3 or 4 channels).
InputTensor bgr_to_planar(const BgrImage& image, PixelOrder order);

// x * norm + (-mean * norm), fused multiply-add per value as ncnn's x86
// Scale layer computes it.
void subtract_mean_normalize(InputTensor& t, const std::vector<float>& mean, const std::vector<float>& norm);

// The target size for shape=[w,h]: both > 0 as given; both <= 0 the image's
// own; one <= 0 follows the aspect ratio as ncnn2table computes it.
Result<std::pair<int, int>> image_target_size(int image_w, int image_h, int shape_w, int shape_h, const std::string& name);

// The whole path for one input file.
Result<InputTensor> prepare_image(const uint8_t* bytes, size_t size, const std::string& name, const std::vector<int>& shape,
                                  PixelOrder order, const std::vector<float>& mean, const std::vector<float>& norm);

} // namespace ncnn_int8
