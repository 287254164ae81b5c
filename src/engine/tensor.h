// One blob as the engine holds it: an ncnn Mat's shape (dims, w, h, d, c as
// ncnn names them) and its fp32 values, dense and unpacked.
//
// Dense means no cstep padding: channel q starts at q * plane(). ncnn aligns
// each channel of a 3-D/4-D Mat to 16 bytes, but ncnn2table never reads that
// padding: it extracts with elempack 1 (Extractor::extract unpacks) and, per
// channel p < c, reads channel(p)[0 .. w*h). So its statistics cover
// c * w * h values. Note the w*h: for a 4-D blob (d > 1) ncnn2table reads only
// the first depth slice of each channel; a calibrator that wants the same
// numbers must iterate channel(q)[0 .. w*h), not plane().
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/float_buffer.h"

namespace ncnn_int8::engine {

using ncnn_int8::Floats; // float storage not zeroed on resize (core/float_buffer.h)

struct Tensor {
    int dims = 0; // 0: empty; 1..4 as ncnn's Mat
    int w = 1, h = 1, d = 1, c = 1;
    Floats data; // c * plane() values

    size_t plane() const { return static_cast<size_t>(w) * h * d; }
    size_t total() const { return plane() * static_cast<size_t>(c); }
    float* channel(int q) { return data.data() + plane() * q; }
    const float* channel(int q) const { return data.data() + plane() * q; }
    bool empty() const { return dims == 0 || data.empty(); }

    // Shapes as ncnn's Mat::create overloads make them (unused axes are 1).
    static Tensor make1(int w);
    static Tensor make2(int w, int h);
    static Tensor make3(int w, int h, int c);
    static Tensor make4(int w, int h, int d, int c);
    // Same dims and axes as `shape`, values zero.
    static Tensor like(const Tensor& shape);
    // A shape as ncnn's Mat::create makes it, values left unset: for layers
    // that write every value.
    static Tensor for_overwrite(int dims, int w, int h, int d, int c);
    static Tensor for_overwrite_like(const Tensor& shape) { return for_overwrite(shape.dims, shape.w, shape.h, shape.d, shape.c); }

    bool same_shape(const Tensor& o) const { return dims == o.dims && w == o.w && h == o.h && d == o.d && c == o.c; }
    // "3-D 224x224x3" style text for messages (w x h [x d] x c).
    std::string shape_text() const;
};

} // namespace ncnn_int8::engine
