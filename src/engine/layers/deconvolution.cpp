// Deconvolution and DeconvolutionDepthWise (any group): per group a GEMM
// gives every (output channel, tap) row for every input pixel, then col2im
// adds each tap into the full output (bias first), which is then cut as
// ncnn's cut_padding does (explicit pads, or output_w/h with -233 / -234).
// Weights are [group][out][in][kh][kw], as ncnn stores them.
#include <type_traits>
#include <vector>

#include "engine/layer_registry.h"
#include "engine/layers/activation.h"
#include "kernels/engine_kernels.h"

namespace ncnn_int8::engine {

namespace {

struct DeconvSpec {
    int num_output = 0, group = 1;
    int kw = 1, kh = 1, dw = 1, dh = 1, sw = 1, sh = 1;
    int pad_left = 0, pad_right = 0, pad_top = 0, pad_bottom = 0;
    int out_pad_right = 0, out_pad_bottom = 0, output_w = 0, output_h = 0;
};

class Deconvolution final : public LayerForward {
public:
    Deconvolution(DeconvSpec s, std::vector<float> weight, std::vector<float> bias, FusedActivation act)
        : s_(s),
          weight_(std::move(weight)),
          bias_(std::move(bias)),
          act_(std::move(act))
    {
    }

    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        if (in.dims != 3) return shape_error("needs a 3-D blob, got " + in.shape_text());
        const int maxk = s_.kw * s_.kh;
        const int inpg = in.c / s_.group, outpg = s_.num_output / s_.group;
        if (in.c % s_.group != 0 || weight_.size() != static_cast<size_t>(s_.num_output) * inpg * maxk)
            return shape_error("weights hold " + std::to_string(weight_.size()) + " values, which does not fit " + std::to_string(in.c) + " input channels");
        const int ext_w = s_.dw * (s_.kw - 1) + 1, ext_h = s_.dh * (s_.kh - 1) + 1;
        const int outw = (in.w - 1) * s_.sw + ext_w + s_.out_pad_right;
        const int outh = (in.h - 1) * s_.sh + ext_h + s_.out_pad_bottom;
        Tensor full = Tensor::make3(outw, outh, s_.num_output);
        for (int p = 0; p < s_.num_output; p++) std::fill(full.channel(p), full.channel(p) + full.plane(), bias_.empty() ? 0.f : bias_[p]);
        const size_t N = static_cast<size_t>(in.w) * in.h;
        std::vector<float> a(static_cast<size_t>(outpg) * maxk * inpg);
        std::vector<float> cols(static_cast<size_t>(outpg) * maxk * N);
        for (int g = 0; g < s_.group; g++) {
            // A[(p, k)][q] = W[g][p][q][k]
            for (int p = 0; p < outpg; p++)
                for (int q = 0; q < inpg; q++)
                    for (int k = 0; k < maxk; k++)
                        a[(static_cast<size_t>(p) * maxk + k) * inpg + q] = weight_[((static_cast<size_t>(g) * outpg + p) * inpg + q) * maxk + k];
            kernels::gemm_f32(static_cast<size_t>(outpg) * maxk, N, inpg, a.data(), inpg, in.channel(g * inpg), N, nullptr, cols.data(), N);
            for (int p = 0; p < outpg; p++) {
                float* out = full.channel(g * outpg + p);
                for (int ky = 0; ky < s_.kh; ky++)
                    for (int kx = 0; kx < s_.kw; kx++) {
                        const float* c = cols.data() + (static_cast<size_t>(p) * maxk + ky * s_.kw + kx) * N;
                        for (int i = 0; i < in.h; i++) {
                            float* row = out + static_cast<size_t>(i * s_.sh + ky * s_.dh) * outw + kx * s_.dw;
                            kernels::axpy_strided_out_f32(in.w, c + static_cast<size_t>(i) * in.w, row, s_.sw);
                        }
                    }
            }
        }
        act_.apply(full.data.data(), full.data.size());

