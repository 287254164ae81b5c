// method=eq's int8 rounding (src/calib/eq_search.h): ncnn x86's quantize().
// The search itself is checked against the corpus in calib_corpus_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "calib/eq_search.h"

namespace ncnn_int8 {
namespace {

std::vector<int> quantized(const std::vector<float>& x, float scale)
{
    std::vector<int8_t> q(x.size());
    eq::quantize_row(x.data(), x.size(), scale, q.data());
    return std::vector<int>(q.begin(), q.end());
}

TEST(EqQuantize, RoundsHalfAwayFromZeroAndClamps)
{
    EXPECT_EQ(quantized({0.5f, -0.5f, 1.5f, -2.5f, 300.f, -300.f, 126.6f, 0.f}, 1.f), (std::vector<int>{1, -1, 2, -3, 127, -127, 127, 0}));
    EXPECT_EQ(quantized({1.f, -2.f, 0.24f, 0.26f}, 2.f), (std::vector<int>{2, -4, 0, 1}));
}

TEST(EqQuantize, VectorLanesAndTailRoundTheLargestFloatBelowHalfDifferently)
{
    // 0.5 - 2^-25 + 0.5 rounds up to 1.0 in float: ncnn's vector lanes give 1,
    // its scalar tail (round()) gives 0. Lanes are the first n - n % 4 values.
    const float h = 0.5f - std::ldexp(1.f, -25);
    EXPECT_EQ(quantized({h, h, h, h, h}, 1.f), (std::vector<int>{1, 1, 1, 1, 0}));
    EXPECT_EQ(quantized({h, h, h}, 1.f), (std::vector<int>{0, 0, 0}));
}

TEST(EqQuantize, NanAndInfinityGiveTheLaneMinimum)
{
    // cvttps gives INT_MIN, which ncnn's saturating packs clamp to -127
    const float nan = std::nanf(""), inf = INFINITY;
    EXPECT_EQ(quantized({nan, inf, -inf, 0.f}, 1.f), (std::vector<int>{-127, -127, -127, 0}));
    // an all-zero channel's scale is 127/0 = inf: 0 * inf is NaN
    EXPECT_EQ(quantized({0.f, 0.f, 0.f, 0.f}, inf), (std::vector<int>{-127, -127, -127, -127}));
}

} // namespace
} // namespace ncnn_int8
