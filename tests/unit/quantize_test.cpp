// quantize_model end to end on small in-memory models: the ten quantizing
// families, requantize fusion, table checks, fp16 storage, commit-on-success.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "kernels/scalar_reference.h"
#include "model/bin_reader.h"
#include "ncnn_int8.h"
#include "quant/report.h"
#include "test_util.h"

namespace ncnn_int8 {
namespace {

using test::BinBuilder;
using test::BinCursor;
using test::contains;
using test::expected_fp16;
using test::expected_row;
using test::run_quantize;
using test::RunResult;

// A .param with the header counted as ncnn's loader counts blobs.
std::string model(const std::vector<std::string>& lines)
{
    std::set<std::string> known;
    size_t blobs = 0;
    for (const std::string& line : lines) {
        std::vector<std::string> tok;
        size_t i = 0;
        while (i < line.size()) {
            while (i < line.size() && line[i] == ' ') i++;
            const size_t s = i;
            while (i < line.size() && line[i] != ' ') i++;
            if (i > s) tok.push_back(line.substr(s, i - s));
        }
        const size_t nb = std::stoul(tok[2]), nt = std::stoul(tok[3]);
        for (size_t k = 0; k < nb; k++)
            if (known.insert(tok[4 + k]).second) blobs++;
        for (size_t k = 0; k < nt; k++) {
            known.insert(tok[4 + nb + k]);
            blobs++;
        }
    }
    std::string text = "7767517\n" + std::to_string(lines.size()) + " " + std::to_string(blobs) + "\n";
    for (const std::string& l : lines) text += l + "\n";
    return text;
}

std::vector<float> values(size_t n, uint32_t seed, float lo = -1.f, float hi = 1.f)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> d(lo, hi);
    std::vector<float> v(n);
    for (float& x : v) x = d(rng);
    return v;
}

std::string pad24(const std::string& s) { return s.size() >= 24 ? s : s + std::string(24 - s.size(), ' '); }

std::vector<int8_t> rows(const std::vector<float>& x, const std::vector<float>& scales)
{
    const size_t len = x.size() / scales.size();
    std::vector<int8_t> q;
    for (size_t r = 0; r < scales.size(); r++) {
        const std::vector<int8_t> part = expected_row(x.data() + r * len, len, scales[r]);
        q.insert(q.end(), part.begin(), part.end());
    }
    return q;
}

void expect_ok(const RunResult& r)
{
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.param_commits, 1);
    EXPECT_EQ(r.bin_commits, 1);
}

void expect_error(const RunResult& r, const std::vector<std::string>& parts)
{
    ASSERT_FALSE(r.ok) << "expected an error; output param:\n"
                       << r.param;
    for (const std::string& p : parts) EXPECT_TRUE(contains(r.error, p)) << "'" << p << "' not in: " << r.error;
    EXPECT_EQ(r.param_commits, 0) << "nothing may be committed on error";
    EXPECT_EQ(r.bin_commits, 0) << "nothing may be committed on error";
}

// --- Convolution ----------------------------------------------------------------

TEST(QuantizeConvolution, PerOutputChannelInt8AndScales)
{
    const std::string param = model({"Input in 0 1 data 0=3 1=3 2=2", "Convolution conv 1 1 data out 0=3 1=1 11=3 5=1 6=18"});
    // rows of 6: 4 values with the vector rule, 2 with round()
    std::vector<float> w = {0.49999997f, 1.4999999f, -2.5f, 0.3f, 0.49999997f, -0.49999997f};
    const std::vector<float> more = values(12, 1, -40.f, 40.f);
    w.insert(w.end(), more.begin(), more.end());
    w[6] = 0.25f;  // x 2 = 0.5: a tie
    w[11] = 0.75f; // tail tie: 1.5 -> 2
    const std::vector<float> bias = {0.1f, 1e-31f, -0.2f};
    BinBuilder b;
    b.fp32(w).raw(bias);
    const RunResult r = run_quantize(param, b.bytes, "conv_param_0 1.000000 2.000000 4.000000\nconv 5.500000\n");
    expect_ok(r);
    EXPECT_TRUE(contains(r.param, "7767517\n2 2\n")) << r.param;
    EXPECT_EQ(r.line_of("conv"), pad24("Convolution") + " " + pad24("conv") + " 1 1 data out 0=3 1=1 11=3 5=1 6=18 8=2");
    BinCursor c(r.bin);
    const std::vector<int8_t> q = c.int8(18);
    EXPECT_EQ(q, rows(w, {1.f, 2.f, 4.f}));
    EXPECT_EQ(std::vector<int8_t>(q.begin(), q.begin() + 6), (std::vector<int8_t>{1, 1, -3, 0, 0, 0}));
    EXPECT_EQ(q[6], 1);
    EXPECT_EQ(q[11], 2);
    const std::vector<float> out_bias = c.raw(3);
    EXPECT_EQ(out_bias[0], 0.1f);
    EXPECT_EQ(scalar::bits_of(out_bias[1]), 0u); // flushed
    EXPECT_EQ(out_bias[2], -0.2f);
    EXPECT_EQ(c.raw(3), (std::vector<float>{1.f, 2.f, 4.f})); // weight scales
    EXPECT_EQ(c.raw(1), (std::vector<float>{5.5f}));          // bottom scale
    EXPECT_TRUE(c.at_end());
    ASSERT_EQ(r.report.layers.size(), 2u);
    EXPECT_EQ(r.report.layers[1].action, "int8");
    EXPECT_EQ(r.report.int8_layers, 1);
    EXPECT_EQ(r.report.bin_bytes_out, r.bin.size());
}

TEST(QuantizeConvolution, DepthWisePerGroupRows)
{
    const std::string param = model({"Input in 0 1 data", "ConvolutionDepthWise dw 1 1 data out 0=4 1=3 6=36 7=4"});
    std::vector<float> w = values(36, 2, -3.f, 3.f);
    w[7] = 0.49999997f; // group 0 (9 values): first 8 by the vector rule
    w[8] = 0.49999997f; // group 0: the 9th by the tail rule
    BinBuilder b;
    b.fp32(w);
    const std::vector<float> scales = {1.f, 10.f, 20.f, 40.f};
    const RunResult r = run_quantize(param, b.bytes, "dw_param_0 1.0 10.0 20.0 40.0\ndw 7.0\n");
    expect_ok(r);
    EXPECT_EQ(r.params_of("dw"), " 0=4 1=3 6=36 7=4 8=1");
    BinCursor c(r.bin);
    const std::vector<int8_t> q = c.int8(36);
    for (size_t g = 0; g < 4; g++) {
        const std::vector<int8_t> want = expected_row(w.data() + g * 9, 9, scales[g]);
        EXPECT_EQ(std::vector<int8_t>(q.begin() + g * 9, q.begin() + g * 9 + 9), want) << "group " << g;
    }
    EXPECT_EQ(q[7], 1);
    EXPECT_EQ(q[8], 0);
    EXPECT_EQ(c.raw(4), scales);
    EXPECT_EQ(c.raw(1), (std::vector<float>{7.f}));
    EXPECT_TRUE(c.at_end());
}

