// Constant borders around each channel's w x h plane (ncnn's
// copy_make_border with BORDER_CONSTANT), for convolution and pooling.
#pragma once

#include <algorithm>

#include "engine/tensor.h"

namespace ncnn_int8::engine {

struct Border {
    int top = 0, bottom = 0, left = 0, right = 0;
    bool any() const { return top > 0 || bottom > 0 || left > 0 || right > 0; }
};

// The planes of `data` (c x d planes of w x h values) with the border, as
// a dims-`dims` tensor; only the new tensor is written (no copy of `in`).
inline Tensor with_border(const float* data, int dims, int w, int h, int d, int c, const Border& b, float value)
{
    Tensor out;
    out.dims = dims;
    out.w = w + b.left + b.right;
    out.h = h + b.top + b.bottom;
    out.d = d;
    out.c = c;
    out.data.resize(out.total()); // each value written once below
    const size_t ow = out.w;
    for (int q = 0; q < c; q++)
        for (int z = 0; z < d; z++) {
            float* plane = out.channel(q) + static_cast<size_t>(z) * out.h * ow;
            std::fill(plane, plane + b.top * ow, value);
            for (int y = 0; y < h; y++) {
                const float* src = data + ((static_cast<size_t>(q) * d + z) * h + y) * w;
                float* dst = plane + (static_cast<size_t>(y) + b.top) * ow;
                std::fill(dst, dst + b.left, value);
                std::copy(src, src + w, dst + b.left);
                std::fill(dst + b.left + w, dst + ow, value);
            }
            std::fill(plane + (static_cast<size_t>(h) + b.top) * ow, plane + static_cast<size_t>(out.h) * ow, value);
        }
    return out;
}

// `in` is 3-D (or a 2-D/1-D tensor viewed as w x h x c); the result keeps dims.
inline Tensor with_border(const Tensor& in, const Border& b, float value)
{
    return with_border(in.data.data(), in.dims, in.w, in.h, in.d, in.c, b, value);
}

} // namespace ncnn_int8::engine
