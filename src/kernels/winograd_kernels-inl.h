// Highway vector code of the Winograd F(4x4, 3x3) transforms, once per target
// (foreach_target): included by winograd_kernels.cpp at the target's full
// width and by the kernel tests at every partial width (ForPartialVectors).
// Each transform runs in two passes over whole rows, vectors along the row:
// the column pass (6 rows in, 6 or 4 rows out) reads contiguous values, the
// row pass reads four interleaved streams (value j of tile tx is at 4 tx + j),
// so every lane computes one tile with the scalar reference's expressions in
// the same order. Tails take 4-lane vectors, then the scalar reference.
#include <cstddef>
#include <cstring>

#include "kernels/winograd_kernels.h"
#include "kernels/winograd_scalar_reference.h"

#if defined(NCNN_INT8_WINOGRAD_KERNELS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef NCNN_INT8_WINOGRAD_KERNELS_INL_H_
#undef NCNN_INT8_WINOGRAD_KERNELS_INL_H_
#else
#define NCNN_INT8_WINOGRAD_KERNELS_INL_H_
#endif

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace ncnn_int8 {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// scalar::winograd43_bt on vectors, the same expressions.
template <class D, class V>
HWY_INLINE void WinogradBT(D d, V r0, V r1, V r2, V r3, V r4, V r5, V& t0, V& t1, V& t2, V& t3, V& t4, V& t5)
{
    const V k2 = hn::Set(d, 2.f), k4 = hn::Set(d, 4.f), k5 = hn::Set(d, 5.f);
    t0 = hn::Add(hn::Sub(hn::Mul(k4, r0), hn::Mul(k5, r2)), r4);
    t1 = hn::Sub(hn::Add(r3, r4), hn::Mul(k4, hn::Add(r1, r2)));
    t2 = hn::Add(hn::Sub(r4, r3), hn::Mul(k4, hn::Sub(r1, r2)));
    const V r42 = hn::Sub(r4, r2), r13 = hn::Mul(k2, hn::Sub(r1, r3));
    t3 = hn::Sub(r42, r13);
    t4 = hn::Add(r42, r13);
    t5 = hn::Add(hn::Sub(hn::Mul(k4, r1), hn::Mul(k5, r3)), r5);
}

// scalar::winograd43_at on vectors, the same expressions.
template <class D, class V>
HWY_INLINE void WinogradAT(D d, V m0, V m1, V m2, V m3, V m4, V m5, V& o0, V& o1, V& o2, V& o3)
{
    const V a = hn::Add(m1, m2), b = hn::Sub(m1, m2), c = hn::Add(m3, m4), e = hn::Sub(m3, m4);
    o0 = hn::Add(hn::Add(m0, a), c);
    o1 = hn::Add(b, hn::Mul(hn::Set(d, 2.f), e));
    o2 = hn::Add(a, hn::Mul(hn::Set(d, 4.f), c));
    o3 = hn::Add(hn::Add(b, hn::Mul(hn::Set(d, 8.f), e)), m5);
}

// The six transformed rows o0..o5 stored `stride` floats apart from `out`.
template <class D>
HWY_INLINE void StoreSixRows(D d, hn::Vec<D> o0, hn::Vec<D> o1, hn::Vec<D> o2, hn::Vec<D> o3, hn::Vec<D> o4, hn::Vec<D> o5,
                             float* HWY_RESTRICT out, size_t stride)
{
    hn::StoreU(o0, d, out);
    hn::StoreU(o1, d, out + stride);
    hn::StoreU(o2, d, out + 2 * stride);
    hn::StoreU(o3, d, out + 3 * stride);
    hn::StoreU(o4, d, out + 4 * stride);
    hn::StoreU(o5, d, out + 5 * stride);
}
// Column pass of the input transform, columns [x, end) one vector of tag D at
// a time: t_i[x] = (B^T (r_0[x] .. r_5[x]))_i (t: 6 rows of `stride`).
// Returns the first column not done.
template <class D>
HWY_INLINE size_t WinogradInputColumns(D d, size_t x, size_t end, const float* const* r, float* HWY_RESTRICT t, size_t stride)
{
    using V = hn::Vec<D>;
    const size_t L = hn::Lanes(d);
    for (; x + L <= end; x += L) {
        V t0, t1, t2, t3, t4, t5;
        WinogradBT(d, hn::LoadU(d, r[0] + x), hn::LoadU(d, r[1] + x), hn::LoadU(d, r[2] + x), hn::LoadU(d, r[3] + x),
                   hn::LoadU(d, r[4] + x), hn::LoadU(d, r[5] + x), t0, t1, t2, t3, t4, t5);
        StoreSixRows(d, t0, t1, t2, t3, t4, t5, t + x, stride);
    }
    return x;
}

// Row pass of the input transform on row ti of the column pass, tiles
// [tx, tiles_x) one vector of tag D at a time: tile tx is ti[4 tx .. 4 tx + 5],
// point k goes to vp[k * point_stride + tx]. Returns the first tile not done.
template <class D>
HWY_INLINE size_t WinogradInputRow(D d, size_t tx, size_t tiles_x, const float* HWY_RESTRICT ti, float* HWY_RESTRICT vp,
                                   size_t point_stride)
{
    using V = hn::Vec<D>;
    const size_t L = hn::Lanes(d);
    for (; tx + L <= tiles_x; tx += L) {
        V a0, a1, a2, a3, b0, b1, b2, b3;
        hn::LoadInterleaved4(d, ti + 4 * tx, a0, a1, a2, a3);
        hn::LoadInterleaved4(d, ti + 4 * tx + 4, b0, b1, b2, b3);
        V o0, o1, o2, o3, o4, o5;
        WinogradBT(d, a0, a1, a2, a3, b0, b1, o0, o1, o2, o3, o4, o5);
        StoreSixRows(d, o0, o1, o2, o3, o4, o5, vp + tx, point_stride);
    }
    return tx;
}

// v = B^T d B (scalar::winograd43_input_transform). scratch: at least
// kernels::winograd43_transform_scratch_floats(tiles_x, tiles_y) floats.
// Each pass runs vectors of tag D, then 4-lane vectors (rows of 4 to 16
// tiles are common), then the scalar reference.
template <class D>
HWY_INLINE void WinogradInputTransform(D d, const float* HWY_RESTRICT src, size_t src_w, size_t src_h, size_t in_c,
                                       size_t tiles_x, size_t tiles_y, float* HWY_RESTRICT v, float* HWY_RESTRICT scratch)
{
    const hn::CappedTag<float, 4> d4;
    const bool narrower = hn::Lanes(d4) < hn::Lanes(d);
    const size_t tiles = tiles_x * tiles_y, point_stride = in_c * tiles;
    const size_t stride = kernels::winograd43_row_stride(tiles_x); // >= src_w + 2
    float* zero_row = scratch;
    float* t = scratch + stride; // 6 rows of the column pass
    std::memset(zero_row, 0, stride * sizeof(float));
    for (size_t c = 0; c < in_c; c++) {
        const float* plane = src + c * src_h * src_w;
        for (size_t ty = 0; ty < tiles_y; ty++) {
            // Column pass; rows below the input read as 0.
            const float* r[6];
            for (size_t j = 0; j < 6; j++) r[j] = 4 * ty + j < src_h ? plane + (4 * ty + j) * src_w : zero_row;
            size_t x = WinogradInputColumns(d, 0, src_w, r, t, stride);
            if (narrower) x = WinogradInputColumns(d4, x, src_w, r, t, stride);
            for (; x < src_w; x++) {
                float col[6];
                kernels::scalar::winograd43_bt(r[0][x], r[1][x], r[2][x], r[3][x], r[4][x], r[5][x], col);
                for (size_t i = 0; i < 6; i++) t[i * stride + x] = col[i];
            }
            // Columns right of the input: B^T of zeros is +0, as the reference computes it.
            for (size_t i = 0; i < 6; i++) std::memset(t + i * stride + src_w, 0, (stride - src_w) * sizeof(float));

            // Row pass, row i of every tile.
            float* vrow = v + c * tiles + ty * tiles_x;
            for (size_t i = 0; i < 6; i++) {
                const float* ti = t + i * stride;
                float* vp = vrow + 6 * i * point_stride;
                size_t tx = WinogradInputRow(d, 0, tiles_x, ti, vp, point_stride);
                if (narrower) tx = WinogradInputRow(d4, tx, tiles_x, ti, vp, point_stride);
                for (; tx < tiles_x; tx++) {
                    const float* q = ti + 4 * tx;
                    float row[6];
                    kernels::scalar::winograd43_bt(q[0], q[1], q[2], q[3], q[4], q[5], row);
                    for (size_t k = 0; k < 6; k++) vp[k * point_stride + tx] = row[k];
                }
            }
        }
    }
}

// Column pass of the output transform for column k of every tile of one
// output channel, tiles [n, tiles) one vector of tag D at a time: s_r[k] =
// (A^T (m_0k .. m_5k))_r, row (r, k) of s at (6 r + k) * tiles. Returns the
// first tile not done.
template <class D>
HWY_INLINE size_t WinogradOutputColumns(D d, size_t n, size_t tiles, const float* const* p, float* HWY_RESTRICT sk)
{
    using V = hn::Vec<D>;
    const size_t L = hn::Lanes(d);
    for (; n + L <= tiles; n += L) {
        V o0, o1, o2, o3;
        WinogradAT(d, hn::LoadU(d, p[0] + n), hn::LoadU(d, p[1] + n), hn::LoadU(d, p[2] + n), hn::LoadU(d, p[3] + n),
                   hn::LoadU(d, p[4] + n), hn::LoadU(d, p[5] + n), o0, o1, o2, o3);
        hn::StoreU(o0, d, sk + n);
        hn::StoreU(o1, d, sk + 6 * tiles + n);
        hn::StoreU(o2, d, sk + 12 * tiles + n);
        hn::StoreU(o3, d, sk + 18 * tiles + n);
    }
    return n;
}

// Row pass of the output transform for row r of the tiles of one tile row
// (sr: its 6 values per tile, rows `tiles` apart), tiles [tx, tiles_x) one
// vector of tag D at a time: value j of tile tx goes to row_out[4 tx + j],
// plus the bias. Returns the first tile not done.
template <class D>
HWY_INLINE size_t WinogradOutputRow(D d, size_t tx, size_t tiles_x, const float* HWY_RESTRICT sr, size_t tiles, float b,
                                    float* HWY_RESTRICT row_out)
{
    using V = hn::Vec<D>;
    const size_t L = hn::Lanes(d);
    const V vb = hn::Set(d, b);
    for (; tx + L <= tiles_x; tx += L) {
        V o0, o1, o2, o3;
        WinogradAT(d, hn::LoadU(d, sr + tx), hn::LoadU(d, sr + tiles + tx), hn::LoadU(d, sr + 2 * tiles + tx),
                   hn::LoadU(d, sr + 3 * tiles + tx), hn::LoadU(d, sr + 4 * tiles + tx), hn::LoadU(d, sr + 5 * tiles + tx), o0, o1,
                   o2, o3);
        hn::StoreInterleaved4(hn::Add(o0, vb), hn::Add(o1, vb), hn::Add(o2, vb), hn::Add(o3, vb), d, row_out + 4 * tx);
    }
    return tx;
}

// out = A^T m A + bias (scalar::winograd43_output_transform). scratch: at
// least kernels::winograd43_transform_scratch_floats(tiles_x, tiles_y)
// floats. The column pass runs over all tiles of a channel at once.
template <class D>
HWY_INLINE void WinogradOutputTransform(D d, const float* HWY_RESTRICT m, size_t out_c, size_t tiles_x, size_t tiles_y,
                                        const float* HWY_RESTRICT bias, float* HWY_RESTRICT out, size_t outw, size_t outh,
                                        float* HWY_RESTRICT scratch)
{
    const hn::CappedTag<float, 4> d4;
    const bool narrower = hn::Lanes(d4) < hn::Lanes(d);
    const size_t tiles = tiles_x * tiles_y, point_stride = out_c * tiles;
    float* s = scratch;                    // s[r][k]: 24 rows of tiles, the column pass
    float* row_out = scratch + 24 * tiles; // one output row of 4 tiles_x
    for (size_t oc = 0; oc < out_c; oc++) {
        const float b = bias ? bias[oc] : 0.f;
        const float* mc = m + oc * tiles;
        for (size_t k = 0; k < 6; k++) {
            const float* p[6];
            for (size_t i = 0; i < 6; i++) p[i] = mc + (6 * i + k) * point_stride;
            float* sk = s + k * tiles;
            size_t n = WinogradOutputColumns(d, 0, tiles, p, sk);
            if (narrower) n = WinogradOutputColumns(d4, n, tiles, p, sk);
            for (; n < tiles; n++) {
                float col[4];
                kernels::scalar::winograd43_at(p[0][n], p[1][n], p[2][n], p[3][n], p[4][n], p[5][n], col);
                for (size_t r = 0; r < 4; r++) sk[6 * r * tiles + n] = col[r];
            }
        }
        for (size_t ty = 0; ty < tiles_y; ty++)
            for (size_t r = 0; r < 4 && 4 * ty + r < outh; r++) {
                const float* sr = s + 6 * r * tiles + ty * tiles_x;
                size_t tx = WinogradOutputRow(d, 0, tiles_x, sr, tiles, b, row_out);
                if (narrower) tx = WinogradOutputRow(d4, tx, tiles_x, sr, tiles, b, row_out);
                for (; tx < tiles_x; tx++) {
                    float o[4];
                    kernels::scalar::winograd43_at(sr[tx], sr[tiles + tx], sr[2 * tiles + tx], sr[3 * tiles + tx],
                                                   sr[4 * tiles + tx], sr[5 * tiles + tx], o);
                    for (size_t j = 0; j < 4; j++) row_out[4 * tx + j] = o[j] + b;
                }
                std::memcpy(out + (oc * outh + 4 * ty + r) * outw, row_out, outw * sizeof(float));
            }
    }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
} // namespace HWY_NAMESPACE
} // namespace ncnn_int8
HWY_AFTER_NAMESPACE();

#endif
