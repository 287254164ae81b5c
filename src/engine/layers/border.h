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

// `in` is 3-D (or a 2-D/1-D tensor viewed as w x h x c); the result keeps dims.
inline Tensor with_border(const Tensor& in, const Border& b, float value)
{
    Tensor out = in;
    out.w = in.w + b.left + b.right;
    out.h = in.h + b.top + b.bottom;
    out.data.assign(out.total(), value);
    for (int q = 0; q < in.c; q++)
        for (int z = 0; z < in.d; z++)
            for (int y = 0; y < in.h; y++) {
                const float* src = in.channel(q) + (static_cast<size_t>(z) * in.h + y) * in.w;
                float* dst = out.channel(q) + (static_cast<size_t>(z) * out.h + y + b.top) * out.w + b.left;
                std::copy(src, src + in.w, dst);
            }
    return out;
}

} // namespace ncnn_int8::engine
