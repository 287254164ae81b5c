#include "calib/weight_scales.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "calib/activation_stats.h"
#include "core/format.h"
#include "model/catalog/params.h"

namespace ncnn_int8 {

namespace {

float static_scale(const float* p, size_t n)
{
    const float m = absmax_of(p, n);
    return m == 0.f ? 1.f : 127 / m;
}

Result<std::vector<float>> load_f32(const ModelLayer& layer, const LayerBlobs& blobs, ByteSource& bin, const std::string& bin_name,
                                    const char* name)
{
    const BlobLocation* where = blobs.find(name);
    if (!where) return Status::failure(bin_name + ": " + layer.label() + " has no " + name + " (dynamic or missing weights cannot be calibrated)");
    if (where->stored == StoredAs::Int8)
        return Status::failure(bin_name + ": " + layer.label() + " " + name + " is already int8; calibrate the fp32 model");
    std::vector<float> values(where->count);
    RETURN_IF_ERROR(read_blob_f32(bin, bin_name, *where, values.data()));
    return values;
}

// A weight blob's values in storage reused from layer to layer, read in
// without being zeroed first.
struct WeightScratch {
    std::unique_ptr<float[]> values;
    size_t capacity = 0;
};

Result<const float*> load_f32_into(const ModelLayer& layer, const LayerBlobs& blobs, ByteSource& bin, const std::string& bin_name, const char* name,
                                   WeightScratch& buffer)
{
    const BlobLocation* where = blobs.find(name);
    if (!where) return Status::failure(bin_name + ": " + layer.label() + " has no " + name + " (dynamic or missing weights cannot be calibrated)");
    if (where->stored == StoredAs::Int8) return Status::failure(bin_name + ": " + layer.label() + " " + name + " is already int8; calibrate the fp32 model");
    if (buffer.capacity < where->count) {
        buffer.values.reset(new float[where->count]);
        buffer.capacity = where->count;
    }
    RETURN_IF_ERROR(read_blob_f32(bin, bin_name, *where, buffer.values.get()));
    return static_cast<const float*>(buffer.values.get());
}

// Rows of `row_len` values starting at row `first`, one scale per row.
Status row_scales(const ModelLayer& layer, const std::vector<float>& w, size_t first, size_t rows, size_t row_len, std::vector<float>& out)
{
    if ((first + rows) * row_len > w.size())
        return Status::failure(layer.label() + ": weight blob smaller than its rows (" + std::to_string(w.size()) + " values)");
    for (size_t r = 0; r < rows; r++) out.push_back(static_scale(w.data() + (first + r) * row_len, row_len));
    return Status::ok();
}

Result<ScaleLine> conv_weight_line(const ModelLayer& layer, size_t li, const LayerBlobs& blobs, ByteSource& bin, const std::string& bin_name,
                                   CalibMethod method, WeightScratch& buffer)
{
    const LayerParams& p = layer.params;
    const std::string& type = layer.decl->type;
    int channels = 0, weight_data_size = 0;
    bool six_bit = false;
    if (type == "Convolution") {
        using C = params::Convolution;
        channels = p.get(C::num_output);
        weight_data_size = p.get(C::weight_data_size);
        // int8 winograd F(4,3) wants 6-bit weights
        six_bit = p.get(C::kernel_w) == 3 && p.get(C::kernel_h) == 3 && p.get(C::dilation_w) == 1 && p.get(C::dilation_h) == 1
                  && p.get(C::stride_w) == 1 && p.get(C::stride_h) == 1;
    } else if (type == "ConvolutionDepthWise") {
        channels = p.get(params::ConvolutionDepthWise::group);
        weight_data_size = p.get(params::ConvolutionDepthWise::weight_data_size);
    } else {
        channels = p.get(params::InnerProduct::num_output);
        weight_data_size = p.get(params::InnerProduct::weight_data_size);
    }
    if (channels <= 0)
        return Status::failure(layer.label() + ": " + (type == "ConvolutionDepthWise" ? "group" : "num_output") + " must be positive to calibrate");
    if (weight_data_size < 0) return Status::failure(layer.label() + ": weight_data_size is negative");
    ASSIGN_OR_RETURN(const float* w, load_f32_into(layer, blobs, bin, bin_name, "weight_data", buffer));
    const size_t stored = blobs.find("weight_data")->count;
    const int per_channel = weight_data_size / channels;
    if (static_cast<size_t>(per_channel) * channels > stored)
        return Status::failure(bin_name + ": " + layer.label() + " weight_data holds " + std::to_string(stored) + " values, fewer than its params say");
    ScaleLine line;
    line.key = layer.decl->name + "_param_0";
    line.layer = li;
    for (int n = 0; n < channels; n++) {
        const float absmax = absmax_of(w + static_cast<size_t>(per_channel) * n, static_cast<size_t>(per_channel));
        float s;
        if (method == CalibMethod::Aciq)
            s = six_bit ? 31 / aciq_threshold(absmax, per_channel, 6) : 127 / aciq_threshold(absmax, per_channel, 8);
        else
            s = six_bit ? 31 / absmax : 127 / absmax;
        line.values.push_back(s);
    }
    return line;
}

Status fixed_lines(const ModelLayer& layer, size_t li, const LayerBlobs& blobs, ByteSource& bin, const std::string& bin_name,
                   std::vector<ScaleLine>& out)
{
    const LayerParams& p = layer.params;
    const std::string& type = layer.decl->type;
    const std::string& name = layer.decl->name;
    auto add = [&](int k, std::vector<float> v) { out.push_back({name + "_param_" + std::to_string(k), std::move(v), li}); };
    if (type == "Embed") {
        ASSIGN_OR_RETURN(std::vector<float> w, load_f32(layer, blobs, bin, bin_name, "weight_data"));
        add(0, {static_scale(w.data(), w.size())});
        return Status::ok();
    }
    if (type == "MultiHeadAttention") {
        using M = params::MultiHeadAttention;
        const int embed_dim = p.get(M::embed_dim), kdim = p.get(M::kdim), vdim = p.get(M::vdim);
        if (embed_dim <= 0 || kdim < 0 || vdim < 0) return Status::failure(layer.label() + ": embed_dim, kdim and vdim must be positive to calibrate");
        const int qdim = p.get(M::weight_data_size) / embed_dim;
        const char* blobs_qkv[3] = {"q_weight_data", "k_weight_data", "v_weight_data"};
        const int dims[3] = {qdim, kdim, vdim};
        for (int k = 0; k < 3; k++) {
            ASSIGN_OR_RETURN(std::vector<float> w, load_f32(layer, blobs, bin, bin_name, blobs_qkv[k]));
            std::vector<float> v;
            RETURN_IF_ERROR(row_scales(layer, w, 0, static_cast<size_t>(embed_dim), static_cast<size_t>(dims[k]), v));
            add(k, std::move(v));
        }
        ASSIGN_OR_RETURN(std::vector<float> o, load_f32(layer, blobs, bin, bin_name, "out_weight_data"));
        add(3, {static_scale(o.data(), o.size())});
        return Status::ok();
    }
    // RNN (1 gate), GRU (3), LSTM (4 gates of hidden_size rows)
    int num_output, weight_data_size, direction, units, gates;
    if (type == "LSTM") {
        using L = params::LSTM;
        num_output = p.get(L::num_output), weight_data_size = p.get(L::weight_data_size), direction = p.get(L::direction);
        units = p.get(L::hidden_size), gates = 4;
    } else if (type == "GRU") {
        using G = params::GRU;
        num_output = p.get(G::num_output), weight_data_size = p.get(G::weight_data_size), direction = p.get(G::direction);
        units = num_output, gates = 3;
    } else {
        using R = params::RNN;
        num_output = p.get(R::num_output), weight_data_size = p.get(R::weight_data_size), direction = p.get(R::direction);
        units = num_output, gates = 1;
    }
    const int dirs = direction == 2 ? 2 : 1;
    if (units <= 0 || num_output <= 0) return Status::failure(layer.label() + ": num_output (and hidden_size) must be positive to calibrate");
    const int size = weight_data_size / dirs / units / gates;
    ASSIGN_OR_RETURN(std::vector<float> xc, load_f32(layer, blobs, bin, bin_name, "weight_xc_data"));
    ASSIGN_OR_RETURN(std::vector<float> hc, load_f32(layer, blobs, bin, bin_name, "weight_hc_data"));
    const size_t rows = static_cast<size_t>(units) * gates;
    std::vector<float> sx, sh;
    for (int d = 0; d < dirs; d++) {
        RETURN_IF_ERROR(row_scales(layer, xc, d * rows, rows, static_cast<size_t>(size), sx));
        RETURN_IF_ERROR(row_scales(layer, hc, d * rows, rows, static_cast<size_t>(num_output), sh));
    }
    add(0, std::move(sx));
    add(1, std::move(sh));
    return Status::ok();
}

} // namespace

bool is_calibrated_type(const std::string& type)
{
    return type == "Convolution" || type == "ConvolutionDepthWise" || type == "InnerProduct";
}

std::vector<size_t> calibrated_layers(const Model& model)
{
    std::vector<size_t> out;
    for (size_t i = 0; i < model.layers.size(); i++)
        if (is_calibrated_type(model.layers[i].decl->type)) out.push_back(i);
    return out;
}

float aciq_threshold(float absmax, int n, int bits)
{
    static const float kAlpha[8] = {0, 1.71063519f, 2.15159277f, 2.55913646f, 2.93620062f, 3.28691474f, 3.6151146f, 3.92403714f};
    const double gaussian_const = (0.5 * 0.35) * (1 + std::sqrt(3.14159265358979323846 * std::log(4)));
    const double std_dev = (absmax * 2 * gaussian_const) / std::sqrt(2 * std::log(n));
    return static_cast<float>(kAlpha[bits - 1] * std_dev);
}

Result<WeightScales> compute_weight_scales(const Model& model, const std::vector<LayerBlobs>& index, ByteSource& bin,
                                           const std::string& bin_name, CalibMethod method, bool with_activations)
{
    WeightScales out;
    if (with_activations) {
        WeightScratch buffer;
        for (size_t li : calibrated_layers(model)) {
            ASSIGN_OR_RETURN(ScaleLine line, conv_weight_line(model.layers[li], li, index[li], bin, bin_name, method, buffer));
            out.conv.push_back(std::move(line));
        }
    }
    for (const char* type : {"Embed", "MultiHeadAttention", "RNN", "LSTM", "GRU"})
        for (size_t li = 0; li < model.layers.size(); li++)
            if (model.layers[li].decl->type == type) RETURN_IF_ERROR(fixed_lines(model.layers[li], li, index[li], bin, bin_name, out.fixed));
    return out;
}

} // namespace ncnn_int8
