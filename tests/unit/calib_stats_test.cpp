// Activation statistics: the values ncnn2table counts, order-independent
// merging (any thread split gives the same numbers), aciq's N from the last
// file in list order, the histogram's edge cases and the KL search.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "calib/activation_stats.h"
#include "calib/kl_search.h"
#include "calib/weight_scales.h"

namespace ncnn_int8 {
namespace {

BlobView view(const std::vector<float>& v, int w, int h, int c, int d = 1, int dims = 3)
{
    return BlobView{dims, w, h, d, c, v.data()};
}

std::vector<float> wave(size_t n, float amp, int seed)
{
    std::vector<float> v(n);
    for (size_t i = 0; i < n; i++) v[i] = amp * std::sin(static_cast<float>(i * 7 + seed * 13)) * std::exp(-static_cast<float>(i % 17) / 5.f);
    return v;
}

TEST(CalibStats, FourDimensionalBlobsCountTheFirstDepthSliceLikeTheReference)
{
    // 2x1 plane, d=2, c=2: per channel only the first w*h of its w*h*d values
    const std::vector<float> v = {1, -2, 50, 60, 3, 4, -70, 80};
    BlobStats s;
    add_absmax(s, view(v, 2, 1, 2, 2, 4), 0);
    EXPECT_EQ(s.absmax, 4.f);
    EXPECT_EQ(s.last_count, 4);
    EXPECT_EQ(counted_values(view(v, 2, 1, 2, 2, 4)), 4u);
}

TEST(CalibStats, MergedPartsEqualOneSequentialPass)
{
    std::vector<std::vector<float>> files;
    for (int f = 0; f < 7; f++) files.push_back(wave(60 + f * 12, 1.f + f * 0.3f, f)); // different sizes
    auto shape_w = [&](size_t f) { return static_cast<int>(files[f].size() / 3); };

    BlobStats all;
    for (size_t f = 0; f < files.size(); f++) add_absmax(all, view(files[f], shape_w(f), 1, 3), static_cast<long>(f));
    for (size_t f = 0; f < files.size(); f++) add_histogram(all, view(files[f], shape_w(f), 1, 3), all.absmax);

    // three "threads" taking files in another order
    const std::vector<std::vector<size_t>> parts = {{6, 0}, {3, 5, 1}, {2, 4}};
    std::vector<BlobStats> partial(parts.size());
    for (size_t p = 0; p < parts.size(); p++)
        for (size_t f : parts[p]) add_absmax(partial[p], view(files[f], shape_w(f), 1, 3), static_cast<long>(f));
    BlobStats merged;
    for (size_t p = parts.size(); p-- > 0;) merged.merge(partial[p]);
    std::vector<BlobStats> hist(parts.size());
    for (size_t p = 0; p < parts.size(); p++)
        for (size_t f : parts[p]) add_histogram(hist[p], view(files[f], shape_w(f), 1, 3), merged.absmax);
    for (const BlobStats& h : hist) merged.merge(h);

    EXPECT_EQ(merged.absmax, all.absmax);
    EXPECT_EQ(merged.values, all.values);
    EXPECT_EQ(merged.histogram, all.histogram);
    // the magnitude histograms differ below the running half-absmax cutoff
    // (which depends on the order), never where a clipped share reads them
    for (float f : {0.5f, 0.6f, 0.647f, 0.8f, 0.99f, 1.f})
        EXPECT_EQ(clipped_share(merged, f * all.absmax), clipped_share(all, f * all.absmax)) << f;
    // aciq's N: the size of the LAST file in list order (file 6), whoever read it
    EXPECT_EQ(merged.last_file, 6);
    EXPECT_EQ(merged.last_count, static_cast<int>(files[6].size()));
    EXPECT_EQ(aciq_threshold(merged.absmax, merged.last_count, 8), aciq_threshold(all.absmax, all.last_count, 8));
    EXPECT_EQ(kl_threshold_bin(merged.histogram), kl_threshold_bin(all.histogram));
}

TEST(CalibStats, HistogramSkipsZerosAndClampsTheTop)
{
    const float inf = std::numeric_limits<float>::infinity();
    const std::vector<float> v = {0.f, 0.f, 1.f, -1.f, 0.5f, 0.25f, inf};
    BlobStats s;
    add_histogram(s, view(v, 7, 1, 1), 1.f);
    uint64_t total = 0;
    for (uint64_t n : s.histogram) total += n;
    EXPECT_EQ(total, 5u);             // zeros skipped
    EXPECT_EQ(s.histogram[2047], 3u); // 1, -1 (index 2048 clamped) and inf
    EXPECT_EQ(s.histogram[1024], 1u);
    EXPECT_EQ(s.histogram[512], 1u);
}

TEST(CalibStats, KlSearchRangeAndTies)
{
    // (the exact search is checked against the reference's logs in
    // calib_inputs_corpus_test)
    std::vector<uint64_t> h(kHistogramBins, 0);
    for (int i = 0; i < 1000; i++) h[i] = 1000 + i % 7;
    const int t = kl_threshold_bin(h);
    EXPECT_GE(t, 128);
    EXPECT_LT(t, kHistogramBins);
    EXPECT_EQ(kl_threshold_bin(h), t);
    // everything in the first bins: the smallest threshold wins
    std::vector<uint64_t> low(kHistogramBins, 0);
    low[0] = 10;
    low[1] = 5;
    EXPECT_EQ(kl_threshold_bin(low), 128);
}

TEST(CalibStats, KlRangesCoverEveryThresholdOnce)
{
    for (int count : {1, 2, 3, 8, 100, 1920, 5000}) {
        const std::vector<std::pair<int, int>> ranges = kl_threshold_ranges(count);
        ASSERT_FALSE(ranges.empty()) << count;
        EXPECT_LE(ranges.size(), static_cast<size_t>(count));
        int next = KlSearch::kFirstThreshold;
        for (const auto& r : ranges) {
            EXPECT_EQ(r.first, next) << count;
            EXPECT_LT(r.first, r.second) << count;
            next = r.second;
        }
        EXPECT_EQ(next, KlSearch::kEndThreshold) << count;
    }
    // about equal work: the first of 8 ranges is the widest
    const std::vector<std::pair<int, int>> eight = kl_threshold_ranges(8);
    EXPECT_GT(eight.front().second - eight.front().first, 2 * (eight.back().second - eight.back().first));
}

TEST(CalibStats, KlSearchInRangesFindsTheWholeSearchsWinner)
{
    std::mt19937 rng(11);
    std::vector<std::vector<uint64_t>> histograms;
    std::vector<uint64_t> smooth(kHistogramBins, 0), sparse(kHistogramBins, 0), low(kHistogramBins, 0), none(kHistogramBins, 0);
    for (int i = 0; i < kHistogramBins; i++) smooth[i] = static_cast<uint64_t>(100000.0 * std::exp(-i / 150.0)) + rng() % 50;
    for (int i = 0; i < 40; i++) sparse[rng() % kHistogramBins] += 1 + rng() % 1000;
    low[0] = 10; // every threshold ties: the first (128) wins
    low[1] = 5;
    histograms = {smooth, sparse, low, none}; // none: every divergence NaN, 128 as the reference
    for (const auto& h : histograms) {
        const int whole = kl_threshold_bin(h);
        const KlSearch search(h);
        for (int count : {2, 7, 8, 64}) {
            std::vector<KlSearch::Winner> winners;
            for (const auto& r : kl_threshold_ranges(count)) winners.push_back(search.search(r.first, r.second));
            EXPECT_EQ(KlSearch::winner_bin(winners.data(), winners.size()), whole) << count;
        }
    }
    EXPECT_EQ(kl_threshold_bin(low), 128);
    EXPECT_EQ(kl_threshold_bin(none), 128);
}

TEST(CalibStats, ClippedShareFromTheMagnitudeHistogram)
{
    std::vector<float> v(100);
    for (int i = 0; i < 100; i++) v[i] = static_cast<float>(i + 1) / 100.f; // 0.01 .. 1.00
    BlobStats s;
    add_absmax(s, view(v, 100, 1, 1), 0);
    EXPECT_NEAR(clipped_share(s, 0.8f), 0.2, 0.011);
    EXPECT_EQ(clipped_share(s, 1.f), 0.0);
    EXPECT_EQ(clipped_share(s, std::numeric_limits<float>::infinity()), 0.0);
}

TEST(CalibStats, ClippedShareCountsEveryValueAnAciqThresholdCanClip)
{
    // files whose absmax grows, so earlier files were counted against a
    // lower cutoff; the share is checked against a direct count
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::vector<std::vector<float>> files;
    for (int f = 0; f < 5; f++) files.push_back(wave(400 + f * 32, 1.f + f * 0.7f, f));
    files[2][17] = nan;
    BlobStats s;
    uint64_t values = 0;
    for (size_t f = 0; f < files.size(); f++) {
        add_absmax(s, view(files[f], static_cast<int>(files[f].size()), 1, 1), static_cast<long>(f));
        values += files[f].size();
    }
    auto bits_of = [](float x) {
        uint32_t u;
        std::memcpy(&u, &x, 4);
        return u & 0x7fffffffu;
    };
    for (float f : {0.5f, 0.647f, 0.7f, 0.9f}) {
        const float t = f * s.absmax;
        uint64_t above = 0; // |x| in a bin above t's (NaN included), as clipped_share defines it
        for (const auto& v : files)
            for (float x : v) above += (bits_of(x) >> 16) > (bits_of(t) >> 16);
        EXPECT_EQ(clipped_share(s, t), static_cast<double>(above) / static_cast<double>(values)) << f;
        EXPECT_GT(above, 0u);
    }
}

TEST(CalibStats, ClippedShareFromTheHistogram)
{
    std::vector<float> v(100);
    for (int i = 0; i < 100; i++) v[i] = static_cast<float>(i + 1) / 100.f; // 0.01 .. 1.00
    v[0] = 0.f;                                                             // zeros count as values, never clipped
    BlobStats s;
    add_absmax(s, view(v, 100, 1, 1), 0, false);
    EXPECT_TRUE(s.magnitude.empty());
    add_histogram(s, view(v, 100, 1, 1), s.absmax);
    // threshold in bin 1638 (0.8 * 2048 = 1638.4): 0.81 .. 1.00 lie above it
    EXPECT_NEAR(clipped_share_of_histogram(s, 1638), 0.2, 1e-12);
    EXPECT_EQ(clipped_share_of_histogram(s, kHistogramBins - 1), 0.0);
    EXPECT_NEAR(clipped_share_of_histogram(s, 0), 0.99, 1e-12); // every value but the zero lies above bin 0
}

} // namespace
} // namespace ncnn_int8
