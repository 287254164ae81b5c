// The KL threshold search of ncnn2table's kl method: for each threshold t
// of 128..2047 bins, the histogram clipped at t is merged into 128 levels,
// expanded back, and compared with the clipped one (KL divergence, in
// float, in the reference's order); the threshold with the smallest
// divergence wins, the first on ties.
//
// Each threshold's divergence depends only on the histogram, so the search
// splits into ranges of thresholds that threads take in any order:
// KlSearch prepares the histogram once, search() does one range, and the
// ranges' winners taken in threshold order (strictly smaller wins) give the
// whole search's winner.
#pragma once

#include <cfloat>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace ncnn_int8 {

class KlSearch {
public:
    static constexpr int kFirstThreshold = 128; // the 128 int8 levels
    static constexpr int kEndThreshold = 2048;  // one past the last (kHistogramBins)

    struct Winner {
        float kl = FLT_MAX;
        int threshold = -1; // -1: no divergence below FLT_MAX in the range
    };

    explicit KlSearch(const std::vector<uint64_t>& histogram);

    // The winner among thresholds [begin, end).
    Winner search(int begin, int end) const;

    // The winning bin of the whole search from its ranges' winners, `count`
    // of them in threshold order (128 when no divergence is below FLT_MAX,
    // as in the reference).
    static int winner_bin(const Winner* in_threshold_order, size_t count);

private:
    float divergence(int t, size_t first_above, std::vector<float>& quant, std::vector<float>& expand) const;

    std::vector<float> normed_; // histogram / its sum
    std::vector<float> base_;   // eps + normed_: the clipped distribution's bins
    std::vector<int> nonzero_;  // the bins where normed_ is not 0
};

// `count` ranges of thresholds covering [128, 2048) in order, of about
// equal work (a threshold's work grows with t).
std::vector<std::pair<int, int>> kl_threshold_ranges(int count);

// The whole search in one range: the winning bin.
int kl_threshold_bin(const std::vector<uint64_t>& histogram);

} // namespace ncnn_int8
