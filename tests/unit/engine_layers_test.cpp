// Engine layers on small cases computed independently here (naive loops
// written from ncnn's definitions), one model per case.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <random>

#include "engine/engine.h"
#include "test_util.h"

namespace ncnn_int8::test {
namespace {

using engine::Engine;
using engine::Tensor;

Tensor random_tensor(Tensor t, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1.f, 1.f);
    for (float& v : t.data) v = dist(rng);
    return t;
}

std::vector<float> random_floats(size_t n, uint32_t seed)
{
    const Tensor t = random_tensor(Tensor::make1(static_cast<int>(n)), seed);
    return std::vector<float>(t.data.begin(), t.data.end());
}

// Runs the model on `inputs` and returns every blob.
std::map<std::string, Tensor> run_model(const std::string& param, const std::vector<uint8_t>& bin, const std::vector<Tensor>& inputs)
{
    std::map<std::string, Tensor> out;
    const Model model = must_build(param);
    MemorySource src(bin.data(), bin.size());
    auto made = Engine::create(model, src, "m.bin", {});
    EXPECT_TRUE(made.is_ok()) << made.status().message();
    if (!made.is_ok()) return out;
    Status st = made.value()->run(inputs, {}, [&](const std::string& name, const Tensor& t) {
        out[name] = t;
        return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.message();
    return out;
}

void expect_close(const Tensor& got, const Tensor& want, float tol = 1e-5f)
{
    ASSERT_TRUE(got.same_shape(want)) << got.shape_text() << " vs " << want.shape_text();
    for (size_t i = 0; i < want.data.size(); i++) ASSERT_NEAR(got.data[i], want.data[i], tol * (1.f + std::fabs(want.data[i]))) << "at " << i;
}

// Grouped 2-D convolution, written directly from the definition.
Tensor naive_conv(const Tensor& in, const std::vector<float>& w, const std::vector<float>& bias, int outc, int k, int stride, int dil, int pad, int group)
{
    const int ext = dil * (k - 1) + 1;
    const int outw = (in.w + 2 * pad - ext) / stride + 1, outh = (in.h + 2 * pad - ext) / stride + 1;
    Tensor out = Tensor::make3(outw, outh, outc);
    const int icg = in.c / group, ocg = outc / group;
    for (int oc = 0; oc < outc; oc++) {
        const int g = oc / ocg;
        for (int y = 0; y < outh; y++)
            for (int x = 0; x < outw; x++) {
                double sum = bias.empty() ? 0 : bias[oc];
                for (int ic = 0; ic < icg; ic++)
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++) {
                            const int iy = y * stride + ky * dil - pad, ix = x * stride + kx * dil - pad;
                            if (iy < 0 || ix < 0 || iy >= in.h || ix >= in.w) continue;
                            sum += static_cast<double>(w[((static_cast<size_t>(oc) * icg + ic) * k + ky) * k + kx]) * in.channel(g * icg + ic)[iy * in.w + ix];
                        }
                out.channel(oc)[y * outw + x] = static_cast<float>(sum);
            }
    }
    return out;
}

TEST(EngineLayers, ConvolutionMatchesTheDefinition)
{
    struct Case {
        int k, stride, dil, pad, inc, outc, group;
    };
    for (const Case& c : {Case{3, 1, 1, 1, 3, 8, 1}, Case{3, 2, 1, 1, 5, 7, 1}, Case{3, 1, 2, 2, 4, 6, 1}, Case{1, 1, 1, 0, 16, 9, 1}, Case{5, 2, 1, 2, 2, 3, 1},
                          Case{3, 1, 1, 1, 6, 6, 6}, Case{3, 2, 1, 1, 4, 4, 4}, Case{3, 1, 1, 1, 4, 8, 2}}) {
        const Tensor in = random_tensor(Tensor::make3(11, 9, c.inc), 3);
        const std::vector<float> w = random_floats(static_cast<size_t>(c.outc) * c.inc / c.group * c.k * c.k, 4);
        const std::vector<float> bias = random_floats(c.outc, 5);
        const bool dw = c.group > 1;
        const std::string line = std::string(dw ? "ConvolutionDepthWise" : "Convolution") + " conv 1 1 data out 0=" + std::to_string(c.outc) + " 1=" + std::to_string(c.k) + " 2=" + std::to_string(c.dil) + " 3=" + std::to_string(c.stride) + " 4=" + std::to_string(c.pad) + " 5=1 6=" + std::to_string(w.size()) + (dw ? " 7=" + std::to_string(c.group) : "");
        BinBuilder bin;
        bin.fp32(w).raw(bias);
        auto blobs = run_model("7767517\n2 2\nInput in 0 1 data\n" + line + "\n", bin.bytes, {in});
        SCOPED_TRACE(line);
        expect_close(blobs["out"], naive_conv(in, w, bias, c.outc, c.k, c.stride, c.dil, c.pad, c.group));
    }
}

TEST(EngineLayers, ConvolutionSamePaddingAndFusedRelu)
{
    // -233 (SAME_UPPER) on a 10-wide input with stride 2, kernel 3: total pad 1, all on the right/bottom.
    const Tensor in = random_tensor(Tensor::make3(10, 10, 2), 7);
    const std::vector<float> w = random_floats(3 * 2 * 9, 8);
    BinBuilder bin;
    bin.fp32(w);
    auto blobs = run_model("7767517\n2 2\nInput in 0 1 data\nConvolution conv 1 1 data out 0=3 1=3 3=2 4=-233 6=54 9=1\n", bin.bytes, {in});
    Tensor padded = Tensor::make3(11, 11, 2);
    for (int q = 0; q < 2; q++)
        for (int y = 0; y < 10; y++)
            for (int x = 0; x < 10; x++) padded.channel(q)[y * 11 + x] = in.channel(q)[y * 10 + x];
    Tensor want = naive_conv(padded, w, {}, 3, 3, 2, 1, 0, 1);
    for (float& v : want.data) v = std::max(v, 0.f);
    expect_close(blobs["out"], want);
}

TEST(EngineLayers, Convolution1DOnRows)
{
    // 2-D input: w = time, h = channels.
    const Tensor in = random_tensor(Tensor::make2(12, 3), 9);
    const std::vector<float> w = random_floats(4 * 3 * 3, 10);
    BinBuilder bin;
    bin.fp32(w);
    auto blobs = run_model("7767517\n2 2\nInput in 0 1 data\nConvolution1D conv 1 1 data out 0=4 1=3 3=2 6=36\n", bin.bytes, {in});
    Tensor want = Tensor::make2(5, 4);
    for (int o = 0; o < 4; o++)
        for (int x = 0; x < 5; x++) {
            double s = 0;
            for (int i = 0; i < 3; i++)
                for (int k = 0; k < 3; k++) s += static_cast<double>(w[(o * 3 + i) * 3 + k]) * in.data[i * 12 + x * 2 + k];
            want.data[o * 5 + x] = static_cast<float>(s);
        }
    expect_close(blobs["out"], want);
}

TEST(EngineLayers, InnerProductFlattensOrRunsPerRow)
{
    const std::vector<float> w = random_floats(3 * 8, 11), bias = {0.5f, -1.f, 2.f};
    BinBuilder bin;
    bin.fp32(w).raw(bias);
    const std::string param = "7767517\n2 2\nInput in 0 1 data\nInnerProduct fc 1 1 data out 0=3 1=1 2=24\n";
    // 3-D 2x2x2: flattened to 8 values in c, h, w order.
    const Tensor in3 = random_tensor(Tensor::make3(2, 2, 2), 12);
    Tensor want = Tensor::make1(3);
    for (int o = 0; o < 3; o++) {
        double s = bias[o];
        for (int i = 0; i < 8; i++) s += static_cast<double>(w[o * 8 + i]) * in3.data[i];
        want.data[o] = static_cast<float>(s);
    }
    expect_close(run_model(param, bin.bytes, {in3})["out"], want);
    // 2-D 8 x 4: one output row per input row.
    const Tensor in2 = random_tensor(Tensor::make2(8, 4), 13);
    Tensor want2 = Tensor::make2(3, 4);
    for (int r = 0; r < 4; r++)
        for (int o = 0; o < 3; o++) {
            double s = bias[o];
            for (int i = 0; i < 8; i++) s += static_cast<double>(w[o * 8 + i]) * in2.data[r * 8 + i];
            want2.data[r * 3 + o] = static_cast<float>(s);
        }
    expect_close(run_model(param, bin.bytes, {in2})["out"], want2);
}

TEST(EngineLayers, PoolingFullModeTailGlobalAndExcludedPad)
{
    Tensor in = Tensor::make3(5, 5, 1);
    for (int i = 0; i < 25; i++) in.data[i] = static_cast<float>(i);
    // max 2x2 stride 2, full mode: 5 -> tail pad 1 -> 3x3 output.
    auto blobs = run_model("7767517\n4 6\nInput in 0 1 data\nSplit s 1 3 data d0 d1 d2\n"
                           "Pooling p0 1 1 d0 max 0=0 1=2 2=2\n"
                           "Pooling p1 1 1 d1 gavg 0=1 4=1\n",
                           {}, {in});
    Tensor want = Tensor::make3(3, 3, 1);
    want.data = {6, 8, 9, 16, 18, 19, 21, 23, 24};
    expect_close(blobs["max"], want);
    Tensor gavg = Tensor::make1(1);
    gavg.data = {12.f};
    expect_close(blobs["gavg"], gavg);
    // avg 3x3 stride 1 pad 1, padding not counted: corner = mean of 0,1,5,6.
    auto avg = run_model("7767517\n2 2\nInput in 0 1 data\nPooling p 1 1 data out 0=1 1=3 3=1 5=1\n", {}, {in});
    EXPECT_EQ(avg["out"].w, 5);
    EXPECT_NEAR(avg["out"].data[0], 3.f, 1e-6);
    EXPECT_NEAR(avg["out"].data[12], 12.f, 1e-6);
}

TEST(EngineLayers, BinaryOpBroadcastForms)
{
    const Tensor a3 = random_tensor(Tensor::make3(4, 3, 2), 20);
    Tensor per_c = Tensor::make1(2);
    per_c.data = {10.f, 20.f};
    Tensor per_w = Tensor::make1(4);
    per_w.data = {1.f, 2.f, 3.f, 4.f};
    const std::string param = "7767517\n3 3\nInput a 0 1 a\nInput b 0 1 b\nBinaryOp op 2 1 a b out 0=0\n";
    { // 1-D of c values: per channel.
        Tensor want = a3;
        for (int q = 0; q < 2; q++)
            for (size_t i = 0; i < 12; i++) want.channel(q)[i] += per_c.data[q];
        expect_close(run_model(param, {}, {a3, per_c})["out"], want);
    }
    { // 1-D of w values: per column.
        Tensor want = a3;
        for (size_t i = 0; i < want.data.size(); i++) want.data[i] += per_w.data[i % 4];
        expect_close(run_model(param, {}, {a3, per_w})["out"], want);
    }
    { // 2-D (w=3, h=2) into 3-D: becomes (w=1, h=3, c=2): one value per row of each channel.
        Tensor b2 = random_tensor(Tensor::make2(3, 2), 22);
        Tensor want = a3;
        for (int q = 0; q < 2; q++)
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < 4; x++) want.channel(q)[y * 4 + x] += b2.data[q * 3 + y];
        expect_close(run_model(param, {}, {a3, b2})["out"], want);
    }
    { // 2-D with 1-D whose length equals A.h: per row; and the reverse operand order.
        Tensor a2 = random_tensor(Tensor::make2(5, 3), 23);
        Tensor rows = Tensor::make1(3);
        rows.data = {1.f, -2.f, 3.f};
        Tensor want = a2;
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 5; x++) want.data[y * 5 + x] = rows.data[y] - a2.data[y * 5 + x];
        expect_close(run_model("7767517\n3 3\nInput a 0 1 a\nInput b 0 1 b\nBinaryOp op 2 1 b a out 0=1\n", {}, {a2, rows})["out"], want);
    }
    { // Same rank, extents of 1 repeat: (4,1,2) * (1,3,1).
        Tensor x = random_tensor(Tensor::make3(4, 1, 2), 24), y = random_tensor(Tensor::make3(1, 3, 1), 25);
        Tensor want = Tensor::make3(4, 3, 2);
        for (int q = 0; q < 2; q++)
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 4; c++) want.channel(q)[r * 4 + c] = x.channel(q)[c] * y.data[r];
        expect_close(run_model("7767517\n3 3\nInput a 0 1 a\nInput b 0 1 b\nBinaryOp op 2 1 a b out 0=2\n", {}, {x, y})["out"], want);
    }
    { // with_scalar rsub: b - x.
        Tensor want = a3;
        for (float& v : want.data) v = 2.5f - v;
        expect_close(run_model("7767517\n2 2\nInput a 0 1 a\nBinaryOp op 1 1 a out 0=7 1=1 2=2.5\n", {}, {a3})["out"], want);
    }
}

