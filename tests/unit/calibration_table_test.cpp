// The calibration table reader (quant/calibration_table.h).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "quant/calibration_table.h"
#include "test_util.h"

namespace ncnn_int8 {
namespace {

using test::contains;

struct Read {
    bool ok = false;
    std::string error;
    CalibrationTable table;
    Diagnostics diag;

    bool warned(const std::string& text) const
    {
        for (const Warning& w : diag.warnings())
            if (contains(w.where + " " + w.message, text)) return true;
        return false;
    }
};

Read read(const std::string& text)
{
    Read r;
    Result<CalibrationTable> t = read_calibration_table(text, "m.table", r.diag);
    r.ok = t.is_ok();
    if (r.ok)
        r.table = std::move(t).value();
    else
        r.error = t.status().message();
    return r;
}

TEST(CalibrationTable, Ncnn2TableFormat)
{
    const Read r = read("conv1_param_0 127.000000 63.500000 12.250000 \n"
                        "fc_param_0 10.000000\n"
                        "conv1 52.123001\n"
                        "fc 3.000000\n");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(r.diag.warnings().empty());
    ASSERT_EQ(r.table.weight_scales.size(), 2u);
    ASSERT_EQ(r.table.input_scales.size(), 2u);
    const ScaleEntry* w = r.table.weight_scale("conv1", 0);
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->values, (std::vector<float>{127.f, 63.5f, 12.25f}));
    EXPECT_EQ(w->line, 1);
    EXPECT_EQ(r.table.weight_scale("conv1", 1), nullptr);
    const ScaleEntry* in = r.table.input_scale("conv1");
    ASSERT_NE(in, nullptr);
    EXPECT_EQ(in->values, (std::vector<float>{52.123001f}));
    EXPECT_EQ(in->line, 3);
    EXPECT_EQ(r.table.where(*in), "m.table:3");
    EXPECT_EQ(r.table.input_scale("conv1_param_0"), nullptr);
    EXPECT_EQ(r.table.input_scale("nope"), nullptr);
}

TEST(CalibrationTable, WeightKeysContainParam)
{
    // any key containing _param_ is a weight key, even in the middle
    const Read r = read("lstm_param_1 1 2\nmy_param_layer 5\nplain 1\n");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_NE(r.table.weight_scale("lstm", 1), nullptr);
    EXPECT_EQ(r.table.weight_scales.count("my_param_layer"), 1u);
    EXPECT_EQ(r.table.input_scales.count("plain"), 1u);
    EXPECT_EQ(r.table.input_scales.count("my_param_layer"), 0u);
}

TEST(CalibrationTable, CrlfAndTabs)
{
    const Read r = read("conv_param_0\t1.5\t2.5\r\nconv \t 4.0\r\n");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.table.weight_scale("conv", 0)->values, (std::vector<float>{1.5f, 2.5f}));
    EXPECT_EQ(r.table.input_scale("conv")->values, (std::vector<float>{4.f}));
}

TEST(CalibrationTable, StopsAtFirstEmptyLineWithWarning)
{
    const Read r = read("a 1\n\nb 2\n");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_NE(r.table.input_scale("a"), nullptr);
    EXPECT_EQ(r.table.input_scale("b"), nullptr);
    EXPECT_TRUE(r.warned("m.table:2"));
    EXPECT_TRUE(r.warned("ignored"));
    // whitespace-only lines are empty too (also with CR)
    const Read crlf = read("a 1\r\n  \r\nb 2\r\n");
    EXPECT_EQ(crlf.table.input_scale("b"), nullptr);
    EXPECT_EQ(crlf.diag.warnings().size(), 1u);
    // an empty first line: nothing is read
    const Read first = read("\na 1\n");
    ASSERT_TRUE(first.ok);
    EXPECT_TRUE(first.table.input_scales.empty());
    EXPECT_EQ(first.diag.warnings().size(), 1u);
    // an entry after an empty line is not checked
    const Read bad_after = read("a 1\n\nb x\n");
    EXPECT_TRUE(bad_after.ok) << bad_after.error;
}

// Only blank lines after the first empty line: nothing is ignored, so no warning.
TEST(CalibrationTable, TrailingBlankLinesDoNotWarn)
{
    const Read one = read("a 1\n\n");
    ASSERT_TRUE(one.ok);
    EXPECT_TRUE(one.diag.warnings().empty());
    const Read spaces = read("a 1\n\n   \t");
    ASSERT_TRUE(spaces.ok);
    EXPECT_TRUE(spaces.diag.warnings().empty());
    const Read two = read("a 1\n\n\n");
    ASSERT_TRUE(two.ok);
    EXPECT_TRUE(two.diag.warnings().empty()) << "spurious warning for a table ending in blank lines";
    const Read crlf = read("a 1\r\n\r\n\r\n");
    ASSERT_TRUE(crlf.ok);
    EXPECT_TRUE(crlf.diag.warnings().empty()) << "spurious warning for a CRLF table ending in blank lines";
}

TEST(CalibrationTable, NonNumericValuesAreErrors)
{
    Read r = read("a 1\nb 1.0 x2\n");
    ASSERT_FALSE(r.ok);
    EXPECT_TRUE(contains(r.error, "m.table:2")) << r.error;
    EXPECT_TRUE(contains(r.error, "x2")) << r.error;
    r = read("a 1.5.5\n");
    ASSERT_FALSE(r.ok);
    EXPECT_TRUE(contains(r.error, "m.table:1")) << r.error;
    r = read("a\n");
    ASSERT_FALSE(r.ok);
    EXPECT_TRUE(contains(r.error, "no values")) << r.error;
    r = read(std::string("a 1\0", 4));
    EXPECT_FALSE(r.ok);
}

TEST(CalibrationTable, SpecialNumbersParse)
{
    // nan / inf / negatives are numbers here; the planner rejects them later
    const Read r = read("a nan\nb inf\nc -1.0\nd 1e3\n");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(std::isnan(r.table.input_scale("a")->values[0]));
    EXPECT_TRUE(std::isinf(r.table.input_scale("b")->values[0]));
    EXPECT_EQ(r.table.input_scale("c")->values[0], -1.f);
    EXPECT_EQ(r.table.input_scale("d")->values[0], 1000.f);
}

TEST(CalibrationTable, DuplicateKeysWarnAndLastWins)
{
    const Read r = read("a 1\nw_param_0 1 2\na 2\nw_param_0 3 4\n");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.table.input_scale("a")->values, (std::vector<float>{2.f}));
    EXPECT_EQ(r.table.input_scale("a")->line, 3);
    EXPECT_EQ(r.table.weight_scale("w", 0)->values, (std::vector<float>{3.f, 4.f}));
    EXPECT_EQ(r.diag.warnings().size(), 2u);
    EXPECT_TRUE(r.warned("m.table:3"));
    EXPECT_TRUE(r.warned("first on line 1"));
}

TEST(CalibrationTable, EmptyTable)
{
    const Read r = read("");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(r.table.input_scales.empty());
    EXPECT_TRUE(r.table.weight_scales.empty());
}

} // namespace
} // namespace ncnn_int8
