// Preloaded into our tools under valgrind by tools/callgrind-calib.sh (never
// linked into the project): valgrind runs neither AVX-512 nor RDTSCP, so
// Highway's dynamic dispatch is kept to AVX2 and below, and libhwy's timer
// calibration at load (RDTSCP) gets an answer without running it.
#include <cstdint>

#include "hwy/targets.h"

namespace hwy::platform {
uint64_t TimerResolution() { return 1; }
} // namespace hwy::platform

__attribute__((constructor)) static void keep_highway_below_avx512()
{
    const int64_t targets = hwy::SupportedTargets() & ~(int64_t{HWY_AVX3} | int64_t{HWY_AVX3_DL});
    hwy::SetSupportedTargetsForTest(targets);
    hwy::GetChosenTarget().Update(hwy::SupportedTargets());
}
