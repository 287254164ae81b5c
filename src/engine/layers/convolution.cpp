// Convolution, ConvolutionDepthWise (any group) and Convolution1D: borders
// as ncnn's make_padding (explicit, -233 SAME_UPPER, -234 SAME_LOWER), then
// per group im2col + GEMM (kernels::gemm_f32; 1x1 stride-1 kernels read the
// input directly, depthwise ones use kernels::depthwise_f32, 3x3 stride-1
// ones without groups Winograd F(4x4, 3x3)), bias first, then the fused
// activation. Weights are [group][out][in][kh][kw] as ncnn stores them.
#include <algorithm>
#include <type_traits>
#include <vector>

#include "engine/layer_registry.h"
#include "engine/layers/activation.h"
#include "engine/layers/border.h"
#include "kernels/engine_kernels.h"
#include "kernels/winograd_kernels.h"

namespace ncnn_int8::engine {

namespace {

using Made = Result<std::unique_ptr<LayerForward>>;

struct ConvSpec {
    int num_output = 0, group = 1;
    int kw = 1, kh = 1, dw = 1, dh = 1, sw = 1, sh = 1;
    int pad_left = 0, pad_right = 0, pad_top = 0, pad_bottom = 0;
    float pad_value = 0.f;
    bool one_d = false; // Convolution1D: 2-D blobs (w, h = channels)
};

Border conv_border(const ConvSpec& s, int w, int h)
{
    const int ext_w = s.dw * (s.kw - 1) + 1;
    const int ext_h = s.dh * (s.kh - 1) + 1;
    Border b;
    if (s.pad_left > 0 || s.pad_right > 0 || s.pad_top > 0 || s.pad_bottom > 0) {
        b = {std::max(s.pad_top, 0), std::max(s.pad_bottom, 0), std::max(s.pad_left, 0), std::max(s.pad_right, 0)};
    } else if (s.pad_left == -233 || s.pad_left == -234) {
        const bool upper = s.pad_left == -233;
        const int wpad = std::max(ext_w + (w - 1) / s.sw * s.sw - w, 0);
        const int hpad = s.one_d ? 0 : std::max(ext_h + (h - 1) / s.sh * s.sh - h, 0);
        b.left = upper ? wpad / 2 : wpad - wpad / 2;
        b.right = wpad - b.left;
        b.top = upper ? hpad / 2 : hpad - hpad / 2;
        b.bottom = hpad - b.top;
    }
    return b;
}

class Convolution final : public LayerForward {
public:
    Convolution(ConvSpec spec, Floats weight, std::vector<float> bias, FusedActivation act, bool dynamic = false)
        : dynamic_(dynamic),
          s_(spec),
          weight_(std::move(weight)),
          bias_(std::move(bias)),
          act_(std::move(act))
    {
        // Winograd where ncnn's x86 Convolution uses it (3x3, stride 1,
        // dilation 1, more than 8 input or output channels), without groups.
        const size_t in_c = s_.num_output > 0 ? weight_.size() / (static_cast<size_t>(s_.num_output) * 9) : 0;
        if (!dynamic_ && !s_.one_d && s_.group == 1 && s_.kw == 3 && s_.kh == 3 && s_.sw == 1 && s_.sh == 1 && s_.dw == 1 && s_.dh == 1 && in_c * s_.num_output * 9 == weight_.size() && (in_c > 8 || s_.num_output > 8)) {
            winograd_u_.resize(kernels::kWinograd43Points * in_c * s_.num_output);
            kernels::winograd43_transform_weights(weight_.data(), s_.num_output, in_c, winograd_u_.data());
        }
    }

    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in0 = *bottoms.at(0);
        ConvSpec s = s_;
        const float* wdata = weight_.data();
        size_t wsize = weight_.size();
        const float* bdata = bias_.empty() ? nullptr : bias_.data();
        if (dynamic_) {
            // ncnn: the kernel is bottom 1 (w = kernel_w, h = kernel_h, c = num_output), the bias bottom 2
            const Tensor& k = *bottoms.at(1);
            s.kw = k.w;
            s.kh = k.h;
            s.num_output = k.c;
            wdata = k.data.data();
            wsize = k.total();
            if (bottoms.size() > 2) {
                if (bottoms[2]->total() < static_cast<size_t>(s.num_output))
                    return shape_error("the bias blob " + bottoms[2]->shape_text() + " has fewer values than the " + std::to_string(s.num_output) + " outputs");
                bdata = bottoms[2]->data.data();
            }
            if (k.dims < 3 || s.kw <= 0 || s.kh <= 0 || s.num_output <= 0) return shape_error("a weight blob " + k.shape_text() + " is not w = kernel_w, h = kernel_h, c = num_output");
        }
        if (s.one_d ? in0.dims != 2 : in0.dims != 3)
            return shape_error(std::string(s.one_d ? "needs a 2-D blob (w, h = channels), got " : "needs a 3-D blob, got ") + in0.shape_text());
        // The input as w x h x channels (a 1-D convolution's rows are its channels).
        const int channels = s.one_d ? in0.h : in0.c;
        const int in_per_group = channels / s.group;
        const int out_per_group = s.num_output / s.group;
        const size_t K = static_cast<size_t>(in_per_group) * s.kh * s.kw;
        if (channels % s.group != 0 || wsize != K * s.num_output)
            return shape_error("weights hold " + std::to_string(wsize) + " values, which does not fit " + std::to_string(channels) + " input channels");

