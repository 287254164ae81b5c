// Layers that move values without arithmetic: Concat, Slice, Flatten,
// Reshape, Permute, ShuffleChannel, MemoryData. On dense tensors an ncnn
// axis is an (outer, extent, inner) split, so concat and slice are copies
// of inner-sized runs.
#include <algorithm>
#include <cstring>

#include "engine/layer_registry.h"
#include "engine/shape_util.h"

namespace ncnn_int8::engine {

namespace {

using Made = Result<std::unique_ptr<LayerForward>>;

// ---------------------------------------------------------------- Concat

class Concat final : public LayerForward {
public:
    explicit Concat(int axis) : axis_(axis) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& first = *bottoms.at(0);
        AxisSplit s0;
        if (!split_at_axis(first, axis_, s0)) return shape_error("axis " + std::to_string(axis_) + " is out of range for a " + first.shape_text() + " blob");
        const int axis = axis_ < 0 ? axis_ + first.dims : axis_;
        std::vector<int> ext = axes_of(first);
        int total = 0;
        for (const TensorPtr& b : bottoms) {
            std::vector<int> e = axes_of(*b);
            if (b->dims != first.dims) return shape_error("cannot concat a " + b->shape_text() + " blob with a " + first.shape_text() + " one");
            total += e[axis];
            e[axis] = ext[axis];
            if (e != ext) return shape_error("cannot concat a " + b->shape_text() + " blob with a " + first.shape_text() + " one along axis " + std::to_string(axis_));
        }
        ext[axis] = total;
        Tensor out = tensor_for_overwrite(ext); // the copies below cover it
        float* o = out.data.data();
        for (size_t outer = 0; outer < s0.outer; outer++)
            for (const TensorPtr& b : bottoms) {
                AxisSplit s;
                split_at_axis(*b, axis_, s);
                const size_t run = s.extent * s.inner;
                std::memcpy(o, b->data.data() + outer * run, run * sizeof(float));
                o += run;
            }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    int axis_;
};

Made make_concat(const LayerContext& ctx)
{
    using P = params::Concat;
    return std::unique_ptr<LayerForward>(new Concat(ctx.params().get(P::axis)));
}

// ---------------------------------------------------------------- Slice

class Slice final : public LayerForward {
public:
    Slice(std::vector<int> slices, std::vector<int> indices, int axis, size_t tops)
        : slices_(std::move(slices)),
          indices_(std::move(indices)),
          axis_(axis),
          tops_(tops)
    {
    }
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        AxisSplit s;
        if (!split_at_axis(in, axis_, s)) return shape_error("axis " + std::to_string(axis_) + " is out of range for a " + in.shape_text() + " blob");
        const int axis = axis_ < 0 ? axis_ + in.dims : axis_;
        const int n = static_cast<int>(s.extent);
        int q = 0;
        for (size_t i = 0; i < tops_; i++) {
            int slice;
            if (!indices_.empty()) {
                if (i == tops_ - 1) {
                    slice = n - q;
                } else {
                    const int at = indices_[i] < 0 ? n + indices_[i] : indices_[i];
                    slice = at - q;
                }
            } else {
                slice = slices_[i];
                if (slice == -233) slice = (n - q) / static_cast<int>(tops_ - i);
            }
            if (slice < 0 || q + slice > n) return shape_error("slice " + std::to_string(i) + " does not fit in a " + in.shape_text() + " blob");
            std::vector<int> ext = axes_of(in);
            ext[axis] = slice;
            Tensor out = tensor_of(ext);
            const size_t run = static_cast<size_t>(slice) * s.inner;
            for (size_t outer = 0; outer < s.outer; outer++)
                std::memcpy(out.data.data() + outer * run, in.data.data() + (outer * s.extent + q) * s.inner, run * sizeof(float));
            tops.push_back(std::make_shared<Tensor>(std::move(out)));
            q += slice;
        }
        return Status::ok();
    }

private:
    std::vector<int> slices_, indices_;
    int axis_;
    size_t tops_;
};

Made make_slice(const LayerContext& ctx)
{
    using P = params::Slice;
    std::vector<int> slices = ctx.params().get(P::slices);
    std::vector<int> indices = ctx.params().get(P::indices);
    if (indices.empty() && slices.size() < ctx.top_count())
        return ctx.error("has " + std::to_string(slices.size()) + " slices for " + std::to_string(ctx.top_count()) + " top blobs");
    if (!indices.empty() && indices.size() + 1 < ctx.top_count())
        return ctx.error("has " + std::to_string(indices.size()) + " indices for " + std::to_string(ctx.top_count()) + " top blobs");
    return std::unique_ptr<LayerForward>(new Slice(std::move(slices), std::move(indices), ctx.params().get(P::axis), ctx.top_count()));
}

// ---------------------------------------------------------------- Flatten / Reshape

class Flatten final : public LayerForward {
public:
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        auto out = std::make_shared<Tensor>(*bottoms.at(0));
        out->dims = 1;
        out->w = static_cast<int>(out->total());
        out->h = out->d = out->c = 1;
        tops.push_back(std::move(out));
        return Status::ok();
    }
};

