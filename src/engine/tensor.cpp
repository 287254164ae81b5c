#include "engine/tensor.h"

#include <algorithm>

namespace ncnn_int8::engine {

namespace {
Tensor shaped(int dims, int w, int h, int d, int c)
{
    Tensor t = Tensor::for_overwrite(dims, w, h, d, c);
    std::fill(t.data.begin(), t.data.end(), 0.f);
    return t;
}
} // namespace

Tensor Tensor::for_overwrite(int dims, int w, int h, int d, int c)
{
    Tensor t;
    t.dims = dims;
    t.w = w;
    t.h = h;
    t.d = d;
    t.c = c;
    t.data.resize(t.total());
    return t;
}

Tensor Tensor::make1(int w) { return shaped(1, w, 1, 1, 1); }
Tensor Tensor::make2(int w, int h) { return shaped(2, w, h, 1, 1); }
Tensor Tensor::make3(int w, int h, int c) { return shaped(3, w, h, 1, c); }
Tensor Tensor::make4(int w, int h, int d, int c) { return shaped(4, w, h, d, c); }
Tensor Tensor::like(const Tensor& s) { return shaped(s.dims, s.w, s.h, s.d, s.c); }

std::string Tensor::shape_text() const
{
    std::string s = std::to_string(dims) + "-D " + std::to_string(w);
    if (dims >= 2) s += "x" + std::to_string(h);
    if (dims == 4) s += "x" + std::to_string(d);
    if (dims >= 3) s += "x" + std::to_string(c);
    return s;
}

} // namespace ncnn_int8::engine
