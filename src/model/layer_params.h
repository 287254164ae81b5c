// The params of one layer after ncnn's load_param: every id the layer type
// reads holds its given value or its default. Reader, planner and writer use it.
// Code that knows the layer type reads params through its handles
// (params::<Type>::<name>, model/catalog/); generic code (reader, writer)
// walks the schema's ids.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/param_handle.h"
#include "model/param_value.h"

namespace ncnn_int8 {

// ncnn's NCNN_MAX_PARAM_COUNT: ids are 0..31.
constexpr int kMaxParamId = 32;

class LayerParams {
public:
    void set(int id, ParamValue v)
    {
        set_array_view(id, v);
        values_[id] = std::move(v);
        present_[id] = true;
    }
    bool has(int id) const { return id >= 0 && id < kMaxParamId && present_[id]; }
    const ParamValue& get(int id) const { return values_[id]; }

    // Typed reads by handle, as ncnn's layer fields see them (0 / empty when
    // the layer holds no such param).
    int32_t get(IntParam h) const { return has(h.id) ? values_[h.id].as_int() : 0; }
    float get(FloatParam h) const { return has(h.id) ? values_[h.id].as_float() : 0.f; }
    const std::vector<int32_t>& get(IntArrayParam h) const { return array_view(h.id).ints; }
    const std::vector<float>& get(FloatArrayParam h) const { return array_view(h.id).floats; }
    const std::string& get(StringParam h) const { return values_[h.id].text; }
    template <ValueKind K>
    bool has(ParamHandle<K> h) const
    {
        return has(h.id);
    }

    void set(IntParam h, int32_t v) { set(h.id, ParamValue::from_int(v)); }
    void set(FloatParam h, float v) { set(h.id, ParamValue::from_float(v)); }
    void set(StringParam h, std::string v) { set(h.id, ParamValue::from_string(std::move(v))); }
    void set(IntArrayParam h, const std::vector<int32_t>& v)
    {
        ParamValue p = ParamValue::empty_array(ValueKind::IntArray);
        for (int32_t x : v) p.items.push_back(ParamValue::from_int(x).bits);
        set(h.id, std::move(p));
    }
    void set(FloatArrayParam h, const std::vector<float>& v)
    {
        ParamValue p = ParamValue::empty_array(ValueKind::FloatArray);
        for (float x : v) p.items.push_back(ParamValue::from_float(x).bits);
        set(h.id, std::move(p));
    }

private:
    // An array param's words as ints and as floats (ncnn's Mat reinterprets
    // them the same way). Kept only for the few array params a layer holds.
    struct ArrayView {
        int id = -1;
        std::vector<int32_t> ints;
        std::vector<float> floats;
    };

    const ArrayView& array_view(int id) const
    {
        static const ArrayView none;
        for (const ArrayView& a : arrays_)
            if (a.id == id) return a;
        return none;
    }

    void set_array_view(int id, const ParamValue& v)
    {
        for (size_t k = 0; k < arrays_.size(); k++)
            if (arrays_[k].id == id) {
                arrays_.erase(arrays_.begin() + static_cast<std::ptrdiff_t>(k));
                break;
            }
        if (!is_array(v.kind)) return;
        ArrayView a;
        a.id = id;
        a.ints.resize(v.items.size());
        a.floats.resize(v.items.size());
        for (size_t k = 0; k < v.items.size(); k++) {
            a.ints[k] = v.item_int(k);
            a.floats[k] = v.item_float(k);
        }
        arrays_.push_back(std::move(a));
    }

    std::array<ParamValue, kMaxParamId> values_{};
    std::array<bool, kMaxParamId> present_{};
    std::vector<ArrayView> arrays_;
};

} // namespace ncnn_int8
