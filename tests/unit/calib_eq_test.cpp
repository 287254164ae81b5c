// method=eq's int8 rounding (kernels::quantize_row, shared with ncnn2int8): ncnn x86's quantize().
// The search itself is checked against the corpus in calib_corpus_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "calib/eq_search.h"
#include "kernels/kernels.h"

namespace ncnn_int8 {
namespace {

std::vector<int> quantized(const std::vector<float>& x, float scale)
{
    std::vector<int8_t> q(x.size());
    kernels::quantize_row(x.data(), x.size(), scale, q.data());
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

std::vector<int16_t> difference(const std::vector<int8_t>& a, const std::vector<int8_t>& b)
{
    std::vector<int16_t> d(a.size());
    for (size_t i = 0; i < a.size(); i++) d[i] = static_cast<int16_t>(a[i] - b[i]);
    return d;
}

// The search carries each channel's int32 sums from one candidate's weights
// to the next, running only the weights that changed: the result must be
// the sums run afresh, for convolutions (strides, dilation, groups) and
// dense layers alike.
TEST(EqChannelSums, UpdatedSumsEqualSumsRunAfresh)
{
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> value(-127, 127);
    std::uniform_int_distribution<int> coin(0, 3);
    struct Conv {
        int group, num_output, in_c, kw, kh, dw, dh, sw, sh, w, h;
    };
    const Conv convs[] = {
        {1, 4, 3, 3, 3, 1, 1, 1, 1, 11, 9},  // 3x3 stride 1
        {1, 3, 5, 3, 3, 1, 1, 2, 2, 13, 12}, // stride 2
        {2, 4, 6, 3, 1, 2, 1, 1, 1, 10, 7},  // groups, dilation, 3x1
        {6, 6, 6, 3, 3, 1, 1, 2, 1, 9, 9},   // depthwise, stride 2 across
        {1, 5, 7, 1, 1, 1, 1, 1, 1, 6, 5},   // 1x1
    };
    for (const Conv& c : convs) {
        eq::Int8Layer L;
        L.num_output = c.num_output;
        L.group = c.group;
        L.kw = c.kw, L.kh = c.kh, L.dw = c.dw, L.dh = c.dh, L.sw = c.sw, L.sh = c.sh;
        eq::QuantInput q;
        q.w = c.w, q.h = c.h, q.c = c.in_c;
        q.outw = (c.w - ((c.kw - 1) * c.dw + 1)) / c.sw + 1;
        q.outh = (c.h - ((c.kh - 1) * c.dh + 1)) / c.sh + 1;
        q.data.resize(static_cast<size_t>(c.w) * c.h * c.in_c);
        for (int8_t& v : q.data) v = static_cast<int8_t>(value(rng));
        const size_t per_out = static_cast<size_t>(c.in_c / c.group) * c.kw * c.kh;
        const size_t n_out = static_cast<size_t>(q.outw) * q.outh;
        for (int p = 0; p < c.num_output; p++) {
            std::vector<int8_t> from(per_out), to(per_out);
            for (size_t i = 0; i < per_out; i++) {
                from[i] = static_cast<int8_t>(value(rng));
                // a few weights move, some by a lot, some back to zero
                to[i] = coin(rng) == 0 ? static_cast<int8_t>(value(rng)) : coin(rng) == 0 ? int8_t(0)
                                                                                          : from[i];
            }
            std::vector<int32_t> carried(n_out), afresh(n_out);
            eq::channel_sums(L, q, p, from.data(), carried.data());
            eq::add_channel_sums(L, q, p, difference(to, from).data(), carried.data());
            eq::channel_sums(L, q, p, to.data(), afresh.data());
            ASSERT_EQ(carried, afresh) << "group " << c.group << " kernel " << c.kw << "x" << c.kh << " stride " << c.sw << "," << c.sh << " channel " << p;
        }
    }
    eq::Int8Layer dense;
    dense.dense = true;
    dense.num_output = 3;
    eq::QuantInput q;
    q.rows = 4;
    q.row_len = 37;
    q.data.resize(q.rows * q.row_len);
    for (int8_t& v : q.data) v = static_cast<int8_t>(value(rng));
    std::vector<int8_t> from(q.row_len), to(q.row_len);
    for (size_t i = 0; i < q.row_len; i++) {
        from[i] = static_cast<int8_t>(value(rng));
        to[i] = coin(rng) == 0 ? static_cast<int8_t>(value(rng)) : from[i];
    }
    std::vector<int32_t> carried(q.rows), afresh(q.rows);
    eq::channel_sums(dense, q, 1, from.data(), carried.data());
    eq::add_channel_sums(dense, q, 1, difference(to, from).data(), carried.data());
    eq::channel_sums(dense, q, 1, to.data(), afresh.data());
    EXPECT_EQ(carried, afresh);
}

} // namespace
} // namespace ncnn_int8
