// Shape, layout and data-movement layers, inputs and constants.
#include "model/catalog/builders.h"
#include "model/shape_expr.h"

namespace ncnn_int8::catalog {
namespace {

LayerSchema memory_data()
{
    using P = params::MemoryData;
    LayerSchema s = make<P>({
        I(P::w, 0),
        I(P::h, 0),
        I(P::c, 0),
        I(P::d, 0),
        I(P::load_type, 1).kept(), // the reference writer never prints 21
    });
    // The highest non-zero dimension decides which extents are multiplied.
    BlobSpec data = Raw(
        "data",
        [](const LayerParams& p) -> int64_t {
            if (p.get(P::d) != 0) return mul4(p.get(P::w), p.get(P::h), p.get(P::d), p.get(P::c));
            if (p.get(P::c) != 0) return mul3(p.get(P::w), p.get(P::h), p.get(P::c));
            if (p.get(P::h) != 0) return count_mul(p.get(P::w), p.get(P::h));
            return count_checked(p.get(P::w));
        },
        [](const LayerParams& p) { return p.get(P::w) != 0 || p.get(P::h) != 0 || p.get(P::d) != 0 || p.get(P::c) != 0; });
    data.encoding = BlobEncoding::ByLoadType;
    s.blobs = {data};
    return s;
}

LayerSchema crop()
{
    using P = params::Crop;
    return make<P>({
        I(P::woffset, 0),
        I(P::hoffset, 0),
        I(P::doffset, 0),
        I(P::coffset, 0),
        I(P::outw, 0),
        I(P::outh, 0),
        I(P::outd, 0),
        I(P::outc, 0),
        I(P::woffset2, 0),
        I(P::hoffset2, 0),
        I(P::doffset2, 0),
        I(P::coffset2, 0),
        IA(P::starts),
        IA(P::ends),
        IA(P::axes),
        S(P::starts_expr),
        S(P::ends_expr),
        S(P::axes_expr),
    });
}

LayerSchema reshape()
{
    using P = params::Reshape;
    return with_check(make<P>({
                          I(P::w, -233),
                          I(P::h, -233),
                          I(P::d, -233),
                          I(P::c, -233),
                          S(P::shape_expr),
                          // the reference writer never prints the batch axes
                          I(P::input_batch_axis, 233).kept(),
                          I(P::output_batch_axis, 233).kept(),
                      }),
                      "shape_expr must be a well-formed expression without integer division by zero",
                      [](const LayerParams& p) { return shape_expr_loads(p.get(P::shape_expr)); });
}

} // namespace

void add_shape_layers(std::vector<LayerSchema>& t)
{
    // no params or blobs (no load_param at all)
    t.push_back(unwritten<params::DeepCopy>());
    t.push_back(unwritten<params::Flatten>());
    t.push_back(unwritten<params::Noop>());
    t.push_back(unwritten<params::Split>());

    // the reference writer has no branch for these
    t.push_back(unwritten<params::Cast>({I(params::Cast::type_from, 0), I(params::Cast::type_to, 0)}));
    t.push_back(with_check(unwritten<params::Flip>({IA(params::Flip::axes)}), "axes must have at most 4 entries",
                           [](const LayerParams& p) { return p.get(params::Flip::axes).size() <= 4; }));
    {
        using P = params::Packing;
        t.push_back(unwritten<P>({I(P::out_elempack, 1), I(P::use_padding, 0), I(P::cast_type_from, 0), I(P::cast_type_to, 0)}));
    }

    t.push_back(memory_data());
    {
        using P = params::Padding;
        t.push_back(with_blobs(make<P>({
                                   I(P::top, 0),
                                   I(P::bottom, 0),
                                   I(P::left, 0),
                                   I(P::right, 0),
                                   I(P::type, 0),
                                   F(P::value, 0.f),
                                   I(P::per_channel_pad_data_size, 0),
                                   I(P::front, 0),
                                   I(P::behind, 0),
                               }),
                               {Raw("per_channel_pad_data", count_of<P::per_channel_pad_data_size>, is_set<P::per_channel_pad_data_size>)}));
    }
    t.push_back(make<params::Concat>({I(params::Concat::axis, 0)}));
    {
        using P = params::CopyTo;
        t.push_back(make<P>({
            I(P::woffset, 0),
            I(P::hoffset, 0),
            I(P::doffset, 0),
            I(P::coffset, 0),
            IA(P::starts),
            IA(P::axes),
        }));
    }
    t.push_back(crop());
    t.push_back(make<params::ExpandDims>({IA(params::ExpandDims::axes)}));
    {
        using P = params::GridSample;
        LayerSchema s = with_check(make<P>({
                                       I(P::sample_type, 1),
                                       I(P::padding_mode, 1),
                                       I(P::align_corner, 0),
                                       I(P::permute_fusion, 0),
                                   }),
                                   "sample_type must be 1..3", [](const LayerParams& p) { return p.get(P::sample_type) >= 1 && p.get(P::sample_type) <= 3; });
        s.checks.push_back({"padding_mode must be 1..3", [](const LayerParams& p) { return p.get(P::padding_mode) >= 1 && p.get(P::padding_mode) <= 3; }});
        t.push_back(s);
    }
    {
        using P = params::Input;
        t.push_back(make<P>({
            I(P::w, 0),
            I(P::h, 0),
            I(P::c, 0),
            I(P::d, 0).kept(), // the reference writer never prints 11 (d)
        }));
    }
    {
        using P = params::Interp;
        t.push_back(with_check(make<P>({
                                   I(P::resize_type, 0),
                                   F(P::height_scale, 1.f),
                                   F(P::width_scale, 1.f),
                                   I(P::output_height, 0),
                                   I(P::output_width, 0),
                                   I(P::dynamic_target_size, 0),
                                   I(P::align_corner, 0),
                                   S(P::size_expr),
                               }),
                               "resize_type must be 0..3", [](const LayerParams& p) { return p.get(P::resize_type) >= 0 && p.get(P::resize_type) <= 3; }));
    }
    t.push_back(make<params::Permute>({I(params::Permute::order_type, 0)}));
    t.push_back(make<params::PixelShuffle>({I(params::PixelShuffle::upscale_factor, 1), I(params::PixelShuffle::mode, 0)}));
    t.push_back(make<params::Reorg>({I(params::Reorg::stride, 1), I(params::Reorg::mode, 0)}));
    t.push_back(reshape());
    t.push_back(make<params::ShuffleChannel>({I(params::ShuffleChannel::group, 1), I(params::ShuffleChannel::reverse, 0)}));
    {
        using P = params::Slice;
        t.push_back(make<P>({
            IA(P::slices),
            I(P::axis, 0),
            IA(P::indices).kept(), // the reference writer never prints 2 (indices)
        }));
    }
    {
        using P = params::Squeeze;
        t.push_back(make<P>({
            I(P::squeeze_w, 0),
            I(P::squeeze_h, 0),
            I(P::squeeze_d, 0),
            I(P::squeeze_c, 0),
            IA(P::axes),
        }));
    }
    t.push_back(make<params::Tile>({I(params::Tile::axis, 0), I(params::Tile::tiles, 1), IA(params::Tile::repeats)}));
}

} // namespace ncnn_int8::catalog
