// The CLI's warning summary: one line per kind of warning, with the count and
// the first few places; single warnings print as they always did.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/warning_summary.h"

namespace ncnn_int8 {
namespace {

const char kZero[] = "input scale is 0";

std::vector<Warning> zero_scales(int n)
{
    std::vector<Warning> ws;
    for (int i = 0; i < n; i++)
        ws.push_back({"model.table:" + std::to_string(60 + i), "Convolution 'conv" + std::to_string(i) + "'", kZero});
    return ws;
}

size_t lines(const std::string& s)
{
    size_t n = 0;
    for (char c : s) n += c == '\n';
    return n;
}

TEST(WarningSummary, EmptyPrintsNothing)
{
    EXPECT_EQ(warning_summary({}), "");
}

TEST(WarningSummary, SingleWarningKeepsWhereLayerAndMessage)
{
    EXPECT_EQ(warning_summary({{"model.param:9", "ReLU 'relu1'", "param 9 is not read"}}),
              "warning: model.param:9: ReLU 'relu1': param 9 is not read\n");
    EXPECT_EQ(warning_summary({{"model.table", "", "the table is empty"}}), "warning: model.table: the table is empty\n");
}

TEST(WarningSummary, ThirtyOfOneKindAreOneLineWithCountAndFirstLayers)
{
    const std::string out = warning_summary(zero_scales(30));
    EXPECT_EQ(lines(out), 1u) << out;
    EXPECT_EQ(out,
              "warning: input scale is 0 (30 times: Convolution 'conv0' at model.table:60, Convolution 'conv1' at model.table:61, "
              "Convolution 'conv2' at model.table:62 and 27 more)\n");
}

TEST(WarningSummary, KindsKeepTheOrderTheyFirstAppearIn)
{
    std::vector<Warning> ws = zero_scales(2);
    ws.insert(ws.begin() + 1, Warning{"model.param:3", "", "other"});
    const std::string out = warning_summary(ws, 5);
    EXPECT_EQ(out,
              "warning: input scale is 0 (2 times: Convolution 'conv0' at model.table:60, Convolution 'conv1' at model.table:61)\n"
              "warning: model.param:3: other\n");
}

TEST(WarningSummary, CliSummaryPrintsGroupsThenTotalsOnce)
{
    Report r;
    r.simd_target = "AVX2";
    r.warnings = zero_scales(4);
    r.bin_bytes_in = 4000;
    r.bin_bytes_out = 1000;
    const std::string out = cli_summary(r);
    EXPECT_EQ(out.find("warning: input scale is 0 (4 times"), 0u) << out;
    EXPECT_EQ(out.find(kZero, out.find('\n')), std::string::npos) << "each warning printed once: " << out;
    EXPECT_NE(out.find("weights: "), std::string::npos) << out;
    EXPECT_EQ(r.warnings.size(), 4u) << "the report itself keeps every warning";
}

} // namespace
} // namespace ncnn_int8
