// Dispatch of the Winograd kernels (dynamic natively, static in WASM, as
// engine_kernels.cpp): the transforms at each target's full vector width;
// the 36 products go through kernels::gemm_f32.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/winograd_kernels.cpp"
#ifndef NCNN_INT8_STATIC_DISPATCH
#include "hwy/foreach_target.h" // IWYU pragma: keep
#endif
#include "hwy/highway.h"
#include "kernels/winograd_kernels-inl.h"

HWY_BEFORE_NAMESPACE();
namespace ncnn_int8 {
namespace HWY_NAMESPACE {

HWY_NOINLINE void WinogradInputFull(const float* src, size_t src_w, size_t src_h, size_t in_c, size_t tiles_x, size_t tiles_y,
                                    float* v, float* scratch)
{
    WinogradInputTransform(hn::ScalableTag<float>(), src, src_w, src_h, in_c, tiles_x, tiles_y, v, scratch);
}

HWY_NOINLINE void WinogradOutputFull(const float* m, size_t out_c, size_t tiles_x, size_t tiles_y, const float* bias, float* out,
                                     size_t outw, size_t outh, float* scratch)
{
    WinogradOutputTransform(hn::ScalableTag<float>(), m, out_c, tiles_x, tiles_y, bias, out, outw, outh, scratch);
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
} // namespace HWY_NAMESPACE
} // namespace ncnn_int8
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/engine_kernels.h"

namespace ncnn_int8 {

#ifdef NCNN_INT8_STATIC_DISPATCH
#define NI8_WINOGRAD_DISPATCH(fn) HWY_STATIC_DISPATCH(fn)
#else
HWY_EXPORT(WinogradInputFull);
HWY_EXPORT(WinogradOutputFull);
#define NI8_WINOGRAD_DISPATCH(fn) HWY_DYNAMIC_DISPATCH(fn)
#endif

namespace kernels {

void winograd43_transform_weights(const float* weight, size_t out_c, size_t in_c, float* u)
{
    // G: 6 x 3, the rows of the kernel transform for interpolation points 0, 1, -1, 2, -2 and infinity.
    static const double G[6][3] = {{1.0 / 4, 0, 0}, {-1.0 / 6, -1.0 / 6, -1.0 / 6}, {-1.0 / 6, 1.0 / 6, -1.0 / 6}, {1.0 / 24, 1.0 / 12, 1.0 / 6}, {1.0 / 24, -1.0 / 12, 1.0 / 6}, {0, 0, 1}};
    for (size_t oc = 0; oc < out_c; oc++)
        for (size_t ic = 0; ic < in_c; ic++) {
            const float* g = weight + (oc * in_c + ic) * 9;
            double gg[6][3]; // G g
            for (size_t i = 0; i < 6; i++)
                for (size_t x = 0; x < 3; x++) gg[i][x] = G[i][0] * g[x] + G[i][1] * g[3 + x] + G[i][2] * g[6 + x];
            for (size_t i = 0; i < 6; i++)
                for (size_t k = 0; k < 6; k++) {
                    const double value = gg[i][0] * G[k][0] + gg[i][1] * G[k][1] + gg[i][2] * G[k][2];
                    u[((6 * i + k) * out_c + oc) * in_c + ic] = static_cast<float>(value);
                }
        }
}

namespace {
struct WinogradSizes {
    size_t tiles_x, tiles_y, tiles, v_floats, m_floats;
};
WinogradSizes winograd_sizes(size_t in_c, size_t out_c, size_t outw, size_t outh)
{
    WinogradSizes s;
    s.tiles_x = winograd43_tiles(outw);
    s.tiles_y = winograd43_tiles(outh);
    s.tiles = s.tiles_x * s.tiles_y;
    s.v_floats = kWinograd43Points * in_c * s.tiles;
    s.m_floats = kWinograd43Points * out_c * s.tiles;
    return s;
}
} // namespace

size_t winograd43_scratch_floats(size_t in_c, size_t out_c, size_t outw, size_t outh)
{
    const WinogradSizes s = winograd_sizes(in_c, out_c, outw, outh);
    return s.v_floats + s.m_floats + winograd43_transform_scratch_floats(s.tiles_x, s.tiles_y);
}

void conv3x3s1_winograd43_f32(const float* src, size_t src_w, size_t src_h, size_t in_c, const float* u, size_t out_c,
                              const float* bias, float* out, float* scratch)
{
    const size_t outw = src_w - 2, outh = src_h - 2;
    const WinogradSizes s = winograd_sizes(in_c, out_c, outw, outh);
    float* v = scratch;
    float* m = v + s.v_floats;
    float* rows = m + s.m_floats;
    NI8_WINOGRAD_DISPATCH(WinogradInputFull)
    (src, src_w, src_h, in_c, s.tiles_x, s.tiles_y, v, rows);
    for (size_t p = 0; p < kWinograd43Points; p++)
        gemm_f32(out_c, s.tiles, in_c, u + p * out_c * in_c, in_c, v + p * in_c * s.tiles, s.tiles, nullptr,
                 m + p * out_c * s.tiles, s.tiles);
    NI8_WINOGRAD_DISPATCH(WinogradOutputFull)
    (m, out_c, s.tiles_x, s.tiles_y, bias, out, outw, outh, rows);
}

} // namespace kernels
} // namespace ncnn_int8
#endif // HWY_ONCE
