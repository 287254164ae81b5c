// Activations and other one-input element-wise layers.
#include "model/catalog/builders.h"

namespace ncnn_int8::catalog {
namespace {

template <class P>
LayerSchema exp_log()
{
    return make<P>({F(P::base, -1.f), F(P::scale, 1.f), F(P::shift, 0.f)});
}

} // namespace

void add_activation_layers(std::vector<LayerSchema>& t)
{
    // no params or blobs (no load_param at all)
    t.push_back(unwritten<params::AbsVal>());
    t.push_back(unwritten<params::BNLL>());
    t.push_back(unwritten<params::Erf>());
    t.push_back(unwritten<params::Mish>());
    t.push_back(unwritten<params::Sigmoid>());
    t.push_back(unwritten<params::Softplus>());
    t.push_back(unwritten<params::Swish>());
    t.push_back(unwritten<params::TanH>());

    // the reference writer has no branch for these
    t.push_back(unwritten<params::SELU>({F(params::SELU::alpha, 1.67326324f), F(params::SELU::lambda, 1.050700987f)}));
    t.push_back(unwritten<params::Shrink>({F(params::Shrink::bias, 0.0f), F(params::Shrink::lambd, 0.5f)}));

    t.push_back(with_blobs(make<params::PReLU>({I(params::PReLU::num_slope, 0)}), {Raw("slope_data", count_of<params::PReLU::num_slope>)}));
    t.push_back(make<params::CELU>({F(params::CELU::alpha, 1.f)}));
    t.push_back(make<params::Clip>({F(params::Clip::min, -FLT_MAX), F(params::Clip::max, FLT_MAX)}));
    t.push_back(make<params::Dropout>({F(params::Dropout::scale, 1.f)}));
    t.push_back(make<params::ELU>({F(params::ELU::alpha, 0.1f)}));
    t.push_back(exp_log<params::Exp>());
    t.push_back(make<params::GELU>({I(params::GELU::fast_gelu, 0)}));
    t.push_back(make<params::GLU>({I(params::GLU::axis, 0)}));
    t.push_back(make<params::HardSigmoid>({F(params::HardSigmoid::alpha, 0.2f), F(params::HardSigmoid::beta, 0.5f)}));
    t.push_back(make<params::HardSwish>({F(params::HardSwish::alpha, 0.2f), F(params::HardSwish::beta, 0.5f)}));
    t.push_back(exp_log<params::Log>());
    t.push_back(make<params::Power>({F(params::Power::power, 1.f), F(params::Power::scale, 1.f), F(params::Power::shift, 0.f)}));
    t.push_back(make<params::ReLU>({F(params::ReLU::slope, 0.f)}));
    {
        // the writer adds " 1=1" whenever axis != 0 (see Softmax's fixbug0)
        using P = params::Softmax;
        t.push_back(with_check(make<P>({I(P::axis, 0), I(P::fixbug0, 0).marker_when_set(P::axis)}),
                               "a non-zero axis requires fixbug0 (1=1); older params must be regenerated",
                               [](const LayerParams& p) { return p.get(P::fixbug0) != 0 || p.get(P::axis) == 0; }));
    }
    t.push_back(make<params::Threshold>({F(params::Threshold::threshold, 0.f)}));
    t.push_back(make<params::UnaryOp>({I(params::UnaryOp::op_type, 0)}));
}

} // namespace ncnn_int8::catalog
