// The engine's Highway kernels (kernels/engine_kernels-inl.h) against their
// scalar reference (kernels/engine_scalar_reference.h), bit for bit, on every
// compiled target this CPU supports and every vector width of it
// (ForPartialVectors); the public entry points (kernels/engine_kernels.h);
// and the scalar reference against first principles.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "engine_kernels_test.cpp"
#ifndef NCNN_INT8_STATIC_DISPATCH
#include "hwy/foreach_target.h" // IWYU pragma: keep
#endif
#include "hwy/highway.h"
#include "hwy/tests/test_util-inl.h"
#include "hwy_kernel_test.h"
#include "kernels/engine_kernels-inl.h"

#ifndef NCNN_INT8_ENGINE_KERNELS_TEST_HELPERS_
#define NCNN_INT8_ENGINE_KERNELS_TEST_HELPERS_
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "kernels/engine_kernels.h"
#include "kernels/engine_scalar_reference.h"

namespace ncnn_int8::engine_kernel_test {

std::vector<float> random_values(size_t n, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-2.f, 2.f);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b)
{
    // memcmp must not see the null data() of an empty vector.
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * 4) == 0);
}

// GEMM shapes {M, N, K} around the vector widths, the register blocks (4
// rows x 3 vectors natively, 4 x 2 in WebAssembly) and 4 x 1 blocks and the 4-lane tail (a 7x7 plane is 49 columns).
constexpr size_t kGemmShapes[][3] = {{1, 1, 1}, {1, 17, 9}, {3, 8, 5}, {4, 16, 27}, {5, 33, 3}, {9, 100, 64}, {16, 7, 11}, {7, 64, 1}, {4, 48, 5}, {8, 97, 13}, {6, 200, 9}, {13, 150, 30}, {5, 49, 7}, {8, 196, 3}, {4, 14, 2}};

// Depthwise cases {kernel w = h, dilation, stride (w = h), output width,
// output height}: strides 1 and 2 take the vector path, 3 the scalar one;
// widths around the vector sizes.
constexpr size_t kDepthwiseCases[][5] = {{3, 1, 1, 40, 5}, {3, 1, 2, 33, 4}, {5, 2, 1, 17, 3}, {1, 1, 2, 64, 2}, {3, 1, 3, 20, 3}, {3, 2, 2, 7, 7}, {7, 1, 1, 100, 2}, {3, 1, 1, 14, 3}, {3, 1, 2, 7, 4}, {3, 1, 1, 28, 2}, {3, 1, 2, 14, 5}};

// Max pooling cases {kernel w, kernel h, stride w, stride h, output width,
// output height}: 3x3 strides 1 and 2 (the unrolled path), other windows,
// stride 3 (the scalar one); widths around the vector sizes.
constexpr size_t kMaxPoolCases[][6] = {{3, 3, 1, 1, 40, 5}, {3, 3, 2, 2, 33, 4}, {3, 3, 2, 2, 56, 3}, {2, 2, 2, 2, 17, 3}, {3, 3, 3, 3, 20, 3}, {5, 3, 1, 2, 9, 4}, {1, 1, 2, 1, 64, 2}, {3, 3, 1, 1, 7, 7}, {3, 3, 2, 2, 14, 5}, {2, 3, 1, 1, 100, 2}};

// Runs gemm(M, N, K, A, lda, B, ldb, bias, C, ldc) on every shape, with and
// without bias, with row strides, and compares it with the scalar reference.
template <class Gemm>
void check_gemm(Gemm gemm, const char* what)
{
    uint32_t seed = 1;
    for (const auto& s : kGemmShapes) {
        const size_t M = s[0], N = s[1], K = s[2];
        const size_t lda = K + 2, ldb = N + 3, ldc = N + 1;
        const std::vector<float> A = random_values(M * lda, seed++);
        const std::vector<float> B = random_values(K * ldb, seed++);
        const std::vector<float> bias = random_values(M, seed++);
        for (const float* b : {static_cast<const float*>(nullptr), bias.data()}) {
            std::vector<float> got(M * ldc, 7.f), want(M * ldc, 7.f);
            gemm(M, N, K, A.data(), lda, B.data(), ldb, b, got.data(), ldc);
            kernels::scalar::gemm_f32(M, N, K, A.data(), lda, B.data(), ldb, b, want.data(), ldc);
            EXPECT_TRUE(same_bits(got, want)) << what << " M=" << M << " N=" << N << " K=" << K << (b ? " with bias" : "");
        }
    }
}

