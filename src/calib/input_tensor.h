// A prepared model input: the engine's tensor (planar fp32, ncnn's
// w/h/d/c layout, channel after channel, no padding).
#pragma once

#include "engine/tensor.h"

namespace ncnn_int8 {

using InputTensor = engine::Tensor;

} // namespace ncnn_int8
