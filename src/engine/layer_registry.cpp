#include "engine/layer_registry.h"

namespace ncnn_int8::engine {

const LayerRegistry& layer_registry()
{
    static const LayerRegistry registry = [] {
        LayerRegistry r;
        register_structural_layers(r);
        return r;
    }();
    return registry;
}

} // namespace ncnn_int8::engine
