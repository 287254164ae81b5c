// The params of one layer after ncnn's load_param: every id the layer type
// reads holds its given value or its default. Reader, planner and writer use it.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "model/param_value.h"

namespace ncnn_int8 {

// ncnn's NCNN_MAX_PARAM_COUNT: ids are 0..31.
constexpr int kMaxParamId = 32;

class LayerParams {
public:
    void set(int id, ParamValue v)
    {
        values_[id] = std::move(v);
        present_[id] = true;
    }
    bool has(int id) const { return id >= 0 && id < kMaxParamId && present_[id]; }
    const ParamValue& get(int id) const { return values_[id]; }

    // Typed views, as ncnn's layer fields see them.
    int32_t i(int id) const { return has(id) ? values_[id].as_int() : 0; }
    float f(int id) const { return has(id) ? values_[id].as_float() : 0.f; }
    size_t array_size(int id) const { return has(id) ? values_[id].items.size() : 0; }
    const std::string& s(int id) const { return values_[id].text; }

private:
    std::array<ParamValue, kMaxParamId> values_{};
    std::array<bool, kMaxParamId> present_{};
};

} // namespace ncnn_int8
