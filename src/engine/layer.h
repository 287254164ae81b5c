// One forward per layer type. A factory, registered against the catalog's
// type name, reads the layer's params through the catalog's handles and its
// weights once, and returns a LayerForward that maps bottom tensors to top
// tensors.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "core/status.h"
#include "engine/tensor.h"
#include "model/bin_reader.h"
#include "model/catalog/params.h"
#include "model/model.h"

namespace ncnn_int8::engine {

using TensorPtr = std::shared_ptr<const Tensor>;

class LayerForward {
public:
    virtual ~LayerForward() = default;
    // bottoms: one per bottom blob; tops: filled with one per top blob.
    // Layers that pass a blob through (Split, Noop) may return the same pointer.
    virtual Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const = 0;
};

// What a factory gets: the layer, its params by name, and its weights.
class LayerContext {
public:
    LayerContext(const ModelLayer& layer, const std::string& param_file, ByteSource& bin, const std::string& bin_name, const LayerBlobs& blobs)
        : layer_(layer),
          param_file_(param_file),
          bin_(bin),
          bin_name_(bin_name),
          blobs_(blobs)
    {
    }
    const ModelLayer& layer() const { return layer_; }
    // Params through the catalog's handles: params().get(params::Convolution::num_output).
    const LayerParams& params() const { return layer_.params; }
    size_t bottom_count() const { return layer_.decl->bottoms.size(); }
    size_t top_count() const { return layer_.decl->tops.size(); }
    // "model.param:12: Convolution 'conv1': " for messages.
    std::string where() const { return param_file_ + ":" + std::to_string(layer_.decl->line) + ": " + layer_.label() + ": "; }

    bool has_weight(const std::string& blob) const { return blobs_.find(blob) != nullptr; }
    // The catalog blob `blob` as fp32 values (fp16 / lookup-table data
    // converted). int8-stored weights are refused: the engine runs fp32 models.
    Result<std::vector<float>> weight(const std::string& blob) const;
    // The same as a tensor's value store, read straight into it (no zero
    // fill, no copy): for the large weights.
    Result<Floats> weight_values(const std::string& blob) const;

    Status error(const std::string& reason) const { return Status::failure(where() + reason); }

private:
    const ModelLayer& layer_;
    const std::string& param_file_;
    ByteSource& bin_;
    const std::string& bin_name_;
    const LayerBlobs& blobs_;
};

using LayerFactory = Result<std::unique_ptr<LayerForward>> (*)(const LayerContext& ctx);

// Forward errors name the layer: the plan prefixes them.
inline Status shape_error(const std::string& reason) { return Status::failure(reason); }

} // namespace ncnn_int8::engine
