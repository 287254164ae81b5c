// Detection heads and their helpers.
#include "model/catalog/builders.h"

namespace ncnn_int8::catalog {
namespace {

template <class P>
std::vector<ParamSpec> yolo_params()
{
    return {
        I(P::num_class, 20),
        I(P::num_box, 5),
        F(P::confidence_threshold, 0.01f),
        F(P::nms_threshold, 0.45f),
        FA(P::biases),
    };
}

} // namespace

void add_detection_layers(std::vector<LayerSchema>& t)
{
    {
        using P = params::DetectionOutput;
        t.push_back(make<P>({
            I(P::num_class, 0),
            F(P::nms_threshold, 0.05f),
            I(P::nms_top_k, 300),
            I(P::keep_top_k, 100),
            F(P::confidence_threshold, 0.5f),
            F(P::variances_0, 0.1f),
            F(P::variances_1, 0.1f),
            F(P::variances_2, 0.2f),
            F(P::variances_3, 0.2f),
        }));
    }
    {
        using P = params::PriorBox;
        t.push_back(make<P>({
            FA(P::min_sizes),
            FA(P::max_sizes),
            FA(P::aspect_ratios),
            F(P::variances_0, 0.1f),
            F(P::variances_1, 0.1f),
            F(P::variances_2, 0.2f),
            F(P::variances_3, 0.2f),
            I(P::flip, 1),
            I(P::clip, 0),
            I(P::image_width, 0),
            I(P::image_height, 0),
            F(P::step_width, -233.f),
            F(P::step_height, -233.f),
            F(P::offset, 0.f),
            // the reference writer never prints the mmdetection flags
            I(P::step_mmdetection, 0).kept(),
            I(P::center_mmdetection, 0).kept(),
        }));
    }
    {
        using P = params::Proposal;
        t.push_back(make<P>({
            I(P::feat_stride, 16),
            I(P::base_size, 16),
            I(P::pre_nms_topN, 6000),
            I(P::after_nms_topN, 300),
            F(P::nms_thresh, 0.7f),
            I(P::min_size, 16),
        }));
    }
    t.push_back(make<params::YoloDetectionOutput>(yolo_params<params::YoloDetectionOutput>()));
    {
        using P = params::Yolov3DetectionOutput;
        LayerSchema s = make<P>(yolo_params<P>());
        s.params.push_back(IA(P::mask));
        s.params.push_back(FA(P::anchors_scale));
        t.push_back(s);
    }
}

} // namespace ncnn_int8::catalog
