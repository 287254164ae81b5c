// Param handles of the elementwise family: one struct per ncnn layer type, one
// handle per param (id and name as ncnn's layer sources call them).
// Binary element-wise ops, reductions and index ops.
#pragma once

#include "model/param_handle.h"

namespace ncnn_int8::params {

struct ArgMax {
    static constexpr const char* layer_type = "ArgMax";
    static constexpr IntParam out_max_val{0, "out_max_val"};
    static constexpr IntParam topk{1, "topk"};
    static constexpr std::array all{ref(out_max_val), ref(topk)};
};

struct BinaryOp {
    static constexpr const char* layer_type = "BinaryOp";
    static constexpr IntParam op_type{0, "op_type"};
    static constexpr IntParam with_scalar{1, "with_scalar"};
    static constexpr FloatParam b{2, "b"};
    static constexpr std::array all{ref(op_type), ref(with_scalar), ref(b)};
};

struct CumulativeSum {
    static constexpr const char* layer_type = "CumulativeSum";
    static constexpr IntParam axis{0, "axis"};
    static constexpr std::array all{ref(axis)};
};

struct Diag {
    static constexpr const char* layer_type = "Diag";
    static constexpr IntParam diagonal{0, "diagonal"};
    static constexpr std::array all{ref(diagonal)};
};

struct Einsum {
    static constexpr const char* layer_type = "Einsum";
    static constexpr IntArrayParam equation{0, "equation"};
    static constexpr std::array all{ref(equation)};
};

struct Eltwise {
    static constexpr const char* layer_type = "Eltwise";
    static constexpr IntParam op_type{0, "op_type"};
    static constexpr FloatArrayParam coeffs{1, "coeffs"};
    static constexpr std::array all{ref(op_type), ref(coeffs)};
};

struct Reduction {
    static constexpr const char* layer_type = "Reduction";
    static constexpr IntParam operation{0, "operation"};
    static constexpr IntParam reduce_all{1, "reduce_all"};
    static constexpr FloatParam coeff{2, "coeff"};
    static constexpr IntArrayParam axes{3, "axes"};
    static constexpr IntParam keepdims{4, "keepdims"};
    static constexpr IntParam fixbug0{5, "fixbug0"};
    static constexpr std::array all{
        ref(operation), ref(reduce_all), ref(coeff), ref(axes), ref(keepdims), ref(fixbug0)};
};

} // namespace ncnn_int8::params
