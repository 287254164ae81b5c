// The Highway kernels (kernels/kernels-inl.h) against the element-wise scalar
// reference (kernels/scalar_reference.h) on every compiled target this CPU
// supports and every vector width of it (ForPartialVectors); the public entry
// points (kernels/kernels.h); and the scalar reference against first
// principles.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels_test.cpp"
#ifndef NCNN_INT8_STATIC_DISPATCH
#include "hwy/foreach_target.h" // IWYU pragma: keep
#endif
#include "hwy/highway.h"
#include "hwy/tests/test_util-inl.h"
#include "hwy_kernel_test.h"
#include "kernels/kernels-inl.h"

#ifndef NCNN_INT8_KERNELS_TEST_HELPERS_
#define NCNN_INT8_KERNELS_TEST_HELPERS_
#include <gtest/gtest.h>

#include <cfenv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/kernels.h"
#include "kernels/scalar_reference.h"

namespace ncnn_int8::kernel_test {

using scalar::bits_of;
using scalar::float_of;

// Edge values for the conversions and the quantizer.
std::vector<float> edge_values()
{
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::vector<float> v = {
        0.f,
        -0.f,
        0.5f,
        -0.5f,
        1.5f,
        -1.5f,
        2.5f,
        -2.5f,
        126.5f,
        -126.5f,
        127.5f,
        -127.5f,
        0.49999997f,
        -0.49999997f,
        1.4999999f,
        -1.4999999f,
        std::nextafter(0.5f, 0.f),
        std::nextafter(2.5f, 0.f),
        std::nextafter(-3.5f, 0.f),
        std::nextafter(0.5f, 1.f),
        nan,
        -nan,
        inf,
        -inf,
        3e9f,
        -3e9f,
        2147483520.f,
        2147483648.f,
        -2147483648.f,
        1e-40f,
        -1e-40f,
        std::numeric_limits<float>::denorm_min(),
        std::numeric_limits<float>::min(),
        std::numeric_limits<float>::max(),
        -std::numeric_limits<float>::max(),
        // fp16 limits
        65504.f,
        -65504.f,
        65519.996f,
        65520.f,
        -65520.f,
        65536.f,
        65505.f,
        65535.f,
        // fp16 subnormal range
        std::ldexp(1.f, -24),
        std::ldexp(1.f, -25),
        std::ldexp(3.f, -26),
        std::ldexp(1.f, -15),
        std::ldexp(1.f, -14),
        std::nextafter(std::ldexp(1.f, -14), 0.f),
        std::nextafter(std::ldexp(1.f, -25), 1.f),
        std::ldexp(5.f, -26),
        -std::ldexp(1.f, -24),
        -std::ldexp(3.f, -26),
        std::ldexp(1.f, -26),
        std::ldexp(1023.f, -24),
        std::ldexp(2047.f, -25),
        std::ldexp(1.f, -30),
        // rounding ties for fp16 (1 + k*2^-11)
        1.f + std::ldexp(1.f, -11),
        1.f + std::ldexp(3.f, -11),
        1.f + std::ldexp(1.f, -11) + std::ldexp(1.f, -23),
        // flush threshold
        1e-30f,
        -1e-30f,
        std::nextafter(1e-30f, 0.f),
        1e-31f,
        1e-29f,
        // signaling NaN
        float_of(0x7F800001u),
        float_of(0xFFA00000u),
        float_of(0x7FBFFFFFu),
    };
    return v;
}

// A long deterministic random array with a mix of magnitudes and edge values.
std::vector<float> random_values(size_t n, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::vector<float> v(n);
    const std::vector<float> edges = edge_values();
    for (size_t i = 0; i < n; i++) {
        switch (rng() % 5) {
        case 0: v[i] = float_of(static_cast<uint32_t>(rng())); break; // any bit pattern
        case 1: v[i] = std::uniform_real_distribution<float>(-2.f, 2.f)(rng); break;
        case 2: v[i] = std::ldexp(std::uniform_real_distribution<float>(-1.f, 1.f)(rng), static_cast<int>(rng() % 60) - 30); break;
        case 3: v[i] = static_cast<float>(static_cast<int>(rng() % 512) - 256) * 0.5f; break; // exact ties
        default: v[i] = edges[rng() % edges.size()]; break;
        }
    }
    return v;
}

// Every length 0..67 at every offset into `pool`, plus the whole pool.
template <typename Check>
void for_each_slice(const std::vector<float>& pool, Check check)
{
    for (size_t n = 0; n <= 67; n++)
        for (size_t off = 0; off + n <= pool.size() && off < 3 * 67; off += 67) check(pool.data() + off, n);
    check(pool.data(), pool.size());
}

const std::vector<float>& test_pool()
{
    static const std::vector<float> pool = [] {
        std::vector<float> pool = edge_values();
        // every edge value at every lane position of a 4-wide and 16-wide vector
        const std::vector<float> edges = edge_values();
        for (size_t shift = 1; shift < 17; shift++)
            for (size_t i = 0; i < edges.size(); i++) pool.push_back(edges[(i + shift) % edges.size()]);
        const std::vector<float> rnd = random_values(100003, 1234);
        pool.insert(pool.end(), rnd.begin(), rnd.end());
        return pool;
    }();
    return pool;
}

// Every fp16 bit pattern, then NaNs and subnormals at the tail positions.
std::vector<uint16_t> fp16_pool()
{
    std::vector<uint16_t> all(65536 + 67);
    for (size_t i = 0; i < 65536; i++) all[i] = static_cast<uint16_t>(i);
    const uint16_t extra[] = {0x7C01, 0xFC01, 0x7E00, 0x7D00, 0x0001, 0x83FF, 0x7C00, 0x8000};
    for (size_t i = 65536; i < all.size(); i++) all[i] = extra[i % 8];
    return all;
}

} // namespace ncnn_int8::kernel_test
#endif // NCNN_INT8_KERNELS_TEST_HELPERS_

