// The engine's Highway kernels (kernels/engine_kernels.h) against their
// scalar reference, bit for bit, on every compiled target this CPU supports.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "highway_targets.h"
#include "kernels/engine_kernels.h"
#include "kernels/engine_scalar_reference.h"

namespace ncnn_int8 {
namespace {

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

TEST(EngineKernels, GemmEqualsScalarReferenceOnEveryTarget)
{
    // Shapes around the vector widths and the 4-row blocking, with and without bias, with row strides.
    const size_t shapes[][3] = {{1, 1, 1}, {1, 17, 9}, {3, 8, 5}, {4, 16, 27}, {5, 33, 3}, {9, 100, 64}, {16, 7, 11}, {7, 64, 1}};
    for_each_target([&](int64_t) {
        uint32_t seed = 1;
        for (const auto& s : shapes) {
            const size_t M = s[0], N = s[1], K = s[2];
            const size_t lda = K + 2, ldb = N + 3, ldc = N + 1;
            const std::vector<float> A = random_values(M * lda, seed++);
            const std::vector<float> B = random_values(K * ldb, seed++);
            const std::vector<float> bias = random_values(M, seed++);
            for (const float* b : {static_cast<const float*>(nullptr), bias.data()}) {
                std::vector<float> got(M * ldc, 7.f), want(M * ldc, 7.f);
                kernels::gemm_f32(M, N, K, A.data(), lda, B.data(), ldb, b, got.data(), ldc);
                kernels::scalar::gemm_f32(M, N, K, A.data(), lda, B.data(), ldb, b, want.data(), ldc);
                EXPECT_TRUE(same_bits(got, want)) << "M=" << M << " N=" << N << " K=" << K << (b ? " with bias" : "");
            }
        }
    });
}

TEST(EngineKernels, AxpyEqualsScalarReferenceOnEveryTarget)
{
    for_each_target([&](int64_t) {
        for (size_t n : {0u, 1u, 3u, 4u, 8u, 15u, 16u, 31u, 100u}) {
            const std::vector<float> x = random_values(n * 3 + 1, 11);
            std::vector<float> got = random_values(n, 12), want = got;
            kernels::axpy_f32(n, 0.37f, x.data(), got.data());
            kernels::scalar::axpy_f32(n, 0.37f, x.data(), want.data());
            EXPECT_TRUE(same_bits(got, want)) << "n=" << n;
            kernels::axpy_strided_f32(n, -1.5f, x.data(), 3, got.data());
            kernels::scalar::axpy_strided_f32(n, -1.5f, x.data(), 3, want.data());
            EXPECT_TRUE(same_bits(got, want)) << "strided n=" << n;
        }
    });
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
