// Layers that resample or re-frame the spatial axes: Padding (constant,
// replicate, reflect; also along channels), Crop (offset form, reference-blob
// form, numpy-style starts/ends/axes), Interp (nearest and bilinear with
// ncnn's coefficients: horizontal pass per source row, then vertical).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "engine/layer_registry.h"

namespace ncnn_int8::engine {

namespace {

using Made = Result<std::unique_ptr<LayerForward>>;

// ---------------------------------------------------------------- Padding

// Source index for output index i of an axis of n values with `before` padding; -1: constant.
int border_index(int i, int before, int n, int type)
{
    int s = i - before;
    if (s >= 0 && s < n) return s;
    if (type == 0) return -1;
    if (type == 1) return s < 0 ? 0 : n - 1;
    s = std::abs(s); // reflect without repeating the edge
    return (n - 1) - std::abs(s - (n - 1));
}

class Padding final : public LayerForward {
public:
    Padding(int top, int bottom, int left, int right, int front, int behind, int type, float value, std::vector<float> per_channel)
        : top_(top),
          bottom_(bottom),
          left_(left),
          right_(right),
          front_(front),
          behind_(behind),
          type_(type),
          value_(value),
          per_channel_(std::move(per_channel))
    {
    }
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        if (top_ == 0 && bottom_ == 0 && left_ == 0 && right_ == 0 && front_ == 0 && behind_ == 0) {
            tops.push_back(bottoms[0]);
            return Status::ok();
        }
        // front/behind pad the channels of a 3-D blob and the depth of a 4-D one
        Tensor out;
        out.dims = in.dims;
        out.h = in.h;
        out.d = in.d;
        out.c = in.c;
        out.w = in.w + left_ + right_;
        if (in.dims >= 2) out.h = in.h + top_ + bottom_;
        if (in.dims == 3) out.c = in.c + front_ + behind_;
        if (in.dims == 4) out.d = in.d + front_ + behind_;
        out.data.assign(out.total(), 0.f);
        if (type_ == 2 && (left_ >= in.w || right_ >= in.w || (in.dims >= 2 && (top_ >= in.h || bottom_ >= in.h)) || (in.dims == 4 && (front_ >= in.d || behind_ >= in.d))))
            return shape_error("reflect padding larger than the blob");
        const int top = in.dims >= 2 ? top_ : 0;
        const int front = in.dims == 3 ? front_ : 0;
        const int depth_front = in.dims == 4 ? front_ : 0;
        const size_t in_plane = static_cast<size_t>(in.w) * in.h;
        std::vector<int> xs(out.w);
        for (int x = 0; x < out.w; x++) xs[x] = border_index(x, left_, in.w, type_);
        for (int q = 0; q < out.c; q++) {
            const int sq = border_index(q, front, in.c, type_);
            const float fill = !per_channel_.empty() && q < static_cast<int>(per_channel_.size()) ? per_channel_[q] : value_;
            float* o = out.channel(q);
            for (int z = 0; z < out.d; z++) {
                const int sz = border_index(z, depth_front, in.d, type_);
                for (int y = 0; y < out.h; y++, o += out.w) {
                    const int sy = border_index(y, top, in.h, type_);
                    if (sq < 0 || sz < 0 || sy < 0) {
                        std::fill(o, o + out.w, fill);
                        continue;
                    }
                    const float* row = in.channel(sq) + static_cast<size_t>(sz) * in_plane + static_cast<size_t>(sy) * in.w;
                    for (int x = 0; x < out.w; x++) o[x] = xs[x] < 0 ? fill : row[xs[x]];
                }
            }
        }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    int top_, bottom_, left_, right_, front_, behind_, type_;
    float value_;
    std::vector<float> per_channel_;
};

Made make_padding(const LayerContext& ctx)
{
    using P = params::Padding;
    const LayerParams& p = ctx.params();
    const int type = p.get(P::type);
    if (type < 0 || type > 2) return ctx.error("type " + std::to_string(type) + " is not 0 (constant), 1 (replicate) or 2 (reflect)");
    if (ctx.bottom_count() != 1) return ctx.error("Padding with pads from a second bottom blob is not supported by the engine");
    const int pads[] = {p.get(P::top), p.get(P::bottom), p.get(P::left), p.get(P::right), p.get(P::front), p.get(P::behind)};
    for (int v : pads)
        if (v < 0) return ctx.error("negative padding is not supported by the engine");
    std::vector<float> per_channel;
    if (p.get(P::per_channel_pad_data_size)) {
        ASSIGN_OR_RETURN(per_channel, ctx.weight("per_channel_pad_data"));
    }
    return std::unique_ptr<LayerForward>(new Padding(pads[0], pads[1], pads[2], pads[3], pads[4], pads[5], type, p.get(P::value), std::move(per_channel)));
}

// ---------------------------------------------------------------- Crop

struct Roi {
    int x = 0, y = 0, z = 0, q = 0; // offsets along w, h, d, c
    int w = 0, h = 0, d = 0, c = 0; // extents
};

class Crop final : public LayerForward {
    using P = params::Crop;

public:
    explicit Crop(const LayerParams& p)
        : offsets_{p.get(P::woffset), p.get(P::hoffset), p.get(P::doffset), p.get(P::coffset)},
          outs_{p.get(P::outw), p.get(P::outh), p.get(P::outd), p.get(P::outc)},
          offsets2_{p.get(P::woffset2), p.get(P::hoffset2), p.get(P::doffset2), p.get(P::coffset2)},
          starts_(p.get(P::starts)),
          ends_(p.get(P::ends)),
          axes_(p.get(P::axes))
    {
    }
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        Roi r{0, 0, 0, 0, in.w, in.h, in.d, in.c};
        if (!starts_.empty() && !ends_.empty()) {
            // numpy style: axes outermost first ([c, d, h, w] for 4-D).
            std::vector<int> axes = axes_;
            if (axes.empty())
                for (int k = 0; k < in.dims; k++) axes.push_back(k);
            if (starts_.size() < axes.size() || ends_.size() < axes.size()) return shape_error("starts/ends shorter than axes");
            for (size_t i = 0; i < axes.size(); i++) {
                int axis = axes[i] < 0 ? axes[i] + in.dims : axes[i];
                // map to w / h / d / c
                int which = -1;
                if (in.dims == 1 && axis == 0) which = 0;
                if (in.dims == 2) which = axis == 0 ? 1 : axis == 1 ? 0
                                                                    : -1;
                if (in.dims == 3) which = axis == 0 ? 3 : axis == 1 ? 1
                                                      : axis == 2   ? 0
                                                                    : -1;
                if (in.dims == 4) which = axis == 0 ? 3 : axis == 1 ? 2
                                                      : axis == 2   ? 1
                                                      : axis == 3   ? 0
                                                                    : -1;
                if (which < 0) return shape_error("axis " + std::to_string(axes[i]) + " is out of range for a " + in.shape_text() + " blob");
                const int n = which == 0 ? in.w : which == 1 ? in.h
                                              : which == 2   ? in.d
                                                             : in.c;
                int start = starts_[i], end = ends_[i];
                if (start == -233) start = 0;
                if (end == -233) end = n;
                const int off = start >= 0 ? start : n + start;
                const int ext = std::min(n, end > 0 ? end : n + end) - off;
                int* offs[] = {&r.x, &r.y, &r.z, &r.q};
                int* exts[] = {&r.w, &r.h, &r.d, &r.c};
                *offs[which] = off;
                *exts[which] = ext;
            }
        } else if (bottoms.size() == 2) {
            const Tensor& ref = *bottoms[1];
            r = {offsets_[0], offsets_[1], offsets_[2], offsets_[3], ref.w, ref.h, ref.d, ref.c};
            if (in.dims < 4) r.d = in.d, r.z = 0;
            if (in.dims < 3) r.c = in.c, r.q = 0;
            if (in.dims < 2) r.h = in.h, r.y = 0;
            if (ref.dims != in.dims) { // ncnn crops channels only to a reference of the same rank
                r.c = in.c;
                r.q = 0;
            }
        } else {
            const int n[4] = {in.w, in.h, in.d, in.c};
            int ext[4];
            for (int k = 0; k < 4; k++) {
                ext[k] = n[k] - offsets_[k] - offsets2_[k];
                if (outs_[k] != -233) ext[k] = std::min(outs_[k], ext[k]);
            }
            r = {offsets_[0], offsets_[1], offsets_[2], offsets_[3], ext[0], ext[1], ext[2], ext[3]};
            if (in.dims < 4) r.d = in.d, r.z = 0;
            if (in.dims < 3) r.c = in.c, r.q = 0;
            if (in.dims < 2) r.h = in.h, r.y = 0;
        }
        if (r.w <= 0 || r.h <= 0 || r.d <= 0 || r.c <= 0 || r.x < 0 || r.y < 0 || r.z < 0 || r.q < 0 || r.x + r.w > in.w || r.y + r.h > in.h || r.z + r.d > in.d || r.q + r.c > in.c)
            return shape_error("the crop region does not fit a " + in.shape_text() + " blob");
        if (r.w == in.w && r.h == in.h && r.d == in.d && r.c == in.c) {
            tops.push_back(bottoms[0]);
            return Status::ok();
        }
        Tensor out = in;
        out.w = r.w;
        out.h = r.h;
        out.d = r.d;
        out.c = r.c;
        out.data.resize(out.total());
        float* o = out.data.data();
        for (int q = 0; q < r.c; q++)
            for (int z = 0; z < r.d; z++)
                for (int y = 0; y < r.h; y++) {
                    const float* src = in.channel(r.q + q) + (static_cast<size_t>(r.z + z) * in.h + r.y + y) * in.w + r.x;
                    std::memcpy(o, src, r.w * sizeof(float));
                    o += r.w;
                }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    int offsets_[4], outs_[4], offsets2_[4];
    std::vector<int> starts_, ends_, axes_;
};

Made make_crop(const LayerContext& ctx)
{
    using P = params::Crop;
    const LayerParams& p = ctx.params();
    if (!p.get(P::starts_expr).empty() || !p.get(P::ends_expr).empty() || !p.get(P::axes_expr).empty())
        return ctx.error("Crop with expressions (starts_expr / ends_expr / axes_expr) is not supported by the engine");
    return std::unique_ptr<LayerForward>(new Crop(p));
}

// ---------------------------------------------------------------- Interp

void linear_coeffs(int w, int outw, std::vector<int>& ofs, std::vector<float>& alpha, bool align_corner)
{
    ofs.resize(outw);
    alpha.resize(outw * 2);
    double scale = static_cast<double>(w) / outw;
    if (align_corner) scale = static_cast<double>(w - 1) / (outw - 1);
    for (int dx = 0; dx < outw; dx++) {
        float fx = static_cast<float>((dx + 0.5) * scale - 0.5);
        if (align_corner) fx = static_cast<float>(dx * scale);
        int sx = static_cast<int>(std::floor(fx));
        fx -= sx;
        if (sx < 0) {
            sx = 0;
            fx = 0.f;
        }
        if (sx >= w - 1) {
            sx = w - 2;
            fx = 1.f;
        }
        ofs[dx] = sx;
        alpha[dx * 2] = 1.f - fx;
        alpha[dx * 2 + 1] = fx;
    }
}

// ncnn's bicubic weights (A = -0.75) and its border folding: taps that
// would fall outside the row are merged into the nearest inside ones.
void cubic_coeffs(int w, int outw, std::vector<int>& ofs, std::vector<float>& alpha, bool align_corner)
{
    ofs.resize(outw);
    alpha.resize(outw * 4);
    double scale = static_cast<double>(w) / outw;
    if (align_corner) scale = static_cast<double>(w - 1) / (outw - 1);
    const float A = -0.75f;
    for (int dx = 0; dx < outw; dx++) {
        float fx = static_cast<float>((dx + 0.5) * scale - 0.5);
        if (align_corner) fx = static_cast<float>(dx * scale);
        int sx = static_cast<int>(std::floor(fx));
        fx -= sx;
        float* a = &alpha[dx * 4];
        const float fx0 = fx + 1, fx1 = fx, fx2 = 1 - fx;
        a[0] = A * fx0 * fx0 * fx0 - 5 * A * fx0 * fx0 + 8 * A * fx0 - 4 * A;
        a[1] = (A + 2) * fx1 * fx1 * fx1 - (A + 3) * fx1 * fx1 + 1;
        a[2] = (A + 2) * fx2 * fx2 * fx2 - (A + 3) * fx2 * fx2 + 1;
        a[3] = 1.f - a[0] - a[1] - a[2];
        if (sx <= -1) { // as ncnn writes it (a[1] takes a[3])
            sx = 1;
            a[0] = 1.f - a[3];
            a[1] = a[3];
            a[2] = 0.f;
            a[3] = 0.f;
        }
        if (sx == 0) {
            sx = 1;
            a[0] = a[0] + a[1];
            a[1] = a[2];
            a[2] = a[3];
            a[3] = 0.f;
        }
        if (sx == w - 2) {
            sx = w - 3;
            a[3] = a[2] + a[3];
            a[2] = a[1];
            a[1] = a[0];
            a[0] = 0.f;
        }
        if (sx >= w - 1) {
            sx = w - 3;
            a[3] = 1.f - a[0];
            a[2] = a[0];
            a[1] = 0.f;
            a[0] = 0.f;
        }
        ofs[dx] = sx;
    }
}

// One row resized along w: nearest (step ws), bilinear or bicubic.
struct RowResizer {
    int type = 2;
    float ws = 1.f;
    int w = 0, outw = 0;
    std::vector<int> ofs;
    std::vector<float> alpha;