TEST(EngineLayers, ReductionAxesKeepdimsAndMean)
{
    Tensor in = Tensor::make2(3, 2);
    in.data = {1, 2, 3, 4, 5, 6};
    // mean over the last axis (w), keepdims: 2-D 1 x 2.
    auto r = run_model("7767517\n2 2\nInput in 0 1 data\nReduction r 1 1 data out 0=3 1=0 -23303=1,-1 4=1 5=1\n", {}, {in});
    Tensor want = Tensor::make2(1, 2);
    want.data = {2.f, 5.f};
    expect_close(r["out"], want);
    // sum over everything without keepdims: 1-D of one value.
    auto all = run_model("7767517\n2 2\nInput in 0 1 data\nReduction r 1 1 data out 0=0\n", {}, {in});
    Tensor total = Tensor::make1(1);
    total.data = {21.f};
    expect_close(all["out"], total);
    // L2 over axis 0 (h) without keepdims: 1-D of w values.
    auto l2 = run_model("7767517\n2 2\nInput in 0 1 data\nReduction r 1 1 data out 0=8 1=0 -23303=1,0 5=1\n", {}, {in});
    Tensor cols = Tensor::make1(3);
    cols.data = {std::sqrt(17.f), std::sqrt(29.f), std::sqrt(45.f)};
    expect_close(l2["out"], cols);
}