// depthwise(src, src_w, src_h, outw, outh, k, k, dil, dil, st, st, w, bias, out)
// on every case against the scalar reference.
template <class Depthwise>
void check_depthwise(Depthwise depthwise, const char* what)
{
    uint32_t seed = 40;
    for (const auto& c : kDepthwiseCases) {
        const size_t k = c[0], dil = c[1], st = c[2], outw = c[3], outh = c[4];
        const size_t src_w = (outw - 1) * st + dil * (k - 1) + 1, src_h = (outh - 1) * st + dil * (k - 1) + 1;
        const std::vector<float> src = random_values(src_w * src_h, seed++);
        const std::vector<float> w = random_values(k * k, seed++);
        std::vector<float> got(outw * outh, 7.f), want(outw * outh, 9.f);
        depthwise(src.data(), src_w, src_h, outw, outh, k, k, dil, dil, st, st, w.data(), 0.25f, got.data());
        kernels::scalar::depthwise_f32(src.data(), src_w, outw, outh, k, k, dil, dil, st, st, w.data(), 0.25f, want.data());
        EXPECT_TRUE(same_bits(got, want)) << what << " k=" << k << " dilation=" << dil << " stride=" << st << " out=" << outw
                                          << "x" << outh;
    }
}

// max_pool(src, src_w, src_h, outw, outh, kw, kh, sw, sh, out) on every case
// against the scalar reference, with NaNs, infinities and signed zeros among
// the values (which of two a max keeps is where targets differ).
template <class MaxPool>
void check_max_pool(MaxPool max_pool, const char* what)
{
    uint32_t seed = 70;
    for (const auto& c : kMaxPoolCases) {
        const size_t kw = c[0], kh = c[1], sw = c[2], sh = c[3], outw = c[4], outh = c[5];
        const size_t src_w = (outw - 1) * sw + kw, src_h = (outh - 1) * sh + kh;
        std::vector<float> src = random_values(src_w * src_h, seed++);
        for (size_t i = 0; i < src.size(); i += 7) src[i] = std::numeric_limits<float>::quiet_NaN();
        for (size_t i = 3; i < src.size(); i += 11) src[i] = i % 2 ? -0.f : 0.f;
        for (size_t i = 5; i < src.size(); i += 13) src[i] = (i % 3 ? -1 : 1) * std::numeric_limits<float>::infinity();
        std::vector<float> got(outw * outh, 7.f), want(outw * outh, 9.f);
        max_pool(src.data(), src_w, src_h, outw, outh, kw, kh, sw, sh, got.data());
        kernels::scalar::max_pool_f32(src.data(), src_w, outw, outh, kw, kh, sw, sh, want.data());
        EXPECT_TRUE(same_bits(got, want)) << what << " window " << kw << "x" << kh << " stride " << sw << "x" << sh << " out=" << outw
                                          << "x" << outh;
    }
}

// axpy(count, a, x, y) on rows around the vector widths against the scalar reference.
template <class Axpy>
void check_axpy(Axpy axpy, const char* what)
{
    for (size_t n : {0u, 1u, 3u, 4u, 8u, 15u, 16u, 31u, 100u}) {
        const std::vector<float> x = random_values(n + 1, 11);
        std::vector<float> got = random_values(n + 1, 12), want = got;
        axpy(n, 0.37f, x.data(), got.data());
        kernels::scalar::axpy_f32(n, 0.37f, x.data(), want.data());
        EXPECT_TRUE(same_bits(got, want)) << what << " n=" << n;
    }
}

