// Wall-clock timing and medians.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace ncnn_int8::bench {

inline double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Flushes dirty pages (earlier outputs) before a timed step so background
// writeback of one measurement does not slow down the next.
inline void settle_page_cache() { ::sync(); }

inline double median(std::vector<double> v)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace ncnn_int8::bench
