#include "he_weights.h"

#include <cmath>
#include <cstring>

#include "core/byte_io.h"
#include "engine/engine.h"
#include "fixture_rng.h"
#include "model/bin_reader.h"
#include "model/catalog/params.h"

namespace ncnn_int8::test {

bool has_he_weights(const ModelLayer& layer)
{
    const std::string& t = layer.decl->type;
    return t == "Convolution" || t == "ConvolutionDepthWise" || t == "Convolution1D" || t == "InnerProduct";
}

namespace {

void put(std::vector<uint8_t>& out, const void* p, size_t n)
{
    const auto* b = static_cast<const uint8_t*>(p);
    out.insert(out.end(), b, b + n);
}

// Inputs per output of one weight row: weight_data_size / num_output (per group for depthwise).
int64_t fan_in(const ModelLayer& layer, uint64_t weight_count)
{
    const std::string& t = layer.decl->type;
    const int num_output = t == "InnerProduct"           ? layer.params.get(params::InnerProduct::num_output)
                           : t == "Convolution1D"        ? layer.params.get(params::Convolution1D::num_output)
                           : t == "ConvolutionDepthWise" ? layer.params.get(params::ConvolutionDepthWise::num_output)
                                                         : layer.params.get(params::Convolution::num_output);
    return num_output > 0 ? static_cast<int64_t>(weight_count / num_output) : 1;
}

} // namespace

Result<std::vector<uint8_t>> he_weights_bin(const Model& model, uint64_t seed, const LayerFactors& factors)
{
    std::vector<uint8_t> out;
    for (size_t li = 0; li < model.layers.size(); li++) {
        const ModelLayer& layer = model.layers[li];
        ASSIGN_OR_RETURN(std::vector<PlannedBlob> blobs, present_blobs(layer, layer.params, model.file.file_name));
        if (blobs.empty()) continue;
        auto f = factors.find(layer.decl->name);
        const float factor = f == factors.end() ? 1.f : f->second;
        for (const PlannedBlob& b : blobs) {
            std::vector<float> v(b.count, 0.f);
            if (!has_he_weights(layer)) {
                // Other layers: uniform in [-0.5, 0.5); variances in [0.5, 1.5).
                v = fixture::symmetric_values(b.count, fixture::sub_seed(seed, li * 16 + (&b - blobs.data())));
                const float offset = b.spec->name == "var_data" ? 1.f : 0.f;
                for (float& x : v) x = x * 0.5f + offset;
            } else if (b.spec->name == "weight_data") {
                const float bound = std::sqrt(6.f / static_cast<float>(fan_in(layer, b.count)));
                v = fixture::symmetric_values(b.count, fixture::sub_seed(seed, li));
                for (float& x : v) x = x * bound * factor;
            }
            if (b.tagged) {
                const uint32_t tag = 0;
                put(out, &tag, 4);
            }
            put(out, v.data(), v.size() * 4);
        }
    }
    return out;
}

Result<LayerFactors> he_factors(const Model& model, uint64_t seed, const std::vector<engine::Tensor>& inputs)
{
    LayerFactors factors;
    for (const ModelLayer& layer : model.layers) {
        if (!has_he_weights(layer)) continue;
        ASSIGN_OR_RETURN(std::vector<uint8_t> bin, he_weights_bin(model, seed, factors));
        MemorySource src(bin.data(), bin.size());
        const std::string top = layer.decl->tops.at(0);
        ASSIGN_OR_RETURN(std::unique_ptr<engine::Engine> eng, engine::Engine::create(model, src, "he.bin", {top}));
        double sumsq = 0;
        size_t n = 0;
        RETURN_IF_ERROR(eng->run(inputs, {top}, [&](const std::string&, const engine::Tensor& t) {
            for (float v : t.data) sumsq += static_cast<double>(v) * v;
            n += t.data.size();
            return Status::ok();
        }));
        const double rms = n ? std::sqrt(sumsq / n) : 0;
        factors[layer.decl->name] = rms > 0 && std::isfinite(rms) ? static_cast<float>(1.0 / rms) : 1.f;
    }
    return factors;
}

} // namespace ncnn_int8::test
