#include "engine/layer_registry.h"

namespace ncnn_int8::engine {

const LayerRegistry& layer_registry()
{
    static const LayerRegistry registry = [] {
        LayerRegistry r;
        register_structural_layers(r);
        register_activation_layers(r);
        register_elementwise_layers(r);
        register_normalize_layers(r);
        register_shape_layers(r);
        register_convolution_layers(r);
        register_pooling_layers(r);
        register_dense_layers(r);
        register_spatial_layers(r);
        register_affine_layers(r);
        register_deconvolution_layers(r);
        register_matrix_layers(r);
        register_recurrent_layers(r);
        register_attention_layers(r);
        return r;
    }();
    return registry;
}

} // namespace ncnn_int8::engine
