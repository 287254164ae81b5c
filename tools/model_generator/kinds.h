// The model kinds the generator knows; each describes its layers to a ModelBuilder.
#pragma once

#include "core/status.h"
#include "model_builder.h"

namespace ncnn_int8::generator {

Status build_sample(ModelBuilder& b);   // small conv net (~100 KB), the demo model
Status build_families(ModelBuilder& b); // one or more of every quantized family
Status build_cnn(ModelBuilder& b);      // ResNet-50-like, ~100 MB
Status build_vit(ModelBuilder& b);      // ViT-B-like, ~345 MB

} // namespace ncnn_int8::generator
