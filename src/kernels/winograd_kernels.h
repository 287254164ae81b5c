// Winograd F(4x4, 3x3) for 3x3 stride-1 dilation-1 convolutions of the fp32
// engine: each 4x4 block of outputs (a tile) is computed from a 6x6 block
// of input as A^T [ (G g G^T) . (B^T d B) ] A, where the element-wise
// product is summed over input channels as 36 GEMMs over all tiles at once.
// That takes 36 multiplications per tile and channel pair instead of 144.
//
// Every step multiplies and adds in separate fp32 operations in the order of
// the scalar reference (winograd_scalar_reference.h), so each Highway target
// and WebAssembly give the same bits. The results differ from a direct
// convolution by rounding only (the transforms are exact in real numbers).
#pragma once

#include <cstddef>

namespace ncnn_int8::kernels {

// Points of the transformed 6x6 tile: the number of GEMMs per convolution.
constexpr size_t kWinograd43Points = 36;

// Tiles along one side of the output (4 outputs each).
constexpr size_t winograd43_tiles(size_t out_size) { return (out_size + 3) / 4; }

// Scratch of the two transforms for tiles_x x tiles_y tiles: a row of zeros
// and 6 rows of 4 tiles_x + 4 (the row pass reads 4 values past the last
// tile), or 24 planes of tiles and one output row.
constexpr size_t winograd43_row_stride(size_t tiles_x) { return 4 * tiles_x + 4; }
constexpr size_t winograd43_transform_scratch_floats(size_t tiles_x, size_t tiles_y)
{
    return 7 * winograd43_row_stride(tiles_x) + 24 * tiles_x * tiles_y;
}

// Transformed weights (G g G^T) of a convolution with weights
// [out_c][in_c][3][3] as ncnn stores them: u holds 36 matrices of
// out_c x in_c, point-major ([36][out_c][in_c]). Computed in double, then
// rounded once, so they are as close to the exact transform as fp32 allows.
void winograd43_transform_weights(const float* weight, size_t out_c, size_t in_c, float* u);

// Floats of scratch conv3x3s1_winograd43_f32 needs for these sizes.
size_t winograd43_scratch_floats(size_t in_c, size_t out_c, size_t outw, size_t outh);

// The whole convolution of a bordered input (in_c planes of src_h rows of
// src_w, src_w and src_h at least 3) into out_c planes of outh = src_h - 2
// rows of outw = src_w - 2: out = bias[oc] (0 without bias) + the sum over
// input channels and taps, through the transform of u (from
// winograd43_transform_weights). scratch holds winograd43_scratch_floats().
void conv3x3s1_winograd43_f32(const float* src, size_t src_w, size_t src_h, size_t in_c, const float* u, size_t out_c,
                              const float* bias, float* out, float* scratch);

} // namespace ncnn_int8::kernels
