// Param resolution against the schema (model/model.h): defaults, kinds and
// ncnn's load checks.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

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
    if (b.ok) b.model = std::move(m).value();
    else b.error = m.status().message();
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
    EXPECT_EQ(p.i(1), 3);
    EXPECT_EQ(p.i(11), 3);
    EXPECT_EQ(p.i(2), 1);  // dilation default
    EXPECT_EQ(p.i(12), 1); // dilation_h follows
    EXPECT_EQ(p.i(3), 1);
    EXPECT_EQ(p.i(13), 1);
    EXPECT_EQ(p.f(18), 0.f);
    EXPECT_EQ(p.i(8), 0);
    Built c = build("Convolution c 1 1 a b 0=8 1=3 11=5 2=2 3=2 13=1 6=120");
    const LayerParams& q = params_of(c);
    EXPECT_EQ(q.i(11), 5);
    EXPECT_EQ(q.i(12), 2);
    EXPECT_EQ(q.i(13), 1);
}

TEST(Defaults, ConvolutionPadChain)
{
    // pad_bottom -> pad_top -> pad_left; pad_right -> pad_left
    Built a = build("Convolution c 1 1 a b 0=1 1=1 6=1 4=2");
    const LayerParams& p = params_of(a);
    EXPECT_EQ(p.i(4), 2);
    EXPECT_EQ(p.i(14), 2);
    EXPECT_EQ(p.i(15), 2);
    EXPECT_EQ(p.i(16), 2);
    Built b = build("Convolution c 1 1 a b 0=1 1=1 6=1 4=2 14=5");
    const LayerParams& q = params_of(b);
    EXPECT_EQ(q.i(14), 5);
    EXPECT_EQ(q.i(15), 2);
    EXPECT_EQ(q.i(16), 5); // follows pad_top, not pad_left
    Built c = build("Convolution c 1 1 a b 0=1 1=1 6=1 16=7");
    const LayerParams& r = params_of(c);
    EXPECT_EQ(r.i(14), 0);
    EXPECT_EQ(r.i(16), 7);
    // pad_left may be negative (-233 = SAME padding marker)
    Built d = build("Convolution c 1 1 a b 0=1 1=1 6=1 4=-233");
    EXPECT_EQ(params_of(d).i(16), -233);
}

TEST(Defaults, MultiHeadAttention)
{
    Built b = build("MultiHeadAttention m 1 1 a b 0=8 1=2 2=64");
    const LayerParams& p = params_of(b);
    EXPECT_EQ(p.i(3), 8); // kdim defaults to embed_dim
    EXPECT_EQ(p.i(4), 8); // vdim too
    EXPECT_EQ(p.f(6), 0.5f); // 1 / sqrt(8 / 2)
    Built c = build("MultiHeadAttention m 1 1 a b 0=12 1=5 2=144 3=6");
    const LayerParams& q = params_of(c);
    EXPECT_EQ(q.i(3), 6);
    EXPECT_EQ(q.i(4), 12);
    EXPECT_EQ(q.f(6), 1.f / std::sqrt(2.f)); // integer division first: 12 / 5 = 2
    Built d = build("MultiHeadAttention m 1 1 a b 0=8 1=2 2=64 6=0.25");
    EXPECT_EQ(params_of(d).f(6), 0.25f);
    Built e = build("MultiHeadAttention m 1 1 a b 0=8 1=0 2=64");
    EXPECT_FALSE(e.ok);
    EXPECT_TRUE(contains(e.error, "num_heads")) << e.error;
}

TEST(Defaults, IntGivenForFloatReinterpretsBits)
{
    Built b = build("ReLU r 1 1 a b 0=1");
    const LayerParams& p = params_of(b);
    EXPECT_EQ(p.get(0).kind, ValueKind::Float);
    EXPECT_EQ(p.get(0).bits, 1u);
    EXPECT_EQ(p.f(0), std::nextafter(0.f, 1.f)); // the smallest subnormal
    EXPECT_TRUE(warned(b, "param 0 (slope)")) ;
    EXPECT_TRUE(warned(b, "m.param:3"));
    // and a float given for an int keeps the float's bits
    Built c = build("Concat c 1 1 a b 0=1.0");
    EXPECT_EQ(params_of(c).i(0), 0x3F800000);
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
    EXPECT_EQ(e.i(0), 0);
    EXPECT_EQ(e.i(1), 1);
    EXPECT_EQ(e.i(3), 0); // kdim = embed_dim's default
    EXPECT_EQ(e.i(4), 0);
    EXPECT_TRUE(std::isinf(e.f(6))); // 1 / sqrt(0 / 1)
    const LayerSchema* conv = find_layer_schema("Convolution");
    ASSERT_NE(conv, nullptr);
    EXPECT_EQ(empty_dict_params(*conv).i(11), 0);
    EXPECT_EQ(empty_dict_params(*conv).i(12), 1);
    // default_value follows SameAs against the given params
    LayerParams p = empty_dict_params(*conv);
    p.set(1, ParamValue::from_int(7));
    EXPECT_EQ(default_value(*conv->find_param(11), p).as_int(), 7);
}

} // namespace
} // namespace ncnn_int8
