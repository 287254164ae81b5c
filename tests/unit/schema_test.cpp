// The layer catalog (model/layer_schema.h) and the blob plan it gives
// (model/bin_reader.h present_blobs).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "model/bin_reader.h"
#include "model/catalog/params.h"
#include "model/layer_schema.h"
#include "model/model.h"
#include "test_util.h"

namespace ncnn_int8 {
namespace {

using test::contains;

// `git show HEAD:src/CMakeLists.txt | grep ncnn_add_layer` in Tencent/ncnn.
const std::vector<std::string> kNcnnLayers = {
    "AbsVal",
    "ArgMax",
    "BatchNorm",
    "Bias",
    "BNLL",
    "Concat",
    "Convolution",
    "Crop",
    "Deconvolution",
    "Dropout",
    "Eltwise",
    "ELU",
    "Embed",
    "Exp",
    "Flatten",
    "InnerProduct",
    "Input",
    "Log",
    "LRN",
    "MemoryData",
    "MVN",
    "Pooling",
    "Power",
    "PReLU",
    "Proposal",
    "Reduction",
    "ReLU",
    "Reshape",
    "ROIPooling",
    "Scale",
    "Sigmoid",
    "Slice",
    "Softmax",
    "Split",
    "SPP",
    "TanH",
    "Threshold",
    "Tile",
    "RNN",
    "LSTM",
    "BinaryOp",
    "UnaryOp",
    "ConvolutionDepthWise",
    "Padding",
    "Squeeze",
    "ExpandDims",
    "Normalize",
    "Permute",
    "PriorBox",
    "DetectionOutput",
    "Interp",
    "DeconvolutionDepthWise",
    "ShuffleChannel",
    "InstanceNorm",
    "Clip",
    "Reorg",
    "YoloDetectionOutput",
    "Quantize",
    "Dequantize",
    "Yolov3DetectionOutput",
    "PSROIPooling",
    "ROIAlign",
    "Packing",
    "Requantize",
    "Cast",
    "HardSigmoid",
    "SELU",
    "HardSwish",
    "Noop",
    "PixelShuffle",
    "DeepCopy",
    "Mish",
    "StatisticsPooling",
    "Swish",
    "Gemm",
    "GroupNorm",
    "LayerNorm",
    "Softplus",
    "GRU",
    "MultiHeadAttention",
    "GELU",
    "Convolution1D",
    "Pooling1D",
    "ConvolutionDepthWise1D",
    "Convolution3D",
    "ConvolutionDepthWise3D",
    "Pooling3D",
    "MatMul",
    "Deconvolution1D",
    "DeconvolutionDepthWise1D",
    "Deconvolution3D",
    "DeconvolutionDepthWise3D",
    "Einsum",
    "DeformableConv2D",
    "GLU",
    "Fold",
    "Unfold",
    "GridSample",
    "CumulativeSum",
    "CopyTo",
    "Erf",
    "Diag",
    "CELU",
    "Shrink",
    "RMSNorm",
    "Spectrogram",
    "InverseSpectrogram",
    "Flip",
    "SDPA",
    "RotaryEmbed",
};

TEST(Schema, Exactly110NcnnLayerTypes)
{
    ASSERT_EQ(kNcnnLayers.size(), 110u);
    const std::vector<LayerSchema>& all = all_layer_schemas();
    EXPECT_EQ(all.size(), 110u);
    std::set<std::string> ours;
    for (const LayerSchema& s : all) EXPECT_TRUE(ours.insert(s.type).second) << "duplicate type " << s.type;
    const std::set<std::string> ncnn(kNcnnLayers.begin(), kNcnnLayers.end());
    for (const std::string& t : ours) EXPECT_TRUE(ncnn.count(t)) << t << " is not an ncnn layer type";
    for (const std::string& t : ncnn) {
        EXPECT_TRUE(ours.count(t)) << t << " is missing from the catalog";
        const LayerSchema* s = find_layer_schema(t);
        ASSERT_NE(s, nullptr) << t;
        EXPECT_EQ(s->type, t);
    }
    EXPECT_EQ(find_layer_schema("NotALayer"), nullptr);
    EXPECT_EQ(find_layer_schema("convolution"), nullptr); // case-sensitive
}

TEST(Schema, ParamIdsUniqueAndInRange)
{
    for (const LayerSchema& s : all_layer_schemas()) {
        std::set<int> ids;
        for (const ParamSpec& p : s.params) {
            EXPECT_TRUE(ids.insert(p.id).second) << s.type << ": param id " << p.id << " twice";
            EXPECT_GE(p.id, 0) << s.type;
            EXPECT_LT(p.id, kMaxParamId) << s.type;
            EXPECT_NE(p.id, kShapeHintId) << s.type << " must not declare the generic shape hint id";
            EXPECT_NE(p.id, kFeatureMaskId) << s.type << " must not declare the generic feature mask id";
            EXPECT_FALSE(p.name.empty()) << s.type << " param " << p.id;
        }
    }
}

TEST(Schema, EveryParamIsOneOfItsTypesHandles)
{
    size_t checked = 0;
    for (const LayerSchema& s : all_layer_schemas()) {
        const std::vector<std::string> problems = check_layer_schema(s);
        EXPECT_TRUE(problems.empty()) << s.type << ": " << (problems.empty() ? "" : problems[0]);
        EXPECT_EQ(s.handles.size(), s.params.size()) << s.type;
        std::set<std::string> names;
        for (const ParamRef& h : s.handles) EXPECT_TRUE(names.insert(h.name).second) << s.type << " handle " << h.name << " twice";
        checked++;
    }
    EXPECT_EQ(checked, 110u);
}

TEST(Schema, EveryTypeIsListedOnce)
{
    std::set<std::string> types;
    for (const LayerSchema& s : all_layer_schemas()) EXPECT_TRUE(types.insert(s.type).second) << s.type << " is listed twice";
    EXPECT_EQ(types.size(), all_layer_schemas().size());
}

TEST(Schema, Int8FactsOnExactlyTheTenQuantizedTypes)
{
    std::set<std::string> with_int8;
    for (const LayerSchema& s : all_layer_schemas())
        if (s.int8) with_int8.insert(s.type);
    const std::set<std::string> expected = {"Convolution", "ConvolutionDepthWise", "InnerProduct", "RNN", "LSTM",
                                            "GRU", "Embed", "MultiHeadAttention", "Gemm", "SDPA"};
    EXPECT_EQ(with_int8, expected);

    // LSTM: 4 gates x hidden_size x directions, for both blobs and their scale blobs
    const LayerSchema& lstm = *find_layer_schema("LSTM");
    LayerParams p = empty_dict_params(lstm);
    p.set(params::LSTM::num_output, 8);
    p.set(params::LSTM::hidden_size, 5);
    p.set(params::LSTM::direction, 2);
    ASSERT_EQ(lstm.int8->weights.size(), 2u);
    for (const Int8Weight& w : lstm.int8->weights) EXPECT_EQ(w.rows(p), 4 * 5 * 2) << w.weight;
    for (const BlobSpec& b : lstm.blobs) {
        if (b.name == "weight_xc_data_int8_scales" || b.name == "weight_hc_data_int8_scales") {
            EXPECT_EQ(b.count(p), 4 * 5 * 2) << b.name;
        }
    }

    // ConvolutionDepthWise: flag 1, one row per group, its term above 100 kept when fused
    const Int8Facts& dw = *find_layer_schema("ConvolutionDepthWise")->int8;
    EXPECT_EQ(dw.flag.id, params::ConvolutionDepthWise::int8_scale_term.id);
    EXPECT_EQ(dw.flag_value, 1);
    EXPECT_TRUE(dw.flag_above_100_kept);
    EXPECT_EQ(find_layer_schema("Gemm")->int8->scheme, Int8Scheme::WeightAbsMax);
    EXPECT_EQ(find_layer_schema("SDPA")->int8->scheme, Int8Scheme::NoWeights);
}

TEST(Schema, CheckFindsBrokenInt8Facts)
{
    LayerSchema s = *find_layer_schema("InnerProduct");
    s.int8->weights[0].scales = "no_such_blob";
    EXPECT_FALSE(check_layer_schema(s).empty());
    LayerSchema t = *find_layer_schema("InnerProduct");
    t.int8->flag = params::Convolution::dynamic_weight; // id 19: not an InnerProduct param
    EXPECT_FALSE(check_layer_schema(t).empty());
}

TEST(Schema, CheckFindsForeignHandlesWrongKindsAndDuplicates)
{
    LayerSchema s = *find_layer_schema("Convolution");
    EXPECT_TRUE(check_layer_schema(s).empty());

    // a handle of another type (Deconvolution's output_w is id 20, not a Convolution param)
    LayerSchema foreign = s;
    foreign.params.push_back(I(params::Deconvolution::output_w, 0));
    ASSERT_FALSE(check_layer_schema(foreign).empty());
    EXPECT_TRUE(contains(check_layer_schema(foreign)[0], "output_w")) << check_layer_schema(foreign)[0];

    // the right id and name with the wrong kind
    LayerSchema wrong_kind = s;
    for (ParamSpec& p : wrong_kind.params)
        if (p.id == params::Convolution::pad_value.id) p.kind = ValueKind::Int;
    EXPECT_FALSE(check_layer_schema(wrong_kind).empty());

    // two params with one id
    LayerSchema twice = s;
    twice.params.push_back(twice.params[0]);
    EXPECT_FALSE(check_layer_schema(twice).empty());

    // a handle the entry forgot
    LayerSchema missing = s;
    missing.params.pop_back();
    EXPECT_FALSE(check_layer_schema(missing).empty());
}

TEST(Schema, HandlesReadTypedValues)
{
    LayerParams p;
    p.set(params::Convolution::num_output, 16);
    p.set(params::Convolution::pad_value, 0.5f);
    p.set(params::Convolution::activation_params, std::vector<float>{0.1f, 2.f});
    p.set(params::Reduction::axes, std::vector<int32_t>{1, -2});
    p.set(params::Reshape::shape_expr, "0w,2");
    EXPECT_EQ(p.get(params::Convolution::num_output), 16);
    EXPECT_EQ(p.get(params::Convolution::pad_value), 0.5f);
    EXPECT_EQ(p.get(params::Convolution::activation_params), (std::vector<float>{0.1f, 2.f}));
    EXPECT_EQ(p.get(params::Reduction::axes), (std::vector<int32_t>{1, -2}));
    EXPECT_EQ(p.get(params::Reshape::shape_expr), "0w,2");
    EXPECT_TRUE(p.has(params::Convolution::num_output));
    EXPECT_FALSE(p.has(params::Convolution::kernel_w));
    EXPECT_EQ(p.get(params::Convolution::kernel_w), 0);
    // an int array read where floats are expected reinterprets the words, as ncnn does
    EXPECT_EQ(p.get(params::Reduction::axes).size(), 2u);
    EXPECT_EQ(p.get(FloatArrayParam{params::Reduction::axes.id, "axes"})[0], ParamValue::from_int(1).as_float());
}

TEST(Schema, SameAsAndPartnerIdsExist)
{
    for (const LayerSchema& s : all_layer_schemas()) {
        for (const ParamSpec& p : s.params) {
            if (p.def.form == ParamDefault::Form::SameAs) {
                const ParamSpec* other = s.find_param(p.def.same_as);
                ASSERT_NE(other, nullptr) << s.type << " param " << p.id << " same_as " << p.def.same_as;
                EXPECT_EQ(other->kind, p.kind) << s.type << " param " << p.id;
                EXPECT_NE(p.def.same_as, p.id) << s.type;
            }
            if (p.def.form == ParamDefault::Form::Computed) {
                EXPECT_NE(p.def.compute, nullptr) << s.type << " " << p.id;
            }
            if (p.rule == WriteRule::IfDiffersFromPartner || p.rule == WriteRule::MarkerWhenPartnerSet) {
                ASSERT_NE(s.find_param(p.partner), nullptr) << s.type << " param " << p.id << " partner " << p.partner;
                EXPECT_NE(p.partner, p.id) << s.type;
            }
        }
        for (const BlobSpec& b : s.blobs) {
            EXPECT_FALSE(b.name.empty()) << s.type;
            EXPECT_NE(b.count, nullptr) << s.type << " " << b.name;
        }
    }
}

TEST(Schema, KindsOfWellKnownParams)
{
    const LayerSchema* conv = find_layer_schema("Convolution");
    ASSERT_NE(conv, nullptr);
    EXPECT_EQ(conv->find_param(params::Convolution::pad_value.id)->kind, ValueKind::Float);
    EXPECT_EQ(conv->find_param(params::Convolution::activation_params.id)->kind, ValueKind::FloatArray);
    EXPECT_EQ(conv->find_param(params::Convolution::int8_scale_term.id)->kind, ValueKind::Int);
    EXPECT_EQ(find_layer_schema("Slice")->find_param(params::Slice::indices.id)->rule, WriteRule::Kept);
    EXPECT_EQ(find_layer_schema("Input")->find_param(params::Input::d.id)->rule, WriteRule::Kept);
    EXPECT_FALSE(find_layer_schema("Flip")->reference_writes_params);
    EXPECT_TRUE(find_layer_schema("Convolution")->reference_writes_params);
}

// --- blob plans for a few types -------------------------------------------------

struct Planned {
    std::string name;
    uint64_t count;
    bool tagged;
};

std::vector<Planned> plan(const std::string& line, std::string* error = nullptr)
{
    const Model m = test::must_build(test::single_layer_file(line));
    std::vector<Planned> out;
    if (m.layers.empty()) return out;
    Result<std::vector<PlannedBlob>> r = present_blobs(m.layers[0], m.layers[0].params, "m.param");
    if (!r.is_ok()) {
        if (error)
            *error = r.status().message();
        else
            ADD_FAILURE() << r.status().message();
        return out;
    }
    for (const PlannedBlob& b : r.value()) out.push_back({b.spec->name, b.count, b.tagged});
    return out;
}

std::string describe(const std::vector<Planned>& v)
{
    std::string s;
    for (const Planned& p : v) s += p.name + ":" + std::to_string(p.count) + (p.tagged ? "T " : "R ");
    return s;
}

TEST(BlobPlan, ConvolutionWithBiasAndInt8Scales)
{
    EXPECT_EQ(describe(plan("Convolution c 1 1 a b 0=8 1=3 6=216")), "weight_data:216T ");
    EXPECT_EQ(describe(plan("Convolution c 1 1 a b 0=8 1=3 5=1 6=216")), "weight_data:216T bias_data:8R ");
    EXPECT_EQ(describe(plan("Convolution c 1 1 a b 0=8 1=3 5=1 6=216 8=2")),
              "weight_data:216T bias_data:8R weight_data_int8_scales:8R bottom_blob_int8_scales:1R ");
    EXPECT_EQ(describe(plan("Convolution c 1 1 a b 0=8 1=3 5=1 6=216 8=102")),
              "weight_data:216T bias_data:8R weight_data_int8_scales:8R bottom_blob_int8_scales:1R top_blob_int8_scales:1R ");
    // dynamic weights: nothing in the .bin
    EXPECT_EQ(describe(plan("Convolution c 2 1 a w b 0=8 1=3 5=1 6=216 19=1")), "");
}

TEST(BlobPlan, ConvolutionDepthWiseScales)
{
    EXPECT_EQ(describe(plan("ConvolutionDepthWise d 1 1 a b 0=4 1=3 6=36 7=4 8=1")),
              "weight_data:36T weight_data_int8_scales:4R bottom_blob_int8_scales:1R ");
    EXPECT_EQ(describe(plan("ConvolutionDepthWise d 1 1 a b 0=4 1=3 6=36 7=4 8=2")),
              "weight_data:36T weight_data_int8_scales:1R bottom_blob_int8_scales:1R ");
    EXPECT_EQ(describe(plan("ConvolutionDepthWise d 1 1 a b 0=4 1=3 6=36 7=4 8=101")),
              "weight_data:36T weight_data_int8_scales:4R bottom_blob_int8_scales:1R top_blob_int8_scales:1R ");
}

TEST(BlobPlan, LstmWithAndWithoutProjection)
{
    // hidden 8, num_output 4 (projection): input = 96 / 1 / 8 / 4 = 3
    EXPECT_EQ(describe(plan("LSTM l 1 1 a b 0=4 1=96 3=8")),
              "weight_xc_data:96T bias_c_data:32T weight_hc_data:128T weight_hr_data:32T ");
    EXPECT_EQ(describe(plan("LSTM l 1 1 a b 0=4 1=96 3=8 8=2")),
              "weight_xc_data:96T bias_c_data:32T weight_hc_data:128T weight_hr_data:32T "
              "weight_xc_data_int8_scales:32R weight_hc_data_int8_scales:32R ");
    // no projection, bidirectional: input = 48 / 2 / 2 / 4 = 3
    EXPECT_EQ(describe(plan("LSTM l 1 1 a b 0=2 1=48 2=2")), "weight_xc_data:48T bias_c_data:16T weight_hc_data:32T ");
}

TEST(BlobPlan, GruBiasIsFourRowsPerDirection)
{
    // input = 48 / 2 / 4 / 3 = 2
    EXPECT_EQ(describe(plan("GRU g 1 1 a b 0=4 1=48 2=2")), "weight_xc_data:48T bias_c_data:32T weight_hc_data:96T ");
    EXPECT_EQ(describe(plan("GRU g 1 1 a b 0=4 1=24")), "weight_xc_data:24T bias_c_data:16T weight_hc_data:48T ");
    EXPECT_EQ(describe(plan("RNN r 1 1 a b 0=2 1=6 8=2")),
              "weight_xc_data:6T bias_c_data:2T weight_hc_data:4T weight_xc_data_int8_scales:2R weight_hc_data_int8_scales:2R ");
}

TEST(BlobPlan, GemmConstantCBroadcastTypes)
{
    const std::string base = "Gemm g 2 1 a b c 4=0 5=0 6=1 7=3 8=5 9=2 ";
    EXPECT_EQ(describe(plan(base + "10=0")), "C_data:1T ");
    EXPECT_EQ(describe(plan(base + "10=1")), "C_data:3T ");
    EXPECT_EQ(describe(plan(base + "10=2")), "C_data:3T ");
    EXPECT_EQ(describe(plan(base + "10=3")), "C_data:15T ");
    EXPECT_EQ(describe(plan(base + "10=4")), "C_data:5T ");
    EXPECT_EQ(describe(plan(base + "10=-1")), "");
    EXPECT_EQ(describe(plan("Gemm g 0 1 c 4=1 5=1 7=3 8=5 9=2")), "A_data:6T B_data:10T ");
    EXPECT_EQ(describe(plan("Gemm g 0 1 c 4=1 5=1 7=3 8=5 9=2 18=2")),
              "A_data:6T B_data:10T A_data_int8_scales:3R B_data_int8_scale:1R ");
}

TEST(BlobPlan, MemoryData)
{
    EXPECT_EQ(describe(plan("MemoryData md 0 1 b 0=5")), "data:5R ");
    EXPECT_EQ(describe(plan("MemoryData md 0 1 b 0=2 1=3")), "data:6R ");
    EXPECT_EQ(describe(plan("MemoryData md 0 1 b 0=2 1=3 2=4")), "data:24R ");
    EXPECT_EQ(describe(plan("MemoryData md 0 1 b 0=2 1=3 11=5 2=4")), "data:120R ");
    EXPECT_EQ(describe(plan("MemoryData md 0 1 b 0=2 1=3 2=4 21=0")), "data:24T ");
    EXPECT_EQ(describe(plan("MemoryData md 0 1 b")), "");
    std::string error;
    plan("MemoryData md 0 1 b 0=2 21=2", &error);
    EXPECT_TRUE(contains(error, "load_type")) << error;
}

TEST(BlobPlan, InvalidCountsAreErrors)
{
    std::string error;
    plan("InnerProduct ip 1 1 a b 0=2 2=-4", &error);
    EXPECT_TRUE(contains(error, "weight_data")) << error;
    EXPECT_TRUE(contains(error, "InnerProduct 'ip'")) << error;
    error.clear();
    plan("InnerProduct ip 1 1 a b 0=2 2=0", &error);
    EXPECT_TRUE(contains(error, "0 values")) << error;
}

} // namespace
} // namespace ncnn_int8
