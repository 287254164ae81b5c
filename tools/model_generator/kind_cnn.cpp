// A ResNet-50-shaped conv net (~25.6M weights, ~100 MB fp32): stem, four
// stages of bottleneck blocks with residual Splits, global pooling, a
// 1000-way classifier. BatchNorms are folded into the convolutions, as
// ncnnoptimize leaves them.
#include <string>

#include "kinds.h"
#include "layers.h"
#include "model/catalog/params.h"

namespace ncnn_int8::generator {

namespace {

// One bottleneck block: 1x1 reduce, 3x3, 1x1 expand, plus the shortcut
// (a strided 1x1 projection when the shape changes), added, then ReLU.
Status add_bottleneck(ModelBuilder& b, const std::string& prefix, const std::string& input, int in_channels, int width,
                      int stride, std::string* output)
{
    const int out_channels = width * 4;
    const bool project = stride != 1 || in_channels != out_channels;
    const std::vector<std::string> paths = add_split(b, prefix + "_split", input, 2);

    ConvSpec reduce{prefix + "_conv1", paths[0], prefix + "_conv1", in_channels, width, 1};
    reduce.relu = true;
    ConvSpec spatial{prefix + "_conv2", reduce.top, prefix + "_conv2", width, width, 3, 0, stride, 1};
    spatial.relu = true;
    ConvSpec expand{prefix + "_conv3", spatial.top, prefix + "_conv3", width, out_channels, 1};
    RETURN_IF_ERROR(add_convolution(b, reduce));
    RETURN_IF_ERROR(add_convolution(b, spatial));
    RETURN_IF_ERROR(add_convolution(b, expand));

    std::string shortcut = paths[1];
    if (project) {
        ConvSpec projection{prefix + "_downsample", paths[1], prefix + "_downsample", in_channels, out_channels, 1, 0, stride};
        RETURN_IF_ERROR(add_convolution(b, projection));
        shortcut = projection.top;
    }
    b.add_layer("BinaryOp", prefix + "_add", {expand.top, shortcut}, {prefix + "_add"}, ParamList().set(params::BinaryOp::op_type, 0));
    b.add_layer("ReLU", prefix + "_relu", {prefix + "_add"}, {prefix + "_relu"});
    *output = prefix + "_relu";
    return Status::ok();
}

} // namespace

Status build_cnn(ModelBuilder& b)
{
    b.add_layer("Input", "data", {}, {"data"}, ParamList().set(params::Input::w, 224).set(params::Input::h, 224).set(params::Input::c, 3));
    ConvSpec stem{"conv1", "data", "conv1", 3, 64, 7, 0, 2, 3};
    stem.relu = true;
    RETURN_IF_ERROR(add_convolution(b, stem));
    b.add_layer("Pooling", "pool1", {"conv1"}, {"pool1"}, ParamList().set(params::Pooling::pooling_type, 0).set(params::Pooling::kernel_w, 3).set(params::Pooling::stride_w, 2).set(params::Pooling::pad_left, 1));

    const int blocks_per_stage[4] = {3, 4, 6, 3};
    const int widths[4] = {64, 128, 256, 512};
    std::string x = "pool1";
    int channels = 64;
    for (int stage = 0; stage < 4; stage++) {
        for (int block = 0; block < blocks_per_stage[stage]; block++) {
            const std::string prefix = "layer" + std::to_string(stage + 1) + "_" + std::to_string(block);
            const int stride = block == 0 && stage > 0 ? 2 : 1;
            RETURN_IF_ERROR(add_bottleneck(b, prefix, x, channels, widths[stage], stride, &x));
            channels = widths[stage] * 4;
        }
    }
    b.add_layer("Pooling", "pool5", {x}, {"pool5"}, ParamList().set(params::Pooling::pooling_type, 1).set(params::Pooling::global_pooling, 1));
    RETURN_IF_ERROR(add_inner_product(b, "fc", "pool5", "fc", channels, 1000, true));
    b.add_layer("Softmax", "prob", {"fc"}, {"prob"});
    return Status::ok();
}

} // namespace ncnn_int8::generator
