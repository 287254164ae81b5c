// The Winograd F(4x4, 3x3) kernels (kernels/winograd_kernels-inl.h) against
// their scalar reference (kernels/winograd_scalar_reference.h), bit for bit,
// on every compiled target this CPU supports and every vector width of it
// (ForPartialVectors); the public entry point (kernels/winograd_kernels.h)
// through the dispatcher; and the whole convolution against the definition.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "winograd_kernels_test.cpp"
#ifndef NCNN_INT8_STATIC_DISPATCH
#include "hwy/foreach_target.h" // IWYU pragma: keep
#endif
#include "hwy/highway.h"
#include "hwy/tests/test_util-inl.h"
#include "hwy_kernel_test.h"
#include "kernels/winograd_kernels-inl.h"

#ifndef NCNN_INT8_WINOGRAD_KERNELS_TEST_HELPERS_
#define NCNN_INT8_WINOGRAD_KERNELS_TEST_HELPERS_
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "kernels/winograd_kernels.h"
#include "kernels/winograd_scalar_reference.h"

namespace ncnn_int8::winograd_kernel_test {

inline std::vector<float> random_values(size_t n, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-2.f, 2.f);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
}

inline bool same_bits(const std::vector<float>& a, const std::vector<float>& b)
{
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * 4) == 0);
}

// {output width, output height, input channels, output channels}: tile
// counts around the vector widths (1, 2, 4, 8, 16 tiles and between),
// outputs that are not a multiple of 4, squeezenet's 13x13 and 27x27.
constexpr size_t kCases[][4] = {{1, 1, 1, 1}, {4, 4, 2, 3}, {5, 3, 3, 2}, {13, 13, 9, 5}, {27, 6, 4, 9}, {55, 9, 2, 3}, {64, 5, 3, 4}, {33, 2, 1, 2}, {2, 17, 5, 1}, {30, 7, 16, 17}};

// transform(src, src_w, src_h, in_c, tiles_x, tiles_y, v, scratch) on every
// case against the scalar reference.
template <class Transform>
void check_input_transform(Transform transform, const char* what)
{
    uint32_t seed = 1;
    for (const auto& c : kCases) {
        const size_t outw = c[0], outh = c[1], in_c = c[2];
        const size_t src_w = outw + 2, src_h = outh + 2;
        const size_t tx = kernels::winograd43_tiles(outw), ty = kernels::winograd43_tiles(outh);
        const std::vector<float> src = random_values(src_w * src_h * in_c, seed++);
        std::vector<float> got(36 * in_c * tx * ty, 7.f), want(got.size(), 9.f);
        std::vector<float> scratch(kernels::winograd43_transform_scratch_floats(tx, ty), 5.f);
        transform(src.data(), src_w, src_h, in_c, tx, ty, got.data(), scratch.data());
        kernels::scalar::winograd43_input_transform(src.data(), src_w, src_h, in_c, tx, ty, want.data());
        EXPECT_TRUE(same_bits(got, want)) << what << " out=" << outw << "x" << outh << " in_c=" << in_c;
    }
}

// transform(m, out_c, tiles_x, tiles_y, bias, out, outw, outh, scratch) on
// every case, with and without bias, against the scalar reference.
template <class Transform>
void check_output_transform(Transform transform, const char* what)
{
    uint32_t seed = 100;
    for (const auto& c : kCases) {
        const size_t outw = c[0], outh = c[1], out_c = c[3];
        const size_t tx = kernels::winograd43_tiles(outw), ty = kernels::winograd43_tiles(outh);
        const std::vector<float> m = random_values(36 * out_c * tx * ty, seed++);
        const std::vector<float> bias = random_values(out_c, seed++);
        for (const float* b : {static_cast<const float*>(nullptr), bias.data()}) {
            std::vector<float> got(out_c * outw * outh, 7.f), want(got.size(), 9.f);
            std::vector<float> scratch(kernels::winograd43_transform_scratch_floats(tx, ty), 5.f);
            transform(m.data(), out_c, tx, ty, b, got.data(), outw, outh, scratch.data());
            kernels::scalar::winograd43_output_transform(m.data(), out_c, tx, ty, b, want.data(), outw, outh);
            EXPECT_TRUE(same_bits(got, want)) << what << " out=" << outw << "x" << outh << " out_c=" << out_c
                                              << (b ? " with bias" : "");
        }
    }
}

} // namespace ncnn_int8::winograd_kernel_test
#endif // NCNN_INT8_WINOGRAD_KERNELS_TEST_HELPERS_

