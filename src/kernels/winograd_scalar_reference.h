// Scalar reference of the Winograd F(4x4, 3x3) kernels: the order of
// operations every Highway target reproduces exactly (winograd_kernels-inl.h).
// Layouts: transformed input v[point][in_c][tile], transformed weights
// u[point][out_c][in_c], products m[point][out_c][tile]; point = 6 * i + k
// (i: row of the 6x6 tile, k: column), tile = ty * tiles_x + tx.
#pragma once

#include <cstddef>

#include "kernels/engine_scalar_reference.h"

namespace ncnn_int8::kernels::scalar {

// B^T times 6 values (one column or row of a 6x6 input tile); B^T rows:
// [4 0 -5 0 1 0] [0 -4 -4 1 1 0] [0 4 -4 -1 1 0] [0 -2 -1 2 1 0] [0 2 -1 -2 1 0] [0 4 0 -5 0 1].
inline void winograd43_bt(float r0, float r1, float r2, float r3, float r4, float r5, float t[6])
{
    t[0] = (4.f * r0 - 5.f * r2) + r4;
    t[1] = (r3 + r4) - 4.f * (r1 + r2);
    t[2] = (r4 - r3) + 4.f * (r1 - r2);
    t[3] = (r4 - r2) - 2.f * (r1 - r3);
    t[4] = (r4 - r2) + 2.f * (r1 - r3);
    t[5] = (4.f * r1 - 5.f * r3) + r5;
}

// A^T times 6 values; A^T rows: [1 1 1 1 1 0] [0 1 -1 2 -2 0] [0 1 1 4 4 0] [0 1 -1 8 -8 1].
inline void winograd43_at(float m0, float m1, float m2, float m3, float m4, float m5, float o[4])
{
    const float a = m1 + m2, b = m1 - m2, c = m3 + m4, e = m3 - m4;
    o[0] = (m0 + a) + c;
    o[1] = b + 2.f * e;
    o[2] = a + 4.f * c;
    o[3] = (b + 8.f * e) + m5;
}

// v = B^T d B for every 6x6 input block d at (4 ty, 4 tx) of each channel,
// columns first, then rows; input outside src_w x src_h reads as 0.
inline void winograd43_input_transform(const float* src, size_t src_w, size_t src_h, size_t in_c, size_t tiles_x,
                                       size_t tiles_y, float* v)
{
    const size_t tiles = tiles_x * tiles_y, point_stride = in_c * tiles;
    for (size_t c = 0; c < in_c; c++)
        for (size_t ty = 0; ty < tiles_y; ty++)
            for (size_t tx = 0; tx < tiles_x; tx++) {
                float d[6][6];
                for (size_t y = 0; y < 6; y++)
                    for (size_t x = 0; x < 6; x++) {
                        const size_t sy = 4 * ty + y, sx = 4 * tx + x;
                        d[y][x] = sy < src_h && sx < src_w ? src[(c * src_h + sy) * src_w + sx] : 0.f;
                    }
                float t[6][6];
                for (size_t x = 0; x < 6; x++) {
                    float col[6];
                    winograd43_bt(d[0][x], d[1][x], d[2][x], d[3][x], d[4][x], d[5][x], col);
                    for (size_t i = 0; i < 6; i++) t[i][x] = col[i];
                }
                for (size_t i = 0; i < 6; i++) {
                    float row[6];
                    winograd43_bt(t[i][0], t[i][1], t[i][2], t[i][3], t[i][4], t[i][5], row);
                    for (size_t k = 0; k < 6; k++) v[(6 * i + k) * point_stride + c * tiles + ty * tiles_x + tx] = row[k];
                }
            }
}

// out = A^T m A + bias per 4x4 tile (columns of m first, then rows), the
// parts of the tiles inside outw x outh written to out[out_c][outh][outw].
inline void winograd43_output_transform(const float* m, size_t out_c, size_t tiles_x, size_t tiles_y, const float* bias,
                                        float* out, size_t outw, size_t outh)
{
    const size_t tiles = tiles_x * tiles_y, point_stride = out_c * tiles;
    for (size_t oc = 0; oc < out_c; oc++) {
        const float b = bias ? bias[oc] : 0.f;
        for (size_t ty = 0; ty < tiles_y; ty++)
            for (size_t tx = 0; tx < tiles_x; tx++) {
                const float* mt = m + oc * tiles + ty * tiles_x + tx;
                float s[4][6];
                for (size_t k = 0; k < 6; k++) {
                    float col[4];
                    winograd43_at(mt[k * point_stride], mt[(6 + k) * point_stride], mt[(12 + k) * point_stride],
                                  mt[(18 + k) * point_stride], mt[(24 + k) * point_stride], mt[(30 + k) * point_stride], col);
                    for (size_t r = 0; r < 4; r++) s[r][k] = col[r];
                }
                for (size_t r = 0; r < 4; r++) {
                    float o[4];
                    winograd43_at(s[r][0], s[r][1], s[r][2], s[r][3], s[r][4], s[r][5], o);
                    const size_t y = 4 * ty + r;
                    for (size_t c = 0; c < 4; c++) {
                        const size_t x = 4 * tx + c;
                        if (y < outh && x < outw) out[(oc * outh + y) * outw + x] = o[c] + b;
                    }
                }
            }
    }
}

// The whole convolution (kernels::conv3x3s1_winograd43_f32): input
// transform, one GEMM per point (k = input channel ascending), output
// transform. v and m: scratch of 36 * in_c * tiles and 36 * out_c * tiles.
inline void conv3x3s1_winograd43_f32(const float* src, size_t src_w, size_t src_h, size_t in_c, const float* u, size_t out_c,
                                     const float* bias, float* out, float* v, float* m)
{
    const size_t outw = src_w - 2, outh = src_h - 2;
    const size_t tiles_x = (outw + 3) / 4, tiles_y = (outh + 3) / 4, tiles = tiles_x * tiles_y;
    winograd43_input_transform(src, src_w, src_h, in_c, tiles_x, tiles_y, v);
    for (size_t p = 0; p < 36; p++)
        gemm_f32(out_c, tiles, in_c, u + p * out_c * in_c, in_c, v + p * in_c * tiles, tiles, nullptr, m + p * out_c * tiles, tiles);
    winograd43_output_transform(m, out_c, tiles_x, tiles_y, bias, out, outw, outh);
}

} // namespace ncnn_int8::kernels::scalar
