// Highway vector code of the engine kernels, once per target (foreach_target):
// included by engine_kernels.cpp, which calls each row function at the
// target's full width, and by the kernel tests, which call them on every
// partial vector width too (ForPartialVectors). Vectors run along n (output
// pixels / output features), so each output's sum is built in k order, as the
// scalar reference does, whatever the vector width. The *Columns / *Lanes
// functions do whole vectors; the others finish with the scalar reference.
#include <cstddef>
#include <cstdint>

#include "kernels/engine_scalar_reference.h"

#if defined(NCNN_INT8_ENGINE_KERNELS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef NCNN_INT8_ENGINE_KERNELS_INL_H_
#undef NCNN_INT8_ENGINE_KERNELS_INL_H_
#else
#define NCNN_INT8_ENGINE_KERNELS_INL_H_
#endif

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace ncnn_int8 {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Columns [n, ...) one vector of tag D at a time (rows in blocks of 4, then
// one by one); returns the first column not done.
template <class D>
HWY_INLINE size_t GemmOneVector(D df, size_t n, size_t M, size_t N, size_t K, const float* HWY_RESTRICT A, size_t lda,
                                const float* HWY_RESTRICT B, size_t ldb, const float* HWY_RESTRICT bias, float* HWY_RESTRICT C,
                                size_t ldc)
{
    const size_t L = hn::Lanes(df);
    for (; n + L <= N; n += L) {
        size_t m = 0;
        for (; m + 4 <= M; m += 4) {
            auto c0 = hn::Set(df, bias ? bias[m] : 0.f);
            auto c1 = hn::Set(df, bias ? bias[m + 1] : 0.f);
            auto c2 = hn::Set(df, bias ? bias[m + 2] : 0.f);
            auto c3 = hn::Set(df, bias ? bias[m + 3] : 0.f);
            const float* a0 = A + m * lda;
            const float* a1 = a0 + lda;
            const float* a2 = a1 + lda;
            const float* a3 = a2 + lda;
            for (size_t k = 0; k < K; k++) {
                const auto b = hn::LoadU(df, B + k * ldb + n);
                c0 = hn::Add(c0, hn::Mul(hn::Set(df, a0[k]), b));
                c1 = hn::Add(c1, hn::Mul(hn::Set(df, a1[k]), b));
                c2 = hn::Add(c2, hn::Mul(hn::Set(df, a2[k]), b));
                c3 = hn::Add(c3, hn::Mul(hn::Set(df, a3[k]), b));
            }
            hn::StoreU(c0, df, C + m * ldc + n);
            hn::StoreU(c1, df, C + (m + 1) * ldc + n);
            hn::StoreU(c2, df, C + (m + 2) * ldc + n);
            hn::StoreU(c3, df, C + (m + 3) * ldc + n);
        }
        for (; m < M; m++) {
            auto c = hn::Set(df, bias ? bias[m] : 0.f);
            const float* a = A + m * lda;
            for (size_t k = 0; k < K; k++) c = hn::Add(c, hn::Mul(hn::Set(df, a[k]), hn::LoadU(df, B + k * ldb + n)));
            hn::StoreU(c, df, C + m * ldc + n);
        }
    }
    return n;
}

// Columns [n, ...) in register blocks of kRows rows x kVectors vectors of
// tag D (independent sums: enough to keep the adders busy without FMA), the
// rows left one by one; returns the first column not done.
template <size_t kRows, size_t kVectors, class D>
HWY_INLINE size_t GemmBlocks(D df, size_t n, size_t M, size_t N, size_t K, const float* HWY_RESTRICT A, size_t lda,
                             const float* HWY_RESTRICT B, size_t ldb, const float* HWY_RESTRICT bias, float* HWY_RESTRICT C,
                             size_t ldc)
{
    using V = hn::Vec<D>;
    const size_t L = hn::Lanes(df);
    for (; n + kVectors * L <= N; n += kVectors * L) {
        size_t m = 0;
        for (; m + kRows <= M; m += kRows) {
            V c[kRows][kVectors];
            for (size_t r = 0; r < kRows; r++)
                for (size_t v = 0; v < kVectors; v++) c[r][v] = hn::Set(df, bias ? bias[m + r] : 0.f);
            const float* a = A + m * lda;
            const float* b = B + n;
            for (size_t k = 0; k < K; k++, b += ldb) {
                V bv[kVectors];
                for (size_t v = 0; v < kVectors; v++) bv[v] = hn::LoadU(df, b + v * L);
                for (size_t r = 0; r < kRows; r++) {
                    const V av = hn::Set(df, a[r * lda + k]);
                    for (size_t v = 0; v < kVectors; v++) c[r][v] = hn::Add(c[r][v], hn::Mul(av, bv[v]));
                }
            }
            for (size_t r = 0; r < kRows; r++)
                for (size_t v = 0; v < kVectors; v++) hn::StoreU(c[r][v], df, C + (m + r) * ldc + n + v * L);
        }
        for (; m < M; m++) {
            V c[kVectors];
            for (size_t v = 0; v < kVectors; v++) c[v] = hn::Set(df, bias ? bias[m] : 0.f);
            const float* a = A + m * lda;
            const float* b = B + n;
            for (size_t k = 0; k < K; k++, b += ldb) {
                const V av = hn::Set(df, a[k]);
                for (size_t v = 0; v < kVectors; v++) c[v] = hn::Add(c[v], hn::Mul(av, hn::LoadU(df, b + v * L)));
            }
            for (size_t v = 0; v < kVectors; v++) hn::StoreU(c[v], df, C + m * ldc + n + v * L);
        }
    }
    return n;
}

// The register block: 4 rows x 3 vectors (12 sums) where the target has
// the registers for it; in WebAssembly 4 x 2: 12 sums, 3 loads and the
// broadcast are 16 vector registers, more than V8 allocates on x64, and
// spill (4 x 2 ran squeezenet_he's calibration 1.2x faster in Node than
// 4 x 3; 3 x 3, 2 x 4 and 5 x 2 were no faster than 4 x 2).
#if HWY_TARGET == HWY_WASM || HWY_TARGET == HWY_WASM_EMU256
constexpr size_t kGemmRows = 4;
constexpr size_t kGemmVectors = 2;
#else
constexpr size_t kGemmRows = 4;
constexpr size_t kGemmVectors = 3;
#endif

// Register blocks of kRows x kVectors, then 4 rows x 1 vector, then single
// rows, then the same with 4-lane vectors (when D is wider). Every output's sum
// still starts at its bias and adds A[m][k] * B[k][n] in k order, so the
// blocking does not change a bit. Returns the first column not done (the
// caller finishes the rest with the scalar reference).
template <size_t kRows = kGemmRows, size_t kVectors = kGemmVectors, class D>
HWY_INLINE size_t GemmColumns(D df, size_t M, size_t N, size_t K, const float* HWY_RESTRICT A, size_t lda,
                              const float* HWY_RESTRICT B, size_t ldb, const float* HWY_RESTRICT bias,
                              float* HWY_RESTRICT C, size_t ldc)
{
    size_t n = GemmBlocks<kRows, kVectors>(df, 0, M, N, K, A, lda, B, ldb, bias, C, ldc);
    n = GemmOneVector(df, n, M, N, K, A, lda, B, ldb, bias, C, ldc);
    // narrower vectors for what is left (a 7x7 plane is 49 columns)
    const hn::CappedTag<float, 4> d4;
    if (hn::Lanes(d4) < hn::Lanes(df)) n = GemmOneVector(d4, n, M, N, K, A, lda, B, ldb, bias, C, ldc);
    return n;
}

// The whole product (kernels::gemm_f32): vector columns, then the scalar
// reference for the columns left. The block shape is the target's (the
// tests try others).
template <size_t kRows = kGemmRows, size_t kVectors = kGemmVectors, class D>
HWY_INLINE void Gemm(D df, size_t M, size_t N, size_t K, const float* HWY_RESTRICT A, size_t lda, const float* HWY_RESTRICT B,
                     size_t ldb, const float* HWY_RESTRICT bias, float* HWY_RESTRICT C, size_t ldc)
{
    const size_t done = GemmColumns<kRows, kVectors>(df, M, N, K, A, lda, B, ldb, bias, C, ldc);
    if (done < N) kernels::scalar::gemm_f32(M, N - done, K, A, lda, B + done, ldb, bias, C + done, ldc);
}

// Depthwise (one input plane, one output plane), columns [x, ...) one
// vector of tag D at a time, while the loads stay inside the plane (a
// stride-2 load reads 2 vectors and keeps the even lanes). Each output
// starts at `bias` and adds w[ky][kx] * input in (ky, kx) order, as the
// scalar reference. Returns the first column not done.
template <size_t kStride, class D>
HWY_INLINE hn::Vec<D> DepthwiseTap(D df, const float* HWY_RESTRICT p)
{
    if constexpr (kStride == 1) {
        return hn::LoadU(df, p);
    } else {
        hn::Vec<D> even, odd;
        hn::LoadInterleaved2(df, p, even, odd);
        return even;
    }
}

// The end of the columns [x0, end) a plane kernel does with vectors of tag
// D (stride 1 or 2): whole vectors of outputs whose loads stay inside the
// plane (a stride-2 load reads 2 vectors).
template <class D>
HWY_INLINE size_t VectorColumnsEnd(D df, size_t x0, size_t src_w, size_t src_len, size_t outw, size_t outh, size_t kw, size_t kh,
                                   size_t dw, size_t dh, size_t sw, size_t sh)
{
    const size_t L = hn::Lanes(df);
    const size_t span = sw == 1 ? L : 2 * L;
    const size_t last_row_start = ((outh - 1) * sh + (kh - 1) * dh) * src_w;
    size_t xend = x0;
    while (xend + L <= outw && last_row_start + xend * sw + dw * (kw - 1) + span <= src_len) xend += L;
    return xend;
}

// The common 3x3, dilation 1 kernel of DepthwiseColumns, columns [x0, xend):
// the nine weights stay in registers and the taps are unrolled, in the same
// (ky, kx) order.
template <size_t kStride, class D>
HWY_INLINE void Depthwise3x3Columns(D df, size_t x0, size_t xend, const float* HWY_RESTRICT src, size_t src_w, size_t outw, size_t outh,
                                    size_t sh, const float* HWY_RESTRICT w, float bias, float* HWY_RESTRICT out)
{
    const size_t L = hn::Lanes(df);
    const auto w0 = hn::Set(df, w[0]), w1 = hn::Set(df, w[1]), w2 = hn::Set(df, w[2]);
    const auto w3 = hn::Set(df, w[3]), w4 = hn::Set(df, w[4]), w5 = hn::Set(df, w[5]);
    const auto w6 = hn::Set(df, w[6]), w7 = hn::Set(df, w[7]), w8 = hn::Set(df, w[8]);
    const auto b = hn::Set(df, bias);
    for (size_t y = 0; y < outh; y++) {
        const float* r0 = src + y * sh * src_w;
        const float* r1 = r0 + src_w;
        const float* r2 = r1 + src_w;
        float* o = out + y * outw;
        for (size_t x = x0; x < xend; x += L) {
            const size_t c = x * kStride;
            auto acc = hn::Add(b, hn::Mul(w0, DepthwiseTap<kStride>(df, r0 + c)));
            acc = hn::Add(acc, hn::Mul(w1, DepthwiseTap<kStride>(df, r0 + c + 1)));
            acc = hn::Add(acc, hn::Mul(w2, DepthwiseTap<kStride>(df, r0 + c + 2)));
            acc = hn::Add(acc, hn::Mul(w3, DepthwiseTap<kStride>(df, r1 + c)));
            acc = hn::Add(acc, hn::Mul(w4, DepthwiseTap<kStride>(df, r1 + c + 1)));
            acc = hn::Add(acc, hn::Mul(w5, DepthwiseTap<kStride>(df, r1 + c + 2)));
            acc = hn::Add(acc, hn::Mul(w6, DepthwiseTap<kStride>(df, r2 + c)));
            acc = hn::Add(acc, hn::Mul(w7, DepthwiseTap<kStride>(df, r2 + c + 1)));
            acc = hn::Add(acc, hn::Mul(w8, DepthwiseTap<kStride>(df, r2 + c + 2)));
            hn::StoreU(acc, df, o + x);
        }
    }
}

template <class D>
HWY_INLINE size_t DepthwiseColumns(D df, size_t x0, const float* HWY_RESTRICT src, size_t src_w, size_t src_len, size_t outw,
                                   size_t outh, size_t kw, size_t kh, size_t dw, size_t dh, size_t sw, size_t sh,
                                   const float* HWY_RESTRICT w, float bias, float* HWY_RESTRICT out)
{
    const size_t L = hn::Lanes(df);
    const size_t xend = VectorColumnsEnd(df, x0, src_w, src_len, outw, outh, kw, kh, dw, dh, sw, sh);
    if (kw == 3 && kh == 3 && dw == 1 && dh == 1) {
        if (sw == 1)
            Depthwise3x3Columns<1>(df, x0, xend, src, src_w, outw, outh, sh, w, bias, out);
        else
            Depthwise3x3Columns<2>(df, x0, xend, src, src_w, outw, outh, sh, w, bias, out);
        return xend;
    }
    for (size_t y = 0; y < outh; y++) {
        float* o = out + y * outw;
        for (size_t x = x0; x < xend; x += L) {
            auto acc = hn::Set(df, bias);
            for (size_t ky = 0; ky < kh; ky++) {
                const float* row = src + (y * sh + ky * dh) * src_w + x * sw;
                for (size_t kx = 0; kx < kw; kx++) {
                    const float* p = row + kx * dw;
                    decltype(acc) v;
                    if (sw == 1) {
                        v = hn::LoadU(df, p);
                    } else {
                        decltype(acc) odd;
                        hn::LoadInterleaved2(df, p, v, odd);
                    }
                    acc = hn::Add(acc, hn::Mul(hn::Set(df, w[ky * kw + kx]), v));
                }
            }
            hn::StoreU(acc, df, o + x);
        }
    }
    return xend;
}

// Depthwise with vectors of tag D, then 4-lane ones (planes of 7, 14, 28
// columns) when D is wider; strides above 2 are left to the scalar reference.
template <class D>
HWY_INLINE size_t DepthwiseVectorColumns(D df, const float* HWY_RESTRICT src, size_t src_w, size_t src_len, size_t outw,
                                         size_t outh, size_t kw, size_t kh, size_t dw, size_t dh, size_t sw, size_t sh,
                                         const float* HWY_RESTRICT w, float bias, float* HWY_RESTRICT out)
{
    if (sw > 2 || outw == 0 || outh == 0) return 0;
    size_t x = DepthwiseColumns(df, 0, src, src_w, src_len, outw, outh, kw, kh, dw, dh, sw, sh, w, bias, out);
    const hn::CappedTag<float, 4> d4;
    if (hn::Lanes(d4) < hn::Lanes(df)) x = DepthwiseColumns(d4, x, src, src_w, src_len, outw, outh, kw, kh, dw, dh, sw, sh, w, bias, out);
    return x;
}

// The whole plane (kernels::depthwise_f32; src has src_h rows of src_w):
// vector columns, then the scalar reference for the columns left.
template <class D>
HWY_INLINE void Depthwise(D df, const float* HWY_RESTRICT src, size_t src_w, size_t src_h, size_t outw, size_t outh, size_t kw,
                          size_t kh, size_t dw, size_t dh, size_t sw, size_t sh, const float* HWY_RESTRICT w, float bias,
                          float* HWY_RESTRICT out)
{
    const size_t done = DepthwiseVectorColumns(df, src, src_w, src_w * src_h, outw, outh, kw, kh, dw, dh, sw, sh, w, bias, out);
    if (done < outw) kernels::scalar::depthwise_f32(src, src_w, outw, outh, kw, kh, dw, dh, sw, sh, w, bias, out, done);
}

// m < v ? v : m in every lane (std::max's rule: a NaN in m stays, a NaN in v
// is passed over), which a target's own max instruction need not follow.
template <class V>
HWY_INLINE V MaxLikeStd(V m, V v)
{
    return hn::IfThenElse(hn::Lt(m, v), v, m);
}

// One row's three taps of 3x3 windows starting at r: one load each
// (stride 1), or two interleaved loads (stride 2: the evens at r and r + 2,
// the odds at r + 1).
template <size_t kStride, class D>
HWY_INLINE void MaxPool3x3Row(D df, const float* HWY_RESTRICT r, hn::Vec<D>& t0, hn::Vec<D>& t1, hn::Vec<D>& t2)
{
    if constexpr (kStride == 1) {
        t0 = hn::LoadU(df, r);
        t1 = hn::LoadU(df, r + 1);
        t2 = hn::LoadU(df, r + 2);
    } else {
        auto odd_next = hn::Zero(df);
        hn::LoadInterleaved2(df, r, t0, t1);
        hn::LoadInterleaved2(df, r + 2, t2, odd_next);
    }
}

// The common 3x3 max pooling, columns [x0, xend), the taps in window order.
template <size_t kStride, class D>
HWY_INLINE void MaxPool3x3Columns(D df, size_t x0, size_t xend, const float* HWY_RESTRICT src, size_t src_w, size_t outw,
                                  size_t outh, size_t sh, float* HWY_RESTRICT out)
{
    const size_t L = hn::Lanes(df);
    for (size_t y = 0; y < outh; y++) {
        const float* top = src + y * sh * src_w;
        float* o = out + y * outw;
        for (size_t x = x0; x < xend; x += L) {
            const size_t c = x * kStride;
            auto t0 = hn::Zero(df), t1 = t0, t2 = t0;
            MaxPool3x3Row<kStride>(df, top + c, t0, t1, t2);
            auto m = MaxLikeStd(t0, t1); // the first tap's max with itself is itself
            m = MaxLikeStd(m, t2);
            for (size_t ky = 1; ky < 3; ky++) {
                MaxPool3x3Row<kStride>(df, top + ky * src_w + c, t0, t1, t2);
                m = MaxLikeStd(m, t0);
                m = MaxLikeStd(m, t1);
                m = MaxLikeStd(m, t2);
            }
            hn::StoreU(m, df, o + x);
        }
    }
}

// Max pooling, columns [x0, ...) one vector of tag D at a time while the
// loads stay inside the plane. Returns the first column not done.
template <class D>
HWY_INLINE size_t MaxPoolColumns(D df, size_t x0, const float* HWY_RESTRICT src, size_t src_w, size_t src_len, size_t outw,
                                 size_t outh, size_t kw, size_t kh, size_t sw, size_t sh, float* HWY_RESTRICT out)
{
    const size_t L = hn::Lanes(df);
    const size_t xend = VectorColumnsEnd(df, x0, src_w, src_len, outw, outh, kw, kh, 1, 1, sw, sh);
    if (kw == 3 && kh == 3) {
        if (sw == 1)
            MaxPool3x3Columns<1>(df, x0, xend, src, src_w, outw, outh, sh, out);
        else
            MaxPool3x3Columns<2>(df, x0, xend, src, src_w, outw, outh, sh, out);
        return xend;
    }
    for (size_t y = 0; y < outh; y++) {
        const float* top = src + y * sh * src_w;
        float* o = out + y * outw;
        for (size_t x = x0; x < xend; x += L) {
            auto m = hn::Zero(df);
            for (size_t ky = 0; ky < kh; ky++)
                for (size_t kx = 0; kx < kw; kx++) {
                    const float* p = top + ky * src_w + x * sw + kx;
                    auto v = m, odd = m;
                    if (sw == 1)
                        v = hn::LoadU(df, p);
                    else
                        hn::LoadInterleaved2(df, p, v, odd);
                    m = ky == 0 && kx == 0 ? v : MaxLikeStd(m, v);
                }
            hn::StoreU(m, df, o + x);
        }
    }
    return xend;
}

// The whole plane (kernels::max_pool_f32): vectors of tag D, then 4-lane
// ones when D is wider, then the scalar reference for the columns left
// (and for strides above 2).
template <class D>
HWY_INLINE void MaxPool(D df, const float* HWY_RESTRICT src, size_t src_w, size_t src_h, size_t outw, size_t outh, size_t kw,
                        size_t kh, size_t sw, size_t sh, float* HWY_RESTRICT out)
{
    size_t done = 0;
    if (sw <= 2 && outw > 0 && outh > 0) {
        done = MaxPoolColumns(df, 0, src, src_w, src_w * src_h, outw, outh, kw, kh, sw, sh, out);
        const hn::CappedTag<float, 4> d4;
        if (hn::Lanes(d4) < hn::Lanes(df)) done = MaxPoolColumns(d4, done, src, src_w, src_w * src_h, outw, outh, kw, kh, sw, sh, out);
    }
    if (done < outw) kernels::scalar::max_pool_f32(src, src_w, outw, outh, kw, kh, sw, sh, out, done);
}

// y[n] += a * x[n], whole vectors of tag D; returns how many were done.
template <class D>
HWY_INLINE size_t AxpyLanes(D df, size_t count, float a, const float* HWY_RESTRICT x, float* HWY_RESTRICT y)
{
    const size_t L = hn::Lanes(df);
    const auto va = hn::Set(df, a);
    size_t n = 0;
    for (; n + L <= count; n += L) hn::StoreU(hn::Add(hn::LoadU(df, y + n), hn::Mul(va, hn::LoadU(df, x + n))), df, y + n);
    return n;
}

// The whole row (kernels::axpy_f32): vectors, then the scalar reference.
template <class D>
HWY_INLINE void Axpy(D df, size_t count, float a, const float* HWY_RESTRICT x, float* HWY_RESTRICT y)
{
    const size_t done = AxpyLanes(df, count, a, x, y);
    kernels::scalar::axpy_f32(count - done, a, x + done, y + done);
}

// kernels::count_magnitudes_f32: values are compared with the cutoff as
// integers (|x|'s bits), four vectors a step under one test, and counted one
// by one only when a lane reaches it (rare for a cutoff near the top of the
// values).
template <class D>
HWY_INLINE void CountMagnitudes(D df, const float* HWY_RESTRICT p, size_t n, uint32_t cutoff_bits, uint64_t* HWY_RESTRICT bins)
{
    const hn::RebindToSigned<D> di;
    const size_t L = hn::Lanes(df);
    const auto abs_mask = hn::Set(di, 0x7fffffff);
    const auto below = hn::Set(di, static_cast<int32_t>(cutoff_bits) - 1); // u >= cutoff as u > cutoff - 1 (cutoff < 2^31)
    const auto reaches = [&](size_t i) HWY_ATTR { return hn::Gt(hn::And(hn::BitCast(di, hn::LoadU(df, p + i)), abs_mask), below); };
    size_t i = 0;
    for (; i + 4 * L <= n; i += 4 * L) {
        const auto any = hn::Or(hn::Or(reaches(i), reaches(i + L)), hn::Or(reaches(i + 2 * L), reaches(i + 3 * L)));
        if (!hn::AllFalse(di, any)) kernels::scalar::count_magnitudes_f32(p + i, 4 * L, cutoff_bits, bins);
    }
    for (; i + L <= n; i += L)
        if (!hn::AllFalse(di, reaches(i))) kernels::scalar::count_magnitudes_f32(p + i, L, cutoff_bits, bins);
    kernels::scalar::count_magnitudes_f32(p + i, n - i, cutoff_bits, bins);
}

// The int16 lanes of `w` from i (int8 weights widened, or int16 as they are).
template <class D16>
HWY_INLINE hn::Vec<D16> WeightLanes(D16 d16, const int8_t* HWY_RESTRICT w, size_t i)
{
    return hn::PromoteTo(d16, hn::LoadU(hn::Rebind<int8_t, D16>(), w + i));
}
template <class D16>
HWY_INLINE hn::Vec<D16> WeightLanes(D16 d16, const int16_t* HWY_RESTRICT w, size_t i)
{
    return hn::LoadU(d16, w + i);
}

// kernels::dot_i8 / dot_i16_i8: int16 lanes multiplied pairwise into int32
// sums (i32x4.dot_i16x8_s in WebAssembly, pmaddwd on x86), then the scalar
// loop for the rest.
template <class D32, typename Weight>
HWY_INLINE int32_t DotI32(D32 d32, const Weight* HWY_RESTRICT w, const int8_t* HWY_RESTRICT x, size_t n)
{
#if HWY_TARGET == HWY_SCALAR
    (void)d32; // one lane: no pairs to multiply
    return kernels::scalar::dot_i32(w, x, n);
#else
    const hn::Repartition<int16_t, D32> d16;
    const hn::Rebind<int8_t, decltype(d16)> d8;
    const size_t L = hn::Lanes(d16);
    auto sum0 = hn::Zero(d32), sum1 = hn::Zero(d32);
    size_t i = 0;
    for (; i + L <= n; i += L) {
        const auto xv = hn::PromoteTo(d16, hn::LoadU(d8, x + i));
        sum0 = hn::ReorderWidenMulAccumulate(d32, WeightLanes(d16, w, i), xv, sum0, sum1);
    }
    const int32_t vector_sum = hn::GetLane(hn::SumOfLanes(d32, hn::RearrangeToOddPlusEven(sum0, sum1)));
    return vector_sum + kernels::scalar::dot_i32(w + i, x + i, n - i);
#endif
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
} // namespace HWY_NAMESPACE
} // namespace ncnn_int8
HWY_AFTER_NAMESPACE();

#endif