// Values for the magnitude counts: random in (-2, 2), with a NaN, an
// infinity, -0 and -9.5 or 9.5 placed around `at`.
std::vector<float> stats_values(size_t n, size_t at, uint32_t seed)
{
    std::vector<float> v = random_values(n, seed);
    if (n == 0) return v;
    v[(at * 7) % n] = std::numeric_limits<float>::quiet_NaN();
    v[(at * 5 + 2) % n] = -std::numeric_limits<float>::infinity();
    v[(at * 3 + 1) % n] = -0.f;
    v[at % n] = seed % 2 ? -9.5f : 9.5f;
    return v;
}

// count(p, n, cutoff_bits, bins) against the scalar reference.
template <class Count>
void check_count_magnitudes(Count count, const char* what)
{
    const float cutoffs[] = {0.f, 1.f, 1.9f, 9.5f, std::numeric_limits<float>::infinity()};
    for (size_t n : {0u, 1u, 5u, 8u, 16u, 33u, 100u, 257u})
        for (float cutoff : cutoffs) {
            const std::vector<float> v = stats_values(n, n / 2, static_cast<uint32_t>(n + 5));
            uint32_t bits;
            std::memcpy(&bits, &cutoff, 4);
            std::vector<uint64_t> got(1 << 15, 0), want(1 << 15, 0);
            count(v.data(), n, bits, got.data());
            kernels::scalar::count_magnitudes_f32(v.data(), n, bits, want.data());
            EXPECT_EQ(got, want) << what << " n=" << n << " cutoff=" << cutoff;
        }
}

// dot(w, x, n) for int8 or int16 weights against int8 inputs, against the
// scalar loop: lengths around the vector widths; int8 over its whole range
// (-128 included), int16 as eq's weight differences (|d| <= 254), and the
// extreme products.
template <typename Weight, class Dot>
void check_dot(Dot dot, const char* what)
{
    std::mt19937 rng(5);
    const int wmax = sizeof(Weight) == 1 ? 127 : 254;
    std::uniform_int_distribution<int> wdist(-wmax - 1, wmax), xdist(-128, 127);
    for (size_t n : {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 100, 1000, 4099}) {
        std::vector<Weight> w(n);
        std::vector<int8_t> x(n);
        for (size_t i = 0; i < n; i++) w[i] = static_cast<Weight>(wdist(rng)), x[i] = static_cast<int8_t>(xdist(rng));
        EXPECT_EQ(dot(w.data(), x.data(), n), kernels::scalar::dot_i32(w.data(), x.data(), n)) << what << " n=" << n;
        std::fill(w.begin(), w.end(), static_cast<Weight>(-wmax - 1));
        std::fill(x.begin(), x.end(), int8_t(-128));
        EXPECT_EQ(dot(w.data(), x.data(), n), static_cast<int32_t>(n) * (wmax + 1) * 128) << what << " extremes n=" << n;
    }
}

} // namespace ncnn_int8::engine_kernel_test
#endif // NCNN_INT8_ENGINE_KERNELS_TEST_HELPERS_

