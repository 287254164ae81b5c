// Param resolution against the schema (model/model.h): defaults, kinds and
// ncnn's load checks.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "model/catalog/params.h"
#include "model/model.h"
#include "test_util.h"

namespace ncnn_int8 {
namespace {

using test::contains;

struct Built {
    bool ok = false;
    std::string error;
    Model model;
    Diagnostics diag;
};

// Parses one layer line (in 1 input, 1 output form) and resolves it.
Built build(const std::string& line)
{
    Built b;
    Result<ParamFile> f = read_param_text(test::single_layer_file(line), "m.param");
    if (!f.is_ok()) {
        b.error = "parse: " + f.status().message();
        return b;
    }
    Result<Model> m = build_model(std::move(f).value(), b.diag);
    b.ok = m.is_ok();
    if (b.ok)
        b.model = std::move(m).value();
    else
        b.error = m.status().message();
    return b;
}

const LayerParams& params_of(const Built& b)
{
    EXPECT_TRUE(b.ok) << b.error;
    static const LayerParams empty;
    return b.ok ? b.model.layers[0].params : empty;
}

bool warned(const Built& b, const std::string& text)
{
    for (const Warning& w : b.diag.warnings())
        if (contains(w.where + " " + w.layer + " " + w.message, text)) return true;
    return false;
}

TEST(Defaults, ConvolutionKernelHDefaultsToKernelW)
{
    Built b = build("Convolution c 1 1 a b 0=8 1=3 6=72");
    const LayerParams& p = params_of(b);
    EXPECT_EQ(p.get(params::Convolution::kernel_w), 3);
    EXPECT_EQ(p.get(params::Convolution::kernel_h), 3);
    EXPECT_EQ(p.get(params::Convolution::dilation_w), 1); // dilation default
    EXPECT_EQ(p.get(params::Convolution::dilation_h), 1); // dilation_h follows
    EXPECT_EQ(p.get(params::Convolution::stride_w), 1);
    EXPECT_EQ(p.get(params::Convolution::stride_h), 1);
    EXPECT_EQ(p.get(params::Convolution::pad_value), 0.f);
    EXPECT_EQ(p.get(params::Convolution::int8_scale_term), 0);
    Built c = build("Convolution c 1 1 a b 0=8 1=3 11=5 2=2 3=2 13=1 6=120");
    const LayerParams& q = params_of(c);
    EXPECT_EQ(q.get(params::Convolution::kernel_h), 5);
    EXPECT_EQ(q.get(params::Convolution::dilation_h), 2);
    EXPECT_EQ(q.get(params::Convolution::stride_h), 1);
}

TEST(Defaults, ConvolutionPadChain)
{
    // pad_bottom -> pad_top -> pad_left; pad_right -> pad_left
    Built a = build("Convolution c 1 1 a b 0=1 1=1 6=1 4=2");
    const LayerParams& p = params_of(a);
    EXPECT_EQ(p.get(params::Convolution::pad_left), 2);
    EXPECT_EQ(p.get(params::Convolution::pad_top), 2);
    EXPECT_EQ(p.get(params::Convolution::pad_right), 2);
    EXPECT_EQ(p.get(params::Convolution::pad_bottom), 2);
    Built b = build("Convolution c 1 1 a b 0=1 1=1 6=1 4=2 14=5");
    const LayerParams& q = params_of(b);
    EXPECT_EQ(q.get(params::Convolution::pad_top), 5);
    EXPECT_EQ(q.get(params::Convolution::pad_right), 2);
    EXPECT_EQ(q.get(params::Convolution::pad_bottom), 5); // follows pad_top, not pad_left
    Built c = build("Convolution c 1 1 a b 0=1 1=1 6=1 16=7");
    const LayerParams& r = params_of(c);
    EXPECT_EQ(r.get(params::Convolution::pad_top), 0);
    EXPECT_EQ(r.get(params::Convolution::pad_bottom), 7);
    // pad_left may be negative (-233 = SAME padding marker)
    Built d = build("Convolution c 1 1 a b 0=1 1=1 6=1 4=-233");
    EXPECT_EQ(params_of(d).get(params::Convolution::pad_bottom), -233);
}

TEST(Defaults, MultiHeadAttention)
{
    Built b = build("MultiHeadAttention m 1 1 a b 0=8 1=2 2=64");
    const LayerParams& p = params_of(b);
    EXPECT_EQ(p.get(params::MultiHeadAttention::kdim), 8);     // kdim defaults to embed_dim
    EXPECT_EQ(p.get(params::MultiHeadAttention::vdim), 8);     // vdim too
    EXPECT_EQ(p.get(params::MultiHeadAttention::scale), 0.5f); // 1 / sqrt(8 / 2)
    Built c = build("MultiHeadAttention m 1 1 a b 0=12 1=5 2=144 3=6");
    const LayerParams& q = params_of(c);
    EXPECT_EQ(q.get(params::MultiHeadAttention::kdim), 6);
    EXPECT_EQ(q.get(params::MultiHeadAttention::vdim), 12);
    EXPECT_EQ(q.get(params::MultiHeadAttention::scale), 1.f / std::sqrt(2.f)); // integer division first: 12 / 5 = 2
    Built d = build("MultiHeadAttention m 1 1 a b 0=8 1=2 2=64 6=0.25");
    EXPECT_EQ(params_of(d).get(params::MultiHeadAttention::scale), 0.25f);
    Built e = build("MultiHeadAttention m 1 1 a b 0=8 1=0 2=64");
    EXPECT_FALSE(e.ok);
    EXPECT_TRUE(contains(e.error, "num_heads")) << e.error;
}

TEST(Defaults, IntGivenForFloatReinterpretsBits)
{
    Built b = build("ReLU r 1 1 a b 0=1");
    const LayerParams& p = params_of(b);
    EXPECT_EQ(p.get(params::ReLU::slope.id).kind, ValueKind::Float);
    EXPECT_EQ(p.get(params::ReLU::slope.id).bits, 1u);
    EXPECT_EQ(p.get(params::ReLU::slope), std::nextafter(0.f, 1.f)); // the smallest subnormal
    EXPECT_TRUE(warned(b, "param 0 (slope)"));
    EXPECT_TRUE(warned(b, "m.param:3"));
    // and a float given for an int keeps the float's bits
    Built c = build("Concat c 1 1 a b 0=1.0");
    EXPECT_EQ(params_of(c).get(params::Concat::axis), 0x3F800000);
    EXPECT_TRUE(warned(c, "axis"));
    // the same kind gives no warning
    Built d = build("ReLU r 1 1 a b 0=0.1");
    EXPECT_TRUE(d.diag.warnings().empty());
}

TEST(Defaults, WrongKindsAreErrors)
{
    Built a = build("Convolution c 1 1 a b 0=abc");
    EXPECT_FALSE(a.ok);
    EXPECT_TRUE(contains(a.error, "m.param:3")) << a.error;
    EXPECT_TRUE(contains(a.error, "Convolution 'c'")) << a.error;
    EXPECT_TRUE(contains(a.error, "num_output")) << a.error;
    Built b = build("Convolution c 1 1 a b 0=1,2");
    EXPECT_FALSE(b.ok);
    EXPECT_TRUE(contains(b.error, "array")) << b.error;
    Built c = build("Reduction r 1 1 a b 3=1 5=1");
    EXPECT_FALSE(c.ok);
    EXPECT_TRUE(contains(c.error, "axes")) << c.error;
    Built d = build("Interp i 1 1 a b 9=1");
    EXPECT_FALSE(d.ok) << "a string param given an int";
}

TEST(Defaults, UnknownParamIdWarnsAndIsDropped)
{
    Built b = build("ReLU r 1 1 a b 7=3");
    ASSERT_TRUE(b.ok) << b.error;
    EXPECT_FALSE(b.model.layers[0].params.has(7));
    EXPECT_TRUE(warned(b, "param 7"));
}

TEST(Defaults, CustomLayerWarns)
{
    Built b = build("MyCustomOp x 1 1 a b 0=1 2=\"q r\"");
    ASSERT_TRUE(b.ok) << b.error;
    EXPECT_EQ(b.model.layers[0].schema, nullptr);
    EXPECT_TRUE(warned(b, "custom layer"));
}

TEST(LoadChecks, ConvolutionDepthWiseGroup)
{
    Built a = build("ConvolutionDepthWise d 1 1 a b 0=8 1=3 6=24 7=3");
    EXPECT_FALSE(a.ok);
    EXPECT_TRUE(contains(a.error, "group")) << a.error;
    EXPECT_TRUE(contains(a.error, "ConvolutionDepthWise 'd'")) << a.error;
    EXPECT_TRUE(contains(a.error, "m.param:3")) << a.error;
    EXPECT_FALSE(build("ConvolutionDepthWise d 1 1 a b 0=8 1=3 6=24 7=0").ok);
    EXPECT_FALSE(build("ConvolutionDepthWise d 1 1 a b 0=8 1=3 6=24 7=-2").ok);
    EXPECT_TRUE(build("ConvolutionDepthWise d 1 1 a b 0=8 1=3 6=72 7=8").ok);
    EXPECT_TRUE(build("ConvolutionDepthWise d 1 1 a b 0=8 1=3 6=36 7=4").ok);
}

TEST(LoadChecks, SoftmaxFixbug)
{
    EXPECT_TRUE(build("Softmax s 1 1 a b").ok);
    EXPECT_TRUE(build("Softmax s 1 1 a b 0=1 1=1").ok);
    Built b = build("Softmax s 1 1 a b 0=1");
    EXPECT_FALSE(b.ok);
    EXPECT_TRUE(contains(b.error, "1=1")) << b.error;
    EXPECT_TRUE(contains(b.error, "Softmax 's'")) << b.error;
}

TEST(LoadChecks, ReductionFixbug)
{
    EXPECT_TRUE(build("Reduction r 1 1 a b 0=0 1=1").ok);
    EXPECT_TRUE(build("Reduction r 1 1 a b 0=0 1=0 -23303=2,1,2 5=1").ok);
    Built b = build("Reduction r 1 1 a b 0=0 1=0 -23303=2,1,2");
    EXPECT_FALSE(b.ok);
    EXPECT_TRUE(contains(b.error, "5=1")) << b.error;
}

TEST(EmptyDict, EvaluatesDefaultsAgainstDefaults)
{
    const LayerSchema* mha = find_layer_schema("MultiHeadAttention");
    ASSERT_NE(mha, nullptr);
    const LayerParams& e = empty_dict_params(*mha);
    EXPECT_EQ(e.get(params::MultiHeadAttention::embed_dim), 0);
    EXPECT_EQ(e.get(params::MultiHeadAttention::num_heads), 1);
    EXPECT_EQ(e.get(params::MultiHeadAttention::kdim), 0); // kdim = embed_dim's default
    EXPECT_EQ(e.get(params::MultiHeadAttention::vdim), 0);
    EXPECT_TRUE(std::isinf(e.get(params::MultiHeadAttention::scale))); // 1 / sqrt(0 / 1)
    const LayerSchema* conv = find_layer_schema("Convolution");
    ASSERT_NE(conv, nullptr);
    EXPECT_EQ(empty_dict_params(*conv).get(params::Convolution::kernel_h), 0);
    EXPECT_EQ(empty_dict_params(*conv).get(params::Convolution::dilation_h), 1);
    // default_value follows SameAs against the given params
    LayerParams p = empty_dict_params(*conv);
    p.set(params::Convolution::kernel_w, 7);
    EXPECT_EQ(default_value(*conv->find_param(params::Convolution::kernel_h.id), p).as_int(), 7);
}

} // namespace
} // namespace ncnn_int8
