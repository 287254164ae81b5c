#include "model_builder.h"

#include <algorithm>

#include "core/format.h"
#include "kernels/kernels.h"
#include "model/bin_reader.h"

namespace ncnn_int8::generator {

namespace {

// A table line as ncnn2table prints it: "name v1 v2 ... \n".
std::string table_line(const std::string& key, const std::vector<float>& values)
{
    std::string line = key + " ";
    for (float v : values) line += format("%f ", v);
    line += "\n";
    return line;
}

} // namespace

ParamList& ParamList::set(IntParam param, int value)
{
    text_ += format(" %d=%d", param.id, value);
    return *this;
}

ParamList& ParamList::set(FloatParam param, float value)
{
    text_ += format(" %d=%e", param.id, value);
    return *this;
}

ParamList& ParamList::set(IntArrayParam param, const std::vector<int>& values)
{
    text_ += format(" %d=%d", -23300 - param.id, int(values.size()));
    for (int v : values) text_ += format(",%d", v);
    return *this;
}

ModelBuilder::ModelBuilder(ByteSink& bin, WeightEncoding encoding, uint64_t seed)
    : bin_(bin),
      encoding_(encoding),
      random_(seed)
{
}

void ModelBuilder::add_layer(const std::string& type, const std::string& name, const std::vector<std::string>& bottoms,
                             const std::vector<std::string>& tops, const ParamList& params)
{
    std::string line = format("%-24s %-24s %d %d", type.c_str(), name.c_str(), int(bottoms.size()), int(tops.size()));
    for (const std::string& b : bottoms) {
        line += " " + b;
        if (known_blobs_.insert(b).second) blob_count_++;
    }
    for (const std::string& t : tops) {
        line += " " + t;
        known_blobs_.insert(t);
        blob_count_++;
    }
    layer_lines_ += line + params.text() + "\n";
    layer_count_++;
}

Status ModelBuilder::write(const void* data, size_t size)
{
    bin_bytes_ += size;
    return bin_.write(data, size);
}

Result<std::vector<float>> ModelBuilder::add_tagged_blob(size_t count, size_t rows)
{
    if (rows == 0 || count % rows != 0)
        return Status::failure("generator: a blob of " + std::to_string(count) + " values cannot be split into " + std::to_string(rows) + " rows");
    values_.resize(count);
    const size_t row_length = count / rows;
    for (size_t r = 0; r < rows; r++) {
        const float amplitude = random_.uniform(0.25f, 1.0f);
        random_.fill_uniform(values_.data() + r * row_length, row_length, -amplitude, amplitude);
    }

    tag_offsets_.push_back(bin_bytes_);
    if (encoding_ == WeightEncoding::Fp16) {
        halves_.resize(count + (count & 1)); // padded to 4 bytes, as ModelBin reads it
        halves_.back() = 0;
        kernels::fp32_to_fp16(values_.data(), count, halves_.data());
        kernels::fp16_to_fp32(halves_.data(), count, values_.data()); // the values ncnn will see
        RETURN_IF_ERROR(write(&kTagFp16, 4));
        RETURN_IF_ERROR(write(halves_.data(), halves_.size() * 2));
    } else {
        RETURN_IF_ERROR(write(&kTagFp32, 4));
        RETURN_IF_ERROR(write(values_.data(), count * 4));
    }

    std::vector<float> absmax(rows);
    for (size_t r = 0; r < rows; r++) absmax[r] = kernels::abs_max(values_.data() + r * row_length, row_length);
    return absmax;
}

Status ModelBuilder::add_raw_blob(size_t count, float lo, float hi)
{
    values_.resize(count);
    random_.fill_uniform(values_.data(), count, lo, hi);
    return write(values_.data(), count * 4);
}

void ModelBuilder::add_weight_scales(const std::string& layer, int k, const std::vector<float>& row_absmax)
{
    std::vector<float> scales(row_absmax.size());
    for (size_t r = 0; r < scales.size(); r++) scales[r] = row_absmax[r] == 0.f ? 0.f : 127.f / row_absmax[r];
    weight_scale_lines_ += table_line(layer + "_param_" + std::to_string(k), scales);
}

void ModelBuilder::add_input_scale(const std::string& layer)
{
    const float activation_bound = random_.uniform(1.0f, 8.0f);
    input_scale_lines_ += table_line(layer, {127.f / activation_bound});
}

std::string ModelBuilder::param_text() const
{
    return format("7767517\n%zu %zu\n", layer_count_, blob_count_) + layer_lines_;
}

} // namespace ncnn_int8::generator
