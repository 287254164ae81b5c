// Param handles of the detection family: one struct per ncnn layer type, one
// handle per param (id and name as ncnn's layer sources call them).
// Detection heads and their helpers.
#pragma once

#include "model/param_handle.h"

namespace ncnn_int8::params {

struct DetectionOutput {
    static constexpr const char* layer_type = "DetectionOutput";
    static constexpr IntParam num_class{0, "num_class"};
    static constexpr FloatParam nms_threshold{1, "nms_threshold"};
    static constexpr IntParam nms_top_k{2, "nms_top_k"};
    static constexpr IntParam keep_top_k{3, "keep_top_k"};
    static constexpr FloatParam confidence_threshold{4, "confidence_threshold"};
    static constexpr FloatParam variances_0{5, "variances_0"};
    static constexpr FloatParam variances_1{6, "variances_1"};
    static constexpr FloatParam variances_2{7, "variances_2"};
    static constexpr FloatParam variances_3{8, "variances_3"};
    static constexpr std::array all{
        ref(num_class), ref(nms_threshold), ref(nms_top_k), ref(keep_top_k), ref(confidence_threshold),
        ref(variances_0), ref(variances_1), ref(variances_2), ref(variances_3)};
};

struct PriorBox {
    static constexpr const char* layer_type = "PriorBox";
    static constexpr FloatArrayParam min_sizes{0, "min_sizes"};
    static constexpr FloatArrayParam max_sizes{1, "max_sizes"};
    static constexpr FloatArrayParam aspect_ratios{2, "aspect_ratios"};
    static constexpr FloatParam variances_0{3, "variances_0"};
    static constexpr FloatParam variances_1{4, "variances_1"};
    static constexpr FloatParam variances_2{5, "variances_2"};
    static constexpr FloatParam variances_3{6, "variances_3"};
    static constexpr IntParam flip{7, "flip"};
    static constexpr IntParam clip{8, "clip"};
    static constexpr IntParam image_width{9, "image_width"};
    static constexpr IntParam image_height{10, "image_height"};
    static constexpr FloatParam step_width{11, "step_width"};
    static constexpr FloatParam step_height{12, "step_height"};
    static constexpr FloatParam offset{13, "offset"};
    static constexpr IntParam step_mmdetection{14, "step_mmdetection"};
    static constexpr IntParam center_mmdetection{15, "center_mmdetection"};
    static constexpr std::array all{
        ref(min_sizes), ref(max_sizes), ref(aspect_ratios), ref(variances_0), ref(variances_1),
        ref(variances_2), ref(variances_3), ref(flip), ref(clip), ref(image_width), ref(image_height),
        ref(step_width), ref(step_height), ref(offset), ref(step_mmdetection), ref(center_mmdetection)};
};

struct Proposal {
    static constexpr const char* layer_type = "Proposal";
    static constexpr IntParam feat_stride{0, "feat_stride"};
    static constexpr IntParam base_size{1, "base_size"};
    static constexpr IntParam pre_nms_topN{2, "pre_nms_topN"};
    static constexpr IntParam after_nms_topN{3, "after_nms_topN"};
    static constexpr FloatParam nms_thresh{4, "nms_thresh"};
    static constexpr IntParam min_size{5, "min_size"};
    static constexpr std::array all{
        ref(feat_stride), ref(base_size), ref(pre_nms_topN), ref(after_nms_topN), ref(nms_thresh),
        ref(min_size)};
};

struct YoloDetectionOutput {
    static constexpr const char* layer_type = "YoloDetectionOutput";
    static constexpr IntParam num_class{0, "num_class"};
    static constexpr IntParam num_box{1, "num_box"};
    static constexpr FloatParam confidence_threshold{2, "confidence_threshold"};
    static constexpr FloatParam nms_threshold{3, "nms_threshold"};
    static constexpr FloatArrayParam biases{4, "biases"};
    static constexpr std::array all{
        ref(num_class), ref(num_box), ref(confidence_threshold), ref(nms_threshold), ref(biases)};
};

struct Yolov3DetectionOutput {
    static constexpr const char* layer_type = "Yolov3DetectionOutput";
    static constexpr IntParam num_class{0, "num_class"};
    static constexpr IntParam num_box{1, "num_box"};
    static constexpr FloatParam confidence_threshold{2, "confidence_threshold"};
    static constexpr FloatParam nms_threshold{3, "nms_threshold"};
    static constexpr FloatArrayParam biases{4, "biases"};
    static constexpr IntArrayParam mask{5, "mask"};
    static constexpr FloatArrayParam anchors_scale{6, "anchors_scale"};
    static constexpr std::array all{
        ref(num_class), ref(num_box), ref(confidence_threshold), ref(nms_threshold), ref(biases), ref(mask),
        ref(anchors_scale)};
};

} // namespace ncnn_int8::params