HWY_BEFORE_NAMESPACE();
namespace ncnn_int8 {
namespace HWY_NAMESPACE {
namespace et = engine_kernel_test;
using hwy::HWY_NAMESPACE::ForPartialVectors;

struct TestGemm {
    template <class T, class D>
    void operator()(T, D d)
    {
        SCOPED_TRACE(testing::Message() << "lanes=" << hn::Lanes(d));
        et::check_gemm([d](auto... args) HWY_ATTR { Gemm(d, args...); }, "Gemm");
        // Every register block shape gives the same bits: the target's own,
        // and the other targets' (WebAssembly's 4 x 2 is checked here too).
        et::check_gemm([d](auto... args) HWY_ATTR { Gemm<4, 3>(d, args...); }, "Gemm 4x3");
        et::check_gemm([d](auto... args) HWY_ATTR { Gemm<4, 2>(d, args...); }, "Gemm 4x2");
        et::check_gemm([d](auto... args) HWY_ATTR { Gemm<2, 4>(d, args...); }, "Gemm 2x4");
    }
};
HWY_NOINLINE void TestAllGemm() { ForPartialVectors<TestGemm>()(float()); }

struct TestDepthwise {
    template <class T, class D>
    void operator()(T, D d)
    {
        SCOPED_TRACE(testing::Message() << "lanes=" << hn::Lanes(d));
        et::check_depthwise([d](auto... args) HWY_ATTR { Depthwise(d, args...); }, "Depthwise");
    }
};
HWY_NOINLINE void TestAllDepthwise() { ForPartialVectors<TestDepthwise>()(float()); }

struct TestMaxPool {
    template <class T, class D>
    void operator()(T, D d)
    {
        SCOPED_TRACE(testing::Message() << "lanes=" << hn::Lanes(d));
        et::check_max_pool([d](auto... args) HWY_ATTR { MaxPool(d, args...); }, "MaxPool");
    }
};
HWY_NOINLINE void TestAllMaxPool() { ForPartialVectors<TestMaxPool>()(float()); }

struct TestAxpy {
    template <class T, class D>
    void operator()(T, D d)
    {
        SCOPED_TRACE(testing::Message() << "lanes=" << hn::Lanes(d));
        et::check_axpy([d](auto... args) HWY_ATTR { Axpy(d, args...); }, "Axpy");
    }
};
HWY_NOINLINE void TestAllAxpy() { ForPartialVectors<TestAxpy>()(float()); }

struct TestCountMagnitudes {
    template <class T, class D>
    void operator()(T, D d)
    {
        SCOPED_TRACE(testing::Message() << "lanes=" << hn::Lanes(d));
        et::check_count_magnitudes([d](auto... args) HWY_ATTR { CountMagnitudes(d, args...); }, "CountMagnitudes");
    }
};
HWY_NOINLINE void TestAllCountMagnitudes() { ForPartialVectors<TestCountMagnitudes>()(float()); }

struct TestDot {
    template <class T, class D>
    void operator()(T, D d)
    {
        SCOPED_TRACE(testing::Message() << "lanes=" << hn::Lanes(d));
        et::check_dot<int8_t>([d](auto... args) HWY_ATTR { return DotI32(d, args...); }, "DotI32 int8");
        et::check_dot<int16_t>([d](auto... args) HWY_ATTR { return DotI32(d, args...); }, "DotI32 int16");
    }
};
HWY_NOINLINE void TestAllDot() { ForPartialVectors<TestDot>()(int32_t()); }

// NOLINTNEXTLINE(google-readability-namespace-comments)
} // namespace HWY_NAMESPACE
} // namespace ncnn_int8
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ncnn_int8 {

NI8_KERNEL_TEST_SUITE(EngineKernelsTest);
NI8_KERNEL_TEST(EngineKernelsTest, TestAllGemm);
NI8_KERNEL_TEST(EngineKernelsTest, TestAllDepthwise);
NI8_KERNEL_TEST(EngineKernelsTest, TestAllMaxPool);
NI8_KERNEL_TEST(EngineKernelsTest, TestAllAxpy);
NI8_KERNEL_TEST(EngineKernelsTest, TestAllCountMagnitudes);
NI8_KERNEL_TEST(EngineKernelsTest, TestAllDot);

namespace {

using engine_kernel_test::random_values;
using engine_kernel_test::same_bits;

// The public entry points (engine_kernels.h) through the dispatcher, on the
// target Highway picks here.
TEST(EngineKernels, EntryPointsEqualScalarReference)
{
    engine_kernel_test::check_gemm(kernels::gemm_f32, "gemm_f32");
    engine_kernel_test::check_depthwise(kernels::depthwise_f32, "depthwise_f32");
    engine_kernel_test::check_max_pool(kernels::max_pool_f32, "max_pool_f32");
    engine_kernel_test::check_axpy(kernels::axpy_f32, "axpy_f32");
    engine_kernel_test::check_axpy([](size_t n, float a, const float* x, float* y) { kernels::axpy_strided_f32(n, a, x, 1, y); },
                                   "axpy_strided_f32 stride 1");
    engine_kernel_test::check_count_magnitudes(kernels::count_magnitudes_f32, "count_magnitudes_f32");
    engine_kernel_test::check_dot<int8_t>(kernels::dot_i8, "dot_i8");
    engine_kernel_test::check_dot<int16_t>(kernels::dot_i16_i8, "dot_i16_i8");
}

TEST(EngineKernels, StridedAxpyEqualsScalarReference)
{
    for (size_t n : {0u, 1u, 3u, 4u, 8u, 15u, 16u, 31u, 100u}) {
        const std::vector<float> x = random_values(n * 3 + 1, 11);
        std::vector<float> got = random_values(n * 3 + 1, 12), want = got;
        kernels::axpy_strided_f32(n, -1.5f, x.data(), 3, got.data());
        kernels::scalar::axpy_strided_f32(n, -1.5f, x.data(), 3, want.data());
        EXPECT_TRUE(same_bits(got, want)) << "strided n=" << n;
        kernels::axpy_strided_out_f32(n, x.data(), got.data(), 3);
        kernels::scalar::axpy_strided_out_f32(n, x.data(), want.data(), 3);
        EXPECT_TRUE(same_bits(got, want)) << "strided out n=" << n;
        kernels::axpy_strided_out_f32(n, x.data(), got.data(), 1);
        kernels::scalar::axpy_strided_out_f32(n, x.data(), want.data(), 1);
        EXPECT_TRUE(same_bits(got, want)) << "strided out, stride 1, n=" << n;
    }
}

TEST(EngineKernels, ScalarDepthwiseIsTheConvolution)
{
    // 2x2 kernel [1 2; 3 4], stride 1, on [1 2 3; 4 5 6]: 1+4+12+20+1 = 38, 2+6+15+24+1 = 48
    const float src[] = {1, 2, 3, 4, 5, 6}, w[] = {1, 2, 3, 4};
    float out[2];
    kernels::depthwise_f32(src, 3, 2, 2, 1, 2, 2, 1, 1, 1, 1, w, 1.f, out);
    EXPECT_EQ(out[0], 38.f);
    EXPECT_EQ(out[1], 48.f);
}

TEST(EngineKernels, ScalarMaxPoolIsTheWindowMaximum)
{
    // 2x2 windows, stride 1, on [1 5 2; 4 3 6]: max(1 5 4 3) = 5, max(5 2 3 6) = 6
    const float src[] = {1, 5, 2, 4, 3, 6};
    float out[2];
    kernels::scalar::max_pool_f32(src, 3, 2, 1, 2, 2, 1, 1, out);
    EXPECT_EQ(out[0], 5.f);
    EXPECT_EQ(out[1], 6.f);
    // std::max's rule: a NaN first in the window stays, a later one is passed over
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float first_nan[] = {nan, 1, 2, 3}, later_nan[] = {1, nan, 2, 0};
    kernels::scalar::max_pool_f32(first_nan, 2, 1, 1, 2, 2, 1, 1, out);
    EXPECT_TRUE(std::isnan(out[0]));
    kernels::scalar::max_pool_f32(later_nan, 2, 1, 1, 2, 2, 1, 1, out);
    EXPECT_EQ(out[0], 2.f);
}

TEST(EngineKernels, ScalarGemmIsTheMatrixProduct)
{
    // [1 2; 3 4] x [5 6; 7 8] + [1; -1] = [20 23; 42 49]
    const float A[] = {1, 2, 3, 4}, B[] = {5, 6, 7, 8}, bias[] = {1, -1};
    float C[4];
    kernels::gemm_f32(2, 2, 2, A, 2, B, 2, bias, C, 2);
    EXPECT_EQ(C[0], 20.f);
    EXPECT_EQ(C[1], 23.f);
    EXPECT_EQ(C[2], 42.f);
    EXPECT_EQ(C[3], 49.f);
}

} // namespace
} // namespace ncnn_int8
#endif // HWY_ONCE