HWY_BEFORE_NAMESPACE();
namespace ncnn_int8 {
namespace HWY_NAMESPACE {
namespace wt = winograd_kernel_test;
using hwy::HWY_NAMESPACE::ForPartialVectors;

struct TestWinogradInput {
    template <class T, class D>
    void operator()(T, D d)
    {
        SCOPED_TRACE(testing::Message() << "lanes=" << hn::Lanes(d));
        wt::check_input_transform([d](auto... args) HWY_ATTR { WinogradInputTransform(d, args...); }, "WinogradInputTransform");
    }
};
HWY_NOINLINE void TestAllWinogradInput() { ForPartialVectors<TestWinogradInput>()(float()); }

struct TestWinogradOutput {
    template <class T, class D>
    void operator()(T, D d)
    {
        SCOPED_TRACE(testing::Message() << "lanes=" << hn::Lanes(d));
        wt::check_output_transform([d](auto... args) HWY_ATTR { WinogradOutputTransform(d, args...); },
                                   "WinogradOutputTransform");
    }
};
HWY_NOINLINE void TestAllWinogradOutput() { ForPartialVectors<TestWinogradOutput>()(float()); }

// NOLINTNEXTLINE(google-readability-namespace-comments)
} // namespace HWY_NAMESPACE
} // namespace ncnn_int8
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ncnn_int8 {

NI8_KERNEL_TEST_SUITE(WinogradKernelsTest);
NI8_KERNEL_TEST(WinogradKernelsTest, TestAllWinogradInput);
NI8_KERNEL_TEST(WinogradKernelsTest, TestAllWinogradOutput);

namespace {

using winograd_kernel_test::kCases;
using winograd_kernel_test::random_values;
using winograd_kernel_test::same_bits;

// The entry point through the dispatcher, on the target Highway picks here,
// equals the scalar reference composed of the same steps.
TEST(WinogradKernels, EntryPointEqualsScalarReference)
{
    uint32_t seed = 200;
    for (const auto& c : kCases) {
        const size_t outw = c[0], outh = c[1], in_c = c[2], out_c = c[3];
        const size_t src_w = outw + 2, src_h = outh + 2, tiles = kernels::winograd43_tiles(outw) * kernels::winograd43_tiles(outh);
        const std::vector<float> src = random_values(src_w * src_h * in_c, seed++);
        const std::vector<float> w = random_values(out_c * in_c * 9, seed++);
        const std::vector<float> bias = random_values(out_c, seed++);
        std::vector<float> u(36 * out_c * in_c);
        kernels::winograd43_transform_weights(w.data(), out_c, in_c, u.data());
        std::vector<float> scratch(kernels::winograd43_scratch_floats(in_c, out_c, outw, outh));
        std::vector<float> got(out_c * outw * outh, 7.f), want(got.size(), 9.f);
        kernels::conv3x3s1_winograd43_f32(src.data(), src_w, src_h, in_c, u.data(), out_c, bias.data(), got.data(), scratch.data());
        std::vector<float> v(36 * in_c * tiles), m(36 * out_c * tiles);
        kernels::scalar::conv3x3s1_winograd43_f32(src.data(), src_w, src_h, in_c, u.data(), out_c, bias.data(), want.data(),
                                                  v.data(), m.data());
        EXPECT_TRUE(same_bits(got, want)) << "out=" << outw << "x" << outh << " in_c=" << in_c << " out_c=" << out_c;
    }
}

// The transforms compute the convolution: against the definition in double,
// within fp32 rounding of the transforms (measured: relative L2 errors of
// 4e-8 to 9e-7 on these cases, at most 3e-6 of the sum of |terms| per value).
TEST(WinogradKernels, ComputesTheConvolution)
{
    uint32_t seed = 300;
    for (const auto& c : kCases) {
        const size_t outw = c[0], outh = c[1], in_c = c[2], out_c = c[3];
        const size_t src_w = outw + 2, src_h = outh + 2;
        const std::vector<float> src = random_values(src_w * src_h * in_c, seed++);
        const std::vector<float> w = random_values(out_c * in_c * 9, seed++);
        const std::vector<float> bias = random_values(out_c, seed++);
        std::vector<float> u(36 * out_c * in_c);
        kernels::winograd43_transform_weights(w.data(), out_c, in_c, u.data());
        std::vector<float> scratch(kernels::winograd43_scratch_floats(in_c, out_c, outw, outh));
        std::vector<float> got(out_c * outw * outh);
        kernels::conv3x3s1_winograd43_f32(src.data(), src_w, src_h, in_c, u.data(), out_c, bias.data(), got.data(), scratch.data());
        double err = 0, norm = 0;
        for (size_t oc = 0; oc < out_c; oc++)
            for (size_t y = 0; y < outh; y++)
                for (size_t x = 0; x < outw; x++) {
                    double sum = bias[oc], magnitude = std::fabs(bias[oc]);
                    for (size_t ic = 0; ic < in_c; ic++)
                        for (size_t ky = 0; ky < 3; ky++)
                            for (size_t kx = 0; kx < 3; kx++) {
                                const double p = static_cast<double>(w[(oc * in_c + ic) * 9 + ky * 3 + kx]) * src[(ic * src_h + y + ky) * src_w + x + kx];
                                sum += p;
                                magnitude += std::fabs(p);
                            }
                    const double g = got[(oc * outh + y) * outw + x];
                    // rounding of the transforms grows with the sum of |terms|, not with the result
                    ASSERT_NEAR(g, sum, 1e-5 * magnitude) << "oc=" << oc << " y=" << y << " x=" << x;
                    err += (g - sum) * (g - sum);
                    norm += sum * sum;
                }
        EXPECT_LT(std::sqrt(err / norm), 1e-6) << "relative L2, out=" << outw << "x" << outh << " in_c=" << in_c;
    }
}

TEST(WinogradKernels, TransformedWeightsOfOneTap)
{
    // A single centre tap of 1: G g G^T is the outer product of G's middle column.
    float w[9] = {0, 0, 0, 0, 1, 0, 0, 0, 0};
    float u[36];
    kernels::winograd43_transform_weights(w, 1, 1, u);
    const double col[6] = {0, -1.0 / 6, 1.0 / 6, 1.0 / 12, -1.0 / 12, 0};
    for (size_t i = 0; i < 6; i++)
        for (size_t k = 0; k < 6; k++) EXPECT_EQ(u[6 * i + k], static_cast<float>(col[i] * col[k])) << i << "," << k;
}

} // namespace
} // namespace ncnn_int8
#endif // HWY_ONCE
