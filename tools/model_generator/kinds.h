// The model kinds the generator knows; each describes its layers to a ModelBuilder.
#pragma once

#include "core/status.h"
#include "model_builder.h"

namespace ncnn_int8::generator {

Status build_sample(ModelBuilder& b);       // small conv net (~100 KB), the demo model
Status build_families(ModelBuilder& b);     // one or more of every quantized family
Status build_cnn(ModelBuilder& b);          // ResNet-50-like, ~100 MB
Status build_vit(ModelBuilder& b);          // ViT-B-like, ~345 MB
Status build_vit_tiny(ModelBuilder& b);     // the same layers at ViT-Ti widths, one block, ~3 MB
Status build_decoder(ModelBuilder& b);      // qwen2.5-shaped LLM decoder, 2 small blocks, ~1.5 MB
Status build_decoder_05b(ModelBuilder& b);  // qwen2.5-0.5b-sized decoder, ~1.43 GB
Status build_decoder_4g(ModelBuilder& b);   // qwen2.5-1.5b widths, 21 blocks, ~3.9 GB
Status build_proj_out_05b(ModelBuilder& b); // qwen2.5-0.5b's proj_out: one 151936 x 896 Gemm, ~544 MB

} // namespace ncnn_int8::generator
