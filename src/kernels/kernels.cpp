// Dispatch: natively Highway picks the best target the CPU supports at run
// time (dynamic dispatch); the WASM build has one target, chosen at compile
// time (NCNN_INT8_STATIC_DISPATCH).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/kernels-inl.h"
#ifndef NCNN_INT8_STATIC_DISPATCH
#include "hwy/foreach_target.h" // IWYU pragma: keep
#endif
#include "hwy/highway.h"
#include "kernels/kernels-inl.h"

#if HWY_ONCE
#include <cmath>
#include <cstring>

#include "kernels/kernels.h"
#include "kernels/scalar_reference.h"

namespace ncnn_int8 {

#ifdef NCNN_INT8_STATIC_DISPATCH
#define NI8_DISPATCH(fn) HWY_STATIC_DISPATCH(fn)
#else
HWY_EXPORT(QuantizeLanes);
HWY_EXPORT(Fp32ToFp16Lanes);
HWY_EXPORT(Fp16ToFp32Lanes);
HWY_EXPORT(LookupLanes);
HWY_EXPORT(AbsMaxLanes);
HWY_EXPORT(FlushTinyLanes);
HWY_EXPORT(ErrorSumsLanes);
#define NI8_DISPATCH(fn) HWY_DYNAMIC_DISPATCH(fn)
#endif

namespace kernels {

namespace {

size_t vector_part(size_t n) { return n & ~size_t(3); }

// Smallest float whose double value is >= 1e-30: |x| < it <=> (double)|x| < 1e-30.
float tiny_threshold()
{
    float t = static_cast<float>(1e-30);
    if (static_cast<double>(t) < 1e-30) t = std::nextafter(t, 1.f);
    return t;
}

} // namespace

void quantize_row(const float* x, size_t n, float scale, int8_t* out)
{
    const size_t v = vector_part(n);
    size_t i = NI8_DISPATCH(QuantizeLanes)(x, v, scale, out);
    for (; i < v; i++) out[i] = scalar::quantize_vector_lane(x[i], scale);
    for (; i < n; i++) out[i] = scalar::quantize_tail(x[i], scale);
}

void fp32_to_fp16(const float* x, size_t n, uint16_t* out)
{
    const size_t v = vector_part(n);
    size_t i = NI8_DISPATCH(Fp32ToFp16Lanes)(x, v, out);
    for (; i < v; i++) out[i] = scalar::fp32_to_fp16_rne(x[i]);
    for (; i < n; i++) out[i] = scalar::fp32_to_fp16_truncate(x[i]);
}

void fp16_to_fp32(const uint16_t* h, size_t n, float* out)
{
    const size_t v = vector_part(n);
    size_t i = NI8_DISPATCH(Fp16ToFp32Lanes)(h, v, out);
    for (; i < v; i++) out[i] = scalar::fp16_to_fp32_f16c(h[i]);
    for (; i < n; i++) out[i] = scalar::fp16_to_fp32_exact(h[i]);
}

void lut_to_fp32(const float* table256, const uint8_t* index, size_t n, float* out)
{
    size_t i = NI8_DISPATCH(LookupLanes)(table256, index, n, out);
    for (; i < n; i++) out[i] = table256[index[i]];
}

float abs_max(const float* x, size_t n)
{
    size_t i = 0;
    float m = NI8_DISPATCH(AbsMaxLanes)(x, n, &i);
    for (; i < n; i++) {
        const float a = std::fabs(x[i]);
        if (m < a) m = a;
    }
    return m;
}

void flush_tiny_to_zero(float* x, size_t n)
{
    static const float threshold = tiny_threshold();
    size_t i = NI8_DISPATCH(FlushTinyLanes)(x, n, threshold);
    for (; i < n; i++) x[i] = scalar::flush_tiny(x[i]);
}

void accumulate_error(const float* x, const int8_t* q, size_t n, float scale, ErrorSums& sums)
{
    size_t i = NI8_DISPATCH(ErrorSumsLanes)(x, q, n, scale, &sums.signal, &sums.noise);
    const float inv = scale != 0.f ? 1.f / scale : 0.f;
    for (; i < n; i++) {
        const double d = static_cast<double>(x[i]) - static_cast<double>(q[i]) * inv;
        sums.signal += static_cast<double>(x[i]) * x[i];
        sums.noise += d * d;
    }
}

const char* active_target()
{
#ifdef NCNN_INT8_STATIC_DISPATCH
    return hwy::TargetName(HWY_STATIC_TARGET);
#else
    return hwy::TargetName(hwy::SupportedTargets() & HWY_TARGETS & -(hwy::SupportedTargets() & HWY_TARGETS));
#endif
}

} // namespace kernels
} // namespace ncnn_int8
#endif // HWY_ONCE
