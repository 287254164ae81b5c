// The layer schema: ONE declarative table (src/model/catalog/, one file per
// family, params named by handles in params::<Type>) that says, for
// every layer type ncnn defines, which params it reads (id, kind, default),
// how the reference ncnn2int8 prints them, which weight blobs it loads from
// the .bin (order, tagged or raw, size, condition) and which param values
// ncnn refuses to load. The param reader, the .bin reader, the planner, the
// writer and the report all read this table; nothing else knows layer types,
// except quant/ for the ten types it quantizes.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/layer_params.h"
#include "model/param_handle.h"
#include "model/param_value.h"

namespace ncnn_int8 {

// How a param gets its value when the .param line does not give it.
struct ParamDefault {
    enum class Form : uint8_t { Constant,
                                SameAs,
                                Computed };
    Form form = Form::Constant;
    ParamValue constant;                                 // Constant
    int same_as = -1;                                    // SameAs: copy this param's value
    ParamValue (*compute)(const LayerParams&) = nullptr; // Computed from other params
};

// When the writer prints a param.
enum class WriteRule : uint8_t {
    // Reference rule: printed when the value differs from the value a layer
    // loaded from an EMPTY param dict holds (so a SameAs/Computed default is
    // evaluated against the other params' own defaults, not their values).
    IfNotDefault,
    // Reference rule: printed when the value differs from param `partner`
    // (Convolution's 11=kernel_h only when kernel_h != kernel_w, ...).
    IfDiffersFromPartner,
    // Reference rule: arrays are printed when not empty.
    IfNotEmpty,
    // Reference rule: `id=1` is printed when param `partner` is non-zero or a
    // non-empty array (Reduction 5, Softmax 1: ncnn's "fixbug" markers).
    MarkerWhenPartnerSet,
    // The reference writer drops this param. We print it when it differs
    // from its default evaluated for this layer (non-default values only).
    Kept,
};

struct ParamSpec {
    int id = 0;
    std::string name;
    ValueKind kind = ValueKind::Int;
    ParamDefault def;
    WriteRule rule = WriteRule::IfNotDefault;
    int partner = -1;

