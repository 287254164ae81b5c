// The deterministic numbers behind the engine fixtures: splitmix64 and
// uniform floats built from integer bits only, so the fixture writer
// (tools/ref_blobs, linked with the reference) and the tests produce the
// same inputs and weights on every platform. Header-only, no dependencies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ncnn_int8::fixture {

class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}
    uint64_t next()
    {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [-1, 1): 24 random bits, exact in float.
    float symmetric() { return static_cast<float>(static_cast<int32_t>(next() >> 40) - (1 << 23)) / static_cast<float>(1 << 23); }

private:
    uint64_t state_;
};

// n values uniform in [-1, 1) from `seed`.
inline std::vector<float> symmetric_values(size_t n, uint64_t seed)
{
    Rng rng(seed);
    std::vector<float> v(n);
    for (float& x : v) x = rng.symmetric();
    return v;
}

// The seed of an input or a layer's weights: the case seed mixed with an index.
inline uint64_t sub_seed(uint64_t seed, uint64_t index) { return Rng(seed ^ (index * 0xD6E8FEB86659FD93ull)).next(); }

} // namespace ncnn_int8::fixture