TEST(QuantizeInnerProduct, RowsAndScales)
{
    const std::string param = model({"Input in 0 1 data", "InnerProduct ip 1 1 data out 0=2 1=1 2=10"});
    const std::vector<float> w = values(10, 3, -2.f, 2.f);
    BinBuilder b;
    b.fp32(w).raw({1.f, -1.f});
    const RunResult r = run_quantize(param, b.bytes, "ip_param_0 50.0 60.0\nip 9.0\n");
    expect_ok(r);
    EXPECT_EQ(r.params_of("ip"), " 0=2 1=1 2=10 8=2");
    BinCursor c(r.bin);
    EXPECT_EQ(c.int8(10), rows(w, {50.f, 60.f}));
    EXPECT_EQ(c.raw(2), (std::vector<float>{1.f, -1.f}));
    EXPECT_EQ(c.raw(2), (std::vector<float>{50.f, 60.f}));
    EXPECT_EQ(c.raw(1), (std::vector<float>{9.f}));
    EXPECT_TRUE(c.at_end());
}

// --- recurrent -----------------------------------------------------------------

std::string scale_line(const std::string& key, size_t n, float base)
{
    std::string s = key;
    for (size_t i = 0; i < n; i++) s += " " + std::to_string(base + static_cast<float>(i));
    return s + "\n";
}

std::vector<float> scale_values(size_t n, float base)
{
    std::vector<float> v;
    for (size_t i = 0; i < n; i++) v.push_back(std::stof(std::to_string(base + static_cast<float>(i))));
    return v;
}

TEST(QuantizeRecurrent, RnnLstmGruRowsAndScales)
{
    const std::string param = model({
        "Input in 0 1 data",
        "RNN rnn 1 1 data r 0=2 1=6",
        "LSTM lstm 1 1 r l 0=2 1=24 3=2",
        "LSTM lstmp 1 1 l lp 0=2 1=24 3=3",
        "GRU gru 1 1 lp g 0=2 1=24 2=2",
    });
    struct Layer {
        const char* name;
        size_t xc, bias, hc, hr, rows;
    };
    const Layer layers[] = {
        {"rnn", 6, 2, 4, 0, 2},       // input 3: xc 3x2, hc 2x2
        {"lstm", 24, 8, 16, 0, 8},    // input 3: 8 rows of 3, hc 8 rows of 2
        {"lstmp", 24, 12, 24, 6, 12}, // hidden 3, proj 2: input 2
        {"gru", 24, 16, 24, 0, 12},   // bidirectional: 2 x 3 gates x 2 units, bias 4 rows per direction
    };
    BinBuilder b;
    std::string table;
    std::vector<std::vector<float>> xc, bias, hc, hr;
    uint32_t seed = 10;
    for (const Layer& l : layers) {
        xc.push_back(values(l.xc, seed++));
        bias.push_back(values(l.bias, seed++));
        hc.push_back(values(l.hc, seed++));
        hr.push_back(values(l.hr, seed++));
        b.fp32(xc.back()).fp32(bias.back()).fp32(hc.back());
        if (l.hr) b.fp32(hr.back());
        table += scale_line(std::string(l.name) + "_param_0", l.rows, 30.f);
        table += scale_line(std::string(l.name) + "_param_1", l.rows, 60.f);
    }
    const RunResult r = run_quantize(param, b.bytes, table);
    expect_ok(r);
    EXPECT_EQ(r.params_of("rnn"), " 0=2 1=6 8=2");
    EXPECT_EQ(r.params_of("lstm"), " 0=2 1=24 3=2 8=2");
    EXPECT_EQ(r.params_of("lstmp"), " 0=2 1=24 3=3 8=2");
    EXPECT_EQ(r.params_of("gru"), " 0=2 1=24 2=2 8=2");
    BinCursor c(r.bin);
    for (size_t i = 0; i < 4; i++) {
        const Layer& l = layers[i];
        SCOPED_TRACE(l.name);
        const std::vector<float> s0 = scale_values(l.rows, 30.f), s1 = scale_values(l.rows, 60.f);
        EXPECT_EQ(c.int8(l.xc), rows(xc[i], s0));
        EXPECT_EQ(c.fp16(l.bias), expected_fp16(bias[i]));
        EXPECT_EQ(c.int8(l.hc), rows(hc[i], s1));
        if (l.hr) {
            EXPECT_EQ(c.fp16(l.hr), expected_fp16(hr[i])) << "LSTM projection stays float (fp16)";
        }
        EXPECT_EQ(c.raw(l.rows), s0);
        EXPECT_EQ(c.raw(l.rows), s1);
    }
    EXPECT_TRUE(c.at_end());
}

TEST(QuantizeRecurrent, WrongScaleCountIsAnError)
{
    const std::string param = model({"Input in 0 1 data", "LSTM lstm 1 1 data l 0=2 1=24 3=2"});
    BinBuilder b;
    b.fp32(values(24, 1)).fp32(values(8, 2)).fp32(values(16, 3));
    const RunResult r = run_quantize(param, b.bytes, scale_line("lstm_param_0", 7, 1.f) + scale_line("lstm_param_1", 8, 1.f));
    expect_error(r, {"m.table:1", "LSTM 'lstm'", "has 7 values", "needs 8"});
    const RunResult missing = run_quantize(param, b.bytes, scale_line("lstm_param_0", 8, 1.f));
    expect_error(missing, {"LSTM 'lstm'", "lstm_param_1"});
}

TEST(QuantizeRecurrent, NoTableIsAnError)
{
    const std::string param = model({"Input in 0 1 data", "LSTM lstm 1 1 data l 0=2 1=24 3=2"});
    BinBuilder b;
    b.fp32(values(24, 1)).fp32(values(8, 2)).fp32(values(16, 3));
    expect_error(run_quantize(param, b.bytes, std::nullopt), {"LSTM 'lstm'", "calibration table is required"});
    // with a table that does not name it
    expect_error(run_quantize(param, b.bytes, std::string("other 1.0\n")), {"LSTM 'lstm'", "lstm_param_0"});
}

