// Pooling (2-D): global, adaptive and windowed max / average with ncnn's
// pad modes (0 full: extra tail padding so the last window fits, 1 valid,
// 2 SAME_UPPER, 3 SAME_LOWER) and both avgpool_count_include_pad rules.
#include <algorithm>
#include <cfloat>
#include <type_traits>

#include "engine/layer_registry.h"
#include "engine/layers/border.h"
#include "kernels/engine_kernels.h"

namespace ncnn_int8::engine {

namespace {

using Made = Result<std::unique_ptr<LayerForward>>;

struct PoolSpec {
    bool max = true;
    int kw = 0, kh = 0, sw = 1, sh = 1;
    int pad_left = 0, pad_right = 0, pad_top = 0, pad_bottom = 0;
    bool global = false, adaptive = false, count_include_pad = false;
    int pad_mode = 0, out_w = 0, out_h = 0;
    bool one_d = false; // Pooling1D: 2-D blobs (w, h = channels)
};

class Pooling final : public LayerForward {
public:
    explicit Pooling(PoolSpec s) : s_(s) {}

    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        if (!s_.one_d) return forward2d(bottoms, tops);
        // Pooling1D: pool the w x 1 x h view, then give the result back its 2-D shape.
        const Tensor& in1 = *bottoms.at(0);
        if (in1.dims != 2) return shape_error("needs a 2-D blob (w, h = channels), got " + in1.shape_text());
        auto view = std::make_shared<Tensor>(in1);
        view->dims = 3;
        view->c = in1.h;
        view->h = 1;
        std::vector<TensorPtr> out;
        RETURN_IF_ERROR(forward2d({view}, out));
        if (out[0]->dims == 3) {
            auto o = std::make_shared<Tensor>(*out[0]);
            o->dims = 2;
            o->h = o->c;
            o->c = 1;
            out[0] = o;
        }
        tops.push_back(out[0] == view ? bottoms[0] : out[0]);
        return Status::ok();
    }

private:
    Status forward2d(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const
    {
        const Tensor& in = *bottoms.at(0);
        if (in.dims != 3) return shape_error("needs a 3-D blob, got " + in.shape_text());
        if (s_.global) return global(in, tops);
        if (s_.adaptive) return adaptive(in, bottoms[0], tops);

        Border b;
        int wtail = 0, htail = 0;
        if (s_.pad_mode == 0) {
            const int wt = (in.w + s_.pad_left + s_.pad_right - s_.kw) % s_.sw;
            const int ht = (in.h + s_.pad_top + s_.pad_bottom - s_.kh) % s_.sh;
            wtail = wt != 0 ? s_.sw - wt : 0;
            htail = ht != 0 ? s_.sh - ht : 0;
            b = {s_.pad_top, s_.pad_bottom + htail, s_.pad_left, s_.pad_right + wtail};
        } else if (s_.pad_mode == 1) {
            b = {s_.pad_top, s_.pad_bottom, s_.pad_left, s_.pad_right};
        } else {
            const int wpad = s_.kw + (in.w - 1) / s_.sw * s_.sw - in.w;
            const int hpad = s_.kh + (in.h - 1) / s_.sh * s_.sh - in.h;
            if (wpad > 0 || hpad > 0) {
                const bool upper = s_.pad_mode == 2;
                b.top = upper ? hpad / 2 : hpad - hpad / 2;
                b.bottom = hpad - b.top;
                b.left = upper ? wpad / 2 : wpad - wpad / 2;
                b.right = wpad - b.left;
            }
        }
        const Tensor padded = b.any() ? with_border(in, b, s_.max ? -FLT_MAX : 0.f) : Tensor();
        const Tensor& src = b.any() ? padded : in;
        const int w = src.w, h = src.h;
        if (w < s_.kw || h < s_.kh) return shape_error("a " + in.shape_text() + " blob is smaller than the window");
        const int outw = (w - s_.kw) / s_.sw + 1;
        const int outh = (h - s_.kh) / s_.sh + 1;
        Tensor out = Tensor::for_overwrite(3, outw, outh, 1, in.c); // one *o++ per output
        float* o = out.data.data();
        if (s_.max) { // a plane at a time, vectorized
            const size_t plane = static_cast<size_t>(outw) * outh;
            for (int q = 0; q < in.c; q++)
                kernels::max_pool_f32(src.channel(q), w, h, outw, outh, s_.kw, s_.kh, s_.sw, s_.sh, o + plane * q);
            tops.push_back(std::make_shared<Tensor>(std::move(out)));
            return Status::ok();
        }
        for (int q = 0; q < in.c; q++) {
            const float* m = src.channel(q);
            for (int i = 0; i < outh; i++)
                for (int j = 0; j < outw; j++) {
                    const int sy0 = i * s_.sh, sx0 = j * s_.sw;
                    if (s_.count_include_pad) {
                        float sum = 0.f;
                        for (int ky = 0; ky < s_.kh; ky++)
                            for (int kx = 0; kx < s_.kw; kx++) sum += m[static_cast<size_t>(sy0 + ky) * w + sx0 + kx];
                        *o++ = sum / (s_.kw * s_.kh);
                    } else {
                        // ncnn counts the values inside the layer's own pads (and tail pad in full mode).
                        const int wtailpad = s_.pad_mode == 0 ? wtail : 0;
                        const int htailpad = s_.pad_mode == 0 ? htail : 0;
                        float sum = 0.f;
                        int area = 0;
                        for (int ky = 0; ky < s_.kh; ky++) {
                            const int sy = sy0 + ky;
                            if (sy < s_.pad_top) continue;
                            if (sy >= h - s_.pad_bottom - htailpad) break;
                            for (int kx = 0; kx < s_.kw; kx++) {
                                const int sx = sx0 + kx;
                                if (sx < s_.pad_left) continue;
                                if (sx >= w - s_.pad_right - wtailpad) break;
                                sum += m[static_cast<size_t>(sy) * w + sx];
                                area += 1;
                            }
                        }
                        *o++ = sum / area;
                    }
                }
        }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

    Status global(const Tensor& in, std::vector<TensorPtr>& tops) const
    {
        Tensor out = Tensor::make1(in.c);
        const size_t size = static_cast<size_t>(in.w) * in.h;
        for (int q = 0; q < in.c; q++) {
            const float* p = in.channel(q);
            if (s_.max) {
                float mx = p[0];
                for (size_t i = 0; i < size; i++) mx = std::max(mx, p[i]);
                out.data[q] = mx;
            } else {
                float sum = 0.f;
                for (size_t i = 0; i < size; i++) sum += p[i];
                out.data[q] = sum / static_cast<float>(static_cast<int>(size));
            }
        }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

    Status adaptive(const Tensor& in, const TensorPtr& shared, std::vector<TensorPtr>& tops) const
    {
        const int ow = s_.out_w == -233 ? in.w : s_.out_w;
        const int oh = s_.out_h == -233 ? in.h : s_.out_h;
        if (ow == in.w && oh == in.h) {
            tops.push_back(shared);
            return Status::ok();
        }
        if (ow <= 0 || oh <= 0) return shape_error("adaptive output size must be positive");
        Tensor out = Tensor::make3(ow, oh, in.c);
        float* o = out.data.data();
        for (int q = 0; q < in.c; q++) {
            const float* p = in.channel(q);
            for (int i = 0; i < oh; i++) {
                const int ih0 = in.h * i / oh, ih1 = (in.h * (i + 1) + oh - 1) / oh;
                for (int j = 0; j < ow; j++) {
                    const int iw0 = in.w * j / ow, iw1 = (in.w * (j + 1) + ow - 1) / ow;
                    float acc = s_.max ? p[static_cast<size_t>(ih0) * in.w + iw0] : 0.f;
                    for (int y = ih0; y < ih1; y++)
                        for (int x = iw0; x < iw1; x++) {
                            const float v = p[static_cast<size_t>(y) * in.w + x];
                            acc = s_.max ? std::max(acc, v) : acc + v;
                        }
                    *o++ = s_.max ? acc : acc / (ih1 - ih0) / (iw1 - iw0);
                }
            }
        }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

    PoolSpec s_;
};

template <typename P>
Made make_pool(const LayerContext& ctx)
{
    constexpr bool one_d = std::is_same_v<P, params::Pooling1D>;
    const LayerParams& p = ctx.params();
    PoolSpec s;
    s.one_d = one_d;
    const int type = p.get(P::pooling_type);
    if (type != 0 && type != 1) return ctx.error("pooling_type " + std::to_string(type) + " is not 0 (max) or 1 (average)");
    s.max = type == 0;
    s.kw = p.get(P::kernel_w);
    s.sw = p.get(P::stride_w);
    s.pad_left = p.get(P::pad_left);
    s.pad_right = p.get(P::pad_right);
    if constexpr (one_d) {
        s.kh = 1;
        s.sh = 1;
    } else {
        s.kh = p.get(P::kernel_h);
        s.sh = p.get(P::stride_h);
        s.pad_top = p.get(P::pad_top);
        s.pad_bottom = p.get(P::pad_bottom);
    }
    s.global = p.get(P::global_pooling) != 0;
    s.pad_mode = p.get(P::pad_mode);
    s.count_include_pad = p.get(P::avgpool_count_include_pad) != 0;
    s.adaptive = p.get(P::adaptive_pooling) != 0;
    s.out_w = p.get(P::out_w);
    if constexpr (one_d)
        s.out_h = 1;
    else
        s.out_h = p.get(P::out_h);
    if (!s.global && !s.adaptive && (s.kw <= 0 || s.kh <= 0 || s.sw <= 0 || s.sh <= 0))
        return ctx.error("kernel and stride must be positive");
    if (s.pad_mode < 0 || s.pad_mode > 3) return ctx.error("pad_mode " + std::to_string(s.pad_mode) + " is not 0..3");
    return std::unique_ptr<LayerForward>(new Pooling(s));
}

Made make_pooling(const LayerContext& ctx) { return make_pool<params::Pooling>(ctx); }
Made make_pooling_1d(const LayerContext& ctx) { return make_pool<params::Pooling1D>(ctx); }

} // namespace

void register_pooling_layers(LayerRegistry& r)
{
    r["Pooling"] = make_pooling;
    r["Pooling1D"] = make_pooling_1d;
}

} // namespace ncnn_int8::engine