HWY_BEFORE_NAMESPACE();
namespace ncnn_int8 {
namespace HWY_NAMESPACE {
namespace kt = kernel_test;
using hwy::HWY_NAMESPACE::ForPartialVectors;
using scalar::bits_of;

struct TestQuantizeRow {
    template <class T, class D>
    void operator()(T, D d)
    {
        const float scales[] = {1.f, 127.f / 3.f, 0.5f, 1e-3f, 1e10f, 64.f, 3.0517578e-05f};
        for (float scale : scales) {
            kt::for_each_slice(kt::test_pool(), [&](const float* x, size_t n) {
                std::vector<int8_t> got(n + 1, 99), want(n);
                QuantizeRow(d, x, n, scale, got.data());
                const size_t v = n & ~size_t(3);
                for (size_t i = 0; i < n; i++)
                    want[i] = i < v ? scalar::quantize_vector_lane(x[i], scale) : scalar::quantize_tail(x[i], scale);
                for (size_t i = 0; i < n; i++)
                    ASSERT_EQ(got[i], want[i]) << "lanes=" << hn::Lanes(d) << " n=" << n << " i=" << i << " x=" << x[i]
                                               << " (0x" << std::hex << bits_of(x[i]) << std::dec << ") scale=" << scale;
                ASSERT_EQ(got[n], 99) << "wrote past the end, lanes=" << hn::Lanes(d) << " n=" << n;
            });
        }
        // The two rounding rules in one row of 5: 4 vector lanes + 1 tail.
        const float x[5] = {0.49999997f, 3e9f, std::nanf(""), -0.49999997f, 0.49999997f};
        int8_t q[5];
        QuantizeRow(d, x, 5, 1.f, q);
        EXPECT_EQ(q[0], 1);
        EXPECT_EQ(q[1], -127);
        EXPECT_EQ(q[2], -127);
        EXPECT_EQ(q[3], -1);
        EXPECT_EQ(q[4], 0);
    }
};
HWY_NOINLINE void TestAllQuantizeRow() { ForPartialVectors<TestQuantizeRow>()(float()); }

struct TestFp32ToFp16Row {
    template <class T, class D>
    void operator()(T, D d)
    {
        // Not on one-lane vectors of the SIMD targets: there Highway 1.0.3's
        // variable shifts give wrong subnormal results (seen on every x86
        // target). The library runs this kernel only at a target's full
        // width (4 lanes or more; one lane only on SCALAR).
        if (HWY_TARGET != HWY_SCALAR && hn::Lanes(d) == 1) return;
        kt::for_each_slice(kt::test_pool(), [&](const float* x, size_t n) {
            std::vector<uint16_t> got(n + 1, 0xABCD);
            Fp32ToFp16Row(d, x, n, got.data());
            const size_t v = n & ~size_t(3);
            for (size_t i = 0; i < n; i++) {
                const uint16_t want = i < v ? scalar::fp32_to_fp16_rne(x[i]) : scalar::fp32_to_fp16_truncate(x[i]);
                ASSERT_EQ(got[i], want) << "lanes=" << hn::Lanes(d) << " n=" << n << " i=" << i << " x=" << x[i] << " (0x"
                                        << std::hex << bits_of(x[i]) << ")";
            }
            ASSERT_EQ(got[n], 0xABCD);
        });
    }
};
HWY_NOINLINE void TestAllFp32ToFp16Row() { ForPartialVectors<TestFp32ToFp16Row>()(float()); }

struct TestFp16ToFp32Row {
    template <class T, class D>
    void operator()(T, D d)
    {
        const std::vector<uint16_t> all = kt::fp16_pool();
        for (size_t n = 0; n <= 67; n++) {
            for (size_t off : {size_t(0), size_t(0x7BF0), size_t(0x7C00), size_t(0xFBF9), size_t(65536)}) {
                if (off + n > all.size()) continue;
                std::vector<float> got(n + 1, 42.f);
                Fp16ToFp32Row(d, all.data() + off, n, got.data());
                const size_t v = n & ~size_t(3);
                for (size_t i = 0; i < n; i++) {
                    const uint16_t h = all[off + i];
                    const float want = i < v ? scalar::fp16_to_fp32_f16c(h) : scalar::fp16_to_fp32_exact(h);
                    ASSERT_EQ(bits_of(got[i]), bits_of(want))
                        << "lanes=" << hn::Lanes(d) << " n=" << n << " i=" << i << " h=0x" << std::hex << h;
                }
                ASSERT_EQ(got[n], 42.f);
            }
        }
        std::vector<float> got(all.size());
        Fp16ToFp32Row(d, all.data(), all.size(), got.data());
        const size_t v = all.size() & ~size_t(3);
        for (size_t i = 0; i < all.size(); i++) {
            const float want = i < v ? scalar::fp16_to_fp32_f16c(all[i]) : scalar::fp16_to_fp32_exact(all[i]);
            ASSERT_EQ(bits_of(got[i]), bits_of(want)) << "lanes=" << hn::Lanes(d) << " i=" << i;
        }
    }
};
HWY_NOINLINE void TestAllFp16ToFp32Row() { ForPartialVectors<TestFp16ToFp32Row>()(float()); }

struct TestFp16RoundTrip {
    template <class T, class D>
    void operator()(T, D d)
    {
        // As in TestFp32ToFp16Row: not on one-lane vectors of the SIMD targets: there Highway 1.0.3's
        // variable shifts give wrong subnormal results (seen on every x86
        // target). The library runs this kernel only at a target's full
        // width (4 lanes or more; one lane only on SCALAR).
        if (HWY_TARGET != HWY_SCALAR && hn::Lanes(d) == 1) return;
        std::vector<uint16_t> h(65536);
        for (size_t i = 0; i < h.size(); i++) h[i] = static_cast<uint16_t>(i);
        std::vector<float> f(h.size());
        std::vector<uint16_t> back(h.size());
        Fp16ToFp32Row(d, h.data(), h.size(), f.data()); // 65536 % 4 == 0: all vector part
        Fp32ToFp16Row(d, f.data(), f.size(), back.data());
        for (size_t i = 0; i < h.size(); i++) {
            const bool nan = (h[i] & 0x7C00) == 0x7C00 && (h[i] & 0x3FF) != 0;
            const uint16_t want = nan ? static_cast<uint16_t>(h[i] | 0x200) : h[i]; // NaN payloads come back quiet
            ASSERT_EQ(back[i], want) << "lanes=" << hn::Lanes(d) << " h=0x" << std::hex << h[i];
        }
    }
};
HWY_NOINLINE void TestAllFp16RoundTrip() { ForPartialVectors<TestFp16RoundTrip>()(float()); }

struct TestAbsMaxRow {
    template <class T, class D>
    void operator()(T, D d)
    {
        kt::for_each_slice(kt::test_pool(), [&](const float* x, size_t n) {
            float want = 0.f;
            for (size_t i = 0; i < n; i++) {
                const float a = std::fabs(x[i]);
                if (want < a) want = a; // NaN ignored
            }
            ASSERT_EQ(bits_of(AbsMaxRow(d, x, n)), bits_of(want)) << "lanes=" << hn::Lanes(d) << " n=" << n;
        });
        const float only_nan[5] = {std::nanf(""), -std::nanf(""), std::nanf(""), std::nanf(""), std::nanf("")};
        EXPECT_EQ(AbsMaxRow(d, only_nan, 5), 0.f);
        const float negative[6] = {-0.f, -3.f, 1.f, -0.5f, 2.f, -7.f};
        EXPECT_EQ(AbsMaxRow(d, negative, 6), 7.f);
        EXPECT_EQ(AbsMaxRow(d, negative, 5), 3.f);
        EXPECT_EQ(AbsMaxRow(d, negative, 0), 0.f);
    }
};
HWY_NOINLINE void TestAllAbsMaxRow() { ForPartialVectors<TestAbsMaxRow>()(float()); }

struct TestFlushTinyRow {
    template <class T, class D>
    void operator()(T, D d)
    {
        kt::for_each_slice(kt::test_pool(), [&](const float* x, size_t n) {
            std::vector<float> got(x, x + n);
            got.push_back(1e-35f);
            FlushTinyRow(d, got.data(), n);
            for (size_t i = 0; i < n; i++)
                ASSERT_EQ(bits_of(got[i]), bits_of(scalar::flush_tiny(x[i])))
                    << "lanes=" << hn::Lanes(d) << " n=" << n << " i=" << i << " x=" << x[i];
            ASSERT_EQ(got[n], 1e-35f) << "wrote past the end";
        });
    }
};
HWY_NOINLINE void TestAllFlushTinyRow() { ForPartialVectors<TestFlushTinyRow>()(float()); }

struct TestLookupRow {
    template <class T, class D>
    void operator()(T, D d)
    {
        float table[256];
        for (int i = 0; i < 256; i++) table[i] = static_cast<float>(i) - 128.f;
        std::vector<uint8_t> index(300);
        for (size_t i = 0; i < index.size(); i++) index[i] = static_cast<uint8_t>(i * 37 + 11);
        // every length up to 70, then all 300 (every index value)
        for (size_t n = 0; n <= 71; n++) {
            const size_t len = n == 71 ? index.size() : n;
            std::vector<float> got(len + 1, 42.f);
            LookupRow(d, table, index.data(), len, got.data());
            for (size_t i = 0; i < len; i++)
                ASSERT_EQ(got[i], table[index[i]]) << "lanes=" << hn::Lanes(d) << " n=" << len << " i=" << i;
            ASSERT_EQ(got[len], 42.f) << "wrote past the end";
        }
    }
};
HWY_NOINLINE void TestAllLookupRow() { ForPartialVectors<TestLookupRow>()(float()); }

struct TestErrorSumsRow {
    template <class T, class D>
    void operator()(T, D d)
    {
        // Small integers: every partial sum is exact, whatever the order.
        const float x[9] = {1.f, 2.f, 3.f, 4.f, 5.f, 6.f, 7.f, 8.f, 9.f};
        const int8_t q[9] = {1, 2, 3, 4, 5, 6, 7, 8, 10};
        for (size_t n = 0; n <= 9; n++) {
            double signal = 0, noise = 0, want_signal = 0, want_noise = 0;
            ErrorSumsRow(d, x, q, n, 1.f, &signal, &noise);
            for (size_t i = 0; i < n; i++) {
                want_signal += double(x[i]) * x[i];
                want_noise += (double(x[i]) - q[i]) * (double(x[i]) - q[i]);
            }
            EXPECT_EQ(signal, want_signal) << "lanes=" << hn::Lanes(d) << " n=" << n;
            EXPECT_EQ(noise, want_noise) << "lanes=" << hn::Lanes(d) << " n=" << n;
        }
        // scale 0: q contributes nothing
        double signal = 0, noise = 0;
        ErrorSumsRow(d, x, q, 9, 0.f, &signal, &noise);
        EXPECT_EQ(signal, 285.0);
        EXPECT_EQ(noise, 285.0);
    }
};
HWY_NOINLINE void TestAllErrorSumsRow() { ForPartialVectors<TestErrorSumsRow>()(float()); }

// Same as or within float rounding of `want` (the fused pass may block its
// float partial sums differently from ErrorSumsRow on wide targets).
bool close_sum(double got, double want)
{
    if (std::isnan(want)) return std::isnan(got);
    return got == want || std::fabs(got - want) <= 1e-5 * std::max(std::fabs(got), std::fabs(want));
}

struct TestQuantizeErrorRow {
    template <class T, class D>
    void operator()(T, D d)
    {
        // The int8 row is QuantizeRow's, bit for bit; the sums those of
        // ErrorSumsRow over that row.
        const float scales[] = {1.f, 127.f / 3.f, 0.5f, 1e-3f, 64.f, 0.f};
        for (float scale : scales) {
            kt::for_each_slice(kt::test_pool(), [&](const float* x, size_t n) {
                std::vector<int8_t> got(n + 1, 99), want(n + 1, 99);
                double signal = 0, noise = 0, want_signal = 0, want_noise = 0;
                QuantizeErrorRow(d, x, n, scale, got.data(), &signal, &noise);
                QuantizeRow(d, x, n, scale, want.data());
                ErrorSumsRow(d, x, want.data(), n, scale, &want_signal, &want_noise);
                ASSERT_EQ(got, want) << "lanes=" << hn::Lanes(d) << " n=" << n << " scale=" << scale;
                ASSERT_TRUE(close_sum(signal, want_signal)) << signal << " vs " << want_signal << " lanes=" << hn::Lanes(d) << " n=" << n;
                ASSERT_TRUE(close_sum(noise, want_noise)) << noise << " vs " << want_noise << " lanes=" << hn::Lanes(d) << " n=" << n;
            });
        }
        // Small integers: every partial sum is exact, whatever the order.
        // At scale 0.5 each int8 value is x / 2 rounded half away from
        // zero, so the error is 0 or -1; lengths past a block of 4096.
        std::vector<float> x(5000);
        for (size_t i = 0; i < x.size(); i++) x[i] = static_cast<float>(i % 9 + 1);
        for (size_t n : {0, 1, 3, 4, 5, 8, 9, 17, 64, 65, 4095, 4096, 4099, 5000}) {
            std::vector<int8_t> q(n);
            double signal = 0, noise = 0, want_signal = 0, want_noise = 0;
            QuantizeErrorRow(d, x.data(), n, 0.5f, q.data(), &signal, &noise);
            for (size_t i = 0; i < n; i++) {
                const double e = x[i] - 2.0 * static_cast<int>(x[i] / 2.f + 0.5f);
                want_signal += double(x[i]) * x[i];
                want_noise += e * e;
            }
            EXPECT_EQ(signal, want_signal) << "lanes=" << hn::Lanes(d) << " n=" << n;
            EXPECT_EQ(noise, want_noise) << "lanes=" << hn::Lanes(d) << " n=" << n;
        }
    }
};
HWY_NOINLINE void TestAllQuantizeErrorRow() { ForPartialVectors<TestQuantizeErrorRow>()(float()); }

} // namespace HWY_NAMESPACE
} // namespace ncnn_int8
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ncnn_int8 {

NI8_KERNEL_TEST_SUITE(KernelsTest);
NI8_KERNEL_TEST(KernelsTest, TestAllQuantizeRow);
NI8_KERNEL_TEST(KernelsTest, TestAllFp32ToFp16Row);
NI8_KERNEL_TEST(KernelsTest, TestAllFp16ToFp32Row);
NI8_KERNEL_TEST(KernelsTest, TestAllFp16RoundTrip);
NI8_KERNEL_TEST(KernelsTest, TestAllAbsMaxRow);
NI8_KERNEL_TEST(KernelsTest, TestAllFlushTinyRow);
NI8_KERNEL_TEST(KernelsTest, TestAllLookupRow);
NI8_KERNEL_TEST(KernelsTest, TestAllErrorSumsRow);
NI8_KERNEL_TEST(KernelsTest, TestAllQuantizeErrorRow);

namespace {

using scalar::bits_of;
using scalar::float_of;

// The public entry points (kernels.h) through the dispatcher, on the target
// it chose, against the same definitions.
TEST(Kernels, EntryPointsMatchScalarReference)
{
    const std::vector<float>& pool = kernel_test::test_pool();
    const size_t n = 1003; // 4*250 + 3: vector part and tail
    std::vector<int8_t> q(n);
    kernels::quantize_row(pool.data(), n, 0.5f, q.data());
    std::vector<uint16_t> h(n);
    kernels::fp32_to_fp16(pool.data(), n, h.data());
    std::vector<float> f(n);
    kernels::fp16_to_fp32(h.data(), n, f.data());
    std::vector<float> flushed(pool.begin(), pool.begin() + long(n));
    kernels::flush_tiny_to_zero(flushed.data(), n);
    float absmax = 0.f;
    for (size_t i = 0; i < n; i++) {
        const bool vec = i < (n & ~size_t(3));
        ASSERT_EQ(q[i], vec ? scalar::quantize_vector_lane(pool[i], 0.5f) : scalar::quantize_tail(pool[i], 0.5f)) << i;
        ASSERT_EQ(h[i], vec ? scalar::fp32_to_fp16_rne(pool[i]) : scalar::fp32_to_fp16_truncate(pool[i])) << i;
        ASSERT_EQ(bits_of(f[i]), bits_of(vec ? scalar::fp16_to_fp32_f16c(h[i]) : scalar::fp16_to_fp32_exact(h[i]))) << i;
        ASSERT_EQ(bits_of(flushed[i]), bits_of(scalar::flush_tiny(pool[i]))) << i;
        const float a = std::fabs(pool[i]);
        if (absmax < a) absmax = a;
    }
    EXPECT_EQ(bits_of(kernels::abs_max(pool.data(), n)), bits_of(absmax));
    float table[256];
    for (int i = 0; i < 256; i++) table[i] = static_cast<float>(i) - 128.f;
    const uint8_t idx[7] = {0, 255, 128, 1, 2, 3, 4};
    float out[7];
    kernels::lut_to_fp32(table, idx, 7, out);
    EXPECT_EQ(out[0], -128.f);
    EXPECT_EQ(out[1], 127.f);
    EXPECT_EQ(out[2], 0.f);
    EXPECT_EQ(out[6], -124.f);
    const float x[9] = {1.f, 2.f, 3.f, 4.f, 5.f, 6.f, 7.f, 8.f, 9.f};
    const int8_t xq[9] = {1, 2, 3, 4, 5, 6, 7, 8, 10};
    kernels::ErrorSums s;
    kernels::accumulate_error(x, xq, 9, 1.f, s);
    EXPECT_DOUBLE_EQ(s.signal, 285.0);
    EXPECT_DOUBLE_EQ(s.noise, 1.0);
    // The fused pass: quantize_row's bytes, accumulate_error's sums.
    std::vector<int8_t> fused(n);
    kernels::ErrorSums fs, ws;
    kernels::quantize_row_with_error(pool.data(), n, 0.5f, fused.data(), fs);
    kernels::accumulate_error(pool.data(), q.data(), n, 0.5f, ws);
    EXPECT_EQ(fused, q);
    EXPECT_TRUE(std::isnan(ws.signal) ? std::isnan(fs.signal) : std::fabs(fs.signal - ws.signal) <= 1e-5 * std::fabs(ws.signal)) << fs.signal << " vs " << ws.signal;
    EXPECT_TRUE(std::isnan(ws.noise) ? std::isnan(fs.noise) : std::fabs(fs.noise - ws.noise) <= 1e-5 * std::fabs(ws.noise)) << fs.noise << " vs " << ws.noise;
}

TEST(Kernels, ActiveTargetHasAName)
{
    const std::string name = kernels::active_target();
    EXPECT_FALSE(name.empty());
    EXPECT_NE(name, "Unknown");
}

TEST(ScalarReference, QuantizeEdgeRules)
{
    // The two rounding rules of the reference, spelled out.
    EXPECT_EQ(scalar::quantize_vector_lane(0.49999997f, 1.f), 1); // 0.49999997 + 0.5 rounds to 1.0 in fp32
    EXPECT_EQ(scalar::quantize_tail(0.49999997f, 1.f), 0);
    EXPECT_EQ(scalar::quantize_vector_lane(1.4999999f, 1.f), 1); // 1.4999999 + 0.5 = 1.9999999 (exact)
    EXPECT_EQ(scalar::quantize_tail(1.4999999f, 1.f), 1);
    EXPECT_EQ(scalar::quantize_vector_lane(2.5f, 1.f), 3); // ties away from zero
    EXPECT_EQ(scalar::quantize_tail(2.5f, 1.f), 3);
    EXPECT_EQ(scalar::quantize_vector_lane(-2.5f, 1.f), -3);
    EXPECT_EQ(scalar::quantize_tail(-2.5f, 1.f), -3);
    EXPECT_EQ(scalar::quantize_vector_lane(-0.49999997f, 1.f), -1);
    EXPECT_EQ(scalar::quantize_tail(-0.49999997f, 1.f), 0);
    // clamp, and the x86 INT_MIN rule for NaN / out of int32 range
    EXPECT_EQ(scalar::quantize_vector_lane(200.f, 1.f), 127);
    EXPECT_EQ(scalar::quantize_tail(-200.f, 1.f), -127);
    EXPECT_EQ(scalar::quantize_vector_lane(3e9f, 1.f), -127);
    EXPECT_EQ(scalar::quantize_tail(3e9f, 1.f), -127);
    EXPECT_EQ(scalar::quantize_vector_lane(-3e9f, 1.f), -127);
    EXPECT_EQ(scalar::quantize_tail(1.f, 3e9f), -127);
    EXPECT_EQ(scalar::quantize_vector_lane(std::nanf(""), 1.f), -127);
    EXPECT_EQ(scalar::quantize_tail(std::nanf(""), 1.f), -127);
    EXPECT_EQ(scalar::quantize_vector_lane(0.f, std::numeric_limits<float>::infinity()), -127); // 0 * inf = NaN
    EXPECT_EQ(scalar::quantize_tail(std::numeric_limits<float>::infinity(), 1.f), -127);
    EXPECT_EQ(scalar::quantize_vector_lane(2147483520.f, 1.f), 127); // in range: clamps to 127
}

TEST(ScalarReference, Fp32ToFp16EdgeValues)
{
    // the vector rule (RNE, F16C) on the named edge values
    EXPECT_EQ(scalar::fp32_to_fp16_rne(65504.f), 0x7BFF);
    EXPECT_EQ(scalar::fp32_to_fp16_rne(65519.996f), 0x7BFF);
    EXPECT_EQ(scalar::fp32_to_fp16_rne(65520.f), 0x7C00);
    EXPECT_EQ(scalar::fp32_to_fp16_rne(-65520.f), 0xFC00);
    EXPECT_EQ(scalar::fp32_to_fp16_rne(65536.f), 0x7C00);
    EXPECT_EQ(scalar::fp32_to_fp16_rne(std::ldexp(1.f, -24)), 0x0001);
    EXPECT_EQ(scalar::fp32_to_fp16_rne(std::ldexp(1.f, -25)), 0x0000); // tie to even (0)
    EXPECT_EQ(scalar::fp32_to_fp16_rne(std::ldexp(3.f, -26)), 0x0001);
    EXPECT_EQ(scalar::fp32_to_fp16_rne(std::ldexp(3.f, -25)), 0x0002); // 1.5 ulp: tie to even (2)
    EXPECT_EQ(scalar::fp32_to_fp16_rne(std::ldexp(1.f, -15)), 0x0200);
    EXPECT_EQ(scalar::fp32_to_fp16_rne(-0.f), 0x8000);
    EXPECT_EQ(scalar::fp32_to_fp16_rne(std::numeric_limits<float>::infinity()), 0x7C00);
    EXPECT_EQ(scalar::fp32_to_fp16_rne(float_of(0x7F800001u)), 0x7E00); // sNaN quieted
    EXPECT_EQ(scalar::fp32_to_fp16_rne(float_of(0xFFC02000u)), 0xFE01); // top payload bits kept
    // the tail rule (ncnn's scalar conversion)
    EXPECT_EQ(scalar::fp32_to_fp16_truncate(65519.996f), 0x7BFF);
    EXPECT_EQ(scalar::fp32_to_fp16_truncate(65536.f), 0x7C00);
    EXPECT_EQ(scalar::fp32_to_fp16_truncate(std::ldexp(1.f, -15)), 0x0000); // fp16 subnormal flushed
    EXPECT_EQ(scalar::fp32_to_fp16_truncate(std::ldexp(1.f, -14)), 0x0400);
    EXPECT_EQ(scalar::fp32_to_fp16_truncate(1.f + std::ldexp(3.f, -12)), 0x3C00);
    EXPECT_EQ(scalar::fp32_to_fp16_truncate(std::nanf("")), 0x7E00);
    EXPECT_EQ(scalar::fp32_to_fp16_truncate(-std::numeric_limits<float>::infinity()), 0xFC00);
    EXPECT_EQ(scalar::fp32_to_fp16_truncate(1e-40f), 0x0000);
}

TEST(ScalarReference, FlushTinyRule)
{
    EXPECT_EQ(bits_of(scalar::flush_tiny(1e-31f)), 0u);
    EXPECT_EQ(bits_of(scalar::flush_tiny(-1e-31f)), 0u); // +0
    EXPECT_EQ(bits_of(scalar::flush_tiny(-0.f)), 0x80000000u);
    EXPECT_EQ(scalar::flush_tiny(1e-30f), 1e-30f); // float(1e-30) > 1e-30 as a double
    EXPECT_EQ(bits_of(scalar::flush_tiny(std::nextafter(1e-30f, 0.f))), 0u);
    EXPECT_TRUE(std::isnan(scalar::flush_tiny(std::nanf(""))));
}

// --- the scalar reference against first principles --------------------------------

// fp32 -> fp16 with round-to-nearest-even, computed in double arithmetic.
uint16_t slow_fp16_rne(float f)
{
    const uint16_t sign = std::signbit(f) ? 0x8000 : 0;
    const double a = std::fabs(static_cast<double>(f));
    if (std::isinf(a)) return sign | 0x7C00;
    if (a == 0) return sign;
    int e = std::ilogb(a); // a = m * 2^e, 1 <= m < 2
    if (e < -14) e = -14;  // subnormal range has the spacing of 2^-14's binade
    const double ulp = std::ldexp(1.0, e - 10);
    const double q = std::nearbyint(a / ulp); // exact division by a power of 2; FE_TONEAREST = ties to even
    const double r = q * ulp;
    if (r >= 65520.0 || r > 65504.0) return sign | 0x7C00;
    if (r < std::ldexp(1.0, -14)) return sign | static_cast<uint16_t>(r / std::ldexp(1.0, -24));
    const int re = std::ilogb(r);
    const uint16_t mant = static_cast<uint16_t>(r / std::ldexp(1.0, re - 10) - 1024.0);
    return sign | static_cast<uint16_t>((re + 15) << 10) | mant;
}

TEST(ScalarReference, Fp32ToFp16RneAgainstDoubleArithmetic)
{
    ASSERT_EQ(std::fegetround(), FE_TONEAREST);
    auto check = [](uint32_t u) {
        const float f = float_of(u);
        if (std::isnan(f)) return;
        ASSERT_EQ(scalar::fp32_to_fp16_rne(f), slow_fp16_rne(f)) << "x=0x" << std::hex << u << " (" << f << ")";
    };
    // a sweep over all bit patterns
    for (uint64_t u = 0; u <= 0xFFFFFFFFull; u += 4093) check(static_cast<uint32_t>(u));
    // every exponent with the low 13 bits at and around the rounding point, both parities
    std::mt19937 rng(7);
    for (uint32_t sign = 0; sign < 2; sign++)
        for (uint32_t e = 0; e < 255; e++)
            for (int k = 0; k < 16; k++) {
                const uint32_t high = (static_cast<uint32_t>(rng()) & 0x3FF) << 13;
                for (uint32_t low : {0x0u, 0x1u, 0xFFFu, 0x1000u, 0x1001u, 0x1FFFu, 0x800u, 0x17FFu, 0x1800u}) {
                    check(sign << 31 | e << 23 | high | low);
                    check(sign << 31 | e << 23 | (high ^ 0x2000) | low);
                }
                // and at the subnormal shifts: the bits below each rounding point
                for (int s = 14; s <= 24; s++) {
                    const uint32_t half = 1u << (s - 1);
                    for (uint32_t low : {half - 1, half, half + 1}) check(sign << 31 | e << 23 | ((high | low) & 0x7FFFFF));
                }
            }
}

TEST(ScalarReference, Fp16ToFp32ExactAgainstLdexp)
{
    for (uint32_t h = 0; h < 65536; h++) {
        const uint32_t e = (h >> 10) & 0x1F, m = h & 0x3FF;
        const float got = scalar::fp16_to_fp32_exact(static_cast<uint16_t>(h));
        if (e == 0x1F) {
            if (m == 0)
                EXPECT_TRUE(std::isinf(got)) << h;
            else {
                EXPECT_TRUE(std::isnan(got)) << h;
                EXPECT_EQ((bits_of(got) >> 13) & 0x3FF, m) << "payload kept, h=" << h;
            }
            continue;
        }
        const double mag = e == 0 ? std::ldexp(static_cast<double>(m), -24) : std::ldexp(1024.0 + m, static_cast<int>(e) - 25);
        const double want = (h & 0x8000) ? -mag : mag;
        ASSERT_EQ(static_cast<double>(got), want) << "h=" << h;
        ASSERT_EQ(std::signbit(got), (h & 0x8000) != 0) << "h=" << h;
    }
}

TEST(ScalarReference, QuantizeTailIsClampedRound)
{
    std::mt19937 rng(99);
    std::uniform_real_distribution<float> dist(-300.f, 300.f);
    for (int i = 0; i < 200000; i++) {
        const float x = dist(rng);
        const float scale = i % 3 == 0 ? 1.f : i % 3 == 1 ? 0.37f
                                                          : 2.5f;
        const float p = x * scale;
        const double r = std::round(static_cast<double>(p));
        const int want = static_cast<int>(std::max(-127.0, std::min(127.0, r)));
        ASSERT_EQ(scalar::quantize_tail(x, scale), want) << x << " * " << scale;
        // the vector rule equals it except when p + copysign(0.5, p) rounds in fp32
        const float a = p + std::copysign(0.5f, p);
        if (static_cast<double>(a) == static_cast<double>(p) + std::copysign(0.5, p)) {
            ASSERT_EQ(scalar::quantize_vector_lane(x, scale), want) << x << " * " << scale;
        }
    }
    for (float k = -130.f; k <= 130.f; k += 1.f) {
        // exact ties k + 0.5: away from zero, both rules
        const float t = k + 0.5f;
        const int want = static_cast<int>(std::max(-127.f, std::min(127.f, std::round(t))));
        EXPECT_EQ(scalar::quantize_tail(t, 1.f), want) << t;
        EXPECT_EQ(scalar::quantize_vector_lane(t, 1.f), want) << t;
    }
}

} // namespace
} // namespace ncnn_int8
#endif // HWY_ONCE
