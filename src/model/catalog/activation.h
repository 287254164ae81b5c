// Param handles of the activation family: one struct per ncnn layer type, one
// handle per param (id and name as ncnn's layer sources call them).
// Activations and other one-input element-wise layers.
#pragma once

#include "model/catalog/no_params.h"
#include "model/param_handle.h"

namespace ncnn_int8::params {

// Params (ids, names and the `all` list) that several types have in common;
// a type that derives from one has exactly these params.
struct Alpha {
    static constexpr FloatParam alpha{0, "alpha"};
    static constexpr std::array all{ref(alpha)};
};

struct AlphaBeta {
    static constexpr FloatParam alpha{0, "alpha"};
    static constexpr FloatParam beta{1, "beta"};
    static constexpr std::array all{ref(alpha), ref(beta)};
};

// Exp and Log: base^(shift + scale * x) and its inverse.
struct BaseScaleShift {
    static constexpr FloatParam base{0, "base"};
    static constexpr FloatParam scale{1, "scale"};
    static constexpr FloatParam shift{2, "shift"};
    static constexpr std::array all{ref(base), ref(scale), ref(shift)};
};

struct AbsVal : NoParams {
    static constexpr const char* layer_type = "AbsVal";
};

struct BNLL : NoParams {
    static constexpr const char* layer_type = "BNLL";
};

struct CELU : Alpha {
    static constexpr const char* layer_type = "CELU";
};

struct Clip {
    static constexpr const char* layer_type = "Clip";
    static constexpr FloatParam min{0, "min"};
    static constexpr FloatParam max{1, "max"};
    static constexpr std::array all{ref(min), ref(max)};
};

struct Dropout {
    static constexpr const char* layer_type = "Dropout";
    static constexpr FloatParam scale{0, "scale"};
    static constexpr std::array all{ref(scale)};
};

struct ELU : Alpha {
    static constexpr const char* layer_type = "ELU";
};

struct Erf : NoParams {
    static constexpr const char* layer_type = "Erf";
};

struct Exp : BaseScaleShift {
    static constexpr const char* layer_type = "Exp";
};

struct GELU {
    static constexpr const char* layer_type = "GELU";
    static constexpr IntParam fast_gelu{0, "fast_gelu"};
    static constexpr std::array all{ref(fast_gelu)};
};

struct GLU {
    static constexpr const char* layer_type = "GLU";
    static constexpr IntParam axis{0, "axis"};
    static constexpr std::array all{ref(axis)};
};

struct HardSigmoid : AlphaBeta {
    static constexpr const char* layer_type = "HardSigmoid";
};

struct HardSwish : AlphaBeta {
    static constexpr const char* layer_type = "HardSwish";
};

struct Log : BaseScaleShift {
    static constexpr const char* layer_type = "Log";
};

struct Mish : NoParams {
    static constexpr const char* layer_type = "Mish";
};

struct Power {
    static constexpr const char* layer_type = "Power";
    static constexpr FloatParam power{0, "power"};
    static constexpr FloatParam scale{1, "scale"};
    static constexpr FloatParam shift{2, "shift"};
    static constexpr std::array all{ref(power), ref(scale), ref(shift)};
};

struct PReLU {
    static constexpr const char* layer_type = "PReLU";
    static constexpr IntParam num_slope{0, "num_slope"};
    static constexpr std::array all{ref(num_slope)};
};

struct ReLU {
    static constexpr const char* layer_type = "ReLU";
    static constexpr FloatParam slope{0, "slope"};
    static constexpr std::array all{ref(slope)};
};

struct SELU {
    static constexpr const char* layer_type = "SELU";
    static constexpr FloatParam alpha{0, "alpha"};
    static constexpr FloatParam lambda{1, "lambda"};
    static constexpr std::array all{ref(alpha), ref(lambda)};
};

struct Shrink {
    static constexpr const char* layer_type = "Shrink";
    static constexpr FloatParam bias{0, "bias"};
    static constexpr FloatParam lambd{1, "lambd"};
    static constexpr std::array all{ref(bias), ref(lambd)};
};

struct Sigmoid : NoParams {
    static constexpr const char* layer_type = "Sigmoid";
};

struct Softmax {
    static constexpr const char* layer_type = "Softmax";
    static constexpr IntParam axis{0, "axis"};
    static constexpr IntParam fixbug0{1, "fixbug0"};
    static constexpr std::array all{ref(axis), ref(fixbug0)};
};

struct Softplus : NoParams {
    static constexpr const char* layer_type = "Softplus";
};

struct Swish : NoParams {
    static constexpr const char* layer_type = "Swish";
};

struct TanH : NoParams {
    static constexpr const char* layer_type = "TanH";
};

struct Threshold {
    static constexpr const char* layer_type = "Threshold";
    static constexpr FloatParam threshold{0, "threshold"};
    static constexpr std::array all{ref(threshold)};
};

struct UnaryOp {
    static constexpr const char* layer_type = "UnaryOp";
    static constexpr IntParam op_type{0, "op_type"};
    static constexpr std::array all{ref(op_type)};
};

} // namespace ncnn_int8::params