    RowResizer(int type_, int w_, int outw_, float ws_, bool align)
        : type(type_),
          ws(ws_),
          w(w_),
          outw(outw_)
    {
        if (type == 2) linear_coeffs(w, outw, ofs, alpha, align);
        if (type == 3) cubic_coeffs(w, outw, ofs, alpha, align);
    }
    void run(const float* src, float* dst) const
    {
        if (type == 1) {
            for (int x = 0; x < outw; x++) dst[x] = src[std::min(static_cast<int>(x * ws), w - 1)];
        } else if (type == 2) {
            for (int x = 0; x < outw; x++) dst[x] = src[ofs[x]] * alpha[x * 2] + src[ofs[x] + 1] * alpha[x * 2 + 1];
        } else {
            for (int x = 0; x < outw; x++) {
                const float* p = src + ofs[x];
                const float* a = &alpha[x * 4];
                dst[x] = p[-1] * a[0] + p[0] * a[1] + p[1] * a[2] + p[2] * a[3];
            }
        }
    }
};

class Interp final : public LayerForward {
public:
    Interp(int type, float hscale, float wscale, int outh, int outw, bool align)
        : type_(type),
          hscale_(hscale),
          wscale_(wscale),
          outh_(outh),
          outw_(outw),
          align_(align)
    {
    }
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        int outw = outw_, outh = outh_;
        if (bottoms.size() == 2) {
            outw = bottoms[1]->w;
            outh = bottoms[1]->h;
        } else if (outw == 0 || outh == 0) {
            const int w = in.dims == 1 ? 1 : in.w, h = in.dims == 1 ? 1 : in.h;
            outw = static_cast<int>(w * wscale_);
            outh = static_cast<int>(h * hscale_);
        }
        if (outw <= 0 || outh <= 0) return shape_error("output size must be positive");
        if (in.dims == 1) {
            // ncnn: each value fills one outw x outh channel
            Tensor out = Tensor::make3(outw, outh, in.w);
            for (int q = 0; q < in.w; q++) std::fill(out.channel(q), out.channel(q) + out.plane(), in.data[q]);
            tops.push_back(std::make_shared<Tensor>(std::move(out)));
            return Status::ok();
        }
        if (in.dims != 2 && in.dims != 3) return shape_error("Interp on a " + in.shape_text() + " blob is not supported by the engine");
        const bool rows_only = in.dims == 2; // a 2-D blob is resized along w only
        if (outw == in.w && (rows_only || outh == in.h)) {
            tops.push_back(bottoms[0]);
            return Status::ok();
        }
        const int need = type_ == 2 ? 2 : (type_ == 3 ? 4 : 1);
        if (in.w < need || (!rows_only && in.h < need))
            return shape_error(std::string(type_ == 2 ? "bilinear" : "bicubic") + " Interp needs at least " + std::to_string(need) + " values along each resized axis, got a " + in.shape_text() + " blob");
        // as ncnn: the nearest step is in/out when the layer gives an output size, else 1/scale
        const float ws = outw_ ? in.w / static_cast<float>(outw) : 1.f / wscale_;
        const RowResizer xr(type_, in.w, outw, ws, align_);
        if (rows_only) {
            Tensor out = Tensor::make2(outw, in.h);
            for (int y = 0; y < in.h; y++) xr.run(in.data.data() + static_cast<size_t>(y) * in.w, out.data.data() + static_cast<size_t>(y) * outw);
            tops.push_back(std::make_shared<Tensor>(std::move(out)));
            return Status::ok();
        }
        Tensor out = Tensor::make3(outw, outh, in.c);
        if (type_ == 1) {
            const float hs = outh_ ? in.h / static_cast<float>(outh) : 1.f / hscale_;
            for (int q = 0; q < in.c; q++) {
                const float* p = in.channel(q);
                float* o = out.channel(q);
                for (int y = 0; y < outh; y++) xr.run(p + static_cast<size_t>(std::min(static_cast<int>(y * hs), in.h - 1)) * in.w, o + static_cast<size_t>(y) * outw);
            }
        } else {
            // rows resized along w, then combined along h (2 or 4 taps)
            std::vector<int> yofs;
            std::vector<float> beta;
            if (type_ == 2)
                linear_coeffs(in.h, outh, yofs, beta, align_);
            else
                cubic_coeffs(in.h, outh, yofs, beta, align_);
            const int taps = type_ == 2 ? 2 : 4, first = type_ == 2 ? 0 : -1;
            std::vector<float> rows(static_cast<size_t>(taps) * outw);
            for (int q = 0; q < in.c; q++) {
                const float* p = in.channel(q);
                float* o = out.channel(q);
                for (int dy = 0; dy < outh; dy++) {
                    for (int t = 0; t < taps; t++) xr.run(p + static_cast<size_t>(yofs[dy] + first + t) * in.w, rows.data() + static_cast<size_t>(t) * outw);
                    const float* b = &beta[static_cast<size_t>(dy) * taps];
                    for (int dx = 0; dx < outw; dx++) {
                        float v = rows[dx] * b[0] + rows[outw + dx] * b[1];
                        if (taps == 4) v = v + rows[2 * outw + dx] * b[2] + rows[3 * outw + dx] * b[3];
                        *o++ = v;
                    }
                }
            }
        }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    int type_;
    float hscale_, wscale_;
    int outh_, outw_;
    bool align_;
};

Made make_interp(const LayerContext& ctx)
{
    using P = params::Interp;
    const LayerParams& p = ctx.params();
    const int type = p.get(P::resize_type);
    if (type < 1 || type > 3) return ctx.error("resize_type " + std::to_string(type) + " is not one ncnn defines (1 nearest, 2 bilinear, 3 bicubic)");
    if (!p.get(P::size_expr).empty()) return ctx.error("Interp with a size_expr is not supported by the engine");
    return std::unique_ptr<LayerForward>(new Interp(type, p.get(P::height_scale), p.get(P::width_scale), p.get(P::output_height), p.get(P::output_width), p.get(P::align_corner) != 0));
}

} // namespace

void register_spatial_layers(LayerRegistry& r)
{
    r["Padding"] = make_padding;
    r["Crop"] = make_crop;
    r["Interp"] = make_interp;
}

} // namespace ncnn_int8::engine
