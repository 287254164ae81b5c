// core/decimal_float: the fast exact path against strtof itself.
#include "core/decimal_float.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

namespace ncnn_int8 {
namespace {

TEST(DecimalFloat, FastPathReadsExactlyAsStrtof)
{
    std::mt19937 rng(11);
    std::uniform_int_distribution<uint32_t> bits;
    std::uniform_int_distribution<int> digits(1, 19), exponent(-30, 30);
    int fast = 0;
    for (int i = 0; i < 300000; i++) {
        std::string text;
        if (i % 3 != 2) {
            // What the tables hold: %.9g of a float (the LLM tables), %f
            // (ncnn2table's).
            uint32_t u = bits(rng);
            float f;
            std::memcpy(&f, &u, 4);
            char buf[128];
            std::snprintf(buf, sizeof buf, i % 3 == 0 ? "%.9g" : "%f", double(f));
            text = buf;
        } else {
            // Other decimals: long mantissas, halfway cases, exponents.
            const int n = digits(rng);
            for (int d = 0; d < n; d++) text += char('0' + bits(rng) % 10);
            if (bits(rng) % 2) text.insert(bits(rng) % text.size(), ".");
            if (bits(rng) % 2) text += "e" + std::to_string(exponent(rng));
            if (bits(rng) % 4 == 0) text.insert(0, "-");
        }
        float got = 0.f;
        if (!parse_decimal_exact(text.c_str(), got)) continue;
        fast++;
        const float want = std::strtof(text.c_str(), nullptr);
        ASSERT_EQ(std::memcmp(&got, &want, 4), 0) << text;
    }
    EXPECT_GT(fast, 100000) << "the fast path must take the common cases";
    float v = 0.f;
    const char* text = "12.5x";
    EXPECT_TRUE(parse_decimal_exact(text, text + 4, v)); // a range: what follows it is not read
    EXPECT_EQ(v, 12.5f);
    EXPECT_FALSE(parse_decimal_exact("1.5abc", v));
    EXPECT_FALSE(parse_decimal_exact("0x10", v));
    EXPECT_FALSE(parse_decimal_exact("inf", v));
    EXPECT_FALSE(parse_decimal_exact("1e", v));
    EXPECT_FALSE(parse_decimal_exact("", v));
}

// Decimals at and next to the points halfway between two floats, where a
// division's and a reciprocal multiplication's doubles can round to
// different floats: the fast path reads them as strtof does, or declines.
TEST(DecimalFloat, NearHalfwayPointsReadExactlyAsStrtof)
{
    std::mt19937 rng(23);
    std::uniform_real_distribution<float> magnitude(1e-6f, 1e6f);
    int fast = 0;
    for (int i = 0; i < 200000; i++) {
        const float f = magnitude(rng);
        const double halfway = (double(f) + double(std::nextafter(f, 2e6f))) / 2;
        char buf[64];
        // 9 to 16 significant digits: at, just below and just above it
        std::snprintf(buf, sizeof buf, "%.*e", 8 + i % 8, halfway);
        float got = 0.f;
        if (!parse_decimal_exact(buf, got)) continue;
        fast++;
        const float want = std::strtof(buf, nullptr);
        ASSERT_EQ(std::memcmp(&got, &want, 4), 0) << buf;
    }
    EXPECT_GT(fast, 50000);
}

} // namespace
} // namespace ncnn_int8
