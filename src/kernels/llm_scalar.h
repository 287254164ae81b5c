// Element-wise definitions of the weight-only block quantization arithmetic
// (ncnnllm2table / ncnnllm2int). The Highway kernels in llm_kernels.h must
// match these bit for bit; the tests compare every compiled target to them.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace ncnn_int8::scalar {

// q = clamp((int)roundf(w * scale), -qmax, qmax). On x86 a NaN or a rounded
// value outside int32 converts to INT32_MIN, which the clamp makes -qmax.
inline int llm_quantize_value(float w, float scale, int qmax)
{
    const float r = std::roundf(w * scale);
    if (!(r >= -2147483648.f && r < 2147483648.f)) return -qmax;
    const int q = static_cast<int>(r);
    return q > qmax ? qmax : q < -qmax ? -qmax
                                       : q;
}

// Sum over the block, in k order and in fp32, of (w - q / scale)^2.
inline float llm_candidate_error(const float* w, size_t n, float scale, int qmax)
{
    float error = 0.f;
    for (size_t i = 0; i < n; i++) {
        const int q = llm_quantize_value(w[i], scale, qmax);
        const float deq = static_cast<float>(q) / scale;
        const float diff = w[i] - deq;
        error += diff * diff;
    }
    return error;
}

// Packs q[0..k) LSB first, bits per value, into ceil(k*bits/8) bytes
// (which must be zero on entry).
inline void llm_pack_reference(const int8_t* q, size_t k, int bits, uint8_t* out)
{
    const unsigned mask = (1u << bits) - 1u;
    for (size_t i = 0; i < k; i++) {
        const unsigned v = static_cast<unsigned>(q[i]) & mask;
        for (int b = 0; b < bits; b++)
            if (v & (1u << b)) {
                const size_t bit = i * size_t(bits) + size_t(b);
                out[bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
            }
    }
}

} // namespace ncnn_int8::scalar