// --- Embed, MultiHeadAttention ---------------------------------------------------------

TEST(QuantizeEmbed, OneScaleWholeTable)
{
    const std::string param = model({"Input in 0 1 data", "Embed emb 1 1 data e 0=4 1=5 3=20"});
    std::vector<float> w = values(20, 4, -1.f, 1.f);
    w[8] = 0.5f / 3.f;
    BinBuilder b;
    b.fp32(w);
    const RunResult r = run_quantize(param, b.bytes, std::string("emb_param_0 3.000000\n"));
    expect_ok(r);
    EXPECT_EQ(r.params_of("emb"), " 0=4 1=5 3=20 18=2");
    BinCursor c(r.bin);
    EXPECT_EQ(c.int8(20), expected_row(w.data(), 20, 3.f));
    EXPECT_EQ(c.raw(1), (std::vector<float>{3.f}));
    EXPECT_TRUE(c.at_end());
}

TEST(QuantizeMultiHeadAttention, QkvRowsAndOutScale)
{
    const std::string param = model({"Input in 0 1 data", "MultiHeadAttention mha 1 1 data m 0=4 1=2 2=16"});
    std::vector<std::vector<float>> w, bias;
    BinBuilder b;
    for (int k = 0; k < 4; k++) {
        w.push_back(values(16, 40 + k, -2.f, 2.f));
        bias.push_back(values(4, 50 + k));
        b.fp32(w.back()).raw(bias.back());
    }
    const std::string table = scale_line("mha_param_0", 4, 10.f) + scale_line("mha_param_1", 4, 20.f) + scale_line("mha_param_2", 4, 30.f) + "mha_param_3 40.0\n";
    const RunResult r = run_quantize(param, b.bytes, table);
    expect_ok(r);
    EXPECT_EQ(r.params_of("mha"), " 0=4 1=2 2=16 3=4 4=4 6=7.071068e-01 18=2");
    BinCursor c(r.bin);
    for (int k = 0; k < 3; k++) {
        EXPECT_EQ(c.int8(16), rows(w[k], scale_values(4, 10.f * (k + 1)))) << "projection " << k;
        EXPECT_EQ(c.raw(4), bias[k]);
    }
    EXPECT_EQ(c.int8(16), expected_row(w[3].data(), 16, 40.f));
    EXPECT_EQ(c.raw(4), bias[3]);
    EXPECT_EQ(c.raw(4), scale_values(4, 10.f));
    EXPECT_EQ(c.raw(4), scale_values(4, 20.f));
    EXPECT_EQ(c.raw(4), scale_values(4, 30.f));
    EXPECT_EQ(c.raw(1), (std::vector<float>{40.f}));
    EXPECT_TRUE(c.at_end());
}

// --- Gemm and SDPA (no table) ------------------------------------------------------------------

float gemm_scale(const float* x, size_t n)
{
    float m = 0.f;
    for (size_t i = 0; i < n; i++) m = std::max(m, std::fabs(x[i]));
    return m == 0.f ? 1.f : 127.f / m;
}

TEST(QuantizeGemm, ConstantATransposedFlipsTransA)
{
    const std::string param = model({"Input in 0 1 data", "Gemm ga 1 1 data o 2=1 4=1 5=0 7=2 8=3 9=5"});
    const size_t M = 2, K = 5;
    const std::vector<float> stored = values(K * M, 5, -3.f, 3.f); // K rows of M
    std::vector<float> a(M * K);
    for (size_t k = 0; k < K; k++)
        for (size_t m = 0; m < M; m++) a[m * K + k] = stored[k * M + m];
    BinBuilder b;
    b.fp32(stored);
    const RunResult r = run_quantize(param, b.bytes, std::nullopt);
    expect_ok(r);
    EXPECT_EQ(r.params_of("ga"), " 4=1 7=2 8=3 9=5 18=2");
    const std::vector<float> s = {gemm_scale(a.data(), K), gemm_scale(a.data() + K, K)};
    BinCursor c(r.bin);
    EXPECT_EQ(c.int8(M * K), rows(a, s));
    EXPECT_EQ(c.raw(2), s);
    EXPECT_TRUE(c.at_end());
}

TEST(QuantizeGemm, ConstantBNotTransposedFlipsTransB)
{
    const std::string param = model({"Input in 0 1 data", "Gemm gb 1 1 data o 3=0 5=1 8=3 9=4"});
    const size_t N = 3, K = 4;
    const std::vector<float> stored = values(K * N, 6, -3.f, 3.f); // K rows of N
    std::vector<float> bt(N * K);
    for (size_t k = 0; k < K; k++)
        for (size_t n = 0; n < N; n++) bt[n * K + k] = stored[k * N + n];
    BinBuilder b;
    b.fp32(stored);
    const RunResult r = run_quantize(param, b.bytes, std::nullopt);
    expect_ok(r);
    EXPECT_EQ(r.params_of("gb"), " 3=1 5=1 8=3 9=4 18=2");
    const float s = gemm_scale(bt.data(), bt.size());
    BinCursor c(r.bin);
    EXPECT_EQ(c.int8(N * K), expected_row(bt.data(), bt.size(), s));
    EXPECT_EQ(c.raw(1), (std::vector<float>{s}));
    EXPECT_TRUE(c.at_end());
}

TEST(QuantizeGemm, TransposedBUsesFirstRowAbsmax)
{
    const std::string param = model({"Input in 0 1 data", "Gemm gc 1 1 data o 3=1 5=1 8=3 9=4"});
    const std::vector<float> bw = {0.5f, -1.f, 0.25f, 0.75f, 2.f, -3.f, 0.1f, 0.2f, 0.3f, 0.4f, -0.5f, 8.f};
    BinBuilder b;
    b.fp32(bw);
    const RunResult r = run_quantize(param, b.bytes, std::nullopt);
    expect_ok(r);
    EXPECT_EQ(r.params_of("gc"), " 3=1 5=1 8=3 9=4 18=2");
    const float s = 127.f; // 127 / absmax of the first row (1.0), not of the whole matrix (8.0)
    BinCursor c(r.bin);
    const std::vector<int8_t> q = c.int8(12);
    EXPECT_EQ(q, rows(bw, {s, s, s}));
    EXPECT_EQ(q[4], 127); // 2 * 127 clamps
    EXPECT_EQ(q[5], -127);
    EXPECT_EQ(c.raw(1), (std::vector<float>{s}));
    EXPECT_TRUE(c.at_end());
}

