// The Winograd path of the engine's Convolution (3x3, stride 1, dilation 1,
// no groups, more than 8 input or output channels): the layer's output is
// the kernel's (bit for bit, borders and fused activation included) and the
// convolution's definition (within rounding); the other cases keep im2col.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <random>

#include "engine/engine.h"
#include "kernels/engine_kernels.h"
#include "kernels/winograd_kernels.h"
#include "test_util.h"

namespace ncnn_int8::test {
namespace {

using engine::Engine;
using engine::Tensor;

std::vector<float> random_floats(size_t n, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1.f, 1.f);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
}

Tensor run_conv(const std::string& line, const std::vector<float>& w, const std::vector<float>& bias, const Tensor& in)
{
    BinBuilder bin;
    bin.fp32(w);
    if (!bias.empty()) bin.raw(bias);
    const Model model = must_build("7767517\n2 2\nInput in 0 1 data\n" + line + "\n");
    MemorySource src(bin.bytes.data(), bin.bytes.size());
    auto made = Engine::create(model, src, "m.bin", {});
    EXPECT_TRUE(made.is_ok()) << made.status().message();
    Tensor out;
    if (!made.is_ok()) return out;
    Status st = made.value()->run({in}, {}, [&](const std::string& name, const Tensor& t) {
        if (name == "out") out = t;
        return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.message();
    return out;
}

// The input with `pad` values of `value` on every side.
std::vector<float> bordered(const Tensor& in, int pad, float value)
{
    const int bw = in.w + 2 * pad, bh = in.h + 2 * pad;
    std::vector<float> out(static_cast<size_t>(bw) * bh * in.c, value);
    for (int q = 0; q < in.c; q++)
        for (int y = 0; y < in.h; y++)
            std::memcpy(&out[(static_cast<size_t>(q) * bh + y + pad) * bw + pad], in.channel(q) + static_cast<size_t>(y) * in.w,
                        in.w * sizeof(float));
    return out;
}

// 3x3 stride-1 convolution of a bordered input, in double, and per output
// the sum of |terms| (what the rounding of the transforms grows with).
std::vector<double> definition(std::vector<double>& magnitude, const std::vector<float>& src, int src_w, int src_h, int in_c, const std::vector<float>& w,
                               const std::vector<float>& bias, int out_c)
{
    const int outw = src_w - 2, outh = src_h - 2;
    std::vector<double> out(static_cast<size_t>(out_c) * outw * outh);
    magnitude.assign(out.size(), 0.0);
    for (int oc = 0; oc < out_c; oc++)
        for (int y = 0; y < outh; y++)
            for (int x = 0; x < outw; x++) {
                double s = bias.empty() ? 0 : bias[oc], m = std::fabs(s);
                for (int ic = 0; ic < in_c; ic++)
                    for (int ky = 0; ky < 3; ky++)
                        for (int kx = 0; kx < 3; kx++) {
                            const double p = static_cast<double>(w[(static_cast<size_t>(oc) * in_c + ic) * 9 + ky * 3 + kx]) * src[(static_cast<size_t>(ic) * src_h + y + ky) * src_w + x + kx];
                            s += p;
                            m += std::fabs(p);
                        }
                out[(static_cast<size_t>(oc) * outh + y) * outw + x] = s;
                magnitude[(static_cast<size_t>(oc) * outh + y) * outw + x] = m;
            }
    return out;
}

struct Case {
    int w, h, in_c, out_c, pad;
    float pad_value;
    bool bias, relu;
};

TEST(WinogradLayer, ConvolutionIsTheKernelsResult)
{
    uint32_t seed = 1;
    for (const Case& c : {Case{13, 13, 16, 24, 1, 0.f, true, true}, Case{27, 27, 9, 4, 1, 0.f, true, false},
                          Case{10, 7, 4, 12, 0, 0.f, false, true}, Case{6, 11, 12, 3, 1, 0.5f, true, false},
                          Case{3, 3, 10, 10, 1, 0.f, true, false}}) {
        const Tensor in = [&] {
            Tensor t = Tensor::make3(c.w, c.h, c.in_c);
            const std::vector<float> values = random_floats(t.data.size(), seed++);
            t.data.assign(values.begin(), values.end());
            return t;
        }();
        const std::vector<float> w = random_floats(static_cast<size_t>(c.out_c) * c.in_c * 9, seed++);
        const std::vector<float> bias = c.bias ? random_floats(c.out_c, seed++) : std::vector<float>();
        const std::string line = "Convolution conv 1 1 data out 0=" + std::to_string(c.out_c) + " 1=3 4=" + std::to_string(c.pad) + (c.pad_value != 0.f ? " 18=" + std::to_string(c.pad_value) : std::string()) + " 5=" + (c.bias ? "1" : "0") + " 6=" + std::to_string(w.size()) + (c.relu ? " 9=1" : "");
        SCOPED_TRACE(line);
        const Tensor got = run_conv(line, w, bias, in);
        const int src_w = c.w + 2 * c.pad, src_h = c.h + 2 * c.pad, outw = src_w - 2, outh = src_h - 2;
        ASSERT_EQ(got.w, outw);
        ASSERT_EQ(got.h, outh);
        ASSERT_EQ(got.c, c.out_c);
        const std::vector<float> src = bordered(in, c.pad, c.pad_value);

        // Bit for bit the kernel's result, then the fused ReLU.
        std::vector<float> u(kernels::kWinograd43Points * c.out_c * c.in_c);
        kernels::winograd43_transform_weights(w.data(), c.out_c, c.in_c, u.data());
        std::vector<float> scratch(kernels::winograd43_scratch_floats(c.in_c, c.out_c, outw, outh));
        std::vector<float> want(got.data.size());
        kernels::conv3x3s1_winograd43_f32(src.data(), src_w, src_h, c.in_c, u.data(), c.out_c, c.bias ? bias.data() : nullptr,
                                          want.data(), scratch.data());
        if (c.relu)
            for (float& v : want) v = std::max(v, 0.f);
        EXPECT_EQ(std::memcmp(got.data.data(), want.data(), want.size() * sizeof(float)), 0);

        // And the convolution within rounding.
        std::vector<double> magnitude;
        const std::vector<double> exact = definition(magnitude, src, src_w, src_h, c.in_c, w, bias, c.out_c);
        for (size_t i = 0; i < exact.size(); i++) {
            const double e = c.relu ? std::max(exact[i], 0.0) : exact[i];
            ASSERT_NEAR(got.data[i], e, 1e-5 * magnitude[i] + 1e-7) << "at " << i;
        }
    }
}

TEST(WinogradLayer, FewChannelsGroupsAndStridesKeepIm2col)
{
    // 8 in and 8 out channels: im2col + GEMM, i.e. bias then k in (ic, ky, kx) order.
    const int w = 9, h = 6, ch = 8;
    Tensor in = Tensor::make3(w, h, ch);
    const std::vector<float> values = random_floats(in.data.size(), 50);
    in.data.assign(values.begin(), values.end());
    const std::vector<float> wt = random_floats(static_cast<size_t>(ch) * ch * 9, 51), bias = random_floats(ch, 52);
    const Tensor got = run_conv("Convolution conv 1 1 data out 0=8 1=3 5=1 6=576", wt, bias, in);
    const int outw = w - 2, outh = h - 2;
    std::vector<float> col(static_cast<size_t>(ch) * 9 * outw * outh);
    size_t i = 0;
    for (int ic = 0; ic < ch; ic++)
        for (int ky = 0; ky < 3; ky++)
            for (int kx = 0; kx < 3; kx++)
                for (int y = 0; y < outh; y++)
                    for (int x = 0; x < outw; x++) col[i++] = in.channel(ic)[(y + ky) * w + x + kx];
    std::vector<float> want(static_cast<size_t>(ch) * outw * outh);
    kernels::gemm_f32(ch, outw * outh, ch * 9, wt.data(), ch * 9, col.data(), outw * outh, bias.data(), want.data(), outw * outh);
    ASSERT_EQ(got.data.size(), want.size());
    EXPECT_EQ(std::memcmp(got.data.data(), want.data(), want.size() * sizeof(float)), 0);
}

} // namespace
} // namespace ncnn_int8::test
