// Param handles of the shape family: one struct per ncnn layer type, one
// handle per param (id and name as ncnn's layer sources call them).
// Shape, layout and data-movement layers, inputs and constants.
#pragma once

#include "model/catalog/no_params.h"
#include "model/param_handle.h"

namespace ncnn_int8::params {

// Blob dimensions, as Input, MemoryData and Reshape number them.
struct Dims {
    static constexpr IntParam w{0, "w"};
    static constexpr IntParam h{1, "h"};
    static constexpr IntParam c{2, "c"};
    static constexpr IntParam d{11, "d"};
};

// Where CopyTo and Crop place their window: fixed offsets or starts/axes.
struct CropOffsets {
    static constexpr IntParam woffset{0, "woffset"};
    static constexpr IntParam hoffset{1, "hoffset"};
    static constexpr IntParam coffset{2, "coffset"};
    static constexpr IntArrayParam starts{9, "starts"};
    static constexpr IntArrayParam axes{11, "axes"};
    static constexpr IntParam doffset{13, "doffset"};
};

struct Cast {
    static constexpr const char* layer_type = "Cast";
    static constexpr IntParam type_from{0, "type_from"};
    static constexpr IntParam type_to{1, "type_to"};
    static constexpr std::array all{ref(type_from), ref(type_to)};
};

struct Concat {
    static constexpr const char* layer_type = "Concat";
    static constexpr IntParam axis{0, "axis"};
    static constexpr std::array all{ref(axis)};
};

struct CopyTo : CropOffsets {
    static constexpr const char* layer_type = "CopyTo";
    static constexpr std::array all{ref(woffset), ref(hoffset), ref(coffset), ref(starts), ref(axes), ref(doffset)};
};

struct Crop : CropOffsets {
    static constexpr const char* layer_type = "Crop";
    static constexpr IntParam outw{3, "outw"};
    static constexpr IntParam outh{4, "outh"};
    static constexpr IntParam outc{5, "outc"};
    static constexpr IntParam woffset2{6, "woffset2"};
    static constexpr IntParam hoffset2{7, "hoffset2"};
    static constexpr IntParam coffset2{8, "coffset2"};
    static constexpr IntArrayParam ends{10, "ends"};
    static constexpr IntParam outd{14, "outd"};
    static constexpr IntParam doffset2{15, "doffset2"};
    static constexpr StringParam starts_expr{19, "starts_expr"};
    static constexpr StringParam ends_expr{20, "ends_expr"};
    static constexpr StringParam axes_expr{21, "axes_expr"};
    static constexpr std::array all{
        ref(woffset), ref(hoffset), ref(coffset), ref(outw), ref(outh), ref(outc), ref(woffset2),
        ref(hoffset2), ref(coffset2), ref(starts), ref(ends), ref(axes), ref(doffset), ref(outd),
        ref(doffset2), ref(starts_expr), ref(ends_expr), ref(axes_expr)};
};

struct DeepCopy : NoParams {
    static constexpr const char* layer_type = "DeepCopy";
};

struct ExpandDims {
    static constexpr const char* layer_type = "ExpandDims";
    static constexpr IntArrayParam axes{3, "axes"};
    static constexpr std::array all{ref(axes)};
};

struct Flatten : NoParams {
    static constexpr const char* layer_type = "Flatten";
};

struct Flip {
    static constexpr const char* layer_type = "Flip";
    static constexpr IntArrayParam axes{0, "axes"};
    static constexpr std::array all{ref(axes)};
};

struct GridSample {
    static constexpr const char* layer_type = "GridSample";
    static constexpr IntParam sample_type{0, "sample_type"};
    static constexpr IntParam padding_mode{1, "padding_mode"};
    static constexpr IntParam align_corner{2, "align_corner"};
    static constexpr IntParam permute_fusion{3, "permute_fusion"};
    static constexpr std::array all{ref(sample_type), ref(padding_mode), ref(align_corner), ref(permute_fusion)};
};

struct Input : Dims {
    static constexpr const char* layer_type = "Input";
    static constexpr std::array all{ref(w), ref(h), ref(c), ref(d)};
};

struct Interp {
    static constexpr const char* layer_type = "Interp";
    static constexpr IntParam resize_type{0, "resize_type"};
    static constexpr FloatParam height_scale{1, "height_scale"};
    static constexpr FloatParam width_scale{2, "width_scale"};
    static constexpr IntParam output_height{3, "output_height"};
    static constexpr IntParam output_width{4, "output_width"};
    static constexpr IntParam dynamic_target_size{5, "dynamic_target_size"};
    static constexpr IntParam align_corner{6, "align_corner"};
    static constexpr StringParam size_expr{9, "size_expr"};
    static constexpr std::array all{
        ref(resize_type), ref(height_scale), ref(width_scale), ref(output_height), ref(output_width),
        ref(dynamic_target_size), ref(align_corner), ref(size_expr)};
};

struct MemoryData : Dims {
    static constexpr const char* layer_type = "MemoryData";
    static constexpr IntParam load_type{21, "load_type"};
    static constexpr std::array all{ref(w), ref(h), ref(c), ref(d), ref(load_type)};
};

struct Noop : NoParams {
    static constexpr const char* layer_type = "Noop";
};

struct Packing {
    static constexpr const char* layer_type = "Packing";
    static constexpr IntParam out_elempack{0, "out_elempack"};
    static constexpr IntParam use_padding{1, "use_padding"};
    static constexpr IntParam cast_type_from{2, "cast_type_from"};
    static constexpr IntParam cast_type_to{3, "cast_type_to"};
    static constexpr std::array all{ref(out_elempack), ref(use_padding), ref(cast_type_from), ref(cast_type_to)};
};

struct Padding {
    static constexpr const char* layer_type = "Padding";
    static constexpr IntParam top{0, "top"};
    static constexpr IntParam bottom{1, "bottom"};
    static constexpr IntParam left{2, "left"};
    static constexpr IntParam right{3, "right"};
    static constexpr IntParam type{4, "type"};
    static constexpr FloatParam value{5, "value"};
    static constexpr IntParam per_channel_pad_data_size{6, "per_channel_pad_data_size"};
    static constexpr IntParam front{7, "front"};
    static constexpr IntParam behind{8, "behind"};
    static constexpr std::array all{
        ref(top), ref(bottom), ref(left), ref(right), ref(type), ref(value), ref(per_channel_pad_data_size),
        ref(front), ref(behind)};
};

struct Permute {
    static constexpr const char* layer_type = "Permute";
    static constexpr IntParam order_type{0, "order_type"};
    static constexpr std::array all{ref(order_type)};
};

struct PixelShuffle {
    static constexpr const char* layer_type = "PixelShuffle";
    static constexpr IntParam upscale_factor{0, "upscale_factor"};
    static constexpr IntParam mode{1, "mode"};
    static constexpr std::array all{ref(upscale_factor), ref(mode)};
};

struct Reorg {
    static constexpr const char* layer_type = "Reorg";
    static constexpr IntParam stride{0, "stride"};
    static constexpr IntParam mode{1, "mode"};
    static constexpr std::array all{ref(stride), ref(mode)};
};

struct Reshape : Dims {
    static constexpr const char* layer_type = "Reshape";
    static constexpr StringParam shape_expr{6, "shape_expr"};
    static constexpr IntParam input_batch_axis{12, "input_batch_axis"};
    static constexpr IntParam output_batch_axis{13, "output_batch_axis"};
    static constexpr std::array all{
        ref(w), ref(h), ref(c), ref(shape_expr), ref(d), ref(input_batch_axis), ref(output_batch_axis)};
};

struct ShuffleChannel {
    static constexpr const char* layer_type = "ShuffleChannel";
    static constexpr IntParam group{0, "group"};
    static constexpr IntParam reverse{1, "reverse"};
    static constexpr std::array all{ref(group), ref(reverse)};
};

struct Slice {
    static constexpr const char* layer_type = "Slice";
    static constexpr IntArrayParam slices{0, "slices"};
    static constexpr IntParam axis{1, "axis"};
    static constexpr IntArrayParam indices{2, "indices"};
    static constexpr std::array all{ref(slices), ref(axis), ref(indices)};
};

struct Split : NoParams {
    static constexpr const char* layer_type = "Split";
};

struct Squeeze {
    static constexpr const char* layer_type = "Squeeze";
    static constexpr IntParam squeeze_w{0, "squeeze_w"};
    static constexpr IntParam squeeze_h{1, "squeeze_h"};
    static constexpr IntParam squeeze_c{2, "squeeze_c"};
    static constexpr IntArrayParam axes{3, "axes"};
    static constexpr IntParam squeeze_d{11, "squeeze_d"};
    static constexpr std::array all{ref(squeeze_w), ref(squeeze_h), ref(squeeze_c), ref(axes), ref(squeeze_d)};
};

struct Tile {
    static constexpr const char* layer_type = "Tile";
    static constexpr IntParam axis{0, "axis"};
    static constexpr IntParam tiles{1, "tiles"};
    static constexpr IntArrayParam repeats{2, "repeats"};
    static constexpr std::array all{ref(axis), ref(tiles), ref(repeats)};
};

} // namespace ncnn_int8::params