TEST(EngineLayers, SoftmaxAlongAnAxis)
{
    const Tensor in = random_tensor(Tensor::make3(3, 2, 4), 30);
    auto out = run_model("7767517\n2 2\nInput in 0 1 data\nSoftmax sm 1 1 data out 0=0 1=1\n", {}, {in});
    Tensor want = in;
    for (size_t i = 0; i < 6; i++) {
        double sum = 0;
        for (int q = 0; q < 4; q++) sum += std::exp(in.data[q * 6 + i]);
        for (int q = 0; q < 4; q++) want.data[q * 6 + i] = static_cast<float>(std::exp(in.data[q * 6 + i]) / sum);
    }
    expect_close(out["out"], want);
}

TEST(EngineLayers, ConcatSliceShuffleAndPermute)
{
    const Tensor a = random_tensor(Tensor::make3(2, 2, 3), 40);
    auto blobs = run_model("7767517\n6 9\nInput in 0 1 data\nSplit s 1 2 data d0 d1\nConcat c 2 1 d0 d1 cat 0=0\n"
                           "Slice sl 1 3 cat s0 s1 s2 -23300=3,1,-233,-233 1=0\n"
                           "ShuffleChannel sh 1 1 s1 shuf 0=2\nPermute p 1 1 s2 perm 0=3\n",
                           {}, {a});
    ASSERT_EQ(blobs["cat"].c, 6);
    EXPECT_EQ(engine::Floats(blobs["cat"].data.begin() + 12, blobs["cat"].data.end()), a.data);
    // slices: 1, then (6-1)/2 = 2, then the remaining 3.
    EXPECT_EQ(blobs["s0"].c, 1);
    EXPECT_EQ(blobs["s1"].c, 2);
    EXPECT_EQ(blobs["s2"].c, 3);
    // 2 channels in 2 groups of one: the order stays.
    EXPECT_EQ(blobs["shuf"].data, blobs["s1"].data);
    // order 3: output (w, h, c) = input (c, w, h).
    const Tensor& s2 = blobs["s2"];
    const Tensor& p = blobs["perm"];
    ASSERT_EQ(p.w, s2.c);
    ASSERT_EQ(p.h, s2.w);
    ASSERT_EQ(p.c, s2.h);
    for (int q = 0; q < p.c; q++)
        for (int y = 0; y < p.h; y++)
            for (int x = 0; x < p.w; x++) EXPECT_EQ(p.channel(q)[y * p.w + x], s2.channel(x)[q * s2.w + y]);
}

