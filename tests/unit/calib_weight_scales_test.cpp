// Weight-scale lines against the reference's tables in the calibration
// corpus (byte for byte), and the fixed lines of Embed / MultiHeadAttention /
// RNN / LSTM / GRU on small generated models.
#include <gtest/gtest.h>

#include <cmath>

#include "calib/table_writer.h"
#include "calib/weight_scales.h"
#include "calib_test_util.h"
#include "model/bin_reader.h"
#include "test_util.h"

namespace ncnn_int8 {
namespace {

using namespace test;

class CalibWeightCorpus : public ::testing::TestWithParam<std::string> {};

std::string weight_text(LoadedModel& m, CalibMethod method)
{
    auto index = index_bin(m.model, *m.bin, m.bin_name);
    EXPECT_TRUE(index.is_ok()) << index.status().message();
    if (!index.is_ok()) return "";
    auto w = compute_weight_scales(m.model, index.value(), *m.bin, m.bin_name, method, true);
    EXPECT_TRUE(w.is_ok()) << w.status().message();
    if (!w.is_ok()) return "";
    Diagnostics diag;
    return write_table(m.model, w.value().conv, {}, w.value().fixed, false, diag);
}

TEST_P(CalibWeightCorpus, WeightLinesIdenticalToReference)
{
    REQUIRE_CALIBRATION_CORPUS();
    const fs::path dir = calibration_cases_dir() / GetParam();
    auto m = load_case_model(dir);
    ASSERT_TRUE(m);
    for (CalibMethod method : {CalibMethod::Kl, CalibMethod::Aciq}) {
        SCOPED_TRACE(method_name(method));
        const auto expected = table_lines(slurp(dir / "expected" / (std::string(method_name(method)) + ".table")));
        const auto ours = table_lines(weight_text(*m, method));
        size_t weight_keys = 0;
        for (const auto& [key, text] : expected) {
            if (!is_weight_key(key)) continue;
            weight_keys++;
            auto it = ours.find(key);
            ASSERT_NE(it, ours.end()) << "missing " << key;
            EXPECT_EQ(it->second, text) << key;
        }
        EXPECT_EQ(weight_keys, ours.size()) << "extra weight lines";
        EXPECT_GT(weight_keys, 0u);
    }
}

INSTANTIATE_TEST_SUITE_P(Cases, CalibWeightCorpus, ::testing::ValuesIn(calibration_case_names()));

// --- small generated models -------------------------------------------------

struct Built {
    Model model;
    std::vector<uint8_t> bin;
};

Built build(const std::string& param, std::vector<uint8_t> bin)
{
    Built b;
    auto file = read_param_text(param, "t.param");
    EXPECT_TRUE(file.is_ok()) << file.status().message();
    Diagnostics diag;
    auto model = build_model(std::move(file).value(), diag);
    EXPECT_TRUE(model.is_ok()) << model.status().message();
    b.model = std::move(model).value();
    b.bin = std::move(bin);
    return b;
}

Result<WeightScales> scales(Built& b, CalibMethod method, bool with_activations)
{
    MemorySource src(b.bin.data(), b.bin.size());
    auto index = index_bin(b.model, src, "t.bin");
    if (!index.is_ok()) return index.status();
    return compute_weight_scales(b.model, index.value(), src, "t.bin", method, with_activations);
}

std::vector<float> ramp(size_t n, float step, float sign_every = 3)
{
    std::vector<float> v(n);
    for (size_t i = 0; i < n; i++) v[i] = (static_cast<float>(i) + 1) * step * (std::fmod(static_cast<float>(i), sign_every) == 0 ? -1.f : 1.f);
    return v;
}

TEST(CalibWeightScales, ConvolutionSixBitRuleAndZeroChannel)
{
    // conv3 is 3x3 s1 d1 (31/absmax); conv5 5x5 and conv3s2 stride 2 keep 127.
    const std::string param =
        "7767517\n4 4\n"
        "Input in 0 1 data 0=8 1=8 2=2\n"
        "Convolution conv3 1 1 data a 0=2 1=3 4=1 6=36\n"
        "Convolution conv3s2 1 1 a b 0=2 1=3 3=2 6=36\n"
        "Convolution conv5 1 1 b c 0=1 1=5 6=50\n";
    std::vector<float> w3 = ramp(36, 0.01f);
    for (size_t i = 18; i < 36; i++) w3[i] = 0.f; // channel 1 all zero: 31/0 = inf
    BinBuilder bb;
    bb.fp32(w3).fp32(ramp(36, 0.02f)).fp32(ramp(50, 0.001f));
    Built b = build(param, bb.bytes);
    auto kl = scales(b, CalibMethod::Kl, true);
    ASSERT_TRUE(kl.is_ok()) << kl.status().message();
    ASSERT_EQ(kl.value().conv.size(), 3u);
    EXPECT_FLOAT_EQ(kl.value().conv[0].values[0], 31 / 0.18f);
    EXPECT_TRUE(std::isinf(kl.value().conv[0].values[1]));
    EXPECT_FLOAT_EQ(kl.value().conv[1].values[0], 127 / 0.36f);
    EXPECT_FLOAT_EQ(kl.value().conv[2].values[0], 127 / 0.05f);
    Diagnostics diag;
    const std::string text = write_table(b.model, kl.value().conv, {}, kl.value().fixed, false, diag);
    EXPECT_TRUE(contains(text, "conv3_param_0 172.222229 inf \n")) << text;

    auto aciq = scales(b, CalibMethod::Aciq, true);
    ASSERT_TRUE(aciq.is_ok());
    EXPECT_FLOAT_EQ(aciq.value().conv[0].values[0], 31 / aciq_threshold(0.18f, 18, 6));
    EXPECT_FLOAT_EQ(aciq.value().conv[2].values[0], 127 / aciq_threshold(0.05f, 50, 8));

    // without lists the conv lines are not written
    auto weight_only = scales(b, CalibMethod::Kl, false);
    ASSERT_TRUE(weight_only.is_ok());
    EXPECT_TRUE(weight_only.value().conv.empty());
}

TEST(CalibWeightScales, AciqThresholdFormula)
{
    // alpha_8 * absmax * 2 * 0.175 * (1 + sqrt(pi ln 4)) / sqrt(2 ln N)
    const double c = 0.175 * (1 + std::sqrt(3.14159265358979323846 * std::log(4.0)));
    EXPECT_FLOAT_EQ(aciq_threshold(2.f, 1000, 8), static_cast<float>(3.92403714f * (2.0 * 2 * c / std::sqrt(2 * std::log(1000.0)))));
    EXPECT_FLOAT_EQ(aciq_threshold(2.f, 1000, 6), static_cast<float>(3.28691474f * (2.0 * 2 * c / std::sqrt(2 * std::log(1000.0)))));
}

TEST(CalibWeightScales, FixedLinesForEmbedAttentionAndRecurrent)
{
    const std::string param =
        "7767517\n6 6\n"
        "Input in 0 1 data\n"
        "Embed emb 1 1 data e 0=2 1=3 3=6\n"
        "MultiHeadAttention mha 1 1 e m 0=2 1=1 2=4\n"
        "RNN rnn 1 1 m r 0=2 1=8 2=2\n"
        "LSTM lstm 1 1 r l 0=1 1=16 3=2\n"
        "GRU gru 1 1 l g 0=1 1=6\n";
    BinBuilder bb;
    bb.fp32({0.f, 0.f, 0.f, 0.f, 0.f, 0.f});                                  // embed: all zero -> 1
    bb.fp32({1, -2, 3, 4}).raw({0, 0}).fp32({-8, 1, 1, 2}).raw({0, 0});       // q, k
    bb.fp32({0.5f, 0.25f, 0, 0}).raw({0, 0}).fp32({1, 2, 3, -4}).raw({0, 0}); // v (row 1 zero -> 1), out
    // RNN: num_output 2, bidirectional, input size 2: xc 2x2x2, bias 2x2, hc 2x2x2
    bb.fp32({1, 2, 3, 4, 5, 6, 7, 8}).fp32({0, 0, 0, 0}).fp32({-1, 0, 0, 2, 4, 0, 0, 8});
    // LSTM: num_output 1, hidden 2, input size 2: xc (2 in x 8 rows), bias 8, hc (1 x 8 rows), hr (2 x 1)
    bb.fp32(ramp(16, 0.5f)).fp32(std::vector<float>(8, 0.f)).fp32(ramp(8, 0.25f)).fp32({1, 1});
    // GRU: num_output 1, input size 2: xc (2 x 3 rows), bias 4, hc (1 x 3 rows)
    bb.fp32(ramp(6, 1.f)).fp32({0, 0, 0, 0}).fp32({2, -4, 8});
    Built b = build(param, bb.bytes);
    auto s = scales(b, CalibMethod::Kl, false);
    ASSERT_TRUE(s.is_ok()) << s.status().message();
    Diagnostics diag;
    const std::string text = write_table(b.model, {}, {}, s.value().fixed, false, diag);
    EXPECT_EQ(text,
              "emb_param_0 1.000000 \n"
              "mha_param_0 63.500000 31.750000 \n"
              "mha_param_1 15.875000 63.500000 \n"
              "mha_param_2 254.000000 1.000000 \n"
              "mha_param_3 31.750000 \n"
              "rnn_param_0 63.500000 31.750000 21.166666 15.875000 \n"
              "rnn_param_1 127.000000 63.500000 31.750000 15.875000 \n"
              "lstm_param_0 127.000000 63.500000 42.333332 31.750000 25.400000 21.166666 18.142857 15.875000 \n"
              "lstm_param_1 508.000000 254.000000 169.333328 127.000000 101.599998 84.666664 72.571426 63.500000 \n"
              "gru_param_0 63.500000 31.750000 21.166666 \n"
              "gru_param_1 63.500000 31.750000 15.875000 \n");
}

TEST(CalibWeightScales, TinyScaleWarnsAndFullPrecisionKeepsIt)
{
    Built b = build("7767517\n2 2\nInput in 0 1 data\nInnerProduct fc 1 1 data out 0=1 2=2\n", BinBuilder().fp32({1e10f, -2e9f}).bytes);
    auto s = scales(b, CalibMethod::Kl, true);
    ASSERT_TRUE(s.is_ok());
    Diagnostics diag;
    EXPECT_EQ(write_table(b.model, s.value().conv, {}, {}, false, diag), "fc_param_0 0.000000 \n");
    ASSERT_EQ(diag.warnings().size(), 1u);
    EXPECT_TRUE(contains(diag.warnings()[0].layer, "InnerProduct 'fc'"));
    Diagnostics diag2;
    EXPECT_EQ(write_table(b.model, s.value().conv, {}, {}, true, diag2), "fc_param_0 1.27000002e-08 \n");
    EXPECT_TRUE(diag2.warnings().empty());
}

TEST(CalibWeightScales, DynamicWeightsAreRefused)
{
    Built b = build("7767517\n3 3\nInput in 0 1 data\nInput w 0 1 wt\nConvolution c 2 1 data wt out 0=2 1=3 6=36 19=1\n", {});
    auto s = scales(b, CalibMethod::Kl, true);
    ASSERT_FALSE(s.is_ok());
    EXPECT_TRUE(contains(s.status().message(), "Convolution 'c'")) << s.status().message();
}

} // namespace
} // namespace ncnn_int8
