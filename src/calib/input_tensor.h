// A prepared model input: planar fp32, ncnn's w/h/d/c layout (channel
// after channel, rows inside a channel, no padding between channels).
#pragma once

#include <cstddef>
#include <vector>

namespace ncnn_int8 {

struct InputTensor {
    int dims = 0;
    int w = 0, h = 1, d = 1, c = 1;
    std::vector<float> data;

    size_t channel_size() const { return static_cast<size_t>(w) * h * d; }
    float* channel(int q) { return data.data() + channel_size() * q; }
    const float* channel(int q) const { return data.data() + channel_size() * q; }
};

} // namespace ncnn_int8
