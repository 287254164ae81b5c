// Base of the param handle structs of types that take no params.
#pragma once

#include <array>

#include "model/param_handle.h"

namespace ncnn_int8::params {

struct NoParams {
    static constexpr std::array<ParamRef, 0> all{};
};

} // namespace ncnn_int8::params
