// Param handles of the pooling family: one struct per ncnn layer type, one
// handle per param (id and name as ncnn's layer sources call them).
// Pooling layers.
#pragma once

#include "model/param_handle.h"

namespace ncnn_int8::params {

struct Pooling1D {
    static constexpr const char* layer_type = "Pooling1D";
    static constexpr IntParam pooling_type{0, "pooling_type"};
    static constexpr IntParam kernel_w{1, "kernel_w"};
    static constexpr IntParam stride_w{2, "stride_w"};
    static constexpr IntParam pad_left{3, "pad_left"};
    static constexpr IntParam global_pooling{4, "global_pooling"};
    static constexpr IntParam pad_mode{5, "pad_mode"};
    static constexpr IntParam avgpool_count_include_pad{6, "avgpool_count_include_pad"};
    static constexpr IntParam adaptive_pooling{7, "adaptive_pooling"};
    static constexpr IntParam out_w{8, "out_w"};
    static constexpr IntParam pad_right{14, "pad_right"};
    static constexpr std::array all{
        ref(pooling_type), ref(kernel_w), ref(stride_w), ref(pad_left), ref(global_pooling), ref(pad_mode),
        ref(avgpool_count_include_pad), ref(adaptive_pooling), ref(out_w), ref(pad_right)};
};

// Pooling is Pooling1D with the h ids; Pooling3D adds the d ids.
struct Pooling : Pooling1D {
    static constexpr const char* layer_type = "Pooling";
    static constexpr IntParam kernel_h{11, "kernel_h"};
    static constexpr IntParam stride_h{12, "stride_h"};
    static constexpr IntParam pad_top{13, "pad_top"};
    static constexpr IntParam pad_bottom{15, "pad_bottom"};
    static constexpr IntParam out_h{18, "out_h"};
    static constexpr std::array all{
        ref(pooling_type), ref(kernel_w), ref(stride_w), ref(pad_left), ref(global_pooling), ref(pad_mode),
        ref(avgpool_count_include_pad), ref(adaptive_pooling), ref(out_w), ref(kernel_h), ref(stride_h),
        ref(pad_top), ref(pad_right), ref(pad_bottom), ref(out_h)};
};

struct Pooling3D : Pooling {
    static constexpr const char* layer_type = "Pooling3D";
    static constexpr IntParam pad_behind{16, "pad_behind"};
    static constexpr IntParam kernel_d{21, "kernel_d"};
    static constexpr IntParam stride_d{22, "stride_d"};
    static constexpr IntParam pad_front{23, "pad_front"};
    static constexpr IntParam out_d{28, "out_d"};
    static constexpr std::array all{
        ref(pooling_type), ref(kernel_w), ref(stride_w), ref(pad_left), ref(global_pooling), ref(pad_mode),
        ref(avgpool_count_include_pad), ref(adaptive_pooling), ref(out_w), ref(kernel_h), ref(stride_h),
        ref(pad_top), ref(pad_right), ref(pad_bottom), ref(pad_behind), ref(out_h), ref(kernel_d),
        ref(stride_d), ref(pad_front), ref(out_d)};
};

struct SPP {
    static constexpr const char* layer_type = "SPP";
    static constexpr IntParam pooling_type{0, "pooling_type"};
    static constexpr IntParam pyramid_height{1, "pyramid_height"};
    static constexpr std::array all{ref(pooling_type), ref(pyramid_height)};
};

struct StatisticsPooling {
    static constexpr const char* layer_type = "StatisticsPooling";
    static constexpr IntParam include_stddev{0, "include_stddev"};
    static constexpr std::array all{ref(include_stddev)};
};

// Output size and input scale of the region-of-interest pooling types.
struct PooledRegion {
    static constexpr IntParam pooled_width{0, "pooled_width"};
    static constexpr IntParam pooled_height{1, "pooled_height"};
    static constexpr FloatParam spatial_scale{2, "spatial_scale"};
};

struct PSROIPooling : PooledRegion {
    static constexpr const char* layer_type = "PSROIPooling";
    static constexpr IntParam output_dim{3, "output_dim"};
    static constexpr std::array all{ref(pooled_width), ref(pooled_height), ref(spatial_scale), ref(output_dim)};
};

struct ROIPooling : PooledRegion {
    static constexpr const char* layer_type = "ROIPooling";
    static constexpr std::array all{ref(pooled_width), ref(pooled_height), ref(spatial_scale)};
};

struct ROIAlign : PooledRegion {
    static constexpr const char* layer_type = "ROIAlign";
    static constexpr IntParam sampling_ratio{3, "sampling_ratio"};
    static constexpr IntParam aligned{4, "aligned"};
    static constexpr IntParam version{5, "version"};
    static constexpr std::array all{
        ref(pooled_width), ref(pooled_height), ref(spatial_scale), ref(sampling_ratio), ref(aligned),
        ref(version)};
};

} // namespace ncnn_int8::params