        // cut_padding
        int top = 0, bottom = 0, left = 0, right = 0;
        if (s_.pad_left > 0 || s_.pad_right > 0 || s_.pad_top > 0 || s_.pad_bottom > 0) {
            top = std::max(s_.pad_top, 0);
            bottom = std::max(s_.pad_bottom, 0);
            left = std::max(s_.pad_left, 0);
            right = std::max(s_.pad_right, 0);
        } else if (s_.output_w > 0 && s_.output_h > 0) {
            const int wcut = outw - s_.output_w, hcut = outh - s_.output_h;
            const bool upper = s_.pad_left == -233 || s_.pad_right == -233 || s_.pad_top == -233 || s_.pad_bottom == -233;
            const bool lower = s_.pad_left == -234 || s_.pad_right == -234 || s_.pad_top == -234 || s_.pad_bottom == -234;
            if (upper || lower) {
                top = upper ? hcut / 2 : hcut - hcut / 2;
                bottom = hcut - top;
                left = upper ? wcut / 2 : wcut - wcut / 2;
                right = wcut - left;
            }
        }
        if (top == 0 && bottom == 0 && left == 0 && right == 0) {
            tops.push_back(std::make_shared<Tensor>(std::move(full)));
            return Status::ok();
        }
        const int cw = outw - left - right, ch = outh - top - bottom;
        if (cw <= 0 || ch <= 0) return shape_error("the padding cuts the whole output");
        Tensor out = Tensor::make3(cw, ch, s_.num_output);
        for (int p = 0; p < s_.num_output; p++)
            for (int y = 0; y < ch; y++) {
                const float* src = full.channel(p) + static_cast<size_t>(y + top) * outw + left;
                std::copy(src, src + cw, out.channel(p) + static_cast<size_t>(y) * cw);
            }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    DeconvSpec s_;
    std::vector<float> weight_, bias_;
    FusedActivation act_;
};

template <typename P>
Result<std::unique_ptr<LayerForward>> make_deconv(const LayerContext& ctx)
{
    const LayerParams& p = ctx.params();
    DeconvSpec s;
    s.num_output = p.get(P::num_output);
    if constexpr (std::is_same_v<P, params::DeconvolutionDepthWise>) s.group = p.get(P::group);
    s.kw = p.get(P::kernel_w);
    s.kh = p.get(P::kernel_h);
    s.dw = p.get(P::dilation_w);
    s.dh = p.get(P::dilation_h);
    s.sw = p.get(P::stride_w);
    s.sh = p.get(P::stride_h);
    s.pad_left = p.get(P::pad_left);
    s.pad_right = p.get(P::pad_right);
    s.pad_top = p.get(P::pad_top);
    s.pad_bottom = p.get(P::pad_bottom);
    s.out_pad_right = p.get(P::output_pad_right);
    s.out_pad_bottom = p.get(P::output_pad_bottom);
    s.output_w = p.get(P::output_w);
    s.output_h = p.get(P::output_h);
    if (p.get(P::dynamic_weight) != 0) return ctx.error("dynamic_weight (weights from a second bottom blob) is not supported by the engine");
    if (s.num_output <= 0 || s.group <= 0 || s.num_output % s.group != 0 || s.kw <= 0 || s.kh <= 0 || s.dw <= 0 || s.dh <= 0 || s.sw <= 0 || s.sh <= 0)
        return ctx.error("num_output, group, kernel, dilation and stride must be positive (and group must divide num_output)");
    ASSIGN_OR_RETURN(FusedActivation act, read_fused_activation<P>(ctx));
    ASSIGN_OR_RETURN(std::vector<float> weight, ctx.weight("weight_data"));
    std::vector<float> bias;
    if (p.get(P::bias_term)) {
        ASSIGN_OR_RETURN(bias, ctx.weight("bias_data"));
    }
    return std::unique_ptr<LayerForward>(new Deconvolution(s, std::move(weight), std::move(bias), std::move(act)));
}

Result<std::unique_ptr<LayerForward>> make_deconvolution(const LayerContext& ctx) { return make_deconv<params::Deconvolution>(ctx); }
Result<std::unique_ptr<LayerForward>> make_deconvolution_dw(const LayerContext& ctx) { return make_deconv<params::DeconvolutionDepthWise>(ctx); }

} // namespace

void register_deconvolution_layers(LayerRegistry& r)
{
    r["Deconvolution"] = make_deconvolution;
    r["DeconvolutionDepthWise"] = make_deconvolution_dw;
}

} // namespace ncnn_int8::engine
