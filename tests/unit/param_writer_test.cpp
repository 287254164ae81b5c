// The reference-style .param writer (model/param_writer.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/param_writer.h"
#include "test_util.h"

namespace ncnn_int8 {
namespace {

using test::contains;

// The params part the writer prints for one layer line (with the 1-in 1-out form).
std::string written(const std::string& line)
{
    const Model m = test::must_build(test::single_layer_file(line));
    if (m.layers.empty()) return "<error>";
    return format_layer_params(*m.layers[0].schema, m.layers[0].params);
}

std::string write_all(const std::string& text)
{
    const Model m = test::must_build(text);
    std::vector<LayerParams> params;
    for (const ModelLayer& l : m.layers) params.push_back(l.params);
    return write_param_text(m, params);
}

std::string pad24(const std::string& s) { return s.size() >= 24 ? s : s + std::string(24 - s.size(), ' '); }

TEST(ParamWriter, ConvolutionDefaultsAreOmitted)
{
    EXPECT_EQ(written("Convolution c 1 1 a b 0=8 1=3 6=72"), " 0=8 1=3 6=72");
    EXPECT_EQ(written("Convolution c 1 1 a b 0=8 1=3 11=3 2=1 3=1 4=0 5=0 6=72"), " 0=8 1=3 6=72");
}

TEST(ParamWriter, ConvolutionPartnerRules)
{
    // 11 only when kernel_h != kernel_w
    EXPECT_EQ(written("Convolution c 1 1 a b 0=8 1=3 11=5 6=120"), " 0=8 1=3 11=5 6=120");
    // 12/13 likewise
    EXPECT_EQ(written("Convolution c 1 1 a b 0=8 1=3 2=2 12=1 3=2 6=72"), " 0=8 1=3 2=2 12=1 3=2 6=72");
    // pad_left only: 14/15/16 follow it
    EXPECT_EQ(written("Convolution c 1 1 a b 0=8 1=3 4=1 6=72"), " 0=8 1=3 4=1 6=72");
    // 15 printed when it differs from pad_left, 16 when it differs from pad_top
    EXPECT_EQ(written("Convolution c 1 1 a b 0=8 1=3 4=1 15=2 6=72"), " 0=8 1=3 4=1 15=2 6=72");
    EXPECT_EQ(written("Convolution c 1 1 a b 0=8 1=3 4=1 16=2 6=72"), " 0=8 1=3 4=1 16=2 6=72");
    EXPECT_EQ(written("Convolution c 1 1 a b 0=8 1=3 4=1 14=2 6=72"), " 0=8 1=3 4=1 14=2 6=72");
    EXPECT_EQ(written("Convolution c 1 1 a b 0=8 1=3 4=1 14=2 16=1 6=72"), " 0=8 1=3 4=1 14=2 16=1 6=72");
}

TEST(ParamWriter, FloatsWithPercentE)
{
    EXPECT_EQ(written("Convolution c 1 1 a b 0=8 1=3 18=0.5 5=1 6=72"), " 0=8 1=3 18=5.000000e-01 5=1 6=72");
    EXPECT_EQ(written("Convolution c 1 1 a b 0=8 1=3 6=72 9=2 -23310=1,0.1"), " 0=8 1=3 6=72 9=2 -23310=1,1.000000e-01");
    EXPECT_EQ(written("ReLU r 1 1 a b 0=0.1"), " 0=1.000000e-01");
    EXPECT_EQ(written("Clip c 1 1 a b 0=-1.0 1=6.0"), " 0=-1.000000e+00 1=6.000000e+00");
    EXPECT_EQ(written("Clip c 1 1 a b"), "");
}

TEST(ParamWriter, MultiHeadAttentionAlwaysWritesKdimVdimScale)
{
    // empty-dict defaults are kdim = vdim = 0, scale = inf: all three always differ
    EXPECT_EQ(written("MultiHeadAttention m 1 1 a b 0=8 1=2 2=64"), " 0=8 1=2 2=64 3=8 4=8 6=5.000000e-01");
    EXPECT_EQ(written("MultiHeadAttention m 1 1 a b 0=4 1=1 2=16 3=4 4=4 6=0.5 18=2"), " 0=4 2=16 3=4 4=4 6=5.000000e-01 18=2");
}

TEST(ParamWriter, LstmAlwaysWritesHiddenSize)
{
    EXPECT_EQ(written("LSTM l 1 1 a b 0=2 1=24"), " 0=2 1=24 3=2");
}

TEST(ParamWriter, ReductionMarker)
{
    EXPECT_EQ(written("Reduction r 1 1 a b 0=3 1=0 -23303=2,1,2 4=1 5=1"), " 0=3 1=0 -23303=2,1,2 4=1 5=1");
    // no axes: no marker even when the input had 5=1
    EXPECT_EQ(written("Reduction r 1 1 a b 0=3 5=1"), " 0=3");
}

TEST(ParamWriter, SoftmaxMarker)
{
    EXPECT_EQ(written("Softmax s 1 1 a b 0=1 1=1"), " 0=1 1=1");
    EXPECT_EQ(written("Softmax s 1 1 a b 0=-1 1=1"), " 0=-1 1=1");
    EXPECT_EQ(written("Softmax s 1 1 a b 0=0 1=1"), "");
}

TEST(ParamWriter, KeptParams)
{
    EXPECT_EQ(written("Input in 0 1 data 0=4 1=5 11=2 2=3"), " 0=4 1=5 2=3 11=2");
    EXPECT_EQ(written("Slice s 1 2 a b c -23300=2,1,-233 1=1 -23302=1,2"), " -23300=2,1,-233 1=1 -23302=1,2");
    EXPECT_EQ(written("Flip f 1 1 a b -23300=2,0,1"), " -23300=2,0,1");
    EXPECT_EQ(written("Flip f 1 1 a b"), "");
    EXPECT_EQ(written("MemoryData md 0 1 b 0=4 21=0"), " 0=4 21=0");
    EXPECT_EQ(written("MemoryData md 0 1 b 0=4 21=1"), " 0=4");
    EXPECT_EQ(written("SELU s 1 1 a b 0=1.5"), " 0=1.500000e+00");
    EXPECT_EQ(written("Cast c 1 1 a b 0=1 1=2"), " 0=1 1=2");
}

TEST(ParamWriter, LayerLinePaddingAndHeader)
{
    const std::string out = write_all("7767517\n3 3\nInput in 0 1 data 0=4 1=4 2=3\n"
                                      "Convolution a_very_long_convolution_name 1 1 data conv 0=2 1=1 6=6\n"
                                      "ReLU relu 1 1 conv out\n");
    // %-24s: padded to 24, longer names are written whole
    const std::string want = "7767517\n3 3\n" + pad24("Input") + " " + pad24("in") + " 0 1 data 0=4 1=4 2=3\n" + pad24("Convolution") + " a_very_long_convolution_name 1 1 data conv 0=2 1=1 6=6\n" + pad24("ReLU") + " " + pad24("relu") + " 1 1 conv out\n";
    EXPECT_EQ(out, want);
}

TEST(ParamWriter, BlobCountIsDistinctNames)
{
    const std::string out = write_all("7767517\n3 4\nInput in 0 1 a\nSplit s 1 2 a b c\nConcat cat 2 1 b c d\n");
    EXPECT_EQ(out.substr(0, 12), "7767517\n3 4\n");
}

TEST(ParamWriter, ShapeHintsReEmittedInFiveIntForm)
{
    std::string out = write_all("7767517\n2 2\nInput in 0 1 data 0=10 1=20 2=3 -23330=4,3,10,20,3\nReLU r 1 1 data out -23330=4,1,7,0,0\n");
    EXPECT_TRUE(contains(out, " 0 1 data -23330=5,3,10,20,1,3 0=10 1=20 2=3\n")) << out;
    EXPECT_TRUE(contains(out, " 1 1 data out -23330=5,1,7,1,1,1\n")) << out;
    out = write_all("7767517\n1 1\nInput in 0 1 data -23330=5,4,10,20,5,3\n");
    EXPECT_TRUE(contains(out, " -23330=5,4,10,20,5,3\n")) << out;
    // all tops known: one hint with 5 x top_count values
    out = write_all("7767517\n2 3\nInput in 0 1 a\nSplit s 1 2 a b c -23330=8,2,3,4,0,1,5,0,0\n");
    EXPECT_TRUE(contains(out, " 1 2 a b c -23330=10,2,3,4,1,1,1,5,1,1,1\n")) << out;
}

TEST(ParamWriter, ShapeHintsDroppedUnlessAllTopsKnown)
{
    const std::string out = write_all("7767517\n2 3\nInput in 0 1 a\nSplit s 1 2 a b c -23330=8,2,3,4,0,0,0,0,0\n");
    EXPECT_FALSE(contains(out, "-23330")) << out;
    const std::string bad_dims = write_all("7767517\n1 1\nInput in 0 1 a -23330=4,9,1,1,1\n");
    EXPECT_FALSE(contains(bad_dims, "-23330")) << bad_dims;
}

TEST(ParamWriter, CustomLayerParamsVerbatim)
{
    const std::string out = write_all("7767517\n2 2\nInput in 0 1 a\nMyOp op 1 1 a b 0=1   2=\"x  y\" 7=1,2.50 -23330=4,1,3,0,0  \n");
    EXPECT_TRUE(contains(out, pad24("MyOp") + " " + pad24("op") + " 1 1 a b 0=1   2=\"x  y\" 7=1,2.50 -23330=4,1,3,0,0\n")) << out;
    // no params: nothing after the blobs
    const std::string bare = write_all("7767517\n2 2\nInput in 0 1 a\nMyOp op 1 1 a b\n");
    EXPECT_TRUE(contains(bare, " 1 1 a b\n")) << bare;
}

TEST(ParamWriter, FeatureMaskWrittenLast)
{
    const std::string out = write_all("7767517\n2 2\nInput in 0 1 a\nReLU r 1 1 a b 31=1 0=0.5\n");
    EXPECT_TRUE(contains(out, " 1 1 a b 0=5.000000e-01 31=1\n")) << out;
    const std::string zero = write_all("7767517\n2 2\nInput in 0 1 a\nReLU r 1 1 a b 31=0\n");
    EXPECT_FALSE(contains(zero, "31=")) << zero;
}

TEST(ParamWriter, UnwrittenTypeWithoutParams)
{
    const std::string out = write_all("7767517\n2 2\nInput in 0 1 a\nSigmoid s 1 1 a b\n");
    EXPECT_TRUE(contains(out, pad24("Sigmoid") + " " + pad24("s") + " 1 1 a b\n")) << out;
}

} // namespace
} // namespace ncnn_int8
