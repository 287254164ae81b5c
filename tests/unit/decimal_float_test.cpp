// core/decimal_float: the fast exact path against strtof itself.
#include "core/decimal_float.h"

#include <gtest/gtest.h>

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
    EXPECT_FALSE(parse_decimal_exact("1.5abc", v));
    EXPECT_FALSE(parse_decimal_exact("0x10", v));
    EXPECT_FALSE(parse_decimal_exact("inf", v));
    EXPECT_FALSE(parse_decimal_exact("1e", v));
    EXPECT_FALSE(parse_decimal_exact("", v));
}

} // namespace
} // namespace ncnn_int8
