#include "calib/image_input.h"

#include <algorithm>
#include <climits>
#include <cmath>

#include <stb/stb_image.h>

#include "core/format.h"

namespace ncnn_int8 {

namespace {
constexpr uint64_t kMaxPixels = uint64_t(1) << 28;
} // namespace

Result<BgrImage> decode_image_bgr(const uint8_t* bytes, size_t size, const std::string& name)
{
    if (size > static_cast<size_t>(INT_MAX)) return Status::failure(name + ": the file is too large to be an image");
    int w = 0, h = 0, c = 0;
    if (!stbi_info_from_memory(bytes, static_cast<int>(size), &w, &h, &c))
        return Status::failure(name + ": not an image stb_image can read (JPEG, PNG, BMP or PNM): " + stbi_failure_reason());
    if (static_cast<uint64_t>(w) * static_cast<uint64_t>(h) > kMaxPixels)
        return Status::failure(format("%s: %dx%d pixels is too large", name.c_str(), w, h));
    unsigned char* rgb = stbi_load_from_memory(bytes, static_cast<int>(size), &w, &h, &c, 3);
    if (!rgb) return Status::failure(name + ": cannot decode the image: " + stbi_failure_reason());
    BgrImage out;
    out.w = w;
    out.h = h;
    out.pixels.assign(rgb, rgb + static_cast<size_t>(w) * h * 3);
    stbi_image_free(rgb);
    for (size_t i = 0; i < out.pixels.size(); i += 3) std::swap(out.pixels[i], out.pixels[i + 2]);
    return out;
}

namespace {

// Per destination coordinate: source index and two 11-bit weights.
struct Taps {
    std::vector<int> offset;
    std::vector<short> weight; // 2 per coordinate
};

Taps bilinear_taps(int src, int dst)
{
    const int kCoefScale = 1 << 11;
    const double scale = static_cast<double>(src) / dst;
    Taps t;
    t.offset.resize(dst);
    t.weight.resize(static_cast<size_t>(dst) * 2);
    auto to_short = [](float x) {
        const int v = static_cast<int>(x + (x >= 0.f ? 0.5f : -0.5f));
        return static_cast<short>(std::min(std::max(v, SHRT_MIN), SHRT_MAX));
    };
    for (int i = 0; i < dst; i++) {
        float f = static_cast<float>((i + 0.5) * scale - 0.5);
        int s = static_cast<int>(std::floor(f));
        f -= s;
        if (s < 0) {
            s = 0;
            f = 0.f;
        }
        if (s >= src - 1) {
            s = src - 2;
            f = 1.f;
        }
        t.offset[i] = s;
        t.weight[i * 2] = to_short((1.f - f) * kCoefScale);
        t.weight[i * 2 + 1] = to_short(f * kCoefScale);
    }
    return t;
}

} // namespace

BgrImage resize_bilinear_bgr(const BgrImage& src, int w, int h)
{
    const Taps xs = bilinear_taps(src.w, w);
    const Taps ys = bilinear_taps(src.h, h);
    BgrImage dst;
    dst.w = w;
    dst.h = h;
    dst.pixels.resize(static_cast<size_t>(w) * h * 3);
    const size_t row_len = static_cast<size_t>(w) * 3;
    std::vector<short> rows0(row_len), rows1(row_len);
    auto hresize = [&](int sy, std::vector<short>& row) {
        const uint8_t* s = src.pixels.data() + static_cast<size_t>(sy) * src.w * 3;
        for (int dx = 0; dx < w; dx++) {
            const uint8_t* p = s + static_cast<size_t>(xs.offset[dx]) * 3;
            const int a0 = xs.weight[dx * 2], a1 = xs.weight[dx * 2 + 1];
            for (int k = 0; k < 3; k++) row[dx * 3 + k] = static_cast<short>((p[k] * a0 + p[k + 3] * a1) >> 4);
        }
    };
    int loaded = -2; // source row held in rows0 (rows1 holds loaded + 1)
    for (int dy = 0; dy < h; dy++) {
        const int sy = ys.offset[dy];
        if (sy != loaded) {
            if (sy == loaded + 1) {
                std::swap(rows0, rows1);
                hresize(sy + 1, rows1);
            } else {
                hresize(sy, rows0);
                hresize(sy + 1, rows1);
            }
            loaded = sy;
        }
        const int b0 = ys.weight[dy * 2], b1 = ys.weight[dy * 2 + 1];
        uint8_t* d = dst.pixels.data() + static_cast<size_t>(dy) * row_len;
        for (size_t i = 0; i < row_len; i++) {
            // 16-bit high products, then round and shift: ncnn's vresize.
            const int v = ((static_cast<short>((b0 * rows0[i]) >> 16) + static_cast<short>((b1 * rows1[i]) >> 16) + 2) >> 2);
            d[i] = static_cast<uint8_t>(std::min(std::max(v, 0), 255));
        }
    }
    return dst;
}

InputTensor bgr_to_planar(const BgrImage& image, PixelOrder order)
{
    InputTensor t;
    t.dims = 3;
    t.w = image.w;
    t.h = image.h;
    t.c = pixel_order_channels(order);
    const size_t n = static_cast<size_t>(image.w) * image.h;
    t.data.resize(n * t.c);
    const uint8_t* p = image.pixels.data();
    float* out = t.data.data();
    switch (order) {
    case PixelOrder::Bgr:
    case PixelOrder::Bgra:
        for (size_t i = 0; i < n; i++)
            for (int k = 0; k < 3; k++) out[n * k + i] = p[i * 3 + k];
        break;
    case PixelOrder::Rgb:
    case PixelOrder::Rgba:
        for (size_t i = 0; i < n; i++)
            for (int k = 0; k < 3; k++) out[n * k + i] = p[i * 3 + 2 - k];
        break;
    case PixelOrder::Gray:
        // 0.299 R + 0.587 G + 0.114 B in 8-bit fixed point
        for (size_t i = 0; i < n; i++) out[i] = static_cast<float>((p[i * 3 + 2] * 77 + p[i * 3 + 1] * 150 + p[i * 3] * 29) >> 8);
        break;
    }
    if (t.c == 4) std::fill(out + n * 3, out + n * 4, 255.f);
    return t;
}

void subtract_mean_normalize(InputTensor& t, const std::vector<float>& mean, const std::vector<float>& norm)
{
    const size_t size = t.plane();
    for (int q = 0; q < t.c; q++) {
        const float s = norm[q];
        const float b = -mean[q] * norm[q];
        float* p = t.channel(q);
        for (size_t i = 0; i < size; i++) p[i] = std::fma(p[i], s, b);
    }
}

Result<std::pair<int, int>> image_target_size(int image_w, int image_h, int shape_w, int shape_h, const std::string& name)
{
    int tw = shape_w, th = shape_h;
    if (tw <= 0 && th <= 0) return std::make_pair(image_w, image_h);
    if (th <= 0) {
        const float scale = static_cast<float>(1.0 * image_w / tw);
        th = static_cast<int>(1.0 * image_h / scale);
    } else if (tw <= 0) {
        const float scale = static_cast<float>(1.0 * image_h / th);
        tw = static_cast<int>(1.0 * image_w / scale);
    }
    if (tw <= 0 || th <= 0)
        return Status::failure(format("%s: a %dx%d image resized to width %d, height %d keeping its aspect ratio has no pixels", name.c_str(),
                                      image_w, image_h, shape_w, shape_h));
    if (static_cast<uint64_t>(tw) * static_cast<uint64_t>(th) > kMaxPixels)
        return Status::failure(format("%s: the target size %dx%d is too large", name.c_str(), tw, th));
    return std::make_pair(tw, th);
}

Result<InputTensor> prepare_image(const uint8_t* bytes, size_t size, const std::string& name, const std::vector<int>& shape,
                                  PixelOrder order, const std::vector<float>& mean, const std::vector<float>& norm)
{
    ASSIGN_OR_RETURN(BgrImage image, decode_image_bgr(bytes, size, name));
    ASSIGN_OR_RETURN(auto target, image_target_size(image.w, image.h, shape[0], shape[1], name));
    if (target.first != image.w || target.second != image.h) {
        if (image.w < 2 || image.h < 2)
            return Status::failure(format("%s: a %dx%d image cannot be resized (ncnn's bilinear resize needs at least 2x2 pixels)",
                                          name.c_str(), image.w, image.h));
        image = resize_bilinear_bgr(image, target.first, target.second);
    }
    InputTensor t = bgr_to_planar(image, order);
    subtract_mean_normalize(t, mean, norm);
    return t;
}

} // namespace ncnn_int8
