// A small deterministic PRNG (splitmix64) so a seed always yields the same
// model on every platform; std:: distributions are not portable bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ncnn_int8::generator {

class Random {
public:
    explicit Random(uint64_t seed) : state_(seed) {}

    uint64_t next_u64()
    {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    // Uniform in [0, 1) with 24 random bits (exact in a float).
    float next_unit() { return static_cast<float>(next_u64() >> 40) * (1.0f / 16777216.0f); }

    float uniform(float lo, float hi) { return lo + (hi - lo) * next_unit(); }

    // Fills out[0..n) uniformly in [lo, hi); two values per 64-bit draw
    // because the large models need ~85M of them.
    void fill_uniform(float* out, size_t n, float lo, float hi)
    {
        const float span = (hi - lo) * (1.0f / 16777216.0f);
        size_t i = 0;
        for (; i + 2 <= n; i += 2) {
            const uint64_t r = next_u64();
            out[i] = lo + span * static_cast<float>(r >> 40);
            out[i + 1] = lo + span * static_cast<float>((r >> 8) & 0xFFFFFF);
        }
        if (i < n) out[i] = lo + span * static_cast<float>(next_u64() >> 40);
    }

private:
    uint64_t state_;
};

} // namespace ncnn_int8::generator