TEST(EngineLayers, ShuffleChannelInterleavesGroups)
{
    Tensor in = Tensor::make3(1, 1, 6);
    in.data = {0, 1, 2, 3, 4, 5};
    auto out = run_model("7767517\n2 2\nInput in 0 1 data\nShuffleChannel sh 1 1 data out 0=2\n", {}, {in});
    EXPECT_EQ(out["out"].data, (engine::Floats{0, 3, 1, 4, 2, 5}));
}

TEST(EngineLayers, EltwiseReshapeFlattenMemoryDataAndActivations)
{
    const Tensor in = random_tensor(Tensor::make3(3, 2, 2), 50);
    BinBuilder bin;
    bin.raw(random_floats(12, 51));
    auto blobs = run_model("7767517\n8 10\nInput in 0 1 data\nMemoryData md 0 1 mem 0=3 1=2 2=2\nSplit s 1 3 data d0 d1 d2\n"
                           "Eltwise e 2 1 d0 mem sum 0=1 -23301=2,2.0,-1.0\n"
                           "Reshape r 1 1 d1 resh 0=-1 1=4\nFlatten f 1 1 d2 flat\n"
                           "HardSwish hs 1 1 sum hsw\nReLU lr 1 1 resh leaky 0=0.1\n",
                           bin.bytes, {in});
    const Tensor& mem = blobs["mem"];
    ASSERT_EQ(mem.dims, 3);
    for (size_t i = 0; i < 12; i++) {
        const float s = in.data[i] * 2.f + mem.data[i] * -1.f;
        EXPECT_NEAR(blobs["sum"].data[i], s, 1e-6);
        const float hs = s < -2.5f ? 0.f : (s > 2.5f ? s : s * (s * 0.2f + 0.5f));
        EXPECT_NEAR(blobs["hsw"].data[i], hs, 1e-6);
        EXPECT_NEAR(blobs["leaky"].data[i], in.data[i] < 0 ? in.data[i] * 0.1f : in.data[i], 1e-6);
    }
    EXPECT_EQ(blobs["resh"].dims, 2);
    EXPECT_EQ(blobs["resh"].w, 3);
    EXPECT_EQ(blobs["resh"].h, 4);
    EXPECT_EQ(blobs["flat"].dims, 1);
    EXPECT_EQ(blobs["flat"].data, in.data);
}

