// Highway's two run-time entry points that dynamic dispatch calls, defined
// in the executable so it does not load Debian's libhwy.so (packaged only as
// a shared library). That library runs a timer calibration in a static
// initializer at load, which costs a short calibration run more than its
// whole forward passes on a small model.
//
// The first dispatched call asks SupportedTargets() which targets this CPU
// and OS can run; the targets and their instruction sets are Highway's (the
// HWY_TARGET_STR lists of hwy/ops/set_macros-inl.h). GCC's cpu detection
// reports AVX / AVX-512 features only when the OS saves those registers
// (XCR0), as Highway's own check does. Which of the supported targets runs
// does not change any result: the kernels give the same bits on every target.
#include <hwy/targets.h>

// GCC only: clang's __builtin_cpu_supports lacks some of these names
// (f16c, vaes); other builds link libhwy.
#if !(defined(__x86_64__) || defined(__i386__)) || !defined(__GNUC__) || defined(__clang__)
#error "ncnn2table_hwy_targets.cpp is for x86 with GCC; link libhwy instead"
#endif

namespace hwy {

HWY_DLLEXPORT int64_t SupportedTargets()
{
    __builtin_cpu_init();
    int64_t targets = HWY_EMU128 | HWY_SCALAR;
    const bool ssse3 = __builtin_cpu_supports("sse2") && __builtin_cpu_supports("ssse3");
    const bool sse4 = ssse3 && __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("pclmul")
                      && __builtin_cpu_supports("aes");
    const bool avx2 = sse4 && __builtin_cpu_supports("avx") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi")
                      && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    const bool avx3 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")
                      && __builtin_cpu_supports("avx512bw");
    // not compiled unless HWY_WANT_AVX3_DL, listed as Highway lists it
    const bool avx3_dl = avx3 && __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("vpclmulqdq")
                         && __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512vbmi2") && __builtin_cpu_supports("vaes")
                         && __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("avx512bitalg");
    if (ssse3) targets |= HWY_SSSE3;
    if (sse4) targets |= HWY_SSE4;
    if (avx2) targets |= HWY_AVX2;
    if (avx3) targets |= HWY_AVX3;
    if (avx3_dl) targets |= HWY_AVX3_DL;
    return targets;
}

HWY_DLLEXPORT ChosenTarget& GetChosenTarget()
{
    static ChosenTarget chosen;
    return chosen;
}

} // namespace hwy