Made make_flatten(const LayerContext&) { return std::unique_ptr<LayerForward>(new Flatten()); }

class Reshape final : public LayerForward {
public:
    Reshape(int ndim, int w, int h, int d, int c) : ndim_(ndim),
                                                    w_(w),
                                                    h_(h),
                                                    d_(d),
                                                    c_(c) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        const int total = static_cast<int>(in.total());
        int w = w_, h = h_, d = d_, c = c_;
        if (w == 0) w = in.w;
        if (h == 0) h = in.h;
        if (d == 0) d = in.d;
        if (c == 0) c = in.c;
        if (ndim_ < 4) d = 1;
        if (ndim_ < 3) c = 1;
        if (ndim_ < 2) h = 1;
        // At most one -1: it takes what the others leave.
        const int known = (w == -1 ? 1 : w) * (h == -1 ? 1 : h) * (d == -1 ? 1 : d) * (c == -1 ? 1 : c);
        if (known <= 0) return shape_error("cannot reshape a " + in.shape_text() + " blob to the given shape");
        if (w == -1) w = total / known;
        if (h == -1) h = total / known;
        if (d == -1) d = total / known;
        if (c == -1) c = total / known;
        auto out = std::make_shared<Tensor>(in);
        out->dims = ndim_;
        out->w = w;
        out->h = h;
        out->d = d;
        out->c = c;
        if (out->total() != in.total()) return shape_error("cannot reshape a " + in.shape_text() + " blob to " + out->shape_text());
        tops.push_back(std::move(out));
        return Status::ok();
    }

private:
    int ndim_, w_, h_, d_, c_;
};

Made make_reshape(const LayerContext& ctx)
{
    using P = params::Reshape;
    const LayerParams& p = ctx.params();
    if (p.get(P::input_batch_axis) != 233 || p.get(P::output_batch_axis) != 233)
        return ctx.error("batch-axis reshapes (params 12/13) are not supported by the engine");
    if (ctx.bottom_count() != 1) return ctx.error("Reshape with a shape_expr over several bottoms is not supported by the engine");
    const int w = p.get(P::w), h = p.get(P::h), d = p.get(P::d), c = p.get(P::c);
    int ndim = 4;
    if (d == -233) ndim = 3;
    if (c == -233) ndim = 2;
    if (h == -233) ndim = 1;
    if (w == -233) ndim = 0;
    if (ndim == 0) return ctx.error("Reshape without a target shape (w = -233) is not supported by the engine");
    return std::unique_ptr<LayerForward>(new Reshape(ndim, w, h, d, c));
}

// ---------------------------------------------------------------- Permute

// Output axes (w, h, d, c order) as input axes 0=w 1=h 2=d 3=c, per order_type.
const int kPermute3[6][3] = {{0, 1, 3}, {1, 0, 3}, {0, 3, 1}, {3, 0, 1}, {1, 3, 0}, {3, 1, 0}};
const int kPermute4[24][4] = {
    {0, 1, 2, 3},
    {1, 0, 2, 3},
    {0, 2, 1, 3},
    {2, 0, 1, 3},
    {1, 2, 0, 3},
    {2, 1, 0, 3},
    {0, 1, 3, 2},
    {1, 0, 3, 2},
    {0, 3, 1, 2},
    {3, 0, 1, 2},
    {1, 3, 0, 2},
    {3, 1, 0, 2},
    {0, 2, 3, 1},
    {2, 0, 3, 1},
    {0, 3, 2, 1},
    {3, 0, 2, 1},
    {2, 3, 0, 1},
    {3, 2, 0, 1},
    {1, 2, 3, 0},
    {2, 1, 3, 0},
    {1, 3, 2, 0},
    {3, 1, 2, 0},
    {2, 3, 1, 0},
    {3, 2, 1, 0},
};

