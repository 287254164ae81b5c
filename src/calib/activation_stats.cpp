#include "calib/activation_stats.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

namespace ncnn_int8 {

namespace {

uint32_t magnitude_bin(float x)
{
    uint32_t bits;
    std::memcpy(&bits, &x, 4);
    return (bits & 0x7fffffffu) >> 16;
}

template <typename Fn>
void for_each_counted(const BlobView& b, Fn&& fn)
{
    const size_t per = counted_per_channel(b);
    const size_t stride = static_cast<size_t>(b.w) * b.h * b.d;
    for (int q = 0; q < b.c; q++) {
        const float* p = b.data + stride * q;
        for (size_t k = 0; k < per; k++) fn(p[k]);
    }
}

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
        if (magnitude.empty()) magnitude.assign(kMagnitudeBins, 0);
        for (int i = 0; i < kMagnitudeBins; i++) magnitude[i] += o.magnitude[i];
    }
    if (!o.histogram.empty()) {
        if (histogram.empty()) histogram.assign(kHistogramBins, 0);
        for (int i = 0; i < kHistogramBins; i++) histogram[i] += o.histogram[i];
    }
}

void add_absmax(BlobStats& s, const BlobView& b, long file_index)
{
    if (s.magnitude.empty()) s.magnitude.assign(kMagnitudeBins, 0);
    float m = 0.f;
    uint64_t* mag = s.magnitude.data();
    for_each_counted(b, [&](float x) {
        m = std::max(m, std::fabs(x));
        mag[magnitude_bin(x)]++;
    });
    s.absmax = std::max(s.absmax, m);
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
    uint64_t* h = s.histogram.data();
    for_each_counted(b, [&](float x) {
        if (x == 0.f) return;
        // min(int(|x| / absmax * 2048), 2047); a NaN ratio (inf input) lands in the last bin
        const float r = std::fabs(x) / absmax * kHistogramBins;
        h[r < kHistogramBins - 1 ? static_cast<int>(r) : kHistogramBins - 1]++;
    });
}

int kl_threshold_bin(const std::vector<uint64_t>& histogram)
{
    const int nbins = kHistogramBins;
    const int target_bin = 128;
    const float eps = 0.0001f;
    uint64_t sum = 0;
    for (int j = 0; j < nbins; j++) sum += histogram[j];
    std::vector<float> normed(nbins);
    for (int j = 0; j < nbins; j++) normed[j] = static_cast<float>(histogram[j] / static_cast<double>(sum));

    std::vector<float> clip(nbins), quant(target_bin), expand(nbins);
    int best = target_bin;
    float best_kl = FLT_MAX;
    for (int t = target_bin; t < nbins; t++) {
        // the clipped distribution: everything above t lands in bin t-1
        for (int j = 0; j < t; j++) clip[j] = eps + normed[j];
        for (int j = t; j < nbins; j++) clip[t - 1] += normed[j];

        // merged into 128 levels, each averaged over the (fractional) bins it covers
        const float per_bin = static_cast<float>(t) / target_bin;
        std::fill(quant.begin(), quant.end(), 0.f);
        {
            const float end = per_bin;
            const int right_lower = static_cast<int>(std::floor(end));
            const float right_scale = end - right_lower;
            if (right_scale > 0) quant[0] += right_scale * normed[right_lower];
            for (int k = 0; k < right_lower; k++) quant[0] += normed[k];
            quant[0] /= right_lower + right_scale;
        }
        for (int j = 1; j < target_bin - 1; j++) {
            const float start = j * per_bin;
            const float end = (j + 1) * per_bin;
            const int left_upper = static_cast<int>(std::ceil(start));
            const float left_scale = left_upper - start;
            const int right_lower = static_cast<int>(std::floor(end));
            const float right_scale = end - right_lower;
            if (left_scale > 0) quant[j] += left_scale * normed[left_upper - 1];
            if (right_scale > 0) quant[j] += right_scale * normed[right_lower];
            for (int k = left_upper; k < right_lower; k++) quant[j] += normed[k];
            quant[j] /= right_lower - left_upper + left_scale + right_scale;
        }
        {
            const float start = t - per_bin;
            const int left_upper = static_cast<int>(std::ceil(start));
            const float left_scale = left_upper - start;
            if (left_scale > 0) quant[target_bin - 1] += left_scale * normed[left_upper - 1];
            for (int k = left_upper; k < t; k++) quant[target_bin - 1] += normed[k];
            quant[target_bin - 1] /= t - left_upper + left_scale;
        }

        // expanded back to t bins
        for (int j = 0; j < t; j++) expand[j] = eps;
        {
            const float end = per_bin;
            const int right_lower = static_cast<int>(std::floor(end));
            const float right_scale = end - right_lower;
            if (right_scale > 0) expand[right_lower] += right_scale * quant[0];
            for (int k = 0; k < right_lower; k++) expand[k] += quant[0];
        }
        for (int j = 1; j < target_bin - 1; j++) {
            const float start = j * per_bin;
            const float end = (j + 1) * per_bin;
            const int left_upper = static_cast<int>(std::ceil(start));
            const float left_scale = left_upper - start;
            const int right_lower = static_cast<int>(std::floor(end));
            const float right_scale = end - right_lower;
            if (left_scale > 0) expand[left_upper - 1] += left_scale * quant[j];
            if (right_scale > 0) expand[right_lower] += right_scale * quant[j];
            for (int k = left_upper; k < right_lower; k++) expand[k] += quant[j];
        }
        {
            const float start = t - per_bin;
            const int left_upper = static_cast<int>(std::ceil(start));
            const float left_scale = left_upper - start;
            if (left_scale > 0) expand[left_upper - 1] += left_scale * quant[target_bin - 1];
            for (int k = left_upper; k < t; k++) expand[k] += quant[target_bin - 1];
        }

        float kl = 0.f;
        for (int i = 0; i < t; i++) kl += clip[i] * std::log(clip[i] / expand[i]);
        if (kl < best_kl) {
            best_kl = kl;
            best = t;
        }
    }
    return best;
}

double clipped_share(const BlobStats& s, float threshold)
{
    if (s.values == 0 || s.magnitude.empty() || !(threshold >= 0.f)) return 0.0;
    if (std::isinf(threshold)) return 0.0;
    const uint32_t tb = magnitude_bin(threshold);
    uint64_t above = 0;
    for (uint32_t i = tb + 1; i < static_cast<uint32_t>(kMagnitudeBins); i++) above += s.magnitude[i];
    return static_cast<double>(above) / static_cast<double>(s.values);
}

} // namespace ncnn_int8
