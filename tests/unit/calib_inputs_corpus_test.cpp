// Input preparation and statistics against the reference without the
// engine: the first Convolution of both image cases reads the Input blob
// itself, so decoding (stb_image), resizing (fixed-point bilinear, aspect
// rule), mean/norm, absmax, the KL search and aciq must reproduce the
// reference's logged max and threshold and its table line for that layer.
#include <gtest/gtest.h>

#include <cstdio>

#include "calib/activation_stats.h"
#include "calib/calibrate.h"
#include "calib/kl_search.h"
#include "calib/list_file.h"
#include "calib/weight_scales.h"
#include "calib_test_util.h"

namespace ncnn_int8 {
namespace {

using namespace test;

// "conv1 : max = 2.639999 threshold = 2.627753 scale = 48.330261" -> the three numbers as printed
std::vector<std::string> logged_numbers(const std::string& log, const std::string& layer)
{
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(layer + " ", 0) != 0 || line.find("max =") == std::string::npos) continue;
        std::vector<std::string> out;
        std::istringstream words(line);
        for (std::string w, prev; words >> w; prev = w)
            if (prev == "=") out.push_back(w);
        return out;
    }
    return {};
}

std::string f6(float v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%f", static_cast<double>(v));
    return buf;
}

class CalibImageInputs : public ::testing::TestWithParam<std::string> {};

TEST_P(CalibImageInputs, FirstLayerStatisticsMatchTheReference)
{
    REQUIRE_CALIBRATION_CORPUS();
    const fs::path dir = calibration_cases_dir() / GetParam();
    auto options = parse_calib_options(case_args(dir));
    ASSERT_TRUE(options.is_ok()) << options.status().message();
    auto paths = parse_list_text(slurp(dir / "list.txt"), "list.txt");
    ASSERT_TRUE(paths.is_ok());
    CalibrationJob job;
    job.options = options.value();
    job.list_names = {"list.txt"};
    job.lists = {paths.value()};
    job.read_input = [dir](const std::string& path) -> Result<std::vector<uint8_t>> {
        const std::string bytes = slurp(dir / path);
        return std::vector<uint8_t>(bytes.begin(), bytes.end());
    };
    std::vector<InputTensor> samples;
    for (size_t i = 0; i < job.lists[0].size(); i++) {
        auto s = load_sample(job, i);
        ASSERT_TRUE(s.is_ok()) << s.status().message();
        samples.push_back(std::move(s.value()[0]));
    }
    auto view = [](const InputTensor& t) { return BlobView{t.dims, t.w, t.h, t.d, t.c, t.data.data()}; };
    BlobStats stats;
    for (size_t i = 0; i < samples.size(); i++) add_absmax(stats, view(samples[i]), static_cast<long>(i));
    for (const InputTensor& t : samples) add_histogram(stats, view(t), stats.absmax);

    const float kl_threshold = (kl_threshold_bin(stats.histogram) + 0.5f) * stats.absmax / kHistogramBins;
    const float aciq = aciq_threshold(stats.absmax, stats.last_count, 8);
    const auto kl_log = logged_numbers(slurp(dir / "expected" / "kl.log"), "conv1");
    const auto aciq_log = logged_numbers(slurp(dir / "expected" / "aciq.log"), "conv1");
    ASSERT_EQ(kl_log.size(), 3u);
    ASSERT_EQ(aciq_log.size(), 3u);
    EXPECT_EQ(f6(stats.absmax), kl_log[0]);
    EXPECT_EQ(f6(kl_threshold), kl_log[1]);
    EXPECT_EQ(f6(127 / kl_threshold), kl_log[2]);
    EXPECT_EQ(f6(aciq), aciq_log[1]);
    EXPECT_EQ(f6(127 / aciq), aciq_log[2]);
    EXPECT_EQ(table_lines(slurp(dir / "expected" / "kl.table"))["conv1"], f6(127 / kl_threshold) + " ");
    EXPECT_EQ(table_lines(slurp(dir / "expected" / "aciq.table"))["conv1"], f6(127 / aciq) + " ");
}

INSTANTIATE_TEST_SUITE_P(Cases, CalibImageInputs, ::testing::Values("mobilenet_v2_he", "squeezenet_he"));

} // namespace
} // namespace ncnn_int8