class Permute final : public LayerForward {
public:
    explicit Permute(int order) : order_(order) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        if (in.dims == 1 || order_ == 0) {
            tops.push_back(bottoms[0]);
            return Status::ok();
        }
        const int ext[4] = {in.w, in.h, in.d, in.c};
        const size_t stride[4] = {1, static_cast<size_t>(in.w), static_cast<size_t>(in.w) * in.h, in.plane()};
        int perm[4] = {0, 1, 2, 3};
        if (in.dims == 2) {
            if (order_ != 1) return shape_error("order_type " + std::to_string(order_) + " is not defined for a 2-D blob");
            perm[0] = 1;
            perm[1] = 0;
        } else if (in.dims == 3) {
            if (order_ > 5) return shape_error("order_type " + std::to_string(order_) + " is not defined for a 3-D blob");
            perm[0] = kPermute3[order_][0];
            perm[1] = kPermute3[order_][1];
            perm[2] = 2; // d stays (extent 1)
            perm[3] = kPermute3[order_][2];
        } else {
            if (order_ > 23) return shape_error("order_type " + std::to_string(order_) + " is not defined for a 4-D blob");
            for (int k = 0; k < 4; k++) perm[k] = kPermute4[order_][k];
        }
        Tensor out;
        out.dims = in.dims;
        out.w = ext[perm[0]];
        out.h = ext[perm[1]];
        out.d = ext[perm[2]];
        out.c = ext[perm[3]];
        out.data.resize(out.total());
        float* o = out.data.data();
        for (int q = 0; q < out.c; q++)
            for (int z = 0; z < out.d; z++)
                for (int y = 0; y < out.h; y++) {
                    const size_t base = q * stride[perm[3]] + z * stride[perm[2]] + y * stride[perm[1]];
                    const size_t sx = stride[perm[0]];
                    for (int x = 0; x < out.w; x++) *o++ = in.data[base + x * sx];
                }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    int order_;
};

Made make_permute(const LayerContext& ctx)
{
    using P = params::Permute;
    return std::unique_ptr<LayerForward>(new Permute(ctx.params().get(P::order_type)));
}

// ---------------------------------------------------------------- ShuffleChannel

class ShuffleChannel final : public LayerForward {
public:
    ShuffleChannel(int group, bool reverse) : group_(group),
                                              reverse_(reverse) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        if (group_ <= 0 || in.c % group_ != 0) return shape_error("group " + std::to_string(group_) + " does not divide the " + std::to_string(in.c) + " channels");
        const int g = reverse_ ? in.c / group_ : group_;
        const int per = in.c / g;
        auto out = std::make_shared<Tensor>(Tensor::like(in));
        for (int i = 0; i < g; i++)
            for (int j = 0; j < per; j++) std::memcpy(out->channel(g * j + i), in.channel(per * i + j), in.plane() * sizeof(float));
        tops.push_back(std::move(out));
        return Status::ok();
    }

private:
    int group_;
    bool reverse_;
};

Made make_shuffle_channel(const LayerContext& ctx)
{
    using P = params::ShuffleChannel;
    return std::unique_ptr<LayerForward>(new ShuffleChannel(ctx.params().get(P::group), ctx.params().get(P::reverse) != 0));
}

// ---------------------------------------------------------------- MemoryData

class MemoryData final : public LayerForward {
public:
    explicit MemoryData(TensorPtr data) : data_(std::move(data)) {}
    Status forward(const std::vector<TensorPtr>&, std::vector<TensorPtr>& tops) const override
    {
        tops.push_back(data_);
        return Status::ok();
    }

private:
    TensorPtr data_;
};

Made make_memory_data(const LayerContext& ctx)
{
    using P = params::MemoryData;
    const LayerParams& p = ctx.params();
    const int w = p.get(P::w), h = p.get(P::h), d = p.get(P::d), c = p.get(P::c);
    Tensor t = d != 0 ? Tensor::make4(w, h, d, c) : c != 0 ? Tensor::make3(w, h, c)
                                                : h != 0   ? Tensor::make2(w, h)
                                                           : Tensor::make1(w);
    if (t.total() == 0) return ctx.error("MemoryData without a shape");
    ASSIGN_OR_RETURN(t.data, ctx.weight_values("data"));
    if (t.data.size() != t.total()) return ctx.error("weight blob data does not match its shape");
    return std::unique_ptr<LayerForward>(new MemoryData(std::make_shared<const Tensor>(std::move(t))));
}

// ---------------------------------------------------------------- Squeeze / ExpandDims

