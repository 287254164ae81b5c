// One `id=value` of a .param line, stored the way ncnn's ParamDict stores it:
// scalars as a raw 32-bit word, so that reading an int where a float is
// expected (or the reverse) reinterprets the bits exactly as ncnn does.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace ncnn_int8 {

enum class ValueKind : uint8_t { Int,
                                 Float,
                                 IntArray,
                                 FloatArray,
                                 String };

inline bool is_array(ValueKind k) { return k == ValueKind::IntArray || k == ValueKind::FloatArray; }

struct ParamValue {
    ValueKind kind = ValueKind::Int;
    uint32_t bits = 0;           // Int / Float
    std::vector<uint32_t> items; // IntArray / FloatArray, one word per element
    std::string text;            // String

    static ParamValue from_int(int32_t v)
    {
        ParamValue p;
        p.kind = ValueKind::Int;
        std::memcpy(&p.bits, &v, 4);
        return p;
    }
    static ParamValue from_float(float v)
    {
        ParamValue p;
        p.kind = ValueKind::Float;
        std::memcpy(&p.bits, &v, 4);
        return p;
    }
    static ParamValue empty_array(ValueKind kind)
    {
        ParamValue p;
        p.kind = kind;
        return p;
    }
    static ParamValue from_string(std::string s)
    {
        ParamValue p;
        p.kind = ValueKind::String;
        p.text = std::move(s);
        return p;
    }

    int32_t as_int() const
    {
        int32_t v;
        std::memcpy(&v, &bits, 4);
        return v;
    }
    float as_float() const
    {
        float v;
        std::memcpy(&v, &bits, 4);
        return v;
    }
    int32_t item_int(size_t i) const
    {
        int32_t v;
        std::memcpy(&v, &items[i], 4);
        return v;
    }
    float item_float(size_t i) const
    {
        float v;
        std::memcpy(&v, &items[i], 4);
        return v;
    }
};

} // namespace ncnn_int8