TEST(QuantizeGemm, AllZeroAndNoConstants)
{
    const std::string param = model({"Input in 0 1 data", "Gemm gz 1 1 data o 3=1 5=1 8=1 9=4", "Gemm gd 2 1 data o p"});
    BinBuilder b;
    b.fp32({0.f, 0.f, 0.f, 0.f});
    const RunResult r = run_quantize(param, b.bytes, std::nullopt);
    expect_ok(r);
    EXPECT_EQ(r.params_of("gd"), " 18=2");
    BinCursor c(r.bin);
    EXPECT_EQ(c.int8(4), (std::vector<int8_t>{0, 0, 0, 0}));
    EXPECT_EQ(c.raw(1), (std::vector<float>{1.f})); // absmax 0: scale 1
    EXPECT_TRUE(c.at_end());
}

TEST(QuantizeSdpa, FlagOnly)
{
    const std::string param = model({"Input in 0 3 q k v", "SDPA sdpa 3 1 q k v out"});
    const RunResult r = run_quantize(param, {}, std::nullopt);
    expect_ok(r);
    EXPECT_EQ(r.params_of("sdpa"), " 18=2");
    EXPECT_TRUE(r.bin.empty());
    const RunResult with_table = run_quantize(param, {}, std::string("x 1.0\n"));
    expect_ok(with_table);
    EXPECT_EQ(with_table.params_of("sdpa"), " 18=2");
}

// --- requantize fusion ---------------------------------------------------------------

TEST(Fusion, ConvIntoConv)
{
    const std::string param = model({"Input in 0 1 data", "Convolution c1 1 1 data a 0=2 1=1 6=4", "Convolution c2 1 1 a b 0=2 1=1 6=4"});
    BinBuilder b;
    const std::vector<float> w1 = values(4, 1), w2 = values(4, 2);
    b.fp32(w1).fp32(w2);
    const RunResult r = run_quantize(param, b.bytes, "c1_param_0 10 20\nc1 2.0\nc2_param_0 30 40\nc2 3.0\n");
    expect_ok(r);
    EXPECT_EQ(r.params_of("c1"), " 0=2 1=1 6=4 8=102");
    EXPECT_EQ(r.params_of("c2"), " 0=2 1=1 6=4 8=2");
    BinCursor c(r.bin);
    EXPECT_EQ(c.int8(4), rows(w1, {10.f, 20.f}));
    EXPECT_EQ(c.raw(2), (std::vector<float>{10.f, 20.f}));
    EXPECT_EQ(c.raw(1), (std::vector<float>{2.f}));
    EXPECT_EQ(c.raw(1), (std::vector<float>{3.f})); // top scale = the consumer's input scale
    EXPECT_EQ(c.int8(4), rows(w2, {30.f, 40.f}));
    EXPECT_EQ(c.raw(2), (std::vector<float>{30.f, 40.f}));
    EXPECT_EQ(c.raw(1), (std::vector<float>{3.f}));
    EXPECT_TRUE(c.at_end());
    EXPECT_EQ(r.report.layers[1].fused_into, "c2");
}

TEST(Fusion, ConvIntoSplitTakesLastConsumerOfFirstOutput)
{
    const std::string param = model({
        "Input in 0 1 data",
        "Convolution c1 1 1 data a 0=2 1=1 6=4",
        "Split sp 1 2 a a0 a1",
        "Convolution c2 1 1 a0 b 0=2 1=1 6=4",
        "Convolution c3 1 1 a1 c 0=2 1=1 6=4",
        "Convolution c4 1 1 a0 d 0=2 1=1 6=4",
    });
    BinBuilder b;
    for (int i = 0; i < 4; i++) b.fp32(values(4, 20 + i));
    const std::string table = "c1_param_0 1 1\nc1 1.5\nc2_param_0 1 1\nc2 2.0\nc3_param_0 1 1\nc3 3.0\nc4_param_0 1 1\nc4 4.0\n";
    const RunResult r = run_quantize(param, b.bytes, table);
    expect_ok(r);
    EXPECT_EQ(r.params_of("c1"), " 0=2 1=1 6=4 8=102");
    EXPECT_EQ(r.params_of("c2"), " 0=2 1=1 6=4 8=2");
    BinCursor c(r.bin);
    c.int8(4);
    c.raw(2);
    EXPECT_EQ(c.raw(1), (std::vector<float>{1.5f}));
    EXPECT_EQ(c.raw(1), (std::vector<float>{4.f})) << "the scale of the last layer reading the Split's first output";
    EXPECT_EQ(r.report.layers[1].fused_into, "sp");
}

TEST(Fusion, NoFusionWhenConsumerStaysFloat)
{
    const std::string param = model({"Input in 0 1 data", "Convolution c1 1 1 data a 0=2 1=1 6=4", "Convolution c2 1 1 a b 0=2 1=1 6=4"});
    BinBuilder b;
    const std::vector<float> w2 = values(4, 2);
    b.fp32(values(4, 1)).fp32(w2);
    const RunResult r = run_quantize(param, b.bytes, std::string("c1_param_0 10 20\nc1 2.0\n"));
    expect_ok(r);
    EXPECT_EQ(r.params_of("c1"), " 0=2 1=1 6=4 8=2");
    EXPECT_EQ(r.params_of("c2"), " 0=2 1=1 6=4");
    BinCursor c(r.bin);
    c.int8(4);
    c.raw(2);
    c.raw(1);
    EXPECT_EQ(c.fp16(4), expected_fp16(w2));
    EXPECT_TRUE(c.at_end());
    EXPECT_EQ(r.report.layers[2].action, "skipped");
}

TEST(Fusion, SplitWithAFloatConsumerDoesNotFuse)
{
    const std::string param = model({
        "Input in 0 1 data",
        "Convolution c1 1 1 data a 0=2 1=1 6=4",
        "Split sp 1 2 a a0 a1",
        "Convolution c2 1 1 a0 b 0=2 1=1 6=4",
        "ReLU r 1 1 a1 c",
    });
    BinBuilder b;
    b.fp32(values(4, 1)).fp32(values(4, 2));
    const RunResult r = run_quantize(param, b.bytes, std::string("c1_param_0 1 1\nc1 1.0\nc2_param_0 1 1\nc2 2.0\n"));
    expect_ok(r);
    EXPECT_EQ(r.params_of("c1"), " 0=2 1=1 6=4 8=2");
}

// --- pre-quantized layers -------------------------------------------------------------------