// Axes are ncnn's, outermost first; the data never moves.
class Squeeze final : public LayerForward {
public:
    Squeeze(bool w, bool h, bool d, bool c, std::vector<int> axes) : flags_{c, d, h, w},
                                                                     axes_(std::move(axes)) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        const std::vector<int> ext = axes_of(in);
        // named flags per axis, outermost first: [c, d, h, w] cut to dims
        std::vector<bool> drop(in.dims, false);
        static const int kNames[5][4] = {{}, {3}, {2, 3}, {0, 2, 3}, {0, 1, 2, 3}}; // index into flags_ (c, d, h, w)
        if (axes_.empty()) {
            for (int k = 0; k < in.dims; k++) drop[k] = flags_[kNames[in.dims][k]] && ext[k] == 1;
        } else {
            for (int a : axes_) {
                const int axis = a < 0 ? a + in.dims : a;
                if (axis < 0 || axis >= in.dims) return shape_error("axis " + std::to_string(a) + " is out of range for a " + in.shape_text() + " blob");
                drop[axis] = ext[axis] == 1;
            }
        }
        std::vector<int> kept;
        for (int k = 0; k < in.dims; k++)
            if (!drop[k]) kept.push_back(ext[k]);
        if (kept.empty()) kept.push_back(1);
        auto out = std::make_shared<Tensor>(tensor_of(kept));
        out->data = in.data;
        tops.push_back(std::move(out));
        return Status::ok();
    }

private:
    bool flags_[4];
    std::vector<int> axes_;
};

Made make_squeeze(const LayerContext& ctx)
{
    using P = params::Squeeze;
    const LayerParams& p = ctx.params();
    return std::unique_ptr<LayerForward>(new Squeeze(p.get(P::squeeze_w) != 0, p.get(P::squeeze_h) != 0, p.get(P::squeeze_d) != 0, p.get(P::squeeze_c) != 0, p.get(P::axes)));
}

class ExpandDims final : public LayerForward {
public:
    explicit ExpandDims(std::vector<int> axes) : axes_(std::move(axes)) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        const int outdims = in.dims + static_cast<int>(axes_.size());
        if (outdims > 4) return shape_error("expanding a " + in.shape_text() + " blob by " + std::to_string(axes_.size()) + " axes exceeds 4-D");
        std::vector<bool> added(outdims, false);
        for (int a : axes_) {
            const int axis = a < 0 ? a + outdims : a;
            if (axis < 0 || axis >= outdims) return shape_error("axis " + std::to_string(a) + " is out of range");
            added[axis] = true;
        }
        const std::vector<int> ext = axes_of(in);
        std::vector<int> out_ext;
        size_t next = 0;
        for (int k = 0; k < outdims; k++) out_ext.push_back(added[k] || next >= ext.size() ? 1 : ext[next++]);
        auto out = std::make_shared<Tensor>(tensor_of(out_ext));
        if (out->total() != in.total()) return shape_error("axes do not expand a " + in.shape_text() + " blob");
        out->data = in.data;
        tops.push_back(std::move(out));
        return Status::ok();
    }

private:
    std::vector<int> axes_;
};

Made make_expand_dims(const LayerContext& ctx)
{
    using P = params::ExpandDims;
    return std::unique_ptr<LayerForward>(new ExpandDims(ctx.params().get(P::axes)));
}

// ---------------------------------------------------------------- PixelShuffle

class PixelShuffle final : public LayerForward {
public:
    PixelShuffle(int r, int mode) : r_(r),
                                    mode_(mode) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        if (in.dims != 3 || r_ <= 0 || in.c % (r_ * r_) != 0) return shape_error("upscale_factor " + std::to_string(r_) + " does not fit a " + in.shape_text() + " blob");
        const int outc = in.c / (r_ * r_);
        Tensor out = Tensor::make3(in.w * r_, in.h * r_, outc);
        for (int p = 0; p < outc; p++)
            for (int sh = 0; sh < r_; sh++)
                for (int sw = 0; sw < r_; sw++) {
                    const int q = mode_ == 0 ? p * r_ * r_ + sh * r_ + sw : (sh * r_ + sw) * outc + p;
                    const float* s = in.channel(q);
                    for (int i = 0; i < in.h; i++)
                        for (int j = 0; j < in.w; j++) out.channel(p)[static_cast<size_t>(i * r_ + sh) * out.w + j * r_ + sw] = *s++;
                }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    int r_, mode_;
};

Made make_pixel_shuffle(const LayerContext& ctx)
{
    using P = params::PixelShuffle;
    return std::unique_ptr<LayerForward>(new PixelShuffle(ctx.params().get(P::upscale_factor), ctx.params().get(P::mode)));
}

} // namespace

void register_shape_layers(LayerRegistry& r)
{
    r["Concat"] = make_concat;
    r["Slice"] = make_slice;
    r["Flatten"] = make_flatten;
    r["Reshape"] = make_reshape;
    r["Permute"] = make_permute;
    r["ShuffleChannel"] = make_shuffle_channel;
    r["MemoryData"] = make_memory_data;
    r["Squeeze"] = make_squeeze;
    r["ExpandDims"] = make_expand_dims;
    r["PixelShuffle"] = make_pixel_shuffle;
}

} // namespace ncnn_int8::engine