TEST(EngineLayers, DeconvolutionMatchesTheScatterDefinition)
{
    struct Case {
        int k, stride, dil, pad, inc, outc, group;
    };
    for (const Case& c : {Case{3, 2, 1, 0, 3, 4, 1}, Case{4, 2, 1, 1, 2, 3, 1}, Case{3, 1, 2, 0, 2, 2, 1}, Case{3, 2, 1, 1, 4, 4, 4}}) {
        const Tensor in = random_tensor(Tensor::make3(5, 4, c.inc), 60);
        const int icg = c.inc / c.group, ocg = c.outc / c.group, maxk = c.k * c.k;
        const std::vector<float> w = random_floats(static_cast<size_t>(c.outc) * icg * maxk, 61);
        const std::vector<float> bias = random_floats(c.outc, 62);
        const int ext = c.dil * (c.k - 1) + 1;
        const int fw = (in.w - 1) * c.stride + ext, fh = (in.h - 1) * c.stride + ext;
        Tensor full = Tensor::make3(fw, fh, c.outc);
        for (int p = 0; p < c.outc; p++) {
            const int g = p / ocg;
            for (size_t i = 0; i < full.plane(); i++) full.channel(p)[i] = bias[p];
            for (int y = 0; y < in.h; y++)
                for (int x = 0; x < in.w; x++)
                    for (int q = 0; q < icg; q++)
                        for (int ky = 0; ky < c.k; ky++)
                            for (int kx = 0; kx < c.k; kx++)
                                full.channel(p)[(y * c.stride + ky * c.dil) * fw + x * c.stride + kx * c.dil] +=
                                    in.channel(g * icg + q)[y * in.w + x] * w[((static_cast<size_t>(p) * icg + q) * c.k + ky) * c.k + kx];
        }
        Tensor want = Tensor::make3(fw - 2 * c.pad, fh - 2 * c.pad, c.outc);
        for (int p = 0; p < c.outc; p++)
            for (int y = 0; y < want.h; y++)
                for (int x = 0; x < want.w; x++) want.channel(p)[y * want.w + x] = full.channel(p)[(y + c.pad) * fw + x + c.pad];
        const bool dw = c.group > 1;
        const std::string line = std::string(dw ? "DeconvolutionDepthWise" : "Deconvolution") + " d 1 1 data out 0=" + std::to_string(c.outc) + " 1=" + std::to_string(c.k) + " 2=" + std::to_string(c.dil) + " 3=" + std::to_string(c.stride) + " 4=" + std::to_string(c.pad) + " 5=1 6=" + std::to_string(w.size()) + (dw ? " 7=" + std::to_string(c.group) : "");
        BinBuilder bin;
        bin.fp32(w).raw(bias);
        SCOPED_TRACE(line);
        expect_close(run_model("7767517\n2 2\nInput in 0 1 data\n" + line + "\n", bin.bytes, {in})["out"], want);
    }
}

