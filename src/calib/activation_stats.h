// Per-blob activation statistics as ncnn2table gathers them, kept so that
// per-thread partial results merge to the same numbers in any order:
// absmax (max), 2048-bin histograms of |x| / absmax (integer counts), the
// element count of the last file in list order (aciq's N), and a coarse
// magnitude histogram for the report's share of clipped values (of the
// values an aciq threshold can clip only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>
#include <vector>

namespace ncnn_int8 {

constexpr int kHistogramBins = 2048;
constexpr int kMagnitudeBins = 1 << 15; // |x|'s float bits >> 16
// Spare histogram slots that spread bin 0's increments while add_histogram
// counts.
constexpr int kZeroSlots = 8;

// One blob as the engine hands it over (dense, channel after channel).
struct BlobView {
    int dims = 0;
    int w = 0, h = 1, d = 1, c = 1;
    const float* data = nullptr;
};

// The values ncnn2table reads of a blob: w * h per channel (for a 4-D blob
// that is the first depth slice only, as the reference's loops do).
size_t counted_per_channel(const BlobView& b);
size_t counted_values(const BlobView& b);

// Zeroed memory: large blocks fresh from the system (pages untouched until
// counted into, so the magnitude histogram costs a blob only the pages its
// values reach, whatever the allocator's own threshold for such blocks),
// small ones from calloc.
void* zeroed_block(size_t bytes);
void free_zeroed_block(void* p, size_t bytes) noexcept;

// Counters from zeroed_block, left as it gives them.
template <typename T>
struct ZeroedAllocator {
    using value_type = T;
    ZeroedAllocator() = default;
    template <typename U>
    ZeroedAllocator(const ZeroedAllocator<U>&) noexcept
    {
    }
    T* allocate(size_t n)
    {
        if (n > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
        return static_cast<T*>(zeroed_block(n * sizeof(T)));
    }
    void deallocate(T* p, size_t n) noexcept { free_zeroed_block(p, n * sizeof(T)); }
    template <typename U>
    void construct(U* p) noexcept
    {
        ::new (static_cast<void*>(p)) U; // calloc's zero stays; the page is not written
    }
    template <typename U, typename... Args>
    void construct(U* p, Args&&... args)
    {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
    template <typename U>
    bool operator==(const ZeroedAllocator<U>&) const noexcept
    {
        return true;
    }
    template <typename U>
    bool operator!=(const ZeroedAllocator<U>&) const noexcept
    {
        return false;
    }
};
using ZeroedCounts = std::vector<uint64_t, ZeroedAllocator<uint64_t>>;

struct BlobStats {
    float absmax = 0.f;
    long last_file = -1;             // list index of the file that set last_count
    int last_count = 0;              // values counted in that file (aciq's N)
    uint64_t values = 0;             // values counted over all files
    ZeroedCounts magnitude;          // kMagnitudeBins, filled by add_absmax
    std::vector<uint64_t> histogram; // kHistogramBins, filled by add_histogram

    void merge(const BlobStats& other);
};

// max(|p[i]|) as the reference's serial std::max(m, fabs(x)) loop gives it
// (a NaN never wins), 0 for n = 0.
float absmax_of(const float* p, size_t n);

// Pass 1 (every method): absmax, N, and (with `magnitudes`: aciq, whose
// clipped share has no histogram to come from) the magnitude histogram of
// the values at or above half the running absmax: an aciq threshold is at
// least 0.64 x the final absmax (N < 2^31), so no value below that half is
// ever clipped, and the few above it are counted one by one.
void add_absmax(BlobStats& s, const BlobView& b, long file_index, bool magnitudes = true);

// Pass 2 (kl): the reference's histogram against the final absmax; zeros skipped.
void add_histogram(BlobStats& s, const BlobView& b, float absmax);

// The share of counted values whose |x| exceeds `threshold`, from the
// magnitude histogram (values in the threshold's own bin, within 2^-7
// relative, count as not clipped), for a threshold of at least half the
// absmax (every aciq threshold).
double clipped_share(const BlobStats& s, float threshold);

// The same from the 2048-bin histogram for a threshold in the middle of
// bin `threshold_bin` (kl's): values in later bins are clipped, those in
// the threshold's own bin (within absmax / 2048) count as not clipped.
double clipped_share_of_histogram(const BlobStats& s, int threshold_bin);

} // namespace ncnn_int8