TEST(PreQuantized, NotInTablePassesThroughUnchanged)
{
    const std::string param = model({"Input in 0 1 data", "Convolution q 1 1 data out 0=2 1=1 5=1 6=4 8=2"});
    BinBuilder b;
    b.int8({1, -2, 3, -4}).raw({0.5f, -0.5f}).raw({10.f, 20.f}).raw({3.f});
    const RunResult r = run_quantize(param, b.bytes, std::string("nothere 1.0\n"));
    expect_ok(r);
    EXPECT_EQ(r.params_of("q"), " 0=2 1=1 5=1 6=4 8=2");
    EXPECT_EQ(r.bin, b.bytes);
    EXPECT_EQ(r.report.layers[1].action, "unchanged");
    EXPECT_TRUE(r.has_warning("'nothere' matches no layer")) << r.warnings_text();
    const RunResult no_table = run_quantize(param, b.bytes, std::nullopt);
    expect_ok(no_table);
    EXPECT_EQ(no_table.bin, b.bytes);
}

TEST(PreQuantized, NamedInTableIsAnError)
{
    const std::string param = model({"Input in 0 1 data", "Convolution q 1 1 data out 0=2 1=1 5=1 6=4 8=2"});
    BinBuilder b;
    b.int8({1, -2, 3, -4}).raw({0.5f, -0.5f}).raw({10.f, 20.f}).raw({3.f});
    expect_error(run_quantize(param, b.bytes, std::string("q_param_0 1 2\nq 1.0\n")), {"Convolution 'q'", "already int8"});
}

TEST(PreQuantized, FloatWeightsWithInt8FlagUseTheStoredScales)
{
    // As ncnn does on load: quantized with the scales stored after the
    // weights; a depthwise layer as one row per group.
    const std::string param = model({
        "Input in 0 1 data",
        "Convolution c 1 1 data a 0=2 1=1 6=10 8=2",
        "ConvolutionDepthWise d 1 1 a b 0=2 1=3 6=18 7=2 8=1",
        "InnerProduct f 1 1 b c 0=3 2=12 8=2",
    });
    const std::vector<float> wc = values(10, 3), wd = values(18, 4), wf = values(12, 5);
    BinBuilder b;
    b.fp32(wc).raw({50.f, 60.f}).raw({2.f});
    b.fp32(wd).raw({70.f, 80.f}).raw({3.f});
    b.fp32(wf).raw({90.f, 95.f, 99.f}).raw({4.f});
    const RunResult r = run_quantize(param, b.bytes, std::nullopt);
    expect_ok(r);
    EXPECT_EQ(r.params_of("c"), " 0=2 1=1 6=10 8=102") << "fused into the int8 depthwise layer";
    EXPECT_EQ(r.params_of("d"), " 0=2 1=3 6=18 7=2 8=1");
    BinCursor c(r.bin);
    EXPECT_EQ(c.int8(10), rows(wc, {50.f, 60.f}));
    EXPECT_EQ(c.raw(2), (std::vector<float>{50.f, 60.f}));
    EXPECT_EQ(c.raw(1), (std::vector<float>{2.f}));
    EXPECT_EQ(c.raw(1), (std::vector<float>{3.f})) << "top scale read from the consumer's stored input scale";
    EXPECT_EQ(c.int8(18), rows(wd, {70.f, 80.f}));
    EXPECT_EQ(c.raw(2), (std::vector<float>{70.f, 80.f}));
    EXPECT_EQ(c.raw(1), (std::vector<float>{3.f}));
    EXPECT_EQ(c.int8(12), rows(wf, {90.f, 95.f, 99.f}));
    c.raw(3);
    c.raw(1);
    EXPECT_TRUE(c.at_end());
    EXPECT_EQ(r.report.layers[1].action, "int8");
}

TEST(PreQuantized, DepthwiseAlready101KeepsItsTermWhenFusedAgain)
{
    // ncnn reads a depthwise layer's scales only for 1/2/101/102, so instead
    // of the reference's 201 the term stays 101 and the top scale is replaced.
    const std::string param = model({
        "Input in 0 1 data",
        "ConvolutionDepthWise d 1 1 data a 0=2 1=1 6=2 7=2 8=101",
        "Convolution c 1 1 a b 0=2 1=1 6=4",
    });
    BinBuilder b;
    b.int8({5, -5}).raw({40.f, 41.f}).raw({1.5f}).raw({9.f});
    const std::vector<float> wc = values(4, 6);
    b.fp32(wc);
    const RunResult r = run_quantize(param, b.bytes, std::string("c_param_0 10 20\nc 7.0\n"));
    expect_ok(r);
    EXPECT_EQ(r.params_of("d"), " 0=2 1=1 6=2 7=2 8=101");
    BinCursor c(r.bin);
    EXPECT_EQ(c.int8(2), (std::vector<int8_t>{5, -5}));
    EXPECT_EQ(c.raw(2), (std::vector<float>{40.f, 41.f}));
    EXPECT_EQ(c.raw(1), (std::vector<float>{1.5f}));
    EXPECT_EQ(c.raw(1), (std::vector<float>{7.f}));
}

TEST(Storage, MemoryDataLoadTypeZeroIsKeptAndWrittenTagged)
{
    // The reference drops 21=0 but writes the data raw; we keep both in step.
    const std::string param = model({"MemoryData m 0 1 out 0=5 21=0"});
    const std::vector<float> d = {1.f, 2.f, 3.f, 4.f, 5.f};
    BinBuilder b;
    b.fp32(d);
    const RunResult r = run_quantize(param, b.bytes, std::nullopt);
    expect_ok(r);
    EXPECT_EQ(r.params_of("m"), " 0=5 21=0");
    BinCursor c(r.bin);
    EXPECT_EQ(c.fp16(5), expected_fp16(d));
    EXPECT_TRUE(c.at_end());
}

// --- table checks ---------------------------------------------------------------------------

struct ConvCase {
    std::string param = model({"Input in 0 1 data", "Convolution conv 1 1 data out 0=2 1=1 6=10"});
    std::vector<float> w = values(10, 77, -1.f, 1.f);
    std::vector<uint8_t> bin() const
    {
        BinBuilder b;
        b.fp32(w);
        return b.bytes;
    }
};

TEST(TableChecks, InputScaleWithoutWeightScales)
{
    ConvCase k;
    expect_error(run_quantize(k.param, k.bin(), std::string("conv 1.0\n")), {"m.table:1", "Convolution 'conv'", "conv_param_0"});
}

