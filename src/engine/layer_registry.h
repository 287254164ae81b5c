// The table of layer types the engine implements: catalog type -> factory.
// Each family file under layers/ adds its types in one register_* function.
#pragma once

#include <map>
#include <string>

#include "engine/layer.h"

namespace ncnn_int8::engine {

using LayerRegistry = std::map<std::string, LayerFactory>;

const LayerRegistry& layer_registry();

// One per family file (layers/*.cpp).
void register_structural_layers(LayerRegistry& r);
void register_activation_layers(LayerRegistry& r);
void register_elementwise_layers(LayerRegistry& r);
void register_normalize_layers(LayerRegistry& r);
void register_shape_layers(LayerRegistry& r);
void register_convolution_layers(LayerRegistry& r);
void register_pooling_layers(LayerRegistry& r);
void register_dense_layers(LayerRegistry& r);
void register_spatial_layers(LayerRegistry& r);
void register_affine_layers(LayerRegistry& r);
void register_deconvolution_layers(LayerRegistry& r);
void register_matrix_layers(LayerRegistry& r);
void register_recurrent_layers(LayerRegistry& r);
void register_attention_layers(LayerRegistry& r);

} // namespace ncnn_int8::engine
