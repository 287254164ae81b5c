// Named, typed param handles. Each layer type's params are static handles in
// a struct named after the ncnn type (src/model/catalog/*.h), e.g.
// params::Convolution::num_output; LayerParams::get(handle) reads the value
// with the handle's type. The catalog builds its ParamSpecs from the handles,
// so the id, the name and the kind of a param are written once.
#pragma once

#include <array>

#include "model/param_value.h"

namespace ncnn_int8 {

template <ValueKind K>
struct ParamHandle {
    int id;
    const char* name;
};
using IntParam = ParamHandle<ValueKind::Int>;
using FloatParam = ParamHandle<ValueKind::Float>;
using IntArrayParam = ParamHandle<ValueKind::IntArray>;
using FloatArrayParam = ParamHandle<ValueKind::FloatArray>;
using StringParam = ParamHandle<ValueKind::String>;

// A handle with its kind as a value, for the per-type lists (`all`) the
// catalog checks its entries against.
struct ParamRef {
    int id;
    const char* name;
    ValueKind kind;
};

template <ValueKind K>
constexpr ParamRef ref(ParamHandle<K> h)
{
    return {h.id, h.name, K};
}

} // namespace ncnn_int8
