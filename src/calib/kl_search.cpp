#include "calib/kl_search.h"

#include <algorithm>
#include <cmath>

#include "calib/activation_stats.h"

namespace ncnn_int8 {

static_assert(KlSearch::kEndThreshold == kHistogramBins, "thresholds run to the histogram's end");

namespace {
constexpr int kTargetBins = KlSearch::kFirstThreshold;
constexpr float kEps = 0.0001f;

// The bins level j covers when per_bin bins make a level: [start, end) =
// [j, j + 1) x per_bin, that is the whole bins [left_upper, right_lower),
// the part left_scale of bin left_upper - 1 and the part right_scale of bin
// right_lower. The reference writes the first and the last level apart, but
// they are this one with left_scale 0 (start 0) and right_scale 0 (end
// 128 x per_bin = t exactly: t / 128 and 127 x t / 128 are exact in float
// for t < 2048), and adding 0 to a positive float leaves it as it was; so
// the sums, the divisors and their order are the reference's.
struct LevelSpan {
    int left_upper, right_lower;
    float left_scale, right_scale;
};

LevelSpan level_span(int j, float per_bin)
{
    const float start = j * per_bin;
    const float end = (j + 1) * per_bin;
    LevelSpan s;
    s.left_upper = static_cast<int>(std::ceil(start));
    s.left_scale = s.left_upper - start;
    s.right_lower = static_cast<int>(std::floor(end));
    s.right_scale = end - s.right_lower;
    return s;
}
} // namespace

KlSearch::KlSearch(const std::vector<uint64_t>& histogram) : normed_(kHistogramBins),
                                                             base_(kHistogramBins)
{
    uint64_t sum = 0;
    for (int j = 0; j < kHistogramBins; j++) sum += histogram[j];
    for (int j = 0; j < kHistogramBins; j++) normed_[j] = static_cast<float>(histogram[j] / static_cast<double>(sum));
    // The clipped distribution of threshold t is base_[0 .. t-1) and, in bin
    // t-1, base_[t-1] plus every later bin in order. Adding a zero bin leaves
    // that sum unchanged, so only the nonzero bins are visited.
    for (int j = 0; j < kHistogramBins; j++) base_[j] = kEps + normed_[j];
    for (int j = 0; j < kHistogramBins; j++)
        if (normed_[j] != 0.f) nonzero_.push_back(j);
}

KlSearch::Winner KlSearch::search(int begin, int end) const
{
    std::vector<float> quant(kTargetBins), expand(kHistogramBins);
    Winner best;
    // index into nonzero_ of the first bin >= t
    size_t first_above = static_cast<size_t>(std::lower_bound(nonzero_.begin(), nonzero_.end(), begin) - nonzero_.begin());
    for (int t = std::max(begin, kFirstThreshold); t < std::min(end, kEndThreshold); t++) {
        while (first_above < nonzero_.size() && nonzero_[first_above] < t) first_above++;
        const float kl = divergence(t, first_above, quant, expand);
        if (kl < best.kl) {
            best.kl = kl;
            best.threshold = t;
        }
    }
    return best;
}

int KlSearch::winner_bin(const Winner* in_threshold_order, size_t count)
{
    Winner best;
    for (size_t i = 0; i < count; i++)
        if (in_threshold_order[i].kl < best.kl) best = in_threshold_order[i];
    return best.threshold < 0 ? kFirstThreshold : best.threshold;
}

float KlSearch::divergence(int t, size_t first_above, std::vector<float>& quant, std::vector<float>& expand) const
{
    float clip_last = base_[t - 1];
    for (size_t n = first_above; n < nonzero_.size(); n++) clip_last += normed_[nonzero_[n]];

    // merged into 128 levels, each averaged over the (fractional) bins it
    // covers, then expanded back to t bins
    const float per_bin = static_cast<float>(t) / kTargetBins;
    std::fill(quant.begin(), quant.end(), 0.f);
    for (int j = 0; j < kTargetBins; j++) {
        const LevelSpan s = level_span(j, per_bin);
        if (s.left_scale > 0) quant[j] += s.left_scale * normed_[s.left_upper - 1];
        if (s.right_scale > 0) quant[j] += s.right_scale * normed_[s.right_lower];
        for (int k = s.left_upper; k < s.right_lower; k++) quant[j] += normed_[k];
        quant[j] /= s.right_lower - s.left_upper + s.left_scale + s.right_scale;
    }
    std::fill(expand.begin(), expand.begin() + t, kEps);
    for (int j = 0; j < kTargetBins; j++) {
        const LevelSpan s = level_span(j, per_bin);
        if (s.left_scale > 0) expand[s.left_upper - 1] += s.left_scale * quant[j];
        if (s.right_scale > 0) expand[s.right_lower] += s.right_scale * quant[j];
        for (int k = s.left_upper; k < s.right_lower; k++) expand[k] += quant[j];
    }

    float kl = 0.f;
    for (int i = 0; i < t - 1; i++) kl += base_[i] * std::log(base_[i] / expand[i]);
    kl += clip_last * std::log(clip_last / expand[t - 1]);
    return kl;
}

std::vector<std::pair<int, int>> kl_threshold_ranges(int count)
{
    // work up to t: about the sum of 1..t, so equal shares of t^2
    const double first = KlSearch::kFirstThreshold, end = KlSearch::kEndThreshold;
    std::vector<std::pair<int, int>> ranges;
    int begin = KlSearch::kFirstThreshold;
    for (int k = 1; k <= count; k++) {
        const int stop = k == count ? KlSearch::kEndThreshold : static_cast<int>(std::sqrt(first * first + (end * end - first * first) * k / count));
        if (stop > begin) ranges.emplace_back(begin, stop);
        begin = std::max(begin, stop);
    }
    return ranges;
}

int kl_threshold_bin(const std::vector<uint64_t>& histogram)
{
    const KlSearch search(histogram);
    const KlSearch::Winner whole = search.search(KlSearch::kFirstThreshold, KlSearch::kEndThreshold);
    return KlSearch::winner_bin(&whole, 1);
}

} // namespace ncnn_int8