TEST(EngineLayers, NormalizationLayers)
{
    const Tensor in = random_tensor(Tensor::make3(4, 3, 4), 70);
    const std::vector<float> slope = {1, 2, 3, 4}, mean = {0.1f, 0.2f, 0.3f, 0.4f}, var = {1, 2, 3, 4}, bias = {-1, 0, 1, 2};
    const std::vector<float> gamma = {1.5f, 0.5f, 2.f, 1.f}, beta = {0.f, 1.f, -1.f, 0.5f};
    BinBuilder bin;
    bin.raw(slope).raw(mean).raw(var).raw(bias).raw(gamma).raw(beta).raw(gamma).raw(beta);
    auto blobs = run_model("7767517\n5 7\nInput in 0 1 data\nSplit s 1 3 data d0 d1 d2\nBatchNorm bn 1 1 d0 bn 0=4 1=0.001\n"
                           "GroupNorm gn 1 1 d1 gn 0=2 1=4 2=0.001\nInstanceNorm in 1 1 d2 inorm 0=4 1=0.001\n",
                           bin.bytes, {in});
    Tensor bn = in, gn = in, inorm = in;
    for (int q = 0; q < 4; q++) {
        const float sd = std::sqrt(var[q] + 0.001f);
        for (int i = 0; i < 12; i++) bn.channel(q)[i] = (in.channel(q)[i] - mean[q]) / sd * slope[q] + bias[q];
        double m = 0, v = 0;
        for (int i = 0; i < 12; i++) m += in.channel(q)[i];
        m /= 12;
        for (int i = 0; i < 12; i++) v += (in.channel(q)[i] - m) * (in.channel(q)[i] - m);
        v /= 12;
        for (int i = 0; i < 12; i++) inorm.channel(q)[i] = static_cast<float>((in.channel(q)[i] - m) / std::sqrt(v + 0.001) * gamma[q] + beta[q]);
    }
    for (int g = 0; g < 2; g++) {
        double m = 0, v = 0;
        for (int i = 0; i < 24; i++) m += in.data[g * 24 + i];
        m /= 24;
        for (int i = 0; i < 24; i++) v += (in.data[g * 24 + i] - m) * (in.data[g * 24 + i] - m);
        v /= 24;
        for (int i = 0; i < 24; i++) gn.data[g * 24 + i] = static_cast<float>((in.data[g * 24 + i] - m) / std::sqrt(v + 0.001) * gamma[g * 2 + i / 12] + beta[g * 2 + i / 12]);
    }
    expect_close(blobs["bn"], bn, 1e-5f);
    expect_close(blobs["gn"], gn, 1e-4f);
    expect_close(blobs["inorm"], inorm, 1e-4f);
}

TEST(EngineLayers, LayerNormOverRows)
{
    const Tensor in = random_tensor(Tensor::make2(6, 3), 80);
    const std::vector<float> gamma = random_floats(6, 81), beta = random_floats(6, 82);
    BinBuilder bin;
    bin.raw(gamma).raw(beta);
    Tensor want = in;
    for (int r = 0; r < 3; r++) {
        double m = 0, v = 0;
        for (int i = 0; i < 6; i++) m += in.data[r * 6 + i];
        m /= 6;
        for (int i = 0; i < 6; i++) v += (in.data[r * 6 + i] - m) * (in.data[r * 6 + i] - m);
        v /= 6;
        for (int i = 0; i < 6; i++) want.data[r * 6 + i] = static_cast<float>((in.data[r * 6 + i] - m) / std::sqrt(v + 1e-5) * gamma[i] + beta[i]);
    }
    expect_close(run_model("7767517\n2 2\nInput in 0 1 data\nLayerNorm ln 1 1 data out 0=6 1=1e-5\n", bin.bytes, {in})["out"], want, 1e-4f);
}

