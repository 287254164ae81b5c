// Axis helpers shared by the layers: ncnn addresses axes outermost first
// ([w] / [h, w] / [c, h, w] / [c, d, h, w]) and our tensors are dense, so an
// axis splits the data into outer x extent x inner.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "engine/tensor.h"

namespace ncnn_int8::engine {

// Extents outermost first, dims entries.
inline std::vector<int> axes_of(const Tensor& t)
{
    switch (t.dims) {
    case 1: return {t.w};
    case 2: return {t.h, t.w};
    case 3: return {t.c, t.h, t.w};
    default: return {t.c, t.d, t.h, t.w};
    }
}

// A tensor with these extents (outermost first), values unset (for a
// caller that writes them all).
inline Tensor tensor_for_overwrite(const std::vector<int>& ext)
{
    switch (ext.size()) {
    case 1: return Tensor::for_overwrite(1, ext[0], 1, 1, 1);
    case 2: return Tensor::for_overwrite(2, ext[1], ext[0], 1, 1);
    case 3: return Tensor::for_overwrite(3, ext[2], ext[1], 1, ext[0]);
    default: return Tensor::for_overwrite(4, ext[3], ext[2], ext[1], ext[0]);
    }
}

// A tensor with these extents (outermost first), values zero.
inline Tensor tensor_of(const std::vector<int>& ext)
{
    Tensor t = tensor_for_overwrite(ext);
    std::fill(t.data.begin(), t.data.end(), 0.f);
    return t;
}

struct AxisSplit {
    size_t outer = 1, extent = 1, inner = 1;
};

// `axis` may be negative (counted from the end); false when out of range.
inline bool split_at_axis(const Tensor& t, int axis, AxisSplit& s)
{
    const std::vector<int> ext = axes_of(t);
    if (axis < 0) axis += t.dims;
    if (axis < 0 || axis >= t.dims) return false;
    s = AxisSplit{};
    for (int k = 0; k < axis; k++) s.outer *= ext[k];
    s.extent = ext[axis];
    for (int k = axis + 1; k < t.dims; k++) s.inner *= ext[k];
    return true;
}

} // namespace ncnn_int8::engine
