// Dispatch: natively Highway picks the best target the CPU supports at run
// time (dynamic dispatch); the WASM build has one target, chosen at compile
// time (NCNN_INT8_STATIC_DISPATCH). The per-target code is in kernels-inl.h;
// this file compiles it at each target's full vector width.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/kernels.cpp"
#ifndef NCNN_INT8_STATIC_DISPATCH
#include "hwy/foreach_target.h" // IWYU pragma: keep
#endif
#include "hwy/highway.h"
#include "kernels/kernels-inl.h"

HWY_BEFORE_NAMESPACE();
namespace ncnn_int8 {
namespace HWY_NAMESPACE {
namespace {
using FullF32 = hn::ScalableTag<float>;
} // namespace

HWY_NOINLINE void QuantizeRowFull(const float* x, size_t n, float scale, int8_t* out)
{
    QuantizeRow(FullF32(), x, n, scale, out);
}
HWY_NOINLINE void Fp32ToFp16Full(const float* x, size_t n, uint16_t* out) { Fp32ToFp16Row(FullF32(), x, n, out); }
HWY_NOINLINE void Fp16ToFp32Full(const uint16_t* h, size_t n, float* out) { Fp16ToFp32Row(FullF32(), h, n, out); }
HWY_NOINLINE void LookupFull(const float* table256, const uint8_t* index, size_t n, float* out)
{
    LookupRow(FullF32(), table256, index, n, out);
}
HWY_NOINLINE float AbsMaxFull(const float* x, size_t n) { return AbsMaxRow(FullF32(), x, n); }
HWY_NOINLINE void FlushTinyFull(float* x, size_t n) { FlushTinyRow(FullF32(), x, n); }
HWY_NOINLINE void QuantizeErrorFull(const float* x, size_t n, float scale, int8_t* out, double* signal, double* noise)
{
    QuantizeErrorRow(FullF32(), x, n, scale, out, signal, noise);
}
HWY_NOINLINE void ErrorSumsFull(const float* x, const int8_t* q, size_t n, float scale, double* signal, double* noise)
{
    ErrorSumsRow(FullF32(), x, q, n, scale, signal, noise);
}

} // namespace HWY_NAMESPACE
} // namespace ncnn_int8
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/kernels.h"

namespace ncnn_int8 {

#ifdef NCNN_INT8_STATIC_DISPATCH
#define NI8_DISPATCH(fn) HWY_STATIC_DISPATCH(fn)
#else
HWY_EXPORT(QuantizeRowFull);
HWY_EXPORT(Fp32ToFp16Full);
HWY_EXPORT(Fp16ToFp32Full);
HWY_EXPORT(LookupFull);
HWY_EXPORT(AbsMaxFull);
HWY_EXPORT(FlushTinyFull);
HWY_EXPORT(ErrorSumsFull);
HWY_EXPORT(QuantizeErrorFull);
#define NI8_DISPATCH(fn) HWY_DYNAMIC_DISPATCH(fn)
#endif

namespace kernels {

void quantize_row(const float* x, size_t n, float scale, int8_t* out)
{
    NI8_DISPATCH(QuantizeRowFull)
    (x, n, scale, out);
}

void fp32_to_fp16(const float* x, size_t n, uint16_t* out)
{
    NI8_DISPATCH(Fp32ToFp16Full)
    (x, n, out);
}

void fp16_to_fp32(const uint16_t* h, size_t n, float* out)
{
    NI8_DISPATCH(Fp16ToFp32Full)
    (h, n, out);
}

void lut_to_fp32(const float* table256, const uint8_t* index, size_t n, float* out)
{
    NI8_DISPATCH(LookupFull)
    (table256, index, n, out);
}

float abs_max(const float* x, size_t n) { return NI8_DISPATCH(AbsMaxFull)(x, n); }

void flush_tiny_to_zero(float* x, size_t n)
{
    NI8_DISPATCH(FlushTinyFull)
    (x, n);
}

void accumulate_error(const float* x, const int8_t* q, size_t n, float scale, ErrorSums& sums)
{
    NI8_DISPATCH(ErrorSumsFull)
    (x, q, n, scale, &sums.signal, &sums.noise);
}

void quantize_row_with_error(const float* x, size_t n, float scale, int8_t* out, ErrorSums& sums)
{
    NI8_DISPATCH(QuantizeErrorFull)
    (x, n, scale, out, &sums.signal, &sums.noise);
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