TEST(EngineLayers, GemmWithConstantBTransposedAndBias)
{
    // A: 2-D blob M=3 rows of K=4; B constant, transB=1: N=2 rows of K; C per column (1 x N), alpha 2, beta 0.5.
    const Tensor a = random_tensor(Tensor::make2(4, 3), 90);
    const std::vector<float> b = random_floats(2 * 4, 91), c = {1.f, -2.f};
    BinBuilder bin;
    bin.fp32(b).fp32(c);
    auto out = run_model("7767517\n2 2\nInput in 0 1 data\nGemm g 1 1 data out 0=2.0 1=0.5 3=1 5=1 6=1 8=2 9=4 10=4\n", bin.bytes, {a})["out"];
    Tensor want = Tensor::make2(2, 3);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 2; j++) {
            double s = c[j] * 0.5;
            for (int k = 0; k < 4; k++) s += static_cast<double>(a.data[i * 4 + k]) * b[j * 4 + k];
            want.data[i * 2 + j] = static_cast<float>(s * 2);
        }
    expect_close(out, want);
}

TEST(EngineLayers, SqueezeExpandDimsAndPixelShuffle)
{
    auto blobs = run_model("7767517\n5 6\nInput in 0 1 data\nSplit s 1 2 data d0 d1\nSqueeze sq 1 1 d0 sq 1=1\n"
                           "ExpandDims ex 1 1 sq ex -23303=1,0\nPixelShuffle ps 1 1 d1 ps 0=2\n",
                           {}, {Tensor::make3(2, 2, 8)});
    EXPECT_EQ(blobs["sq"].dims, 3); // h = 2 is not 1: nothing squeezed
    Tensor one_row = random_tensor(Tensor::make3(3, 1, 8), 96);
    auto sq = run_model("7767517\n3 3\nInput in 0 1 data\nSqueeze sq 1 1 data sq 1=1\nExpandDims ex 1 1 sq ex -23303=1,1\n", {}, {one_row});
    EXPECT_EQ(sq["sq"].dims, 2);
    EXPECT_EQ(sq["sq"].w, 3);
    EXPECT_EQ(sq["sq"].h, 8);
    EXPECT_EQ(sq["ex"].dims, 3); // (w=3, h=8) -> axis 1 of [c, h, w]: c=8, h=1, w=3
    EXPECT_EQ(sq["ex"].c, 8);
    EXPECT_EQ(sq["ex"].h, 1);
    EXPECT_EQ(sq["ex"].data, one_row.data);
    Tensor ps_in = Tensor::make3(1, 1, 4);
    ps_in.data = {1, 2, 3, 4};
    auto ps = run_model("7767517\n2 2\nInput in 0 1 data\nPixelShuffle ps 1 1 data out 0=2\n", {}, {ps_in})["out"];
    EXPECT_EQ(ps.w, 2);
    EXPECT_EQ(ps.h, 2);
    EXPECT_EQ(ps.c, 1);
    EXPECT_EQ(ps.data, (engine::Floats{1, 2, 3, 4}));
}

TEST(EngineLayers, Pooling1DAndEmbed)
{
    Tensor in = Tensor::make2(5, 2);
    in.data = {1, 5, 2, 4, 3, -1, -5, -2, -4, -3};
    auto p = run_model("7767517\n2 2\nInput in 0 1 data\nPooling1D p 1 1 data out 0=0 1=2 2=2 5=1\n", {}, {in})["out"];
    ASSERT_EQ(p.dims, 2);
    EXPECT_EQ(p.w, 2);
    EXPECT_EQ(p.h, 2);
    EXPECT_EQ(p.data, (engine::Floats{5, 4, -1, -2}));
    // Embed: word indices as int32 bits; 7 clamps to the last row.
    Tensor words = Tensor::make1(3);
    const int32_t ids[] = {1, 0, 7};
    std::memcpy(words.data.data(), ids, sizeof ids);
    const std::vector<float> table = {0, 1, 10, 11, 20, 21}, bias = {0.5f, -0.5f};
    BinBuilder bin;
    bin.fp32(table).raw(bias);
    auto e = run_model("7767517\n2 2\nInput in 0 1 data\nEmbed e 1 1 data out 0=2 1=3 2=1 3=6\n", bin.bytes, {words})["out"];
    EXPECT_EQ(e.data, (engine::Floats{10.5f, 10.5f, 0.5f, 0.5f, 20.5f, 20.5f}));
}

} // namespace
} // namespace ncnn_int8::test