TEST(TableChecks, WeightScalesWithoutInputScaleStayFloat)
{
    ConvCase k;
    const RunResult r = run_quantize(k.param, k.bin(), std::string("conv_param_0 1 2\n"));
    expect_ok(r);
    EXPECT_EQ(r.params_of("conv"), " 0=2 1=1 6=10");
    EXPECT_TRUE(r.has_warning("no input scale")) << r.warnings_text();
    BinCursor c(r.bin);
    EXPECT_EQ(c.fp16(10), expected_fp16(k.w));
    EXPECT_TRUE(c.at_end());
}

TEST(TableChecks, WrongScaleCount)
{
    ConvCase k;
    expect_error(run_quantize(k.param, k.bin(), std::string("conv_param_0 1 2 3\nconv 1.0\n")),
                 {"m.table:1", "Convolution 'conv'", "has 3 values", "needs 2"});
    expect_error(run_quantize(k.param, k.bin(), std::string("conv_param_0 1 2\nconv 1.0 2.0\n")), {"m.table:2", "has 2 values"});
}

TEST(TableChecks, NanAndNegativeScales)
{
    ConvCase k;
    expect_error(run_quantize(k.param, k.bin(), std::string("conv_param_0 nan 2\nconv 1.0\n")), {"m.table:1", "NaN"});
    expect_error(run_quantize(k.param, k.bin(), std::string("conv_param_0 1 -2\nconv 1.0\n")), {"m.table:1", "negative"});
    expect_error(run_quantize(k.param, k.bin(), std::string("conv_param_0 1 2\nconv -1.0\n")), {"m.table:2", "negative"});
    expect_error(run_quantize(k.param, k.bin(), std::string("conv_param_0 1 2\nconv nan\n")), {"m.table:2", "NaN"});
    expect_error(run_quantize(k.param, k.bin(), std::string("conv_param_0 1 2\nconv inf\n")), {"m.table:2", "infinite"});
}

TEST(TableChecks, InfiniteWeightScaleForAllZeroChannel)
{
    ConvCase k;
    for (int i = 0; i < 5; i++) k.w[i] = (i % 2) ? 0.f : -0.f;
    const RunResult r = run_quantize(k.param, k.bin(), std::string("conv_param_0 inf 2.0\nconv 1.0\n"));
    expect_ok(r);
    EXPECT_TRUE(r.has_warning("inf")) << r.warnings_text();
    BinCursor c(r.bin);
    const std::vector<int8_t> q = c.int8(10);
    // 0 * inf = NaN: -127 with both the vector rule and round()
    EXPECT_EQ(std::vector<int8_t>(q.begin(), q.begin() + 5), (std::vector<int8_t>(5, -127)));
    EXPECT_EQ(std::vector<int8_t>(q.begin() + 5, q.end()), expected_row(k.w.data() + 5, 5, 2.f));
    const std::vector<float> s = c.raw(2);
    EXPECT_TRUE(std::isinf(s[0]));
    EXPECT_EQ(s[1], 2.f);
}

TEST(TableChecks, InfiniteWeightScaleWithNonZeroWeightsIsAnError)
{
    ConvCase k;
    expect_error(run_quantize(k.param, k.bin(), std::string("conv_param_0 1.0 inf\nconv 1.0\n")),
                 {"Convolution 'conv'", "row 1", "non-zero weights"});
    expect_error(run_quantize(k.param, k.bin(), std::string("conv_param_0 0 1\nconv 1.0\n")), {"Convolution 'conv'", "row 0"});
}

TEST(TableChecks, KeysMatchingNoLayerWarn)
{
    ConvCase k;
    const RunResult r = run_quantize(k.param, k.bin(), std::string("conv_param_0 1 2\nconv 1.0\nghost 2.0\nghost_param_0 1\n"));
    expect_ok(r);
    EXPECT_TRUE(r.has_warning("'ghost' matches no layer")) << r.warnings_text();
    EXPECT_TRUE(r.has_warning("'ghost_param_0' matches no layer")) << r.warnings_text();
    EXPECT_TRUE(r.has_warning("m.table:3")) << r.warnings_text();
}

TEST(TableChecks, EmptyTableQuantizesNothing)
{
    ConvCase k;
    const RunResult r = run_quantize(k.param, k.bin(), std::string(""));
    expect_ok(r);
    EXPECT_EQ(r.params_of("conv"), " 0=2 1=1 6=10");
    BinCursor c(r.bin);
    EXPECT_EQ(c.fp16(10), expected_fp16(k.w));
}

// --- storage of what is not quantized ----------------------------------------------------------

TEST(Storage, TaggedFloatBlobsBecomeFp16WithTailRule)
{
    // Convolution with 6 weights and no table: first 4 RNE, last 2 truncated
    const std::string param = model({"Input in 0 1 data", "Convolution conv 1 1 data out 0=1 1=1 5=1 6=6", "BatchNorm bn 1 1 out o2 0=2"});
    const float above_half = 1.f + std::ldexp(1.f, -11) + std::ldexp(1.f, -20);
    const std::vector<float> w = {above_half, std::ldexp(1.f, -20), 65519.996f, 70000.f, above_half, std::ldexp(1.f, -20)};
    const std::vector<float> bn = {1e-31f, 2.f, 3.f, 4.f, 5.f, 6.f, 7.f, -1e-35f};
    BinBuilder b;
    b.fp32(w).raw({0.25f}).raw(bn);
    const RunResult r = run_quantize(param, b.bytes, std::nullopt);
    expect_ok(r);
    BinCursor c(r.bin);
    const std::vector<uint16_t> h = c.fp16(6);
    EXPECT_EQ(h, expected_fp16(w));
    EXPECT_EQ(h[0], 0x3C01);
    EXPECT_EQ(h[1], 0x0010);
    EXPECT_EQ(h[2], 0x7BFF);
    EXPECT_EQ(h[3], 0x7C00);
    EXPECT_EQ(h[4], 0x3C00); // tail: truncated
    EXPECT_EQ(h[5], 0x0000); // tail: fp16 subnormal flushed
    EXPECT_EQ(c.raw(1), (std::vector<float>{0.25f}));
    const std::vector<float> out_bn = c.raw(8);
    EXPECT_EQ(scalar::bits_of(out_bn[0]), 0u);
    EXPECT_EQ(out_bn[1], 2.f);
    EXPECT_EQ(scalar::bits_of(out_bn[7]), 0u);
    EXPECT_TRUE(c.at_end());
    EXPECT_EQ(r.report.layers[1].action, "skipped");
}