    // Builders used by the catalog (the partner is a handle of the same type).
    template <ValueKind K>
    ParamSpec same_as(ParamHandle<K> other) const
    {
        ParamSpec p = *this;
        p.def.form = ParamDefault::Form::SameAs;
        p.def.same_as = other.id;
        return p;
    }
    ParamSpec computed(ParamValue (*fn)(const LayerParams&)) const
    {
        ParamSpec p = *this;
        p.def.form = ParamDefault::Form::Computed;
        p.def.compute = fn;
        return p;
    }
    template <ValueKind K>
    ParamSpec written_if_differs_from(ParamHandle<K> other) const
    {
        ParamSpec p = *this;
        p.rule = WriteRule::IfDiffersFromPartner;
        p.partner = other.id;
        return p;
    }
    template <ValueKind K>
    ParamSpec marker_when_set(ParamHandle<K> other) const
    {
        ParamSpec p = *this;
        p.rule = WriteRule::MarkerWhenPartnerSet;
        p.partner = other.id;
        return p;
    }
    ParamSpec kept() const
    {
        ParamSpec p = *this;
        p.rule = WriteRule::Kept;
        return p;
    }
};

// Param constructors from handles (id, name and kind come from the handle):
// I(int), F(float), IA(int array), FA(float array), S(string).
template <ValueKind K>
ParamSpec spec_of(ParamHandle<K> h, ParamValue def)
{
    ParamSpec p;
    p.id = h.id;
    p.name = h.name;
    p.kind = K;
    p.def.constant = std::move(def);
    if (is_array(K)) p.rule = WriteRule::IfNotEmpty;
    return p;
}
inline ParamSpec I(IntParam h, int32_t def) { return spec_of(h, ParamValue::from_int(def)); }
inline ParamSpec F(FloatParam h, float def) { return spec_of(h, ParamValue::from_float(def)); }
inline ParamSpec IA(IntArrayParam h) { return spec_of(h, ParamValue::empty_array(ValueKind::IntArray)); }
inline ParamSpec FA(FloatArrayParam h) { return spec_of(h, ParamValue::empty_array(ValueKind::FloatArray)); }
inline ParamSpec S(StringParam h) { return spec_of(h, ParamValue::from_string("")); }

// How a blob is stored in the .bin (ncnn ModelBin::load type).
enum class BlobEncoding : uint8_t {
    Tagged,     // type 0: 4-byte tag then fp32 / fp16 / int8 / lookup-table data
    Raw,        // type 1: plain fp32, no tag
    ByLoadType, // MemoryData: param 21 (load_type) 0 = tagged, 1 = raw
};

// Element counts from params. Invalid arithmetic (division by zero, a
// negative or over-INT_MAX result) yields kInvalidCount.
constexpr int64_t kInvalidCount = -1;
using CountFn = int64_t (*)(const LayerParams&);
using ConditionFn = bool (*)(const LayerParams&);

struct BlobSpec {
    std::string name;
    BlobEncoding encoding = BlobEncoding::Tagged;
    CountFn count = nullptr;
    ConditionFn present = nullptr; // nullptr: always present
};

inline BlobSpec Tagged(const char* name, CountFn count, ConditionFn present = nullptr)
{
    return BlobSpec{name, BlobEncoding::Tagged, count, present};
}
inline BlobSpec Raw(const char* name, CountFn count, ConditionFn present = nullptr)
{
    return BlobSpec{name, BlobEncoding::Raw, count, present};
}

// A param combination ncnn's load_param (or load_model) refuses.
struct LoadCheck {
    const char* requirement; // e.g. "num_output (0) must be a multiple of group (7)"
    bool (*holds)(const LayerParams&);
};

// --- How ncnn stores a type in int8 (the ten types the reference quantizes).

// One weight blob quantized row by row, with one scale per row from one key
// of the calibration table, kept in a raw scale blob.
struct Int8Weight {
    std::string weight;     // the blob made int8
    std::string scales;     // the raw blob that holds its scales
    int table_key = 0;      // the table's "<layer>_param_<table_key>"
    CountFn rows = nullptr; // rows of the weight = values of the table key (1: one scale for the whole blob)
};

enum class Int8Scheme : uint8_t {
    TableScales,  // weight scales from the calibration table (or the .bin when the flag is already set)
    WeightAbsMax, // scales computed from the constant weights (127 / absmax): Gemm
    NoWeights,    // no weights: only the flag changes (activations are quantized at run time): SDPA
};

struct Int8Facts {
    Int8Scheme scheme = Int8Scheme::TableScales;
    IntParam flag{-1, ""};           // the int8 flag param (int8_scale_term / quantize_term)
    int32_t flag_value = 2;          // the flag's value once quantized
    std::vector<Int8Weight> weights; // TableScales: in table-key order; weights[0] tells "already int8"
    // Quantized only when the table also gives the layer's input scale,
    // stored in "bottom_blob_int8_scales".
    bool needs_input_scale = false;
    // The param that makes the weights an input (nothing to quantize); id -1: none.
    IntParam dynamic_weight{-1, ""};
    // The reshape the reference makes must be exact: "" when it is, else why not.
    std::string (*shape_check)(const LayerParams&) = nullptr;
    // Requantize fusion: a consumer's input scale becomes this layer's
    // "top_blob_int8_scales" and the flag goes up by 100 ...
    bool requantize_fusion = false;
    // ... except when the flag is already above 100 (depthwise: ncnn reads
    // its scales only for 1/2/101/102).
    bool flag_above_100_kept = false;
};

// Weight-only block quantization (ncnn's ncnnllm2table / ncnnllm2int): one
// weight a table row names (`<layer>_param_<key>`), stored as N rows of K.
struct BlockQuantWeight {
    int key = 0;
    const char* blob = nullptr;              // the fp32 weights
    const char* scales_blob = nullptr;       // N x ceil(K / block) block scales
    const char* input_scales_blob = nullptr; // K input scales (awq)
    CountFn rows = nullptr;                  // N
    CountFn cols = nullptr;                  // K
};

// The layer types those tools quantize: their weights in table-key order, the
// params that let a layer qualify (the reference's is_supported_llm_* checks,
// besides its weights being stored as float) and the param that takes the
// code bits*100 + 10*(input scales) + {32:0, 64:1, 128:2}.
struct BlockQuantSpec {
    std::vector<BlockQuantWeight> weights;
    bool (*qualifies)(const LayerParams&) = nullptr;
    IntParam quantize_term{18, "quantize_term"};
};

struct LayerSchema {
    std::string type;
    // The type's param handles (params::<type>::all); every ParamSpec in
    // `params` must be one of them, checked when the table is built.
    std::vector<ParamRef> handles;
    // false for the ncnn types the reference writer has no branch for: it
    // writes them without any param; we keep theirs (all params Kept).
    bool reference_writes_params = true;
    std::vector<ParamSpec> params; // in the order the reference writes them
    std::vector<BlobSpec> blobs;   // in .bin order
    std::vector<LoadCheck> checks;
    // Set for the types ncnn runs in int8: what the quantizer changes.
    std::optional<Int8Facts> int8;
    std::optional<BlockQuantSpec> block_quant; // Gemm and MultiHeadAttention only

    const ParamSpec* find_param(int id) const
    {
        for (const ParamSpec& p : params)
            if (p.id == id) return &p;
        return nullptr;
    }
};

// Checked size arithmetic for CountFn bodies (C integer semantics, like ncnn).
inline int64_t count_checked(int64_t v)
{
    return (v < 0 || v > std::numeric_limits<int32_t>::max()) ? kInvalidCount : v;
}
inline int64_t count_mul(int64_t a, int64_t b)
{
    if (a < 0 || b < 0) return kInvalidCount;
    if (a != 0 && b > std::numeric_limits<int32_t>::max() / a) return kInvalidCount;
    return count_checked(a * b);
}
inline int64_t count_div(int64_t a, int64_t b)
{
    if (a < 0 || b <= 0) return kInvalidCount;
    return a / b;
}

// What is wrong with one entry: duplicate param ids, a param that is not
// one of the type's handles (wrong type or kind), a handle with no param.
// Empty when the entry is consistent. all_layer_schemas() aborts on any.
std::vector<std::string> check_layer_schema(const LayerSchema& schema);

// All layer types of ncnn's src/layer/, and lookup by type name.
const std::vector<LayerSchema>& all_layer_schemas();
const LayerSchema* find_layer_schema(std::string_view type);

} // namespace ncnn_int8
