// The weight-only block quantization kernels (kernels/llm_kernels-inl.h)
// against their element-wise definitions (kernels/llm_scalar.h) on every
// Highway target this CPU runs and every vector width of it
// (ForPartialVectors); the entry points (kernels/llm_kernels.h); and those
// definitions against first principles.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "llm_kernels_test.cpp"
#ifndef NCNN_INT8_STATIC_DISPATCH
#include "hwy/foreach_target.h" // IWYU pragma: keep
#endif
#include "hwy/highway.h"
#include "hwy/tests/test_util-inl.h"
#include "hwy_kernel_test.h"
#include "kernels/llm_kernels-inl.h"

#ifndef NCNN_INT8_LLM_KERNELS_TEST_HELPERS_
#define NCNN_INT8_LLM_KERNELS_TEST_HELPERS_
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "kernels/llm_kernels.h"
#include "kernels/llm_scalar.h"

namespace ncnn_int8::llm_kernel_test {

inline uint32_t bits_of(float f)
{
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

inline uint64_t bits_of_double(double v)
{
    uint64_t u;
    std::memcpy(&u, &v, 8);
    return u;
}

inline std::vector<float> random_block(std::mt19937& rng, size_t n, float amplitude)
{
    std::uniform_real_distribution<float> dist(-amplitude, amplitude);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
}

// Quantizes w with every width's packing and compares with the reference loop.
template <class Pack>
void check_pack(int bits, Pack pack)
{
    std::mt19937 rng(13);
    const int qmax = (1 << (bits - 1)) - 1;
    std::uniform_int_distribution<int> dist(-qmax, qmax);
    for (size_t k = 1; k <= 300; k += (k < 40 ? 1 : 37)) {
        std::vector<int8_t> q(k);
        for (int8_t& v : q) v = int8_t(dist(rng));
        const size_t bytes = (k * size_t(bits) + 7) / 8;
        std::vector<uint8_t> got(bytes + 1, 0xAA), want(bytes, 0);
        pack(q.data(), k, got.data());
        scalar::llm_pack_reference(q.data(), k, bits, want.data());
        ASSERT_EQ(std::vector<uint8_t>(got.begin(), got.begin() + long(bytes)), want) << "bits " << bits << " k " << k;
        ASSERT_EQ(got[bytes], 0xAA) << "wrote past the row";
    }
}

} // namespace ncnn_int8::llm_kernel_test
#endif // NCNN_INT8_LLM_KERNELS_TEST_HELPERS_

HWY_BEFORE_NAMESPACE();
namespace ncnn_int8 {
namespace HWY_NAMESPACE {
namespace lt = llm_kernel_test;
using hwy::HWY_NAMESPACE::ForPartialVectors;

struct TestLlmQuantizeBlock {
    template <class T, class D>
    void operator()(T, D d)
    {
        std::mt19937 rng(7);
        const float inf = std::numeric_limits<float>::infinity();
        const std::vector<float> edges = {0.f, -0.f, 0.5f, -0.5f, 2.5f, -2.5f, 0.49999997f, -0.49999997f, 7.5f, -7.5f, 8.f,
                                          -8.f, std::nextafter(0.5f, 0.f), 1e30f, -1e30f, 3e9f, -3e9f, 2147483648.f,
                                          -2147483648.f, std::numeric_limits<float>::quiet_NaN(), inf, -inf, 1e-40f};
        for (int qmax : {7, 31, 127}) {
            for (size_t n : {size_t(1), size_t(3), size_t(8), size_t(17), size_t(32), size_t(64), size_t(73), size_t(128)}) {
                std::vector<float> w = lt::random_block(rng, n, 2.f);
                for (size_t i = 0; i < n && i < edges.size(); i += 2) w[i] = edges[(i + n) % edges.size()];
                const float scale = float(qmax) / 1.7f;
                std::vector<int8_t> got(n), want(n);
                LlmQuantizeBlock(d, w.data(), n, scale, qmax, got.data());
                for (size_t i = 0; i < n; i++) want[i] = int8_t(scalar::llm_quantize_value(w[i], scale, qmax));
                ASSERT_EQ(got, want) << "lanes " << hn::Lanes(d) << " qmax " << qmax << " n " << n;
            }
        }
    }
};
HWY_NOINLINE void TestAllLlmQuantizeBlock() { ForPartialVectors<TestLlmQuantizeBlock>()(float()); }

// The fused block: LlmQuantizeBlock's bytes, and the very sums ErrorSumsRow
// takes over them (same vectors, same tail), bit for bit, NaN included.
struct TestLlmQuantizeBlockWithError {
    template <class T, class D>
    void operator()(T, D d)
    {
        std::mt19937 rng(11);
        const std::vector<float> edges = {0.f, -0.f, 2.5f, -2.5f, 7.5f, -7.5f, 1e30f, -3e9f, std::numeric_limits<float>::quiet_NaN()};
        for (int qmax : {7, 31, 127}) {
            for (size_t n : {size_t(0), size_t(1), size_t(3), size_t(8), size_t(17), size_t(32), size_t(64), size_t(73), size_t(128), size_t(5000)}) {
                for (bool with_edges : {false, true}) {
                    std::vector<float> w = lt::random_block(rng, n, 2.f);
                    if (with_edges)
                        for (size_t i = 0; i < n && i < 3 * edges.size(); i += 3) w[i] = edges[(i / 3 + n) % edges.size()];
                    for (float scale : {float(qmax) / 1.7f, 0.f}) {
                        std::vector<int8_t> got(n + 1, 99), want(n + 1, 99);
                        double signal = 0.25, noise = 0.5, want_signal = 0.25, want_noise = 0.5; // added to, as accumulate_error does
                        LlmQuantizeBlockWithError(d, w.data(), n, scale, qmax, got.data(), &signal, &noise);
                        LlmQuantizeBlock(d, w.data(), n, scale, qmax, want.data());
                        ErrorSumsRow(d, w.data(), want.data(), n, scale, &want_signal, &want_noise);
                        ASSERT_EQ(got, want) << "lanes " << hn::Lanes(d) << " qmax " << qmax << " n " << n;
                        ASSERT_EQ(lt::bits_of_double(signal), lt::bits_of_double(want_signal)) << signal << " vs " << want_signal << " lanes " << hn::Lanes(d) << " n " << n;
                        ASSERT_EQ(lt::bits_of_double(noise), lt::bits_of_double(want_noise)) << noise << " vs " << want_noise << " lanes " << hn::Lanes(d) << " n " << n;
                    }
                }
            }
        }
    }
};
HWY_NOINLINE void TestAllLlmQuantizeBlockWithError() { ForPartialVectors<TestLlmQuantizeBlockWithError>()(float()); }

struct TestLlmCandidateErrors {
    template <class T, class D>
    void operator()(T, D d)
    {
        std::mt19937 rng(11);
        for (int qmax : {7, 31, 127}) {
            for (size_t n : {size_t(1), size_t(9), size_t(32), size_t(64), size_t(73), size_t(128)}) {
                const std::vector<float> w = lt::random_block(rng, n, 1.2f);
                std::vector<float> scales;
                for (int s = 0; s <= 20; s++) scales.push_back(float(qmax) / (1.1f * (1.f - 0.5f * float(s) / 20.f)));
                for (size_t count : {size_t(1), size_t(5), size_t(21)}) {
                    std::vector<float> got(count);
                    LlmCandidateErrors(d, w.data(), n, scales.data(), count, qmax, got.data());
                    for (size_t c = 0; c < count; c++)
                        ASSERT_EQ(lt::bits_of(got[c]), lt::bits_of(scalar::llm_candidate_error(w.data(), n, scales[c], qmax)))
                            << "lanes " << hn::Lanes(d) << " qmax " << qmax << " n " << n << " candidate " << c;
                }
            }
        }
    }
};
HWY_NOINLINE void TestAllLlmCandidateErrors() { ForPartialVectors<TestLlmCandidateErrors>()(float()); }

struct TestLlmPack4Row {
    template <class T, class D>
    void operator()(T, D d)
    {
        lt::check_pack(4, [&](const int8_t* q, size_t k, uint8_t* out) { LlmPack4Row(d, q, k, out); });
    }
};
HWY_NOINLINE void TestAllLlmPack4Row() { ForPartialVectors<TestLlmPack4Row>()(uint16_t()); }

struct TestLlmPack6Row {
    template <class T, class D>
    void operator()(T, D d)
    {
        lt::check_pack(6, [&](const int8_t* q, size_t k, uint8_t* out) { LlmPack6Row(d, q, k, out); });
    }
};
HWY_NOINLINE void TestAllLlmPack6Row() { ForPartialVectors<TestLlmPack6Row>()(uint32_t()); }

} // namespace HWY_NAMESPACE
} // namespace ncnn_int8
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ncnn_int8 {

NI8_KERNEL_TEST_SUITE(LlmKernelsTest);
NI8_KERNEL_TEST(LlmKernelsTest, TestAllLlmQuantizeBlock);
NI8_KERNEL_TEST(LlmKernelsTest, TestAllLlmQuantizeBlockWithError);
NI8_KERNEL_TEST(LlmKernelsTest, TestAllLlmCandidateErrors);
NI8_KERNEL_TEST(LlmKernelsTest, TestAllLlmPack4Row);
NI8_KERNEL_TEST(LlmKernelsTest, TestAllLlmPack6Row);

namespace {

// The entry points (llm_kernels.h) through the dispatcher.
TEST(LlmKernels, EntryPointsMatchScalar)
{
    std::mt19937 rng(5);
    const std::vector<float> w = llm_kernel_test::random_block(rng, 73, 1.5f);
    std::vector<int8_t> q(73);
    kernels::llm_quantize_block(w.data(), 73, 20.f, 31, q.data());
    for (size_t i = 0; i < 73; i++) ASSERT_EQ(q[i], scalar::llm_quantize_value(w[i], 20.f, 31)) << i;
    std::vector<int8_t> fused(73);
    kernels::ErrorSums sums, want_sums;
    kernels::llm_quantize_block_with_error(w.data(), 73, 20.f, 31, fused.data(), sums);
    kernels::accumulate_error(w.data(), q.data(), 73, 20.f, want_sums);
    ASSERT_EQ(fused, q);
    ASSERT_EQ(sums.signal, want_sums.signal);
    ASSERT_EQ(sums.noise, want_sums.noise);
    const float scales[3] = {20.f, 25.f, 31.f};
    float errors[3];
    kernels::llm_candidate_errors(w.data(), 73, scales, 3, 31, errors);
    for (size_t c = 0; c < 3; c++)
        ASSERT_EQ(llm_kernel_test::bits_of(errors[c]), llm_kernel_test::bits_of(scalar::llm_candidate_error(w.data(), 73, scales[c], 31)));
    for (int bits : {4, 6, 8})
        llm_kernel_test::check_pack(bits, [&](const int8_t* p, size_t k, uint8_t* out) { kernels::llm_pack_row(p, k, bits, out); });
}

TEST(LlmScalar, RoundsHalfAwayFromZeroAndClampsSymmetrically)
{
    EXPECT_EQ(scalar::llm_quantize_value(2.5f, 1.f, 7), 3);
    EXPECT_EQ(scalar::llm_quantize_value(-2.5f, 1.f, 7), -3);
    EXPECT_EQ(scalar::llm_quantize_value(0.49999997f, 1.f, 7), 0);
    EXPECT_EQ(scalar::llm_quantize_value(100.f, 1.f, 7), 7);
    EXPECT_EQ(scalar::llm_quantize_value(-100.f, 1.f, 7), -7); // never -8
    EXPECT_EQ(scalar::llm_quantize_value(-1000.f, 1.f, 127), -127);
    // NaN and values beyond int32 convert to INT32_MIN on x86: -qmax
    EXPECT_EQ(scalar::llm_quantize_value(std::numeric_limits<float>::quiet_NaN(), 1.f, 31), -31);
    EXPECT_EQ(scalar::llm_quantize_value(3e9f, 1.f, 31), -31);
    EXPECT_EQ(scalar::llm_quantize_value(std::numeric_limits<float>::infinity(), 1.f, 31), -31);
}

TEST(LlmScalar, PacksLsbFirst)
{
    const int8_t q4[3] = {1, -1, 7};
    uint8_t out4[2] = {0, 0};
    scalar::llm_pack_reference(q4, 3, 4, out4);
    EXPECT_EQ(out4[0], 0xF1); // k=0 low nibble, k=1 high nibble
    EXPECT_EQ(out4[1], 0x07); // tail bits 0
    const int8_t q6[4] = {1, -1, 2, -32 + 1};
    uint8_t out6[3] = {0, 0, 0};
    scalar::llm_pack_reference(q6, 4, 6, out6);
    const uint32_t word = 1u | (63u << 6) | (2u << 12) | (33u << 18);
    EXPECT_EQ(out6[0], word & 0xFF);
    EXPECT_EQ(out6[1], (word >> 8) & 0xFF);
    EXPECT_EQ(out6[2], (word >> 16) & 0xFF);
}

} // namespace
} // namespace ncnn_int8
#endif // HWY_ONCE