TEST(Storage, Fp16InputStaysBitIdentical)
{
    const std::string param = model({"Input in 0 1 data", "Deconvolution dc 1 1 data out 0=1 1=5 6=5"});
    const std::vector<uint16_t> h = {0x3C00, 0x0001, 0x7BFF, 0xC000, 0x1234};
    BinBuilder b;
    b.fp16(h);
    const RunResult r = run_quantize(param, b.bytes, std::nullopt);
    expect_ok(r);
    EXPECT_EQ(r.bin, b.bytes);
    EXPECT_EQ(r.report.layers[1].action, "fp16");
}

// --- errors commit nothing ----------------------------------------------------------------

TEST(Errors, NothingCommitted)
{
    ConvCase k;
    std::vector<uint8_t> short_bin = k.bin();
    short_bin.pop_back();
    expect_error(run_quantize(k.param, short_bin, std::nullopt), {"m.bin", "Convolution 'conv'"});
    std::vector<uint8_t> long_bin = k.bin();
    long_bin.resize(long_bin.size() + 8);
    expect_error(run_quantize(k.param, long_bin, std::nullopt), {"m.bin", "8 bytes"});
    expect_error(run_quantize("7767517\n1 1\nInput in 0 1\n", {}, std::nullopt), {"m.param:3"});
    expect_error(run_quantize(k.param, k.bin(), std::string("conv x\n")), {"m.table:1"});
}

TEST(Errors, CancelledByProgressCallback)
{
    ConvCase k;
    const std::vector<uint8_t> bin = k.bin();
    MemorySource source(bin.data(), bin.size());
    QuantizeRequest request;
    request.param = {"m.param", k.param};
    request.bin_name = "m.bin";
    request.bin = &source;
    int calls = 0;
    request.on_progress = [&](const Progress& p) {
        calls++;
        EXPECT_EQ(p.layers_total, 2u);
        return p.layers_done < 1;
    };
    test::RecordingSink ps, bs;
    Result<Report> r = quantize_model(request, ps, bs);
    ASSERT_FALSE(r.is_ok());
    EXPECT_TRUE(contains(r.status().message(), "cancelled"));
    EXPECT_EQ(r.status().code(), ErrorCode::Cancelled);
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(ps.commits, 0);
    EXPECT_EQ(bs.commits, 0);
}

TEST(Errors, MissingBinSource)
{
    ConvCase k;
    QuantizeRequest request;
    request.param = {"m.param", k.param};
    request.bin_name = "m.bin";
    test::RecordingSink ps, bs;
    Result<Report> r = quantize_model(request, ps, bs);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(ps.commits + bs.commits, 0);
}

// --- the .bin indexed from its first tag (QuantizeRequest::index_like_first_tag) ---

struct LoggedRun {
    RunResult run;
    std::string report_json;
    int rewinds = 0;
    std::vector<uint64_t> reads;
    ErrorCode code = ErrorCode::Input;
};

LoggedRun run_logged(const std::string& param, const std::vector<uint8_t>& bin, const std::optional<std::string>& table, bool like_first_tag,
                     std::function<bool(const Progress&)> on_progress = nullptr)
{
    LoggedRun out;
    test::ReadLog source(bin);
    QuantizeRequest request;
    request.param = {"m.param", param};
    request.bin_name = "m.bin";
    request.bin = &source;
    if (table) request.table = TextInput{"m.table", *table};
    request.on_progress = std::move(on_progress);
    request.index_like_first_tag = like_first_tag;
    test::RecordingSink param_sink, bin_sink;
    Result<Report> result = quantize_model(request, param_sink, bin_sink);
    out.run.ok = result.is_ok();
    if (out.run.ok) {
        out.run.report = result.value();
        out.report_json = report_to_json(result.value());
    } else {
        out.run.error = result.status().message();
        out.code = result.status().code();
    }
    out.run.param.assign(param_sink.bytes.begin(), param_sink.bytes.end());
    out.run.bin = bin_sink.bytes;
    out.run.param_commits = param_sink.commits;
    out.run.bin_commits = bin_sink.commits;
    out.rewinds = bin_sink.rewinds;
    out.reads = source.offsets;
    return out;
}

// Three InnerProducts, 342 inputs each (a lookup-stored blob of 342 values
// takes exactly the bytes of 342 fp32 values: 4 + 1024 + 344 = 4 + 1368).
struct ThreeDense {
    static constexpr size_t kIn = 342;
    std::string param = model({"Input in 0 1 data", "InnerProduct ip1 1 1 data a 0=342 1=0 2=116964", "InnerProduct ip2 1 1 a b 0=1 1=0 2=342",
                               "InnerProduct ip3 1 1 b out 0=1 1=0 2=342"});
    std::vector<float> w1 = values(kIn * kIn, 11), w2 = values(kIn, 12), w3 = values(kIn, 13);
    std::string table = scale_line("ip1_param_0", kIn, 10.f) + "ip1 5.0\nip2_param_0 40.0\nip2 6.0\nip3_param_0 50.0\nip3 7.0\n";
    // ip2's weights as a lookup table: 256 values, then one index per weight.
    std::vector<uint8_t> bin(bool ip2_as_lookup, bool fp16 = false) const
    {
        BinBuilder b;
        auto tagged = [&](const std::vector<float>& w) {
            if (fp16)
                b.fp16(expected_fp16(w));
            else
                b.fp32(w);
        };
        tagged(w1);
        if (ip2_as_lookup) {
            std::vector<float> lut(256);
            for (size_t i = 0; i < lut.size(); i++) lut[i] = float(i) / 128.f - 1.f;
            std::vector<uint8_t> index(kIn);
            for (size_t i = 0; i < kIn; i++) index[i] = uint8_t(i * 7);
            b.u32(0x00010203).raw(lut).put(index.data(), index.size()).pad();
        } else {
            tagged(w2);
        }
        tagged(w3);
        return b.bytes;
    }
};

void expect_same_run(const LoggedRun& guessed, const LoggedRun& read)
{
    ASSERT_TRUE(read.run.ok) << read.run.error;
    ASSERT_TRUE(guessed.run.ok) << guessed.run.error;
    EXPECT_EQ(guessed.run.param, read.run.param);
    EXPECT_EQ(guessed.run.bin, read.run.bin);
    EXPECT_EQ(guessed.report_json, read.report_json);
    EXPECT_EQ(guessed.run.bin_commits, 1);
}