        const Border b = conv_border(s, in0.w, s.one_d ? 1 : in0.h);
        Tensor padded;
        if (b.any()) padded = with_border(in0.data.data(), 3, in0.w, s.one_d ? 1 : in0.h, 1, channels, b, s.pad_value);
        const int src_w = b.any() ? padded.w : in0.w;
        const int src_h = b.any() ? padded.h : (s.one_d ? 1 : in0.h);
        const float* src_data = b.any() ? padded.data.data() : in0.data.data();
        const size_t src_plane = static_cast<size_t>(src_w) * src_h;
        auto src_channel = [&](int q) { return src_data + src_plane * q; };
        const int ext_w = s.dw * (s.kw - 1) + 1;
        const int ext_h = s.dh * (s.kh - 1) + 1;
        const int outw = (src_w - ext_w) / s.sw + 1;
        const int outh = (src_h - ext_h) / s.sh + 1;
        if (src_w < ext_w || src_h < ext_h || outw <= 0 || outh <= 0)
            return shape_error("a " + in0.shape_text() + " blob is smaller than the kernel");

        // every value is written below (each group's rows, or each depthwise plane)
        Tensor out = s.one_d ? Tensor::for_overwrite(2, outw, s.num_output, 1, 1) : Tensor::for_overwrite(3, outw, outh, 1, s.num_output);
        const size_t N = static_cast<size_t>(outw) * outh;
        if (in_per_group == 1 && out_per_group == 1) {
            // Depthwise: per output, the bias then one tap after the other
            // (the GEMM path's order, without im2col).
            for (int q = 0; q < channels; q++)
                kernels::depthwise_f32(src_channel(q), src_w, src_h, outw, outh, s.kw, s.kh, s.dw, s.dh, s.sw, s.sh,
                                       wdata + static_cast<size_t>(q) * s.kh * s.kw, bdata ? bdata[q] : 0.f,
                                       out.data.data() + q * N);
            act_.apply(out.data.data(), out.data.size());
            tops.push_back(std::make_shared<Tensor>(std::move(out)));
            return Status::ok();
        }
        if (!winograd_u_.empty()) {
            Floats& scratch = col_;
            const size_t need = kernels::winograd43_scratch_floats(channels, s.num_output, outw, outh);
            if (scratch.size() < need) {
                Floats().swap(scratch);
                scratch.resize(need); // not zeroed: the transforms write what they read
            }
            kernels::conv3x3s1_winograd43_f32(src_data, src_w, src_h, channels, winograd_u_.data(), s.num_output, bdata,
                                              out.data.data(), scratch.data());
            act_.apply(out.data.data(), out.data.size());
            tops.push_back(std::make_shared<Tensor>(std::move(out)));
            return Status::ok();
        }
        // A 1x1 stride-1 kernel reads the input planes as they are: no im2col.
        const bool direct = s.kw == 1 && s.kh == 1 && s.sw == 1 && s.sh == 1 && outw == src_w && outh == src_h;
        // im2col scratch kept across runs (an Engine runs one input at a time).
        Floats& col = col_;
        if (!direct && col.size() < K * N) {
            // grown without copying or zeroing (inputs differ in size; im2col writes every value)
            Floats().swap(col);
            col.resize(K * N);
        }
        for (int g = 0; g < s.group; g++) {
            if (direct) {
                const size_t oc0 = static_cast<size_t>(g) * out_per_group;
                kernels::gemm_f32(out_per_group, N, K, wdata + oc0 * K, K, src_channel(g * in_per_group), N,
                                  bdata ? bdata + oc0 : nullptr, out.data.data() + oc0 * N, N);
                continue;
            }
            // im2col: row k = (ic, ky, kx), column = output pixel.
            float* cp = col.data();
            for (int ic = 0; ic < in_per_group; ic++) {
                const float* plane = src_channel(g * in_per_group + ic);
                for (int ky = 0; ky < s.kh; ky++)
                    for (int kx = 0; kx < s.kw; kx++)
                        for (int y = 0; y < outh; y++) {
                            const float* row = plane + static_cast<size_t>(y * s.sh + ky * s.dh) * src_w + kx * s.dw;
                            if (s.sw == 1) {
                                std::copy(row, row + outw, cp);
                                cp += outw;
                            } else {
                                for (int x = 0; x < outw; x++) *cp++ = row[static_cast<size_t>(x) * s.sw];
                            }
                        }
            }
            const size_t oc0 = static_cast<size_t>(g) * out_per_group;
            float* dst = out.data.data() + oc0 * N;
            kernels::gemm_f32(out_per_group, N, K, wdata + oc0 * K, K, col.data(), N,
                              bdata ? bdata + oc0 : nullptr, dst, N);
        }
        act_.apply(out.data.data(), out.data.size());
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    bool dynamic_; // weights (and bias) from bottoms 1 (and 2)
    ConvSpec s_;
    Floats weight_;
    std::vector<float> bias_;
    FusedActivation act_;
    Floats winograd_u_;  // transformed weights when the Winograd path applies
    mutable Floats col_; // im2col or Winograd scratch
};

template <typename P>
Made make_conv(const LayerContext& ctx)
{
    constexpr bool one_d = std::is_same_v<P, params::Convolution1D>;
    const LayerParams& p = ctx.params();
    ConvSpec s;
    s.one_d = one_d;
    s.num_output = p.get(P::num_output);
    if constexpr (std::is_same_v<P, params::ConvolutionDepthWise>) s.group = p.get(P::group);
    s.kw = p.get(P::kernel_w);
    s.dw = p.get(P::dilation_w);
    s.sw = p.get(P::stride_w);
    s.pad_left = p.get(P::pad_left);
    s.pad_right = p.get(P::pad_right);
    if constexpr (!one_d) {
        s.kh = p.get(P::kernel_h);
        s.dh = p.get(P::dilation_h);
        s.sh = p.get(P::stride_h);
        s.pad_top = p.get(P::pad_top);
        s.pad_bottom = p.get(P::pad_bottom);
    }
    s.pad_value = p.get(P::pad_value);
    const bool dynamic = p.get(P::dynamic_weight) != 0;
    if (dynamic && !std::is_same_v<P, params::Convolution>)
        return ctx.error("dynamic_weight (weights from a second bottom blob) is supported for Convolution only");
    if (dynamic && ctx.bottom_count() != (p.get(P::bias_term) ? 3u : 2u))
        return ctx.error("dynamic_weight takes the input, the weight and (with bias_term) the bias as bottom blobs");
    if ((!dynamic && (s.num_output <= 0 || s.num_output % s.group != 0)) || s.group <= 0 || s.kw <= 0 || s.kh <= 0 || s.dw <= 0 || s.dh <= 0 || s.sw <= 0 || s.sh <= 0)
        return ctx.error("num_output, group, kernel, dilation and stride must be positive (and group must divide num_output)");
    ASSIGN_OR_RETURN(FusedActivation act, read_fused_activation<P>(ctx));
    if (dynamic) return std::unique_ptr<LayerForward>(new Convolution(s, {}, {}, std::move(act), true));
    ASSIGN_OR_RETURN(Floats weight, ctx.weight_values("weight_data"));
    std::vector<float> bias;
    if (p.get(P::bias_term)) {
        ASSIGN_OR_RETURN(bias, ctx.weight("bias_data"));
    }
    return std::unique_ptr<LayerForward>(new Convolution(s, std::move(weight), std::move(bias), std::move(act)));
}

Made make_convolution(const LayerContext& ctx) { return make_conv<params::Convolution>(ctx); }
Made make_convolution_dw(const LayerContext& ctx) { return make_conv<params::ConvolutionDepthWise>(ctx); }
Made make_convolution_1d(const LayerContext& ctx) { return make_conv<params::Convolution1D>(ctx); }

} // namespace

void register_convolution_layers(LayerRegistry& r)
{
    r["Convolution"] = make_convolution;
    r["ConvolutionDepthWise"] = make_convolution_dw;
    r["Convolution1D"] = make_convolution_1d;
}

} // namespace ncnn_int8::engine
