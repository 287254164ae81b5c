// Pooling layers.
#include "model/catalog/builders.h"

namespace ncnn_int8::catalog {
namespace {

template <class P>
std::vector<ParamSpec> pooling_mode_params()
{
    return {
        I(P::global_pooling, 0),
        I(P::pad_mode, 0),
        I(P::avgpool_count_include_pad, 0),
        I(P::adaptive_pooling, 0),
        I(P::out_w, 0),
    };
}

LayerSchema pooling_1d()
{
    using P = params::Pooling1D;
    LayerSchema s = make<P>({
        I(P::pooling_type, 0),
        I(P::kernel_w, 0),
        I(P::stride_w, 1),
        I(P::pad_left, 0),
        I(P::pad_right, 0).same_as(P::pad_left).written_if_differs_from(P::pad_left),
    });
    append(s.params, pooling_mode_params<P>());
    return s;
}

LayerSchema pooling_2d()
{
    using P = params::Pooling;
    LayerSchema s = make<P>({
        I(P::pooling_type, 0),
        I(P::kernel_w, 0),
        I(P::kernel_h, 0).same_as(P::kernel_w).written_if_differs_from(P::kernel_w),
        I(P::stride_w, 1),
        I(P::stride_h, 1).same_as(P::stride_w).written_if_differs_from(P::stride_w),
        I(P::pad_left, 0),
        I(P::pad_top, 0).same_as(P::pad_left).written_if_differs_from(P::pad_left),
        I(P::pad_right, 0).same_as(P::pad_left).written_if_differs_from(P::pad_left),
        I(P::pad_bottom, 0).same_as(P::pad_top).written_if_differs_from(P::pad_top),
    });
    append(s.params, pooling_mode_params<P>());
    s.params.push_back(I(P::out_h, 0).same_as(P::out_w).written_if_differs_from(P::out_w));
    return s;
}

LayerSchema pooling_3d()
{
    using P = params::Pooling3D;
    LayerSchema s = make<P>({
        I(P::pooling_type, 0),
        I(P::kernel_w, 0),
        I(P::kernel_h, 0).same_as(P::kernel_w).written_if_differs_from(P::kernel_w),
        I(P::kernel_d, 0).same_as(P::kernel_w).written_if_differs_from(P::kernel_w),
        I(P::stride_w, 1),
        I(P::stride_h, 1).same_as(P::stride_w).written_if_differs_from(P::stride_w),
        I(P::stride_d, 1).same_as(P::stride_w).written_if_differs_from(P::stride_w),
        I(P::pad_left, 0),
        I(P::pad_top, 0).same_as(P::pad_left).written_if_differs_from(P::pad_left),
        I(P::pad_front, 0).same_as(P::pad_left).written_if_differs_from(P::pad_left),
        I(P::pad_right, 0).same_as(P::pad_left).written_if_differs_from(P::pad_left),
        I(P::pad_bottom, 0).same_as(P::pad_top).written_if_differs_from(P::pad_top),
        I(P::pad_behind, 0).same_as(P::pad_front).written_if_differs_from(P::pad_front),
    });
    append(s.params, pooling_mode_params<P>());
    s.params.push_back(I(P::out_h, 0).same_as(P::out_w).written_if_differs_from(P::out_w));
    s.params.push_back(I(P::out_d, 0).same_as(P::out_w).written_if_differs_from(P::out_w));
    return s;
}

} // namespace

void add_pooling_layers(std::vector<LayerSchema>& t)
{
    t.push_back(pooling_2d());
    t.push_back(pooling_1d());
    t.push_back(pooling_3d());
    t.push_back(unwritten<params::SPP>({I(params::SPP::pooling_type, 0), I(params::SPP::pyramid_height, 1)}));
    t.push_back(unwritten<params::StatisticsPooling>({I(params::StatisticsPooling::include_stddev, 0)}));
    {
        using P = params::PSROIPooling;
        t.push_back(make<P>({
            I(P::pooled_width, 7),
            I(P::pooled_height, 7),
            F(P::spatial_scale, 0.0625f),
            I(P::output_dim, 0),
        }));
    }
    {
        using P = params::ROIAlign;
        t.push_back(with_check(make<P>({
                                   I(P::pooled_width, 0),
                                   I(P::pooled_height, 0),
                                   F(P::spatial_scale, 1.f),
                                   I(P::sampling_ratio, 0),
                                   I(P::aligned, 0),
                                   I(P::version, 0),
                               }),
                               "version must be 0 or 1", [](const LayerParams& p) { return p.get(P::version) >= 0 && p.get(P::version) <= 1; }));
    }
    {
        using P = params::ROIPooling;
        t.push_back(make<P>({I(P::pooled_width, 0), I(P::pooled_height, 0), F(P::spatial_scale, 1.f)}));
    }
}

} // namespace ncnn_int8::catalog