TEST(IndexLikeFirstTag, Fp32ModelStreamsFrontToBackWithTheSameOutput)
{
    ThreeDense m;
    const std::vector<uint8_t> bin = m.bin(false);
    const LoggedRun read = run_logged(m.param, bin, m.table, false);
    const LoggedRun guessed = run_logged(m.param, bin, m.table, true);
    expect_same_run(guessed, read);
    EXPECT_EQ(guessed.rewinds, 0);
    // Every tag read first jumps ahead across the file; from the first tag
    // alone, the reads only go forward.
    EXPECT_FALSE(std::is_sorted(read.reads.begin(), read.reads.end()));
    EXPECT_TRUE(std::is_sorted(guessed.reads.begin(), guessed.reads.end()));
}

TEST(IndexLikeFirstTag, Fp16ModelStreamsFrontToBackWithTheSameOutput)
{
    ThreeDense m;
    const std::vector<uint8_t> bin = m.bin(false, true);
    const LoggedRun read = run_logged(m.param, bin, m.table, false);
    const LoggedRun guessed = run_logged(m.param, bin, m.table, true);
    expect_same_run(guessed, read);
    EXPECT_EQ(guessed.rewinds, 0);
    EXPECT_TRUE(std::is_sorted(guessed.reads.begin(), guessed.reads.end()));
}

TEST(IndexLikeFirstTag, ALayerOfSeveralTaggedBlobsIsReadInFileOrder)
{
    // LSTM: weight_xc, bias_c and weight_hc, each tagged; each tag is
    // checked just before its values are read, not the layer's tags first.
    const std::string param = model({"Input in 0 1 data", "LSTM lstm 1 1 data l 0=2 1=24 3=2"});
    BinBuilder b;
    b.fp32(values(24, 1)).fp32(values(8, 2)).fp32(values(16, 3));
    const std::string table = scale_line("lstm_param_0", 8, 30.f) + scale_line("lstm_param_1", 8, 60.f);
    const LoggedRun read = run_logged(param, b.bytes, table, false);
    const LoggedRun guessed = run_logged(param, b.bytes, table, true);
    expect_same_run(guessed, read);
    EXPECT_EQ(guessed.rewinds, 0);
    EXPECT_TRUE(std::is_sorted(guessed.reads.begin(), guessed.reads.end()));
}

TEST(IndexLikeFirstTag, ATagUnlikeTheFirstStartsTheRunAgain)
{
    ThreeDense m;
    const std::vector<uint8_t> bin = m.bin(true);
    const Model model = test::must_build(m.param);
    MemorySource source(bin.data(), bin.size());
    // The sizes add up with every tag taken as fp32, so the guess is made...
    const std::optional<std::vector<LayerBlobs>> guessed_index = index_bin_like_first_tag(model, source, "m.bin");
    ASSERT_TRUE(guessed_index.has_value());
    EXPECT_EQ((*guessed_index)[2].blobs[0].stored, StoredAs::Fp32);
    ASSERT_TRUE(index_bin(model, source, "m.bin").is_ok());
    EXPECT_EQ(index_bin(model, source, "m.bin").value()[2].blobs[0].stored, StoredAs::Lookup);
    // ...and found wrong at ip2's tag: the output starts again, on the tags read.
    const LoggedRun read = run_logged(m.param, bin, m.table, false);
    const LoggedRun guessed = run_logged(m.param, bin, m.table, true);
    expect_same_run(guessed, read);
    EXPECT_EQ(guessed.rewinds, 1);
}

TEST(IndexLikeFirstTag, NoGuessWhereTheSizesDoNotAddUp)
{
    ThreeDense m;
    const Model model = test::must_build(m.param);
    // fp16 first, fp32 after: taken all as fp16 the file is too long.
    BinBuilder b;
    b.fp16(expected_fp16(m.w1)).fp32(m.w2).fp32(m.w3);
    MemorySource source(b.bytes.data(), b.bytes.size());
    EXPECT_FALSE(index_bin_like_first_tag(model, source, "m.bin").has_value());
    const LoggedRun read = run_logged(m.param, b.bytes, m.table, false);
    const LoggedRun guessed = run_logged(m.param, b.bytes, m.table, true);
    expect_same_run(guessed, read);
    EXPECT_EQ(guessed.rewinds, 0);
}

TEST(IndexLikeFirstTag, ErrorsAreThoseOfTheFile)
{
    ThreeDense m;
    std::vector<uint8_t> bin = m.bin(false);
    // A table that does not fit: the guessed run fails, and the error
    // reported is the one of the run on the tags read.
    const std::string bad_table = "ip1_param_0 1.0 2.0\nip1 5.0\n";
    const LoggedRun read = run_logged(m.param, bin, bad_table, false);
    const LoggedRun guessed = run_logged(m.param, bin, bad_table, true);
    ASSERT_FALSE(read.run.ok);
    EXPECT_EQ(guessed.run.error, read.run.error);
    EXPECT_EQ(guessed.run.bin_commits + guessed.run.param_commits, 0);
    // A truncated .bin: no guess is made, the index's own error.
    bin.resize(bin.size() - 4);
    const LoggedRun short_read = run_logged(m.param, bin, m.table, false);
    const LoggedRun short_guessed = run_logged(m.param, bin, m.table, true);
    ASSERT_FALSE(short_read.run.ok);
    EXPECT_EQ(short_guessed.run.error, short_read.run.error);
    EXPECT_EQ(short_guessed.rewinds, 0);
}

TEST(IndexLikeFirstTag, ACancelDoesNotStartAgain)
{
    ThreeDense m;
    const LoggedRun guessed = run_logged(m.param, m.bin(true), m.table, true, [](const Progress& p) { return p.layers_done < 2; });
    ASSERT_FALSE(guessed.run.ok);
    EXPECT_EQ(guessed.code, ErrorCode::Cancelled);
    EXPECT_EQ(guessed.rewinds, 0);
    EXPECT_EQ(guessed.run.bin_commits, 0);
}

TEST(Report, CountsAndTarget)
{
    ConvCase k;
    const RunResult r = run_quantize(k.param, k.bin(), std::string("conv_param_0 1 2\nconv 1.0\n"));
    expect_ok(r);
    EXPECT_EQ(r.report.tool_version, kVersion);
    EXPECT_FALSE(r.report.simd_target.empty());
    EXPECT_EQ(r.report.int8_layers, 1);
    EXPECT_EQ(r.report.unchanged_layers, 1);
    EXPECT_EQ(r.report.param_bytes_out, r.param.size());
    EXPECT_EQ(r.report.bin_bytes_in, k.bin().size());
    EXPECT_GT(r.report.layers[1].sqnr_db, 0.0);
    EXPECT_TRUE(contains(report_to_json(r.report), "\"conv\"")) << report_to_json(r.report);
    EXPECT_FALSE(report_to_text(r.report).empty());
}

} // namespace
} // namespace ncnn_int8
