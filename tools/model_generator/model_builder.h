// Writes one model as it is described layer by layer: the .param lines (in
// ncnnoptimize's layout), the weights (streamed straight to a ByteSink, one
// blob at a time) and the calibration table lines ncnn2table would print.
#pragma once

#include <cstdint>
#include <string>

#include "model/param_handle.h"
#include <unordered_set>
#include <vector>

#include "core/byte_io.h"
#include "core/status.h"
#include "random.h"

namespace ncnn_int8::generator {

// The params of one layer line, printed as ncnnoptimize prints them.
class ParamList {
public:
    // ` id=value`, the id from the type's param handle (params::<Type>::<name>).
    ParamList& set(IntParam param, int value);
    ParamList& set(FloatParam param, float value);
    // An int array, printed as ncnn's `-23300-id=n,v0,v1...`.
    ParamList& set(IntArrayParam param, const std::vector<int>& values);
    const std::string& text() const { return text_; }

private:
    std::string text_;
};

// How tagged (ModelBin type 0) blobs are stored.
enum class WeightEncoding { Fp32,
                            Fp16 };

class ModelBuilder {
public:
    ModelBuilder(ByteSink& bin, WeightEncoding encoding, uint64_t seed);

    void add_layer(const std::string& type, const std::string& name, const std::vector<std::string>& bottoms,
                   const std::vector<std::string>& tops, const ParamList& params = ParamList());

    // A tagged blob of `count` values in `rows` equal rows, each row with its
    // own amplitude so the per-row scales differ. Returns each row's absmax
    // of the values as ncnn will load them (after fp16 rounding if any).
    Result<std::vector<float>> add_tagged_blob(size_t count, size_t rows);
    // An untagged fp32 blob, uniform in [lo, hi).
    Status add_raw_blob(size_t count, float lo, float hi);

    // Table lines: `<layer>_param_<k>` with 127 / absmax per row, and a
    // plausible input scale 127 / (activation bound).
    void add_weight_scales(const std::string& layer, int k, const std::vector<float>& row_absmax);
    void add_input_scale(const std::string& layer);

    std::string param_text() const;
    std::string table_text() const { return weight_scale_lines_ + input_scale_lines_; }
    uint64_t bin_bytes() const { return bin_bytes_; }
    // Where each tagged blob's tag is in the .bin.
    const std::vector<uint64_t>& tag_offsets() const { return tag_offsets_; }

    // Repeated blocks for the kinds that have them (vit): 0 keeps the kind's own count.
    void set_blocks(int blocks) { blocks_ = blocks; }
    int blocks(int kind_default) const { return blocks_ > 0 ? blocks_ : kind_default; }

private:
    Status write(const void* data, size_t size);

    ByteSink& bin_;
    WeightEncoding encoding_;
    int blocks_ = 0;
    Random random_;
    std::string layer_lines_;
    size_t layer_count_ = 0;
    size_t blob_count_ = 0; // as ncnn's loader counts them
    std::unordered_set<std::string> known_blobs_;
    std::string weight_scale_lines_, input_scale_lines_;
    uint64_t bin_bytes_ = 0;
    std::vector<uint64_t> tag_offsets_;
    std::vector<float> values_;    // one blob, reused
    std::vector<uint16_t> halves_; // its fp16 form
};

} // namespace ncnn_int8::generator
