#include "calib/activation_stats.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>

#if defined(__unix__) && !defined(__EMSCRIPTEN__)
#include <sys/mman.h>
#endif

#include "kernels/engine_kernels.h"
#include "kernels/kernels.h"

namespace ncnn_int8 {

namespace {

uint32_t magnitude_bin(float x)
{
    uint32_t bits;
    std::memcpy(&bits, &x, 4);
    return (bits & 0x7fffffffu) >> 16;
}

#if defined(__unix__) && !defined(__EMSCRIPTEN__)
#define NI8_MAP_ZEROED 1
constexpr size_t kMappedBytes = 64 << 10;
#else
#define NI8_MAP_ZEROED 0
#endif

} // namespace

size_t counted_per_channel(const BlobView& b) { return static_cast<size_t>(b.w) * b.h; }

size_t counted_values(const BlobView& b) { return counted_per_channel(b) * b.c; }

void BlobStats::merge(const BlobStats& o)
{
    absmax = std::max(absmax, o.absmax);
    if (o.last_file > last_file) {
        last_file = o.last_file;
        last_count = o.last_count;
    }
    values += o.values;
    if (!o.magnitude.empty()) {
        if (magnitude.empty()) magnitude.resize(kMagnitudeBins); // zeros
        for (int i = 0; i < kMagnitudeBins; i++) magnitude[i] += o.magnitude[i];
    }
    if (!o.histogram.empty()) {
        if (histogram.empty()) histogram.assign(kHistogramBins, 0);
        for (int i = 0; i < kHistogramBins; i++) histogram[i] += o.histogram[i];
    }
}

float absmax_of(const float* p, size_t n) { return kernels::abs_max(p, n); }

void* zeroed_block(size_t bytes)
{
#if NI8_MAP_ZEROED
    if (bytes >= kMappedBytes) {
        void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        return p;
    }
#endif
    void* p = std::calloc(bytes ? bytes : 1, 1);
    if (!p) throw std::bad_alloc();
    return p;
}

void free_zeroed_block(void* p, size_t bytes) noexcept
{
    if (!p) return;
#if NI8_MAP_ZEROED
    if (bytes >= kMappedBytes) {
        munmap(p, bytes);
        return;
    }
#else
    (void)bytes;
#endif
    std::free(p);
}

void add_absmax(BlobStats& s, const BlobView& b, long file_index, bool magnitudes)
{
    const size_t per = counted_per_channel(b);
    const size_t stride = static_cast<size_t>(b.w) * b.h * b.d;
    float m = 0.f;
    for (int q = 0; q < b.c; q++) m = std::max(m, absmax_of(b.data + stride * q, per));
    s.absmax = std::max(s.absmax, m);
    if (magnitudes) {
        if (s.magnitude.empty()) s.magnitude.resize(kMagnitudeBins); // zeros, pages untouched
        // |x| >= cutoff compared as bits (NaN's bits lie above every
        // number's, so a NaN is counted, in a bin above any threshold's)
        const float cutoff = s.absmax * 0.5f;
        uint32_t cutoff_bits;
        std::memcpy(&cutoff_bits, &cutoff, 4);
        cutoff_bits &= 0x7fffffffu;
        for (int q = 0; q < b.c; q++) kernels::count_magnitudes_f32(b.data + stride * q, per, cutoff_bits, s.magnitude.data());
    }
    const size_t n = counted_values(b);
    s.values += n;
    if (file_index > s.last_file) {
        s.last_file = file_index;
        s.last_count = static_cast<int>(n);
    }
}

void add_histogram(BlobStats& s, const BlobView& b, float absmax)
{
    if (s.histogram.empty()) s.histogram.assign(kHistogramBins, 0);
    // Bins are computed a block at a time (vectorizable division), then
    // counted in two tables taking turns, zeros rotating over spare slots
    // instead of a branch: increments of one counter back to back would each
    // wait for the previous store. 32-bit counts: a call counts fewer than
    // 2^32 values per table (a blob that large does not fit in memory).
    constexpr int kBlock = 256;
    constexpr int kSlots = kHistogramBins + kZeroSlots;
    int32_t bins[kBlock];
    uint32_t counts[2][kSlots] = {};
    const size_t per = counted_per_channel(b);
    const size_t stride = static_cast<size_t>(b.w) * b.h * b.d;
    for (int q = 0; q < b.c; q++) {
        const float* p = b.data + stride * q;
        for (size_t k0 = 0; k0 < per; k0 += kBlock) {
            const int n = static_cast<int>(std::min<size_t>(kBlock, per - k0));
            for (int i = 0; i < n; i++) {
                const float x = p[k0 + i];
                // min(int(|x| / absmax * 2048), 2047); a NaN ratio (inf input) lands in the last bin
                const float r = std::fabs(x) / absmax * kHistogramBins;
                const float rc = r < kHistogramBins - 1 ? r : static_cast<float>(kHistogramBins - 1);
                const int32_t bin = static_cast<int32_t>(rc);
                bins[i] = x == 0.f ? kHistogramBins + (i & (kZeroSlots - 1)) : bin;
            }
            int i = 0;
            for (; i + 2 <= n; i += 2) {
                counts[0][bins[i]]++;
                counts[1][bins[i + 1]]++;
            }
            if (i < n) counts[0][bins[i]]++;
        }
    }
    uint64_t* h = s.histogram.data();
    for (int i = 0; i < kHistogramBins; i++) h[i] += static_cast<uint64_t>(counts[0][i]) + counts[1][i];
}

double clipped_share(const BlobStats& s, float threshold)
{
    if (s.values == 0 || s.magnitude.empty() || !(threshold >= 0.f)) return 0.0;
    if (std::isinf(threshold)) return 0.0;
    const uint32_t tb = magnitude_bin(threshold);
    // Counts lie at or below absmax's bin (the largest non-NaN |x|) or in
    // the NaN bins; the untouched pages between are not read (mapped fresh,
    // each read would fault one in).
    const uint32_t top = magnitude_bin(s.absmax);
    const uint32_t nan_first = magnitude_bin(std::numeric_limits<float>::infinity()); // infinity's bin holds NaNs too
    uint64_t above = 0;
    for (uint32_t i = tb + 1; i <= top && i < nan_first; i++) above += s.magnitude[i];
    for (uint32_t i = std::max(tb + 1, nan_first); i < static_cast<uint32_t>(kMagnitudeBins); i++) above += s.magnitude[i];
    return static_cast<double>(above) / static_cast<double>(s.values);
}

double clipped_share_of_histogram(const BlobStats& s, int threshold_bin)
{
    if (s.values == 0 || s.histogram.size() != static_cast<size_t>(kHistogramBins) || threshold_bin < 0) return 0.0;
    uint64_t above = 0;
    for (int i = threshold_bin + 1; i < kHistogramBins; i++) above += s.histogram[i];
    return static_cast<double>(above) / static_cast<double>(s.values);
}

} // namespace ncnn_int8
