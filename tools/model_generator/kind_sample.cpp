// The demo model: a small conv net with a conv -> conv chain and a
// conv -> Split -> convs branch, so requantize fusion shows up.
#include "kinds.h"
#include "layers.h"
#include "model/catalog/params.h"

namespace ncnn_int8::generator {

Status build_sample(ModelBuilder& b)
{
    b.add_layer("Input", "data", {}, {"data"}, ParamList().set(params::Input::w, 64).set(params::Input::h, 64).set(params::Input::c, 3));
    RETURN_IF_ERROR(add_convolution(b, {"conv1", "data", "conv1", 3, 32, 3, 0, 2, 1}));
    b.add_layer("ReLU", "relu1", {"conv1"}, {"relu1"});
    ConvSpec dw{"conv_dw1", "relu1", "conv_dw1", 32, 32, 3, 0, 1, 1};
    dw.group = 32;
    dw.relu = true;
    RETURN_IF_ERROR(add_convolution(b, dw));
    ConvSpec pw{"conv2", "conv_dw1", "conv2", 32, 64, 1};
    RETURN_IF_ERROR(add_convolution(b, pw)); // conv_dw1 -> conv2: conv -> conv fusion
    const std::vector<std::string> branches = add_split(b, "splitncnn_0", "conv2", 2);
    ConvSpec branch_a{"conv3a", branches[0], "conv3a", 64, 32, 3, 0, 1, 1};
    branch_a.relu = true;
    ConvSpec branch_b{"conv3b", branches[1], "conv3b", 64, 32, 1};
    branch_b.relu = true;
    RETURN_IF_ERROR(add_convolution(b, branch_a));
    RETURN_IF_ERROR(add_convolution(b, branch_b));
    b.add_layer("BinaryOp", "add", {"conv3a", "conv3b"}, {"add"}, ParamList().set(params::BinaryOp::op_type, 0));
    b.add_layer("Pooling", "gap", {"add"}, {"gap"}, ParamList().set(params::Pooling::pooling_type, 1).set(params::Pooling::global_pooling, 1));
    RETURN_IF_ERROR(add_inner_product(b, "fc", "gap", "fc", 32, 100, true));
    b.add_layer("Softmax", "prob", {"fc"}, {"prob"});
    return Status::ok();
}

} // namespace ncnn_int8::generator
